/**
 * User rules judged as the checks judge them: what a construct accepts, `cdktf synth` accepts (enforced through
 * app.synth(), the path `cdktf synth` takes); what the checks would reject, the construct refuses under the user's prop.
 */
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import * as fc from 'fast-check';
import {
  ApimFinding, ApimNetworkErrorCode, ApimNetworkSecurityGroup, ApimNetworkTesting, ApimNsgOptions, ApimNsgRuleOptions, ApimVirtualNetworkType,
  MultiRegionApimNetwork, NsgAccess, NsgDirection, NsgProtocol,
} from '../../lib';
import { getEnforcingStack, getTestStack, thrown, warningsOf } from '../support/stack';

const { EXTERNAL, INTERNAL } = ApimVirtualNetworkType;

function rule(name: string, extra: Partial<ApimNsgRuleOptions>): ApimNsgRuleOptions {
  return {
    name, priority: 150, direction: NsgDirection.INBOUND, access: NsgAccess.DENY, protocol: NsgProtocol.TCP,
    sourceAddressPrefix: 'Internet', destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '443', ...extra,
  };
}

/** A connected network in an App whose synth enforces the checks' errors, as `cdktf synth` does. */
function connected(nsg: ApimNsgOptions, mode = EXTERNAL): { app: App; stack: TerraformStack; network: MultiRegionApimNetwork } {
  const { app, stack } = getEnforcingStack();
  const network = new MultiRegionApimNetwork(stack, 'network', {
    virtualNetworkType: mode, apiManagementName: 'contoso-apim', resourceGroupName: 'rg',
    regions: [{ location: 'westeurope', addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27' }], networkSecurityGroup: nsg,
  });
  network.connect(new ApiManagement(stack, 'apim', {
    name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'a@contoso.example', skuName: 'Premium_1',
  }));
  return { app, stack, network };
}

const levels = (findings: ApimFinding[]) => findings.map((f) => `${f.level} ${f.ruleId}${f.detail ? `[${f.detail}]` : ''}`);

describe('a deny that blocks every client the NSG lets in (defect 1)', () => {
  test.each<[string, ApimNsgOptions]>([
    ['Front Door clients, a deny of Internet 443', { clientAddressPrefixes: ['AzureFrontDoor.Backend'], rules: [rule('d', {})] }],
    ['CIDR clients, a deny of the same CIDR on 443', { clientAddressPrefixes: ['203.0.113.0/24'], rules: [rule('d', { sourceAddressPrefix: '203.0.113.0/24' })] }],
    ['the default clients (Internet), a deny of Internet 443', { rules: [rule('d', {})] }],
    ['the default clients, a deny of 0.0.0.0/1 and 128.0.0.0/1 on every port', { rules: [rule('d', { sourceAddressPrefix: undefined, sourceAddressPrefixes: ['0.0.0.0/1', '128.0.0.0/1'], protocol: NsgProtocol.ANY, destinationPortRange: '*' })] }],
    ['inbound HTTP on, a deny of every client on 80', { optionalRules: { inboundHttp: true }, rules: [rule('d', { destinationPortRange: '80' })] }],
    // Clients connect from ports 1024-65535: a deny of source ports 1-65535 denies every one (outside review, session 5).
    ['the default clients, a deny of Internet 443 from source ports 1-65535', { rules: [rule('d', { sourcePortRange: '1-65535' })] }],
    ['the default clients, a deny of Internet 443 from every source port but 65535', { rules: [rule('d', { sourcePortRange: '1024-65534' })] }],
  ])('%s is refused, naming networkSecurityGroup.rules[0]', (_name, nsg) => {
    const error = thrown(() => connected(nsg));
    expect([...new Set(error.problems.map((p: any) => `${p.code} ${p.prop}`))]).toEqual(['NSG_RULE_SHADOWS_REQUIRED networkSecurityGroup.rules[0]']);
    expect(error.message).toMatch(/this deny blocks every client the NSG lets in \(clientAddressPrefixes \[.*\]\) on TCP (443|80)/);
  });

  test('addRule names the rule', () => {
    const nsg = new ApimNetworkSecurityGroup(getTestStack(), 'nsg', {
      resourceGroupName: 'rg', location: 'westeurope', virtualNetworkType: EXTERNAL, clientAddressPrefixes: ['AzureFrontDoor.Backend'],
    });
    const error = thrown(() => nsg.addRule(rule('deny-internet-443', {})));
    expect(error.problems.map((p: any) => `${p.code} ${p.prop}`)).toEqual(['NSG_RULE_SHADOWS_REQUIRED addRule(deny-internet-443)']);
    expect(nsg.ruleNames).not.toContain('deny-internet-443');
  });

  test.each<[string, ApimNsgOptions]>([
    ['a block list inside the CIDR clients', { clientAddressPrefixes: ['203.0.113.0/24'], rules: [rule('d', { sourceAddressPrefix: '203.0.113.0/25' })] }],
    ['a block list of client ports with the default clients', { rules: [rule('d', { sourceAddressPrefix: '198.51.100.0/24', destinationPortRanges: ['443'], destinationPortRange: undefined })] }],
    ['a deny of Internet on 22', { rules: [rule('d', { destinationPortRange: '22' })] }],
    ['a deny of Internet 443 from the privileged source ports 0-1023 only', { rules: [rule('d', { sourcePortRange: '0-1023' })] }],
  ])('%s is accepted, and synth passes', (_name, nsg) => {
    const { app, stack } = connected(nsg);
    expect(() => app.synth()).not.toThrow();
    expect(ApimNetworkTesting.errors(stack)).toEqual([]);
  });
});

describe('an allow the checks would report as APIM-NSG-EXPOSED or APIM-NSG-INTERNAL-PUBLIC (defect 7)', () => {
  test.each<[string, Partial<ApimNsgRuleOptions>, ApimVirtualNetworkType, RegExp]>([
    ['Internet to 3443 at 150', { access: NsgAccess.ALLOW, destinationPortRange: '3443' }, EXTERNAL, /reach the management port 3443 \(in westeurope\), which the checks report as APIM-NSG-EXPOSED/],
    ['* to * at 4000', { access: NsgAccess.ALLOW, priority: 4000, sourceAddressPrefix: '*', destinationAddressPrefix: '*', destinationPortRange: '*', protocol: NsgProtocol.ANY }, EXTERNAL, /every port/],
    ['0.0.0.0/0 to 3443', { access: NsgAccess.ALLOW, sourceAddressPrefix: '0.0.0.0/0', destinationPortRange: '3443' }, EXTERNAL, /3443/],
    ['0.0.0.0/1 and 128.0.0.0/1 to 3443', { access: NsgAccess.ALLOW, sourceAddressPrefix: undefined, sourceAddressPrefixes: ['0.0.0.0/1', '128.0.0.0/1'], destinationPortRange: '3443' }, EXTERNAL, /3443/],
    ['Internet to 443 in Internal mode', { access: NsgAccess.ALLOW, priority: 1000 }, INTERNAL, /reach 443 of an Internal gateway \(in westeurope\), which the checks report as APIM-NSG-INTERNAL-PUBLIC/],
    // Public IPv6 sources, judged as the checks judge them (outside review, session 6: the construct accepted them and synth failed).
    ['::/0 to 3443', { access: NsgAccess.ALLOW, priority: 1000, sourceAddressPrefix: '::/0', destinationAddressPrefix: '*', destinationPortRange: '3443' }, EXTERNAL, /management port 3443 .*APIM-NSG-EXPOSED/],
    ['2000::/3 to 3443 in Internal mode', { access: NsgAccess.ALLOW, priority: 1000, sourceAddressPrefix: '2000::/3', destinationPortRange: '3443' }, INTERNAL, /management port 3443/],
    ['::/0 to 443 in Internal mode', { access: NsgAccess.ALLOW, priority: 1000, sourceAddressPrefix: '::/0' }, INTERNAL, /reach 443 of an Internal gateway .*APIM-NSG-INTERNAL-PUBLIC/],
  ])('%s is refused, naming the rule', (_name, extra, mode, message) => {
    const error = thrown(() => connected({ rules: [rule('r', extra)] }, mode));
    expect(error.problems.map((p: any) => `${p.code} ${p.prop}`)).toEqual(['NSG_RULE_EXPOSES networkSecurityGroup.rules[0]']);
    expect(error.message).toMatch(message);
  });

  test('addRule refuses it too', () => {
    const nsg = new ApimNetworkSecurityGroup(getTestStack(), 'nsg', { resourceGroupName: 'rg', location: 'westeurope', virtualNetworkType: EXTERNAL });
    const error = thrown(() => nsg.addRule(rule('open-management', { access: NsgAccess.ALLOW, priority: 1000, destinationPortRange: '3443' })));
    expect(error.problems.map((p: any) => `${p.code} ${p.prop}`)).toEqual(['NSG_RULE_EXPOSES addRule(open-management)']);
  });

  test.each<[string, Partial<ApimNsgRuleOptions>]>([
    ['Internet to 22', { access: NsgAccess.ALLOW, priority: 1000, destinationPortRange: '22' }],
    ['VirtualNetwork to every port', { access: NsgAccess.ALLOW, priority: 1000, sourceAddressPrefix: 'VirtualNetwork', destinationPortRange: '*' }],
    ['ApiManagement to 3443 (the platform\'s own source)', { access: NsgAccess.ALLOW, priority: 1000, sourceAddressPrefix: 'ApiManagement', destinationPortRange: '3443' }],
    ['a unique-local IPv6 range to 3443 (not public)', { access: NsgAccess.ALLOW, priority: 1000, sourceAddressPrefix: 'fd00::/8', destinationPortRange: '3443' }],
    // ICMP, ESP and AH have no ports: a ping allowed from the internet reaches no port (outside review, session 5).
    ...[NsgProtocol.ICMP, NsgProtocol.ESP, NsgProtocol.AH].map((protocol): [string, Partial<ApimNsgRuleOptions>] =>
      [`Internet ${protocol} ("every port", as Azure requires)`, { access: NsgAccess.ALLOW, priority: 1000, protocol, destinationPortRange: '*' }]),
  ])('%s is accepted, and synth passes', (_name, extra) => {
    const { app, stack } = connected({ rules: [rule('r', extra)] });
    expect(() => app.synth()).not.toThrow();
    expect(ApimNetworkTesting.errors(stack)).toEqual([]);
  });

  test('an outbound allow to a back-end subnet given as a reference is accepted; the checks judge what they can', () => {
    const { app, stack } = getEnforcingStack();
    const backends = new TerraformVariable(stack, 'backends', { type: 'string' });
    new MultiRegionApimNetwork(stack, 'network', {
      virtualNetworkType: EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg',
      regions: [{ location: 'westeurope', addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27' }],
      networkSecurityGroup: { rules: [rule('to-backends', { access: NsgAccess.ALLOW, direction: NsgDirection.OUTBOUND, priority: 1000, sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: backends.stringValue, destinationPortRange: '8443' })] },
    });
    expect(() => app.synth()).not.toThrow();
    expect(ApimNetworkTesting.errors(stack)).toEqual([]);
  });

  test('a deny rule\'s destination may not be a reference, and the error says why', () => {
    const stack = getTestStack();
    const backends = new TerraformVariable(stack, 'backends', { type: 'string' });
    const error = thrown(() => new ApimNetworkSecurityGroup(stack, 'nsg', {
      resourceGroupName: 'rg', location: 'westeurope', virtualNetworkType: EXTERNAL, rules: [rule('d', { destinationAddressPrefix: backends.stringValue })],
    }));
    expect(error.message).toMatch(/\[UNRESOLVED_TOKEN\] test\/nsg: rules\[0\]\.destinationAddressPrefix "\(a token\)": it is a reference resolved only at apply time, but only an allow rule's destination may be a reference/);
  });

  /**
   * The construct and the checks agree on every inbound allow: the construct refuses exactly the rules the checks
   * report as an exposure (APIM-NSG-EXPOSED error, or APIM-NSG-INTERNAL-PUBLIC), written into the NSG by hand.
   */
  test('property: the construct refuses an allow exactly when the checks report it as exposing the subnet', () => {
    const sources = ['Internet', '*', '0.0.0.0/0', 'ApiManagement', 'AzureFrontDoor.Backend', '203.0.113.0/24', '10.0.0.0/8', 'VirtualNetwork', 'AzureCloud', 'AzureLoadBalancer'];
    const ports = ['3443', '*', '443', '80', '22', '3000-4000', '80-443'];
    const seen = { refused: 0, accepted: 0 };
    fc.assert(fc.property(fc.constantFrom(EXTERNAL, INTERNAL), fc.constantFrom(...sources), fc.constantFrom(...ports),
      fc.constantFrom(NsgProtocol.TCP, NsgProtocol.ANY, NsgProtocol.UDP), fc.constantFrom(150, 1000), (mode, source, port, protocol, priority) => {
        const candidate = rule('candidate', { access: NsgAccess.ALLOW, sourceAddressPrefix: source, destinationPortRange: port, protocol, priority });
        let refused = false;
        try {
          connected({ rules: [candidate] }, mode);
        } catch (error) {
          expect((error as any).code).toBe(ApimNetworkErrorCode.NSG_RULE_EXPOSES);
          refused = true;
        }
        // The same rule written by hand, past the construct.
        const { stack, network } = connected({}, mode);
        const nsg = network.primary.networkSecurityGroup.networkSecurityGroup as NetworkSecurityGroup;
        nsg.addOverride(`security_rule.${network.primary.networkSecurityGroup.ruleNames.length}`, {
          name: 'candidate', priority, direction: 'Inbound', access: 'Allow', protocol, source_port_range: '*', source_address_prefix: source,
          destination_address_prefix: 'VirtualNetwork', destination_port_range: port,
          source_address_prefixes: null, destination_address_prefixes: null, destination_port_ranges: null, source_port_ranges: null, description: null,
          source_application_security_group_ids: null, destination_application_security_group_ids: null,
        });
        const reported = ApimNetworkTesting.findings(stack).filter((f) => (f.ruleId === 'APIM-NSG-EXPOSED' && f.level === 'error') ||
          (f.ruleId === 'APIM-NSG-INTERNAL-PUBLIC' && !/may allow/.test(f.message)));
        expect([refused, levels(reported)]).toEqual([reported.length > 0, levels(reported)]);
        seen[refused ? 'refused' : 'accepted']++;
      }), { numRuns: 60, seed: 7 });
    // Both outcomes occur: the property is not vacuous.
    expect(seen.refused).toBeGreaterThan(5);
    expect(seen.accepted).toBeGreaterThan(5);
  });
});

describe('rule fields are checked like every other prefix and port (defect 2)', () => {
  test.each<[string, Partial<ApimNsgRuleOptions>, string, RegExp]>([
    ['a tag typo in the source', { sourceAddressPrefix: 'Interent' }, 'rules[0].sourceAddressPrefix', /not an Azure service tag; did you mean "Internet"/],
    ['a tag typo in the destination', { direction: NsgDirection.OUTBOUND, access: NsgAccess.ALLOW, priority: 1000, sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: 'Storgae' }, 'rules[0].destinationAddressPrefix', /did you mean "Storage"/],
    ['host bits', { sourceAddressPrefix: '10.0.0.5/24' }, 'rules[0].sourceAddressPrefix', /host bits are set.*did you mean "10.0.0.0\/24"/],
    ['a trailing space in a prefix', { sourceAddressPrefix: '10.0.0.0/8 ' }, 'rules[0].sourceAddressPrefix', /whitespace/],
    ['a trailing space in a port', { destinationPortRange: '443 ' }, 'rules[0].destinationPortRange', /whitespace/],
    ['a port listed twice', { destinationPortRange: undefined, destinationPortRanges: ['443', '443'] }, 'rules[0].destinationPortRanges[1]', /listed twice/],
    ['"*" inside a port list', { destinationPortRange: undefined, destinationPortRanges: ['*', '443'] }, 'rules[0].destinationPortRanges[0]', /only on its own/],
    ['a prefix listed twice', { sourceAddressPrefix: undefined, sourceAddressPrefixes: ['10.0.0.0/8', '10.0.0.0/8'] }, 'rules[0].sourceAddressPrefixes[1]', /listed twice/],
    ['a prefix length of 33', { sourceAddressPrefix: '10.0.0.0/33' }, 'rules[0].sourceAddressPrefix', /prefix length "33"/],
    ['"Any" for any source', { sourceAddressPrefix: 'Any' }, 'rules[0].sourceAddressPrefix', /did you mean "\*"/],
    ['a source port with a space', { sourcePortRange: '1000 - 2000' }, 'rules[0].sourcePortRange', /whitespace/],
  ])('%s is refused', (_name, extra, prop, message) => {
    const error = thrown(() => new ApimNetworkSecurityGroup(getTestStack(), 'nsg', {
      resourceGroupName: 'rg', location: 'westeurope', virtualNetworkType: EXTERNAL, rules: [rule('r', { sourceAddressPrefix: '203.0.113.0/24', ...extra })],
    }));
    expect(error.problems.map((p: any) => p.prop)).toContain(prop);
    expect(error.message).toMatch(message);
  });

  test('a tag this library does not know is accepted with a warning that says to check its spelling', () => {
    const stack = getTestStack();
    new ApimNetworkSecurityGroup(stack, 'nsg', {
      resourceGroupName: 'rg', location: 'westeurope', virtualNetworkType: EXTERNAL,
      rules: [rule('r', { access: NsgAccess.ALLOW, direction: NsgDirection.OUTBOUND, priority: 1000, sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: 'ContosoServiceTag2030' })],
    });
    expect(warningsOf(stack).join('\n')).toMatch(/rules\[0\]\.destinationAddressPrefix "ContosoServiceTag2030": it is not a service tag this library knows/);
  });
});

describe('Esp and Ah rules (defect 14, docs audit V22)', () => {
  test.each([NsgProtocol.ESP, NsgProtocol.AH])('%s is accepted, written as Azure spells it, and blocks no APIM flow', (protocol) => {
    const { app, stack } = connected({ rules: [rule('no-ipsec', { protocol, sourceAddressPrefix: '*', destinationPortRange: '*' })] });
    expect(() => app.synth()).not.toThrow();
    const nsg = JSON.parse(JSON.stringify(ApimNetworkTesting.evaluate(stack).findings));
    expect(nsg.filter((f: ApimFinding) => f.level === 'error')).toEqual([]);
    expect(NsgProtocol.ESP).toBe('Esp');
    expect(NsgProtocol.AH).toBe('Ah');
  });
});
