/**
 * Forced tunnelling and DNS rules (design/RULES.md revision 2): split default routes, client routes in External mode,
 * DNS for Internal instances, and private zones named azure-api.net. Each rule: compliant, non-compliant and unknown,
 * on hand-written L1 resources, on raw Terraform JSON, and through the constructs of this library.
 */
import { PrivateDnsARecord } from '@cdktf/provider-azurerm/lib/private-dns-a-record';
import { PrivateDnsCnameRecord } from '@cdktf/provider-azurerm/lib/private-dns-cname-record';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { Route } from '@cdktf/provider-azurerm/lib/route';
import { RouteTable, RouteTableRoute } from '@cdktf/provider-azurerm/lib/route-table';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { SubnetRouteTableAssociation } from '@cdktf/provider-azurerm/lib/subnet-route-table-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { VirtualNetworkDnsServers } from '@cdktf/provider-azurerm/lib/virtual-network-dns-servers';
import { Testing } from 'cdktf';
import {
  ApimCheckResult, ApimNetworkChecks, ApimNetworkRules, ApimNextHopType, ApimPrivateDns, ApimRouteTable, ApimRuleLevel, ApimRuleOutcome,
  ApimVirtualNetworkType,
} from '../../lib';
import { coversPublicSpace } from '../../lib/checks/rules/routing';
import { parseIpv4Cidr, Ipv4Cidr } from '../../lib/core/cidr';
import { Brownfield, brownfield, evaluate, expectCompliant, expectFinding, expectUnknown, findingsOf } from './brownfield';

const endpoints = ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Sql', 'Microsoft.Storage'];
const toFirewall = (name: string, addressPrefix: string, nextHopType = 'VirtualAppliance'): RouteTableRoute =>
  ({ name, addressPrefix, nextHopType, nextHopInIpAddress: nextHopType === 'VirtualAppliance' ? '10.0.0.4' : undefined });
const toInternet = (name: string, addressPrefix: string): RouteTableRoute => ({ name, addressPrefix, nextHopType: 'Internet' });
const management = toInternet('apim-management', 'ApiManagement');
const splitDefault = [toFirewall('low-half', '0.0.0.0/1'), toFirewall('high-half', '128.0.0.0/1')];

function tunnelled(routes: RouteTableRoute[], options: Parameters<typeof brownfield>[0] = {}): Brownfield & { table: RouteTable } {
  const b = brownfield({ ...options, subnet: { serviceEndpoints: endpoints, ...options.subnet } });
  const table = new RouteTable(b.stack, 'rt', { name: 'rt-apim', location: 'westeurope', resourceGroupName: 'rg', route: routes });
  new SubnetRouteTableAssociation(b.stack, 'rt-assoc', { subnetId: b.subnet.id, routeTableId: table.id });
  return { ...b, table };
}

const cidr = (text: string) => (parseIpv4Cidr(text) as { cidr: Ipv4Cidr }).cidr;

describe('coversPublicSpace (exact interval arithmetic)', () => {
  test.each([
    [['0.0.0.0/0'], true],
    [['0.0.0.0/1', '128.0.0.0/1'], true],
    [['0.0.0.0/1'], false],
    [['128.0.0.0/1', '0.0.0.0/2', '64.0.0.0/2'], true],
    // Everything but 10.0.0.0/8: private ranges may stay with the virtual network.
    [['0.0.0.0/5', '8.0.0.0/7', '11.0.0.0/8', '12.0.0.0/6', '16.0.0.0/4', '32.0.0.0/3', '64.0.0.0/2', '128.0.0.0/1'], true],
    // Everything but 52.0.0.0/8 (public): not forced.
    [['0.0.0.0/3', '32.0.0.0/4', '48.0.0.0/6', '53.0.0.0/8', '54.0.0.0/7', '56.0.0.0/5', '64.0.0.0/2', '128.0.0.0/1'], false],
    [['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/3'], true],
    [['0.0.0.0/1', '128.0.0.0/2', '192.0.0.0/4'], false],
    [[], false],
  ])('%j -> %s', (blocks, expected) => {
    expect(coversPublicSpace(blocks.map(cidr))).toBe(expected);
  });
});

