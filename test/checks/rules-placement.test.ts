import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { ApimRuleLevel, ApimRuleOutcome } from '../../lib';
import { Brownfield, brownfield, evaluate, expectCompliant, expectFinding, expectUnknown, externalRules } from './brownfield';

/** A second location (northeurope) with its own network, built by hand. */
function secondLocation(b: Brownfield, options: { location?: string; pipLocation?: string; zones?: string[]; endpoints?: string[]; sharedNsg?: boolean } = {}) {
  const location = options.location ?? 'northeurope';
  const vnet = new VirtualNetwork(b.stack, 'vnet2', { name: 'vnet-neu', location, resourceGroupName: 'rg', addressSpace: ['10.1.0.0/16'] });
  const subnet = new Subnet(b.stack, 'subnet2', { name: 'snet-apim', resourceGroupName: 'rg', virtualNetworkName: vnet.name, addressPrefixes: ['10.1.1.0/27'], serviceEndpoints: options.endpoints });
  const nsg = options.sharedNsg ? b.nsg : new NetworkSecurityGroup(b.stack, 'nsg2', { name: 'nsg-neu', location, resourceGroupName: 'rg', securityRule: externalRules() });
  new SubnetNetworkSecurityGroupAssociation(b.stack, 'assoc2', { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
  const pip = new PublicIp(b.stack, 'pip2', { name: 'pip-neu', location: options.pipLocation ?? location, resourceGroupName: 'rg', sku: 'Standard', allocationMethod: 'Static', domainNameLabel: 'contoso-neu' });
  return { vnet, subnet, pip, location };
}

describe('APIM-SKU-VNET', () => {
  test('compliant: Premium and Developer', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-SKU-VNET');
    expectCompliant(evaluate(brownfield({ apim: { skuName: 'Developer_1' } }).stack), 'APIM-SKU-VNET');
  });
  test('non-compliant: Standard with External', () => {
    expectFinding(evaluate(brownfield({ apim: { skuName: 'Standard_1' } }).stack), 'APIM-SKU-VNET',
      /^\[APIM-SKU-VNET\] azurerm_api_management\.apim \(brownfield\/apim\): sku_name tier "Standard" cannot be injected/);
  });
  test('unknown: sku_name from a variable', () => {
    const b = brownfield();
    b.apim.skuName = b.variable('sku');
    expectUnknown(evaluate(b.stack), 'APIM-SKU-VNET', /the variable var\.sku/);
  });
  test('v2 tiers: classic rules are not applicable', () => {
    const result = evaluate(brownfield({ apim: { skuName: 'StandardV2_1' } }).stack);
    expect(result.findings).toEqual([]);
    expect(result.outcomes.filter((o) => o.address === 'azurerm_api_management.apim').every((o) => o.outcome === ApimRuleOutcome.NOT_APPLICABLE)).toBe(true);
  });
});

describe('APIM-SKU-PREMIUM-FEATURE', () => {
  test('compliant: Premium with zones', () => {
    expectCompliant(evaluate(brownfield({ apim: { zones: ['1'] }, publicIp: { zones: ['1', '2', '3'] } }).stack), 'APIM-SKU-PREMIUM-FEATURE');
  });
  test('non-compliant: Developer with zones', () => {
    expectFinding(evaluate(brownfield({ apim: { skuName: 'Developer_1', zones: ['1'] } }).stack), 'APIM-SKU-PREMIUM-FEATURE',
      /zones \(primary\) on the Developer tier; only Premium has them/);
  });
  test('unknown: zones with a SKU from a variable', () => {
    const b = brownfield({ apim: { zones: ['1'] } });
    b.apim.skuName = b.variable('sku');
    expectUnknown(evaluate(b.stack), 'APIM-SKU-PREMIUM-FEATURE');
  });
});

describe('APIM-VNET-CONFIG', () => {
  test('compliant', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-VNET-CONFIG');
  });
  test('non-compliant: External without a subnet', () => {
    const b = brownfield();
    b.apim.resetVirtualNetworkConfiguration();
    expectFinding(evaluate(b.stack), 'APIM-VNET-CONFIG', /\[APIM-VNET-CONFIG\[primary\]\].*virtual_network_type is External but virtual_network_configuration.subnet_id is not set/);
  });
  test('non-compliant: an additional location without a subnet', () => {
    const b = brownfield();
    const second = secondLocation(b);
    b.apim.putAdditionalLocation([{ location: second.location, publicIpAddressId: second.pip.id }]);
    expectFinding(evaluate(b.stack), 'APIM-VNET-CONFIG', /additional_location\[0\] \(northeurope\) has no virtual_network_configuration.subnet_id/);
  });
  test('unknown: virtual_network_type from a variable', () => {
    const b = brownfield();
    b.apim.virtualNetworkType = b.variable('mode');
    expectUnknown(evaluate(b.stack), 'APIM-VNET-CONFIG', /var\.mode/);
  });
});

