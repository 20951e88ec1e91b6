/**
 * How the constructs read props: unknown keys (defect 4), null (defect 6), things that throw when read, objects that
 * are not plain, holes (defect 15), and the provider (defect 8).
 */
/* eslint-disable no-sparse-arrays -- holes in lists are what these tests give the constructs */
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { TerraformProvider, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Construct } from 'constructs';
import {
  ApimFirewallDependencies, ApimNetworkError, ApimNetworkErrors, ApimNetworkSecurityGroup, ApimNextHopType, ApimPrivateDns, ApimPublicIp,
  ApimRegionalNetwork, ApimRouteTable, ApimServiceEndpoints, ApimSubnet, ApimVirtualNetworkType, MultiRegionApimNetwork,
} from '../../lib';
import { getTestStack, thrown } from '../support/stack';

const { EXTERNAL, INTERNAL } = ApimVirtualNetworkType;

const region = (extra: Record<string, unknown> = {}): any => ({ location: 'westeurope', addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27', ...extra });
const props = (extra: Record<string, unknown> = {}): any => ({
  virtualNetworkType: EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg', regions: [region()], ...extra,
});
const network = (p: any, stack: TerraformStack = getTestStack()) => new MultiRegionApimNetwork(stack, 'network', p);
const allow = (extra: Record<string, unknown> = {}): any => ({
  name: 'r', priority: 1000, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: 'VirtualNetwork',
  destinationAddressPrefix: '10.20.0.0/16', destinationPortRange: '8443', ...extra,
});
const problems = (error: ApimNetworkError) => error.problems.map((p) => `${p.code} ${p.prop}`);

function internalApim(stack: TerraformStack): ApiManagement {
  return new ApiManagement(stack, 'apim', {
    name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'C', publisherEmail: 'a@contoso.example', skuName: 'Premium_1',
    virtualNetworkType: 'Internal',
  });
}

describe('a key that is not a prop is refused, with the prop meant (defect 4)', () => {
  test.each<[string, () => unknown, string, RegExp]>([
    ['MultiRegionApimNetworkProps', () => network({ ...props(), region: [] }), 'region', /did you mean "regions"/],
    ['ApimRegionOptions', () => network(props({ regions: [region({ capcity: 3 })] })), 'regions[0].capcity', /not a prop of ApimRegionOptions; did you mean "capacity"/],
    ['ApimPublicIpOptions', () => network(props({ regions: [region({ publicIp: { enable: false } })] })), 'regions[0].publicIp.enable', /did you mean "enabled"/],
    ['ApimServiceEndpointOptions', () => network(props({ regions: [region({ serviceEndpoints: { forcedTunneling: true } })] })), 'regions[0].serviceEndpoints.forcedTunneling', /did you mean "forcedTunnelling"/],
    ['ApimForcedTunnellingOptions', () => network(props({ virtualNetworkType: INTERNAL, regions: [region({ forcedTunnelling: { nextHopType: ApimNextHopType.VIRTUAL_APPLIANCE, nextHopIpAddress: '10.0.0.4', nextHopIpAdress: '10.0.0.4' } })] })), 'regions[0].forcedTunnelling.nextHopIpAdress', /did you mean "nextHopIpAddress"/],
    ['ApimNsgOptions', () => network(props({ networkSecurityGroup: { regionalServiceTag: true } })), 'networkSecurityGroup.regionalServiceTag', /did you mean "regionalServiceTags"/],
    ['ApimOptionalRules', () => network(props({ networkSecurityGroup: { optionalRules: { inboundHTTP: true } } })), 'networkSecurityGroup.optionalRules.inboundHTTP', /did you mean "inboundHttp"/],
    ['ApimNsgRuleOptions', () => network(props({ networkSecurityGroup: { rules: [allow({ sourcePortRanges: ['1000-2000'] })] } })), 'networkSecurityGroup.rules[0].sourcePortRanges', /did you mean "sourcePortRange"/],
    ['ApimRegionalNetworkProps', () => new ApimRegionalNetwork(getTestStack(), 'r', { ...props(), ...region(), regions: undefined, multiregion: true } as any), 'multiregion', /did you mean "multiRegion"/],
    ['ApimSubnetProps', () => new ApimSubnet(getTestStack(), 's', { resourceGroupName: 'rg', location: 'westeurope', virtualNetworkName: 'v', addressPrefix: '10.0.1.0/27', virtualNetworkType: EXTERNAL, networkSecurityGroupId: 'id', adressPrefix: 'x' } as any), 'adressPrefix', /did you mean "addressPrefix"/],
    ['ApimNetworkSecurityGroupProps', () => new ApimNetworkSecurityGroup(getTestStack(), 'n', { resourceGroupName: 'rg', location: 'westeurope', virtualNetworkType: EXTERNAL, clientAddressPrefix: ['203.0.113.0/24'] } as any), 'clientAddressPrefix', /did you mean "clientAddressPrefixes"/],
    ['ApimPublicIpProps', () => new ApimPublicIp(getTestStack(), 'p', { resourceGroupName: 'rg', location: 'westeurope', apiManagementName: 'x-y-z', domainNamelabel: 'custom' } as any), 'domainNamelabel', /did you mean "domainNameLabel"/],
    ['ApimServiceEndpointsProps', () => ApimServiceEndpoints.forLocation({ location: 'westeurope', forcedTunneling: true } as any), 'forcedTunneling', /did you mean "forcedTunnelling"/],
    ['ApimRouteTableProps', () => new ApimRouteTable(getTestStack(), 't', { resourceGroupName: 'rg', location: 'westeurope', subnetId: 'id', subnetAddressPrefix: '10.0.1.0/27', virtualNetworkType: INTERNAL, nextHopType: ApimNextHopType.VIRTUAL_NETWORK_GATEWAY, bgpRoutePropagation: false } as any), 'bgpRoutePropagation', /did you mean "bgpRoutePropagationEnabled"/],
    ['ApimPrivateDnsProps', () => { const s = getTestStack(); new ApimPrivateDns(s, 'd', { apiManagement: internalApim(s), resourceGroupName: 'rg', virtualNetworks: [{ key: 'weu', virtualNetworkId: 'id' }], tll: 60 } as any); }, 'tll', /did you mean "ttl"/],
    ['ApimPrivateDnsVirtualNetwork', () => { const s = getTestStack(); new ApimPrivateDns(s, 'd', { apiManagement: internalApim(s), resourceGroupName: 'rg', virtualNetworks: [{ key: 'weu', virtualNetworkID: 'id' }] } as any); }, 'virtualNetworks[0].virtualNetworkID', /did you mean "virtualNetworkId"/],
    ['ApimPrivateDnsCustomDomain', () => { const s = getTestStack(); new ApimPrivateDns(s, 'd', { apiManagement: internalApim(s), resourceGroupName: 'rg', virtualNetworks: [{ key: 'weu', virtualNetworkId: 'id' }], customDomains: [{ hostName: 'api.contoso.com', region: 'westeurope' }] } as any); }, 'customDomains[0].region', /not a prop of ApimPrivateDnsCustomDomain; give only props of ApimPrivateDnsCustomDomain: hostName, location/],
    ['ApimNetworkPrivateDnsOptions', () => { const s = getTestStack(); const n = network(props({ virtualNetworkType: INTERNAL }), s); n.connect(internalApim(s)); n.privateDns({ customDomain: [] } as any); }, 'privateDns(options).customDomain', /did you mean "customDomains"/],
    ['ApimFirewallDependencyOptions', () => ApimFirewallDependencies.forLocation({ location: 'westeurope', dnsServer: ['10.0.0.53'] } as any), 'dnsServer', /did you mean "dnsServers"/],
  ])('%s', (_struct, run, prop, message) => {
    const error = thrown(run);
    expect(error).toBeInstanceOf(ApimNetworkError);
    expect(problems(error)).toContain(`UNKNOWN_PROP ${prop}`);
    expect(error.message).toMatch(message);
  });
});

describe('a prop set to null is a prop not given, everywhere (defect 6)', () => {
  const same = (withNull: (s: TerraformStack) => unknown, without: (s: TerraformStack) => unknown) => {
    const a = getTestStack();
    withNull(a);
    const b = getTestStack();
    without(b);
    expect(Testing.synth(a)).toEqual(Testing.synth(b));
  };

  test.each<[string, Record<string, unknown>]>([
    ['virtualNetworkName', { virtualNetworkName: null }],
    ['existingAddressSpace', { existingAddressSpace: null }],
    ['virtualNetworkResourceGroupName', { virtualNetworkResourceGroupName: null }],
    ['zones', { zones: null }],
    ['capacity', { capacity: null }],
    ['publicIp.name of a disabled public IP', { publicIp: { enabled: false, name: null } }],
    ['publicIp.zones', { publicIp: { zones: null } }],
    ['dnsServers', { dnsServers: null }],
  ])('regions[0].%s', (_name, extra) => {
    const without = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null)) : undefined]));
    same((s) => network(props({ regions: [region(extra)] }), s), (s) => network(props({ regions: [region(without)] }), s));
  });

  test('rule fields', () => {
    const rule = allow({ sourcePortRange: null, destinationPortRanges: null, sourceAddressPrefixes: null, destinationAddressPrefixes: null, description: null });
    same((s) => network(props({ networkSecurityGroup: { rules: [rule] } }), s), (s) => network(props({ networkSecurityGroup: { rules: [allow()] } }), s));
  });

  test('a null address space is not an empty one: with no virtual network name either, neither is given', () => {
    expect(problems(thrown(() => network(props({ regions: [region({ addressSpace: null })] }))))).toEqual(['CONFLICTING_PROPS regions[0].addressSpace/virtualNetworkName']);
  });

  test('the whole props object set to null is missing', () => {
    expect(problems(thrown(() => network(null)))).toEqual(['MISSING_PROP props']);
  });
});

