import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { IConstruct } from 'constructs';

/** A stack with the azurerm provider, in a test app (stack traces off, version stubbed). */
export function getTestStack(id = 'test'): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  return stack;
}

/** A stack in an App whose synth goes the way `cdktf synth` goes (annotations enforced). */
export function getEnforcingStack(id = 'test'): { app: App; stack: TerraformStack } {
  const app = new App({ outdir: Testing.app().outdir, stackTraces: false });
  const stack = new TerraformStack(app, id);
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  return { app, stack };
}

/** The synthesized stack as an object (Testing.synth output, metadata stripped). */
export function synthObject(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack));
}

/** Every resource of a type in a synthesized document, as [name, config]. */
export function resourcesOf(doc: any, type: string): Array<[string, any]> {
  return Object.entries(doc.resource?.[type] ?? {});
}

/** The only resource of a type (fails when there are none or several). */
export function onlyResource(doc: any, type: string): any {
  const all = resourcesOf(doc, type);
  if (all.length !== 1) {
    throw new Error(`expected one ${type}, found ${all.length}`);
  }
  return all[0][1];
}

/** Run a function that should throw; return what it threw. */
export function thrown(fn: () => unknown): any {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** The warning annotations of a construct tree, in tree order. */
export function warningsOf(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));
}

/**
 * Run `fn` as `cdktf synth` runs an app: with CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS set, so error annotations are
 * written to the manifest instead of thrown (the variable is restored afterwards).
 */
export function asCdktfSynth<T>(fn: () => T): T {
  const previous = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = 'true';
  try {
    return fn();
  } finally {
    if (previous === undefined) {
      delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    } else {
      process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = previous;
    }
  }
}
