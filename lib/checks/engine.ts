/**
 * Runs every rule over one resolved Terraform JSON document, applies suppressions, and turns outcomes into findings:
 * failed outcomes become findings of the rule's level, undecidable ones APIM-UNKNOWN warnings naming the rule, and
 * suppressions that matched nothing APIM-SUPPRESSION-UNUSED warnings. Pure: no cdktf.
 */
import { checkDocumentShape } from './arguments';
import { CHECKS, UNKNOWN_RULE, UNUSED_SUPPRESSION_RULE, ruleInfo } from './catalog';
import { ModelOptions, TerraformModel, isSource } from './model';
import { OutcomeCollector, RawOutcome, subjectOf } from './rule';
import { buildTargets } from './targets';
import { showInvisible } from '../core/visible';
import {
  ApimCheckOutcome, ApimCheckResult, ApimFinding, ApimOrphanNsgs, ApimRuleLevel, ApimRuleOutcome, ApimSuppression,
} from './types';

/** Options of one evaluation. */
export interface EvaluateOptions {
  /** Suppressions, with the construct path of the subtree each covers. */
  readonly suppressions?: readonly ApimSuppression[];
  /** Report every finding at error level. */
  readonly strict?: boolean;
  /** Evaluate only these rules (all when undefined). */
  readonly only?: readonly string[];
  /** Values of input variables (from tfvars); any other `var.x` is unknown. */
  readonly variables?: ModelOptions['variables'];
  /** The documents of the other stacks of the app, by stack path (cdktf cross-stack references are followed into them). */
  readonly documents?: ModelOptions['documents'];
  /** This document's stack path, when it is one stack of an app (the others' references back to it read it). */
  readonly self?: ModelOptions['self'];
  /** Which NSGs that no APIM instance of the document uses are checked as APIM NSGs (default: none). */
  readonly orphanNsgs?: ApimOrphanNsgs;
  /** The APIM mode those NSGs are checked for; without it, the rules that depend on the mode report unknown. */
  readonly orphanMode?: 'External' | 'Internal';
  /**
   * Suppressions set above the document (on the App, for several stacks): their use is reported to `onUsed`, and they
   * are not reported unused here (the caller does, once every stack ran).
   */
  readonly shared?: (suppression: ApimSuppression) => boolean;
  readonly onUsed?: (suppression: ApimSuppression) => void;
}

/**
 * The APIM-SUPPRESSION-UNUSED finding of a suppression, naming where it was set and, when findings of the rule sit
 * outside what it covers, where they are (`elsewhere`: their construct paths).
 */
export function unusedSuppression(suppression: ApimSuppression, strict: boolean, elsewhere: readonly string[] = []): ApimFinding {
  const info = UNUSED_SUPPRESSION_RULE;
  const where = suppression.constructPath === '' ? 'the App' : suppression.constructPath;
  const paths = [...new Set(elsewhere)];
  const hint = paths.length === 0 ? '' : `; a matching finding is on ${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ` and ${paths.length - 3} more` : ''}` +
    ', outside what it covers: set it there, or on a construct above both';
  return makeFinding(info.id, suppression.ruleId, strict ? ApimRuleLevel.ERROR : info.level, { address: where, path: where },
    `the suppression of ${suppression.ruleId} set on ${where} ("${suppression.reason}") matched no finding${hint}`, info.fix);
}

/** Whether a suppression names the rule (and detail) of a finding, wherever the finding is. */
export function namesFinding(suppression: ApimSuppression, finding: ApimFinding): boolean {
  return suppression.ruleId === finding.ruleId || suppression.ruleId === idWithDetail(finding.ruleId, finding.detail);
}

/**
 * Refuse a document that is not Terraform JSON (see `checkDocumentShape`); a source of blocks (the cdktf adapter's
 * lazily resolved stack) is taken as it is.
 */
export function requireDocument(where: string, document: unknown): void {
  if (!isSource(document)) {
    checkDocumentShape(where, 'document', document);
  }
}

/** The advice of an APIM-UNKNOWN finding, naming the rule it stands for (the suppression id to give). */
export function unknownFix(ruleId: string): string {
  return `use literal values, or suppress ${UNKNOWN_RULE.id}[${ruleId}] with a reason`;
}

function idWithDetail(ruleId: string, detail?: string): string {
  return detail ? `${ruleId}[${detail}]` : ruleId;
}

function within(path: string, scope: string): boolean {
  // The App's path is '': a suppression there covers everything.
  return scope === '' || path === scope || path.startsWith(`${scope}/`);
}

