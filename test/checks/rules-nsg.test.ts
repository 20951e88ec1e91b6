import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { ApimRuleLevel } from '../../lib';
import { brownfield, evaluate, expectCompliant, expectFinding, expectUnknown, externalRules, findingsOf, rule } from './brownfield';

const without = (name: string) => externalRules().filter((r) => r.name !== name);
const internalRules = () => externalRules().filter((r) => !['client', 'tm'].includes(r.name as string));

describe('APIM-NSG-REQUIRED', () => {
  test('compliant: External, one location', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-NSG-REQUIRED');
  });
  test('compliant: Internal mode needs no inbound Internet rule', () => {
    expectCompliant(evaluate(brownfield({ rules: internalRules(), apim: { virtualNetworkType: 'Internal' } }).stack), 'APIM-NSG-REQUIRED');
  });
  test.each([
    ['management', /\[APIM-NSG-REQUIRED\[Inbound:ApiManagement:3443\]\] azurerm_network_security_group\.nsg \(brownfield\/nsg\): no rule allows Inbound TCP 3443 from ApiManagement to VirtualNetwork .*Azure's default rule DenyAllInBound \(65500\) denies it/],
    ['client', /\[Inbound:Internet:443\]\].*no rule allows Inbound TCP 443 from any client/],
  ])('non-compliant (error): without the %s rule, DenyAllInBound blocks the flow', (name, message) => {
    const finding = expectFinding(evaluate(brownfield({ rules: without(name) }).stack), 'APIM-NSG-REQUIRED', message);
    expect(finding.level).toBe(ApimRuleLevel.ERROR);
  });
  test.each([
    ['lb', 'Inbound:AzureLoadBalancer:6390', /AllowAzureLoadBalancerInBound \(65001\)/],
    ['storage', 'Outbound:Storage:443', /AllowInternetOutBound \(65001\)/],
    ['sql', 'Outbound:Sql:1433', /AllowInternetOutBound/],
    ['kv', 'Outbound:AzureKeyVault:443', /AllowInternetOutBound/],
    ['certs', 'Outbound:Internet:80', /AllowInternetOutBound/],
  ])('without the %s rule, Azure\'s default rules still let %s through: APIM-NSG-IMPLICIT (warning), no error', (name, detail, through) => {
    const result = evaluate(brownfield({ rules: without(name) }).stack);
    expect(findingsOf(result, 'APIM-NSG-REQUIRED')).toEqual([]);
    const finding = expectFinding(result, 'APIM-NSG-IMPLICIT', new RegExp(`\\[${detail}\\].*`));
    expect(finding.text).toMatch(through);
    expect(finding.level).toBe(ApimRuleLevel.WARNING);
  });
  test('non-compliant: without the lb rule and with a deny-all inbound, 6390 is blocked (V19)', () => {
    const rules = [...without('lb'), rule('deny-all-in', 4000, 'Inbound', '*', '*', '*', { access: 'Deny', protocol: '*' })];
    expectFinding(evaluate(brownfield({ rules }).stack), 'APIM-NSG-REQUIRED', /\[Inbound:AzureLoadBalancer:6390\]\].*the rule "deny-all-in" \(priority 4000\) denies it/);
  });
  test('AzureMonitor with 443 only (peer module LZA-TF): 1886 goes through the default rule only', () => {
    const rules = [...without('monitor'), rule('monitor', 130, 'Outbound', 'VirtualNetwork', 'AzureMonitor', '443')];
    const result = evaluate(brownfield({ rules }).stack);
    expectFinding(result, 'APIM-NSG-IMPLICIT', /\[Outbound:AzureMonitor:1886\]/);
    expect(findingsOf(result, 'APIM-NSG-IMPLICIT').some((f) => f.detail === 'Outbound:AzureMonitor:443')).toBe(false);
  });
  test('Traffic Manager: the Internet:443 client rule already lets its probes through (AzureTrafficManager is inside Internet)', () => {
    const b = brownfield({ rules: without('tm') });
    b.apim.putAdditionalLocation([{ location: 'northeurope' }]);
    expect(findingsOf(evaluate(b.stack), 'APIM-NSG-REQUIRED')).toEqual([]);
  });
  test('non-compliant: Traffic Manager blocked once clients are narrowed to Front Door and the instance has a second location', () => {
    const rules = [...without('tm').filter((r) => r.name !== 'client'), rule('clients', 100, 'Inbound', 'AzureFrontDoor.Backend', 'VirtualNetwork', '443')];
    const b = brownfield({ rules });
    b.apim.putAdditionalLocation([{ location: 'northeurope' }]);
    const result = evaluate(b.stack);
    expectFinding(result, 'APIM-NSG-REQUIRED', /\[Inbound:AzureTrafficManager:443\].*several locations/);
    expect(findingsOf(result, 'APIM-NSG-REQUIRED').map((f) => f.detail)).toEqual(['Inbound:AzureTrafficManager:443']);
  });
  test('standalone azurerm_network_security_rule resources count', () => {
    const b = brownfield({ rules: without('management') });
    b.nsg.resetSecurityRule();
    for (const r of without('management')) {
      new NetworkSecurityRule(b.stack, `rule-${r.name}`, {
        name: r.name as string, priority: r.priority as number, direction: r.direction as string, access: r.access as string, protocol: r.protocol as string,
        sourcePortRange: '*', sourceAddressPrefix: r.sourceAddressPrefix, destinationAddressPrefix: r.destinationAddressPrefix,
        destinationPortRange: r.destinationPortRange, destinationPortRanges: r.destinationPortRanges,
        resourceGroupName: 'rg', networkSecurityGroupName: b.nsg.name,
      });
    }
    const result = evaluate(b.stack);
    expect(findingsOf(result, 'APIM-NSG-REQUIRED').map((f) => f.detail)).toEqual(['Inbound:ApiManagement:3443']);
    expect(findingsOf(result, 'APIM-NSG-IMPLICIT')).toEqual([]);
  });
  test('a rule made effective through addOverride is seen', () => {
    const b = brownfield({ rules: [...without('management'), rule('management', 110, 'Inbound', 'ApiManagement', 'VirtualNetwork', '3433')] });
    expect(findingsOf(evaluate(b.stack), 'APIM-NSG-REQUIRED')).toHaveLength(1);
    const index = b.nsg.securityRuleInput && Array.isArray(b.nsg.securityRuleInput) ? b.nsg.securityRuleInput.findIndex((r) => r.name === 'management') : -1;
    b.nsg.addOverride(`security_rule.${index}.destination_port_range`, '3443');
    expect(findingsOf(evaluate(b.stack), 'APIM-NSG-REQUIRED')).toEqual([]);
  });
  test('unknown: the only management rule has its port from a variable', () => {
    const b = brownfield({ rules: without('management') });
    const rules = [...without('management'), rule('management', 110, 'Inbound', 'ApiManagement', 'VirtualNetwork', b.variable('mgmt_port'))];
    b.nsg.putSecurityRule(rules);
    expectUnknown(evaluate(b.stack), 'APIM-NSG-REQUIRED', /whether management allows Inbound TCP 3443/);
  });
  test('unknown: every rule from a variable', () => {
    const b = brownfield();
    b.nsg.addOverride('security_rule', b.variable('rules'));
    expectUnknown(evaluate(b.stack), 'APIM-NSG-REQUIRED', /var\.rules/);
  });
});

