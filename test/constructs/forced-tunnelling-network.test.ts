/**
 * Forced tunnelling, custom DNS servers and private DNS on the networks: the `forcedTunnelling` and `dnsServers` region
 * options of MultiRegionApimNetwork and ApimRegionalNetwork, `connect()` waiting for the route table associations, and
 * `network.privateDns()`.
 */
import { ApiManagement, ApiManagementConfig } from '@cdktf/provider-azurerm/lib/api-management';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { RouteTable } from '@cdktf/provider-azurerm/lib/route-table';
import { SubnetRouteTableAssociation } from '@cdktf/provider-azurerm/lib/subnet-route-table-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import {
  ApimNetworkError, ApimNetworkErrorCode, ApimNetworkTesting, ApimNextHopType, ApimRegionOptions, ApimRegionalNetwork,
  ApimVirtualNetworkType, MultiRegionApimNetwork, MultiRegionApimNetworkProps,
} from '../../lib';
import { getTestStack, resourcesOf, synthObject, thrown } from '../support/stack';

const { EXTERNAL, INTERNAL } = ApimVirtualNetworkType;
const appliance = { nextHopType: ApimNextHopType.VIRTUAL_APPLIANCE, nextHopIpAddress: '10.100.0.4' };

function region(location: string, index: number, extra: Partial<ApimRegionOptions> = {}): ApimRegionOptions {
  return { location, addressSpace: [`10.${index + 1}.0.0/16`], subnetAddressPrefix: `10.${index + 1}.1.0/27`, ...extra };
}

function props(extra: Partial<MultiRegionApimNetworkProps> = {}, regionExtra: Partial<ApimRegionOptions> = { forcedTunnelling: appliance }): MultiRegionApimNetworkProps {
  return {
    virtualNetworkType: INTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg',
    regions: [region('westeurope', 0, regionExtra), region('northeurope', 1, regionExtra)], ...extra,
  };
}

function apimOf(stack: TerraformStack, extra: Partial<ApiManagementConfig> = {}): ApiManagement {
  return new ApiManagement(stack, 'apim', {
    name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'a@contoso.example',
    skuName: 'Premium_1', ...extra,
  });
}

function build(extra: Partial<MultiRegionApimNetworkProps> = {}, regionExtra?: Partial<ApimRegionOptions>, stack = getTestStack()) {
  return { stack, network: new MultiRegionApimNetwork(stack, 'network', props(extra, regionExtra)) };
}