describe('APIM-ROUTE-MANAGEMENT: any set of tunnelling routes that covers the public IPv4 space', () => {
  test('non-compliant: 0.0.0.0/1 + 128.0.0.0/1 to an appliance without the ApiManagement route (docs audit V10)', () => {
    expectFinding(evaluate(tunnelled(splitDefault).stack), 'APIM-ROUTE-MANAGEMENT',
      /azurerm_route_table\.rt sends the public IPv4 space to VirtualAppliance \(routes "low-half" 0\.0\.0\.0\/1, "high-half" 128\.0\.0\.0\/1\) but has no route ApiManagement -> Internet/);
  });
  test('non-compliant: the split routes as standalone azurerm_route resources', () => {
    const b = tunnelled([]);
    b.table.resetRoute();
    new Route(b.stack, 'r1', { name: 'low', resourceGroupName: 'rg', routeTableName: b.table.name, addressPrefix: '0.0.0.0/1', nextHopType: 'VirtualNetworkGateway' });
    new Route(b.stack, 'r2', { name: 'high', resourceGroupName: 'rg', routeTableName: b.table.name, addressPrefix: '128.0.0.0/1', nextHopType: 'VirtualNetworkGateway' });
    expectFinding(evaluate(b.stack), 'APIM-ROUTE-MANAGEMENT', /sends the public IPv4 space to VirtualNetworkGateway/);
  });
  test('non-compliant: every public prefix to None (a black hole), private ranges left out', () => {
    const routes = ['0.0.0.0/5', '8.0.0.0/7', '11.0.0.0/8', '12.0.0.0/6', '16.0.0.0/4', '32.0.0.0/3', '64.0.0.0/2', '128.0.0.0/1']
      .map((p, i) => toFirewall(`r${i}`, p, 'None'));
    expectFinding(evaluate(tunnelled(routes).stack), 'APIM-ROUTE-MANAGEMENT', /sends the public IPv4 space to None/);
  });
  test('non-compliant: the ApiManagement route goes to the appliance too', () => {
    expectFinding(evaluate(tunnelled([toFirewall('default', '0.0.0.0/0'), toFirewall('mgmt', 'ApiManagement')]).stack), 'APIM-ROUTE-MANAGEMENT',
      /sends 0\.0\.0\.0\/0 to VirtualAppliance \(route "default"\) but has no route ApiManagement -> Internet \(route "mgmt" sends ApiManagement to VirtualAppliance\)/);
  });
  test('compliant: the split default route with the ApiManagement route (any case)', () => {
    expectCompliant(evaluate(tunnelled([...splitDefault, toInternet('m', 'apimanagement')]).stack), 'APIM-ROUTE-MANAGEMENT');
  });
  test('a warning, not an error: routes that leave part of the public space to Internet may or may not hold ApiManagement (review 5)', () => {
    const finding = expectFinding(evaluate(tunnelled([toFirewall('half', '0.0.0.0/1')]).stack), 'APIM-ROUTE-MANAGEMENT',
      /sends public ranges \(route "half" 0\.0\.0\.0\/1\) to VirtualAppliance but has no route ApiManagement -> Internet; whether it holds addresses of the ApiManagement service tag cannot be known/);
    expect(finding.level).toBe(ApimRuleLevel.WARNING);
    expectCompliant(evaluate(tunnelled([toFirewall('half', '0.0.0.0/1'), management]).stack), 'APIM-ROUTE-MANAGEMENT');
  });
  test('unknown: one half of the split route from a variable', () => {
    const b = tunnelled([]);
    b.table.putRoute([toFirewall('low-half', '0.0.0.0/1'), toFirewall('high-half', b.variable('prefix'))]);
    expectUnknown(evaluate(b.stack), 'APIM-ROUTE-MANAGEMENT', /route "high-half" of azurerm_route_table\.rt: the variable var\.prefix/);
  });
  test('unknown: a standalone route whose route table is named by a variable may belong to the table', () => {
    const b = tunnelled([toFirewall('low-half', '0.0.0.0/1')]);
    new Route(b.stack, 'r2', { name: 'high', resourceGroupName: 'rg', routeTableName: b.variable('rt_name'), addressPrefix: '128.0.0.0/1', nextHopType: 'VirtualAppliance', nextHopInIpAddress: '10.0.0.4' });
    expectUnknown(evaluate(b.stack), 'APIM-ROUTE-MANAGEMENT', /whether azurerm_route\.r2 belongs to azurerm_route_table\.rt/);
  });
  test('non-compliant: a dynamic "route" block over a literal list is expanded and judged', () => {
    const b = tunnelled([]);
    b.table.resetRoute();
    b.table.addOverride('dynamic.route', {
      for_each: [{ n: 'low', p: '0.0.0.0/1' }, { n: 'high', p: '128.0.0.0/1' }],
      content: { name: '${route.value.n}', address_prefix: '${route.value.p}', next_hop_type: 'VirtualAppliance', next_hop_in_ip_address: '10.0.0.4' },
    });
    expectFinding(evaluate(b.stack), 'APIM-ROUTE-MANAGEMENT', /sends the public IPv4 space to VirtualAppliance \(routes "low" 0\.0\.0\.0\/1, "high" 128\.0\.0\.0\/1\)/);
  });
  test('unknown: a standalone ApiManagement route whose count is a variable may not exist', () => {
    const b = tunnelled(splitDefault);
    const route = new Route(b.stack, 'mgmt', { name: 'mgmt', resourceGroupName: 'rg', routeTableName: 'rt-apim', addressPrefix: 'ApiManagement', nextHopType: 'Internet' });
    route.addOverride('count', '${var.with_management ? 1 : 0}');
    expectUnknown(evaluate(b.stack), 'APIM-ROUTE-MANAGEMENT', /whether azurerm_route\.mgmt.* exists/);
  });
  test('unknown: routes from a dynamic block', () => {
    const b = tunnelled([]);
    b.table.resetRoute();
    b.table.addOverride('dynamic.route', { for_each: '${var.routes}', content: { name: '${route.key}' } });
    expectUnknown(evaluate(b.stack), 'APIM-ROUTE-MANAGEMENT', /the routes of azurerm_route_table\.rt: a dynamic "route" block over the variable var\.routes/);
  });
});