describe('APIM-NSG-SHADOWED', () => {
  test('compliant: a deny-all after the allows', () => {
    const rules = [...externalRules(), rule('deny-all-out', 4096, 'Outbound', '*', '*', '*', { access: 'Deny', protocol: '*' })];
    expectCompliant(evaluate(brownfield({ rules }).stack), 'APIM-NSG-SHADOWED');
  });
  test('non-compliant: deny Internet outbound at 99 before the Internet:80 allow (quickstart template pattern)', () => {
    const rules = [...externalRules(), rule('Deny_All_Internet_Outbound', 99, 'Outbound', 'VirtualNetwork', 'Internet', '*', { access: 'Deny', protocol: '*' })];
    const result = evaluate(brownfield({ rules }).stack);
    const finding = expectFinding(result, 'APIM-NSG-SHADOWED',
      /\[APIM-NSG-SHADOWED\[Outbound:Internet:80\]\].*the rule "Deny_All_Internet_Outbound" \(priority 99\) comes before the rule "certs" \(priority 140\) and blocks all of/);
    expect(finding.level).toBe(ApimRuleLevel.ERROR);
    // Storage is inside Internet: the same deny blocks it (one finding per flow, none from REQUIRED).
    expectFinding(result, 'APIM-NSG-SHADOWED', /\[APIM-NSG-SHADOWED\[Outbound:Storage:443\]\]/);
    expect(findingsOf(result, 'APIM-NSG-REQUIRED')).toEqual([]);
  });
  test('unknown: a deny whose source comes from a variable', () => {
    const b = brownfield();
    b.nsg.putSecurityRule([...externalRules(), rule('deny-some', 105, 'Inbound', b.variable('blocked'), '*', '*', { access: 'Deny' })]);
    expectUnknown(evaluate(b.stack), 'APIM-NSG-SHADOWED', /whether "deny-some" blocks Inbound TCP 3443/);
  });
});

