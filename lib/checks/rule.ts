/**
 * How a rule is defined: its metadata and its evaluation side by side, in one `defineRule({...})` call.
 *
 * How to add a rule (a one-file change):
 * 1. Pick the area file under `lib/checks/rules/` (placement, subnet, nsg, public-ip, routing, dns).
 * 2. Append `defineRule({ id, level, area, title, why, fix, source, check(t, r) { ... } })` to the list that file
 *    exports, in the order the README table should show it. The id is public contract: `APIM-<AREA>-<WHAT>`.
 * 3. In `check`, walk what the rule looks at (`t.locations`, `t.subnets`, `t.nsgs`, `t.publicIps`, `t.instances`) and
 *    record one outcome per resource (and detail) with `r.pass`, `r.fail`, `r.unknown` (never a pass when a value
 *    is not known) or `r.notApplicable`. The collector knows the rule's id: never write it again.
 * 4. Add tests (compliant, non-compliant, unknown) and run `npm run docs` to regenerate the README rule table.
 * Everything else (the catalog, the engine, suppressions, reports, the README table) derives from the definition.
 */
import { Resource, Unknown } from './model';
import { Targets } from './targets';
import { ApimCheckOutcome, ApimRuleInfo, ApimRuleLevel, ApimRuleOutcome } from './types';

/** A resource as findings name it. */
export interface Subject {
  readonly address: string;
  readonly path: string;
  readonly file?: string;
  readonly line?: number;
}

const SUBJECTS = new WeakMap<Resource, Subject>();

/** Subject of a resource (one object per resource: rules ask for it once per outcome). */
export function subjectOf(resource: Resource): Subject {
  let subject = SUBJECTS.get(resource);
  if (!subject) {
    subject = { address: resource.address, path: resource.path, file: resource.file, line: resource.line };
    SUBJECTS.set(resource, subject);
  }
  return subject;
}

/** One raw outcome of a rule, before suppressions. */
export interface RawOutcome {
  readonly ruleId: string;
  readonly detail?: string;
  readonly subject: Subject;
  readonly outcome: ApimRuleOutcome;
  readonly message?: string;
  /** Level override (e.g. APIM-SUBSCRIPTION reports undecidable provider pairs as warnings). */
  readonly level?: ApimRuleLevel;
  /** For an unknown outcome: what the user can do, when the rule knows better than "use literal values". */
  readonly fix?: string;
}

/** What a rule's `check` records outcomes with: scoped to the rule, so the rule never repeats its id. */
export interface RuleResult {
  /** The resource meets the rule. */
  pass(subject: Subject, detail?: string): void;
  /** The resource breaks the rule; `level` overrides the rule's level for this finding. */
  fail(subject: Subject, message: string, detail?: string, level?: ApimRuleLevel): void;
  /**
   * A value the rule needs is not known at synth time: reported as APIM-UNKNOWN naming the rule, never a pass. `fix`
   * replaces the generic advice (literal values, or a suppression) when the rule knows what the user can give.
   */
  unknown(subject: Subject, what: Unknown | string, detail?: string, fix?: string): void;
  /** The rule does not apply to the resource. */
  notApplicable(subject: Subject, message: string, detail?: string): void;
  /** Pass when `ok`, else fail with the message. */
  check(subject: Subject, ok: boolean, message: () => string, detail?: string): void;
  /** How many outcomes this rule has recorded so far. */
  readonly recorded: number;
}

/**
 * The outcomes of a check that applies only under a condition not known at synth time (the APIM mode, the number of
 * locations): a pass stands (it passes either way); a problem becomes unknown, saying `whether` and what it would be.
 */
export function underCondition(r: RuleResult, whether: string | undefined): RuleResult {
  if (whether === undefined) {
    return r;
  }
  const wrapped: RuleResult = {
    pass: (subject, detail) => r.pass(subject, detail),
    fail: (subject, message, detail) => r.unknown(subject, `${whether}; if it is: ${message}`, detail),
    unknown: (subject, what, detail, fix) => r.unknown(subject, `${whether}; ${typeof what === 'string' ? what : what.reason}`, detail,
      fix ?? (typeof what === 'string' ? undefined : what.fix)),
    notApplicable: (subject, message, detail) => r.notApplicable(subject, message, detail),
    check: (subject, ok, message, detail) => (ok ? wrapped.pass(subject, detail) : wrapped.fail(subject, message(), detail)),
    get recorded() {
      return r.recorded;
    },
  };
  return wrapped;
}