describe('APIM-LOCATION', () => {
  test('compliant: "West Europe" and "westeurope" are one location', () => {
    const b = brownfield({ publicIp: { location: 'West Europe' } });
    expectCompliant(evaluate(b.stack), 'APIM-LOCATION');
  });
  test('non-compliant: public IP in another region', () => {
    expectFinding(evaluate(brownfield({ publicIp: { location: 'northeurope' } }).stack), 'APIM-LOCATION',
      /\[APIM-LOCATION\[westeurope:public-ip\]\].*primary is in westeurope but its public-ip azurerm_public_ip\.pip is in northeurope/);
  });
  test('non-compliant: additional location whose virtual network is elsewhere', () => {
    const b = brownfield();
    const second = secondLocation(b, { location: 'eastus', pipLocation: 'eastus' });
    b.apim.putAdditionalLocation([{ location: 'northeurope', publicIpAddressId: second.pip.id, virtualNetworkConfiguration: { subnetId: second.subnet.id } }]);
    expectFinding(evaluate(b.stack), 'APIM-LOCATION', /additional_location\[0\] is in northeurope but its virtual-network azurerm_virtual_network\.vnet2 is in eastus/);
  });
  test('unknown: the public IP location from a variable', () => {
    const b = brownfield();
    b.publicIp.location = b.variable('pip_location');
    expectUnknown(evaluate(b.stack), 'APIM-LOCATION', /var\.pip_location/);
  });
});

describe('APIM-LOCATION-UNIQUE', () => {
  test('compliant: two locations with their own subnets and public IPs', () => {
    const b = brownfield();
    const second = secondLocation(b);
    b.apim.putAdditionalLocation([{ location: second.location, publicIpAddressId: second.pip.id, virtualNetworkConfiguration: { subnetId: second.subnet.id } }]);
    expectCompliant(evaluate(b.stack), 'APIM-LOCATION-UNIQUE');
  });
  test('non-compliant: the primary location listed again, with the same subnet', () => {
    const b = brownfield();
    b.apim.putAdditionalLocation([{ location: 'West Europe', virtualNetworkConfiguration: { subnetId: b.subnet.id } }]);
    const result = evaluate(b.stack);
    expectFinding(result, 'APIM-LOCATION-UNIQUE', /additional_location\[0\] repeats location westeurope of primary/);
  });
  test('unknown: an additional location from a variable', () => {
    const b = brownfield();
    const second = secondLocation(b);
    b.apim.putAdditionalLocation([{ location: b.variable('second'), virtualNetworkConfiguration: { subnetId: second.subnet.id } }]);
    expectUnknown(evaluate(b.stack), 'APIM-LOCATION-UNIQUE', /var\.second/);
  });
});

