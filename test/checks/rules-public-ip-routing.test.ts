import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { Route } from '@cdktf/provider-azurerm/lib/route';
import { RouteTable } from '@cdktf/provider-azurerm/lib/route-table';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { SubnetRouteTableAssociation } from '@cdktf/provider-azurerm/lib/subnet-route-table-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { ApimRuleLevel } from '../../lib';
import { Brownfield, brownfield, evaluate, expectCompliant, expectFinding, expectUnknown } from './brownfield';

describe.each([
  ['APIM-PIP-SKU', 'sku', 'Basic', /sku is "Basic"; APIM needs "Standard"/],
  ['APIM-PIP-ALLOCATION', 'allocationMethod', 'Dynamic', /allocation_method is "Dynamic"; APIM needs "Static"/],
  ['APIM-PIP-VERSION', 'ipVersion', 'IPv6', /ip_version is "IPv6"; APIM needs "IPv4"/],
] as const)('%s', (ruleId, field, bad, message) => {
  test('compliant', () => {
    expectCompliant(evaluate(brownfield().stack), ruleId);
  });
  test('non-compliant', () => {
    expectFinding(evaluate(brownfield({ publicIp: { [field]: bad } }).stack), ruleId, message);
  });
  test('unknown', () => {
    const b = brownfield();
    (b.publicIp as any)[field] = b.variable('pip_value');
    expectUnknown(evaluate(b.stack), ruleId, /var\.pip_value/);
  });
});

describe('APIM-PIP-SKU and APIM-PIP-VERSION defaults', () => {
  test('unset sku and ip_version take the provider defaults Standard and IPv4', () => {
    const b = brownfield();
    b.publicIp.resetSku();
    b.publicIp.resetIpVersion();
    const result = evaluate(b.stack);
    expectCompliant(result, 'APIM-PIP-SKU');
    expectCompliant(result, 'APIM-PIP-VERSION');
  });
});

describe('APIM-PIP-DNS-LABEL', () => {
  test('compliant', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-PIP-DNS-LABEL');
  });
  test('non-compliant: no label', () => {
    const b = brownfield();
    b.publicIp.resetDomainNameLabel();
    expectFinding(evaluate(b.stack), 'APIM-PIP-DNS-LABEL', /domain_name_label is not set/);
  });
  test('unknown', () => {
    const b = brownfield();
    b.publicIp.domainNameLabel = b.variable('label');
    expectUnknown(evaluate(b.stack), 'APIM-PIP-DNS-LABEL', /var\.label/);
  });
});

describe('APIM-PIP-ZONES', () => {
  test('compliant: zone-redundant public IP for zones 1 and 2', () => {
    expectCompliant(evaluate(brownfield({ apim: { skuName: 'Premium_2', zones: ['1', '2'] }, publicIp: { zones: ['1', '2', '3'] } }).stack), 'APIM-PIP-ZONES');
  });
  test('non-compliant: zonal APIM, public IP without zones (quickstart template pattern)', () => {
    expectFinding(evaluate(brownfield({ apim: { skuName: 'Premium_2', zones: ['1', '2'] } }).stack), 'APIM-PIP-ZONES',
      /primary uses zones 1, 2 but the public IP has no zones \(not zone-redundant\)/);
  });
  test('unknown: zones from a variable', () => {
    const b = brownfield({ apim: { zones: ['1'] } });
    b.publicIp.addOverride('zones', b.variable('zones'));
    expectUnknown(evaluate(b.stack), 'APIM-PIP-ZONES', /var\.zones/);
  });
});

describe('APIM-PIP-ROUTING', () => {
  test('compliant', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-PIP-ROUTING');
  });
  test('non-compliant (warning): RoutingPreference Internet', () => {
    const finding = expectFinding(evaluate(brownfield({ publicIp: { ipTags: { RoutingPreference: 'Internet' } } }).stack), 'APIM-PIP-ROUTING',
      /ip_tags sets RoutingPreference = "Internet"/);
    expect(finding.level).toBe(ApimRuleLevel.WARNING);
  });
  test('unknown', () => {
    const b = brownfield();
    b.publicIp.addOverride('ip_tags', b.variable('tags'));
    expectUnknown(evaluate(b.stack), 'APIM-PIP-ROUTING', /var\.tags/);
  });
});

