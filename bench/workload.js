'use strict';
// The benchmark workload: N APIM regions (Premium, External, zones 1-3 where the region has them, public IPs) and one
// connected ApiManagement,
// built three ways: (a) with this library, (b) by hand with bare cdktf and deep provider imports, (c) by hand with the
// provider's barrel import. (b) and (c) write the same resources the library writes, as a user would by hand.

const REGIONS = [
  'westeurope', 'northeurope', 'eastus', 'eastus2', 'westus2', 'westus3', 'centralus', 'southcentralus', 'canadacentral',
  'brazilsouth', 'uksouth', 'francecentral', 'germanywestcentral', 'norwayeast', 'swedencentral', 'switzerlandnorth',
  'italynorth', 'polandcentral', 'spaincentral', 'australiaeast', 'southeastasia', 'eastasia', 'japaneast', 'japanwest',
  'koreacentral', 'centralindia', 'uaenorth', 'qatarcentral', 'israelcentral', 'southafricanorth', 'mexicocentral',
  'newzealandnorth', 'austriaeast', 'belgiumcentral', 'chilecentral', 'indonesiacentral', 'malaysiawest',
  'northcentralus', 'westus', 'westcentralus', 'canadaeast', 'ukwest', 'francesouth', 'germanynorth', 'norwaywest',
  'switzerlandwest', 'swedensouth', 'australiasoutheast', 'australiacentral', 'brazilsoutheast', 'southafricawest',
  'southindia', 'westindia', 'koreasouth', 'uaecentral', 'australiacentral2', 'jioindiawest', 'jioindiacentral',
  'benchregiona', 'benchregionb',
];

// The first 37 regions have availability zones; zones elsewhere are refused (Azure refuses them too).
const ZONAL = new Set(REGIONS.slice(0, 37));

function regions(count, name) {
  const names = name ? Array.from({ length: count }, (_, i) => name(i)) : REGIONS.slice(0, count);
  return names.map((location, i) => ({
    location, addressSpace: [`10.${(i % 250) + 1}.0.0/16`], subnetAddressPrefix: `10.${(i % 250) + 1}.1.0/27`, capacity: 3,
    zones: ZONAL.has(location) ? ['1', '2', '3'] : undefined,
  }));
}

function apimProps(rg) {
  return { name: 'bench-apim', location: 'westeurope', resourceGroupName: rg, publisherName: 'Bench', publisherEmail: 'bench@example.com', skuName: 'Premium_3' };
}

/** (a) The library (with its checks unless `options.checks` is false: case (a0)). */
function withLibrary(lib, az, stack, count, options = {}) {
  const network = new lib.MultiRegionApimNetwork(stack, 'network', {
    virtualNetworkType: lib.ApimVirtualNetworkType.EXTERNAL, apiManagementName: 'bench-apim', resourceGroupName: 'rg-bench',
    regions: regions(count), checks: options.checks ?? true,
  });
  network.connect(new az.apiManagement.ApiManagement(stack, 'apim', apimProps('rg-bench')));
}

// The NSG rules an External, multi-region APIM needs, written out by hand, with the descriptions the library writes (a
// user writing them by hand documents them too: the same resources means the same attributes, test/bench.test.ts).
function rule(name, priority, direction, source, destination, ports, description) {
  return {
    name, priority, direction, access: 'Allow', protocol: 'Tcp', sourcePortRange: '*', sourceAddressPrefix: source,
    destinationAddressPrefix: destination, ...(ports.length === 1 ? { destinationPortRange: ports[0] } : { destinationPortRanges: ports }),
    description,
  };
}
const RULES = [
  rule('apim-client-https', 200, 'Inbound', 'Internet', 'VirtualNetwork', ['443'], 'Clients reach the gateway and developer portal [APIM S1 R1, S3]'),
  rule('apim-management', 210, 'Inbound', 'ApiManagement', 'VirtualNetwork', ['3443'], 'Management endpoint for the Azure portal, ARM and PowerShell [APIM S1 R2, S3]'),
  rule('apim-load-balancer', 220, 'Inbound', 'AzureLoadBalancer', 'VirtualNetwork', ['6390'], 'Azure infrastructure load balancer health probe [APIM S1 R14, S3]'),
  rule('apim-traffic-manager', 230, 'Inbound', 'AzureTrafficManager', 'VirtualNetwork', ['443'], 'Traffic Manager routing between regional gateways [APIM S1 R15, S3]'),
  rule('apim-storage', 200, 'Outbound', 'VirtualNetwork', 'Storage', ['443'], 'Azure Storage dependency [APIM S1 R4, S3]'),
  rule('apim-sql', 210, 'Outbound', 'VirtualNetwork', 'Sql', ['1433'], 'Azure SQL dependency [APIM S1 R7, S3]'),
  rule('apim-key-vault', 220, 'Outbound', 'VirtualNetwork', 'AzureKeyVault', ['443'], 'Azure Key Vault dependency [APIM S1 R8, S3]'),
  rule('apim-monitor', 230, 'Outbound', 'VirtualNetwork', 'AzureMonitor', ['1886', '443'], 'Diagnostics logs, metrics, Resource Health and Application Insights [APIM S1 R10, S3]'),
  rule('apim-certificates', 240, 'Outbound', 'VirtualNetwork', 'Internet', ['80'], 'Certificate validation and management (CRL and OCSP) [APIM S1 R3, S7]'),
];

