/**
 * The catalog of every rule ApimNetworkChecks implements, derived from the rule definitions (`lib/checks/rules/*.ts`);
 * no id list is kept by hand. The ids and levels are the public contract of design/RULES.md; the README rule table is
 * generated from this catalog (`renderRuleTable`).
 */
import { Rule, defineRule, infoOf } from './rule';
import { DNS_RULES } from './rules/dns';
import { NSG_RULES } from './rules/nsg';
import { PLACEMENT_RULES } from './rules/placement';
import { PUBLIC_IP_RULES } from './rules/public-ip';
import { REGION_RULES } from './rules/regions';
import { ROUTING_RULES } from './rules/routing';
import { SUBNET_RULES } from './rules/subnet';
import { SOURCES } from './sources';
import { ApimRuleInfo, ApimRuleLevel } from './types';

/** The engine's own rule for what a rule cannot decide (a value unknown at synth time). */
export const UNKNOWN_RULE = defineRule({
  id: 'APIM-UNKNOWN', level: ApimRuleLevel.WARNING, area: 'meta', source: SOURCES.reference,
  title: 'a value a rule needs is not known at synth time',
  why: 'A rule that cannot decide must say so, never pass silently',
  fix: 'use literal values, or suppress APIM-UNKNOWN with the rule each finding names in brackets (APIM-UNKNOWN[APIM-LOCATION]) and a reason',
});

/** The engine's own rule for a suppression that matched nothing. */
export const UNUSED_SUPPRESSION_RULE = defineRule({
  id: 'APIM-SUPPRESSION-UNUSED', level: ApimRuleLevel.WARNING, area: 'meta', source: SOURCES.reference,
  title: 'a suppression matched no finding',
  why: 'Stale suppressions hide future problems',
  fix: 'remove the suppression',
});

/** Rules the engine itself reports, about the evaluation rather than a resource. */
const META_RULES: readonly Rule[] = [UNKNOWN_RULE, UNUSED_SUPPRESSION_RULE];

/** Every rule, with its evaluation, in the order of design/RULES.md: the area lists, then the meta rules. */
export const CHECKS: readonly Rule[] = [
  ...PLACEMENT_RULES, ...REGION_RULES, ...SUBNET_RULES, ...NSG_RULES, ...PUBLIC_IP_RULES, ...ROUTING_RULES, ...DNS_RULES, ...META_RULES,
];

/** Metadata of every rule (what reports and the README table list). */
export const RULES: readonly ApimRuleInfo[] = CHECKS.map(infoOf);

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** Metadata of a rule. */
export function ruleInfo(id: string): ApimRuleInfo {
  const found = BY_ID.get(id);
  if (!found) {
    throw new RangeError(`unknown rule ${id}`);
  }
  return found;
}

/** Whether a rule id (without detail) exists. */
export function isRuleId(id: string): boolean {
  return BY_ID.has(id);
}

/** The README rule table (Markdown): id, level, what, why, fix. */
export function renderRuleTable(): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const lines = ['| id | level | what it checks | why | fix |', '|---|---|---|---|---|'];
  for (const r of RULES) {
    lines.push(`| \`${r.id}\` | ${r.level} | ${escape(r.title)} | ${escape(r.why)} | ${escape(r.fix)} |`);
  }
  return lines.join('\n');
}
