import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { Testing } from 'cdktf';
import {
  ApimNetworkError, ApimNetworkErrorCode, ApimNetworkErrors, ApimNetworkSecurityGroup, ApimNetworkSecurityGroupProps, ApimNetworkTesting,
  ApimNsgOptions, ApimVirtualNetworkType, MultiRegionApimNetwork, NsgAccess, NsgDirection, NsgProtocol,
} from '../../lib';
import { renderRules, selectRules } from '../../lib/core/nsg-catalog';
import { getTestStack, onlyResource, synthObject, thrown } from '../support/stack';

const { EXTERNAL, INTERNAL } = ApimVirtualNetworkType;

function build(props: Partial<ApimNetworkSecurityGroupProps> = {}) {
  const stack = getTestStack();
  const nsg = new ApimNetworkSecurityGroup(stack, 'nsg', {
    resourceGroupName: 'rg-apim', location: 'westeurope', virtualNetworkType: EXTERNAL, ...props,
  });
  return { stack, nsg };
}

function rulesOf(props: Partial<ApimNetworkSecurityGroupProps> = {}): any[] {
  const { stack } = build(props);
  return onlyResource(synthObject(stack), 'azurerm_network_security_group').security_rule;
}

const key = (r: any) => `${r.direction} ${r.priority} ${r.source_address_prefix}>${r.destination_address_prefix} ${r.protocol} ${r.destination_port_range ?? r.destination_port_ranges.join(',')}`;

