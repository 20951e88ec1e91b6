/**
 * Checks of network props shared by several constructs (subnet prefix and sizing, capacity, zones, DNS labels).
 */
import { reservedOverlaps } from '../../core/address-prefix';
import { Ipv4Cidr, parseIpv4Cidr } from '../../core/cidr';
import { DNS_LABEL_RULES, dnsLabelProblem } from '../../core/dns-label';
import { ApimNetworkErrorCode } from '../../core/errors';
import {
  DEVELOPER_CAPACITY, LONGEST_SUBNET_PREFIX, MAX_PREMIUM_CAPACITY, maxCapacityFor, requiredAddresses, smallestPrefixFor, usableAddresses,
} from '../../core/sizing';
import { ApimSku, ApimVirtualNetworkType } from '../../core/types';
import { Need, PropChecker } from './props';

/** Why a prefix must be a literal. */
export const PREFIX_NEED = 'the prefix is checked at synth time: its size against the SKU and capacity, its place in the address space';

/** Check an IPv4 CIDR prop (any size). */
export function checkCidr(check: PropChecker, prop: string, value: unknown, need: Need = PREFIX_NEED): Ipv4Cidr | undefined {
  const text = check.string(prop, value, { required: true, need });
  if (text === undefined) {
    return undefined;
  }
  const parsed = parseIpv4Cidr(text);
  if (parsed.ok) {
    return parsed.cidr;
  }
  switch (parsed.kind) {
    case 'ipv6':
      check.add(ApimNetworkErrorCode.IPV6_NOT_SUPPORTED, prop, text, parsed.reason, 'give an IPv4 CIDR such as "10.0.1.0/27"');
      break;
    case 'host-bits':
      check.add(ApimNetworkErrorCode.CIDR_HOST_BITS, prop, text, `${parsed.reason}; Azure rejects it (InvalidCIDRNotation)`,
        `did you mean "${parsed.suggestion}"?`);
      break;
    default:
      check.add(ApimNetworkErrorCode.INVALID_CIDR, prop, text, `it is not an IPv4 CIDR: ${parsed.reason}`,
        parsed.suggestion ? `did you mean "${parsed.suggestion}"?` : 'give an IPv4 CIDR such as "10.0.1.0/27"');
  }
  return undefined;
}

/** Why the capacity must be a literal. */
const CAPACITY_NEED = 'the capacity sizes the subnet and is checked against the zones at synth time';

/** Check the capacity for the SKU: Premium 1-31, Developer exactly 1. */
export function checkCapacity(check: PropChecker, prop: string, value: unknown, sku: ApimSku): number | undefined {
  if (sku === ApimSku.DEVELOPER) {
    return check.integer(prop, value, {
      min: DEVELOPER_CAPACITY, max: DEVELOPER_CAPACITY, default: DEVELOPER_CAPACITY, code: ApimNetworkErrorCode.CAPACITY_OUT_OF_RANGE,
      need: CAPACITY_NEED, range: '1', outside: 'the Developer tier has exactly one unit', hint: `use capacity 1, or ApimSku.PREMIUM to scale out (1-${MAX_PREMIUM_CAPACITY} units)`,
    });
  }
  return check.integer(prop, value, {
    min: 1, max: MAX_PREMIUM_CAPACITY, default: 1, code: ApimNetworkErrorCode.CAPACITY_OUT_OF_RANGE, need: CAPACITY_NEED,
    range: `from 1 to ${MAX_PREMIUM_CAPACITY}`, outside: `it is outside 1-${MAX_PREMIUM_CAPACITY}, the Premium units one location can have`,
    hint: `give a whole number of Premium units from 1 to ${MAX_PREMIUM_CAPACITY}`,
  });
}