describe('props that throw when read, or are not plain objects or lists (defect 15)', () => {
  const throwingGetter = () => Object.defineProperty(region(), 'capacity', { get() { throw new Error('boom getter'); }, enumerable: true });
  test.each<[string, () => unknown, string, RegExp]>([
    ['a getter that throws', () => network(props({ regions: [throwingGetter()] })), 'INVALID_TYPE regions[0].capacity', /regions\[0\]\.capacity "\(unreadable\)": reading it threw Error: boom getter/],
    ['a getter that throws on the props', () => network(Object.defineProperty(props(), 'regions', { get() { throw new TypeError('nope'); }, enumerable: true })), 'INVALID_TYPE regions', /reading it threw TypeError: nope/],
    ['a Proxy whose ownKeys throws', () => network(new Proxy(props(), { ownKeys() { throw new Error('ownKeys'); } })), 'INVALID_TYPE props', /reading it threw Error: ownKeys/],
    ['a revoked Proxy as a region', () => { const p = Proxy.revocable({}, {}); p.revoke(); return network(props({ regions: [p.proxy] })); }, 'INVALID_TYPE regions[0]', /reading it threw TypeError/],
    ['a Proxy that throws on every read, as a region', () => network(props({ regions: [new Proxy(region(), { get() { throw new Error('proxy trap'); } })] })), 'INVALID_TYPE regions[0].location', /reading it threw Error: proxy trap/],
    ['tags as a Map', () => network(props({ tags: new Map([['a', 'b']]) })), 'INVALID_TYPE tags', /tags "\(a Map\)"|it is a Map, not a plain object/],
    ['tags as a Date', () => network(props({ tags: new Date() })), 'INVALID_TYPE tags', /it is a Date, not a plain object/],
    ['a region as a class instance', () => network(props({ regions: [new (class Region { public location = 'westeurope'; })()] })), 'INVALID_TYPE regions[0]', /it is an instance of Region, not a plain object/],
    ['a hole in the regions', () => network(props({ regions: [, region()] })), 'MISSING_PROP regions[0]', /regions\[0\] \(missing\): the list has an empty slot here/],
    ['a hole in the zones', () => network(props({ regions: [region({ capacity: 2, zones: ['1', , '2'] })] })), 'MISSING_PROP regions[0].zones[1]', /empty slot/],
  ])('%s', (_name, run, problem, message) => {
    const error = thrown(run);
    expect(error).toBeInstanceOf(ApimNetworkError);
    expect(problems(error)).toContain(problem);
    expect(error.message).toMatch(message);
  });

  test('a required prop whose getter throws is one problem, unreadable, not also missing (review 6, finding 11)', () => {
    const throwing = Object.defineProperty(region(), 'location', { get() { throw new Error('vault unreachable'); }, enumerable: true });
    const error: ApimNetworkError = thrown(() => network(props({ regions: [throwing] })));
    expect(problems(error)).toEqual(['INVALID_TYPE regions[0].location']);
    expect(error.message).toContain('regions[0].location "(unreadable)": reading it threw Error: vault unreachable');
  });

  test('a hole is not silently dropped: the primary stays the primary', () => {
    // Before, [, r] dropped the hole and built r as a secondary region (primary.isPrimary === false).
    expect(thrown(() => network(props({ regions: [, region()] })))).toBeInstanceOf(ApimNetworkError);
  });

  const thrower = new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); }, ownKeys() { throw new Error('trap'); }, has() { throw new Error('trap'); } });
  test.each<[string, () => unknown]>([
    ['a Proxy scope', () => new MultiRegionApimNetwork(thrower as any, 'network', props())],
    ['a Proxy id', () => new MultiRegionApimNetwork(getTestStack(), thrower as any, props())],
    ['ApimServiceEndpoints.forLocation(Proxy)', () => ApimServiceEndpoints.forLocation(thrower as any)],
    ['ApimFirewallDependencies.forLocation(Proxy)', () => ApimFirewallDependencies.forLocation(thrower as any)],
    ['connect(Proxy)', () => network(props()).connect(thrower as any)],
    ['addRule(Proxy)', () => new ApimNetworkSecurityGroup(getTestStack(), 'n', { resourceGroupName: 'rg', location: 'westeurope', virtualNetworkType: EXTERNAL }).addRule(thrower as any)],
    ['privateDns(Proxy)', () => network(props()).privateDns(thrower as any)],
  ])('%s gives an ApimNetworkError', (_name, run) => {
    expect(thrown(run)).toBeInstanceOf(ApimNetworkError);
  });

  test('ApimNetworkErrors never throws, whatever it is given', () => {
    expect(ApimNetworkErrors.isApimNetworkError(thrower)).toBe(false);
    expect(ApimNetworkErrors.codeOf(thrower)).toBeUndefined();
    expect(ApimNetworkErrors.codesOf(thrower)).toEqual([]);
  });
});