describe('MultiRegionApimNetwork forcedTunnelling', () => {
  test('each region gets its route table, associated with its subnet, and the forced-tunnelling service endpoints', () => {
    const { stack, network } = build();
    const doc = synthObject(stack);
    const tables = resourcesOf(doc, 'azurerm_route_table');
    expect(tables.map(([name, t]) => [name.split('_')[1], t.name, t.location, t.route.map((r: any) => [r.address_prefix, r.next_hop_type])]).sort()).toEqual([
      ['northeurope', 'rt-contoso-apim-northeurope', 'northeurope', [['0.0.0.0/0', 'VirtualAppliance'], ['ApiManagement', 'Internet']]],
      ['westeurope', 'rt-contoso-apim-westeurope', 'westeurope', [['0.0.0.0/0', 'VirtualAppliance'], ['ApiManagement', 'Internet']]],
    ]);
    const subnets = Object.fromEntries(resourcesOf(doc, 'azurerm_subnet').map(([name, s]) => [name, s.service_endpoints]));
    expect(Object.values(subnets).sort()).toEqual([
      ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Sql', 'Microsoft.Storage'],
      ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Storage'],
    ]);
    for (const [, association] of resourcesOf(doc, 'azurerm_subnet_route_table_association')) {
      expect(Object.keys(subnets).map((name) => `\${azurerm_subnet.${name}.id}`)).toContain(association.subnet_id);
    }
    expect(network.regions.every((r) => r.routeTable !== undefined)).toBe(true);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(SubnetRouteTableAssociation, {});
  });

  test('stable addresses: <network>/<location>/route-table/{route-table,association}', () => {
    const { stack } = build();
    const names = [...resourcesOf(synthObject(stack), 'azurerm_route_table'), ...resourcesOf(synthObject(stack), 'azurerm_subnet_route_table_association')]
      .map(([name]) => name).sort();
    expect(names).toEqual([
      'network_northeurope_route-table_712432FE', 'network_westeurope_route-table_3618DF29',
      'network_northeurope_route-table_association_531E12D0', 'network_westeurope_route-table_association_5545241C',
    ].sort());
  });

  test('only the regions that ask for it; the gateway as next hop; BGP propagation passed through', () => {
    const stack = getTestStack();
    new MultiRegionApimNetwork(stack, 'network', {
      ...props({}, {}),
      regions: [
        region('westeurope', 0, { forcedTunnelling: { nextHopType: ApimNextHopType.VIRTUAL_NETWORK_GATEWAY, bgpRoutePropagationEnabled: false } }),
        region('northeurope', 1),
      ],
    });
    const [[, table]] = resourcesOf(synthObject(stack), 'azurerm_route_table');
    expect(resourcesOf(synthObject(stack), 'azurerm_route_table')).toHaveLength(1);
    expect(table).toMatchObject({ location: 'westeurope', bgp_route_propagation_enabled: false });
    expect(table.route[0]).toEqual({ name: 'apim-forced-tunnel-default', address_prefix: '0.0.0.0/0', next_hop_type: 'VirtualNetworkGateway', next_hop_in_ip_address: null });
  });

  test('External mode: one route to Internet per client CIDR of networkSecurityGroup.clientAddressPrefixes (an address is its /32)', () => {
    const { stack } = build({ virtualNetworkType: EXTERNAL, networkSecurityGroup: { clientAddressPrefixes: ['203.0.113.0/24', '198.51.100.7'] } });
    for (const [, table] of resourcesOf(synthObject(stack), 'azurerm_route_table')) {
      expect(table.route.slice(2).map((r: any) => [r.name, r.address_prefix, r.next_hop_type])).toEqual([
        ['apim-client-203.0.113.0-24', '203.0.113.0/24', 'Internet'], ['apim-client-198.51.100.7-32', '198.51.100.7/32', 'Internet'],
      ]);
    }
  });

  test('serviceEndpoints.forcedTunnelling: false keeps the endpoints off, and the firewall list then carries Storage, Sql, Event Hubs and Key Vault', () => {
    const { stack, network } = build({}, { forcedTunnelling: appliance, serviceEndpoints: { forcedTunnelling: false } });
    expect(resourcesOf(synthObject(stack), 'azurerm_subnet').every(([, s]) => s.service_endpoints === undefined)).toBe(true);
    expect(network.primary.routeTable!.firewallDependencies.map((d) => d.name)).toEqual(expect.arrayContaining(['storage', 'key-vault', 'event-hub', 'sql']));
    expect(network.regions[1].routeTable!.firewallDependencies.map((d) => d.name)).toContain('sql-primary');
    expect(network.primary.routeTable!.firewallDependencies.map((d) => d.name)).not.toContain('sql-primary');
  });

  test('connect() makes APIM wait for every route table association too (and the NSG associations)', () => {
    const { stack, network } = build();
    network.connect(apimOf(stack));
    const deps: string[] = synthObject(stack).resource.azurerm_api_management.apim.depends_on;
    expect(deps.filter((d) => d.startsWith('azurerm_subnet_route_table_association.'))).toHaveLength(2);
    expect(deps.filter((d) => d.startsWith('azurerm_subnet_network_security_group_association.'))).toHaveLength(2);
    expect(network.regions.flatMap((r) => r.apimDependencies)).toHaveLength(4);
  });

  test('what a network with forced tunnelling builds passes every check (Internal and External)', () => {
    for (const mode of [INTERNAL, EXTERNAL]) {
      const stack = getTestStack();
      const network = new MultiRegionApimNetwork(stack, 'network', props({
        virtualNetworkType: mode, networkSecurityGroup: mode === EXTERNAL ? { clientAddressPrefixes: ['203.0.113.0/24'] } : undefined,
      }));
      network.connect(apimOf(stack));
      if (mode === INTERNAL) {
        network.privateDns();
      }
      expect(ApimNetworkTesting.findings(stack, { strict: true })).toEqual([]);
    }
  });
});

