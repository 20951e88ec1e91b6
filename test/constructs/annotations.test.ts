/**
 * Point 12: what the constructs print at `cdktf synth` carries no stack trace. The CLI prints each annotation of the
 * manifest as one `LEVEL [path]: message` line, plus its stack trace under an error; a trace is about 30 lines.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { ApimPublicIp, ApimVirtualNetworkType, MultiRegionApimNetwork } from '../../lib';

function synthesizedAnnotations(build: (stack: TerraformStack) => void): Array<{ level: string; message: string; stacktrace?: string[] }> {
  // stackTraces are on, as in a user's app: the library must switch them off for its own annotations.
  const app = new App({ outdir: Testing.app().outdir });
  const stack = new TerraformStack(app, 'platform');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  build(stack);
  app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
  return manifest.stacks.platform.annotations;
}

/** The lines `cdktf synth` prints for an annotation (cdktf-cli's printAnnotations). */
const printedLines = (a: { level: string; message: string; stacktrace?: string[] }) =>
  a.message.split('\n').length + (a.level === '@cdktf/error' && a.stacktrace ? a.stacktrace.length : 0);

describe('annotations of the constructs', () => {
  test('warnings carry no stack trace and print in at most three lines', () => {
    const annotations = synthesizedAnnotations((stack) => {
      new MultiRegionApimNetwork(stack, 'network', {
        virtualNetworkType: ApimVirtualNetworkType.INTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg', checks: false,
        regions: [
          { location: 'westeurope', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' },
          { location: 'northeurpoe', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.2.0/27' },
        ],
      });
      new ApimPublicIp(stack, 'pip', { resourceGroupName: 'rg', location: 'marscentral', apiManagementName: 'contoso-apim' });
    });
    expect(annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(/^regions\[1\]\.addressSpace "10\.1\.0\.0\/16": it overlaps/),
    ]);
    for (const annotation of annotations) {
      expect(annotation.stacktrace).toBeUndefined();
      expect(printedLines(annotation)).toBeLessThanOrEqual(3);
    }
  });
});
