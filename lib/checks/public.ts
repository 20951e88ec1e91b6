import { RULES, renderRuleTable } from './catalog';
import { evaluateDocument } from './engine';
import { ApimNetworkError, ApimNetworkErrorCode, ApimNetworkProblem, renderValue } from '../core/errors';
import { ApimVirtualNetworkType } from '../core/types';
import { ApimCheckResult, ApimOrphanNsgs, ApimRuleInfo, ApimSuppression } from './types';

/** Options of `ApimNetworkRules.evaluateWith`. */
export interface ApimEvaluationOptions {
  /**
   * Suppressions, matched by construct path (`"//".metadata.path` of each resource).
   *
   * @default - none
   */
  readonly suppressions?: ApimSuppression[];

  /**
   * Report warnings as errors.
   *
   * @default false
   */
  readonly strict?: boolean;

  /**
   * Values of input variables (from tfvars): `var.<name>` reads them; any other variable is unknown at synth time.
   *
   * @default - every variable is unknown
   */
  readonly variables?: { [name: string]: any };

  /**
   * The documents of the other stacks of the app, by stack name: cdktf cross-stack references
   * (`data.terraform_remote_state.cross-stack-reference-input-<stack>`) are read from them.
   *
   * @default - remote state is unknown
   */
  readonly documents?: { [stack: string]: any };

  /**
   * Which NSGs that no APIM instance of the document uses are checked as APIM NSGs (for a network repository without
   * the instance).
   *
   * @default ApimOrphanNsgs.NONE
   */
  readonly orphanNsgs?: ApimOrphanNsgs;

  /**
   * The APIM mode those NSGs serve. Without it, the rules that depend on the mode (the client 443 flow, Internal-mode
   * exposure) report unknown for them.
   *
   * @default - not known
   */
  readonly orphanMode?: ApimVirtualNetworkType;
}

const WHERE = 'ApimNetworkRules.evaluate';

function problem(prop: string, value: unknown, what: string, accepted: string): ApimNetworkProblem {
  return { code: ApimNetworkErrorCode.INVALID_TYPE, prop, value: renderValue(value), problem: what, accepted };
}

/** Check the suppressions argument: a list of { ruleId, reason, constructPath } objects. */
function checkSuppressions(prop: string, suppressions: unknown): ApimNetworkProblem[] {
  if (suppressions === undefined) {
    return [];
  }
  if (!Array.isArray(suppressions)) {
    return [problem(prop, suppressions, 'it is not a list', 'give a list of { ruleId, reason, constructPath }, or nothing')];
  }
  return suppressions.flatMap((s, i) => (s !== null && typeof s === 'object' && typeof s.ruleId === 'string' && typeof s.reason === 'string' &&
    typeof s.constructPath === 'string' ? [] : [problem(`${prop}[${i}]`, s, 'it is not a suppression', 'give { ruleId, reason, constructPath }, all strings')]));
}

function checkMap(prop: string, value: unknown): ApimNetworkProblem[] {
  return value === undefined || (value !== null && typeof value === 'object' && !Array.isArray(value)) ? []
    : [problem(prop, value, 'it is not a map', 'give an object keyed by name, or nothing')];
}

/**
 * The rules as data, and the engine over any Terraform JSON document (a cdk.tf.json of any cdktf app, or HCL turned
 * into JSON), without cdktf.
 */
export class ApimNetworkRules {
  /** Metadata of every rule. */
  public static all(): ApimRuleInfo[] {
    return [...RULES];
  }

  /** The rule table as Markdown (id, level, what, why, fix). */
  public static markdownTable(): string {
    return renderRuleTable();
  }

  /**
   * Evaluate a Terraform JSON document (the parsed content of a cdk.tf.json).
   *
   * @param document the parsed JSON
   * @param suppressions suppressions, matched by construct path (`"//".metadata.path` of each resource)
   * @param strict report warnings as errors
   */
  public static evaluate(document: any, suppressions?: ApimSuppression[], strict?: boolean): ApimCheckResult {
    const problems = [
      ...checkSuppressions('suppressions', suppressions),
      ...(strict === undefined || typeof strict === 'boolean' ? [] : [problem('strict', strict, 'it is not a boolean', 'give true or false')]),
    ];
    if (problems.length > 0) {
      throw new ApimNetworkError(WHERE, problems);
    }
    return evaluateDocument(document, { suppressions: suppressions ?? [], strict: strict ?? false });
  }

  /**
   * Evaluate a Terraform JSON document with options: variable values, the other stacks' documents, and which NSGs
   * without an APIM instance in the document to check (what a command-line checker over HCL folders needs).
   *
   * @param document the parsed JSON
   * @param options what the evaluation knows beyond the document
   */
  public static evaluateWith(document: any, options: ApimEvaluationOptions = {}): ApimCheckResult {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw new ApimNetworkError(WHERE, [problem('options', options, 'it is not an options object', 'give { suppressions, strict, variables, documents, orphanNsgs, orphanMode }, or nothing')]);
    }
    const orphanNsgs = Object.values(ApimOrphanNsgs) as string[];
    const modes = Object.values(ApimVirtualNetworkType) as string[];
    const problems = [
      ...checkSuppressions('options.suppressions', options.suppressions),
      ...(options.strict === undefined || typeof options.strict === 'boolean' ? [] : [problem('options.strict', options.strict, 'it is not a boolean', 'give true or false')]),
      ...checkMap('options.variables', options.variables),
      ...checkMap('options.documents', options.documents),
      ...(options.orphanNsgs === undefined || orphanNsgs.includes(options.orphanNsgs) ? []
        : [problem('options.orphanNsgs', options.orphanNsgs, 'it is not an ApimOrphanNsgs value', `give one of ${orphanNsgs.join(', ')}`)]),
      ...(options.orphanMode === undefined || modes.includes(options.orphanMode) ? []
        : [problem('options.orphanMode', options.orphanMode, 'it is not an ApimVirtualNetworkType value', `give one of ${modes.join(', ')}`)]),
    ];
    if (problems.length > 0) {
      throw new ApimNetworkError(WHERE, problems);
    }
    return evaluateDocument(document, {
      suppressions: options.suppressions ?? [], strict: options.strict ?? false, variables: options.variables, documents: options.documents,
      orphanNsgs: options.orphanNsgs, orphanMode: options.orphanMode === ApimVirtualNetworkType.INTERNAL ? 'Internal'
        : options.orphanMode === ApimVirtualNetworkType.EXTERNAL ? 'External' : undefined,
    });
  }

  private constructor() {}
}
