/**
 * Runs every rule over one resolved Terraform JSON document, applies suppressions, and turns outcomes into findings:
 * failed outcomes become findings of the rule's level, undecidable ones APIM-UNKNOWN warnings naming the rule, and
 * suppressions that matched nothing APIM-SUPPRESSION-UNUSED warnings. Pure: no cdktf.
 */
import { RULES, ruleInfo } from './catalog';
import { TerraformModel } from './model';
import * as dns from './rules/dns';
import * as nsg from './rules/nsg';
import * as placement from './rules/placement';
import * as pip from './rules/public-ip';
import * as routing from './rules/routing';
import * as subnet from './rules/subnet';
import { Collector, RawOutcome, Targets, buildTargets } from './targets';
import {
  ApimCheckOutcome, ApimCheckResult, ApimFinding, ApimRuleLevel, ApimRuleOutcome, ApimSuppression,
} from './types';

type RuleFunction = (targets: Targets, collector: Collector) => void;

/** Every rule with its implementation, in catalog order. */
export const RULE_FUNCTIONS: ReadonlyArray<[string, RuleFunction]> = [
  ['APIM-SKU-VNET', placement.skuVnet],
  ['APIM-SKU-PREMIUM-FEATURE', placement.skuPremiumFeature],
  ['APIM-VNET-CONFIG', placement.vnetConfig],
  ['APIM-LOCATION', placement.location],
  ['APIM-LOCATION-UNIQUE', placement.locationUnique],
  ['APIM-SUBSCRIPTION', placement.subscription],
  ['APIM-ZONES-CAPACITY', placement.zonesCapacity],
  ['APIM-SUBNET-DELEGATION', subnet.delegation],
  ['APIM-SUBNET-NSG', subnet.subnetNsg],
  ['APIM-SUBNET-SIZE', subnet.size],
  ['APIM-SUBNET-HEADROOM', subnet.headroom],
  ['APIM-SUBNET-PREFIX', subnet.prefix],
  ['APIM-NSG-REQUIRED', nsg.required],
  ['APIM-NSG-SHADOWED', nsg.shadowed],
  ['APIM-NSG-NEARMISS', nsg.nearMiss],
  ['APIM-NSG-EXPOSED', nsg.exposed],
  ['APIM-NSG-INTERNAL-PUBLIC', nsg.internalPublic],
  ['APIM-NSG-PRIORITY', nsg.priority],
  ['APIM-NSG-MIXED', nsg.mixed],
  ['APIM-NSG-TAG-IN-LIST', nsg.tagInList],
  ['APIM-NSG-REGIONAL-TAG', nsg.regionalTag],
  ['APIM-PIP-SKU', pip.sku],
  ['APIM-PIP-ALLOCATION', pip.allocation],
  ['APIM-PIP-VERSION', pip.version],
  ['APIM-PIP-DNS-LABEL', pip.dnsLabel],
  ['APIM-PIP-ZONES', pip.zones],
  ['APIM-PIP-ROUTING', pip.routing],
  ['APIM-PIP-FOR-ZONES', pip.forZones],
  ['APIM-ROUTE-MANAGEMENT', routing.management],
  ['APIM-ROUTE-ENDPOINTS', routing.endpoints],
  ['APIM-ROUTE-SQL-SECONDARY', routing.sqlSecondary],
  ['APIM-DNS-APEX', dns.dnsApex],
];

/** Options of one evaluation. */
export interface EvaluateOptions {
  /** Suppressions, with the construct path of the subtree each covers. */
  readonly suppressions?: readonly ApimSuppression[];
  /** Report every finding at error level. */
  readonly strict?: boolean;
  /** Evaluate only these rules (all when undefined). */
  readonly only?: readonly string[];
}

function idWithDetail(ruleId: string, detail?: string): string {
  return detail ? `${ruleId}[${detail}]` : ruleId;
}

function within(path: string, scope: string): boolean {
  return path === scope || path.startsWith(`${scope}/`);
}

