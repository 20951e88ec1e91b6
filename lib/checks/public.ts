import { RULES, renderRuleTable } from './catalog';
import { evaluateDocument } from './engine';
import { ApimCheckResult, ApimRuleInfo, ApimSuppression } from './types';

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
    return evaluateDocument(document, { suppressions: suppressions ?? [], strict: strict ?? false });
  }

  private constructor() {}
}