describe('APIM-PIP-FOR-ZONES', () => {
  test('compliant', () => {
    expectCompliant(evaluate(brownfield({ apim: { zones: ['1'] }, publicIp: { zones: ['1', '2', '3'] } }).stack), 'APIM-PIP-FOR-ZONES');
  });
  test('non-compliant (warning): zones without a public IP', () => {
    const b = brownfield({ apim: { zones: ['1'], virtualNetworkType: 'Internal' } });
    b.apim.resetPublicIpAddressId();
    const finding = expectFinding(evaluate(b.stack), 'APIM-PIP-FOR-ZONES', /primary uses zones 1 without public_ip_address_id/);
    expect(finding.level).toBe(ApimRuleLevel.WARNING);
  });
  test('unknown: zones from a variable', () => {
    const b = brownfield();
    b.apim.addOverride('zones', b.variable('zones'));
    expectUnknown(evaluate(b.stack), 'APIM-PIP-FOR-ZONES', /var\.zones/);
  });
});

function forcedTunnel(b: Brownfield, routes: Array<{ name: string; addressPrefix: string; nextHopType: string; nextHopInIpAddress?: string }>) {
  const table = new RouteTable(b.stack, 'rt', { name: 'rt-apim', location: 'westeurope', resourceGroupName: 'rg', route: routes });
  new SubnetRouteTableAssociation(b.stack, 'rt-assoc', { subnetId: b.subnet.id, routeTableId: table.id });
  return table;
}
const defaultRoute = { name: 'to-firewall', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopInIpAddress: '10.0.0.4' };
const managementRoute = { name: 'apim-management', addressPrefix: 'ApiManagement', nextHopType: 'Internet' };
const endpoints = ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Sql', 'Microsoft.Storage'];

describe('APIM-ROUTE-MANAGEMENT', () => {
  test('compliant: no route table; a tunnel with the ApiManagement route', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-ROUTE-MANAGEMENT');
    const b = brownfield({ subnet: { serviceEndpoints: endpoints } });
    forcedTunnel(b, [defaultRoute, managementRoute]);
    expectCompliant(evaluate(b.stack), 'APIM-ROUTE-MANAGEMENT');
  });
  test('compliant: the ApiManagement route as a standalone azurerm_route', () => {
    const b = brownfield({ subnet: { serviceEndpoints: endpoints } });
    const table = forcedTunnel(b, [defaultRoute]);
    table.resetRoute();
    new Route(b.stack, 'r1', { name: 'fw', resourceGroupName: 'rg', routeTableName: table.name, addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopInIpAddress: '10.0.0.4' });
    new Route(b.stack, 'r2', { name: 'mgmt', resourceGroupName: 'rg', routeTableName: table.name, addressPrefix: 'ApiManagement', nextHopType: 'Internet' });
    expectCompliant(evaluate(b.stack), 'APIM-ROUTE-MANAGEMENT');
  });
  test('non-compliant: 0.0.0.0/0 to a firewall without the ApiManagement route', () => {
    const b = brownfield({ subnet: { serviceEndpoints: endpoints } });
    forcedTunnel(b, [defaultRoute]);
    expectFinding(evaluate(b.stack), 'APIM-ROUTE-MANAGEMENT',
      /azurerm_route_table\.rt sends 0\.0\.0\.0\/0 to VirtualAppliance \(route "to-firewall"\) but has no route ApiManagement -> Internet/);
  });
  test('unknown: the next hop from a variable', () => {
    const b = brownfield();
    forcedTunnel(b, [{ ...defaultRoute, nextHopType: b.variable('hop') }]);
    expectUnknown(evaluate(b.stack), 'APIM-ROUTE-MANAGEMENT', /route "to-firewall"/);
  });
});