describe('APIM-ROUTE-CLIENTS (warning): External mode with forced tunnelling keeps a route to Internet for the clients', () => {
  test('non-compliant: the docs-audit V11 case (0.0.0.0/0 to the NVA, the ApiManagement route, endpoints, no client route)', () => {
    const finding = expectFinding(evaluate(tunnelled([toFirewall('default', '0.0.0.0/0'), management]).stack), 'APIM-ROUTE-CLIENTS',
      /azurerm_route_table\.rt sends 0\.0\.0\.0\/0 to VirtualAppliance \(route "default"\) but has no route to Internet for any client range; in External mode replies to the gateway's clients would go through the tunnel/);
    expect(finding.level).toBe(ApimRuleLevel.WARNING);
  });
  test('non-compliant: a private range to Internet is no client route', () => {
    expectFinding(evaluate(tunnelled([...splitDefault, management, toInternet('onprem', '10.0.0.0/8')]).stack), 'APIM-ROUTE-CLIENTS', /no route to Internet for any client range/);
  });
  test('compliant: a client CIDR to Internet; a service tag to Internet', () => {
    expectCompliant(evaluate(tunnelled([toFirewall('default', '0.0.0.0/0'), management, toInternet('partner', '203.0.113.0/24')]).stack), 'APIM-ROUTE-CLIENTS');
    expectCompliant(evaluate(tunnelled([toFirewall('default', '0.0.0.0/0'), management, toInternet('afd', 'AzureFrontDoor.Backend')]).stack), 'APIM-ROUTE-CLIENTS');
  });
  test('compliant: no forced tunnelling', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-ROUTE-CLIENTS');
  });
  test('not judged in Internal mode (clients are inside the network)', () => {
    const result = evaluate(tunnelled([toFirewall('default', '0.0.0.0/0'), management], { apim: { virtualNetworkType: 'Internal' } }).stack);
    expect(result.outcomes.filter((o) => o.ruleId === 'APIM-ROUTE-CLIENTS')).toEqual([]);
  });
  test('unknown: the only candidate client route has its prefix from a variable', () => {
    const b = tunnelled([]);
    b.table.putRoute([toFirewall('default', '0.0.0.0/0'), management, toInternet('clients', b.variable('clients'))]);
    expectUnknown(evaluate(b.stack), 'APIM-ROUTE-CLIENTS', /var\.clients/);
  });
});

