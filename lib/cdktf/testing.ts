import { TerraformStack, Testing } from 'cdktf';
import { guard } from '../checks/lazy';
import { ApimCheckResult, ApimFinding, ApimRuleLevel } from '../checks/types';
import { ApimNetworkError, ApimNetworkErrorCode, renderKind, renderValue } from '../core/errors';
import { ApimNetworkChecks, evaluateStack, newSharedSuppressions } from './apim-network-checks';

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
 * `Testing.synth` neither fails on nor returns error annotations; these helpers return what `cdktf synth` reports for
 * the stack. They replay its order across the stacks of the app: every stack is prepared (cross-stack references,
 * the default local backend), then stack by stack, in the order they were created, its aspects run and the checks
 * evaluate it, reading the stacks before it as synth does, with every suppression of the app (one that no checked stack
 * uses is reported by the last one, as synth reports it). The checked stacks are those `ApimNetworkChecks` is
 * registered on, and the stack asked for.
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
        code: ApimNetworkErrorCode.INVALID_TYPE, prop: 'stack', value: renderKind(stack), problem: 'it is not a TerraformStack',
        accepted: 'pass the stack to evaluate',
      }]);
    }
    return replaySynth(stack, read.strict ?? false);
  }

  private constructor() {}
}

/**
 * The result of a stack as `app.synth()` computes it: the stacks prepared first, then each in creation order, its
 * aspects, then its checks, reading only the stacks whose aspects ran before it.
 */
function replaySynth(target: TerraformStack, strict: boolean): ApimCheckResult {
  const stacks = target.node.root.node.findAll().filter((c) => TerraformStack.isStack(c)) as TerraformStack[];
  const checked = stacks.filter((s) => s === target || ApimNetworkChecks.isRegistered(s));
  const last = stacks.indexOf(checked[checked.length - 1]);
  // Only an app of several stacks can hold cross-stack references to prepare (preparing adds the default backend).
  if (stacks.length > 1) {
    stacks.forEach((s) => s.prepareStack());
  }
  const shared = newSharedSuppressions(checked);
  let found: ApimCheckResult | undefined;
  stacks.slice(0, last + 1).forEach((stack, index) => {
    // Testing.synth runs the stack's aspects, as synthesis does, before its checks read the document.
    Testing.synth(stack);
    if (checked.includes(stack)) {
      const { result } = evaluateStack(stack, strict, shared, (other) => stacks.indexOf(other) < index);
      found = stack === target ? result : found;
    }
  });
  return found as ApimCheckResult;
}

