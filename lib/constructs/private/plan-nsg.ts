/**
 * Planning an APIM NSG: the options shared by every location (checked once), then each NSG's rules for its location.
 */
import { TerraformProvider } from 'cdktf';
import { Ipv4Cidr } from '../../core/cidr';
import { ApimNetworkErrorCode } from '../../core/errors';
import { IntervalSet } from '../../core/interval-set';
import { regionInfo } from '../../core/locations';
import { OptionalRuleGroup, renderRules, selectRules } from '../../core/nsg-catalog';
import { isServiceTag } from '../../core/nsg-evaluate';
import { ApimVirtualNetworkType } from '../../core/types';
import { OPTIONAL_RULE_GROUPS } from '../nsg-options';
import { NsgFlowContext, NsgRule, RuleVerdict, checkUserRule, isClean, judgeRule, reportVerdict } from './nsg-rules';
import { checkClientPrefixes } from './prefix-props';
import { PropChecker } from './props';
import { NSG_OPTIONS, OPTIONAL_RULES } from './structs';

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
  /** The flows the NSG serves (a later `addRule` must neither block nor expose them). */
  readonly flows: NsgFlowContext;
  readonly provider?: TerraformProvider;
  readonly tags?: { [key: string]: string };
  /** Warnings to show (not errors): the NSG construct shows them when it is built on its own. */
  readonly notes: readonly string[];
}

/** A user rule the NSG refuses, and why. */
export interface RuleProblem {
  readonly prop: string;
  readonly rule: NsgRule;
  readonly verdict: RuleVerdict;
}

const NSG_NEED = 'it decides which rules the NSG has at synth time';

/**
 * Check the NSG options; `prefix` is how the user reaches them (`''` on the NSG construct, `networkSecurityGroup.` on
 * the networks), `options` the props already read (`PropChecker.struct`).
 */
export function planNsgSettings(check: PropChecker, prefix: string, options: Partial<Record<(typeof NSG_OPTIONS.keys)[number], unknown>>,
  mode: ApimVirtualNetworkType | undefined): NsgSettings {
  const regionalServiceTags = check.boolean(`${prefix}regionalServiceTags`, options.regionalServiceTags, false, NSG_NEED);
  const clientSources = checkClientPrefixes(check, `${prefix}clientAddressPrefixes`, options.clientAddressPrefixes, mode);
  if (check.boolean(`${prefix}hardening`, options.hardening, false, NSG_NEED)) {
    check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, `${prefix}hardening`, true,
      'hardening was removed in 0.2.0: its deny-all rules blocked flows APIM documents (between units, to back-ends and private endpoints in the virtual network, SMTP relay)',
      'remove it; add the deny rules you need with rules (see the README upgrade notes)');
  }
  const groups = new Set<OptionalRuleGroup>();
  const optional = check.struct(`${prefix}optionalRules`, options.optionalRules, OPTIONAL_RULES, false);
  if (optional) {
    for (const [prop, group] of OPTIONAL_RULE_GROUPS) {
      if (check.boolean(`${prefix}optionalRules.${prop}`, optional[prop], false, NSG_NEED)) {
        groups.add(group);
      }
    }
  }
  if (groups.has('http') && mode === ApimVirtualNetworkType.INTERNAL) {
    check.add(ApimNetworkErrorCode.MODE_NOT_SUPPORTED, `${prefix}optionalRules.inboundHttp`, true,
      'inbound HTTP from the internet applies to External mode only; an Internal gateway is not reachable from the internet',
      'remove inboundHttp, or use ApimVirtualNetworkType.EXTERNAL');
  }
  const userRules: Array<{ prop: string; rule: NsgRule }> = [];
  const rules = check.list(`${prefix}rules`, options.rules, { what: 'give a list of rules' }) ?? [];
  rules.forEach((input, index) => {
    const prop = `${prefix}rules[${index}]`;
    const rule = checkUserRule(check, prop, input, { rules: userRules.map((r) => r.rule) });
    if (rule) {
      userRules.push({ prop, rule });
    }
  });
  return { regionalServiceTags, clientSources, groups, userRules };
}