describe('ApimRouteTable output passes every routing rule', () => {
  test.each([ApimVirtualNetworkType.EXTERNAL, ApimVirtualNetworkType.INTERNAL])('%s mode', (mode) => {
    const b = brownfield({ subnet: { serviceEndpoints: endpoints }, apim: { virtualNetworkType: mode } });
    new ApimRouteTable(b.stack, 'routes', {
      resourceGroupName: 'rg', location: 'westeurope', subnetId: b.subnet.id, subnetAddressPrefix: '10.0.1.0/27', virtualNetworkType: mode,
      nextHopType: ApimNextHopType.VIRTUAL_APPLIANCE, nextHopIpAddress: '10.0.0.4',
      clientAddressPrefixes: mode === ApimVirtualNetworkType.EXTERNAL ? ['203.0.113.0/24'] : undefined,
    });
    const result = evaluate(b.stack);
    for (const rule of ['APIM-ROUTE-MANAGEMENT', 'APIM-ROUTE-ENDPOINTS']) {
      expectCompliant(result, rule);
    }
    if (mode === ApimVirtualNetworkType.EXTERNAL) {
      expectCompliant(result, 'APIM-ROUTE-CLIENTS');
    }
    expect(result.findings.filter((f) => f.ruleId.startsWith('APIM-ROUTE') || f.detail?.startsWith('APIM-ROUTE'))).toEqual([]);
  });
});

/** An Internal brownfield network with an optional private zone for `host`, linked to `vnet`. */
function internal(options: Parameters<typeof brownfield>[0] = {}): Brownfield {
  return brownfield({ ...options, apim: { virtualNetworkType: 'Internal', ...options.apim } });
}
function zoneFor(b: Brownfield, host: string, record = '@', linkTo: string | null = b.vnet.id, id = host): PrivateDnsZone {
  const zone = new PrivateDnsZone(b.stack, `zone-${id}`, { name: host, resourceGroupName: 'rg-dns' });
  new PrivateDnsARecord(b.stack, `a-${id}`, { name: record, zoneName: zone.name, resourceGroupName: 'rg-dns', ttl: 300, records: ['10.0.1.4'] });
  if (linkTo) {
    new PrivateDnsZoneVirtualNetworkLink(b.stack, `link-${id}`, { name: 'apim', resourceGroupName: 'rg-dns', privateDnsZoneName: zone.name, virtualNetworkId: linkTo });
  }
  return zone;
}

