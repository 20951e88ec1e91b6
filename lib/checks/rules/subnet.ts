/**
 * Subnet rules: delegation, NSG association, size, headroom and prefixes of an APIM subnet.
 */
import { Rule, RuleResult, defineRule, subjectOf } from '../rule';
import { SOURCES } from '../sources';
import { ApimRuleLevel } from '../types';
import { Ipv4Cidr, cidrContains, cidrOverlaps, parseIpv4Cidr } from '../../core/cidr';
import { LONGEST_SUBNET_PREFIX, MAX_PREMIUM_CAPACITY, requiredAddresses, usableAddresses } from '../../core/sizing';
import { ApimSku, ApimVirtualNetworkType } from '../../core/types';
import { TerraformModel, Unknown, isUnknown } from '../model';
import { SubnetTarget, Targets, unknownSubnets } from '../targets';

/** The parsed prefixes of a subnet, or the reason they are not usable. */
function prefixesOf(model: TerraformModel, target: SubnetTarget): { cidrs: Ipv4Cidr[]; bad: string[] } | Unknown {
  const raw = target.subnet.config.address_prefixes ?? target.subnet.config.address_prefix;
  const list = Array.isArray(raw) || typeof raw !== 'string' ? model.strings(raw) : model.strings([raw]);
  if (list === undefined) {
    return new Unknown('address_prefixes is not set (an IP address pool?)');
  }
  if (isUnknown(list)) {
    return list;
  }
  const cidrs: Ipv4Cidr[] = [];
  const bad: string[] = [];
  for (const text of list) {
    const parsed = parseIpv4Cidr(text);
    if (parsed.ok) {
      cidrs.push(parsed.cidr);
    } else {
      bad.push(`"${text}" (${parsed.reason})`);
    }
  }
  return { cidrs, bad };
}

function sizing(target: SubnetTarget): { sku: ApimSku; capacity: number; mode: ApimVirtualNetworkType } | Unknown {
  if (isUnknown(target.sku)) {
    return target.sku;
  }
  if (isUnknown(target.capacity)) {
    return target.capacity;
  }
  const sku = target.sku.toLowerCase() === 'developer' ? ApimSku.DEVELOPER : ApimSku.PREMIUM;
  const mode = target.mode === 'Internal' ? ApimVirtualNetworkType.INTERNAL : ApimVirtualNetworkType.EXTERNAL;
  return { sku, capacity: target.capacity, mode };
}

/** The largest valid prefix of a subnet and what its APIM location needs, or undefined after reporting why not. */
function sizedSubnet(t: Targets, r: RuleResult, target: SubnetTarget):
{ largest: Ipv4Cidr; need: { sku: ApimSku; capacity: number; mode: ApimVirtualNetworkType } } | undefined {
  const subject = subjectOf(target.subnet);
  const prefixes = prefixesOf(t.model, target);
  const need = sizing(target);
  if (isUnknown(prefixes) || isUnknown(need)) {
    r.unknown(subject, isUnknown(prefixes) ? prefixes : (need as Unknown));
    return undefined;
  }
  if (prefixes.cidrs.length === 0) {
    r.unknown(subject, 'no valid IPv4 prefix (see APIM-SUBNET-PREFIX)');
    return undefined;
  }
  return { largest: prefixes.cidrs.reduce((a, b) => (a.prefixLength <= b.prefixLength ? a : b)), need };
}

const { ERROR, WARNING } = ApimRuleLevel;

