import { allRules, checkDocumentShape, evaluateDocument, guard, plainJson, readSuppressions, renderRuleTable } from './lazy';
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
   * The documents of the other stacks of the app, by stack name (the construct path for a stack inside another one,
   * `platform/api`): cdktf cross-stack references (`data.terraform_remote_state.cross-stack-reference-input-<stack>`,
   * where a path's `/` is written `--`) are read from them.
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

function checkMap(prop: string, value: unknown): ApimNetworkProblem[] {
  return value === undefined || (value !== null && typeof value === 'object' && !Array.isArray(value)) ? []
    : [problem(prop, value, 'it is not a map', 'give an object keyed by name, or nothing')];
}

function checkBoolean(prop: string, value: unknown): ApimNetworkProblem[] {
  return value === undefined || typeof value === 'boolean' ? [] : [problem(prop, value, 'it is not a boolean', 'give true or false')];
}

/** The document, copied into plain data and checked to be Terraform JSON. */
function readDocument(prop: string, document: unknown): unknown {
  if (guard(WHERE, prop, () => document === null || typeof document !== 'object' || Array.isArray(document))) {
    checkDocumentShape(WHERE, prop, document);
  }
  const copy = plainJson(WHERE, prop, document);
  checkDocumentShape(WHERE, prop, copy);
  return copy;
}

/**
 * The rules as data, and the engine over any Terraform JSON document (a cdk.tf.json of any cdktf app, or HCL turned
 * into JSON), without cdktf.
 */
export class ApimNetworkRules {
  /** Metadata of every rule. */
  public static all(): ApimRuleInfo[] {
    return [...allRules()];
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
    const read = readSuppressions(WHERE, 'suppressions', suppressions);
    const problems = [...read.problems, ...checkBoolean('strict', strict)];
    if (problems.length > 0) {
      throw new ApimNetworkError(WHERE, problems);
    }
    return evaluateDocument(readDocument('document', document), { suppressions: read.suppressions, strict: strict ?? false });
  }

  /**
   * Evaluate a Terraform JSON document with options: variable values, the other stacks' documents, and which NSGs
   * without an APIM instance in the document to check (what a command-line checker over HCL folders needs).
   *
   * @param document the parsed JSON
   * @param options what the evaluation knows beyond the document
   */
  public static evaluateWith(document: any, options: ApimEvaluationOptions = {}): ApimCheckResult {
    // Every field is read once, under a guard (a getter or a Proxy trap that throws names the option).
    const o = guard(WHERE, 'options', () => {
      if (options === null || typeof options !== 'object' || Array.isArray(options)) {
        throw new ApimNetworkError(WHERE, [problem('options', options, 'it is not an options object', 'give { suppressions, strict, variables, documents, orphanNsgs, orphanMode }, or nothing')]);
      }
      const { suppressions, strict, variables, documents, orphanNsgs, orphanMode } = options;
      return { suppressions, strict, variables, documents, orphanNsgs, orphanMode };
    });
    const orphanNsgs = Object.values(ApimOrphanNsgs) as string[];
    const modes = Object.values(ApimVirtualNetworkType) as string[];
    const read = readSuppressions(WHERE, 'options.suppressions', o.suppressions);
    const variables = o.variables === undefined ? undefined : plainJson(WHERE, 'options.variables', o.variables);
    const documents = o.documents === undefined ? undefined : plainJson(WHERE, 'options.documents', o.documents);
    const problems = [
      ...read.problems,
      ...checkBoolean('options.strict', o.strict),
      ...checkMap('options.variables', variables),
      ...checkMap('options.documents', documents),
      ...(o.orphanNsgs === undefined || orphanNsgs.includes(o.orphanNsgs) ? []
        : [problem('options.orphanNsgs', o.orphanNsgs, 'it is not an ApimOrphanNsgs value', `give one of ${orphanNsgs.join(', ')}`)]),
      ...(o.orphanMode === undefined || modes.includes(o.orphanMode) ? []
        : [problem('options.orphanMode', o.orphanMode, 'it is not an ApimVirtualNetworkType value', `give one of ${modes.join(', ')}`)]),
    ];
    if (problems.length > 0) {
      throw new ApimNetworkError(WHERE, problems);
    }
    for (const [stack, other] of Object.entries((documents ?? {}) as Record<string, unknown>)) {
      checkDocumentShape(WHERE, `options.documents.${stack}`, other);
    }
    return evaluateDocument(readDocument('document', document), {
      suppressions: read.suppressions, strict: o.strict ?? false, variables: variables as Record<string, unknown> | undefined,
      documents: documents as Record<string, unknown> | undefined, orphanNsgs: o.orphanNsgs,
      orphanMode: o.orphanMode === ApimVirtualNetworkType.INTERNAL ? 'Internal' : o.orphanMode === ApimVirtualNetworkType.EXTERNAL ? 'External' : undefined,
    });
  }

  private constructor() {}
}