describe('dnsServers', () => {
  test('set on the new virtual network (before APIM exists: the network is created first)', () => {
    const { stack } = build({}, { dnsServers: ['10.100.2.4', '10.100.2.5'] });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(VirtualNetwork, { dns_servers: ['10.100.2.4', '10.100.2.5'] });
  });

  test('a reference is fine (a resolver\'s inbound endpoint IP), and feeds the firewall list', () => {
    const stack = getTestStack();
    const ip = new TerraformVariable(stack, 'resolver', { type: 'string' }).stringValue;
    const { network } = build({}, { dnsServers: [ip, '10.100.2.5'], forcedTunnelling: appliance }, stack);
    expect(resourcesOf(synthObject(stack), 'azurerm_virtual_network')[0][1].dns_servers).toEqual(['${var.resolver}', '10.100.2.5']);
    expect(network.primary.routeTable!.firewallDependencies.find((d) => d.name === 'dns')!.addresses).toEqual(['10.100.2.5']);
  });

  test('with custom DNS servers an Internal network needs no private zones for APIM-DNS-INTERNAL', () => {
    const stack = getTestStack();
    const network = new MultiRegionApimNetwork(stack, 'network', props({}, { dnsServers: ['10.100.2.4'] }));
    network.connect(apimOf(stack));
    expect(ApimNetworkTesting.findings(stack, { strict: true })).toEqual([]);
  });
});

