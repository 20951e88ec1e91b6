/**
 * Runs every rule over one resolved Terraform JSON document, applies suppressions, and turns outcomes into findings:
 * failed outcomes become findings of the rule's level, undecidable ones APIM-UNKNOWN warnings naming the rule, and
 * suppressions that matched nothing APIM-SUPPRESSION-UNUSED warnings. Pure: no cdktf.
 */
import { CHECKS, UNKNOWN_RULE, UNUSED_SUPPRESSION_RULE, ruleInfo } from './catalog';
import { TerraformModel } from './model';
import { OutcomeCollector, RawOutcome, subjectOf } from './rule';
import { buildTargets } from './targets';
import {
  ApimCheckOutcome, ApimCheckResult, ApimFinding, ApimRuleLevel, ApimRuleOutcome, ApimSuppression,
} from './types';

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
    return id === UNKNOWN_RULE.id || id === idWithDetail(UNKNOWN_RULE.id, outcome.ruleId);
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
  const collector = new OutcomeCollector();
  const selected = CHECKS.filter((rule) => rule.check && (options.only === undefined || options.only.includes(rule.id)));
  const targets = buildTargets(model);
  for (const rule of selected) {
    const result = collector.forRule(rule.id);
    for (const apim of targets.v2Instances) {
      result.notApplicable(subjectOf(apim.resource), `${String(apim.tier)} is a v2 tier; the classic-tier rules do not apply`);
    }
    rule.check!(targets, result);
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
      const level = o.level ?? info.level;
      findings.push(makeFinding(o.ruleId, o.detail, raise(level), o.subject.address, o.subject.path, o.message ?? info.title, info.fix));
    } else if (o.outcome === ApimRuleOutcome.UNKNOWN) {
      const info = UNKNOWN_RULE;
      findings.push(makeFinding(info.id, o.ruleId, raise(info.level), o.subject.address, o.subject.path,
        `${idWithDetail(o.ruleId, o.detail)} cannot decide at synth time: ${o.message ?? 'a value is unknown'}`, info.fix));
    }
  }
  for (const suppression of suppressions) {
    if (!used.has(suppression)) {
      const info = UNUSED_SUPPRESSION_RULE;
      findings.push(makeFinding(info.id, suppression.ruleId, raise(info.level), suppression.constructPath, suppression.constructPath,
        `the suppression of ${suppression.ruleId} ("${suppression.reason}") matched no finding`, info.fix));
    }
  }
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { outcomes, findings, durationMs };
}
