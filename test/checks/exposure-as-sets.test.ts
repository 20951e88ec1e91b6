/**
 * APIM-NSG-EXPOSED and APIM-NSG-INTERNAL-PUBLIC judge a rule's sources as a set of addresses, after what earlier rules
 * decided. The checks do not know which addresses Azure gives the ApiManagement tag, but they know it is small
 * (SMALL_TAGS: at most 2^20 addresses): a public range larger than that surely holds other addresses, whatever an
 * earlier deny carved out of it. A smaller range might be ApiManagement's: a warning, not an error. The NSG construct
 * refuses exactly what the checks call an error.
 */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { ApimNetworkError, ApimNsgRuleOptions, ApimRuleLevel, ApimVirtualNetworkType, MultiRegionApimNetwork, NsgAccess, NsgDirection, NsgProtocol } from '../../lib';
import { Json, documentedRules, evaluate, findings, network, nsgRule } from './raw-json';

const to3443 = (name: string, priority: number, prefixes: string[]) => nsgRule(name, priority, 'Inbound', '', 'VirtualNetwork', '3443',
  { source_address_prefix: undefined, source_address_prefixes: prefixes });
const deny = (rule: Json) => ({ ...rule, access: 'Deny' });
const exposed = (rules: Json[], apim: Json = {}) => findings(evaluate(network({ rules: [...documentedRules(), ...rules], apim })), 'APIM-NSG-EXPOSED');
/** The CIDRs that together hold every IPv4 address except `address/length`. */
function complement(address: string, length: number): string[] {
  const value = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  return Array.from({ length }, (_, i) => {
    const size = 2 ** (31 - i);
    const base = Math.floor(value / (size * 2)) * size * 2;
    const start = Math.floor(value / size) % 2 === 0 ? base + size : base;
    return `${[2 ** 24, 2 ** 16, 2 ** 8, 1].map((d) => Math.floor(start / d) % 256).join('.')}/${i + 1}`;
  });
}
const byDetail = (list: ReturnType<typeof findings>) => Object.fromEntries(list.map((f) => [f.detail, f.level]));

