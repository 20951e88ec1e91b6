/**
 * A network in one stack and the APIM instance in another, connected: the layouts of the cross-stack and nested-stack
 * tests.
 */
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { TerraformStack } from 'cdktf';
import { ApimVirtualNetworkType, MultiRegionApimNetwork } from '../../lib';

/** A network (new virtual network, westeurope, checks off) in `networkStack`, and the APIM in `apimStack` connected to it. */
export function connected(networkStack: TerraformStack, apimStack: TerraformStack): ApiManagement {
  const network = new MultiRegionApimNetwork(networkStack, 'network', {
    virtualNetworkType: ApimVirtualNetworkType.EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg', checks: false,
    regions: [{ location: 'westeurope', addressSpace: ['10.20.0.0/16'], subnetAddressPrefix: '10.20.4.0/27' }],
  });
  const apim = new ApiManagement(apimStack, 'apim', {
    name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'api@contoso.example',
    skuName: 'Premium_1',
  });
  network.connect(apim);
  return apim;
}
