import { TerraformStack, Testing } from 'cdktf';
import { guard } from '../checks/arguments';
import { evaluateDocument } from '../checks/engine';
import { ApimCheckResult, ApimFinding, ApimRuleLevel } from '../checks/types';
import { ApimNetworkError, ApimNetworkErrorCode, renderValue } from '../core/errors';
import { ApimNetworkChecks, sharedSuppressions } from './apim-network-checks';
import { markSettled, otherStackDocuments, stackDocument } from './document';

/**
 * Options of `ApimNetworkTesting`.
 */
export interface ApimNetworkTestingOptions {
  /**
   * Report warnings as errors.
   *
   * @default false
   */
  readonly strict?: boolean;
}

/**
 * Helpers for your own tests: the findings of a stack, without synthesizing an app.
 *
 * `Testing.synth` neither fails on nor returns error annotations; these helpers evaluate the stack the way
 * `cdktf synth` does (after its aspects, with its suppressions) and return what the checks found.
 *
 * @example
 * const findings = ApimNetworkTesting.findings(stack);
 * expect(findings.filter((f) => f.ruleId === 'APIM-NSG-REQUIRED')).toEqual([]);
 */
export class ApimNetworkTesting {
  /** Every finding of the stack (errors and warnings). */
  public static findings(stack: TerraformStack, options: ApimNetworkTestingOptions = {}): ApimFinding[] {
    return ApimNetworkTesting.evaluate(stack, options).findings;
  }

  /** The error findings of the stack: what would fail `cdktf synth`. */
  public static errors(stack: TerraformStack, options: ApimNetworkTestingOptions = {}): ApimFinding[] {
    return ApimNetworkTesting.findings(stack, options).filter((f) => f.level === ApimRuleLevel.ERROR);
  }

  /** The full evaluation: every rule x resource outcome and the findings. */
  public static evaluate(stack: TerraformStack, options: ApimNetworkTestingOptions = {}): ApimCheckResult {
    // Read once, under a guard: a getter or a Proxy trap that throws names the argument.
    const read = guard('ApimNetworkTesting', 'options', () => {
      if (options === null || typeof options !== 'object' || (options.strict !== undefined && typeof options.strict !== 'boolean')) {
        throw new ApimNetworkError('ApimNetworkTesting', [{
          code: ApimNetworkErrorCode.INVALID_TYPE, prop: 'options', value: renderValue(options), problem: 'it is not { strict?: boolean }',
          accepted: 'give { strict: true } or { strict: false }, or nothing',
        }]);
      }
      return { strict: options.strict };
    });
    if (!guard('ApimNetworkTesting', 'stack', () => TerraformStack.isStack(stack))) {
      throw new ApimNetworkError('ApimNetworkTesting', [{
        code: ApimNetworkErrorCode.INVALID_TYPE, prop: 'stack', value: renderValue(typeof stack), problem: 'it is not a TerraformStack',
        accepted: 'pass the stack to evaluate',
      }]);
    }
    // Testing.synth runs the stack's aspects, as synthesis would, before the document is read.
    Testing.synth(stack);
    markSettled(stack);
    // A suppression that may serve another stack (set outside this one, covering outside it, or in a stack another one
    // references) is reported unused only when this is the app's only stack.
    const alone = stack.node.root.node.findAll().filter((c) => TerraformStack.isStack(c)).length === 1;
    return evaluateDocument(stackDocument(stack), {
      documents: otherStackDocuments(stack),
      shared: alone ? undefined : sharedSuppressions(stack),
      suppressions: ApimNetworkChecks.suppressionsOf(stack),
      strict: read.strict ?? false,
    });
  }

  private constructor() {}
}
