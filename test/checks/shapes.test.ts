/**
 * Every shape Terraform JSON allows gives the same verdict, and what cannot be known is unknown (never a pass, never a
 * wrong verdict). Raw Terraform JSON documents, evaluated with ApimNetworkRules.
 */
import { ApimNetworkRules, ApimOrphanNsgs as OrphanNsgs, ApimRuleLevel, ApimVirtualNetworkType } from '../../lib';
import { arrayForm, documentedRules, evaluate, findings, ids, network, nsgRule, passes, unknowns } from './raw-json';

const without = (name: string) => documentedRules().filter((r) => r.name !== name);

describe('block bodies as objects or as lists of objects (what @cdktf/hcl2json writes)', () => {
  test('the compliant network: no finding in either form', () => {
    expect(ids(evaluate(network()))).toEqual([]);
    expect(ids(evaluate(arrayForm(network())))).toEqual([]);
  });

  test.each<[string, Parameters<typeof network>[0]]>([
    ['no management rule', { rules: without('management') }],
    ['a delegated subnet', { subnet: { delegation: { name: 'd', service_delegation: { name: 'Microsoft.Web/serverFarms' } } } }],
    ['a Basic public IP', {}],
    ['a /30 subnet', { subnet: { address_prefixes: ['10.0.1.0/30'] } }],
  ])('%s: the same findings in both forms', (_name, options) => {
    const doc = network(options);
    if (_name === 'a Basic public IP') {
      doc.resource.azurerm_public_ip.apim.sku = 'Basic';
    }
    const objectForm = ids(evaluate(doc));
    expect(objectForm.length).toBeGreaterThan(0);
    expect(ids(evaluate(arrayForm(doc)))).toEqual(objectForm);
  });

  test('a dynamic delegation in list form is read', () => {
    const doc = arrayForm(network());
    doc.resource.azurerm_subnet.apim[0].dynamic = [{ delegation: [{ for_each: '${["x"]}', content: [{ name: 'd', service_delegation: [{ name: 'Microsoft.Web/serverFarms' }] }] }] }];
    // The for_each is an expression the checks do not evaluate: the delegation may exist.
    expect(unknowns(evaluate(doc), 'APIM-SUBNET-DELEGATION')).toHaveLength(1);
  });
});

describe('numbers and strings alike, where Terraform converts them', () => {
  test('ports and priorities as numbers', () => {
    const rules = documentedRules().map((r, i) => ({ ...r, priority: 100 + i * 10, destination_port_range: r.destination_port_range === undefined ? undefined : Number(r.destination_port_range) }));
    expect(ids(evaluate(network({ rules })))).toEqual([]);
  });

  test('priorities as strings still collide', () => {
    const rules = [...documentedRules(), nsgRule('dup', '110', 'Inbound', '10.0.0.0/8', 'VirtualNetwork', 8080)];
    expect(findings(evaluate(network({ rules })), 'APIM-NSG-PRIORITY').map((f) => f.message)).toEqual([expect.stringMatching(/"management" and "dup" both have Inbound priority 110/)]);
  });

  test('null is unset', () => {
    const rules = documentedRules().map((r) => ({ ...r, source_address_prefixes: null, destination_port_ranges: r.destination_port_ranges ?? null }));
    expect(ids(evaluate(network({ rules, subnet: { delegation: null, service_endpoints: null } })))).toEqual([]);
  });
});

