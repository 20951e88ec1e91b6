/**
 * Point 16: the address space of an existing virtual network, given to the constructs (`existingAddressSpace`,
 * `virtualNetworkAddressSpace`) and recorded in the subnet's marker, lets APIM-SUBNET-PREFIX decide instead of
 * reporting unknown.
 */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { TerraformStack, Testing } from 'cdktf';
import { ApimNetworkTesting, ApimVirtualNetworkType, MultiRegionApimNetwork } from '../../lib';

function stack(): TerraformStack {
  const s = new TerraformStack(Testing.app(), 'hub');
  new AzurermProvider(s, 'azurerm', { features: [{}] });
  return s;
}

const network = (s: TerraformStack, existingAddressSpace?: string[]) => new MultiRegionApimNetwork(s, 'network', {
  virtualNetworkType: ApimVirtualNetworkType.INTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg',
  regions: [{ location: 'westeurope', virtualNetworkName: 'vnet-hub', existingAddressSpace, subnetAddressPrefix: '10.50.4.0/27', publicIp: { enabled: false } }],
});

const addressSpaceOutcomes = (s: TerraformStack) => ApimNetworkTesting.evaluate(s).outcomes
  .filter((o) => o.ruleId === 'APIM-SUBNET-PREFIX' && o.detail === 'address-space').map((o) => o.outcome);

describe('APIM-SUBNET-PREFIX with an existing virtual network', () => {
  test('unknown without the address space (the network is not in the stack)', () => {
    const s = stack();
    network(s);
    expect(addressSpaceOutcomes(s)).toEqual(['unknown']);
    expect(ApimNetworkTesting.findings(s).map((f) => `${f.ruleId}[${f.detail}]`)).toContain('APIM-UNKNOWN[APIM-SUBNET-PREFIX]');
  });

  test('compliant with existingAddressSpace: decided, no unknown', () => {
    const s = stack();
    network(s, ['10.50.0.0/16']);
    expect(addressSpaceOutcomes(s)).toEqual(['pass']);
    expect(ApimNetworkTesting.findings(s).map((f) => `${f.ruleId}[${f.detail}]`)).not.toContain('APIM-UNKNOWN[APIM-SUBNET-PREFIX]');
  });

  test('non-compliant: a recorded address space that does not hold the prefix (written by hand; the constructs refuse it)', () => {
    const s = stack();
    const subnet = new Subnet(s, 'subnet', { name: 'snet-apim', resourceGroupName: 'rg', virtualNetworkName: 'vnet-hub', addressPrefixes: ['10.50.4.0/27'] });
    subnet.addOverride('//.apim_network', {
      version: 1, role: 'subnet', mode: 'Internal', sku: 'Premium', capacity: 1, multi_region: false, primary_location: 'westeurope',
      location: 'westeurope', virtual_network_address_space: ['10.60.0.0/16'],
    });
    const finding = ApimNetworkTesting.findings(s).find((f) => f.ruleId === 'APIM-SUBNET-PREFIX');
    expect(finding?.text).toMatch(/^\[APIM-SUBNET-PREFIX\[address-space\]\] azurerm_subnet\.subnet \(hub\/subnet\): 10\.50\.4\.0\/27 is outside the address space 10\.60\.0\.0\/16 given for the existing virtual network/);
  });
});