describe('provider: an azurerm provider of the construct\'s own stack (defect 8)', () => {
  test('a provider of another stack is refused', () => {
    const app = Testing.app();
    const a = new TerraformStack(app, 'a');
    const hub = new AzurermProvider(a, 'hub', { features: [{}], alias: 'hub' });
    const b = new TerraformStack(app, 'b');
    new AzurermProvider(b, 'azurerm', { features: [{}] });
    const error = thrown(() => network(props({ provider: hub }), b));
    expect(problems(error)).toEqual(['INVALID_TYPE provider']);
    expect(error.message).toMatch(/it belongs to the stack a, not to b/);
  });

  test('a provider of another cloud is refused', () => {
    class OtherProvider extends TerraformProvider {
      public constructor(scope: Construct, id: string) {
        super(scope, id, { terraformResourceType: 'aws' });
      }
    }
    const stack = getTestStack();
    const error = thrown(() => network(props({ provider: new OtherProvider(stack, 'aws') }), stack));
    expect(error.message).toMatch(/provider "\(an instance of OtherProvider\)": it is a provider for "aws", not azurerm/);
  });

  test('an aliased azurerm provider of the stack is used', () => {
    const stack = getTestStack();
    const second = new AzurermProvider(stack, 'second', { features: [{}], alias: 'second' });
    network(props({ provider: second }), stack);
    const doc = JSON.parse(Testing.synth(stack));
    expect(Object.values(doc.resource.azurerm_subnet).map((s: any) => s.provider)).toEqual(['azurerm.second']);
  });
});