describe('APIM-NSG-EXPOSED: a rule\'s sources as a set', () => {
  test.each([
    ['Internet after a deny of one address', [deny(nsgRule('bad-ip', 150, 'Inbound', '8.8.8.8', 'VirtualNetwork', '3443')), nsgRule('a', 151, 'Inbound', 'Internet', 'VirtualNetwork', '3443')]],
    ['* after a deny of a /16', [deny(nsgRule('bad-range', 150, 'Inbound', '198.18.0.0/15', 'VirtualNetwork', '*')), nsgRule('a', 151, 'Inbound', '*', 'VirtualNetwork', '3443')]],
    ['0.0.0.0/0 minus one address, as 32 CIDRs in one rule', [to3443('a', 151, complement('8.8.8.8', 32))]],
    ['one public /8', [to3443('a', 151, ['1.0.0.0/8'])]],
    ['one public /11 (larger than the tag can be)', [to3443('a', 151, ['1.0.0.0/11'])]],
    ['a public /8 that rules on other ports cut into sixteen /12s', [
      ...Array.from({ length: 16 }, (_, i) => deny(nsgRule(`ssh-${i}`, 130 + i, 'Inbound', `20.${i * 16}.0.0/12`, 'VirtualNetwork', '22'))),
      to3443('a', 151, ['20.0.0.0/8'])]],
  ])('%s to 3443: an error', (_name, rules) => {
    expect(byDetail(exposed(rules as Json[]))).toEqual({ a: ApimRuleLevel.ERROR });
  });

  test.each([
    ['a documentation /24', ['203.0.113.0/24']],
    ['a /12 (as large as the tag can be: it might be all ApiManagement\'s)', ['1.0.0.0/12']],
    ['an address', ['192.0.2.10']],
  ])('%s to 3443: a warning (it might hold only ApiManagement addresses)', (_name, prefixes) => {
    expect(byDetail(exposed([to3443('a', 151, prefixes)]))).toEqual({ a: ApimRuleLevel.WARNING });
  });

  test('0.0.0.0/1 and 128.0.0.0/1 in two rules: each alone is an error', () => {
    expect(byDetail(exposed([to3443('half-a', 150, ['0.0.0.0/1']), to3443('half-b', 151, ['128.0.0.0/1'])])))
      .toEqual({ 'half-a': ApimRuleLevel.ERROR, 'half-b': ApimRuleLevel.ERROR });
  });

  test('a rule after one that already let the same addresses in decides nothing: no finding for it', () => {
    expect(byDetail(exposed([to3443('wide', 150, ['0.0.0.0/1']), to3443('late', 152, ['1.0.0.0/8'])]))).toEqual({ wide: ApimRuleLevel.ERROR });
  });

  test('a deny of every address ahead of Internet: nothing is exposed; of all but a /24: the /24 might be ApiManagement\'s (a warning)', () => {
    const internet = nsgRule('a', 151, 'Inbound', 'Internet', 'VirtualNetwork', '3443');
    expect(byDetail(exposed([deny(to3443('deny-all', 140, ['0.0.0.0/1', '128.0.0.0/1'])), internet]))).toEqual({});
    expect(byDetail(exposed([deny(to3443('deny-rest', 140, complement('203.0.113.0', 24))), internet]))).toEqual({ a: ApimRuleLevel.WARNING });
  });

  test('private and platform sources are no exposure', () => {
    expect(exposed([to3443('a', 151, ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'])])).toEqual([]);
    expect(exposed([nsgRule('lb', 151, 'Inbound', 'AzureLoadBalancer', 'VirtualNetwork', '3443')])).toEqual([]);
  });

  test('all ports from a large range after a deny of one address: every port exposed', () => {
    const found = exposed([deny(nsgRule('bad-ip', 150, 'Inbound', '8.8.8.8', 'VirtualNetwork', '*')), { ...nsgRule('a', 151, 'Inbound', 'Internet', 'VirtualNetwork', '*'), protocol: '*' }]);
    expect(byDetail(found)).toEqual({ a: ApimRuleLevel.ERROR });
    expect(found[0].message).toMatch(/all ports/);
  });

  test('Internal mode: Internet to 443 after a deny of one address is APIM-NSG-INTERNAL-PUBLIC saying "allows", not "may allow"', () => {
    const rules = documentedRules().filter((r) => r.name !== 'client');
    const result = evaluate(network({
      rules: [...rules, deny(nsgRule('bad-ip', 150, 'Inbound', '8.8.8.8', 'VirtualNetwork', '443')), nsgRule('a', 151, 'Inbound', 'Internet', 'VirtualNetwork', '443')],
      apim: { virtual_network_type: 'Internal' },
    }));
    const found = findings(result, 'APIM-NSG-INTERNAL-PUBLIC');
    expect(found.map((f) => f.detail)).toEqual(['a']);
    expect(found[0].message).toMatch(/Internal mode, but rule "a" allows inbound from Internet to 443/);
  });
});

describe('the NSG construct refuses what the checks call an exposure', () => {
  const rule = (name: string, priority: number, source: string, access = NsgAccess.ALLOW): ApimNsgRuleOptions => ({
    name, priority, direction: NsgDirection.INBOUND, access, protocol: NsgProtocol.TCP,
    sourceAddressPrefix: source, destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '3443',
  });
  const build = (rules: ApimNsgRuleOptions[]) => {
    const stack = new TerraformStack(new App({ stackTraces: false }), 'stack');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    return () => new MultiRegionApimNetwork(stack, 'network', {
      virtualNetworkType: ApimVirtualNetworkType.EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg',
      regions: [{ location: 'westeurope', addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27' }],
      networkSecurityGroup: { rules },
    });
  };
  const refusal = (rules: ApimNsgRuleOptions[]) => {
    try {
      build(rules)();
    } catch (e) {
      return e;
    }
    return undefined;
  };

  test('a small public range is left to the checks\' warning (it might be ApiManagement\'s addresses)', () => {
    expect(build([rule('partner', 150, '203.0.113.0/24')])).not.toThrow();
  });

  test.each([
    ['a deny of one address, then Internet', [rule('bad-ip', 150, '8.8.8.8', NsgAccess.DENY), rule('a', 151, 'Internet')], 1],
    ['a public /8', [rule('a', 150, '1.0.0.0/8')], 0],
  ])('%s: refused with NSG_RULE_EXPOSES naming the rule', (_name, rules, index) => {
    const error = refusal(rules);
    expect(error).toBeInstanceOf(ApimNetworkError);
    const message = (error as ApimNetworkError).message;
    expect(message).toMatch(/^\[NSG_RULE_EXPOSES\]/);
    expect(message).toContain(`networkSecurityGroup.rules[${index}]`);
    expect(message).toMatch(/management port 3443/);
  });
});

describe('public IPv6 sources', () => {
  test('External: ::/0 to 3443 is APIM-NSG-EXPOSED; fd00::/8 is not', () => {
    expect(byDetail(exposed([nsgRule('v6', 151, 'Inbound', '::/0', 'VirtualNetwork', '3443')]))).toEqual({ v6: ApimRuleLevel.ERROR });
    expect(exposed([nsgRule('ula', 151, 'Inbound', 'fd00::/8', 'VirtualNetwork', '3443')])).toEqual([]);
  });

  test('Internal: ::/0 to 443 is APIM-NSG-INTERNAL-PUBLIC, as an IPv4 source would be', () => {
    const rules = documentedRules().filter((r) => r.name !== 'client');
    const result = evaluate(network({ rules: [...rules, nsgRule('v6', 151, 'Inbound', '::/0', 'VirtualNetwork', ['80', '443'])], apim: { virtual_network_type: 'Internal' } }));
    const found = findings(result, 'APIM-NSG-INTERNAL-PUBLIC');
    expect(found.map((f) => f.detail)).toEqual(['v6']);
    expect(found[0].message).toMatch(/rule "v6" allows inbound from ::\/0 to 80 and 443/);
  });
});

describe('public IPv6 sources: only what could reach the subnet', () => {
  test.each([
    ['toward another destination', nsgRule('v6', 151, 'Inbound', '::/0', '10.0.9.0/24', '3443')],
    ['UDP', { ...nsgRule('v6', 151, 'Inbound', '::/0', 'VirtualNetwork', '3443'), protocol: 'Udp' }],
    ['loopback ::1', nsgRule('v6', 151, 'Inbound', '::1', 'VirtualNetwork', '3443')],
    ['IPv4-mapped ::ffff:10.0.0.1', nsgRule('v6', 151, 'Inbound', '::ffff:10.0.0.1', 'VirtualNetwork', '3443')],
  ])('%s: no APIM-NSG-EXPOSED', (_name, rule) => {
    expect(exposed([rule])).toEqual([]);
  });

  test('after a deny of every IPv6 source on 3443: no APIM-NSG-EXPOSED', () => {
    const deny = { ...nsgRule('no-v6', 140, 'Inbound', '::/0', '*', '3443'), access: 'Deny' };
    expect(exposed([deny, nsgRule('v6', 151, 'Inbound', '::/0', 'VirtualNetwork', '3443')])).toEqual([]);
  });
});
