import * as fs from 'fs';
import * as path from 'path';
import { DataAzurermSubnet } from '@cdktf/provider-azurerm/lib/data-azurerm-subnet';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { App, TerraformStack, Testing } from 'cdktf';
import * as fc from 'fast-check';
import { ApimNetworkError, ApimNetworkRules, ApimNetworkTesting } from '../../lib';
import { brownfield, evaluate, findingsOf } from './brownfield';

describe('values the checks cannot know at synth time are APIM-UNKNOWN, never a silent pass', () => {
  test('a subnet from a data source: every subnet rule and the NSG rules report unknown', () => {
    const b = brownfield();
    const existing = new DataAzurermSubnet(b.stack, 'existing', { name: 'snet-apim', virtualNetworkName: 'vnet-hub', resourceGroupName: 'rg-net' });
    b.apim.putVirtualNetworkConfiguration({ subnetId: existing.id });
    const result = evaluate(b.stack);
    for (const rule of ['APIM-SUBNET-DELEGATION', 'APIM-SUBNET-NSG', 'APIM-SUBNET-SIZE', 'APIM-SUBNET-PREFIX', 'APIM-NSG-REQUIRED']) {
      expect(findingsOf(result, rule, true).map((f) => f.message)).toEqual(
        expect.arrayContaining([expect.stringMatching(/the subnet of primary: the data source data\.azurerm_subnet\.existing\.id/)]));
    }
  });

  test('a public IP from a variable: every public IP rule reports unknown', () => {
    const b = brownfield({ apim: { zones: ['1'] } });
    b.apim.publicIpAddressId = b.variable('pip_id');
    const result = evaluate(b.stack);
    for (const rule of ['APIM-PIP-SKU', 'APIM-PIP-ALLOCATION', 'APIM-PIP-VERSION', 'APIM-PIP-DNS-LABEL', 'APIM-PIP-ZONES']) {
      expect(findingsOf(result, rule, true)).toHaveLength(1);
    }
  });

  test('a public IP from another stack of the same app (a cross-stack reference) is read from that stack\'s document', () => {
    const app = new App({ outdir: Testing.app().outdir, stackTraces: false });
    const shared = new TerraformStack(app, 'shared');
    new AzurermProvider(shared, 'azurerm', { features: [{}] });
    const pip = new PublicIp(shared, 'pip', { name: 'pip', location: 'westeurope', resourceGroupName: 'rg', sku: 'Standard', allocationMethod: 'Static', domainNameLabel: 'x' });
    const stack = new TerraformStack(app, 'apim');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    const { ApiManagement } = jest.requireActual('@cdktf/provider-azurerm/lib/api-management');
    new ApiManagement(stack, 'apim', {
      name: 'contoso', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'C', publisherEmail: 'a@b.example', skuName: 'Premium_1',
      virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetId: '/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s' },
      publicIpAddressId: pip.id,
    });
    app.synth();
    const doc = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'apim', 'cdk.tf.json'), 'utf8'));
    expect(JSON.stringify(doc.resource.azurerm_api_management)).toMatch(/data\.terraform_remote_state\.cross-stack-reference-input-shared\.outputs\.cross-stack-output-/);
    const result = ApimNetworkTesting.evaluate(stack);
    const pipOutcomes = result.outcomes.filter((o) => o.ruleId.startsWith('APIM-PIP-'));
    expect(pipOutcomes.map((o) => [o.ruleId, o.address, o.outcome])).toEqual(expect.arrayContaining([
      ['APIM-PIP-SKU', 'azurerm_public_ip.pip', 'pass'], ['APIM-PIP-DNS-LABEL', 'azurerm_public_ip.pip', 'pass'],
    ]));
    expect(result.findings.filter((f) => f.detail?.startsWith('APIM-PIP'))).toEqual([]);
    // Evaluated alone (without the other stack's document), the same value is remote state: unknown, never a pass.
    const alone = ApimNetworkRules.evaluate(doc);
    expect(alone.findings.filter((f) => f.ruleId === 'APIM-UNKNOWN').map((f) => f.message)).toEqual(expect.arrayContaining([
      expect.stringMatching(/APIM-PIP-SKU\[primary\] cannot decide at synth time: the public IP of primary: remote state .*another stack/)]));
  });
});

test('property: any JSON document is evaluated without an exception (garbage in, findings or nothing out)', () => {
  fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.record({ resource: fc.dictionary(fc.constantFrom('azurerm_api_management', 'azurerm_subnet', 'azurerm_network_security_group', 'azurerm_public_ip'), fc.dictionary(fc.string(), fc.jsonValue())) })), (doc) => {
    try {
      ApimNetworkRules.evaluate(doc);
    } catch (error) {
      expect(error).toBeInstanceOf(ApimNetworkError);
    }
  }), { numRuns: 300 });
});