describe('network.privateDns()', () => {
  test('zones for every host, linked to every region\'s network and the extra ones, in the network\'s resource group', () => {
    const { stack, network } = build();
    network.connect(apimOf(stack));
    const dns = network.privateDns({ additionalVirtualNetworks: [{ key: 'hub', virtualNetworkId: '/subscriptions/0/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub' }], ttl: 60 });
    expect(dns.hostNames).toEqual([
      'contoso-apim.azure-api.net', 'contoso-apim.portal.azure-api.net', 'contoso-apim.developer.azure-api.net',
      'contoso-apim.management.azure-api.net', 'contoso-apim.scm.azure-api.net',
      'contoso-apim-westeurope-01.regional.azure-api.net', 'contoso-apim-northeurope-01.regional.azure-api.net',
    ]);
    expect(dns.node.path).toBe('test/network/private-dns');
    const links = resourcesOf(synthObject(stack), 'azurerm_private_dns_zone_virtual_network_link');
    expect(links).toHaveLength(21);
    expect(new Set(links.map(([, l]) => l.name))).toEqual(new Set(['vnet-westeurope', 'vnet-northeurope', 'vnet-hub']));
    expect(Testing.synth(stack)).toHaveResourceWithProperties(PrivateDnsZoneVirtualNetworkLink, { resource_group_name: 'rg', name: 'vnet-westeurope' });
  });

  test('an existing virtual network is linked by the ID derived from its subnet', () => {
    const stack = getTestStack();
    const network = new MultiRegionApimNetwork(stack, 'network', {
      ...props({}, {}), regions: [{ location: 'westeurope', virtualNetworkName: 'vnet-shared', subnetAddressPrefix: '10.5.1.0/27' }],
    });
    network.connect(apimOf(stack));
    network.privateDns();
    const [[, link]] = resourcesOf(synthObject(stack), 'azurerm_private_dns_zone_virtual_network_link');
    expect(link.virtual_network_id).toMatch(/^\$\{join\("\/", slice\(split\("\/", azurerm_subnet\.network_westeurope_subnet_[0-9A-F]+\.id\), 0, 9\)\)\}$/);
    // The existing network is not in this stack: whether the gateway resolves there is unknown, never a pass.
    const dnsOutcomes = ApimNetworkTesting.evaluate(stack).outcomes.filter((o) => o.ruleId === 'APIM-DNS-INTERNAL');
    expect(dnsOutcomes.map((o) => o.outcome)).toEqual(['unknown']);
  });

  test.each([
    ['before connect()', (n: MultiRegionApimNetwork) => n.privateDns(), ApimNetworkErrorCode.APIM_MISMATCH, /privateDns\(\) \(missing\): no APIM instance is connected to this network yet; call network\.connect\(apim\) first/],
    ['twice', (n: MultiRegionApimNetwork, s: TerraformStack) => { n.connect(apimOf(s)); n.privateDns(); n.privateDns(); }, ApimNetworkErrorCode.DUPLICATE_VALUE,
      /privateDns\(\) "test\/network": the network already has its private DNS zones/],
    ['for an External network', (n: MultiRegionApimNetwork, s: TerraformStack) => { n.connect(apimOf(s)); n.privateDns(); }, ApimNetworkErrorCode.MODE_NOT_SUPPORTED,
      /in External mode APIM's host names are in public DNS/],
    ['with extra networks that are not a list', (n: MultiRegionApimNetwork, s: TerraformStack) => { n.connect(apimOf(s)); n.privateDns({ additionalVirtualNetworks: 'hub' as any }); },
      ApimNetworkErrorCode.INVALID_TYPE, /privateDns\(options\)\.additionalVirtualNetworks "hub": it is a string, not a list/],
    ['with a region\'s own network, read again as virtualNetwork.id (review 6, finding 4)', (n: MultiRegionApimNetwork, s: TerraformStack) => {
      n.connect(apimOf(s)); n.privateDns({ additionalVirtualNetworks: [{ key: 'own', virtualNetworkId: n.regions[1].virtualNetwork!.id }] });
    }, ApimNetworkErrorCode.DUPLICATE_VALUE,
    /privateDns\(options\)\.additionalVirtualNetworks\[0\]\.virtualNetworkId "\(a reference\)": it names the same virtual network as the network's own virtual network in northeurope/],
    ['with one reference twice (review 6, finding 4)', (n: MultiRegionApimNetwork, s: TerraformStack) => {
      n.connect(apimOf(s)); const hub = '${azurerm_virtual_network.hub.id}';
      n.privateDns({ additionalVirtualNetworks: [{ key: 'hub', virtualNetworkId: hub }, { key: 'hub-2', virtualNetworkId: hub }] });
    }, ApimNetworkErrorCode.DUPLICATE_VALUE, /additionalVirtualNetworks\[1\]\.virtualNetworkId "\(a reference\)": it names the same virtual network as privateDns\(options\)\.additionalVirtualNetworks\[0\]/],
  ] as const)('throws %s', (name, call, code, message) => {
    const stack = getTestStack();
    const network = new MultiRegionApimNetwork(stack, 'network', props(name === 'for an External network' ? { virtualNetworkType: EXTERNAL } : {}, {}));
    const error = thrown(() => call(network, stack)) as ApimNetworkError;
    expect(error).toBeInstanceOf(ApimNetworkError);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });
});

describe('validation of the region options (the user\'s prop paths, all problems at once)', () => {
  const cases: Array<[string, Partial<MultiRegionApimNetworkProps>, Partial<ApimRegionOptions>, ApimNetworkErrorCode, string, RegExp]> = [
    ['appliance without address', {}, { forcedTunnelling: { nextHopType: ApimNextHopType.VIRTUAL_APPLIANCE } }, ApimNetworkErrorCode.MISSING_PROP,
      'regions[0].forcedTunnelling.nextHopIpAddress', /a virtual appliance next hop needs its address/],
    ['appliance address as a prefix', {}, { forcedTunnelling: { ...appliance, nextHopIpAddress: '10.100.0.0/24' } }, ApimNetworkErrorCode.INVALID_IP_ADDRESS,
      'regions[1].forcedTunnelling.nextHopIpAddress', /"10\.100\.0\.0\/24": it is a prefix, not an address/],
    ['appliance inside the APIM subnet', {}, { forcedTunnelling: { ...appliance, nextHopIpAddress: '10.1.1.4' } }, ApimNetworkErrorCode.CONFLICTING_PROPS,
      'regions[0].forcedTunnelling.nextHopIpAddress', /it lies inside the APIM subnet 10\.1\.1\.0\/27/],
    ['next hop type that is not one', {}, { forcedTunnelling: { nextHopType: 'Internet' as ApimNextHopType } }, ApimNetworkErrorCode.INVALID_ENUM,
      'regions[0].forcedTunnelling.nextHopType', /it is not a value of ApimNextHopType/],
    ['forcedTunnelling that is not an object', {}, { forcedTunnelling: true as any }, ApimNetworkErrorCode.INVALID_TYPE,
      'regions[0].forcedTunnelling', /it is a boolean, not an object/],
    ['External mode with clients left as Internet', { virtualNetworkType: EXTERNAL }, { forcedTunnelling: appliance }, ApimNetworkErrorCode.MISSING_PROP,
      'networkSecurityGroup.clientAddressPrefixes', /External mode with forced tunnelling needs the client ranges: replies to clients would otherwise go through the appliance and be dropped; list the public IPv4 ranges of the clients as CIDRs/],
    ['External mode with a service tag as clients', { virtualNetworkType: EXTERNAL, networkSecurityGroup: { clientAddressPrefixes: ['AzureFrontDoor.Backend'] } },
      { forcedTunnelling: appliance }, ApimNetworkErrorCode.INVALID_CIDR, 'networkSecurityGroup.clientAddressPrefixes[0]',
      /"AzureFrontDoor\.Backend": it is a service tag; forced tunnelling needs the client ranges as CIDRs/],
    ['client ranges that overlap', { virtualNetworkType: EXTERNAL, networkSecurityGroup: { clientAddressPrefixes: ['203.0.112.0/23', '203.0.113.0/24'] } },
      { forcedTunnelling: appliance }, ApimNetworkErrorCode.CONFLICTING_PROPS, 'networkSecurityGroup.clientAddressPrefixes[1]', /it overlaps "203\.0\.112\.0\/23"/],
    ['a DNS server that is a name', {}, { dnsServers: ['dns.contoso.com'] }, ApimNetworkErrorCode.INVALID_IP_ADDRESS, 'regions[0].dnsServers[0]',
      /"dns\.contoso\.com": it is not an IPv4 address; give the DNS servers' IPv4 addresses/],
    ['an empty DNS server list', {}, { dnsServers: [] }, ApimNetworkErrorCode.MISSING_PROP, 'regions[1].dnsServers', /it is empty/],
  ];

  test.each(cases)('throws for %s', (_name, extra, regionExtra, code, prop, message) => {
    const error = thrown(() => build(extra, regionExtra)) as ApimNetworkError;
    expect(error).toBeInstanceOf(ApimNetworkError);
    const problem = error.problems.find((p) => p.code === code && p.prop === prop);
    expect(problem).toBeDefined();
    expect(error.message).toMatch(message);
  });

  test('a problem of the shared client list is reported once, however many regions tunnel', () => {
    const error = thrown(() => build({ virtualNetworkType: EXTERNAL })) as ApimNetworkError;
    expect(error.problems.filter((p) => p.prop === 'networkSecurityGroup.clientAddressPrefixes')).toHaveLength(1);
  });

  test('DNS servers on an existing network are refused: they are set where it is managed', () => {
    const stack = getTestStack();
    const error = thrown(() => new MultiRegionApimNetwork(stack, 'network', {
      ...props({}, {}), regions: [{ location: 'westeurope', virtualNetworkName: 'vnet-shared', subnetAddressPrefix: '10.5.1.0/27', dnsServers: ['10.0.0.53'] }],
    })) as ApimNetworkError;
    expect(error.problems.map((p) => [p.code, p.prop])).toContainEqual([ApimNetworkErrorCode.CONFLICTING_PROPS, 'regions[0].dnsServers']);
    expect(error.message).toMatch(/it applies to a virtual network this library creates/);
  });
});

describe('ApimRegionalNetwork on its own', () => {
  test('forcedTunnelling and dnsServers work the same; the client ranges come from its NSG options', () => {
    const stack = getTestStack();
    const region = new ApimRegionalNetwork(stack, 'westeurope', {
      resourceGroupName: 'rg', apiManagementName: 'contoso-apim', virtualNetworkType: EXTERNAL, location: 'westeurope',
      addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27', dnsServers: ['10.100.2.4'],
      networkSecurityGroup: { clientAddressPrefixes: ['203.0.113.0/24'] },
      forcedTunnelling: { nextHopType: ApimNextHopType.VIRTUAL_NETWORK_GATEWAY },
    });
    const synth = Testing.synth(stack);
    expect(synth).toHaveResourceWithProperties(RouteTable, { name: 'rt-contoso-apim-westeurope' });
    expect(synth).toHaveResourceWithProperties(VirtualNetwork, { dns_servers: ['10.100.2.4'] });
    expect(region.routeTable!.clientAddressPrefixes).toEqual(['203.0.113.0/24']);
    expect(region.apimDependencies).toHaveLength(2);
    expect(ApimNetworkTesting.findings(stack, { strict: true })).toEqual([]);
  });

  test('its errors name the props as written to it', () => {
    const error = thrown(() => new ApimRegionalNetwork(getTestStack(), 'westeurope', {
      resourceGroupName: 'rg', apiManagementName: 'contoso-apim', virtualNetworkType: EXTERNAL, location: 'westeurope',
      addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27', forcedTunnelling: { nextHopType: ApimNextHopType.VIRTUAL_APPLIANCE },
    })) as ApimNetworkError;
    expect(error.problems.map((p) => p.prop).sort()).toEqual(['forcedTunnelling.nextHopIpAddress', 'networkSecurityGroup.clientAddressPrefixes']);
  });
});
