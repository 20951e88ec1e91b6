/**
 * Planning an APIM NSG: the options shared by every location (checked once), then each NSG's rules for its location.
 */
import { TerraformProvider } from 'cdktf';
import { ApimNetworkErrorCode } from '../../core/errors';
import { regionInfo } from '../../core/locations';
import { OptionalRuleGroup, renderRules, selectRules } from '../../core/nsg-catalog';
import { isAddressPrefix, isServiceTag } from '../../core/nsg-evaluate';
import { ApimVirtualNetworkType } from '../../core/types';
import { OPTIONAL_RULE_GROUPS } from '../nsg-options';
import { NsgFlowContext, NsgRule, blockedFlows, checkUserRule, shadowProblem } from './nsg-rules';
import { PropChecker, kindOf } from './props';

/** The NSG options, checked: the same for every location of a network. */
export interface NsgSettings {
  readonly regionalServiceTags: boolean;
  /** The sources of the client allows (External mode): one service tag, or addresses; `['Internet']` by default. */
  readonly clientSources: readonly string[];
  readonly groups: ReadonlySet<OptionalRuleGroup>;
  /** The user's rules with every field checked, each with the prop path the user wrote. */
  readonly userRules: ReadonlyArray<{ readonly prop: string; readonly rule: NsgRule }>;
}

/** Everything one NSG is built from. */
export interface NsgPlan {
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly mode: ApimVirtualNetworkType;
  readonly multiRegion: boolean;
  readonly primaryLocation: string;
  /** Catalog rules and user rules. */
  readonly rules: NsgRule[];
  /** The flows the NSG serves (a later `addRule` deny must not block them). */
  readonly flows: NsgFlowContext;
  readonly provider?: TerraformProvider;
  readonly tags?: { [key: string]: string };
  /** Warnings to show (not errors): the NSG construct shows them when it is built on its own. */
  readonly notes: readonly string[];
}

/** A user deny rule that would block APIM flows in this NSG. */
export interface BlockingRule {
  readonly prop: string;
  readonly rule: NsgRule;
  readonly blocked: string[];
}

/**
 * Check the NSG options; `prefix` is how the user reaches them (`''` on the NSG construct, `networkSecurityGroup.` on
 * the networks).
 */
export function planNsgSettings(check: PropChecker, prefix: string, options: {
  regionalServiceTags?: unknown; optionalRules?: unknown; rules?: unknown; hardening?: unknown; clientAddressPrefixes?: unknown;
}, mode: ApimVirtualNetworkType | undefined): NsgSettings {
  const regionalServiceTags = check.boolean(`${prefix}regionalServiceTags`, options.regionalServiceTags, false);
  const clientSources = checkClientSources(check, `${prefix}clientAddressPrefixes`, options.clientAddressPrefixes, mode);
  if (check.boolean(`${prefix}hardening`, options.hardening, false)) {
    check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, `${prefix}hardening`, true,
      'hardening was removed in 0.2.0: its deny-all rules blocked flows APIM documents (between units, to back-ends and private endpoints in the virtual network, SMTP relay)',
      'remove it; add the deny rules you need with rules (see the README upgrade notes)');
  }
  const groups = new Set<OptionalRuleGroup>();
  const optional = check.object(`${prefix}optionalRules`, options.optionalRules, false);
  if (optional) {
    for (const [prop, group] of OPTIONAL_RULE_GROUPS) {
      if (check.boolean(`${prefix}optionalRules.${prop}`, optional[prop], false)) {
        groups.add(group);
      }
    }
    for (const unknown of Object.keys(optional).filter((k) => !OPTIONAL_RULE_GROUPS.some(([p]) => p === k))) {
      check.add(ApimNetworkErrorCode.INVALID_TYPE, `${prefix}optionalRules.${unknown}`, optional[unknown], 'it is not an optional rule group',
        `give any of ${OPTIONAL_RULE_GROUPS.map(([p]) => p).join(', ')}`);
    }
  }
  if (groups.has('http') && mode === ApimVirtualNetworkType.INTERNAL) {
    check.add(ApimNetworkErrorCode.MODE_NOT_SUPPORTED, `${prefix}optionalRules.inboundHttp`, true,
      'inbound HTTP from the internet applies to External mode only; an Internal gateway is not reachable from the internet',
      'remove inboundHttp, or use ApimVirtualNetworkType.EXTERNAL');
  }
  const userRules: Array<{ prop: string; rule: NsgRule }> = [];
  if (options.rules !== undefined && !Array.isArray(options.rules)) {
    check.add(ApimNetworkErrorCode.INVALID_TYPE, `${prefix}rules`, options.rules, `it is ${kindOf(options.rules)}, not a list`, 'give a list of rules');
  } else {
    ((options.rules as unknown[] | undefined) ?? []).forEach((input, index) => {
      const prop = `${prefix}rules[${index}]`;
      const rule = checkUserRule(check, prop, input, { rules: userRules.map((r) => r.rule) });
      if (rule) {
        userRules.push({ prop, rule });
      }
    });
  }
  return { regionalServiceTags, clientSources, groups, userRules };
}

