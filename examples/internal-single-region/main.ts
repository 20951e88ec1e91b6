/**
 * Developer tier, Internal mode, one location, no public IP resource (Azure manages the management address), in an
 * existing virtual network. The APIM instance itself is managed in another repository: the subnet ID is exported.
 *
 * Run: npx cdktf synth --app "npx ts-node --transpile-only examples/internal-single-region/main.ts"
 */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ApimSku, ApimVirtualNetworkType, MultiRegionApimNetwork } from '../../lib';

export class InternalSingleRegionStack extends TerraformStack {
  public readonly network: MultiRegionApimNetwork;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    new AzurermProvider(this, 'azurerm', { features: [{}] });

    this.network = new MultiRegionApimNetwork(this, 'network', {
      virtualNetworkType: ApimVirtualNetworkType.INTERNAL,
      sku: ApimSku.DEVELOPER,
      apiManagementName: 'contoso-dev-apim',
      resourceGroupName: 'rg-contoso-dev',
      regions: [{
        location: 'West Europe',
        virtualNetworkName: 'vnet-shared-dev',
        virtualNetworkResourceGroupName: 'rg-network-dev',
        // The shared virtual network lives in the network team's stack: its address space, from their IPAM, lets the
        // library and the checks decide that the subnet fits in it.
        existingAddressSpace: ['10.50.0.0/16'],
        subnetAddressPrefix: '10.50.4.0/29',
        publicIp: { enabled: false },
      }],
      outputs: true,
    });
  }
}

if (require.main === module) {
  const app = new App();
  new InternalSingleRegionStack(app, 'apim-network-internal-dev');
  app.synth();
}
