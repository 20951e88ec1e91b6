/**
 * Checks of the address prefixes and ports users write: NSG rule fields, the gateway's client list and address
 * spaces. Every one reads its text with `lib/core/address-prefix.ts`, so the same text gets the same verdict wherever
 * it is written.
 */
import { Ipv4Cidr } from '../../core/cidr';
import { AddressPrefix, coversEveryAddress, parseAddressPrefix, parsePortText, reservedOverlaps } from '../../core/address-prefix';
import { ApimNetworkErrorCode } from '../../core/errors';
import { NOT_CLIENT_TAGS } from '../../core/service-tags';
import { ApimVirtualNetworkType } from '../../core/types';
import { checkCidr } from './network-props';
import { Need, PropChecker, isReference } from './props';

/** Why a rule field must be a literal. */
export const RULE_NEED = 'the rule is evaluated at synth time against the flows APIM needs, so that a rule that would block or expose them is refused';

/** Report an address prefix that does not read; warn about a tag this library does not know. */
function judged(check: PropChecker, prop: string, text: string, read: AddressPrefix, code = ApimNetworkErrorCode.NSG_RULE_INVALID,
  accepted = 'give "*", a service tag such as "VirtualNetwork", an IPv4 CIDR such as "10.0.0.0/16" or an IP address'): boolean {
  if (!read.ok) {
    check.add(code, prop, text, read.problem, read.suggestion ?? accepted);
    return false;
  }
  if (read.kind === 'tag' && read.note) {
    check.warn(prop, text, read.note);
  }
  return true;
}

/**
 * One address prefix of a rule (`sourceAddressPrefix`, `destinationAddressPrefix`): `*`, a service tag, an IPv4 CIDR
 * or address, or an IPv6 prefix. A token passes only with `allowToken`.
 */
export function checkRulePrefix(check: PropChecker, prop: string, value: unknown, options: { allowToken: boolean; need: Need }): string | undefined {
  const text = options.allowToken ? check.string(prop, value, { required: true, allowToken: true }) : check.string(prop, value, { required: true, need: options.need });
  if (text === undefined || isReference(text)) {
    return text;
  }
  return judged(check, prop, text, parseAddressPrefix(text)) ? text : undefined;
}

/**
 * A list of addresses of a rule (`sourceAddressPrefixes`, `destinationAddressPrefixes`): IPv4 CIDRs and addresses or
 * IPv6 prefixes, each once; no service tag and no `*` (Azure takes those only in the singular field). A token list
 * passes only with `allowToken`.
 */
export function checkRulePrefixList(check: PropChecker, prop: string, value: unknown, options: { side: string; allowToken: boolean; need: Need }): string[] | undefined {
  const list = options.allowToken ? check.stringList(prop, value, { nonEmpty: true, allowToken: true })
    : check.stringList(prop, value, { nonEmpty: true, need: options.need });
  if (!list || isReference(list)) {
    return list;
  }
  const before = check.problems.length;
  const tags: string[] = [];
  const seen = new Map<string, number>();
  list.forEach((text, index) => {
    const at = `${prop}[${index}]`;
    if (isReference(text)) {
      return;
    }
    const read = parseAddressPrefix(text);
    if (read.ok && (read.kind === 'tag' || read.kind === 'any')) {
      tags.push(text);
      return;
    }
    if (!judged(check, at, text, read, ApimNetworkErrorCode.NSG_RULE_INVALID, 'give IPv4 CIDRs such as "10.0.0.0/16" or IP addresses')) {
      return;
    }
    const key = read.ok && (read.kind === 'cidr' || read.kind === 'address') ? read.cidr.text : text.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, at, text, `it is listed twice (also as ${prop}[${first}]); Azure refuses duplicate prefixes`, 'list each prefix once');
    } else {
      seen.set(key, index);
    }
  });
  if (tags.length > 0) {
    check.add(ApimNetworkErrorCode.NSG_TAG_IN_LIST, prop, list,
      `it holds ${tags.map((t) => `"${t}"`).join(', ')}, which Azure accepts only in the singular field`,
      `put a service tag or "*" in ${options.side}AddressPrefix (one per rule); keep CIDRs and IP addresses in the list`);
  }
  return check.problems.length > before ? undefined : list;
}