/** The subnet rules, in the order of the README table (the catalog concatenates the area lists). */
export const SUBNET_RULES: readonly Rule[] = [
  defineRule({
    id: 'APIM-SUBNET-DELEGATION', level: ERROR, area: 'subnet', source: SOURCES.resources,
    title: 'the subnet has no delegation (classic tiers)',
    why: 'A delegated subnet makes the deployment fail and needs a support case',
    fix: 'remove the delegation block from the APIM subnet',
    check(t, r) {
      unknownSubnets(t, r);
      for (const target of t.subnets) {
        const subject = subjectOf(target.subnet);
        const blocks = t.model.blocks(target.subnet.config.delegation);
        if (isUnknown(blocks)) {
          r.unknown(subject, blocks);
          continue;
        }
        r.check(subject, blocks.length === 0, () => {
          const names = blocks.map((b) => {
            const service = t.model.block(b.service_delegation);
            return service && !isUnknown(service) ? String(t.model.str(service.name) ?? '?') : '?';
          });
          return `the subnet is delegated to ${names.join(', ')}; classic-tier APIM (${target.source}) needs a subnet without delegation`;
        });
      }
    },
  }),
  defineRule({
    id: 'APIM-SUBNET-NSG', level: ERROR, area: 'subnet', source: SOURCES.resources,
    title: 'an NSG is associated with the subnet',
    why: 'The internal load balancer rejects all inbound traffic unless an NSG allows it',
    fix: 'associate an NSG with azurerm_subnet_network_security_group_association',
    check(t, r) {
      unknownSubnets(t, r);
      for (const target of t.subnets) {
        const subject = subjectOf(target.subnet);
        const { association } = t.model.associationOf(target.subnet, 'azurerm_subnet_network_security_group_association',
          'network_security_group_id', 'azurerm_network_security_group');
        if (isUnknown(association)) {
          r.unknown(subject, association);
        } else {
          r.check(subject, association !== undefined,
            () => 'no azurerm_subnet_network_security_group_association points at this subnet; APIM\'s load balancer rejects all inbound traffic without an NSG');
        }
      }
    },
  }),
  defineRule({
    id: 'APIM-SUBNET-SIZE', level: ERROR, area: 'subnet', source: SOURCES.resources,
    title: 'the subnet is /29 or larger and holds 5 + 2 per unit (1 for Developer) + 1 in Internal mode addresses',
    why: 'APIM cannot deploy or scale into a subnet without free addresses',
    fix: 'use a larger prefix, or a lower capacity',
    check(t, r) {
      unknownSubnets(t, r);
      for (const target of t.subnets) {
        const sized = sizedSubnet(t, r, target);
        if (!sized) {
          continue;
        }
        const { largest, need } = sized;
        const subject = subjectOf(target.subnet);
        const needed = requiredAddresses(need.sku, need.capacity, need.mode);
        const usable = usableAddresses(largest.prefixLength);
        if (largest.prefixLength > LONGEST_SUBNET_PREFIX) {
          r.fail(subject, `${largest.text} is smaller than APIM's minimum /29`);
        } else {
          r.check(subject, needed <= usable,
            () => `${largest.text} has ${usable} usable addresses (after Azure's 5), but ${need.sku} with capacity ${need.capacity} in ${need.mode} mode needs ${needed}`);
        }
      }
    },
  }),
  defineRule({
    id: 'APIM-SUBNET-HEADROOM', level: WARNING, area: 'subnet', source: SOURCES.resources,
    title: 'the subnet can hold twice the configured capacity',
    why: 'Scaling out fails when the subnet is full',
    fix: 'use a larger prefix so capacity can double',
    check(t, r) {
      for (const target of t.subnets) {
        const sized = sizedSubnet(t, r, target);
        if (!sized) {
          continue;
        }
        const { largest, need } = sized;
        const subject = subjectOf(target.subnet);
        if (need.sku === ApimSku.DEVELOPER) {
          r.notApplicable(subject, 'the Developer tier cannot scale out');
          continue;
        }
        const doubled = Math.min(2 * need.capacity, MAX_PREMIUM_CAPACITY);
        const needed = requiredAddresses(need.sku, doubled, need.mode);
        r.check(subject, doubled === need.capacity || needed <= usableAddresses(largest.prefixLength),
          () => `${largest.text} cannot hold capacity ${doubled} (${needed} addresses); scaling out from ${need.capacity} would fail`);
      }
    },
  }),
  defineRule({
    id: 'APIM-SUBNET-PREFIX', level: ERROR, area: 'subnet', source: SOURCES.resources,
    title: 'each prefix is a valid IPv4 CIDR inside the virtual network and overlaps no other subnet',
    why: 'Azure rejects host bits, prefixes outside the address space and overlapping subnets',
    fix: 'write the network address (10.0.1.0/27), inside the address space, not used by another subnet',
    check(t, r) {
      unknownSubnets(t, r);
      for (const target of t.subnets) {
        const subject = subjectOf(target.subnet);
        const prefixes = prefixesOf(t.model, target);
        if (isUnknown(prefixes)) {
          r.unknown(subject, prefixes);
          continue;
        }
        if (prefixes.bad.length > 0) {
          r.fail(subject, `address_prefixes holds ${prefixes.bad.join(', ')}`, 'syntax');
          continue;
        }
        r.pass(subject, 'syntax');
        const vnet = t.model.virtualNetworkOf(target.subnet);
        if (vnet === undefined || isUnknown(vnet)) {
          r.unknown(subject, vnet ?? new Unknown('virtual_network_name is not set'), 'address-space');
        } else {
          const space = t.model.strings(vnet.config.address_space);
          if (space === undefined || isUnknown(space)) {
            r.unknown(subject, space ?? new Unknown(`${vnet.address} has no address_space`), 'address-space');
          } else {
            const ranges = space.map((s) => parseIpv4Cidr(s)).filter((r) => r.ok).map((r) => (r as { cidr: Ipv4Cidr }).cidr);
            const outside = prefixes.cidrs.filter((p) => !ranges.some((r) => cidrContains(r, p)));
            r.check(subject, outside.length === 0,
              () => `${outside.map((o) => o.text).join(', ')} is outside the address space ${space.join(', ')} of ${vnet.address}`, 'address-space');
          }
        }
        const overlaps: string[] = [];
        let unknown: Unknown | undefined;
        for (const sibling of t.model.siblingsOf(target.subnet)) {
          const other = t.model.strings(sibling.config.address_prefixes);
          if (isUnknown(other)) {
            unknown = other;
            continue;
          }
          for (const text of other ?? []) {
            const parsed = parseIpv4Cidr(text);
            if (parsed.ok && prefixes.cidrs.some((p) => cidrOverlaps(p, parsed.cidr))) {
              overlaps.push(`${sibling.address} (${text})`);
            }
          }
        }
        if (overlaps.length > 0) {
          r.fail(subject, `${prefixes.cidrs.map((p) => p.text).join(', ')} overlaps ${overlaps.join(', ')} in the same virtual network`, 'overlap');
        } else if (unknown) {
          r.unknown(subject, unknown, 'overlap');
        } else {
          r.pass(subject, 'overlap');
        }
      }
    },
  }),
];
