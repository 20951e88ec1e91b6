/**
 * One APIM location built from the four building blocks: NSG, service endpoints, subnet and public IP.
 *
 * Run: npx ts-node --transpile-only examples/single-region/main.ts (or point cdktf.json's "app" at it).
 */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  ApimNetworkSecurityGroup, ApimPublicIp, ApimServiceEndpoints, ApimSubnet, ApimVirtualNetworkType,
} from '../../lib';

export class SingleRegionStack extends TerraformStack {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    new AzurermProvider(this, 'azurerm', { features: [{}] });

    const location = 'westeurope';
    const resourceGroup = new ResourceGroup(this, 'rg', { name: 'rg-apim-network', location });
    const vnet = new VirtualNetwork(this, 'vnet', {
      name: 'vnet-apim-westeurope',
      location,
      resourceGroupName: resourceGroup.name,
      addressSpace: ['10.10.0.0/16'],
    });

    const nsg = new ApimNetworkSecurityGroup(this, 'nsg', {
      resourceGroupName: resourceGroup.name,
      location,
      virtualNetworkType: ApimVirtualNetworkType.EXTERNAL,
      optionalRules: { inboundHttp: true },
    });
    const serviceEndpoints = ApimServiceEndpoints.forLocation({ location, forcedTunnelling: true });
    new ApimSubnet(this, 'subnet', {
      resourceGroupName: resourceGroup.name,
      location,
      virtualNetworkName: vnet.name,
      addressPrefix: '10.10.1.0/27',
      virtualNetworkType: ApimVirtualNetworkType.EXTERNAL,
      capacity: 2,
      networkSecurityGroup: nsg,
      serviceEndpoints,
    });
    new ApimPublicIp(this, 'public-ip', {
      resourceGroupName: resourceGroup.name,
      location,
      apiManagementName: 'contoso-apim',
      zones: ['1', '2', '3'],
    });
  }
}

if (require.main === module) {
  const app = new App();
  new SingleRegionStack(app, 'apim-network-single-region');
  app.synth();
}