/** One port or range (`destinationPortRange`, `sourcePortRange`): `*`, `443` or `8000-8080`. */
export function checkPort(check: PropChecker, prop: string, value: unknown, need: Need): string | undefined {
  const text = check.string(prop, value, { required: true, need });
  if (text === undefined) {
    return undefined;
  }
  const read = parsePortText(text);
  if (!read.ok) {
    check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, prop, text, read.problem, read.suggestion ?? 'give "*", a port 0-65535 such as "443" or a range such as "8000-8080"');
    return undefined;
  }
  return text;
}

/** A list of ports and ranges (`destinationPortRanges`): each once, no `*` (give `*` alone in the singular field). */
export function checkPortList(check: PropChecker, prop: string, value: unknown, need: Need): string[] | undefined {
  const list = check.stringList(prop, value, { nonEmpty: true, need });
  if (!list) {
    return undefined;
  }
  const before = check.problems.length;
  const seen = new Map<string, number>();
  list.forEach((text, index) => {
    const at = `${prop}[${index}]`;
    if (text === '*') {
      check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, at, text, '"*" is every port; Azure takes it only on its own, in the singular field',
        'give destinationPortRange "*" instead of the list, or list ports and ranges only');
      return;
    }
    const read = parsePortText(text);
    if (!read.ok) {
      check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, at, text, read.problem, read.suggestion ?? 'give ports 0-65535 such as "443" or ranges such as "8000-8080"');
      return;
    }
    const key = read.range.join('-');
    const first = seen.get(key);
    if (first !== undefined) {
      check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, at, text, `it is listed twice (also as ${prop}[${first}]); Azure refuses duplicate ports`, 'list each port or range once');
    } else {
      seen.set(key, index);
    }
  });
  return check.problems.length > before ? undefined : list;
}


/** Why the client list must be a literal. */
const CLIENT_NEED = 'the clients decide the source of the NSG\'s client allows, which are checked at synth time against the platform\'s own flows';

/**
 * The clients of the gateway (`clientAddressPrefixes`): one service tag, or IPv4 CIDRs and addresses (Azure takes tags
 * in the singular field only). Refused: anything that does not read, IPv6, `*` or a list that covers every address
 * (any source, the virtual network included: leave the prop out for `Internet`), platform and dependency tags,
 * duplicates. Returns `['Internet']` when the prop is not given (or not valid).
 */
export function checkClientPrefixes(check: PropChecker, prop: string, value: unknown, mode: ApimVirtualNetworkType | undefined): string[] {
  const list = check.stringList(prop, value, { nonEmpty: true, need: CLIENT_NEED });
  if (!list) {
    return ['Internet'];
  }
  if (mode === ApimVirtualNetworkType.INTERNAL) {
    check.add(ApimNetworkErrorCode.MODE_NOT_SUPPORTED, prop, list, 'an Internal gateway has no inbound allow from the internet to narrow',
      'remove clientAddressPrefixes (clients reach an Internal gateway from inside the network), or use ApimVirtualNetworkType.EXTERNAL');
    return ['Internet'];
  }
  const before = check.problems.length;
  const cidrs: Ipv4Cidr[] = [];
  const tags: string[] = [];
  const seen = new Map<string, number>();
  const anySource = 'it lets any source in, the virtual network included';
  const keepDefault = 'leave clientAddressPrefixes out for the default ["Internet"], or give the clients\' service tag or CIDRs';
  list.forEach((text, index) => {
    const at = `${prop}[${index}]`;
    const read = parseAddressPrefix(text);
    if (read.ok && read.kind === 'any') {
      check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, at, text, anySource, keepDefault);
    } else if (read.ok && read.kind === 'ipv6') {
      check.add(ApimNetworkErrorCode.IPV6_NOT_SUPPORTED, at, text, 'classic APIM gateways are reached over IPv4 only', 'give IPv4 CIDRs or addresses');
    } else if (read.ok && read.kind === 'tag') {
      const why = NOT_CLIENT_TAGS.get(text.split('.')[0].toLowerCase());
      if (why) {
        check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, at, text, `it is not a client of the gateway: ${why}`,
          'give the clients\' service tag (such as "AzureFrontDoor.Backend") or their CIDRs, or leave the prop out for "Internet"');
      } else if (judged(check, at, text, read)) {
        tags.push(text);
      }
    } else if (judged(check, at, text, read, ApimNetworkErrorCode.NSG_RULE_INVALID,
      'give one service tag such as "AzureFrontDoor.Backend", or IPv4 CIDRs such as "203.0.113.0/24"') && read.ok && (read.kind === 'cidr' || read.kind === 'address')) {
      const first = seen.get(read.cidr.text);
      if (first !== undefined) {
        check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, at, text, `it is listed twice (also as ${prop}[${first}])`, 'list each range once');
      } else {
        seen.set(read.cidr.text, index);
        cidrs.push(read.cidr);
      }
    }
  });
  if (check.problems.length > before) {
    return ['Internet'];
  }
  if (tags.length > 0 && list.length > 1) {
    check.add(ApimNetworkErrorCode.NSG_TAG_IN_LIST, prop, list, `it mixes the service tag(s) ${tags.map((t) => `"${t}"`).join(', ')} with other entries; Azure takes one tag per rule, and addresses only in the list`,
      'give exactly one service tag, or only CIDRs and addresses');
    return ['Internet'];
  }
  if (cidrs.length > 0 && coversEveryAddress(cidrs)) {
    check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, prop, list,
      `${cidrs.length === 1 ? 'it covers' : 'together they cover'} every IPv4 address, like "0.0.0.0/0": ${anySource}`, keepDefault);
    return ['Internet'];
  }
  return list;
}

