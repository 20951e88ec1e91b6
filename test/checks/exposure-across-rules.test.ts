/**
 * APIM-NSG-EXPOSED and APIM-NSG-INTERNAL-PUBLIC judge the sources of several allow rules as one set: rules that each
 * might hold only ApiManagement addresses (Azure knows the tag's ranges, the checks do not) but together hold every
 * public address surely expose the port. The NSG construct refuses the rule that completes such a group.
 */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { ApimNetworkError, ApimRuleLevel, ApimVirtualNetworkType, MultiRegionApimNetwork, NsgAccess, NsgDirection, NsgProtocol, ApimNsgRuleOptions } from '../../lib';
import { Json, documentedRules, evaluate, findings, network, nsgRule } from './raw-json';

const to3443 = (name: string, priority: number, prefixes: string[]) => nsgRule(name, priority, 'Inbound', '', 'VirtualNetwork', '3443',
  { source_address_prefix: undefined, source_address_prefixes: prefixes });
const exposed = (rules: Json[], apim: Json = {}) => findings(evaluate(network({ rules: [...documentedRules(), ...rules], apim })), 'APIM-NSG-EXPOSED');
const byDetail = (list: ReturnType<typeof findings>) => Object.fromEntries(list.map((f) => [f.detail, f.level]));

describe('APIM-NSG-EXPOSED: sources of several rules as one set', () => {
  test('0.0.0.0/1 and 128.0.0.0/1 in two rules to 3443: an error on both, each naming the other', () => {
    const found = exposed([to3443('half-a', 150, ['0.0.0.0/1']), to3443('half-b', 151, ['128.0.0.0/1'])]);
    expect(byDetail(found)).toEqual({ 'half-a': ApimRuleLevel.ERROR, 'half-b': ApimRuleLevel.ERROR });
    expect(found.find((f) => f.detail === 'half-a')?.message).toMatch(/together with rule "half-b" \(128\.0\.0\.0\/1\)/);
  });

  test('the same two halves in one rule: one error (unchanged)', () => {
    expect(byDetail(exposed([to3443('both', 150, ['0.0.0.0/1', '128.0.0.0/1'])]))).toEqual({ both: ApimRuleLevel.ERROR });
  });

  test('four quarters in four rules: all four are needed, all four are errors', () => {
    const quarters = ['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/2', '192.0.0.0/2'].map((p, i) => to3443(`q${i}`, 150 + i, [p]));
    expect(byDetail(exposed(quarters))).toEqual({ q0: ApimRuleLevel.ERROR, q1: ApimRuleLevel.ERROR, q2: ApimRuleLevel.ERROR, q3: ApimRuleLevel.ERROR });
  });

  test('three quarters: each alone and all together might hold only ApiManagement addresses: warnings, not errors', () => {
    const three = ['0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/2'].map((p, i) => to3443(`q${i}`, 150 + i, [p]));
    expect(byDetail(exposed(three))).toEqual({ q0: ApimRuleLevel.WARNING, q1: ApimRuleLevel.WARNING, q2: ApimRuleLevel.WARNING });
  });

  test('a /24 ahead of the halves decides its addresses first: the group needs all three (the rest might be ApiManagement\'s)', () => {
    const found = exposed([to3443('one-range', 149, ['203.0.113.0/24']), to3443('half-a', 150, ['0.0.0.0/1']), to3443('half-b', 151, ['128.0.0.0/1'])]);
    expect(byDetail(found)).toEqual({ 'one-range': ApimRuleLevel.ERROR, 'half-a': ApimRuleLevel.ERROR, 'half-b': ApimRuleLevel.ERROR });
  });

  test('a rule after the halves decides nothing of the flow: no finding for it, errors for the halves', () => {
    const found = exposed([to3443('half-a', 150, ['0.0.0.0/1']), to3443('half-b', 151, ['128.0.0.0/1']), to3443('late', 152, ['203.0.113.0/24'])]);
    expect(byDetail(found)).toEqual({ 'half-a': ApimRuleLevel.ERROR, 'half-b': ApimRuleLevel.ERROR });
  });

  test('a deny of 0.0.0.0/1 ahead of the halves: only 128.0.0.0/1 gets through, which might be ApiManagement: a warning', () => {
    const deny = { ...to3443('deny-a', 140, ['0.0.0.0/1']), access: 'Deny' };
    const levels = byDetail(exposed([deny, to3443('half-a', 150, ['0.0.0.0/1']), to3443('half-b', 151, ['128.0.0.0/1'])]));
    expect(levels['half-a']).toBeUndefined();
    expect(levels['half-b']).toBe(ApimRuleLevel.WARNING);
  });

  test('the halves on all ports: every port exposed, an error on both', () => {
    const all = (name: string, priority: number, p: string) => ({ ...to3443(name, priority, [p]), protocol: '*', destination_port_range: '*' });
    const found = exposed([all('half-a', 150, '0.0.0.0/1'), all('half-b', 151, '128.0.0.0/1')]);
    expect(byDetail(found)).toEqual({ 'half-a': ApimRuleLevel.ERROR, 'half-b': ApimRuleLevel.ERROR });
    expect(found[0].message).toMatch(/all ports together with/);
  });

  test('Internal mode: the halves to 443 are APIM-NSG-INTERNAL-PUBLIC on both rules, naming each other', () => {
    const to443 = (name: string, priority: number, p: string) => ({ ...to3443(name, priority, [p]), destination_port_range: '443' });
    const rules = documentedRules().filter((r) => r.name !== 'client');
    const result = evaluate(network({ rules: [...rules, to443('half-a', 150, '0.0.0.0/1'), to443('half-b', 151, '128.0.0.0/1')], apim: { virtual_network_type: 'Internal' } }));
    const found = findings(result, 'APIM-NSG-INTERNAL-PUBLIC');
    expect(found.map((f) => f.detail).sort()).toEqual(['half-a', 'half-b']);
    expect(found.every((f) => /Internal mode, but rule "half-[ab]" allows inbound .* together with rule "half-[ab]"/.test(f.message))).toBe(true);
  });
});

describe('the NSG construct refuses the rule that completes a group', () => {
  const rule = (name: string, priority: number, source: string): ApimNsgRuleOptions => ({
    name, priority, direction: NsgDirection.INBOUND, access: NsgAccess.ALLOW, protocol: NsgProtocol.TCP,
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

  test('one half alone is left to the checks (it might be ApiManagement\'s addresses)', () => {
    expect(build([rule('half-a', 150, '0.0.0.0/1')])).not.toThrow();
  });

  test('the second half is refused with NSG_RULE_EXPOSES, naming the first', () => {
    let error: unknown;
    try {
      build([rule('half-a', 150, '0.0.0.0/1'), rule('half-b', 151, '128.0.0.0/1')])();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApimNetworkError);
    const message = (error as ApimNetworkError).message;
    expect(message).toMatch(/^\[NSG_RULE_EXPOSES\]/);
    expect(message).toMatch(/networkSecurityGroup\.rules\[1\]/);
    expect(message).toMatch(/together with rule "half-a"/);
  });
});