describe('APIM-DNS-INTERNAL (warning): an Internal instance can be resolved by name', () => {
  test('non-compliant: no private DNS and no custom DNS servers (docs audit V12)', () => {
    const finding = expectFinding(evaluate(internal().stack), 'APIM-DNS-INTERNAL',
      /\[APIM-DNS-INTERNAL\[primary\]\] azurerm_virtual_network\.vnet .*holds the primary location of the Internal instance azurerm_api_management\.apim, but no private DNS record for contoso-apim\.azure-api\.net is in a zone linked to it and it has no custom DNS servers/);
    expect(finding.level).toBe(ApimRuleLevel.WARNING);
  });
  test('non-compliant: the zone and record exist but are not linked to the APIM network', () => {
    const b = internal();
    const other = new VirtualNetwork(b.stack, 'hub', { name: 'vnet-hub', location: 'westeurope', resourceGroupName: 'rg', addressSpace: ['10.9.0.0/16'] });
    zoneFor(b, 'contoso-apim.azure-api.net', '@', other.id);
    expectFinding(evaluate(b.stack), 'APIM-DNS-INTERNAL', /no private DNS record for contoso-apim\.azure-api\.net/);
  });
  test('non-compliant: a zone for another host only (the developer portal)', () => {
    const b = internal();
    zoneFor(b, 'contoso-apim.developer.azure-api.net');
    expectFinding(evaluate(b.stack), 'APIM-DNS-INTERNAL', /no private DNS record for contoso-apim\.azure-api\.net/);
  });
  test('non-compliant: a secondary location whose network is not linked', () => {
    const b = internal({ apim: { skuName: 'Premium_1' } });
    const vnet2 = new VirtualNetwork(b.stack, 'vnet2', { name: 'vnet-neu', location: 'northeurope', resourceGroupName: 'rg', addressSpace: ['10.1.0.0/16'] });
    const subnet2 = new Subnet(b.stack, 'subnet2', { name: 'snet', resourceGroupName: 'rg', virtualNetworkName: vnet2.name, addressPrefixes: ['10.1.1.0/27'] });
    new SubnetNetworkSecurityGroupAssociation(b.stack, 'assoc2', { subnetId: subnet2.id, networkSecurityGroupId: b.nsg.id });
    b.apim.putAdditionalLocation([{ location: 'northeurope', virtualNetworkConfiguration: { subnetId: subnet2.id } }]);
    zoneFor(b, 'contoso-apim.azure-api.net');
    const result = evaluate(b.stack);
    expectFinding(result, 'APIM-DNS-INTERNAL', /\[APIM-DNS-INTERNAL\[additional_location\[0\]\]\] azurerm_virtual_network\.vnet2 .*holds the additional_location\[0\] location/);
    expect(findingsOf(result, 'APIM-DNS-INTERNAL')).toHaveLength(1);
  });
  test('compliant: a zone for the exact host with the record @, linked to the network', () => {
    const b = internal();
    zoneFor(b, 'contoso-apim.azure-api.net');
    expectCompliant(evaluate(b.stack), 'APIM-DNS-INTERNAL');
  });
  test('compliant: a CNAME @ in the exact zone, its name in another case and with the final dot', () => {
    const b = internal();
    const zone = new PrivateDnsZone(b.stack, 'zone', { name: 'Contoso-APIM.azure-api.net.', resourceGroupName: 'rg' });
    new PrivateDnsCnameRecord(b.stack, 'cname', { name: '@', zoneName: zone.name, resourceGroupName: 'rg', ttl: 60, record: 'apim.corp.example' });
    new PrivateDnsZoneVirtualNetworkLink(b.stack, 'link', { name: 'l', resourceGroupName: 'rg', privateDnsZoneName: zone.name, virtualNetworkId: b.vnet.id });
    expectCompliant(evaluate(b.stack), 'APIM-DNS-INTERNAL');
  });
  test('non-compliant: the record sits in a zone of the same name in another resource group', () => {
    const b = internal();
    const zone = new PrivateDnsZone(b.stack, 'zone', { name: 'contoso-apim.azure-api.net', resourceGroupName: 'rg-a' });
    new PrivateDnsARecord(b.stack, 'a', { name: '@', zoneName: 'contoso-apim.azure-api.net', resourceGroupName: 'rg-b', ttl: 60, records: ['10.0.1.4'] });
    new PrivateDnsZoneVirtualNetworkLink(b.stack, 'link', { name: 'l', resourceGroupName: 'rg-a', privateDnsZoneName: zone.name, virtualNetworkId: b.vnet.id });
    expectFinding(evaluate(b.stack), 'APIM-DNS-INTERNAL', /no private DNS record for contoso-apim\.azure-api\.net/);
  });
  test('compliant: custom DNS servers on the virtual network, inline or as azurerm_virtual_network_dns_servers', () => {
    const inline = internal();
    inline.vnet.dnsServers = ['10.0.0.53'];
    expectCompliant(evaluate(inline.stack), 'APIM-DNS-INTERNAL');
    const standalone = internal();
    new VirtualNetworkDnsServers(standalone.stack, 'dns', { virtualNetworkId: standalone.vnet.id, dnsServers: ['10.0.0.53'] });
    expectCompliant(evaluate(standalone.stack), 'APIM-DNS-INTERNAL');
  });
  test('non-compliant: Azure\'s own resolver, or blank entries, as the "custom" DNS servers (outside review, session 5)', () => {
    for (const servers of [['168.63.129.16'], [' 168.63.129.16 ', ''], ['']]) {
      const inline = internal();
      inline.vnet.dnsServers = servers;
      expectFinding(evaluate(inline.stack), 'APIM-DNS-INTERNAL', /no private DNS record for contoso-apim\.azure-api\.net/);
      const standalone = internal();
      new VirtualNetworkDnsServers(standalone.stack, 'dns', { virtualNetworkId: standalone.vnet.id, dnsServers: servers });
      expectFinding(evaluate(standalone.stack), 'APIM-DNS-INTERNAL', /no private DNS record/);
    }
    // With a server of the user's own beside it, the user's resolver answers.
    const mixed = internal();
    mixed.vnet.dnsServers = ['168.63.129.16', '10.0.0.53'];
    expectCompliant(evaluate(mixed.stack), 'APIM-DNS-INTERNAL');
  });
  test('compliant: ApimPrivateDns on a hand-written instance', () => {
    const b = internal();
    new ApimPrivateDns(b.stack, 'dns', { apiManagement: b.apim, resourceGroupName: 'rg', virtualNetworks: [{ key: 'westeurope', virtualNetworkId: b.vnet.id }] });
    const result = evaluate(b.stack);
    expectCompliant(result, 'APIM-DNS-INTERNAL');
    expectCompliant(result, 'APIM-DNS-APEX');
  });
  test('not judged in External mode (the names are in public DNS)', () => {
    expect(evaluate(brownfield().stack).outcomes.filter((o) => o.ruleId === 'APIM-DNS-INTERNAL')).toEqual([]);
  });
  test('unknown: the DNS servers from a variable', () => {
    const b = internal();
    b.vnet.addOverride('dns_servers', b.variable('dns'));
    expectUnknown(evaluate(b.stack), 'APIM-DNS-INTERNAL', /var\.dns/);
  });
  test('unknown: a zone link whose network is a variable', () => {
    const b = internal();
    zoneFor(b, 'contoso-apim.azure-api.net', '@', b.variable('vnet_id'));
    expectUnknown(evaluate(b.stack), 'APIM-DNS-INTERNAL', /var\.vnet_id/);
  });
  test('unknown: the record name from a variable', () => {
    const b = internal();
    zoneFor(b, 'contoso-apim.azure-api.net', b.variable('record'));
    expectUnknown(evaluate(b.stack), 'APIM-DNS-INTERNAL', /var\.record/);
  });
  test('unknown: the only record is repeated by for_each over a variable', () => {
    const b = internal();
    zoneFor(b, 'contoso-apim.azure-api.net');
    (b.stack.node.findChild('a-contoso-apim.azure-api.net') as PrivateDnsARecord).addOverride('for_each', '${var.records}');
    expectUnknown(evaluate(b.stack), 'APIM-DNS-INTERNAL', /var\.records/);
  });
  test('unknown: the instance name from a variable', () => {
    const b = internal();
    b.apim.name = b.variable('apim_name');
    expectUnknown(evaluate(b.stack), 'APIM-DNS-INTERNAL', /var\.apim_name/);
  });
});