/**
 * An address space (a new virtual network's, or an existing one's as recorded): a non-empty list of IPv4 CIDRs
 * without host bits, that do not overlap each other and avoid the ranges Azure reserves.
 */
export function checkAddressSpace(check: PropChecker, prop: string, value: unknown): Ipv4Cidr[] | undefined {
  const list = check.stringList(prop, value, { nonEmpty: true, need: 'the subnet prefix is checked to lie inside the address space at synth time' });
  if (!list) {
    return undefined;
  }
  const parsed = list.map((text, i) => checkCidr(check, `${prop}[${i}]`, text));
  if (!parsed.every((c) => c !== undefined)) {
    return undefined;
  }
  const space = parsed as Ipv4Cidr[];
  let ok = true;
  space.forEach((cidr, i) => {
    const reserved = reservedOverlaps(cidr);
    if (reserved.length > 0) {
      ok = false;
      check.add(ApimNetworkErrorCode.INVALID_CIDR, `${prop}[${i}]`, cidr.text,
        `it overlaps ${reserved.map((r) => `${r.cidr.text} (${r.what})`).join(', ')}, which Azure reserves and refuses in a virtual network`,
        'give a private range such as 10.0.0.0/16, 172.16.0.0/16 or 192.168.0.0/16');
    }
  });
  // A prefix listed several times is one problem, naming where (a generated list may repeat one n times).
  const where = new Map<string, number[]>();
  space.forEach((cidr, i) => where.set(cidr.text, [...(where.get(cidr.text) ?? []), i]));
  for (const [text, indexes] of where) {
    if (indexes.length > 1) {
      ok = false;
      const shown = indexes.slice(0, 5).map((i) => `${prop}[${i}]`).join(', ');
      check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, prop, list,
        `${text} is listed ${indexes.length === 2 ? 'twice' : `${indexes.length} times`} (${shown}${indexes.length > 5 ? ', ...' : ''})`,
        'give address ranges that do not overlap');
    }
  }
  // Overlaps between different prefixes, in the order given: each pair once (a sweep over the distinct prefixes).
  const distinct = [...where.keys()].map((text) => space[where.get(text)![0]]);
  const byStart = [...distinct].sort((a, b) => a.network - b.network || a.prefixLength - b.prefixLength);
  const open: Ipv4Cidr[] = [];
  for (const cidr of byStart) {
    for (let k = open.length - 1; k >= 0; k--) {
      if (open[k].last < cidr.network) {
        open.splice(k, 1);
      }
    }
    for (const earlier of open) {
      ok = false;
      const [a, b] = where.get(earlier.text)![0] < where.get(cidr.text)![0] ? [earlier, cidr] : [cidr, earlier];
      check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, prop, list, `${a.text} and ${b.text} overlap`, 'give address ranges that do not overlap');
    }
    open.push(cidr);
  }
  return ok ? space : undefined;
}