/** Check that a subnet prefix is /29 or larger and holds the addresses the SKU, capacity and mode need. */
export function checkSubnetPrefix(check: PropChecker, prop: string, value: unknown, sizing?: {
  sku: ApimSku; capacity: number; mode: ApimVirtualNetworkType;
}): Ipv4Cidr | undefined {
  const cidr = checkCidr(check, prop, value);
  if (!cidr) {
    return undefined;
  }
  if (cidr.prefixLength < 2) {
    check.add(ApimNetworkErrorCode.SUBNET_TOO_LARGE, prop, cidr.text, `a /${cidr.prefixLength} is larger than the largest subnet Azure accepts (/2)`,
      'give the APIM subnet its own small prefix, such as a /27');
    return undefined;
  }
  if (cidr.prefixLength > LONGEST_SUBNET_PREFIX) {
    check.add(ApimNetworkErrorCode.SUBNET_TOO_SMALL, prop, cidr.text, `a /${cidr.prefixLength} is smaller than APIM's minimum /29`,
      `use a /${LONGEST_SUBNET_PREFIX} or larger prefix${sizing ? ` (this SKU, capacity and mode need /${smallestPrefixFor(sizing.sku, sizing.capacity, sizing.mode)} or larger)` : ''}`);
    return undefined;
  }
  const reserved = reservedOverlaps(cidr);
  if (reserved.length > 0) {
    check.add(ApimNetworkErrorCode.INVALID_CIDR, prop, cidr.text,
      `it overlaps ${reserved.map((r) => `${r.cidr.text} (${r.what})`).join(', ')}, which Azure reserves and refuses in a virtual network`,
      'give a prefix inside a private range such as 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16');
    return undefined;
  }
  if (sizing) {
    const needed = requiredAddresses(sizing.sku, sizing.capacity, sizing.mode);
    const usable = usableAddresses(cidr.prefixLength);
    if (needed > usable) {
      const fits = maxCapacityFor(cidr.prefixLength, sizing.sku, sizing.mode);
      check.add(ApimNetworkErrorCode.SUBNET_TOO_SMALL_FOR_CAPACITY, prop, cidr.text,
        `${sizing.sku} with capacity ${sizing.capacity} in ${sizing.mode} mode needs ${needed} addresses, a /${cidr.prefixLength} has ${usable} usable (after Azure's 5 reserved)`,
        `use a /${smallestPrefixFor(sizing.sku, sizing.capacity, sizing.mode)} or larger prefix, or at most capacity ${fits}`);
      return undefined;
    }
  }
  return cidr;
}

/** Check an availability-zone list: each "1", "2" or "3", once. */
export function checkZones(check: PropChecker, prop: string, value: unknown, need: Need): string[] | undefined {
  const zones = check.stringList(prop, value, { need });
  if (!zones) {
    return undefined;
  }
  const seen = new Set<string>();
  let ok = true;
  zones.forEach((zone, index) => {
    if (!['1', '2', '3'].includes(zone)) {
      check.add(ApimNetworkErrorCode.INVALID_ZONE, `${prop}[${index}]`, zone, 'it is not an availability zone',
        'give "1", "2" or "3" (not "Zone-redundant": list the zones)');
      ok = false;
    } else if (seen.has(zone)) {
      check.add(ApimNetworkErrorCode.INVALID_ZONE, `${prop}[${index}]`, zone, 'it is listed twice', 'list each zone once');
      ok = false;
    }
    seen.add(zone);
  });
  return ok ? [...zones].sort() : undefined;
}

/** Check a DNS name label; `derivedFrom` names the prop it was derived from (`apiManagementName "a"`). */
export function checkDnsLabel(check: PropChecker, prop: string, label: string, derivedFrom?: string): boolean {
  const problem = dnsLabelProblem(label);
  if (problem) {
    check.add(ApimNetworkErrorCode.INVALID_DNS_LABEL, prop, label,
      derivedFrom ? `the label derived from ${derivedFrom} is not a valid DNS label: ${problem}` : problem,
      `${derivedFrom ? 'give domainNameLabel explicitly: ' : ''}${DNS_LABEL_RULES}`);
    return false;
  }
  return true;
}
