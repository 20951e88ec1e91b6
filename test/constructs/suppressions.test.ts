/**
 * Point 11: a suppression set on a network covers the findings on the resources it created and on the APIM instance
 * it was connected to (in its stack or another one); an unused suppression says where a matching finding was.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { ApimNetworkChecks, ApimNetworkTesting, ApimVirtualNetworkType, MultiRegionApimNetwork } from '../../lib';

const REASON = 'vnet-hub-neu is the network team\'s: northeurope, this subscription (ADR-7)';

function stackIn(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  return stack;
}

/** A network whose northeurope region is an existing virtual network: the APIM instance gets APIM-UNKNOWN[APIM-LOCATION]. */
function networkIn(stack: TerraformStack): MultiRegionApimNetwork {
  return new MultiRegionApimNetwork(stack, 'network', {
    virtualNetworkType: ApimVirtualNetworkType.EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg',
    regions: [
      { location: 'westeurope', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' },
      { location: 'northeurope', virtualNetworkName: 'vnet-hub-neu', subnetAddressPrefix: '10.20.4.0/27' },
    ],
  });
}

const apimIn = (stack: TerraformStack) => new ApiManagement(stack, 'apim', {
  name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'C', publisherEmail: 'a@contoso.example', skuName: 'Premium_1',
});

const ids = (findings: Array<{ ruleId: string; detail?: string; constructPath: string }>) => findings.map((f) => `${f.ruleId}[${f.detail}] ${f.constructPath}`);

/** The findings cdktf synth writes into a stack's report. */
function reported(app: App, stack: string): Array<{ ruleId: string; detail?: string; constructPath: string; message: string }> {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', stack, 'apim-network-checks.json'), 'utf8')).findings;
}

describe('suppressions on a network', () => {
  test('control: the findings sit on the APIM instance, outside the network\'s subtree', () => {
    const stack = stackIn(Testing.app(), 'platform');
    networkIn(stack).connect(apimIn(stack));
    expect(ids(ApimNetworkTesting.findings(stack))).toContain('APIM-UNKNOWN[APIM-LOCATION] platform/apim');
  });

  test('cover the APIM instance the network was connected to, in the same stack; nothing is reported unused', () => {
    const stack = stackIn(Testing.app(), 'platform');
    const network = networkIn(stack);
    network.connect(apimIn(stack));
    ApimNetworkChecks.suppress(network, 'APIM-UNKNOWN[APIM-LOCATION]', REASON);
    const result = ApimNetworkTesting.evaluate(stack);
    expect(ids(result.findings).filter((f) => f.includes('APIM-LOCATION') || f.startsWith('APIM-SUPPRESSION-UNUSED'))).toEqual([]);
    expect(result.outcomes.filter((o) => o.outcome === 'suppressed').map((o) => `${o.detail} ${o.constructPath}`))
      .toEqual(expect.arrayContaining([expect.stringMatching(/ platform\/apim$/)]));
  });

  test('cover the APIM instance in another stack, through cdktf synth; nothing is reported unused', () => {
    const build = (suppress: boolean) => {
      const app = new App({ outdir: Testing.app().outdir, stackTraces: false });
      const [net, svc] = [stackIn(app, 'net'), stackIn(app, 'svc')];
      const network = networkIn(net);
      network.connect(apimIn(svc));
      if (suppress) {
        ApimNetworkChecks.suppress(network, 'APIM-UNKNOWN[APIM-LOCATION]', REASON);
        ApimNetworkChecks.suppress(network, 'APIM-UNKNOWN[APIM-SUBNET-PREFIX]', REASON);
      }
      app.synth();
      return app;
    };
    expect(ids(reported(build(false), 'svc'))).toContain('APIM-UNKNOWN[APIM-LOCATION] svc/apim');
    const app = build(true);
    expect(ids(reported(app, 'svc')).filter((f) => f.includes('APIM-LOCATION') || f.startsWith('APIM-SUPPRESSION-UNUSED'))).toEqual([]);
    expect(ids(reported(app, 'net')).filter((f) => f.startsWith('APIM-SUPPRESSION-UNUSED') || f.includes('APIM-SUBNET-PREFIX'))).toEqual([]);
  });

  test('a suppression elsewhere stays unused and says where the matching finding is', () => {
    const stack = stackIn(Testing.app(), 'platform');
    networkIn(stack).connect(apimIn(stack));
    ApimNetworkChecks.suppress(new Construct(stack, 'elsewhere'), 'APIM-UNKNOWN[APIM-LOCATION]', REASON);
    const unused = ApimNetworkTesting.findings(stack).filter((f) => f.ruleId === 'APIM-SUPPRESSION-UNUSED');
    expect(unused.map((f) => f.message)).toEqual([
      `the suppression of APIM-UNKNOWN[APIM-LOCATION] set on platform/elsewhere ("${REASON}") matched no finding; a matching finding is on ` +
      'platform/apim, outside what it covers: set it there, or on a construct above both',
    ]);
  });

  test('an APIM instance the network was not connected to is not covered', () => {
    const stack = stackIn(Testing.app(), 'platform');
    const network = networkIn(stack);
    const other = apimIn(stack);
    other.virtualNetworkType = 'External';
    other.putVirtualNetworkConfiguration({ subnetId: network.regions[1].subnetId });
    ApimNetworkChecks.suppress(network, 'APIM-UNKNOWN[APIM-LOCATION]', REASON);
    expect(ids(ApimNetworkTesting.findings(stack))).toEqual(expect.arrayContaining([
      'APIM-UNKNOWN[APIM-LOCATION] platform/apim', expect.stringMatching(/^APIM-SUPPRESSION-UNUSED/),
    ]));
  });
});