describe('APIM-NSG-NEARMISS', () => {
  test('compliant', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-NSG-NEARMISS');
  });
  test.each([
    ['SQL 1443', rule('sql', 110, 'Outbound', 'VirtualNetwork', 'Sql', '1443'), 'sql', /rule "sql" looks like the APIM rule sql .* but has port 1443 where sql needs 1433/],
    ['Storage 433', rule('storage', 100, 'Outbound', 'VirtualNetwork', 'Storage', '433'), 'storage', /port 433 where storage needs 443/],
    ['AzureMonitor declared Inbound', rule('monitor', 130, 'Inbound', 'VirtualNetwork', 'AzureMonitor', ['1886', '443']), 'monitor', /direction Inbound where monitor is Outbound/],
    ['Storage 433 (the flow then goes through the default rule only)', rule('storage', 100, 'Outbound', 'VirtualNetwork', 'Storage', '433'), 'storage', /port 433 where storage needs 443/],
    ['management over UDP', rule('management', 110, 'Inbound', 'ApiManagement', 'VirtualNetwork', '3443', { protocol: 'Udp' }), 'management', /protocol Udp where management needs Tcp/],
  ])('non-compliant: %s', (_name, replacement, replaced, message) => {
    const finding = expectFinding(evaluate(brownfield({ rules: [...without(replaced), replacement] }).stack), 'APIM-NSG-NEARMISS', message);
    expect(finding.level).toBe(ApimRuleLevel.WARNING);
  });
  test('unknown: a rule whose direction comes from a variable', () => {
    const b = brownfield();
    b.nsg.putSecurityRule([...externalRules(), rule('odd', 900, b.variable('direction'), 'VirtualNetwork', 'Sql', '1443')]);
    expectUnknown(evaluate(b.stack), 'APIM-NSG-NEARMISS', /rule "odd"/);
  });
});

describe('APIM-NSG-EXPOSED', () => {
  test('compliant', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-NSG-EXPOSED');
  });
  test.each([
    ['* to 3443', rule('open-mgmt', 900, 'Inbound', '*', 'VirtualNetwork', '3443'), /rule "open-mgmt" allows inbound from \* to the management port 3443/],
    ['Internet to all ports', rule('open-all', 900, 'Inbound', 'Internet', 'VirtualNetwork', '*'), /allows inbound from Internet to all ports/],
    ['0.0.0.0/0 to a range with 3443', rule('open-range', 900, 'Inbound', '0.0.0.0/0', 'VirtualNetwork', '3000-4000'), /to the management port 3443/],
    ['"any" in any case', rule('open-any', 900, 'Inbound', 'ANY', 'VirtualNetwork', '0-65535'), /allows inbound from ANY to all ports/],
  ])('non-compliant: %s', (_name, extra, message) => {
    expectFinding(evaluate(brownfield({ rules: [...externalRules(), extra] }).stack), 'APIM-NSG-EXPOSED', message);
  });
  test('unknown: a source from a variable', () => {
    const b = brownfield();
    b.nsg.putSecurityRule([...externalRules(), rule('maybe-open', 900, 'Inbound', b.variable('src'), 'VirtualNetwork', '3443')]);
    expectUnknown(evaluate(b.stack), 'APIM-NSG-EXPOSED', /maybe-open/);
  });
});