/**
 * Plan one NSG: the catalog rows for the mode, location count and groups, rendered for its location, then the user
 * rules, each judged against the rules before it. A user rule that would block or expose an APIM flow is returned in
 * `refused` (the caller reports it once, under the user's prop path, however many locations it is refused in).
 */
export function planNsg(where: {
  name: string; location: string; resourceGroupName: string; mode: ApimVirtualNetworkType; multiRegion: boolean;
  primaryLocation: string; provider?: TerraformProvider; tags?: { [key: string]: string };
  /** The subnet's prefix and the virtual network's address space, when known. */
  subnet?: Ipv4Cidr; addressSpace?: readonly Ipv4Cidr[];
}, settings: NsgSettings): { plan: NsgPlan; refused: RuleProblem[] } {
  const catalogRows = selectRules({ mode: where.mode, multiRegion: where.multiRegion, groups: settings.groups });
  // A regional tag needs the region's name as Azure spells it in tags; for a location this library does not list
  // (the checker warned about it) the global tags are used rather than a guess.
  const regional = settings.regionalServiceTags && regionInfo(where.location) !== undefined && regionInfo(where.primaryLocation) !== undefined;
  const rules: NsgRule[] = renderRules(catalogRows, { location: where.location, primaryLocation: where.primaryLocation, regionalServiceTags: regional })
    .map(({ catalogId, ...rule }) => withClients({ ...rule, origin: 'library' as const }, catalogId, settings.clientSources));
  const space = [...(where.addressSpace ?? []), ...(where.subnet ? [where.subnet] : [])];
  const flows: NsgFlowContext = {
    selection: { mode: where.mode, multiRegion: where.multiRegion, regions: regional ? [where.location, where.primaryLocation] : undefined },
    catalogRows,
    evaluation: { acceptedRegions: new Set([where.location, where.primaryLocation]) },
    clientSources: settings.clientSources,
    subnet: where.subnet ? [where.subnet] : undefined,
    virtualNetworkSpace: space.length > 0 ? IntervalSet.union(space.map((c) => [c.network, c.last] as [number, number])) : undefined,
  };
  const refused: RuleProblem[] = [];
  for (const { prop, rule } of settings.userRules) {
    const verdict = judgeRule(rules, rule, flows);
    if (isClean(verdict)) {
      rules.push(rule);
    } else {
      refused.push({ prop, rule, verdict });
    }
  }
  const { subnet: _subnet, addressSpace: _space, ...plan } = where;
  return { plan: { ...plan, rules, flows, notes: [] }, refused };
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

/** Report the refused user rules, once per rule, naming the locations (empty `where` for one NSG). */
export function reportRefused(check: PropChecker, refused: ReadonlyArray<RuleProblem & { where?: string }>, clients: readonly string[]): void {
  const byProp = new Map<string, { rule: NsgRule; blocked: Set<string>; clientPorts: Set<number>; exposes: Map<string, RuleVerdict['exposes'][number]>; where: string[] }>();
  for (const r of refused) {
    const entry = byProp.get(r.prop) ?? {
      rule: r.rule, blocked: new Set<string>(), clientPorts: new Set<number>(), exposes: new Map<string, RuleVerdict['exposes'][number]>(), where: [] as string[],
    };
    r.verdict.blocked.forEach((id) => entry.blocked.add(id));
    r.verdict.clientPorts.forEach((port) => entry.clientPorts.add(port));
    r.verdict.exposes.forEach((e) => entry.exposes.set(`${e.ruleId}|${e.what}`, e));
    if (r.where) {
      entry.where.push(r.where);
    }
    byProp.set(r.prop, entry);
  }
  for (const [prop, entry] of byProp) {
    reportVerdict(check, prop, entry.rule, { blocked: [...entry.blocked], clientPorts: [...entry.clientPorts], exposes: [...entry.exposes.values()] }, entry.where, clients);
  }
}