/** A rule: its metadata and, except for the meta rules, its evaluation. */
export interface Rule extends ApimRuleInfo {
  /** Evaluate the rule over the targets of one document (absent for the meta rules the engine itself reports). */
  readonly check?: (t: Targets, r: RuleResult) => void;
}

/** Define a rule: metadata and evaluation side by side. */
export function defineRule(rule: Rule): Rule {
  return Object.freeze({ ...rule });
}

/** The metadata of a rule, without its evaluation (what reports list). */
export function infoOf(rule: Rule): ApimRuleInfo {
  const { id, level, area, title, why, fix, source } = rule;
  return { id, level, area, title, why, fix, source };
}

/**
 * Collects the outcomes of every rule of one evaluation. The same outcome can be recorded twice (an NSG that serves two
 * APIM subnets is judged once per subnet): the first is kept. A pass is the same outcome when rule, subject and detail
 * are; any other outcome when its message is the same too.
 */
export class OutcomeCollector {
  /**
   * In the order recorded: a pass as the outcome the reports list (it is never suppressed, and most outcomes are
   * passes: built once, not twice), any other outcome raw, for the engine to match suppressions and build findings.
   */
  public readonly outcomes: Array<RawOutcome | ApimCheckOutcome> = [];

  /** A collector scoped to one rule. */
  public forRule(ruleId: string): RuleResult {
    const outcomes = this.outcomes;
    let recorded = 0;
    // Per subject address, the details passed, and the other outcomes seen: no key strings are built for the thousands
    // of passes of a large stack.
    const passed = new Map<string, string | undefined | Set<string | undefined>>();
    const others = new Set<string>();
    const pass = (subject: Subject, detail: string | undefined) => {
      recorded++;
      const { address, path, file, line } = subject;
      const seen = passed.get(address);
      if (seen === undefined && !passed.has(address)) {
        passed.set(address, detail);
      } else if (seen instanceof Set) {
        if (seen.has(detail)) {
          return;
        }
        seen.add(detail);
      } else if (seen === detail) {
        return;
      } else {
        passed.set(address, new Set([seen, detail]));
      }
      // One literal per shape: thousands of passes per stack.
      outcomes.push(file === undefined
        ? { ruleId, detail, address, constructPath: path, message: undefined, outcome: ApimRuleOutcome.PASS }
        : { ruleId, detail, address, constructPath: path, message: undefined, file, line, outcome: ApimRuleOutcome.PASS });
    };
    const push = (outcome: RawOutcome) => {
      recorded++;
      // A JSON array: no two different outcomes share a key, whatever characters their strings hold.
      const key = JSON.stringify([outcome.subject.address, outcome.detail ?? null, outcome.outcome, outcome.message ?? null]);
      if (others.has(key)) {
        return;
      }
      others.add(key);
      outcomes.push(outcome);
    };
    const result: RuleResult = {
      pass,
      fail: (subject, message, detail, level) => push({ ruleId, detail, subject, outcome: ApimRuleOutcome.FAIL, message, level }),
      unknown: (subject, what, detail, fix) => push({
        ruleId, detail, subject, outcome: ApimRuleOutcome.UNKNOWN, message: typeof what === 'string' ? what : what.reason,
        fix: fix ?? (typeof what === 'string' ? undefined : what.fix),
      }),
      notApplicable: (subject, message, detail) => push({ ruleId, detail, subject, outcome: ApimRuleOutcome.NOT_APPLICABLE, message }),
      check: (subject, ok, message, detail) => (ok ? result.pass(subject, detail) : result.fail(subject, message(), detail)),
      get recorded() {
        return recorded;
      },
    };
    return result;
  }
}