describe('APIM-NSG-INTERNAL-PUBLIC', () => {
  test('compliant: Internal mode without public sources', () => {
    expectCompliant(evaluate(brownfield({ rules: [...internalRules(), rule('vnet-clients', 900, 'Inbound', 'VirtualNetwork', 'VirtualNetwork', '443')], apim: { virtualNetworkType: 'Internal' } }).stack),
      'APIM-NSG-INTERNAL-PUBLIC');
  });
  test('non-compliant (warning): Internal mode with Internet to 443', () => {
    const finding = expectFinding(evaluate(brownfield({ apim: { virtualNetworkType: 'Internal' } }).stack), 'APIM-NSG-INTERNAL-PUBLIC',
      /Internal mode, but rule "client" allows inbound from Internet to 443/);
    expect(finding.level).toBe(ApimRuleLevel.WARNING);
  });
  test('unknown: a source from a variable', () => {
    const b = brownfield({ apim: { virtualNetworkType: 'Internal' } });
    b.nsg.putSecurityRule([...internalRules(), rule('clients', 900, 'Inbound', b.variable('clients'), 'VirtualNetwork', '443')]);
    expectUnknown(evaluate(b.stack), 'APIM-NSG-INTERNAL-PUBLIC', /clients/);
  });
});

describe('APIM-NSG-PRIORITY', () => {
  test('compliant: the same priority in both directions is fine', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-NSG-PRIORITY');
  });
  test('non-compliant: duplicate priority in one direction', () => {
    expectFinding(evaluate(brownfield({ rules: [...externalRules(), rule('dup', 110, 'Inbound', '10.0.0.0/8', 'VirtualNetwork', '8080')] }).stack),
      'APIM-NSG-PRIORITY', /rules "management" and "dup" both have Inbound priority 110/);
  });
  test('non-compliant: out of range', () => {
    expectFinding(evaluate(brownfield({ rules: [...externalRules(), rule('late', 5000, 'Inbound', '10.0.0.0/8', 'VirtualNetwork', '8080')] }).stack),
      'APIM-NSG-PRIORITY', /rule "late" has priority 5000, outside 100-4096/);
  });
  test('unknown: priority from a variable', () => {
    const b = brownfield();
    const priority = b.variable('priority') as unknown as number;
    b.nsg.putSecurityRule([...externalRules(), rule('var-priority', priority, 'Inbound', '10.0.0.0/8', 'VirtualNetwork', '8080')]);
    expectUnknown(evaluate(b.stack), 'APIM-NSG-PRIORITY', /var-priority/);
  });
});

describe('APIM-NSG-MIXED', () => {
  test('compliant: inline rules only', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-NSG-MIXED');
  });
  test('non-compliant: inline rules and a standalone rule', () => {
    const b = brownfield();
    new NetworkSecurityRule(b.stack, 'extra', {
      name: 'extra', priority: 900, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourcePortRange: '*', destinationPortRange: '8080',
      sourceAddressPrefix: '10.0.0.0/8', destinationAddressPrefix: '*', resourceGroupName: 'rg', networkSecurityGroupName: b.nsg.name,
    });
    expectFinding(evaluate(b.stack), 'APIM-NSG-MIXED', /has inline security_rule blocks and is also the target of azurerm_network_security_rule\.extra/);
  });
  test('unknown: a standalone rule whose NSG name comes from a variable', () => {
    const b = brownfield();
    new NetworkSecurityRule(b.stack, 'extra', {
      name: 'extra', priority: 900, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourcePortRange: '*', destinationPortRange: '8080',
      sourceAddressPrefix: '10.0.0.0/8', destinationAddressPrefix: '*', resourceGroupName: 'rg', networkSecurityGroupName: b.variable('nsg_name'),
    });
    expectUnknown(evaluate(b.stack), 'APIM-NSG-MIXED', /azurerm_network_security_rule\.extra/);
  });
});

