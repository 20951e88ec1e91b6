/**
 * The syntax of what a user writes in NSG rules and address lists: address prefixes (an IPv4 CIDR without host bits,
 * an IPv4 address, an IPv6 prefix, a service tag, `*`), port ranges, and the address ranges Azure refuses in a virtual
 * network's address space. One place, so rules, client lists and address spaces are judged alike. Pure: no cdktf.
 */
import { Ipv4Cidr, cidrOf, cidrOverlaps, parseIpv4Address, parseIpv4Cidr } from './cidr';
import { IntervalSet } from './interval-set';
import { SERVICE_TAG_SHAPE, checkServiceTag } from './service-tags';

/** One address prefix, read. */
export type AddressPrefix =
  | { readonly ok: true; readonly kind: 'any' }
  /** An IPv4 CIDR, or an address (`cidr` is then its /32). */
  | { readonly ok: true; readonly kind: 'cidr' | 'address'; readonly cidr: Ipv4Cidr }
  | { readonly ok: true; readonly kind: 'ipv6' }
  /** A service tag; `note` when it is not one this library knows (accepted with a warning). */
  | { readonly ok: true; readonly kind: 'tag'; readonly note?: string }
  | { readonly ok: false; readonly kind: 'invalid'; readonly problem: string; readonly suggestion?: string };

/** Read an address prefix as Azure takes it in an NSG rule (`*`, a tag, an IPv4 or IPv6 address or prefix). */
export function parseAddressPrefix(text: string): AddressPrefix {
  if (text === '') {
    return { ok: false, kind: 'invalid', problem: 'it is empty' };
  }
  if (/\s/.test(text)) {
    const trimmed = text.replace(/\s+/g, '');
    return { ok: false, kind: 'invalid', problem: 'it contains whitespace, which Azure refuses', suggestion: trimmed === '' ? undefined : `did you mean "${trimmed}"?` };
  }
  if (text === '*') {
    return { ok: true, kind: 'any' };
  }
  if (/^any$/i.test(text) || text === '0.0.0.0') {
    return { ok: false, kind: 'invalid', problem: 'Azure writes "any address" as "*"', suggestion: 'did you mean "*"?' };
  }
  if (text.includes(':')) {
    return parseIpv6(text);
  }
  if (/^[0-9./]+$/.test(text)) {
    return parseIpv4(text);
  }
  if (SERVICE_TAG_SHAPE.test(text)) {
    const tag = checkServiceTag(text);
    if (!tag.ok) {
      return { ok: false, kind: 'invalid', problem: tag.problem, suggestion: tag.suggestion };
    }
    return tag.known ? { ok: true, kind: 'tag' } : { ok: true, kind: 'tag', note: tag.note };
  }
  return { ok: false, kind: 'invalid', problem: 'it is not an IPv4 or IPv6 address or prefix, a service tag or "*"' };
}

function parseIpv4(text: string): AddressPrefix {
  if (!text.includes('/')) {
    const address = parseIpv4Address(text);
    return address === undefined
      ? { ok: false, kind: 'invalid', problem: 'it is not an IPv4 address (four numbers 0-255, without leading zeros)' }
      : { ok: true, kind: 'address', cidr: cidrOf(address, 32) };
  }
  const parsed = parseIpv4Cidr(text);
  if (parsed.ok) {
    return { ok: true, kind: 'cidr', cidr: parsed.cidr };
  }
  if (parsed.kind === 'host-bits') {
    return { ok: false, kind: 'invalid', problem: `${parsed.reason}; Azure refuses it`, suggestion: `did you mean "${parsed.suggestion}"?` };
  }
  return { ok: false, kind: 'invalid', problem: `it is not an IPv4 CIDR: ${parsed.reason}`, suggestion: parsed.suggestion ? `did you mean "${parsed.suggestion}"?` : undefined };
}

function parseIpv6(text: string): AddressPrefix {
  const [address, length, extra] = text.split('/');
  const groups = address.split('::');
  const valid = extra === undefined && groups.length <= 2 && !address.includes(':::') && /^[0-9a-fA-F:]+$/.test(address) &&
    address.split(':').every((g) => g.length <= 4) && (length === undefined || (/^(0|[1-9][0-9]{0,2})$/.test(length) && Number(length) <= 128));
  return valid ? { ok: true, kind: 'ipv6' } : { ok: false, kind: 'invalid', problem: 'it is not an IPv6 address or prefix' };
}

/** One port text, read: `*`, a port (`443`) or a range (`8000-8080`), 0-65535, without whitespace or leading zeros. */
export function parsePortText(text: string): { ok: true; range: readonly [number, number] } | { ok: false; problem: string; suggestion?: string } {
  if (text === '*') {
    return { ok: true, range: [0, 65535] };
  }
  if (/\s/.test(text)) {
    const trimmed = text.replace(/\s+/g, '');
    return { ok: false, problem: 'it contains whitespace, which Azure refuses', suggestion: trimmed === '' ? undefined : `did you mean "${trimmed}"?` };
  }
  const match = /^([0-9]+)(?:-([0-9]+))?$/.exec(text);
  if (!match) {
    return { ok: false, problem: 'it is not a port, a range or "*"' };
  }
  const [low, high] = [match[1], match[2] ?? match[1]].map(Number);
  if ([match[1], match[2]].some((part) => part !== undefined && /^0[0-9]/.test(part))) {
    const fixed = match[2] === undefined ? `${low}` : `${low}-${high}`;
    return { ok: false, problem: 'it has leading zeros', suggestion: `did you mean "${fixed}"?` };
  }
  if (high > 65535) {
    return { ok: false, problem: `${high} is above 65535, the largest port` };
  }
  if (low > high) {
    return { ok: false, problem: `the range runs backwards (${low} > ${high})`, suggestion: `did you mean "${high}-${low}"?` };
  }
  return { ok: true, range: [low, high] };
}

/**
 * Address ranges Azure refuses in a virtual network's address space: multicast, broadcast, loopback, link-local,
 * Azure's own DNS and health probe address, and "this network".
 *
 * @see https://learn.microsoft.com/azure/virtual-network/virtual-networks-faq#what-address-ranges-can-i-use-in-my-virtual-networks
 */
export const RESERVED_FOR_AZURE: ReadonlyArray<{ readonly cidr: Ipv4Cidr; readonly what: string }> = [
  ['224.0.0.0/4', 'multicast'], ['255.255.255.255/32', 'broadcast'], ['127.0.0.0/8', 'loopback'], ['169.254.0.0/16', 'link-local'],
  ['168.63.129.16/32', 'the Azure DNS and health probe address'], ['0.0.0.0/8', '"this network"'],
].map(([text, what]) => ({ cidr: (parseIpv4Cidr(text) as { cidr: Ipv4Cidr }).cidr, what }));

/** The reserved ranges a CIDR overlaps (empty when it may be used in an address space). */
export function reservedOverlaps(cidr: Ipv4Cidr): Array<{ readonly cidr: Ipv4Cidr; readonly what: string }> {
  return RESERVED_FOR_AZURE.filter((reserved) => cidrOverlaps(reserved.cidr, cidr));
}

/** Whether a set of IPv4 ranges holds every IPv4 address (`0.0.0.0/1` + `128.0.0.0/1` is `0.0.0.0/0`). */
export function coversEveryAddress(cidrs: readonly Ipv4Cidr[]): boolean {
  return IntervalSet.union(cidrs.map((c) => [c.network, c.last] as [number, number])).containsAll(IntervalSet.of(0, 2 ** 32 - 1));
}
