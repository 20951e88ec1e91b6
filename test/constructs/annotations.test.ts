/**
 * Point 12: what the library prints at `cdktf synth` carries no stack trace. cdktf-cli prints each annotation of the
 * manifest as one `LEVEL [path]: message` line, and under an error annotation its stack trace (about 30 lines).
 * `cdktf synth` runs the app with CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS set, so the manifest is written even
 * when findings are errors; these tests do the same and read what the CLI would print.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { ApimVirtualNetworkType, MultiRegionApimNetwork } from '../../lib';
import { asCdktfSynth } from '../support/stack';

interface Annotation {
  readonly constructPath?: string;
  readonly level: string;
  readonly message: string;
  readonly stacktrace?: string[];
}

function synthesizedAnnotations(build: (stack: TerraformStack) => void): Annotation[] {
  return asCdktfSynth(() => {
    // Stack traces are on, as in a user's app: the library must leave them out of its own annotations.
    const app = new App({ outdir: Testing.app().outdir });
    const stack = new TerraformStack(app, 'platform');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    build(stack);
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
    return manifest.stacks.platform.annotations;
  });
}

/** The lines `cdktf synth` prints for an annotation (cdktf-cli's printAnnotations). */
const printedLines = (a: Annotation) => a.message.split('\n').length + (a.level === '@cdktf/error' && a.stacktrace ? a.stacktrace.length : 0);

/**
 * An Internal network in westeurope and the misspelt "northeurpoe" (given address space and subnet), whose NSG an
 * escape hatch breaks (the checks must fail synth with an error finding), and an APIM instance it is not connected to.
 */
function brokenNetworkAndApim(stack: TerraformStack, second: { space: string; subnet: string }): void {
  const network = new MultiRegionApimNetwork(stack, 'network', {
    virtualNetworkType: ApimVirtualNetworkType.INTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg',
    regions: [
      { location: 'westeurope', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' },
      { location: 'northeurpoe', addressSpace: [second.space], subnetAddressPrefix: second.subnet },
    ],
  });
  network.primary.networkSecurityGroup.networkSecurityGroup.addOverride('security_rule.0.destination_port_range', '3433');
  new ApiManagement(stack, 'apim', {
    name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'C', publisherEmail: 'a@contoso.example', skuName: 'Premium_1',
  });
}

describe('annotations of the library at cdktf synth', () => {
  test('construct warnings and check findings (errors included) carry no stack trace and print in at most three lines', () => {
    // The second region reuses the first's address space: a construct warning beside the findings.
    const annotations = synthesizedAnnotations((stack) => brokenNetworkAndApim(stack, { space: '10.1.0.0/16', subnet: '10.1.2.0/27' }));
    const levels = annotations.map((a) => `${a.level} ${a.message.split(' ')[0]}`);
    expect(levels).toEqual(expect.arrayContaining([
      '@cdktf/warn regions[1].addressSpace', '@cdktf/warn [APIM-LOCATION-UNKNOWN[northeurpoe]]',
      '@cdktf/warn [APIM-NOT-CONNECTED]', expect.stringMatching(/^@cdktf\/error \[APIM-NSG-REQUIRED/),
    ]));
    for (const annotation of annotations) {
      expect(annotation.stacktrace).toBeUndefined();
      expect(printedLines(annotation)).toBeLessThanOrEqual(3);
    }
  });

  test('each finding is attached to the construct it names (the NSG, the APIM instance, the network), never to the stack instead', () => {
    const annotations = synthesizedAnnotations((stack) => brokenNetworkAndApim(stack, { space: '10.2.0.0/16', subnet: '10.2.1.0/27' }));
    const pathOf = (prefix: string) => annotations.filter((a) => a.message.startsWith(prefix)).map((a) => a.constructPath);
    expect(pathOf('[APIM-NSG-REQUIRED')).toEqual(['platform/network/westeurope/nsg/nsg']);
    expect(pathOf('[APIM-NOT-CONNECTED]')).toEqual(['platform/apim']);
    expect(new Set(pathOf('[APIM-LOCATION-UNKNOWN'))).toEqual(new Set([expect.stringMatching(/^platform\/network\/northeurpoe\//)]));
  });
});