describe('APIM-NSG-TAG-IN-LIST', () => {
  test('compliant', () => {
    expectCompliant(evaluate(brownfield().stack), 'APIM-NSG-TAG-IN-LIST');
  });
  test('non-compliant: a service tag in source_address_prefixes', () => {
    const extra = rule('lists', 900, 'Inbound', 'x', 'VirtualNetwork', '8080', { sourceAddressPrefix: undefined, sourceAddressPrefixes: ['ApiManagement', '10.0.0.0/8'] });
    expectFinding(evaluate(brownfield({ rules: [...externalRules(), extra] }).stack), 'APIM-NSG-TAG-IN-LIST',
      /rule "lists" has a service tag in a plural list: source_address_prefixes "ApiManagement"/);
  });
  test('unknown: a prefix list from a variable', () => {
    const b = brownfield();
    b.nsg.putSecurityRule([...externalRules(), rule('lists', 900, 'Inbound', 'x', 'VirtualNetwork', '8080', { sourceAddressPrefix: undefined, sourceAddressPrefixes: [b.variable('ranges')] })]);
    expectUnknown(evaluate(b.stack), 'APIM-NSG-TAG-IN-LIST', /rule "lists"/);
  });
});

describe('APIM-NSG-REGIONAL-TAG', () => {
  const regional = (tag: string) => [...without('storage'), rule('storage', 100, 'Outbound', 'VirtualNetwork', tag, '443')];
  test('compliant: the NSG\'s own region', () => {
    const result = evaluate(brownfield({ rules: regional('Storage.WestEurope') }).stack);
    expectCompliant(result, 'APIM-NSG-REGIONAL-TAG');
    expectCompliant(result, 'APIM-NSG-REQUIRED');
  });
  test('non-compliant (warning): another region, which also leaves Storage uncovered', () => {
    const result = evaluate(brownfield({ rules: regional('Storage.EastUS') }).stack);
    const finding = expectFinding(result, 'APIM-NSG-REGIONAL-TAG', /rule "storage" uses Storage\.EastUS, which names neither the NSG's region westeurope nor the primary region westeurope/);
    expect(finding.level).toBe(ApimRuleLevel.WARNING);
    expectFinding(result, 'APIM-NSG-IMPLICIT', /\[Outbound:Storage:443\].*Storage\.WestEurope/);
  });
  test('unknown: the NSG location from a variable', () => {
    const b = brownfield({ rules: regional('Storage.WestEurope') });
    b.nsg.location = b.variable('nsg_location');
    expectUnknown(evaluate(b.stack), 'APIM-NSG-REGIONAL-TAG', /var\.nsg_location/);
  });
});

test('an NSG managed elsewhere (given by ID) is associated, but its rules are unknown, not a pass', () => {
  const b = brownfield({ noAssociation: true });
  new SubnetNetworkSecurityGroupAssociation(b.stack, 'assoc', {
    subnetId: b.subnet.id, networkSecurityGroupId: '/subscriptions/0/resourceGroups/shared/providers/Microsoft.Network/networkSecurityGroups/central',
  });
  const result = evaluate(b.stack);
  expect(result.outcomes.filter((o) => o.ruleId === 'APIM-SUBNET-NSG').map((o) => [o.detail ?? '', o.outcome])).toEqual([['', 'pass'], ['region', 'unknown']]);
  expectUnknown(result, 'APIM-NSG-REQUIRED', /a resource outside this stack; its rules cannot be checked/);
});