describe('APIM-DNS-APEX: also a zone named azure-api.net whose links cannot be seen', () => {
  test('non-compliant: linked to a virtual network given by a variable', () => {
    const b = internal();
    zoneFor(b, 'azure-api.net', 'contoso-apim', b.variable('vnet_id'));
    expectFinding(evaluate(b.stack), 'APIM-DNS-APEX', /links the private DNS zone "azure-api\.net" to a virtual network the checks cannot see \(the variable var\.vnet_id\); Azure refuses a private zone of that name/);
  });
  test('non-compliant: a zone azure-api.net with no link in this stack', () => {
    const b = internal();
    zoneFor(b, 'Azure-API.net.', 'contoso-apim', null);
    expectFinding(evaluate(b.stack), 'APIM-DNS-APEX', /azurerm_private_dns_zone\.zone-Azure-APInet .*is a private DNS zone named "Azure-API\.net\." whose links are not in this stack/);
  });
  test('compliant: a zone azure-api.net linked only to a network without APIM is none of APIM\'s business', () => {
    const b = internal();
    zoneFor(b, 'contoso-apim.azure-api.net');
    const other = new VirtualNetwork(b.stack, 'lab', { name: 'vnet-lab', location: 'westeurope', resourceGroupName: 'rg', addressSpace: ['10.8.0.0/16'] });
    zoneFor(b, 'azure-api.net', 'x', other.id);
    expect(findingsOf(evaluate(b.stack), 'APIM-DNS-APEX')).toEqual([]);
  });
});