/** (b) and (c): the same resources by hand; `az` holds the provider namespaces (deep imports or the barrel). */
function byHand(az, stack, count, name, options = {}) {
  // One location needs no Traffic Manager flow (the library writes that rule for several locations only).
  const rules = count > 1 ? RULES : RULES.filter((rule) => rule.name !== 'apim-traffic-manager');
  const located = regions(count, name).map((r) => {
    const scope = new (require('constructs').Construct)(stack, r.location);
    const vnet = new az.virtualNetwork.VirtualNetwork(scope, 'vnet', { name: `vnet-bench-apim-${r.location}`, location: r.location, resourceGroupName: 'rg-bench', addressSpace: r.addressSpace });
    const nsg = new az.networkSecurityGroup.NetworkSecurityGroup(scope, 'nsg', {
      name: `nsg-bench-apim-${r.location}`, location: r.location, resourceGroupName: 'rg-bench', securityRule: options.standaloneRules ? undefined : rules,
    });
    if (options.standaloneRules) {
      // The same rules as azurerm_network_security_rule resources: one resource per rule.
      const { NetworkSecurityRule } = require('@cdktf/provider-azurerm/lib/network-security-rule');
      for (const rule of rules) {
        new NetworkSecurityRule(scope, rule.name, { ...rule, resourceGroupName: 'rg-bench', networkSecurityGroupName: nsg.name });
      }
    }
    const subnet = new az.subnet.Subnet(scope, 'subnet', { name: 'snet-bench-apim', resourceGroupName: 'rg-bench', virtualNetworkName: vnet.name, addressPrefixes: [r.subnetAddressPrefix] });
    const association = new az.subnetNetworkSecurityGroupAssociation.SubnetNetworkSecurityGroupAssociation(scope, 'nsg-association', { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
    const pip = new az.publicIp.PublicIp(scope, 'public-ip', {
      name: `pip-bench-apim-${r.location}`, location: r.location, resourceGroupName: 'rg-bench', sku: 'Standard', skuTier: 'Regional',
      allocationMethod: 'Static', ipVersion: 'IPv4', domainNameLabel: 'bench-apim', zones: r.zones, lifecycle: { preventDestroy: true },
    });
    return { r, subnet, pip, association };
  });
  const [primary, ...others] = located;
  new az.apiManagement.ApiManagement(stack, 'apim', {
    ...apimProps('rg-bench'), virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetId: primary.subnet.id },
    publicIpAddressId: primary.pip.id, zones: ['1', '2', '3'],
    // As connect() does: the APIM waits for the NSG associations, so it is never deployed into a subnet without its NSG.
    dependsOn: located.map(({ association }) => association),
    additionalLocation: others.length === 0 ? undefined : others.map(({ r, subnet, pip }) => ({
      location: r.location, capacity: r.capacity, zones: r.zones, publicIpAddressId: pip.id, virtualNetworkConfiguration: { subnetId: subnet.id },
    })),
  });
}

/** The provider namespaces the workload uses, from deep imports. */
function deepImports() {
  return {
    provider: require('@cdktf/provider-azurerm/lib/provider'),
    apiManagement: require('@cdktf/provider-azurerm/lib/api-management'),
    virtualNetwork: require('@cdktf/provider-azurerm/lib/virtual-network'),
    networkSecurityGroup: require('@cdktf/provider-azurerm/lib/network-security-group'),
    subnet: require('@cdktf/provider-azurerm/lib/subnet'),
    subnetNetworkSecurityGroupAssociation: require('@cdktf/provider-azurerm/lib/subnet-network-security-group-association'),
    publicIp: require('@cdktf/provider-azurerm/lib/public-ip'),
  };
}

module.exports = { withLibrary, byHand, deepImports, regions, REGIONS };