describe('APIM-ROUTE-ENDPOINTS', () => {
  test('compliant', () => {
    const b = brownfield({ subnet: { serviceEndpoints: endpoints } });
    forcedTunnel(b, [defaultRoute, managementRoute]);
    expectCompliant(evaluate(b.stack), 'APIM-ROUTE-ENDPOINTS');
  });
  test('non-compliant (warning): forced tunnelling without endpoints', () => {
    const b = brownfield({ subnet: { serviceEndpoints: ['Microsoft.Storage'] } });
    forcedTunnel(b, [defaultRoute, managementRoute]);
    const finding = expectFinding(evaluate(b.stack), 'APIM-ROUTE-ENDPOINTS', /lacks the service endpoints Microsoft\.EventHub, Microsoft\.KeyVault, Microsoft\.Sql/);
    expect(finding.level).toBe(ApimRuleLevel.WARNING);
  });
  test('unknown: endpoints from a variable', () => {
    const b = brownfield();
    b.subnet.addOverride('service_endpoints', b.variable('endpoints'));
    forcedTunnel(b, [defaultRoute, managementRoute]);
    expectUnknown(evaluate(b.stack), 'APIM-ROUTE-ENDPOINTS', /var\.endpoints/);
  });
});

describe('APIM-ROUTE-SQL-SECONDARY', () => {
  function withSecondary(endpointsOfSecondary: string[] | string) {
    const b = brownfield();
    const vnet = new VirtualNetwork(b.stack, 'vnet2', { name: 'vnet-neu', location: 'northeurope', resourceGroupName: 'rg', addressSpace: ['10.1.0.0/16'] });
    const subnet = new Subnet(b.stack, 'subnet2', { name: 'snet', resourceGroupName: 'rg', virtualNetworkName: vnet.name, addressPrefixes: ['10.1.1.0/27'] });
    subnet.addOverride('service_endpoints', endpointsOfSecondary);
    new SubnetNetworkSecurityGroupAssociation(b.stack, 'assoc2', { subnetId: subnet.id, networkSecurityGroupId: b.nsg.id });
    b.apim.putAdditionalLocation([{ location: 'northeurope', virtualNetworkConfiguration: { subnetId: subnet.id } }]);
    return b;
  }
  test('compliant', () => {
    expectCompliant(evaluate(withSecondary(['Microsoft.Storage']).stack), 'APIM-ROUTE-SQL-SECONDARY');
  });
  test('non-compliant (warning): Microsoft.Sql on the secondary subnet', () => {
    expectFinding(evaluate(withSecondary(['Microsoft.Sql']).stack), 'APIM-ROUTE-SQL-SECONDARY',
      /azurerm_subnet\.subnet2 .*the subnet of a secondary location .* has the Microsoft\.Sql endpoint/);
  });
  test('unknown', () => {
    const b = brownfield();
    expectUnknown(evaluate(withSecondary(b.variable('x')).stack), 'APIM-ROUTE-SQL-SECONDARY', /var\.x/);
  });
});

describe('APIM-DNS-APEX', () => {
  function zone(b: Brownfield, name: string) {
    const z = new PrivateDnsZone(b.stack, `zone-${name}`, { name, resourceGroupName: 'rg' });
    new PrivateDnsZoneVirtualNetworkLink(b.stack, `link-${name}`, { name: 'link', resourceGroupName: 'rg', privateDnsZoneName: z.name, virtualNetworkId: b.vnet.id });
  }
  test('compliant: a zone for the instance\'s own hostname', () => {
    const b = brownfield({ apim: { virtualNetworkType: 'Internal' } });
    zone(b, 'contoso-apim.azure-api.net');
    expectCompliant(evaluate(b.stack), 'APIM-DNS-APEX');
  });
  test('non-compliant: the apex azure-api.net linked to the APIM virtual network', () => {
    const b = brownfield({ apim: { virtualNetworkType: 'Internal' } });
    zone(b, 'azure-api.net');
    expectFinding(evaluate(b.stack), 'APIM-DNS-APEX', /links the private DNS zone "azure-api\.net" to azurerm_virtual_network\.vnet/);
  });
  test('unknown: the zone name from a variable', () => {
    const b = brownfield();
    zone(b, 'placeholder');
    (b.stack.node.findChild('link-placeholder') as PrivateDnsZoneVirtualNetworkLink).privateDnsZoneName = b.variable('zone');
    expectUnknown(evaluate(b.stack), 'APIM-DNS-APEX', /var\.zone/);
  });
});