function matches(suppression: ApimSuppression, outcome: RawOutcome): boolean {
  if (!within(outcome.subject.path, suppression.constructPath)) {
    return false;
  }
  const id = suppression.ruleId;
  if (outcome.outcome === ApimRuleOutcome.UNKNOWN) {
    return id === 'APIM-UNKNOWN' || id === `APIM-UNKNOWN[${outcome.ruleId}]`;
  }
  return id === outcome.ruleId || id === idWithDetail(outcome.ruleId, outcome.detail);
}

function findingText(ruleId: string, detail: string | undefined, address: string, path: string, message: string, fix: string): string {
  const where = path === address ? address : `${address} (${path})`;
  return `[${idWithDetail(ruleId, detail)}] ${where}: ${message}. Fix: ${fix}`;
}

function makeFinding(ruleId: string, detail: string | undefined, level: ApimRuleLevel, address: string, path: string, message: string, fix: string): ApimFinding {
  return { ruleId, detail, level, address, constructPath: path, message, fix, text: findingText(ruleId, detail, address, path, message, fix) };
}

/** Evaluate every rule over a resolved Terraform JSON document (the content of a cdk.tf.json). */
export function evaluateDocument(document: unknown, options: EvaluateOptions = {}): ApimCheckResult {
  const started = process.hrtime.bigint();
  const model = new TerraformModel(document);
  const collector = new Collector();
  const selected = RULE_FUNCTIONS.filter(([id]) => options.only === undefined || options.only.includes(id));
  const targets = buildTargets(model, collector, selected.map(([id]) => id));
  for (const [, fn] of selected) {
    fn(targets, collector);
  }
  const seen = new Set<string>();
  const unique = collector.outcomes.filter((o) => {
    const key = `${o.ruleId}|${o.detail ?? ''}|${o.subject.address}|${o.outcome}|${o.message ?? ''}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
  const suppressions = options.suppressions ?? [];
  const used = new Set<ApimSuppression>();
  const outcomes: ApimCheckOutcome[] = [];
  const findings: ApimFinding[] = [];
  const raise = (level: ApimRuleLevel) => (options.strict ? ApimRuleLevel.ERROR : level);
  for (const o of unique) {
    const base = { ruleId: o.ruleId, detail: o.detail, address: o.subject.address, constructPath: o.subject.path, message: o.message };
    const isFinding = o.outcome === ApimRuleOutcome.FAIL || o.outcome === ApimRuleOutcome.UNKNOWN;
    const suppression = isFinding ? suppressions.find((s) => matches(s, o)) : undefined;
    if (suppression) {
      used.add(suppression);
      outcomes.push({ ...base, outcome: ApimRuleOutcome.SUPPRESSED, suppressionReason: suppression.reason });
      continue;
    }
    outcomes.push({ ...base, outcome: o.outcome });
    if (o.outcome === ApimRuleOutcome.FAIL) {
      const info = ruleInfo(o.ruleId);
      const level = o.level === 'warning' ? ApimRuleLevel.WARNING : info.level;
      findings.push(makeFinding(o.ruleId, o.detail, raise(level), o.subject.address, o.subject.path, o.message ?? info.title, info.fix));
    } else if (o.outcome === ApimRuleOutcome.UNKNOWN) {
      const info = ruleInfo('APIM-UNKNOWN');
      findings.push(makeFinding('APIM-UNKNOWN', o.ruleId, raise(info.level), o.subject.address, o.subject.path,
        `${idWithDetail(o.ruleId, o.detail)} cannot decide at synth time: ${o.message ?? 'a value is unknown'}`, info.fix));
    }
  }
  for (const suppression of suppressions) {
    if (!used.has(suppression)) {
      const info = ruleInfo('APIM-SUPPRESSION-UNUSED');
      findings.push(makeFinding('APIM-SUPPRESSION-UNUSED', suppression.ruleId, raise(info.level), suppression.constructPath, suppression.constructPath,
        `the suppression of ${suppression.ruleId} ("${suppression.reason}") matched no finding`, info.fix));
    }
  }
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { outcomes, findings, durationMs };
}

/** Ids of every rule the engine implements (the catalog minus the meta rules). */
export function implementedRuleIds(): string[] {
  return RULE_FUNCTIONS.map(([id]) => id);
}

/** Every catalog rule, for reports. */
export { RULES };
