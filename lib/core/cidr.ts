/**
 * IPv4 address and CIDR arithmetic. Pure: no cdktf, no I/O.
 *
 * Addresses are unsigned 32-bit integers held in JavaScript numbers (0 .. 2^32-1), so every operation stays exact.
 */

/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
  /** The text as given. */
  readonly text: string;
  /** First address of the block (host bits cleared). */
  readonly network: number;
  /** Prefix length, 0-32. */
  readonly prefixLength: number;
  /** Number of addresses in the block (2^(32-prefixLength)). */
  readonly size: number;
  /** Last address of the block. */
  readonly last: number;
}

/** Why a text is not an acceptable IPv4 CIDR. */
export type CidrProblemKind = 'empty' | 'ipv6' | 'malformed' | 'host-bits';

/** Outcome of parsing a CIDR. */
export type CidrParseResult =
  | { readonly ok: true; readonly cidr: Ipv4Cidr }
  | { readonly ok: false; readonly kind: CidrProblemKind; readonly reason: string; readonly suggestion?: string };

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/**
 * Parse a dotted-quad IPv4 address. Leading zeros are refused (`010.0.0.1` is octal in some tools, decimal in others).
 *
 * @returns the address as an unsigned integer, or undefined when the text is not an IPv4 address.
 */
export function parseIpv4Address(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) {
    return undefined;
  }
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) {
      return undefined;
    }
    const octet = Number(part);
    if (octet > 255) {
      return undefined;
    }
    value = value * 256 + octet;
  }
  return value;
}

/** Render an unsigned 32-bit integer as a dotted quad. */
export function formatIpv4Address(value: number): string {
  const octet = (shift: number) => Math.floor(value / 2 ** shift) % 256;
  return `${octet(24)}.${octet(16)}.${octet(8)}.${octet(0)}`;
}

/** Number of addresses in a block of the given prefix length. */
export function blockSize(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}

function makeCidr(text: string, network: number, prefixLength: number): Ipv4Cidr {
  const size = blockSize(prefixLength);
  return { text, network, prefixLength, size, last: network + size - 1 };
}

/** Build a CIDR from a network address and a prefix length (host bits are cleared). */
export function cidrOf(address: number, prefixLength: number): Ipv4Cidr {
  const size = blockSize(prefixLength);
  const network = Math.floor(address / size) * size;
  return makeCidr(`${formatIpv4Address(network)}/${prefixLength}`, network, prefixLength);
}

/** Whether the text looks like an IPv6 address or prefix (it has a colon). */
export function looksLikeIpv6(text: string): boolean {
  return text.includes(':');
}

/**
 * Parse an IPv4 CIDR such as `10.0.1.0/27`, strictly: the prefix length is required and host bits must be zero
 * (Azure refuses `10.0.1.5/27` with InvalidCIDRNotation).
 */
export function parseIpv4Cidr(text: string): CidrParseResult {
  if (typeof text !== 'string' || text.trim() === '') {
    return { ok: false, kind: 'empty', reason: 'it is empty' };
  }
  if (text !== text.trim()) {
    return { ok: false, kind: 'malformed', reason: 'it has leading or trailing whitespace', suggestion: text.trim() };
  }
  if (looksLikeIpv6(text)) {
    return { ok: false, kind: 'ipv6', reason: 'it is an IPv6 prefix; APIM classic tiers inject into IPv4 subnets only' };
  }
  const slash = text.indexOf('/');
  if (slash < 0) {
    const address = parseIpv4Address(text);
    return address === undefined
      ? { ok: false, kind: 'malformed', reason: 'it has no prefix length, and is not an IPv4 address either (four numbers 0-255, without leading zeros)' }
      : { ok: false, kind: 'malformed', reason: 'the prefix length is missing', suggestion: `${text}/32` };
  }
  const addressText = text.slice(0, slash);
  const lengthText = text.slice(slash + 1);
  const address = parseIpv4Address(addressText);
  if (address === undefined) {
    return { ok: false, kind: 'malformed', reason: `"${addressText}" is not an IPv4 address (four numbers 0-255)` };
  }
  if (!/^(0|[1-9][0-9]?)$/.test(lengthText) || Number(lengthText) > 32) {
    return { ok: false, kind: 'malformed', reason: `prefix length "${lengthText}" is not a number from 0 to 32` };
  }
  const prefixLength = Number(lengthText);
  // Host bits set: the address is not the start of its block (the CIDR text is only built for the message).
  if (address % blockSize(prefixLength) !== 0) {
    const cidr = cidrOf(address, prefixLength);
    return {
      ok: false,
      kind: 'host-bits',
      reason: `host bits are set (the block starts at ${formatIpv4Address(cidr.network)})`,
      suggestion: cidr.text,
    };
  }
  return { ok: true, cidr: makeCidr(text, address, prefixLength) };
}

/** Parse a CIDR, or a bare address as a /32, leniently (host bits allowed): for reading existing NSG rules. */
export function parseIpv4CidrLenient(text: string): Ipv4Cidr | undefined {
  const slash = text.indexOf('/');
  const address = parseIpv4Address(slash < 0 ? text : text.slice(0, slash));
  if (address === undefined) {
    return undefined;
  }
  const lengthText = slash < 0 ? '32' : text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]?)$/.test(lengthText) || Number(lengthText) > 32) {
    return undefined;
  }
  return cidrOf(address, Number(lengthText));
}

/** Whether `outer` contains every address of `inner`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return outer.network <= inner.network && inner.last <= outer.last;
}

/** Whether two blocks share at least one address. */
export function cidrOverlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.network <= b.last && b.network <= a.last;
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map(
  (text) => (parseIpv4Cidr(text) as { cidr: Ipv4Cidr }).cidr,
);

/** Whether every address of the block is private (RFC 1918 or shared address space, RFC 6598). */
export function isPrivateCidr(cidr: Ipv4Cidr): boolean {
  return PRIVATE_RANGES.some((range) => cidrContains(range, cidr));
}