/** The clients of the gateway: one service tag, or IPv4 CIDRs and addresses (Azure takes tags in the singular field only). */
function checkClientSources(check: PropChecker, prop: string, value: unknown, mode: ApimVirtualNetworkType | undefined): string[] {
  const list = check.stringList(prop, value, { nonEmpty: true });
  if (!list) {
    return ['Internet'];
  }
  if (mode === ApimVirtualNetworkType.INTERNAL) {
    check.add(ApimNetworkErrorCode.MODE_NOT_SUPPORTED, prop, list, 'an Internal gateway has no inbound allow from the internet to narrow',
      'remove clientAddressPrefixes (clients reach an Internal gateway from inside the network), or use ApimVirtualNetworkType.EXTERNAL');
    return ['Internet'];
  }
  const wildcards = list.filter((p) => ['*', 'any', '0.0.0.0/0'].includes(p.trim().toLowerCase()));
  const tags = list.filter((p) => isServiceTag(p) && TAG_SHAPE.test(p));
  const bad = list.filter((p) => !tags.includes(p) && !isAddressPrefix(p) && !wildcards.includes(p));
  if (wildcards.length > 0) {
    check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, prop, list, `${wildcards.map((w) => `"${w}"`).join(', ')} would let any source in, the virtual network included`,
      'leave clientAddressPrefixes out for the default ["Internet"], or give the clients\' service tag or CIDRs');
  } else if (bad.length > 0) {
    check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, prop, list, `${bad.map((b) => `"${b}"`).join(', ')} is not a service tag, an IPv4 CIDR or an address`,
      'give one service tag such as "AzureFrontDoor.Backend", or a list of CIDRs such as "203.0.113.0/24"');
  } else if (tags.length > 0 && list.length > 1) {
    check.add(ApimNetworkErrorCode.NSG_TAG_IN_LIST, prop, list, `it mixes the service tag(s) ${tags.map((t) => `"${t}"`).join(', ')} with other entries; Azure takes one tag per rule, and addresses only in the list`,
      'give exactly one service tag, or only CIDRs and addresses');
  } else if (list.some((p) => p.includes(':'))) {
    check.add(ApimNetworkErrorCode.IPV6_NOT_SUPPORTED, prop, list, 'classic APIM subnets are IPv4 only', 'give IPv4 CIDRs or addresses');
  } else {
    return list;
  }
  return ['Internet'];
}

/**
 * Plan one NSG: the catalog rows for the mode, location count and groups, rendered for its location, then the user
 * rules. A user deny that would block an APIM flow is returned in `blocking` (the caller reports it once, under the
 * user's prop path, however many locations it blocks in).
 */
export function planNsg(where: {
  name: string; location: string; resourceGroupName: string; mode: ApimVirtualNetworkType; multiRegion: boolean;
  primaryLocation: string; provider?: TerraformProvider; tags?: { [key: string]: string };
}, settings: NsgSettings): { plan: NsgPlan; blocking: BlockingRule[] } {
  const catalogRows = selectRules({ mode: where.mode, multiRegion: where.multiRegion, groups: settings.groups });
  // A regional tag needs the region's name as Azure spells it in tags; for a location this library does not list
  // (the checker warned about it) the global tags are used rather than a guess.
  const regional = settings.regionalServiceTags && regionInfo(where.location) !== undefined && regionInfo(where.primaryLocation) !== undefined;
  const rules: NsgRule[] = renderRules(catalogRows, { location: where.location, primaryLocation: where.primaryLocation, regionalServiceTags: regional })
    .map(({ catalogId, ...rule }) => withClients({ ...rule, origin: 'library' as const }, catalogId, settings.clientSources));
  const flows: NsgFlowContext = {
    selection: { mode: where.mode, multiRegion: where.multiRegion, regions: regional ? [where.location, where.primaryLocation] : undefined },
    catalogRows,
    evaluation: { acceptedRegions: new Set([where.location, where.primaryLocation]) },
  };
  const blocking: BlockingRule[] = [];
  for (const { prop, rule } of settings.userRules) {
    const blocked = rule.access === 'Deny' ? blockedFlows(rules, rule, flows) : [];
    if (blocked.length > 0) {
      blocking.push({ prop, rule, blocked });
    } else {
      rules.push(rule);
    }
  }
  return { plan: { ...where, rules, flows, notes: [] }, blocking };
}

/** The client rows (inbound 443, and 80 with inboundHttp) take the clients' sources: one tag, or addresses in the list field. */
function withClients(rule: NsgRule, catalogId: string, sources: readonly string[]): NsgRule {
  if (!CLIENT_ROWS.includes(catalogId) || (sources.length === 1 && sources[0] === 'Internet')) {
    return rule;
  }
  const { sourceAddressPrefix: _internet, ...rest } = rule;
  return sources.length === 1 && isServiceTag(sources[0]) ? { ...rest, sourceAddressPrefix: sources[0] } : { ...rest, sourceAddressPrefixes: [...sources] };
}

const CLIENT_ROWS = ['client-https', 'client-http'];
/** How service tags are spelled: `Internet`, `AzureFrontDoor.Backend`, `Storage.WestEurope`. */
const TAG_SHAPE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/;

/** Report user denies that block APIM flows, once per rule, naming the locations (empty `where` for one NSG). */
export function reportBlocking(check: PropChecker, blocking: ReadonlyArray<BlockingRule & { where?: string }>): void {
  const byProp = new Map<string, { rule: NsgRule; blocked: Set<string>; where: string[] }>();
  for (const b of blocking) {
    const entry = byProp.get(b.prop) ?? { rule: b.rule, blocked: new Set<string>(), where: [] };
    b.blocked.forEach((id) => entry.blocked.add(id));
    if (b.where) {
      entry.where.push(b.where);
    }
    byProp.set(b.prop, entry);
  }
  for (const [prop, entry] of byProp) {
    shadowProblem(check, prop, entry.rule, [...entry.blocked], entry.where);
  }
}
