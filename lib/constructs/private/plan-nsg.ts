/**
 * Planning an APIM NSG: the options shared by every location (checked once), then each NSG's rules for its location.
 */
import { TerraformProvider } from 'cdktf';
import { ApimNetworkErrorCode } from '../../core/errors';
import { regionInfo } from '../../core/locations';
import { CatalogRule, OptionalRuleGroup, renderRules, selectRules } from '../../core/nsg-catalog';
import { EvaluationContext } from '../../core/nsg-evaluate';
import { ApimVirtualNetworkType } from '../../core/types';
import { OPTIONAL_RULE_GROUPS } from '../nsg-options';
import { NsgRule, blockedFlows, checkUserRule, shadowProblem } from './nsg-rules';
import { PropChecker, kindOf } from './props';

/** The NSG options, checked: the same for every location of a network. */
export interface NsgSettings {
  readonly regionalServiceTags: boolean;
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
  /** The catalog rows the NSG renders (a later `addRule` deny must not block them). */
  readonly catalogRows: readonly CatalogRule[];
  readonly evaluation: EvaluationContext;
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
  regionalServiceTags?: unknown; optionalRules?: unknown; rules?: unknown; hardening?: unknown;
}, mode: ApimVirtualNetworkType | undefined): NsgSettings {
  const regionalServiceTags = check.boolean(`${prefix}regionalServiceTags`, options.regionalServiceTags, false);
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
  return { regionalServiceTags, groups, userRules };
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
    .map(({ catalogId: _catalogId, ...rule }) => ({ ...rule, origin: 'library' as const }));
  const evaluation: EvaluationContext = { acceptedRegions: new Set([where.location, where.primaryLocation]) };
  const blocking: BlockingRule[] = [];
  for (const { prop, rule } of settings.userRules) {
    const blocked = rule.access === 'Deny' ? blockedFlows(rules, rule, catalogRows, evaluation) : [];
    if (blocked.length > 0) {
      blocking.push({ prop, rule, blocked });
    } else {
      rules.push(rule);
    }
  }
  return { plan: { ...where, rules, catalogRows, evaluation, notes: [] }, blocking };
}

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
