/**
 * `check cdktf.out` on an app with a stack inside another (outside review, session 4): the documents are named by
 * construct path, as cdktf names the remote state the other stacks read them through, so references into the nested
 * stack are followed as synth follows them.
 */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { jsonOf } from './support';
import { connected } from '../support/connected';

test('a reference into a nested stack is followed: the APIM in the wrong region is an error, as in synth', () => {
  const outdir = Testing.app().outdir;
  const app = new App({ outdir, stackTraces: false });
  const p = new TerraformStack(app, 'p');
  const n = new TerraformStack(p, 'n');
  for (const stack of [p, n]) {
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
  }
  connected(n, p).addOverride('location', 'northeurope');
  app.synth();
  const { code, report } = jsonOf(['check', outdir]);
  expect(code).toBe(1);
  expect(report.findings.filter((f: any) => f.level === 'error').map((f: any) => f.ruleId)).toContain('APIM-LOCATION');
  expect(report.inputs[0].documents).toEqual(['p/n', 'p']);
});
