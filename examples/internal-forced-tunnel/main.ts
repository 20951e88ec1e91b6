/**
 * Premium, Internal mode, two locations, each location's internet-bound traffic forced through the firewall of its
 * regional hub (a virtual appliance by private IP) and its names resolved by the hub's DNS resolver, private DNS zones
 * for every APIM host name, and the rule collection group that lets APIM's dependencies through each hub firewall's
 * policy.
 *
 * Run: CHECKPOINT_DISABLE=1 npx cdktf synth --app "npx ts-node --transpile-only examples/internal-forced-tunnel/main.ts"
 */
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { FirewallPolicy } from '@cdktf/provider-azurerm/lib/firewall-policy';
import { FirewallPolicyRuleCollectionGroup } from '@cdktf/provider-azurerm/lib/firewall-policy-rule-collection-group';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  ApimFirewallDependency, ApimNextHopType, ApimPrivateDns, ApimSku, ApimVirtualNetworkType, MultiRegionApimNetwork,
} from '../../lib';

/**
 * The hub of each location (the primary first), managed by the network team: its virtual network, its firewall's
 * private IP, its DNS resolver's inbound endpoint and its firewall policy.
 */
const HUBS: Record<string, { virtualNetworkId: string; firewallIp: string; dnsResolverIp: string; policy: string }> = {
  westeurope: {
    virtualNetworkId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub-westeurope',
    firewallIp: '10.100.0.4', dnsResolverIp: '10.100.2.4', policy: 'fwp-hub-westeurope',
  },
  northeurope: {
    virtualNetworkId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub-northeurope',
    firewallIp: '10.200.0.4', dnsResolverIp: '10.200.2.4', policy: 'fwp-hub-northeurope',
  },
};

// README: firewall-rules (start)
/**
 * A rule collection group that lets APIM's dependencies through an Azure Firewall policy: FQDNs on 80/443 as
 * application rules, everything else as network rules (FQDN network rules need the policy's DNS proxy).
 */
export function apimFirewallRules(scope: Construct, id: string, options: {
  firewallPolicyId: string; priority: number; apimSubnet: string; dependencies: ApimFirewallDependency[];
}): FirewallPolicyRuleCollectionGroup {
  const web = (d: ApimFirewallDependency) => d.fqdns.length > 0 && d.ports.every((p) => p === 80 || p === 443);
  const chosen = options.dependencies.filter((d) => d.required && (d.fqdns.length > 0 || d.addresses.length > 0));
  return new FirewallPolicyRuleCollectionGroup(scope, id, {
    name: 'apim-dependencies',
    firewallPolicyId: options.firewallPolicyId,
    priority: options.priority,
    applicationRuleCollection: [{
      name: 'apim-fqdns', priority: 100, action: 'Allow',
      rule: chosen.filter(web).map((d) => ({
        name: d.name, description: d.purpose, sourceAddresses: [options.apimSubnet], destinationFqdns: d.fqdns,
        protocols: d.ports.map((port) => ({ type: port === 80 ? 'Http' : 'Https', port })),
      })),
    }],
    networkRuleCollection: [{
      name: 'apim-network', priority: 200, action: 'Allow',
      rule: chosen.filter((d) => !web(d)).map((d) => ({
        name: d.name, description: d.purpose, sourceAddresses: [options.apimSubnet],
        protocols: d.protocols.map((p) => p.toUpperCase()), destinationPorts: d.ports.map(String),
        destinationAddresses: d.addresses.length > 0 ? d.addresses : undefined,
        destinationFqdns: d.fqdns.length > 0 ? d.fqdns : undefined,
      })),
    }],
  });
}
// README: firewall-rules (end)

export class InternalForcedTunnelStack extends TerraformStack {
  public readonly network: MultiRegionApimNetwork;
  public readonly apiManagement: ApiManagement;
  public readonly privateDns: ApimPrivateDns;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    new AzurermProvider(this, 'azurerm', { features: [{}] });
    const resourceGroup = new ResourceGroup(this, 'rg', { name: 'rg-contoso-int-apim', location: 'westeurope' });

    this.network = new MultiRegionApimNetwork(this, 'network', {
      virtualNetworkType: ApimVirtualNetworkType.INTERNAL,
      sku: ApimSku.PREMIUM,
      apiManagementName: 'contoso-int-apim',
      resourceGroupName: resourceGroup.name,
      regions: Object.entries(HUBS).map(([location, hub], index) => ({
        location,
        addressSpace: [`10.1${index + 1}0.0.0/16`],
        subnetAddressPrefix: `10.1${index + 1}0.1.0/27`,
        capacity: 2,
        zones: ['1', '2'],
        // The spoke resolves names through its hub's DNS resolver (set before APIM is deployed, as the docs ask).
        dnsServers: [hub.dnsResolverIp],
        // 0.0.0.0/0 to the hub firewall, ApiManagement to Internet, and the forced-tunnelling service endpoints.
        forcedTunnelling: { nextHopType: ApimNextHopType.VIRTUAL_APPLIANCE, nextHopIpAddress: hub.firewallIp },
      })),
      tags: { workload: 'apim', owner: 'platform' },
    });

    this.apiManagement = new ApiManagement(this, 'apim', {
      name: 'contoso-int-apim',
      location: 'westeurope',
      resourceGroupName: resourceGroup.name,
      publisherName: 'Contoso',
      publisherEmail: 'api-team@contoso.example',
      skuName: 'Premium_2',
    });
    this.network.connect(this.apiManagement);
    // One private zone per APIM host name, linked to both regions' networks and to the hubs, whose resolvers answer
    // from the zones linked to their own network.
    this.privateDns = this.network.privateDns({
      additionalVirtualNetworks: Object.entries(HUBS).map(([location, hub]) => ({ key: `hub-${location}`, virtualNetworkId: hub.virtualNetworkId })),
    });

    // The hub firewall policies live in the hub team's resource group; here they are created for the example.
    for (const region of this.network.regions) {
      const policy = new FirewallPolicy(this, `hub-policy-${region.location}`, {
        name: HUBS[region.location].policy, resourceGroupName: 'rg-hub', location: region.location, dns: { proxyEnabled: true },
      });
      apimFirewallRules(this, `apim-rules-${region.location}`, {
        firewallPolicyId: policy.id, priority: 500, apimSubnet: region.subnet.addressPrefix,
        dependencies: region.routeTable!.firewallDependencies,
      });
    }
  }
}

if (require.main === module) {
  const app = new App();
  new InternalForcedTunnelStack(app, 'apim-network-internal-forced-tunnel');
  app.synth();
}