describe('a token where a literal is needed says what the value is needed for (defect 16)', () => {
  const stack = () => getTestStack();
  const variable = (s: TerraformStack, type = 'string') => new TerraformVariable(s, `v${s.node.children.length}`, { type });
  test.each<[string, (s: TerraformStack) => unknown, string, RegExp]>([
    ['virtualNetworkType', (s) => network(props({ virtualNetworkType: variable(s).stringValue }), s), 'virtualNetworkType', /the mode decides the NSG rules and the addresses the subnet needs/],
    ['sku', (s) => network(props({ sku: variable(s).stringValue }), s), 'sku', /the tier decides the capacity range/],
    ['outputs (a boolean)', (s) => network(props({ outputs: variable(s, 'bool').booleanValue }), s), 'outputs', /whether the outputs are written/],
    ['checks (a boolean)', (s) => network(props({ checks: variable(s, 'bool').booleanValue }), s), 'checks', /whether the checks are registered/],
    ['capacity', (s) => network(props({ regions: [region({ capacity: variable(s, 'number').numberValue })] }), s), 'regions[0].capacity', /the capacity sizes the subnet/],
    ['location', (s) => network(props({ regions: [region({ location: variable(s).stringValue })] }), s), 'regions[0].location', /the location decides resource names/],
    ['a rule name', (s) => network(props({ networkSecurityGroup: { rules: [allow({ name: variable(s).stringValue })] } }), s), 'networkSecurityGroup.rules[0].name', /rule names are checked at synth time/],
    ['a rule priority', (s) => network(props({ networkSecurityGroup: { rules: [allow({ priority: variable(s, 'number').numberValue })] } }), s), 'networkSecurityGroup.rules[0].priority', /the rule is evaluated at synth time against the flows APIM needs/],
    ['clientAddressPrefixes', (s) => network(props({ networkSecurityGroup: { clientAddressPrefixes: variable(s, 'list(string)').listValue } }), s), 'networkSecurityGroup.clientAddressPrefixes', /the clients decide the source of the NSG's client allows/],
    ['additionalEndpoints', (s) => network(props({ regions: [region({ serviceEndpoints: { additionalEndpoints: variable(s, 'list(string)').listValue } })] }), s), 'regions[0].serviceEndpoints.additionalEndpoints', /the service endpoints are decided/],
  ])('%s', (_name, run, prop, reason) => {
    const error = thrown(() => run(stack()));
    const problem = error.problems.find((p: any) => p.prop === prop);
    expect(problem?.code).toBe('UNRESOLVED_TOKEN');
    expect(problem.problem).toMatch(reason);
    expect(problem.problem).not.toMatch(/decides sizes, names or zones/);
  });
});
