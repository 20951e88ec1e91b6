import { RouteTable } from '@cdktf/provider-azurerm/lib/route-table';
import { SubnetRouteTableAssociation } from '@cdktf/provider-azurerm/lib/subnet-route-table-association';
import { TerraformVariable, Testing } from 'cdktf';
import {
  ApimNetworkError, ApimNetworkErrorCode, ApimNextHopType, ApimRouteTable, ApimRouteTableProps, ApimVirtualNetworkType,
} from '../../lib';
import { getTestStack, onlyResource, synthObject, thrown, warningsOf } from '../support/stack';

const { EXTERNAL, INTERNAL } = ApimVirtualNetworkType;
const { VIRTUAL_APPLIANCE, VIRTUAL_NETWORK_GATEWAY } = ApimNextHopType;

function build(props: Partial<ApimRouteTableProps> = {}, stack = getTestStack()) {
  const routes = new ApimRouteTable(stack, 'routes', {
    resourceGroupName: 'rg', location: 'West Europe', subnetId: '${azurerm_subnet.apim.id}', subnetAddressPrefix: '10.10.1.0/27',
    virtualNetworkType: INTERNAL, nextHopType: VIRTUAL_APPLIANCE, nextHopIpAddress: '10.0.0.4',
    ...props,
  } as ApimRouteTableProps);
  return { stack, routes };
}

function routesOf(stack = build().stack): any[] {
  return onlyResource(synthObject(stack), 'azurerm_route_table').route;
}