describe('APIM-SUBSCRIPTION', () => {
  test('compliant: one provider; or two aliases on the same subscription', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-SUBSCRIPTION');
    const b = brownfield();
    b.stack.node.tryRemoveChild('azurerm');
    new AzurermProvider(b.stack, 'default', { features: [{}], subscriptionId: '00000000-0000-0000-0000-000000000001' });
    b.publicIp.provider = new AzurermProvider(b.stack, 'second', { features: [{}], alias: 'second', subscriptionId: '00000000-0000-0000-0000-000000000001' });
    expectCompliant(evaluate(b.stack), 'APIM-SUBSCRIPTION');
  });
  test('non-compliant: the public IP in another subscription', () => {
    const b = brownfield();
    b.stack.node.tryRemoveChild('azurerm');
    new AzurermProvider(b.stack, 'default', { features: [{}], subscriptionId: '00000000-0000-0000-0000-000000000001' });
    b.publicIp.provider = new AzurermProvider(b.stack, 'other', { features: [{}], alias: 'other', subscriptionId: '00000000-0000-0000-0000-000000000002' });
    const finding = expectFinding(evaluate(b.stack), 'APIM-SUBSCRIPTION', /azurerm_public_ip\.pip uses provider azurerm\.other \(subscription 00000000-0000-0000-0000-000000000002\)/);
    expect(finding.level).toBe(ApimRuleLevel.ERROR);
  });
  test('compliant: two providers of one configuration without subscription_id (both take ARM_SUBSCRIPTION_ID of the one run)', () => {
    const b = brownfield();
    b.publicIp.provider = new AzurermProvider(b.stack, 'other', { features: [{}], alias: 'other' });
    expectCompliant(evaluate(b.stack), 'APIM-SUBSCRIPTION');
  });
  test('unknown: one provider sets subscription_id, the other takes ARM_SUBSCRIPTION_ID; one finding for the public IP and the network', () => {
    const b = brownfield();
    const other = new AzurermProvider(b.stack, 'other', { features: [{}], alias: 'other', subscriptionId: '00000000-0000-0000-0000-000000000002' });
    b.publicIp.provider = other;
    b.vnet.provider = other;
    const result = evaluate(b.stack);
    expectUnknown(result, 'APIM-SUBSCRIPTION', /azurerm_virtual_network\.vnet, azurerm_public_ip\.pip \(provider azurerm\.other\).*provider azurerm\.other sets subscription_id 00000000-0000-0000-0000-000000000002; the APIM instance's provider azurerm sets no subscription_id \(it takes the ARM_SUBSCRIPTION_ID environment variable of the Terraform run\)/);
    const unknowns = result.findings.filter((f) => f.detail === 'APIM-SUBSCRIPTION');
    expect(unknowns).toHaveLength(1);
    expect(unknowns[0].level).toBe(ApimRuleLevel.WARNING);
  });
  test('unknown: the public IP ID from a variable', () => {
    const b = brownfield();
    b.apim.publicIpAddressId = b.variable('pip_id');
    expectUnknown(evaluate(b.stack), 'APIM-SUBSCRIPTION', /var\.pip_id/);
  });
});

describe('APIM-ZONES-CAPACITY', () => {
  test('compliant: 3 units in 3 zones', () => {
    expectCompliant(evaluate(brownfield({ apim: { skuName: 'Premium_3', zones: ['1', '2', '3'] }, publicIp: { zones: ['1', '2', '3'] } }).stack), 'APIM-ZONES-CAPACITY');
  });
  test('non-compliant (error since revision 2: the docs say "must"): 2 units in 3 zones', () => {
    const finding = expectFinding(evaluate(brownfield({ apim: { skuName: 'Premium_2', zones: ['1', '2', '3'] }, publicIp: { zones: ['1', '2', '3'] } }).stack),
      'APIM-ZONES-CAPACITY', /primary has capacity 2 across 3 zones \(1, 2, 3\)/);
    expect(finding.level).toBe(ApimRuleLevel.ERROR);
  });
  test('unknown: capacity from a variable', () => {
    const b = brownfield({ apim: { zones: ['1', '2'] }, publicIp: { zones: ['1', '2', '3'] } });
    b.apim.skuName = b.variable('sku');
    expectUnknown(evaluate(b.stack), 'APIM-ZONES-CAPACITY');
  });
});

test('the hand-written network with all NSG rules stays clean when a second location is added', () => {
  const b = brownfield({ rules: externalRules() });
  const second = secondLocation(b);
  b.apim.putAdditionalLocation([{ location: second.location, publicIpAddressId: second.pip.id, virtualNetworkConfiguration: { subnetId: second.subnet.id } }]);
  expect(evaluate(b.stack).findings).toEqual([]);
});

test('APIM-SUBNET-NSG: the westeurope NSG shared with the northeurope subnet is refused (Azure associates only NSGs of the subnet\'s region, V25)', () => {
  const b = brownfield({ rules: externalRules() });
  const second = secondLocation(b, { sharedNsg: true });
  b.apim.putAdditionalLocation([{ location: second.location, publicIpAddressId: second.pip.id, virtualNetworkConfiguration: { subnetId: second.subnet.id } }]);
  const findings = evaluate(b.stack).findings;
  expect(findings.map((f) => f.text)).toEqual([expect.stringMatching(
    /^\[APIM-SUBNET-NSG\[region\]\] azurerm_subnet\.subnet2 .*the NSG azurerm_network_security_group\.nsg is in westeurope but the subnet's virtual network is in northeurope/)]);
  expect(findings[0].level).toBe(ApimRuleLevel.ERROR);
});