describe('raw Terraform JSON (block bodies as objects or one-element arrays)', () => {
  function document(routeTable: Record<string, unknown>, extra: Record<string, Record<string, unknown>> = {}, mode = 'External'): any {
    return {
      provider: { azurerm: [{ features: [{}] }] },
      resource: {
        azurerm_virtual_network: { vnet: { name: 'vnet', location: 'westeurope', resource_group_name: 'rg', address_space: ['10.0.0.0/16'] } },
        azurerm_subnet: { snet: { name: 'snet', resource_group_name: 'rg', virtual_network_name: '${azurerm_virtual_network.vnet.name}', address_prefixes: ['10.0.1.0/27'], service_endpoints: endpoints } },
        azurerm_api_management: {
          apim: {
            name: 'contoso-apim', location: 'westeurope', resource_group_name: 'rg', publisher_name: 'C', publisher_email: 'c@example.com', sku_name: 'Premium_1',
            virtual_network_type: mode, virtual_network_configuration: [{ subnet_id: '${azurerm_subnet.snet.id}' }],
          },
        },
        azurerm_route_table: { rt: { name: 'rt', location: 'westeurope', resource_group_name: 'rg', ...routeTable } },
        azurerm_subnet_route_table_association: { a: { subnet_id: '${azurerm_subnet.snet.id}', route_table_id: '${azurerm_route_table.rt.id}' } },
        ...extra,
      },
    };
  }
  const only = (result: ApimCheckResult, rule: string) => result.outcomes.filter((o) => o.ruleId === rule || (o.outcome === ApimRuleOutcome.UNKNOWN && o.ruleId === rule));
  const hop = { next_hop_type: 'VirtualAppliance', next_hop_in_ip_address: '10.0.0.4' };

  test('split default route inline (hcl2json style: every block an array) without the management route fails', () => {
    const result = ApimNetworkRules.evaluate(document({ route: [{ name: 'a', address_prefix: '0.0.0.0/1', ...hop }, { name: 'b', address_prefix: '128.0.0.0/1', ...hop }] }));
    expect(only(result, 'APIM-ROUTE-MANAGEMENT').map((o) => o.outcome)).toEqual([ApimRuleOutcome.FAIL]);
    expect(only(result, 'APIM-ROUTE-CLIENTS').map((o) => o.outcome)).toEqual([ApimRuleOutcome.FAIL]);
  });
  test('one route as a single object, the rest as standalone azurerm_route with a literal table name', () => {
    const result = ApimNetworkRules.evaluate(document({ route: { name: 'a', address_prefix: '0.0.0.0/1', ...hop } }, {
      azurerm_route: {
        b: { name: 'b', resource_group_name: 'rg', route_table_name: 'rt', address_prefix: '128.0.0.0/1', ...hop },
        m: { name: 'm', resource_group_name: 'rg', route_table_name: '${azurerm_route_table.rt.name}', address_prefix: 'ApiManagement', next_hop_type: 'Internet' },
        c: { name: 'c', resource_group_name: 'rg', route_table_name: 'rt', address_prefix: '198.51.100.0/24', next_hop_type: 'Internet' },
      },
    }));
    expect(only(result, 'APIM-ROUTE-MANAGEMENT').map((o) => o.outcome)).toEqual([ApimRuleOutcome.PASS]);
    expect(only(result, 'APIM-ROUTE-CLIENTS').map((o) => o.outcome)).toEqual([ApimRuleOutcome.PASS]);
  });
  test('a route list from a variable is unknown, never a pass', () => {
    const result = ApimNetworkRules.evaluate(document({ route: '${var.routes}' }));
    expect(result.findings.filter((f) => f.ruleId === 'APIM-UNKNOWN').map((f) => f.detail)).toEqual(expect.arrayContaining(['APIM-ROUTE-MANAGEMENT', 'APIM-ROUTE-CLIENTS']));
    expect(only(result, 'APIM-ROUTE-MANAGEMENT').map((o) => o.outcome)).toEqual([ApimRuleOutcome.UNKNOWN]);
  });
  test('DNS: an Internal instance with a linked zone and record passes; without the record it fails; with the zone name unknown it is unknown', () => {
    const dns = (recordName: string) => ({
      azurerm_private_dns_zone: { z: { name: 'contoso-apim.azure-api.net', resource_group_name: 'rg' } },
      azurerm_private_dns_zone_virtual_network_link: { l: { name: 'l', resource_group_name: 'rg', private_dns_zone_name: '${azurerm_private_dns_zone.z.name}', virtual_network_id: '${azurerm_virtual_network.vnet.id}' } },
      azurerm_private_dns_a_record: { r: { name: recordName, zone_name: '${azurerm_private_dns_zone.z.name}', resource_group_name: 'rg', ttl: 300, records: ['10.0.1.4'] } },
    });
    const outcome = (doc: any) => ApimNetworkRules.evaluate(doc).outcomes.filter((o) => o.ruleId === 'APIM-DNS-INTERNAL').map((o) => o.outcome);
    expect(outcome(document({}, dns('@'), 'Internal'))).toEqual([ApimRuleOutcome.PASS]);
    expect(outcome(document({}, dns('www'), 'Internal'))).toEqual([ApimRuleOutcome.FAIL]);
    const unknownZone = document({}, dns('@'), 'Internal');
    unknownZone.resource.azurerm_private_dns_zone_virtual_network_link.l.private_dns_zone_name = '${var.zone}';
    expect(outcome(unknownZone)).toEqual([ApimRuleOutcome.UNKNOWN]);
  });
});

