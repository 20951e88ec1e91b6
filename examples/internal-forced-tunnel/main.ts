/**
 * Premium, Internal mode, two locations, each location's internet-bound traffic forced through the firewall of its
 * regional hub (a virtual appliance by private IP), private DNS for every APIM host name, and the rule collection group
 * that lets APIM's dependencies through the hub firewalls' policy.
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
  ApimFirewallDependency, ApimNextHopType, ApimPrivateDns, ApimRouteTable, ApimSku, ApimVirtualNetworkType, MultiRegionApimNetwork,
} from '../../lib';

/** The hub of each location: its firewall's private IP (the next hop) and the hub firewall policy's name. */
const HUBS: Record<string, { firewallIp: string; policy: string }> = {
  westeurope: { firewallIp: '10.100.0.4', policy: 'fwp-hub-westeurope' },
  northeurope: { firewallIp: '10.200.0.4', policy: 'fwp-hub-northeurope' },
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
  public readonly routeTables: ApimRouteTable[];
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
      regions: [
        {
          location: 'westeurope', addressSpace: ['10.110.0.0/16'], subnetAddressPrefix: '10.110.1.0/27', capacity: 2, zones: ['1', '2'],
          serviceEndpoints: { forcedTunnelling: true },
        },
        {
          location: 'northeurope', addressSpace: ['10.120.0.0/16'], subnetAddressPrefix: '10.120.1.0/27', capacity: 2, zones: ['1', '2'],
          serviceEndpoints: { forcedTunnelling: true },
        },
      ],
      tags: { workload: 'apim', owner: 'platform' },
    });

    this.routeTables = this.network.regions.map((region) => new ApimRouteTable(this, `forced-tunnel-${region.location}`, {
      resourceGroupName: resourceGroup.name,
      location: region.location,
      primaryLocation: this.network.primary.location,
      subnetId: region.subnetId,
      subnetAddressPrefix: region.subnet.addressPrefix,
      virtualNetworkType: ApimVirtualNetworkType.INTERNAL,
      nextHopType: ApimNextHopType.VIRTUAL_APPLIANCE,
      nextHopIpAddress: HUBS[region.location].firewallIp,
      name: `rt-contoso-int-apim-${region.location}`,
      tags: { workload: 'apim', owner: 'platform' },
    }));

    this.apiManagement = new ApiManagement(this, 'apim', {
      name: 'contoso-int-apim',
      location: 'westeurope',
      resourceGroupName: resourceGroup.name,
      publisherName: 'Contoso',
      publisherEmail: 'api-team@contoso.example',
      skuName: 'Premium_2',
    });
    this.network.connect(this.apiManagement);

    this.privateDns = new ApimPrivateDns(this, 'private-dns', {
      apiManagement: this.apiManagement,
      resourceGroupName: resourceGroup.name,
      virtualNetworks: this.network.regions.map((region) => ({ key: region.location, virtualNetworkId: region.virtualNetwork!.id })),
    });

    // The hub firewall policies live in the hub team's resource group; here they are created for the example.
    this.routeTables.forEach((routes) => {
      const policy = new FirewallPolicy(this, `hub-policy-${routes.location}`, {
        name: HUBS[routes.location].policy, resourceGroupName: 'rg-hub', location: routes.location, dns: { proxyEnabled: true },
      });
      apimFirewallRules(this, `apim-rules-${routes.location}`, {
        firewallPolicyId: policy.id, priority: 500, apimSubnet: this.network.regions.find((r) => r.location === routes.location)!.subnet.addressPrefix,
        dependencies: routes.firewallDependencies,
      });
    });
  }
}

if (require.main === module) {
  const app = new App();
  new InternalForcedTunnelStack(app, 'apim-network-internal-forced-tunnel');
  app.synth();
}