describe('ApimRouteTable', () => {
  test('snapshot: External mode, appliance, two client ranges, firewall output', () => {
    const { stack } = build({
      virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['203.0.113.0/24', '198.51.100.16/28'], firewallDependenciesOutput: true,
      primaryLocation: 'northeurope', tags: { env: 'prod' },
    });
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  test('Internal mode: the default route to the appliance and ApiManagement to Internet, associated with the subnet', () => {
    const { stack, routes } = build();
    expect(routesOf(stack)).toEqual([
      { name: 'apim-forced-tunnel-default', address_prefix: '0.0.0.0/0', next_hop_type: 'VirtualAppliance', next_hop_in_ip_address: '10.0.0.4' },
      { name: 'apim-management-to-internet', address_prefix: 'ApiManagement', next_hop_type: 'Internet', next_hop_in_ip_address: null },
    ]);
    const synth = Testing.synth(stack);
    expect(synth).toHaveResourceWithProperties(RouteTable, { name: 'rt-apim-westeurope', location: 'westeurope', resource_group_name: 'rg' });
    expect(synth).toHaveResourceWithProperties(SubnetRouteTableAssociation, { subnet_id: '${azurerm_subnet.apim.id}' });
    expect(onlyResource(synthObject(stack), 'azurerm_subnet_route_table_association').route_table_id).toMatch(/^\$\{azurerm_route_table\..+\.id\}$/);
    expect(routes.clientAddressPrefixes).toEqual([]);
    expect(routes.location).toBe('westeurope');
  });

  test('the virtual network gateway as next hop has no address', () => {
    const routes = routesOf(build({ nextHopType: VIRTUAL_NETWORK_GATEWAY, nextHopIpAddress: undefined }).stack);
    expect(routes[0]).toEqual({ name: 'apim-forced-tunnel-default', address_prefix: '0.0.0.0/0', next_hop_type: 'VirtualNetworkGateway', next_hop_in_ip_address: null });
  });

  test('External mode: one route to Internet per client range, named after the range', () => {
    const { stack, routes } = build({ virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['203.0.113.0/24', '198.51.100.16/28'] });
    expect(routesOf(stack).slice(2)).toEqual([
      { name: 'apim-client-203.0.113.0-24', address_prefix: '203.0.113.0/24', next_hop_type: 'Internet', next_hop_in_ip_address: null },
      { name: 'apim-client-198.51.100.16-28', address_prefix: '198.51.100.16/28', next_hop_type: 'Internet', next_hop_in_ip_address: null },
    ]);
    expect(routes.clientAddressPrefixes).toEqual(['203.0.113.0/24', '198.51.100.16/28']);
  });

  test('a single client address is routed as its /32, as the network\'s forcedTunnelling routes it', () => {
    const { stack, routes } = build({ virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['203.0.113.7', '198.51.100.16/28'] });
    expect(routesOf(stack).slice(2)).toEqual([
      { name: 'apim-client-203.0.113.7-32', address_prefix: '203.0.113.7/32', next_hop_type: 'Internet', next_hop_in_ip_address: null },
      { name: 'apim-client-198.51.100.16-28', address_prefix: '198.51.100.16/28', next_hop_type: 'Internet', next_hop_in_ip_address: null },
    ]);
    expect(routes.clientAddressPrefixes).toEqual(['203.0.113.7/32', '198.51.100.16/28']);
    // Written exactly, as a CIDR is: whitespace is refused, and "0.0.0.0" is every client (outside review, session 4).
    expect(() => build({ virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['0.0.0.0'] }))
      .toThrow(/clientAddressPrefixes\[0\] "0\.0\.0\.0": it means every client on the internet/);
    for (const spaced of [' 203.0.113.7', '203.0.113.7\n', '\u00a0203.0.113.7']) {
      expect(() => build({ virtualNetworkType: EXTERNAL, clientAddressPrefixes: [spaced] })).toThrow(/whitespace/);
    }
    expect(() => build({ virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['203.0.113.07'] }))
      .toThrow(/"203\.0\.113\.07": it is not an IPv4 CIDR: it has no prefix length, and is not an IPv4 address either \(four numbers 0-255, without leading zeros\)/);
    // Ranges no client on the internet calls from exempt no one (outside review, session 4): "0.0.0.0/32" is the
    // "0.0.0.0" refused above written as a CIDR. A range only partly in them exempts its public part, and is taken.
    for (const [range, what] of [['0.0.0.0/32', '0.0.0.0/8 ("this network")'], ['0.0.0.0/8', '0.0.0.0/8 ("this network")'],
      ['127.0.0.1', '127.0.0.0/8 (loopback)'], ['169.254.10.0/24', '169.254.0.0/16 (link-local)'], ['239.1.1.1/32', '224.0.0.0/4 (multicast)'],
      ['255.255.255.255', '240.0.0.0/4 (reserved)']]) {
      expect(() => build({ virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['203.0.113.0/24', range] }))
        .toThrow(`[INVALID_CIDR] test/routes: clientAddressPrefixes[1] "${range}": it lies in ${what}, from which no client on the internet calls, so its route exempts no one`);
    }
    expect(build({ virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['0.0.0.0/7'] }).routes.clientAddressPrefixes).toEqual(['0.0.0.0/7']);
    // Private and shared space: a route to Internet would send private clients' replies to the internet (second review).
    for (const [range, what] of [['192.168.0.0/16', '192.168.0.0/16, private (RFC 1918)'], ['172.16.5.0/24', '172.16.0.0/12, private (RFC 1918)'],
      ['100.64.0.0/10', '100.64.0.0/10, shared address space (RFC 6598)'], ['172.0.0.0/8', '172.16.0.0/12, private (RFC 1918)']]) {
      expect(() => build({ virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['203.0.113.0/24', range] }))
        .toThrow(`[INVALID_CIDR] test/routes: clientAddressPrefixes[1] "${range}": it overlaps ${what} space: clients there come through your private network`);
    }
    // The same address twice, once with its /32, is one range listed twice.
    expect(() => build({ virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['203.0.113.7', '203.0.113.7/32'] }))
      .toThrow(/clientAddressPrefixes\[1\] "203\.0\.113\.7\/32": it is listed twice \(also as "203\.0\.113\.7\/32"\)/);
  });

  test('the appliance address may be a reference (a firewall\'s private IP known after apply)', () => {
    const stack = getTestStack();
    const ip = new TerraformVariable(stack, 'fw_ip', { type: 'string' }).stringValue;
    expect(routesOf(build({ nextHopIpAddress: ip }, stack).stack)[0].next_hop_in_ip_address).toBe('${var.fw_ip}');
  });

  test('name, BGP propagation and tags are passed through', () => {
    const { stack } = build({ name: 'rt-hub-spoke', bgpRoutePropagationEnabled: false, tags: { env: 'prod' } });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(RouteTable, { name: 'rt-hub-spoke', bgp_route_propagation_enabled: false, tags: { env: 'prod' } });
  });

  test('firewallDependencies: the list for the location, also as a TerraformOutput when asked', () => {
    const { stack, routes } = build({ location: 'northeurope', primaryLocation: 'westeurope', firewallDependenciesOutput: true });
    const names = routes.firewallDependencies.map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining(['tls-chain', 'ntp', 'azure-monitor', 'sql-primary']));
    expect(routes.firewallDependencies.find((d) => d.name === 'sql-primary')!.addresses).toEqual(['Sql.WestEurope']);
    const outputs = synthObject(stack).output;
    const [output] = Object.values<any>(outputs);
    expect(Object.keys(outputs)).toHaveLength(1);
    expect(output.value).toEqual(JSON.parse(JSON.stringify(routes.firewallDependencies)));
  });

  test('no output unless asked', () => {
    expect(synthObject(build().stack).output).toBeUndefined();
  });
});

describe('ApimRouteTable validation (each error names the prop, the value and the fix)', () => {
  const cases: Array<[string, Partial<ApimRouteTableProps>, ApimNetworkErrorCode, string, RegExp]> = [
    ['appliance without address', { nextHopIpAddress: undefined }, ApimNetworkErrorCode.MISSING_PROP, 'nextHopIpAddress',
      /nextHopIpAddress \(missing\): a virtual appliance next hop needs its address; give the appliance's private IPv4 address/],
    ['appliance address that is a prefix', { nextHopIpAddress: '10.0.0.4/32' }, ApimNetworkErrorCode.INVALID_IP_ADDRESS, 'nextHopIpAddress',
      /nextHopIpAddress "10\.0\.0\.4\/32": it is a prefix, not an address; give one IPv4 address such as "10\.0\.0\.4"/],
    ['appliance address that is IPv6', { nextHopIpAddress: 'fd00::4' }, ApimNetworkErrorCode.INVALID_IP_ADDRESS, 'nextHopIpAddress',
      /nextHopIpAddress "fd00::4": it is an IPv6 address/],
    ['appliance address that is not an address', { nextHopIpAddress: '10.0.0.256' }, ApimNetworkErrorCode.INVALID_IP_ADDRESS, 'nextHopIpAddress',
      /nextHopIpAddress "10\.0\.0\.256": it is not an IPv4 address/],
    ['appliance inside the APIM subnet', { nextHopIpAddress: '10.10.1.7' }, ApimNetworkErrorCode.CONFLICTING_PROPS, 'nextHopIpAddress',
      /nextHopIpAddress "10\.10\.1\.7": it lies inside the APIM subnet 10\.10\.1\.0\/27/],
    ['gateway with an address', { nextHopType: VIRTUAL_NETWORK_GATEWAY }, ApimNetworkErrorCode.CONFLICTING_PROPS, 'nextHopIpAddress',
      /nextHopIpAddress "10\.0\.0\.4": a next hop address applies to a virtual appliance only \(Azure finds the gateway itself\); remove nextHopIpAddress/],
    ['next hop type not in the enum', { nextHopType: 'Internet' as ApimNextHopType }, ApimNetworkErrorCode.INVALID_ENUM, 'nextHopType',
      /nextHopType "Internet": it is not a value of ApimNextHopType; give one of ApimNextHopType\.VIRTUAL_APPLIANCE/],
    ['External mode without client ranges', { virtualNetworkType: EXTERNAL }, ApimNetworkErrorCode.MISSING_PROP, 'clientAddressPrefixes',
      /clientAddressPrefixes \(missing\): External mode with forced tunnelling needs the client ranges.*list the public IPv4 ranges of the clients as CIDRs/],
    ['External mode with clients left as Internet', { virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['Internet'] },
      ApimNetworkErrorCode.INVALID_CIDR, 'clientAddressPrefixes[0]', /clientAddressPrefixes\[0\] "Internet": it means every client on the internet/],
    ['External mode with a service tag as clients', { virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['AzureFrontDoor.Backend'] },
      ApimNetworkErrorCode.INVALID_CIDR, 'clientAddressPrefixes[0]', /"AzureFrontDoor\.Backend": it is a service tag; forced tunnelling needs the client ranges as CIDRs/],
    ['External mode with an empty client list', { virtualNetworkType: EXTERNAL, clientAddressPrefixes: [] }, ApimNetworkErrorCode.MISSING_PROP,
      'clientAddressPrefixes', /clientAddressPrefixes \[\]: it is empty/],
    ['client range with host bits', { virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['203.0.113.5/24'] }, ApimNetworkErrorCode.CIDR_HOST_BITS,
      'clientAddressPrefixes[0]', /did you mean "203\.0\.113\.0\/24"\?/],
    ['duplicate client range', { virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['203.0.113.0/24', '203.0.113.0/24'] },
      ApimNetworkErrorCode.DUPLICATE_VALUE, 'clientAddressPrefixes[1]', /clientAddressPrefixes\[1\] "203\.0\.113\.0\/24": it is listed twice/],
    ['overlapping client ranges', { virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['203.0.112.0/23', '203.0.113.0/24'] },
      ApimNetworkErrorCode.CONFLICTING_PROPS, 'clientAddressPrefixes[1]', /"203\.0\.113\.0\/24": it overlaps "203\.0\.112\.0\/23"; give ranges that do not overlap/],
    ['client range overlapping the subnet', { virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['10.10.0.0/16'] },
      ApimNetworkErrorCode.CONFLICTING_PROPS, 'clientAddressPrefixes[0]', /it overlaps the APIM subnet 10\.10\.1\.0\/27/],
    ['client ranges in Internal mode', { clientAddressPrefixes: ['203.0.113.0/24'] }, ApimNetworkErrorCode.MODE_NOT_SUPPORTED,
      'clientAddressPrefixes', /in Internal mode clients reach the private address from inside the network; no client route is needed/],
    ['too many routes', {
      virtualNetworkType: EXTERNAL,
      clientAddressPrefixes: Array.from({ length: 399 }, (_, i) => `203.${Math.floor(i / 256)}.${i % 256}.0/24`),
    }, ApimNetworkErrorCode.TOO_MANY_ROUTES, 'clientAddressPrefixes',
    /the route table would hold 401 routes .*Azure allows 400; give at most 398 client ranges/],
    ['bad route table name', { name: 'rt apim' }, ApimNetworkErrorCode.INVALID_NAME, 'name', /name "rt apim": it is not a valid route table name/],
    ['subnet prefix that is not a CIDR', { subnetAddressPrefix: '10.10.1.0' }, ApimNetworkErrorCode.INVALID_CIDR, 'subnetAddressPrefix',
      /subnetAddressPrefix "10\.10\.1\.0": it is not an IPv4 CIDR: the prefix length is missing; did you mean "10\.10\.1\.0\/32"\?/],
    ['missing subnet id', { subnetId: undefined }, ApimNetworkErrorCode.MISSING_PROP, 'subnetId', /subnetId \(missing\): it is required/],
    ['output flag that is not a boolean', { firewallDependenciesOutput: 'yes' as unknown as boolean }, ApimNetworkErrorCode.INVALID_TYPE,
      'firewallDependenciesOutput', /firewallDependenciesOutput "yes": it is a string, not a boolean/],
  ];

  test.each(cases)('throws for %s', (_name, props, code, prop, message) => {
    const stack = getTestStack();
    const error = thrown(() => build(props, stack)) as ApimNetworkError;
    expect(error).toBeInstanceOf(ApimNetworkError);
    expect(error.message).toMatch(/^\[[A-Z_]+\] test\/routes: /);
    expect(error.problems.map((p) => [p.code, p.prop])).toContainEqual([code, prop]);
    expect(error.message).toMatch(message);
    // Nothing of the failed construct stays in the tree.
    expect(stack.node.tryFindChild('routes')).toBeUndefined();
  });

  test('lists every problem at once', () => {
    const error = thrown(() => build({ nextHopIpAddress: 'x', virtualNetworkType: EXTERNAL, name: 'bad name' })) as ApimNetworkError;
    expect(error.problems.map((p) => p.prop).sort()).toEqual(['clientAddressPrefixes', 'name', 'nextHopIpAddress']);
  });
});

describe('the appliance address (review 6, finding 9b)', () => {
  test.each([
    ['0.0.0.0', '0.0.0.0/8 ("this network")'], ['255.255.255.255', '255.255.255.255/32 (broadcast)'], ['127.0.0.1', '127.0.0.0/8 (loopback)'],
    ['168.63.129.16', '168.63.129.16/32 (Azure\'s platform address'], ['224.0.0.5', '224.0.0.0/4 (multicast)'],
  ])('%s is refused: no appliance can be there', (address, range) => {
    const error: ApimNetworkError = thrown(() => build({ nextHopIpAddress: address }));
    expect(error.problems.map((p) => [p.code, p.prop])).toEqual([[ApimNetworkErrorCode.INVALID_IP_ADDRESS, 'nextHopIpAddress']]);
    expect(error.message).toContain(`nextHopIpAddress "${address}": it lies in ${range}`);
  });

  test('a public address is a warning; a private one is not', () => {
    expect(warningsOf(build({ nextHopIpAddress: '20.1.1.1' }).routes).join('\n')).toMatch(/nextHopIpAddress "20\.1\.1\.1": it is a public address/);
    expect(warningsOf(build({ nextHopIpAddress: '10.0.0.4' }).routes)).toEqual([]);
  });
});

describe('an unlisted location (review 6, finding 4b)', () => {
  test('is a warning naming the closest region and the Entra ID host built from it; a listed one is not', () => {
    expect(warningsOf(build({ location: 'westeuropa' }).routes).join('\n'))
      .toMatch(/location "westeuropa": "westeuropa" is not a region this library lists \(did you mean "westeurope"\?\); firewallDependencies name the Entra ID host westeuropa\.login\.microsoft\.com/);
    expect(warningsOf(build({ location: 'westeurope' }).routes)).toEqual([]);
  });
});