describe('ApimNetworkSecurityGroup', () => {
  test('snapshot: External, one location', () => {
    const { stack } = build();
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  test('snapshot: Internal, multi-region, regional tags, every optional group', () => {
    const { stack } = build({
      virtualNetworkType: INTERNAL, location: 'North Europe', primaryLocation: 'westeurope', multiRegion: true, regionalServiceTags: true,
      optionalRules: { machineHealth: true, externalCache: true, internalCache: true, rateLimitSync: true, eventHub: true, entraId: true, managedConnectors: true },
      tags: { team: 'platform' },
    });
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  test('the External NSG holds exactly the catalog rules for External', () => {
    const expected = renderRules(selectRules({ mode: EXTERNAL, multiRegion: false }), { location: 'westeurope', primaryLocation: 'westeurope', regionalServiceTags: false });
    const actual = rulesOf();
    expect(actual.map(key).sort()).toEqual(expected.map((r) => key({
      direction: r.direction, priority: r.priority, source_address_prefix: r.sourceAddressPrefix,
      destination_address_prefix: r.destinationAddressPrefix, protocol: r.protocol,
      destination_port_range: r.destinationPortRange, destination_port_ranges: r.destinationPortRanges,
    })).sort());
    expect(actual).toHaveLength(8);
    expect(actual.every((r) => r.access === 'Allow' && r.source_port_range === '*')).toBe(true);
  });

  test('the Internal NSG has no inbound rule from Internet', () => {
    const rules = rulesOf({ virtualNetworkType: INTERNAL, multiRegion: true });
    expect(rules.filter((r) => r.direction === 'Inbound' && r.source_address_prefix === 'Internet')).toEqual([]);
    expect(rules.map((r) => r.name)).not.toContain('apim-traffic-manager');
    expect(rules).toHaveLength(7);
  });

  test('External with several locations adds Traffic Manager inbound 443', () => {
    const rules = rulesOf({ multiRegion: true });
    expect(rules.find((r) => r.name === 'apim-traffic-manager')).toMatchObject({
      direction: 'Inbound', source_address_prefix: 'AzureTrafficManager', destination_address_prefix: 'VirtualNetwork',
      destination_port_range: '443', protocol: 'Tcp', access: 'Allow',
    });
  });

  test('inbound HTTP 80 on request, External only', () => {
    expect(rulesOf({ optionalRules: { inboundHttp: true } }).find((r) => r.name === 'apim-client-http'))
      .toMatchObject({ source_address_prefix: 'Internet', destination_port_range: '80' });
    const error = thrown(() => build({ virtualNetworkType: INTERNAL, optionalRules: { inboundHttp: true } }));
    expect(error).toBeInstanceOf(ApimNetworkError);
    expect(error.code).toBe(ApimNetworkErrorCode.MODE_NOT_SUPPORTED);
    expect(error.message).toMatch(/^\[MODE_NOT_SUPPORTED\] test\/nsg: optionalRules.inboundHttp true/);
  });

  test('service tags only in the singular prefix fields', () => {
    for (const r of rulesOf({ multiRegion: true, regionalServiceTags: true, primaryLocation: 'northeurope', optionalRules: { eventHub: true } })) {
      expect(r.source_address_prefixes).toBeNull();
      expect(r.destination_address_prefixes).toBeNull();
      expect(typeof r.source_address_prefix).toBe('string');
    }
  });

  test('regional tags of its own region and of the primary', () => {
    const dest = rulesOf({ location: 'northeurope', primaryLocation: 'westeurope', regionalServiceTags: true })
      .map((r) => r.destination_address_prefix).filter((d: string) => d.includes('.'));
    expect(dest).toEqual(['Storage.NorthEurope', 'Storage.WestEurope', 'Sql.NorthEurope', 'Sql.WestEurope']);
  });

  test('defaults: name, location normalised, matcher view', () => {
    const { stack, nsg } = build({ location: 'West Europe' });
    expect(nsg.name).toBe('nsg-apim-westeurope');
    expect(Testing.synth(stack)).toHaveResourceWithProperties(NetworkSecurityGroup, {
      name: 'nsg-apim-westeurope', location: 'westeurope', resource_group_name: 'rg-apim',
    });
  });

  describe('addRule', () => {
    const allow = { name: 'allow-backend', priority: 1000, direction: NsgDirection.OUTBOUND, access: NsgAccess.ALLOW, protocol: NsgProtocol.TCP,
      sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: '10.20.0.0/16', destinationPortRange: '8443' };

    test('adds a user rule after construction', () => {
      const { stack, nsg } = build();
      nsg.addRule(allow);
      nsg.addRule({ ...allow, name: 'allow-many', priority: 1001, destinationAddressPrefix: undefined, destinationAddressPrefixes: ['10.30.0.0/16', '10.31.0.0/16'], destinationPortRange: undefined, destinationPortRanges: ['80', '8000-8080'], description: 'back-ends' });
      const rules = onlyResource(synthObject(stack), 'azurerm_network_security_group').security_rule;
      expect(rules.find((r: any) => r.name === 'allow-backend')).toMatchObject({ priority: 1000, destination_port_range: '8443', source_port_range: '*' });
      expect(rules.find((r: any) => r.name === 'allow-many')).toMatchObject({ destination_address_prefixes: ['10.30.0.0/16', '10.31.0.0/16'], destination_port_ranges: ['80', '8000-8080'] });
      expect(nsg.ruleNames).toContain('allow-many');
    });

    test('a rule given as a prop is checked like addRule', () => {
      const error = thrown(() => build({ rules: [{ ...allow, priority: 5000 }] }));
      expect(error.code).toBe(ApimNetworkErrorCode.NSG_PRIORITY_OUT_OF_RANGE);
      expect(error.message).toMatch(/rules\[0\]\.priority 5000: it is outside 100-4096/);
    });

    test.each([
      [99, ApimNetworkErrorCode.NSG_PRIORITY_OUT_OF_RANGE, /priority 99: it is outside 100-4096/],
      [4097, ApimNetworkErrorCode.NSG_PRIORITY_OUT_OF_RANGE, /priority 4097: it is outside 100-4096/],
      [210, ApimNetworkErrorCode.NSG_PRIORITY_TAKEN, /priority 210: Outbound priority 210 is taken by rule "apim-sql"; choose a free priority in 100-199 or 400-4096/],
      [215, ApimNetworkErrorCode.NSG_PRIORITY_TAKEN, /priority 215: priorities 200-399 are held for the APIM rules; choose a free priority in 100-199 or 400-4096/],
    ])('refuses priority %i', (priority, code, message) => {
      const { nsg } = build();
      const error = thrown(() => nsg.addRule({ ...allow, priority }));
      expect(error).toBeInstanceOf(ApimNetworkError);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(/^\[[A-Z0-9_]+\] test\/nsg: /);
      expect(error.message).toMatch(message);
    });

    test('refuses a priority taken by another user rule in the same direction, not in the other one', () => {
      const { nsg } = build();
      nsg.addRule(allow);
      const error = thrown(() => nsg.addRule({ ...allow, name: 'second' }));
      expect(error.code).toBe(ApimNetworkErrorCode.NSG_PRIORITY_TAKEN);
      expect(error.message).toMatch(/Outbound priority 1000 is taken by rule "allow-backend"/);
      expect(() => nsg.addRule({ ...allow, name: 'inbound-twin', direction: NsgDirection.INBOUND, sourceAddressPrefix: '10.20.0.0/16', destinationAddressPrefix: 'VirtualNetwork' })).not.toThrow();
    });

    test('refuses a deny that would shadow a required rule', () => {
      const { nsg } = build();
      const error = thrown(() => nsg.addRule({ name: 'deny-mgmt', priority: 150, direction: NsgDirection.INBOUND, access: NsgAccess.DENY, protocol: NsgProtocol.ANY,
        sourceAddressPrefix: '*', destinationAddressPrefix: '*', destinationPortRange: '3000-4000' }));
      expect(error.code).toBe(ApimNetworkErrorCode.NSG_RULE_SHADOWS_REQUIRED);
      expect(error.message).toMatch(/addRule\(deny-mgmt\) .*: this deny would block APIM traffic before the NSG allows it: Inbound:ApiManagement:3443;/);
    });

    test('accepts an early deny that touches no APIM flow, and a late deny-all', () => {
      const { nsg } = build();
      expect(() => nsg.addRule({ name: 'deny-ssh', priority: 100, direction: NsgDirection.INBOUND, access: NsgAccess.DENY, protocol: NsgProtocol.TCP,
        sourceAddressPrefix: '*', destinationAddressPrefix: '*', destinationPortRange: '22' })).not.toThrow();
      expect(() => nsg.addRule({ name: 'deny-all-out', priority: 4096, direction: NsgDirection.OUTBOUND, access: NsgAccess.DENY, protocol: NsgProtocol.ANY,
        sourceAddressPrefix: '*', destinationAddressPrefix: '*', destinationPortRange: '*' })).not.toThrow();
    });

    test.each<[string, object, ApimNetworkErrorCode, RegExp]>([
      ['tag in a plural list', { sourceAddressPrefix: undefined, sourceAddressPrefixes: ['VirtualNetwork'] }, ApimNetworkErrorCode.NSG_TAG_IN_LIST, /sourceAddressPrefixes \["VirtualNetwork"\]: it holds "VirtualNetwork"/],
      ['both prefix fields', { destinationAddressPrefixes: ['10.0.0.0/8'] }, ApimNetworkErrorCode.CONFLICTING_PROPS, /both are given/],
      ['no port', { destinationPortRange: undefined }, ApimNetworkErrorCode.CONFLICTING_PROPS, /neither is given/],
      ['bad port', { destinationPortRange: '70000' }, ApimNetworkErrorCode.NSG_RULE_INVALID, /destinationPortRange "70000": 70000 is above 65535, the largest port/],
      ['reserved name', { name: 'apim-mine' }, ApimNetworkErrorCode.NSG_RULE_INVALID, /held for this library/],
      ['long description', { description: 'x'.repeat(141) }, ApimNetworkErrorCode.NSG_RULE_INVALID, /141 characters/],
      ['bad enum', { protocol: 'tcp' }, ApimNetworkErrorCode.INVALID_ENUM, /protocol "tcp": it is not a value of NsgProtocol/],
      ['fractional priority', { priority: 1000.5 }, ApimNetworkErrorCode.INVALID_TYPE, /priority 1000.5: it is not a whole number/],
    ])('refuses %s', (_name, change, code, message) => {
      const { nsg } = build();
      const error = thrown(() => nsg.addRule({ ...allow, ...change } as any));
      expect(ApimNetworkErrors.codeOf(error)).toBe(code);
      expect(error.message).toMatch(message);
    });

    test('a refused rule leaves the NSG unchanged', () => {
      const { stack, nsg } = build();
      const before = Testing.synth(stack);
      thrown(() => nsg.addRule({ ...allow, priority: 50 }));
      expect(Testing.synth(stack)).toEqual(before);
    });
  });

  describe('bad props', () => {
    test.each<[string, object, ApimNetworkErrorCode, RegExp]>([
      ['missing location', { location: undefined }, ApimNetworkErrorCode.MISSING_PROP, /location \(missing\): it is required/],
      ['token location', { location: '${TfToken[TOKEN.1]}' }, ApimNetworkErrorCode.UNRESOLVED_TOKEN, /location/],
      ['bad mode', { virtualNetworkType: 'None' }, ApimNetworkErrorCode.INVALID_ENUM, /virtualNetworkType "None"/],
      ['bad name', { name: '-nsg' }, ApimNetworkErrorCode.INVALID_NAME, /name "-nsg"/],
      ['unknown optional group', { optionalRules: { redis: true } }, ApimNetworkErrorCode.UNKNOWN_PROP, /optionalRules.redis true: it is not a prop of ApimOptionalRules/],
      ['string boolean', { multiRegion: 'yes' }, ApimNetworkErrorCode.INVALID_TYPE, /multiRegion "yes": it is a string, not a boolean/],
    ])('%s', (_name, change, code, message) => {
      const error = thrown(() => build(change as any));
      expect(error).toBeInstanceOf(ApimNetworkError);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
    });

    test('a refused construct leaves nothing in the tree', () => {
      const stack = getTestStack();
      thrown(() => new ApimNetworkSecurityGroup(stack, 'nsg', { resourceGroupName: 'rg', location: '', virtualNetworkType: EXTERNAL }));
      expect(stack.node.tryFindChild('nsg')).toBeUndefined();
    });
  });
});

describe('ApimNetworkSecurityGroup (0.2.0)', () => {
  test('props and user-rule problems come in one error', () => {
    const error = thrown(() => build({
      location: 'west europe!', name: 'nsg-', rules: [{ name: 'apim-mine', priority: 250, direction: NsgDirection.INBOUND, access: NsgAccess.ALLOW,
        protocol: NsgProtocol.TCP, sourceAddressPrefix: '10.0.0.0/8', destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '8080' }],
    }));
    expect(error.problems.map((p: any) => `${p.code} ${p.prop}`)).toEqual([
      'INVALID_LOCATION location', 'INVALID_NAME name', 'NSG_RULE_INVALID rules[0].name', 'NSG_PRIORITY_TAKEN rules[0].priority',
    ]);
  });

  test('regional service tags: the global tags for a location the library does not list (no guessed tag name)', () => {
    const rules = rulesOf({ location: 'marscentral', regionalServiceTags: true });
    expect(rules.map((r) => r.destination_address_prefix).filter((d: string) => /^(Storage|Sql)/.test(d))).toEqual(['Storage', 'Sql']);
  });

  test('name, resource group and tags may be references', () => {
    const { stack } = build({ name: '${var.name}', resourceGroupName: '${var.rg}', tags: { env: '${var.env}' } });
    expect(onlyResource(synthObject(stack), 'azurerm_network_security_group')).toMatchObject({ name: '${var.name}', resource_group_name: '${var.rg}' });
  });
});

describe('ApimNetworkSecurityGroup: narrowing the clients (point 7)', () => {
  const inbound = (name: string, priority: number, source: string, ports: string, access = NsgAccess.DENY) => ({
    name, priority, direction: NsgDirection.INBOUND, access, protocol: NsgProtocol.TCP, sourceAddressPrefix: source,
    destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: ports,
  });
  const clientRules = (rules: any[]) => rules.filter((r) => r.name.startsWith('apim-client'))
    .map((r) => ({ name: r.name, source: r.source_address_prefix ?? r.source_address_prefixes }));
  /** A whole network (the checks judge an NSG on an APIM subnet), with the NSG options given. */
  const network = (options: ApimNsgOptions) => {
    const stack = getTestStack();
    new MultiRegionApimNetwork(stack, 'network', {
      virtualNetworkType: EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg', networkSecurityGroup: options,
      regions: [{ location: 'westeurope', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' }],
    });
    return { stack, result: ApimNetworkTesting.evaluate(stack) };
  };

  test('one service tag (Front Door only) replaces the source of the client allows; the checks pass', () => {
    const { stack, result } = network({ clientAddressPrefixes: ['AzureFrontDoor.Backend'], optionalRules: { inboundHttp: true } });
    const rules = onlyResource(synthObject(stack), 'azurerm_network_security_group').security_rule;
    expect(clientRules(rules)).toEqual([{ name: 'apim-client-https', source: 'AzureFrontDoor.Backend' }, { name: 'apim-client-http', source: 'AzureFrontDoor.Backend' }]);
    expect(result.findings).toEqual([]);
    expect(result.outcomes.filter((o) => o.ruleId === 'APIM-NSG-REQUIRED').length).toBeGreaterThan(5);
  });

  test('a list of CIDRs goes in the list field', () => {
    const rules = rulesOf({ clientAddressPrefixes: ['203.0.113.0/24', '198.51.100.7'] });
    expect(clientRules(rules)).toEqual([{ name: 'apim-client-https', source: ['203.0.113.0/24', '198.51.100.7'] }]);
    expect(rules.find((r) => r.name === 'apim-client-https').source_address_prefix).toBeNull();
  });

  test.each<[string, Partial<ApimNetworkSecurityGroupProps>, string]>([
    ['Internal mode', { virtualNetworkType: INTERNAL, clientAddressPrefixes: ['203.0.113.0/24'] }, 'MODE_NOT_SUPPORTED clientAddressPrefixes'],
    ['a tag beside CIDRs', { clientAddressPrefixes: ['AzureFrontDoor.Backend', '203.0.113.0/24'] }, 'NSG_TAG_IN_LIST clientAddressPrefixes'],
    ['"*"', { clientAddressPrefixes: ['*'] }, 'NSG_RULE_INVALID clientAddressPrefixes[0]'],
    ['not a prefix', { clientAddressPrefixes: ['front door'] }, 'NSG_RULE_INVALID clientAddressPrefixes[0]'],
    ['an empty list', { clientAddressPrefixes: [] }, 'MISSING_PROP clientAddressPrefixes'],
  ])('refuses %s', (_name, props, problem) => {
    expect(thrown(() => build(props)).problems.map((p: any) => `${p.code} ${p.prop}`)).toEqual([problem]);
  });

  test('an IP block list may sit ahead of the client allow; the checks pass', () => {
    expect(() => build().nsg.addRule(inbound('block-bad-clients', 150, '203.0.113.0/24', '443'))).not.toThrow();
    const { result } = network({ rules: [inbound('block-bad-clients', 150, '203.0.113.0/24', '443')] });
    expect(result.findings.filter((f) => f.level === 'error')).toEqual([]);
  });

  test('a deny that certainly blocks a platform flow is still refused (AzureCloud holds ApiManagement)', () => {
    const error = thrown(() => build().nsg.addRule(inbound('deny-azure', 150, 'AzureCloud', '3443')));
    expect(error.code).toBe(ApimNetworkErrorCode.NSG_RULE_SHADOWS_REQUIRED);
    expect(error.message).toMatch(/Inbound:ApiManagement:3443/);
  });

  test('a deny that may block part of a platform flow is accepted, and the checks warn about it', () => {
    expect(() => build().nsg.addRule(inbound('deny-public-range', 150, '20.0.0.0/8', '3443'))).not.toThrow();
    const { result } = network({ rules: [inbound('deny-public-range', 150, '20.0.0.0/8', '3443')] });
    expect(result.findings.filter((f) => f.level === 'error')).toEqual([]);
    expect(result.findings.map((f) => `${f.level} ${f.ruleId}`)).toContain('warning APIM-NSG-SHADOWED');
  });
});

describe('Azure\'s NSG limits (review 6, finding 6)', () => {
  const rule = (i: number) => ({
    name: `backend-${i}`, priority: 1000 + i, direction: NsgDirection.OUTBOUND, access: NsgAccess.ALLOW, protocol: NsgProtocol.TCP,
    sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: `10.2.${i >> 8}.${i & 255}`, destinationPortRange: '8443',
  });
  const base = { resourceGroupName: 'rg', location: 'westeurope', virtualNetworkType: ApimVirtualNetworkType.EXTERNAL };

  test('1,000 rules with the APIM rules are accepted; addRule() of the 1,001st is refused with LIMIT_EXCEEDED', () => {
    const nsg = new ApimNetworkSecurityGroup(getTestStack(), 'nsg', { ...base, rules: [] });
    const own = nsg.ruleNames.length;
    const full = new ApimNetworkSecurityGroup(getTestStack(), 'nsg', { ...base, rules: Array.from({ length: 1000 - own }, (_, i) => rule(i)) });
    expect(full.ruleNames).toHaveLength(1000);
    const error: ApimNetworkError = thrown(() => full.addRule(rule(2000)));
    expect(error.problems.map((p) => [p.code, p.prop])).toEqual([[ApimNetworkErrorCode.LIMIT_EXCEEDED, 'addRule(backend-2000)']]);
    expect(error.message).toContain(`the NSG would hold 1001 security rules (${own} of them the APIM rules); Azure allows 1000 per NSG`);
    expect(full.ruleNames).toHaveLength(1000);
  });
});