function matches(suppression: ApimSuppression, outcome: RawOutcome): boolean {
  const covered = [suppression.constructPath, ...(suppression.alsoCovers ?? [])];
  if (!covered.some((scope) => within(outcome.subject.path, scope))) {
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

function makeFinding(ruleId: string, detail: string | undefined, level: ApimRuleLevel, o: { address: string; path: string; file?: string; line?: number },
  message: string, fix: string): ApimFinding {
  const { address, path, file, line } = o;
  // Messages quote user input (rule names, paths, reasons): invisible characters in it are shown, never passed on.
  const shown = showInvisible(message);
  return {
    ruleId, detail, level, address, constructPath: path, message: shown,
    text: showInvisible(findingText(ruleId, detail, address, path, message, fix)), fix,
    ...(file !== undefined ? { file } : {}), ...(line !== undefined ? { line } : {}),
  };
}

/** The outcome the reports list, built once from a rule's raw outcome. */
function outcomeOf(o: RawOutcome, outcome: ApimRuleOutcome, suppressionReason?: string): ApimCheckOutcome {
  const { address, path, file, line } = o.subject;
  // One literal per shape (no spreads): thousands of outcomes per stack.
  const out: { -readonly [K in keyof ApimCheckOutcome]: ApimCheckOutcome[K] } = file === undefined
    ? { ruleId: o.ruleId, detail: o.detail, address, constructPath: path, message: o.message, outcome }
    : { ruleId: o.ruleId, detail: o.detail, address, constructPath: path, message: o.message, file, line, outcome };
  if (suppressionReason !== undefined) {
    out.suppressionReason = suppressionReason;
  }
  return out;
}

/** Evaluate every rule over a resolved Terraform JSON document (the content of a cdk.tf.json). */
export function evaluateDocument(document: unknown, options: EvaluateOptions = {}): ApimCheckResult {
  requireDocument('ApimNetworkRules.evaluate', document);
  const started = process.hrtime.bigint();
  const model = new TerraformModel(document, { variables: options.variables, documents: options.documents, self: options.self });
  const collector = new OutcomeCollector();
  const selected = CHECKS.filter((rule) => rule.check && (options.only === undefined || options.only.includes(rule.id)));
  const targets = buildTargets(model, { orphanNsgs: options.orphanNsgs, orphanMode: options.orphanMode });
  for (const rule of selected) {
    const result = collector.forRule(rule.id);
    for (const apim of targets.v2Instances) {
      result.notApplicable(subjectOf(apim.resource), `${String(apim.tier)} is a v2 tier; the classic-tier rules do not apply`);
    }
    rule.check!(targets, result);
  }
  const suppressions = options.suppressions ?? [];
  const used = new Set<ApimSuppression>();
  const outcomes: ApimCheckOutcome[] = [];
  const findings: ApimFinding[] = [];
  const raise = (level: ApimRuleLevel) => (options.strict ? ApimRuleLevel.ERROR : level);
  // The collector kept the first of each outcome recorded twice (an NSG that serves two APIM subnets).
  for (const collected of collector.outcomes) {
    if (collected.outcome === ApimRuleOutcome.PASS) {
      outcomes.push(collected as ApimCheckOutcome);
      continue;
    }
    const o = collected as RawOutcome;
    const isFinding = o.outcome === ApimRuleOutcome.FAIL || o.outcome === ApimRuleOutcome.UNKNOWN;
    const suppression = isFinding && suppressions.length > 0 ? suppressions.find((s) => matches(s, o)) : undefined;
    if (suppression) {
      used.add(suppression);
      options.onUsed?.(suppression);
      outcomes.push(outcomeOf(o, ApimRuleOutcome.SUPPRESSED, suppression.reason));
      continue;
    }
    outcomes.push(outcomeOf(o, o.outcome));
    if (o.outcome === ApimRuleOutcome.FAIL) {
      const info = ruleInfo(o.ruleId);
      const level = o.level ?? info.level;
      findings.push(makeFinding(o.ruleId, o.detail, raise(level), o.subject, o.message ?? info.title, info.fix));
    } else if (o.outcome === ApimRuleOutcome.UNKNOWN) {
      const info = UNKNOWN_RULE;
      findings.push(makeFinding(info.id, o.ruleId, raise(info.level), o.subject,
        `${idWithDetail(o.ruleId, o.detail)} cannot decide at synth time: ${o.message ?? 'a value is unknown'}`, o.fix ?? unknownFix(o.ruleId)));
    }
  }
  const unused = suppressions.filter((suppression) => !used.has(suppression) && !options.shared?.(suppression));
  for (const suppression of unused) {
    const elsewhere = findings.filter((f) => namesFinding(suppression, f)).map((f) => f.constructPath);
    findings.push(unusedSuppression(suppression, options.strict ?? false, elsewhere));
  }
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { outcomes, findings, durationMs, inventory: targets.inventory };
}
