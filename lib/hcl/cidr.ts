/**
 * The IP arithmetic of Terraform's `cidrsubnet`, `cidrsubnets`, `cidrhost` and `cidrnetmask`, for IPv4 and IPv6, on
 * BigInt so every result is exact. Follows Terraform's semantics: host bits of the given prefix are ignored (the
 * network is masked), `cidrhost` counts negative host numbers from the end, and `cidrsubnets` aligns each block after
 * the previous one.
 */
import { EvalError } from './value';

/** A parsed network. */
export interface Network {
  /** 32 or 128. */
  readonly bits: number;
  /** The network address (host bits cleared). */
  readonly address: bigint;
  readonly prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)) {
    return undefined;
  }
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || text.split('::').length > 2) {
    return undefined;
  }
  let tail = text;
  let v4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) {
      return undefined;
    }
    tail = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = tail.includes('::') ? tail.split('::') : [tail, undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = rest === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - restGroups.length).fill('0'), ...restGroups];
  if (groups.length !== 8 || (rest !== undefined && headGroups.length + restGroups.length > 7) || !groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) {
    return undefined;
  }
  let value = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (v4 !== undefined) {
    value = (value >> 32n << 32n) | v4;
  }
  return value;
}

/** Parse `a.b.c.d/n` or an IPv6 prefix; the address is masked to the prefix, as Terraform does. */
export function parseNetwork(text: string): Network {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? '' : text.slice(slash + 1);
  const v4 = parseIpv4(addressText);
  const bits = v4 !== undefined ? 32 : 128;
  const address = v4 ?? parseIpv6(addressText);
  if (address === undefined || !/^(0|[1-9][0-9]*)$/.test(prefixText) || Number(prefixText) > bits) {
    throw new EvalError(`invalid CIDR address ${JSON.stringify(text)}`);
  }
  const prefix = Number(prefixText);
  return { bits, address: address & mask(bits, prefix), prefix };
}

function mask(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

/** Format an address as Go's net package does (dotted quad; RFC 5952 for IPv6). */
export function formatAddress(bits: number, address: bigint): string {
  if (bits === 32) {
    return [24n, 16n, 8n, 0n].map((s) => String((address >> s) & 255n)).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) {
    groups.push(Number((address >> BigInt(i * 16)) & 0xffffn));
  }
  // The longest run of two or more zero groups (the first one on a tie) becomes "::".
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) {
      j++;
    }
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) {
    return hex.join(':');
  }
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function formatNetwork(bits: number, address: bigint, prefix: number): string {
  return `${formatAddress(bits, address)}/${prefix}`;
}

/** `cidrsubnet(prefix, newbits, netnum)` */
export function cidrsubnet(prefix: string, newbits: number, netnum: number): string {
  const network = parseNetwork(prefix);
  if (!Number.isInteger(newbits) || newbits < 0) {
    throw new EvalError(`newbits must be a whole number of zero or more, not ${newbits}`);
  }
  const length = network.prefix + newbits;
  if (length > network.bits) {
    throw new EvalError(`insufficient address space to extend prefix of ${network.prefix} by ${newbits}`);
  }
  if (!Number.isInteger(netnum) || netnum < 0 || BigInt(netnum) >= 1n << BigInt(newbits)) {
    throw new EvalError(`prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}`);
  }
  const address = network.address | (BigInt(netnum) << BigInt(network.bits - length));
  return formatNetwork(network.bits, address, length);
}

/** `cidrhost(prefix, hostnum)`; a negative host number counts from the end of the range. */
export function cidrhost(prefix: string, hostnum: number): string {
  const network = parseNetwork(prefix);
  if (!Number.isInteger(hostnum)) {
    throw new EvalError(`hostnum must be a whole number, not ${hostnum}`);
  }
  const size = 1n << BigInt(network.bits - network.prefix);
  const host = hostnum < 0 ? size + BigInt(hostnum) : BigInt(hostnum);
  if (host < 0n || host >= size) {
    throw new EvalError(`prefix of ${network.prefix} does not accommodate a host numbered ${hostnum}`);
  }
  return formatAddress(network.bits, network.address + host);
}

/** `cidrnetmask(prefix)` (IPv4 only). */
export function cidrnetmask(prefix: string): string {
  const network = parseNetwork(prefix);
  if (network.bits !== 32) {
    throw new EvalError('cidrnetmask only works with IPv4 prefixes');
  }
  return formatAddress(32, mask(32, network.prefix));
}

/** `cidrsubnets(prefix, newbits...)`: consecutive blocks, each aligned to its own size, as Terraform allocates them. */
export function cidrsubnets(prefix: string, newbits: readonly number[]): string[] {
  const network = parseNetwork(prefix);
  if (newbits.length === 0) {
    return [];
  }
  const size = (length: number) => 1n << BigInt(network.bits - length);
  const end = network.address + size(network.prefix);
  const out: string[] = [];
  // The block "before" the first one; each next block starts after the block of the new size that holds the last
  // address of the previous block.
  let lastOfCurrent = network.address - 1n;
  for (const bits of newbits) {
    if (!Number.isInteger(bits) || bits < 1) {
      throw new EvalError(`each newbits of cidrsubnets must be a whole number of 1 or more, not ${bits}`);
    }
    const length = network.prefix + bits;
    if (length > network.bits) {
      throw new EvalError(`insufficient address space to extend prefix of ${network.prefix} by ${bits}`);
    }
    const blockSize = size(length);
    const start = lastOfCurrent < 0n ? 0n : (lastOfCurrent / blockSize) * blockSize + blockSize;
    if (start < network.address || start + blockSize > end) {
      throw new EvalError(`not enough remaining address space in ${prefix} for a subnet with a prefix of ${length} bits`);
    }
    out.push(formatNetwork(network.bits, start, length));
    lastOfCurrent = start + blockSize - 1n;
  }
  return out;
}
