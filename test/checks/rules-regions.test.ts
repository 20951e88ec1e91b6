/**
 * The region rules (lib/checks/rules/regions.ts): compliant, non-compliant and unknown cases on resources written by
 * hand with the provider's classes, and the same through this library's constructs.
 */
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { ApimNetworkChecks, ApimNetworkTesting, ApimRuleOutcome, ApimVirtualNetworkType, MultiRegionApimNetwork } from '../../lib';
import { brownfield, evaluate, expectCompliant, expectFinding, expectUnknown } from './brownfield';

const network = (stack: TerraformStack, regions: Array<Record<string, unknown>>) => new MultiRegionApimNetwork(stack, 'network', {
  virtualNetworkType: ApimVirtualNetworkType.EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg', regions: regions as any,
});

function stackWithProvider(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'lib');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  return stack;
}

const apimOf = (stack: TerraformStack, extra: Record<string, unknown> = {}) => new ApiManagement(stack, 'apim', {
  name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'a@contoso.example',
  skuName: 'Premium_1', ...extra,
});

describe('APIM-LOCATION-UNKNOWN', () => {
  test('compliant: every location is listed', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-LOCATION-UNKNOWN');
  });

  test('non-compliant: a misspelt location, once, with the closest listed name', () => {
    const b = brownfield({ apim: { location: 'westeurpoe' } });
    const finding = expectFinding(evaluate(b.stack), 'APIM-LOCATION-UNKNOWN',
      /^\[APIM-LOCATION-UNKNOWN\[westeurpoe\]\] azurerm_api_management\.apim \(brownfield\/apim\): primary is in "westeurpoe", which is not a region this library lists \(did you mean "westeurope"\?\)/);
    expect(finding.level).toBe('warning');
  });

  test('non-compliant: a region newer than the table gets no suggestion and can be suppressed', () => {
    const b = brownfield({ apim: { location: 'marscentral' } });
    expectFinding(evaluate(b.stack), 'APIM-LOCATION-UNKNOWN', /"marscentral", which is not a region this library lists; this library's/);
    ApimNetworkChecks.suppress(b.stack, 'APIM-LOCATION-UNKNOWN', 'marscentral opened last week; the table is behind');
    expect(evaluate(b.stack).findings.filter((f) => f.ruleId === 'APIM-LOCATION-UNKNOWN')).toEqual([]);
  });

  test('unknown: a location from a variable', () => {
    const b = brownfield();
    b.apim.location = b.variable('location');
    expectUnknown(evaluate(b.stack), 'APIM-LOCATION-UNKNOWN', /var\.location/);
  });

  test('through the constructs: one warning for the location, on the first resource in it', () => {
    const stack = stackWithProvider();
    network(stack, [{ location: 'westeurope', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' },
      { location: 'northeurpoe', addressSpace: ['10.2.0.0/16'], subnetAddressPrefix: '10.2.1.0/27' }]);
    const findings = ApimNetworkTesting.findings(stack).filter((f) => f.ruleId === 'APIM-LOCATION-UNKNOWN');
    expect(findings.map((f) => f.constructPath)).toEqual(['lib/network/northeurpoe/subnet/subnet']);
    expect(findings[0].message).toMatch(/did you mean "northeurope"\?/);
  });

  test('through the constructs with an existing virtual network: the location the construct recorded is judged', () => {
    const stack = stackWithProvider();
    network(stack, [{ location: 'swedencentrl', virtualNetworkName: 'vnet-hub', subnetAddressPrefix: '10.1.1.0/27', publicIp: { enabled: false } }]);
    expect(ApimNetworkTesting.findings(stack).filter((f) => f.ruleId === 'APIM-LOCATION-UNKNOWN').map((f) => f.message))
      .toEqual([expect.stringMatching(/"swedencentrl".*did you mean "swedencentral"/)]);
  });
});

describe('APIM-ZONES-REGION', () => {
  test('compliant: zones in a zonal region', () => {
    expectCompliant(evaluate(brownfield({ apim: { zones: ['1', '2'] }, publicIp: { zones: ['1', '2', '3'] } }).stack), 'APIM-ZONES-REGION');
  });

  test('non-compliant: zones for APIM and its public IP in a region without availability zones', () => {
    const b = brownfield({ apim: { location: 'westcentralus', zones: ['1', '2'] }, publicIp: { location: 'westcentralus', zones: ['1', '2', '3'] } });
    const result = evaluate(b.stack);
    expectFinding(result, 'APIM-ZONES-REGION', /^\[APIM-ZONES-REGION\[primary\]\] azurerm_api_management\.apim .*primary lists zones 1, 2 in westcentralus, which has no availability zones/);
    expectFinding(result, 'APIM-ZONES-REGION', /azurerm_public_ip\.pip lists zones 1, 2, 3 in westcentralus/);
    expect(result.findings.find((f) => f.ruleId === 'APIM-ZONES-REGION')!.level).toBe('error');
  });

  test('not applicable in a region the table does not list (APIM-LOCATION-UNKNOWN says so)', () => {
    const result = evaluate(brownfield({ apim: { location: 'marscentral', zones: ['1'] } }).stack);
    expect(result.findings.filter((f) => f.ruleId === 'APIM-ZONES-REGION')).toEqual([]);
    expect(result.outcomes.filter((o) => o.ruleId === 'APIM-ZONES-REGION').map((o) => o.outcome)).toContain(ApimRuleOutcome.NOT_APPLICABLE);
  });

  test('unknown: zones from a variable', () => {
    const b = brownfield();
    (b.apim as any).zones = [b.variable('zone')];
    expectUnknown(evaluate(b.stack), 'APIM-ZONES-REGION', /var\.zone/);
  });

  test('through the constructs: they refuse zones there before synth; a hand-written APIM connected to a westcentralus network is judged', () => {
    const stack = stackWithProvider();
    const built = network(stack, [{ location: 'westcentralus', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' }]);
    built.connect(apimOf(stack, { location: 'westcentralus' }));
    expectCompliant(ApimNetworkTesting.evaluate(stack), 'APIM-LOCATION-UNKNOWN');
    expect(ApimNetworkTesting.evaluate(stack).outcomes.filter((o) => o.ruleId === 'APIM-ZONES-REGION')).toEqual([]);
    (stack.node.findChild('apim') as ApiManagement).zones = ['1'];
    expectFinding(ApimNetworkTesting.evaluate(stack), 'APIM-ZONES-REGION', /primary lists zones 1 in westcentralus/);
  });
});

describe('APIM-NOT-CONNECTED', () => {
  test('compliant: the APIM is connected', () => {
    const stack = stackWithProvider();
    network(stack, [{ location: 'westeurope', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' }]).connect(apimOf(stack));
    expectCompliant(ApimNetworkTesting.evaluate(stack), 'APIM-NOT-CONNECTED');
  });

  test('non-compliant: forgot connect()', () => {
    const stack = stackWithProvider();
    network(stack, [{ location: 'westeurope', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' }]);
    apimOf(stack);
    const finding = expectFinding(ApimNetworkTesting.evaluate(stack), 'APIM-NOT-CONNECTED',
      /^\[APIM-NOT-CONNECTED\] azurerm_api_management\.apim \(lib\/apim\): azurerm_api_management\.apim is not injected into a virtual network \(virtual_network_type None\), while this stack holds the APIM network built by this library \(lib\/network\/westeurope\/subnet\/subnet\); forgot connect\(\)\?/);
    expect(finding.level).toBe('warning');
  });

  test('nothing to decide without this library\'s network (hand-written APIM without injection)', () => {
    const b = brownfield({ apim: { virtualNetworkType: undefined, virtualNetworkConfiguration: undefined, publicIpAddressId: undefined } });
    expect(evaluate(b.stack).outcomes.filter((o) => o.ruleId === 'APIM-NOT-CONNECTED')).toEqual([]);
  });

  test('unknown: virtual_network_type from a variable beside this library\'s network', () => {
    const stack = stackWithProvider();
    network(stack, [{ location: 'westeurope', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' }]);
    const apim = apimOf(stack);
    apim.virtualNetworkType = '${var.mode}';
    expectUnknown(ApimNetworkTesting.evaluate(stack), 'APIM-NOT-CONNECTED');
  });

  test('not applicable to v2 tiers', () => {
    const stack = stackWithProvider();
    network(stack, [{ location: 'westeurope', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' }]);
    apimOf(stack, { skuName: 'StandardV2_1' });
    const outcomes = ApimNetworkTesting.evaluate(stack).outcomes.filter((o) => o.ruleId === 'APIM-NOT-CONNECTED');
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((o) => o.outcome === ApimRuleOutcome.NOT_APPLICABLE)).toBe(true);
  });
});
