/**
 * Checks of network props shared by several constructs (subnet prefix and sizing, capacity, zones, DNS labels).
 */
import { Ipv4Cidr, cidrOverlaps, parseIpv4Cidr } from '../../core/cidr';
import { DNS_LABEL_RULES, dnsLabelProblem } from '../../core/dns-label';
import { ApimNetworkErrorCode } from '../../core/errors';
import {
  LONGEST_SUBNET_PREFIX, MAX_PREMIUM_CAPACITY, maxCapacityFor, requiredAddresses, smallestPrefixFor, usableAddresses,
} from '../../core/sizing';
import { ApimSku, ApimVirtualNetworkType } from '../../core/types';
import { PropChecker } from './props';

/** Check an IPv4 CIDR prop (any size). */
export function checkCidr(check: PropChecker, prop: string, value: unknown): Ipv4Cidr | undefined {
  const text = check.string(prop, value, { required: true });
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

/** Check an address space: a non-empty list of IPv4 CIDRs that do not overlap each other. */
export function checkAddressSpace(check: PropChecker, prop: string, value: unknown): Ipv4Cidr[] | undefined {
  const list = check.stringList(prop, value, { nonEmpty: true });
  if (!list) {
    return undefined;
  }
  const parsed = list.map((text, i) => checkCidr(check, `${prop}[${i}]`, text));
  if (!parsed.every((c) => c !== undefined)) {
    return undefined;
  }
  const space = parsed as Ipv4Cidr[];
  space.forEach((a, i) => space.slice(i + 1).forEach((b) => {
    if (cidrOverlaps(a, b)) {
      check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, prop, list, `${a.text} and ${b.text} overlap`, 'give address ranges that do not overlap');
    }
  }));
  return space;
}

/** Check the capacity for the SKU: Premium 1-31, Developer exactly 1. */
export function checkCapacity(check: PropChecker, prop: string, value: unknown, sku: ApimSku): number | undefined {
  if (sku === ApimSku.DEVELOPER) {
    const capacity = check.integer(prop, value, { min: 0, max: Number.MAX_SAFE_INTEGER, default: 1 });
    if (capacity !== undefined && capacity !== 1) {
      check.add(ApimNetworkErrorCode.CAPACITY_OUT_OF_RANGE, prop, capacity, 'the Developer tier has exactly one unit',
        'use capacity 1, or ApimSku.PREMIUM to scale out');
      return undefined;
    }
    return capacity;
  }
  return check.integer(prop, value, {
    min: 1, max: MAX_PREMIUM_CAPACITY, default: 1, code: ApimNetworkErrorCode.CAPACITY_OUT_OF_RANGE,
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
export function checkZones(check: PropChecker, prop: string, value: unknown): string[] | undefined {
  const zones = check.stringList(prop, value);
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

/** Check a DNS name label. */
export function checkDnsLabel(check: PropChecker, prop: string, label: string, derivedFrom?: string): boolean {
  const problem = dnsLabelProblem(label);
  if (problem) {
    check.add(ApimNetworkErrorCode.INVALID_DNS_LABEL, prop, label,
      `${derivedFrom ? `the label derived from ${derivedFrom} ` : ''}${problem}`,
      `${derivedFrom ? 'give domainNameLabel explicitly: ' : ''}${DNS_LABEL_RULES}`);
    return false;
  }
  return true;
}
