/**
 * Premium, External mode, three locations with availability zones and public IPs, and a new API Management instance
 * connected to the network. The root cdktf.json runs this app: `npx cdktf synth`.
 */
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ApimSku, ApimVirtualNetworkType, MultiRegionApimNetwork } from '../../lib';

export class MultiRegionExternalStack extends TerraformStack {
  public readonly network: MultiRegionApimNetwork;
  public readonly apiManagement: ApiManagement;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    new AzurermProvider(this, 'azurerm', { features: [{}] });
    const resourceGroup = new ResourceGroup(this, 'rg', { name: 'rg-contoso-apim', location: 'westeurope' });

    this.network = new MultiRegionApimNetwork(this, 'network', {
      virtualNetworkType: ApimVirtualNetworkType.EXTERNAL,
      sku: ApimSku.PREMIUM,
      apiManagementName: 'contoso-apim',
      resourceGroupName: resourceGroup.name,
      regions: [
        { location: 'westeurope', addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27', capacity: 3, zones: ['1', '2', '3'] },
        { location: 'northeurope', addressSpace: ['10.20.0.0/16'], subnetAddressPrefix: '10.20.1.0/27', capacity: 3, zones: ['1', '2', '3'] },
        { location: 'eastus2', addressSpace: ['10.30.0.0/16'], subnetAddressPrefix: '10.30.1.0/27', capacity: 2, zones: ['1', '2'] },
      ],
      networkSecurityGroup: { regionalServiceTags: true, optionalRules: { inboundHttp: true } },
      tags: { workload: 'apim', owner: 'platform' },
    });

    this.apiManagement = new ApiManagement(this, 'apim', {
      name: 'contoso-apim',
      location: 'westeurope',
      resourceGroupName: resourceGroup.name,
      publisherName: 'Contoso',
      publisherEmail: 'api-team@contoso.example',
      skuName: 'Premium_3',
    });
    this.network.connect(this.apiManagement);
  }
}

if (require.main === module) {
  const app = new App();
  new MultiRegionExternalStack(app, 'apim-network-multi-region');
  app.synth();
}
