/**
 * Subnet rules: delegation, NSG association, size, headroom and prefixes of an APIM subnet.
 */
import { Rule, RuleResult, Subject, defineRule, subjectOf } from '../rule';
import { SOURCES } from '../sources';
import { ApimRuleLevel } from '../types';
import { Ipv4Cidr, cidrContains, cidrOverlaps, parseIpv4Cidr } from '../../core/cidr';
import { LONGEST_SUBNET_PREFIX, MAX_PREMIUM_CAPACITY, requiredAddresses, usableAddresses } from '../../core/sizing';
import { ApimSku, ApimVirtualNetworkType } from '../../core/types';
import { NSG_ASSOCIATION, Ref, Resource, Unknown, Value, isUnknown } from '../model';
import { opaqueChange } from '../opaque';
import { SubnetTarget, ignoredChanges, unknownSubnets, writtenBlocks } from '../targets';

/** The parsed prefixes of a subnet, or the reason they are not usable. */
function prefixesOf(target: SubnetTarget): { cidrs: Ipv4Cidr[]; bad: string[] } | Unknown {
  const model = target.subnet.model;
  const list = model.strings(target.subnet.config.address_prefixes ?? target.subnet.config.address_prefix);
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

interface Need {
  readonly sku: ApimSku;
  readonly capacity: number;
  readonly mode: ApimVirtualNetworkType;
}

/**
 * What the APIM locations using the subnet need (classic instances may share a subnet; their needs add up): `least`
 * with every unknown mode taken as External, `most` as Internal (which needs one address more); `modeUnknown` names
 * the first mode that is not known.
 */
interface Needs {
  readonly least: Need[];
  readonly most: Need[];
  readonly modeUnknown?: Unknown;
}

function sizing(target: SubnetTarget): Needs | Unknown {
  const least: Need[] = [];
  const most: Need[] = [];
  let modeUnknown: Unknown | undefined;
  for (const user of target.users) {
    if (isUnknown(user.sku)) {
      return user.sku;
    }
    if (isUnknown(user.capacity)) {
      return user.capacity;
    }
    const sku = user.sku.toLowerCase() === 'developer' ? ApimSku.DEVELOPER : ApimSku.PREMIUM;
    if (user.mode === undefined) {
      modeUnknown = modeUnknown ?? user.modeUnknown ?? new Unknown('the APIM mode');
    }
    const [low, high] = user.mode === 'Internal' ? [ApimVirtualNetworkType.INTERNAL, ApimVirtualNetworkType.INTERNAL]
      : user.mode === 'External' ? [ApimVirtualNetworkType.EXTERNAL, ApimVirtualNetworkType.EXTERNAL]
        : [ApimVirtualNetworkType.EXTERNAL, ApimVirtualNetworkType.INTERNAL];
    least.push({ sku, capacity: user.capacity, mode: low });
    most.push({ sku, capacity: user.capacity, mode: high });
  }
  return { least, most, modeUnknown };
}

/** Addresses the needs take together, beyond Azure's reserved 5 (each instance takes its own). */
function addressesFor(needs: readonly Need[]): number {
  return needs.reduce((sum, n) => sum + requiredAddresses(n.sku, n.capacity, n.mode), 0);
}

function describeNeeds(needs: readonly Need[]): string {
  return needs.map((n) => `${n.sku} with capacity ${n.capacity} in ${n.mode} mode`).join(' plus ');
}

/** The largest valid prefix of a subnet and what its APIM location needs, or undefined after reporting why not. */
function sizedSubnet(r: RuleResult, target: SubnetTarget):
{ largest: Ipv4Cidr; needs: Needs } | undefined {
  const subject = subjectOf(target.subnet);
  const prefixes = prefixesOf(target);
  const need = sizing(target);
  if (isUnknown(prefixes) || isUnknown(need)) {
    r.unknown(subject, isUnknown(prefixes) ? prefixes : (need as Unknown));
    return undefined;
  }
  if (prefixes.cidrs.length === 0) {
    r.unknown(subject, 'no valid IPv4 prefix (see APIM-SUBNET-PREFIX)');
    return undefined;
  }
  return { largest: prefixes.cidrs.reduce((a, b) => (a.prefixLength <= b.prefixLength ? a : b)), needs: need };
}

/**
 * Judge a size against the needs: a pass when the subnet holds what the largest needs take, a failure when it cannot
 * hold even the least (with `message`), and unknown in between (the mode decides).
 */
function judgeSize(r: RuleResult, subject: Subject, needs: Needs, fits: (needs: readonly Need[]) => boolean, message: (needs: readonly Need[]) => string): void {
  if (fits(needs.most)) {
    r.pass(subject);
  } else if (!fits(needs.least)) {
    r.fail(subject, message(needs.least));
  } else {
    r.unknown(subject, `${message(needs.most)}, if the instance runs in Internal mode; ${needs.modeUnknown?.reason ?? 'the mode is not known'}`);
  }
}

const { ERROR, WARNING } = ApimRuleLevel;

/** What an inline subnet block that is the APIM subnet does to its NSG on each apply of the network. */
function inlineNsg(block: Record<string, Value>): string {
  const group = block.security_group;
  if (group === undefined || group === null || group === '') {
    return 'removes its NSG (the block has no security_group)';
  }
  const text = group instanceof Ref ? `${group.resource.address}.${group.attribute}` : isUnknown(group) ? `an NSG (${group.reason})` : `"${String(group)}"`;
  return `sets its NSG to ${text} (security_group), not the one an association gives it`;
}

/** What to give for an existing virtual network whose address space the checks cannot see. */
const EXISTING_SPACE_FIX = 'give the existing virtual network\'s address space: existingAddressSpace on the region (MultiRegionApimNetwork) ' +
  'or virtualNetworkAddressSpace (ApimSubnet); or suppress APIM-UNKNOWN[APIM-SUBNET-PREFIX] with a reason';

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
        const blocks = opaqueChange(target.subnet, 'subnet') ?? ignoredChanges(target.subnet, 'delegation') ?? t.model.blocks(target.subnet.config.delegation);
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
    title: 'an NSG of the subnet\'s region is associated with the subnet',
    why: 'The internal load balancer rejects all inbound traffic unless an NSG allows it',
    fix: 'associate an NSG with azurerm_subnet_network_security_group_association',
    check(t, r) {
      unknownSubnets(t, r);
      for (const target of t.subnets) {
        const subject = subjectOf(target.subnet);
        const { associations, unknown: unknownAssociation } = t.model.associationsOf(target.subnet, NSG_ASSOCIATION.type, NSG_ASSOCIATION.field, NSG_ASSOCIATION.target);
        // A module or azapi resource that gets the subnet may associate another NSG.
        const unknown = opaqueChange(target.subnet, 'subnet') ?? unknownAssociation;
        if (associations.length === 0) {
          if (unknown) {
            r.unknown(subject, unknown);
          } else {
            r.fail(subject, 'no azurerm_subnet_network_security_group_association points at this subnet; APIM\'s load balancer rejects all inbound traffic without an NSG');
          }
          continue;
        }
        // A subnet has one NSG: with two associations, each apply sets the one Terraform applies last. One association,
        // and another that may point at the subnet too (its subnet, or the association itself, is not known yet), may be two.
        if (associations.length === 1 && unknown) {
          r.unknown(subject, unknown);
        } else {
          r.check(subject, associations.length === 1, () => `${associations.length} associations point at this subnet: ` +
            `${associations.map(({ association, target: nsg }) => `${association.address} (${isUnknown(nsg) ? nsg.reason : nsg.address})`).join(', ')}; ` +
            'a subnet has one NSG, so Azure keeps one of them, depending on the order in which they are applied, and the NSG rules hold only ' +
            'for that one; keep one association (the NSG rules judge every NSG named)');
        }
        // Azure associates an NSG only with subnets of its own region.
        // The subnet's region: its virtual network's, or else the APIM location it serves (APIM-LOCATION checks those agree).
        const vnet = t.model.virtualNetworkOf(target.subnet);
        const vnetRegion = vnet && !isUnknown(vnet) ? vnet.model.location(vnet) : vnet ?? new Unknown('the subnet\'s virtual network is not set');
        const subnetRegion = typeof vnetRegion === 'string' ? vnetRegion : typeof target.location === 'string' ? target.location : vnetRegion;
        for (const { target: nsg } of associations) {
          const nsgRegion = isUnknown(nsg) ? nsg : nsg.model.location(nsg) ?? new Unknown(`${nsg.address} has no location`);
          if (typeof subnetRegion !== 'string' || typeof nsgRegion !== 'string') {
            r.unknown(subject, typeof subnetRegion !== 'string' ? subnetRegion ?? new Unknown('the subnet\'s region') : nsgRegion as Unknown, 'region');
          } else {
            r.check(subject, subnetRegion === nsgRegion,
              () => `the NSG ${(nsg as Resource).address} is in ${nsgRegion} but the subnet's virtual network is in ${subnetRegion}; Azure associates only NSGs of the subnet's region`, 'region');
          }
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
        const sized = sizedSubnet(r, target);
        if (!sized) {
          continue;
        }
        const { largest, needs } = sized;
        const subject = subjectOf(target.subnet);
        const usable = usableAddresses(largest.prefixLength);
        if (largest.prefixLength > LONGEST_SUBNET_PREFIX) {
          r.fail(subject, `${largest.text} is smaller than APIM's minimum /29`);
        } else {
          judgeSize(r, subject, needs, (n) => addressesFor(n) <= usable,
            (n) => `${largest.text} has ${usable} usable addresses (after Azure's 5), but ${describeNeeds(n)} ${n.length > 1 ? `(${n.length} APIM locations share the subnet) need` : 'needs'} ${addressesFor(n)}`);
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
        const sized = sizedSubnet(r, target);
        if (!sized) {
          continue;
        }
        const { largest, needs } = sized;
        const subject = subjectOf(target.subnet);
        if (needs.least.every((n) => n.sku === ApimSku.DEVELOPER)) {
          r.notApplicable(subject, 'the Developer tier cannot scale out');
          continue;
        }
        // Every Premium location doubles (up to the maximum); Developer locations stay as they are.
        const doubled = (list: readonly Need[]) => list.map((n) => (n.sku === ApimSku.DEVELOPER ? n : { ...n, capacity: Math.min(2 * n.capacity, MAX_PREMIUM_CAPACITY) }));
        const grows = doubled(needs.least).some((n, i) => n.capacity !== needs.least[i].capacity);
        judgeSize(r, subject, needs, (n) => !grows || addressesFor(doubled(n)) <= usableAddresses(largest.prefixLength),
          (n) => `${largest.text} cannot hold capacity ${doubled(n).map((d) => d.capacity).join(' + ')} (${addressesFor(doubled(n))} addresses); scaling out from ${n.map((d) => d.capacity).join(' + ')} would fail`);
      }
    },
  }),
  defineRule({
    id: 'APIM-SUBNET-PREFIX', level: ERROR, area: 'subnet', source: SOURCES.resources,
    title: 'each prefix is a valid IPv4 CIDR inside the virtual network and overlaps no other subnet',
    why: 'Azure rejects host bits, prefixes outside the address space and overlapping subnets',
    fix: 'write the prefix as its network address (10.0.1.0/27, not 10.0.1.5/27), inside the network\'s address space, overlapping no other subnet',
    check(t, r) {
      unknownSubnets(t, r);
      for (const target of t.subnets) {
        const subject = subjectOf(target.subnet);
        const prefixes = prefixesOf(target);
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
        // A virtual network outside the document, whose address space this library's construct recorded
        // (existingAddressSpace / virtualNetworkAddressSpace: what the user's IPAM says it is).
        const recorded = target.subnet.marker?.virtual_network_address_space;
        if ((vnet === undefined || isUnknown(vnet)) && Array.isArray(recorded) && recorded.length > 0) {
          const ranges = recorded.map((s) => parseIpv4Cidr(s)).filter((c) => c.ok).map((c) => (c as { cidr: Ipv4Cidr }).cidr);
          const outside = prefixes.cidrs.filter((p) => !ranges.some((c) => cidrContains(c, p)));
          r.check(subject, outside.length === 0,
            () => `${outside.map((o) => o.text).join(', ')} is outside the address space ${recorded.join(', ')} given for the existing virtual network`, 'address-space');
        } else if (vnet === undefined || isUnknown(vnet)) {
          // A subnet this library built (on an existing virtual network) takes the address space as a prop.
          r.unknown(subject, vnet ?? new Unknown('virtual_network_name is not set'), 'address-space', target.subnet.marker ? EXISTING_SPACE_FIX : undefined);
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
        // The subnet's own prefixes: Azure refuses two that overlap (cdktf's addOverride appends to a list).
        prefixes.cidrs.forEach((p, i) => {
          const earlier = prefixes.cidrs.slice(0, i).find((q) => cidrOverlaps(p, q));
          if (earlier) {
            overlaps.push(`its own prefix ${earlier.text} (${p.text})`);
          }
        });
        // A subnet resource as a plan lists it among the network's: its name and its prefixes (any case, any order).
        const listing = (name: Value, list: Value) => {
          const text = t.model.str(name);
          const texts = t.model.strings(list);
          return typeof text === 'string' && Array.isArray(texts) ? JSON.stringify([text.trim().toLowerCase(), [...texts].map((p) => p.trim()).sort()]) : '';
        };
        const resourceListings = new Set([target.subnet, ...t.model.siblingsOf(target.subnet)]
          .map((subnet) => listing(subnet.config.name, subnet.config.address_prefixes ?? subnet.config.address_prefix)).filter((key) => key !== ''));
        // The other subnets of the network: azurerm_subnet resources, and the network's inline subnet blocks as written
        // (in a plan the network's `subnet` is computed, known after apply, from the azurerm_subnet resources: not read).
        const inline = vnet && !isUnknown(vnet) ? t.model.blocks(vnet.config.subnet) : [];
        // In a plan, the network's listing holds the subnets as Azure has them before the plan: one of a subnet
        // resource (by name; a name is unique in a network), or one it replaces under a new name, is that resource,
        // whose prefixes the plan may change. Not another subnet.
        const listed = vnet !== undefined && !isUnknown(vnet) && (vnet.computed?.includes('subnet') ?? false);
        const managed = [target.subnet, ...t.model.siblingsOf(target.subnet)];
        const lower = (names: ReadonlyArray<string | Value>) => new Set(names.filter((n): n is string => typeof n === 'string').map((n) => n.trim().toLowerCase()));
        const managedNames = lower(managed.flatMap((subnet) => [t.model.str(subnet.config.name), subnet.beforeName]));
        // The subnets the plan deletes from the network (azurerm_subnet resources it no longer has): Azure still lists them.
        const deletedNames = listed ? lower((vnet as Resource).deletedChildren ?? []) : new Set<string>();
        const siblings: Array<{ address: string; prefixes: Value; maybe?: Unknown; deleted?: string }> = [
          ...t.model.siblingsOf(target.subnet).map((sibling) => ({
            address: sibling.address, prefixes: sibling.config.address_prefixes ?? sibling.config.address_prefix, maybe: sibling.maybe,
          })),
          // Once the network exists, a plan lists every subnet Azure holds there, the APIM subnet and the azurerm_subnet
          // siblings included: those are the resources themselves, judged above, not other subnets.
          ...(isUnknown(inline) ? [] : inline.filter((block) => !resourceListings.has(listing(block.name, block.address_prefixes ?? block.address_prefix))
            && !(listed && managedNames.has(String(t.model.str(block.name) ?? '').trim().toLowerCase()))).map((block) => {
            const name = String(t.model.str(block.name) ?? '?');
            const deleted = deletedNames.has(name.trim().toLowerCase());
            return {
              address: !listed ? `the inline subnet "${name}" of ${(vnet as Resource).address}`
                : `the subnet "${name}" that Azure holds in ${(vnet as Resource).address} (the plan ${deleted ? 'deletes' : 'lists'} it)`,
              prefixes: block.address_prefixes ?? block.address_prefix,
              ...(deleted ? { deleted: name } : {}),
            };
          })),
        ];
        for (const sibling of siblings) {
          const other = t.model.strings(sibling.prefixes);
          if (isUnknown(other) || other === undefined) {
            // No prefixes: an IP address pool gives them at apply time.
            unknown = other ?? new Unknown(`the prefixes of ${sibling.address}, which Azure gives at apply time (an IP address pool)`);
            continue;
          }
          for (const text of other) {
            const parsed = parseIpv4Cidr(text);
            if (parsed.ok && prefixes.cidrs.some((p) => cidrOverlaps(p, parsed.cidr))) {
              if (sibling.maybe) {
                // A subnet that may not exist (an unknown count): the overlap may not either.
                unknown = new Unknown(`whether ${sibling.address} (${text}) exists: ${sibling.maybe.reason}`);
              } else if (sibling.deleted !== undefined) {
                // Terraform orders a deletion only before what depended on the deleted resource (and a replacement's
                // create), not before another subnet's create or change: the two may run in either order, and Azure
                // refuses a prefix that overlaps a subnet it still holds.
                const mine = prefixes.cidrs.filter((p) => cidrOverlaps(p, parsed.cidr)).map((p) => p.text).join(', ');
                unknown = new Unknown(`whether ${sibling.address} (${text}) is gone before this subnet takes ${mine}: Terraform does not order that deletion before this subnet's creation or change, and Azure refuses a subnet that overlaps one it holds`,
                  undefined, `delete "${sibling.deleted}" in one apply and give this subnet its prefix in the next, or take a prefix "${sibling.deleted}" does not use (Azure does not delete a subnet an APIM instance is still in)`);
              } else {
                overlaps.push(`${sibling.address} (${text})`);
              }
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
  defineRule({
    id: 'APIM-SUBNET-MIXED', level: ERROR, area: 'subnet', source: SOURCES.azurermVirtualNetwork,
    title: 'the subnet\'s virtual network has no inline subnet blocks beside azurerm_subnet',
    why: 'The provider writes the network\'s subnets as its inline list says on every apply, overwriting or removing the subnets of azurerm_subnet',
    fix: 'remove the virtual network\'s subnet blocks (and subnet = []) and write each subnet as azurerm_subnet, or write every subnet inline',
    check(t, r) {
      unknownSubnets(t, r);
      for (const target of t.subnets) {
        const subnet = target.subnet;
        const subject = subjectOf(subnet);
        if (subnet.type !== 'azurerm_subnet') {
          r.notApplicable(subject, `${subnet.type} is not an azurerm_subnet`);
          continue;
        }
        const vnet = t.model.virtualNetworkOf(subnet);
        if (vnet === undefined || (isUnknown(vnet) && vnet.reason.includes('not in this stack'))) {
          r.notApplicable(subject, 'the virtual network is not in this configuration');
          continue;
        }
        if (isUnknown(vnet)) {
          // Any network of the configuration that writes inline subnets may be this one.
          const writing = subnet.model.ofType('azurerm_virtual_network').filter((network) => writtenBlocks(network, 'subnet') !== 'unset');
          if (writing.length > 0) {
            r.unknown(subject, `whether the subnet's virtual network is ${writing.map((network) => network.address).join(', ')}, which may write inline subnet blocks: ${vnet.reason}`);
          } else {
            r.pass(subject);
          }
          continue;
        }
        const inline = writtenBlocks(vnet, 'subnet');
        if (isUnknown(inline)) {
          r.unknown(subject, `whether ${vnet.address} writes inline subnet blocks beside ${subnet.address}: ${inline.reason}`);
          continue;
        }
        if (inline === 'unset') {
          r.pass(subject);
          continue;
        }
        const name = t.model.str(subnet.config.name);
        const same = (block: Record<string, Value>) => {
          const other = t.model.str(block.name);
          return typeof name === 'string' && typeof other === 'string' && other.trim().toLowerCase() === name.trim().toLowerCase();
        };
        const names = inline.map((block) => `"${String(t.model.str(block.name) ?? '?')}"`);
        const itself = inline.findIndex(same);
        r.fail(subject, inline.length === 0
          ? `${vnet.address} sets subnet = [] beside ${subnet.address}: the provider removes from the network every subnet the list does not name, this one included (or fails while APIM uses it)`
          : `${vnet.address} writes the inline subnet blocks ${names.join(', ')} beside ${subnet.address}: the provider writes the network's subnets as the blocks say on every apply, overwriting or removing those of azurerm_subnet` +
            (itself < 0 ? '' : `; ${names[itself]} is this subnet (names in a network are unique, in any case), so each apply of ${vnet.address} ${inlineNsg(inline[itself])}`));
      }
    },
  }),
];