describe('raw Terraform JSON: APIM-DNS-APEX', () => {
  const base = (vnetId: string, zoneName = 'azure-api.net') => ({
    resource: {
      azurerm_virtual_network: { vnet: { name: 'vnet', location: 'westeurope', resource_group_name: 'rg', address_space: ['10.0.0.0/16'] } },
      azurerm_subnet: { snet: { name: 'snet', resource_group_name: 'rg', virtual_network_name: 'vnet', address_prefixes: ['10.0.1.0/27'] } },
      azurerm_api_management: { apim: { name: 'a', location: 'westeurope', sku_name: 'Developer_1', virtual_network_type: 'Internal', virtual_network_configuration: { subnet_id: '${azurerm_subnet.snet.id}' } } },
      azurerm_private_dns_zone: { apex: { name: zoneName, resource_group_name: 'rg' } },
      azurerm_private_dns_zone_virtual_network_link: { l: { name: 'l', resource_group_name: 'rg', private_dns_zone_name: zoneName, virtual_network_id: vnetId } },
    },
  });
  const outcomes = (doc: any) => ApimNetworkRules.evaluate(doc).outcomes.filter((o) => o.ruleId === 'APIM-DNS-APEX').map((o) => o.outcome);
  test('linked by a literal Azure ID of the APIM network: fail', () => {
    expect(outcomes(base('/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet'))).toEqual([ApimRuleOutcome.FAIL]);
  });
  test('linked to a network from remote state: fail (Azure refuses the name wherever it is linked)', () => {
    expect(outcomes(base('${data.terraform_remote_state.hub.outputs.vnet_id}'))).toEqual([ApimRuleOutcome.FAIL]);
  });
  test('the zone name from a variable: unknown; a zone for the exact host: pass', () => {
    expect(outcomes(base('${azurerm_virtual_network.vnet.id}', '${var.zone}'))).toEqual([ApimRuleOutcome.UNKNOWN]);
    expect(outcomes(base('${azurerm_virtual_network.vnet.id}', 'a.azure-api.net'))).toEqual([ApimRuleOutcome.PASS]);
  });
});

describe('enforcement through Testing.fullSynth (the path cdktf synth takes)', () => {
  function synthFails(b: Brownfield, strict = false) {
    ApimNetworkChecks.applyTo(b.stack, { strict });
    return () => Testing.fullSynth(b.stack);
  }
  test('hand-written forced tunnelling without the ApiManagement route fails synth', () => {
    expect(synthFails(tunnelled([toFirewall('default', '0.0.0.0/0'), toInternet('c', '203.0.113.0/24')]))).toThrow(/\[APIM-ROUTE-MANAGEMENT\] azurerm_subnet\.apim_subnet/);
  });
  test('a split default route without the ApiManagement route fails synth', () => {
    expect(synthFails(tunnelled([...splitDefault, toInternet('c', '203.0.113.0/24')]))).toThrow(/\[APIM-ROUTE-MANAGEMENT\] .*sends the public IPv4 space to VirtualAppliance/);
  });
  test('a private zone named azure-api.net linked to the APIM network fails synth', () => {
    const b = internal();
    zoneFor(b, 'azure-api.net', 'contoso-apim');
    expect(synthFails(b)).toThrow(/\[APIM-DNS-APEX\] azurerm_private_dns_zone_virtual_network_link\.link-azure-apinet \(brownfield\/link-azure-api\.net\)/);
  });
  test('an Internal instance with no DNS is reported (a warning: it fails synth with strict)', () => {
    expect(synthFails(internal())).not.toThrow();
    expect(synthFails(internal(), true)).toThrow(/\[APIM-DNS-INTERNAL\[primary\]\] azurerm_virtual_network\.vnet/);
  });
  test('External forced tunnelling without client routes is reported (a warning: it fails synth with strict)', () => {
    expect(synthFails(tunnelled([toFirewall('default', '0.0.0.0/0'), management]), true)).toThrow(/\[APIM-ROUTE-CLIENTS\] azurerm_subnet\.apim_subnet/);
  });
});