describe('expressions', () => {
  test('a reference to another resource\'s attribute is followed (location from the resource group)', () => {
    const doc = network();
    doc.resource.azurerm_virtual_network.vnet.location = '${azurerm_resource_group.rg.location}';
    doc.resource.azurerm_api_management.apim.location = 'West Europe';
    expect(ids(evaluate(doc))).toEqual([]);
  });

  test('templates: whole or mixed with text; locals are followed; variables are unknown unless given', () => {
    const doc = network();
    doc.locals = [{ prefix: 'apim', region: 'westeurope' }];
    doc.resource.azurerm_network_security_group.nsg.name = '${local.prefix}-nsg';
    doc.resource.azurerm_network_security_group.nsg.location = '${local.region}';
    doc.resource.azurerm_public_ip.apim.domain_name_label = '${var.label}-gw';
    const result = evaluate(doc);
    expect(unknowns(result, 'APIM-PIP-DNS-LABEL').map((f) => f.message)).toEqual([expect.stringMatching(/the variable var\.label/)]);
    expect(ApimNetworkRules.evaluateWith(doc, { variables: { label: 'contoso' } }).findings).toEqual([]);
  });

  test('a function call is an expression the checks do not evaluate: unknown, never a guess', () => {
    const doc = network();
    doc.resource.azurerm_subnet.apim.address_prefixes = ['${cidrsubnet("10.0.0.0/16", 11, 8)}'];
    expect(unknowns(evaluate(doc), 'APIM-SUBNET-SIZE').map((f) => f.message)).toEqual([expect.stringMatching(/the expression "cidrsubnet/)]);
  });

  test('an interpolated port of an otherwise literal rule', () => {
    const rules = [...without('management'), nsgRule('management', 110, 'Inbound', 'ApiManagement', 'VirtualNetwork', '${var.mgmt_port}')];
    const result = evaluate(network({ rules }));
    expect(unknowns(result, 'APIM-NSG-REQUIRED').map((f) => f.message)).toEqual([expect.stringMatching(/whether management allows Inbound TCP 3443/)]);
    expect(findings(result, 'APIM-NSG-REQUIRED')).toEqual([]);
  });

  test('a list with one unknown element is unknown as a whole', () => {
    const rules = [...documentedRules(), nsgRule('open', 900, 'Inbound', 'x', 'VirtualNetwork', '3443', { source_address_prefix: undefined, source_address_prefixes: ['10.1.0.0/16', '${var.extra}'] })];
    expect(unknowns(evaluate(network({ rules })), 'APIM-NSG-EXPOSED')).toHaveLength(1);
  });
});

describe('dynamic blocks', () => {
  const dynamicRules = (forEach: unknown) => ({
    security_rule: documentedRules().filter((r) => r.direction === 'Outbound'),
    dynamic: { security_rule: { for_each: forEach, iterator: 'rule', content: {
      name: '${rule.key}', priority: '${rule.value.priority}', direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source_port_range: '*',
      source_address_prefix: '${rule.value.source}', destination_address_prefix: 'VirtualNetwork', destination_port_range: '${rule.value.port}',
    } } },
  });
  const inbound = {
    client: { priority: 100, source: 'Internet', port: 443 }, management: { priority: 110, source: 'ApiManagement', port: '3443' },
    lb: { priority: 120, source: 'AzureLoadBalancer', port: 6390 },
  };

  test('over a literal map: expanded, with the iterator', () => {
    const doc = network({ nsg: dynamicRules(inbound) });
    delete doc.resource.azurerm_network_security_group.nsg.security_rule;
    Object.assign(doc.resource.azurerm_network_security_group.nsg, dynamicRules(inbound));
    expect(ids(evaluate(doc))).toEqual([]);
    expect(ids(evaluate(arrayForm(doc)))).toEqual([]);
  });

  test('over a variable: the rules may exist; REQUIRED for 3443 is unknown, not an error and not a pass', () => {
    const doc = network();
    Object.assign(doc.resource.azurerm_network_security_group.nsg, dynamicRules('${var.inbound_rules}'));
    const result = evaluate(doc);
    expect(findings(result, 'APIM-NSG-REQUIRED')).toEqual([]);
    expect(unknowns(result, 'APIM-NSG-REQUIRED').map((f) => f.message)).toEqual(expect.arrayContaining([expect.stringMatching(/Inbound TCP 3443/)]));
  });

  test('a deny-all added through a dynamic block over a literal list is seen', () => {
    const doc = network();
    doc.resource.azurerm_network_security_group.nsg.dynamic = { security_rule: { for_each: ['x'], content: nsgRule('deny-all', 100, 'Inbound', '*', '*', '*', { access: 'Deny', protocol: '*' }) } };
    expect(findings(evaluate(doc), 'APIM-NSG-SHADOWED').map((f) => f.detail)).toEqual(expect.arrayContaining(['Inbound:ApiManagement:3443']));
  });
});

describe('count and for_each on resources', () => {
  test('standalone rules with for_each over a literal map, and a subnet with count = 1 referenced by index', () => {
    const doc = network({ rules: documentedRules().filter((r) => r.name !== 'management') });
    doc.resource.azurerm_network_security_rule = { mgmt: {
      for_each: { mgmt: { priority: 110, port: 3443 } }, name: '${each.key}', priority: '${each.value.priority}', direction: 'Inbound', access: 'Allow',
      protocol: 'Tcp', source_port_range: '*', source_address_prefix: 'ApiManagement', destination_address_prefix: 'VirtualNetwork',
      destination_port_range: '${each.value.port}', resource_group_name: 'rg-apim', network_security_group_name: '${azurerm_network_security_group.nsg.name}',
    } };
    doc.resource.azurerm_subnet.apim.count = 1;
    doc.resource.azurerm_subnet_network_security_group_association.apim.subnet_id = '${azurerm_subnet.apim[0].id}';
    doc.resource.azurerm_api_management.apim.virtual_network_configuration.subnet_id = '${azurerm_subnet.apim[0].id}';
    const result = evaluate(doc);
    expect(ids(result)).toEqual(['APIM-NSG-MIXED']);
    expect(result.outcomes.find((o) => o.ruleId === 'APIM-NSG-MIXED')?.message).toMatch(/azurerm_network_security_rule\.mgmt\["mgmt"\]/);
  });

  test('standalone rules with for_each over a variable may or may not exist: unknown', () => {
    const doc = network();
    doc.resource.azurerm_network_security_group.nsg.security_rule = undefined;
    doc.resource.azurerm_network_security_rule = { all: {
      for_each: '${var.rules}', name: '${each.key}', priority: '${each.value.priority}', direction: '${each.value.direction}', access: 'Allow',
      protocol: 'Tcp', source_port_range: '*', source_address_prefix: '${each.value.source}', destination_address_prefix: '*',
      destination_port_range: '${each.value.port}', resource_group_name: 'rg-apim', network_security_group_name: 'nsg-apim',
    } };
    const result = evaluate(doc);
    expect(findings(result, 'APIM-NSG-REQUIRED')).toEqual([]);
    expect(unknowns(result, 'APIM-NSG-REQUIRED').length).toBeGreaterThan(0);
  });

  test('a subnet whose count is a variable: every rule that needs it is unknown', () => {
    const doc = network();
    doc.resource.azurerm_subnet.apim.count = '${var.enabled ? 1 : 0}';
    doc.resource.azurerm_api_management.apim.virtual_network_configuration.subnet_id = '${azurerm_subnet.apim[0].id}';
    const result = evaluate(doc);
    for (const rule of ['APIM-SUBNET-DELEGATION', 'APIM-SUBNET-NSG', 'APIM-SUBNET-SIZE', 'APIM-SUBNET-PREFIX', 'APIM-NSG-REQUIRED']) {
      expect(unknowns(result, rule).map((f) => f.message)).toEqual([expect.stringMatching(/the count of azurerm_subnet\.apim/)]);
    }
  });
});

describe('sets of addresses, whatever the spelling', () => {
  test('an inbound allow on 3443 from 0.0.0.0/1 + 128.0.0.0/1 is all of IPv4: exposed', () => {
    const rules = [...documentedRules(), nsgRule('halves', 900, 'Inbound', 'x', 'VirtualNetwork', '3443', { source_address_prefix: undefined, source_address_prefixes: ['0.0.0.0/1', '128.0.0.0/1'] })];
    const found = findings(evaluate(network({ rules })), 'APIM-NSG-EXPOSED');
    expect(found.map((f) => [f.level, f.message])).toEqual([[ApimRuleLevel.ERROR, expect.stringMatching(/rule "halves" allows inbound from 0\.0\.0\.0\/1, 128\.0\.0\.0\/1 to the management port 3443/)]]);
  });

  test('a deny of all public space outbound on 443 (as two CIDRs) blocks Storage and Key Vault', () => {
    const rules = [...documentedRules(), nsgRule('no-public', 90, 'Outbound', '*', 'x', '443', { access: 'Deny', destination_address_prefix: undefined, destination_address_prefixes: ['0.0.0.0/1', '128.0.0.0/1'] })];
    const found = findings(evaluate(network({ rules })), 'APIM-NSG-SHADOWED');
    expect(found.map((f) => [f.detail, f.level])).toEqual(expect.arrayContaining([
      ['Outbound:Storage:443', ApimRuleLevel.ERROR], ['Outbound:AzureKeyVault:443', ApimRuleLevel.ERROR], ['Outbound:AzureMonitor:443', ApimRuleLevel.ERROR],
    ]));
  });
});

describe('names, resource groups and IDs as Azure compares them', () => {
  test('a standalone deny-all whose resource group differs only in case belongs to the NSG', () => {
    const doc = network();
    doc.resource.azurerm_network_security_group.nsg.security_rule = undefined;
    doc.resource.azurerm_network_security_rule = Object.fromEntries([...documentedRules(), nsgRule('deny-all', 100, 'Inbound', '*', '*', '*', { access: 'Deny', protocol: '*' })]
      .map((r, i) => [`r${i}`, { ...r, priority: r.name === 'deny-all' ? 90 : r.priority, resource_group_name: r.name === 'deny-all' ? 'RG-APIM' : 'rg-apim', network_security_group_name: r.name === 'deny-all' ? 'NSG-APIM' : 'nsg-apim' }]));
    const result = evaluate(doc);
    expect(findings(result, 'APIM-NSG-SHADOWED').map((f) => f.detail)).toEqual(expect.arrayContaining(['Inbound:ApiManagement:3443']));
  });

  test('a virtual network name in another case, a literal subnet ID in another case (its subscription the provider\'s)', () => {
    const doc = network();
    doc.provider.azurerm = [{ features: {}, subscription_id: '0000' }];
    doc.resource.azurerm_subnet.apim.virtual_network_name = 'VNET-WEU';
    doc.resource.azurerm_api_management.apim.virtual_network_configuration.subnet_id =
      '/subscriptions/0000/resourceGroups/RG-APIM/providers/Microsoft.Network/virtualNetworks/Vnet-Weu/subnets/SNET-APIM';
    expect(ids(evaluate(doc))).toEqual([]);
  });
});

describe('what cannot be known at synth time is unknown', () => {
  test('a data source subnet and remote state', () => {
    const doc = network();
    doc.resource.azurerm_api_management.apim.virtual_network_configuration.subnet_id = '${data.azurerm_subnet.hub.id}';
    doc.resource.azurerm_api_management.apim.public_ip_address_id = '${data.terraform_remote_state.net.outputs.pip_id}';
    const result = evaluate(doc);
    expect(unknowns(result, 'APIM-SUBNET-SIZE').map((f) => f.message)).toEqual([expect.stringMatching(/the data source data\.azurerm_subnet\.hub\.id/)]);
    expect(unknowns(result, 'APIM-PIP-SKU').map((f) => f.message)).toEqual([expect.stringMatching(/remote state/)]);
    expect(result.findings.filter((f) => f.level === ApimRuleLevel.ERROR)).toEqual([]);
  });

  test('a cdktf cross-stack reference is followed into the other stack\'s document', () => {
    const apimDoc = network();
    apimDoc.provider.azurerm[0].subscription_id = '00000000-0000-0000-0000-000000000001';
    const netDoc = { provider: apimDoc.provider, resource: { azurerm_public_ip: apimDoc.resource.azurerm_public_ip }, output: { 'cross-stack-output-azurerm_public_ipapimid': { value: '${azurerm_public_ip.apim.id}', sensitive: true } } };
    delete apimDoc.resource.azurerm_public_ip;
    apimDoc.resource.azurerm_api_management.apim.public_ip_address_id = '${data.terraform_remote_state.cross-stack-reference-input-network.outputs.cross-stack-output-azurerm_public_ipapimid}';
    expect(unknowns(evaluate(apimDoc), 'APIM-PIP-SKU')).toHaveLength(1);
    const result = ApimNetworkRules.evaluateWith(apimDoc, { documents: { network: netDoc } });
    expect(result.findings).toEqual([]);
    expect(passes(result, 'APIM-PIP-SKU')).toBe(true);
  });

  test('garbage never throws anything but ApimNetworkError: a document that is not an object is refused', () => {
    for (const bad of ['{"resource": {}}', 42, null, [], undefined]) {
      expect(() => ApimNetworkRules.evaluate(bad)).toThrow(/^\[INVALID_TYPE\] ApimNetworkRules\.evaluate: document .*not parsed Terraform JSON/);
    }
  });
});

describe('what the command-line checker needs', () => {
  test('file, line and address from "//".metadata', () => {
    const doc = network({ rules: without('management') });
    doc.resource.azurerm_network_security_group.nsg['//'] = { metadata: { path: 'module.net.azurerm_network_security_group.nsg', address: 'module.net.azurerm_network_security_group.nsg', file: 'modules/net/nsg.tf', line: 12 } };
    const [finding] = findings(evaluate(doc), 'APIM-NSG-REQUIRED');
    expect(finding).toMatchObject({ address: 'module.net.azurerm_network_security_group.nsg', file: 'modules/net/nsg.tf', line: 12 });
    expect(finding.text).toMatch(/^\[APIM-NSG-REQUIRED\[Inbound:ApiManagement:3443\]\] module\.net\.azurerm_network_security_group\.nsg:/);
  });

  test('the inventory says what was found; an input without APIM network finds nothing', () => {
    expect(evaluate(network()).inventory).toEqual({ apimInstances: 1, apimSubnets: 1, networkSecurityGroups: 1 });
    expect(evaluate({ resource: { azurerm_resource_group: { rg: { name: 'rg', location: 'westeurope' } } } }).inventory)
      .toEqual({ apimInstances: 0, apimSubnets: 0, networkSecurityGroups: 0 });
  });

  test('NSGs no APIM of the input uses: checked as APIM NSGs when asked, the mode-dependent rules unknown without a mode', () => {
    const doc = network({ rules: without('client') });
    delete doc.resource.azurerm_api_management;
    delete doc.resource.azurerm_public_ip;
    expect(evaluate(doc).findings).toEqual([]);
    const signature = ApimNetworkRules.evaluateWith(doc, { orphanNsgs: OrphanNsgs.SIGNATURE });
    expect(signature.inventory?.networkSecurityGroups).toBe(1);
    expect(unknowns(signature, 'APIM-NSG-REQUIRED').map((f) => f.message)).toEqual([
      expect.stringMatching(/^APIM-NSG-REQUIRED\[Inbound:Internet:443\] .*Inbound TCP 443 from Internet is required: the APIM mode \(External or Internal\) is not known/),
      expect.stringMatching(/^APIM-NSG-REQUIRED\[Inbound:AzureTrafficManager:443\] /),
    ]);
    const external = ApimNetworkRules.evaluateWith(doc, { orphanNsgs: OrphanNsgs.SIGNATURE, orphanMode: ApimVirtualNetworkType.EXTERNAL });
    expect(findings(external, 'APIM-NSG-REQUIRED').map((f) => f.detail)).toEqual(['Inbound:Internet:443']);
    const internal = ApimNetworkRules.evaluateWith(doc, { orphanNsgs: OrphanNsgs.SIGNATURE, orphanMode: ApimVirtualNetworkType.INTERNAL });
    expect(findings(internal, 'APIM-NSG-REQUIRED')).toEqual([]);
    // An NSG without the ApiManagement 3443 allow is checked only with ALL.
    const other = network({ rules: without('management') });
    delete other.resource.azurerm_api_management;
    expect(ApimNetworkRules.evaluateWith(other, { orphanNsgs: OrphanNsgs.SIGNATURE }).inventory?.networkSecurityGroups).toBe(0);
    expect(ApimNetworkRules.evaluateWith(other, { orphanNsgs: OrphanNsgs.ALL }).inventory?.networkSecurityGroups).toBe(1);
  });
});
