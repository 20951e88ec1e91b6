/**
 * Defects an outside reviewer found in the engine (reports/breaker-checks.md), on raw Terraform JSON: each test
 * reproduces one of them and pins the fixed behaviour. The same defects through `app.synth()` are in
 * test/cdktf/breaker-enforcement.test.ts.
 */
import { ApimCheckResult, ApimNetworkRules, ApimRuleLevel } from '../../lib';
import { escapeMarkdown, markdownReport } from '../../lib/checks/report';
import { arrayForm, documentedRules, evaluate, findings, ids, network, nsgRule, passes, unknowns, Json } from './raw-json';
import { thrown } from '../support/stack';

const deny = (name: string, priority: number | string, direction: string, extra: Record<string, unknown> = {}) =>
  nsgRule(name, priority, direction, '*', '*', '*', { access: 'Deny', protocol: '*', ...extra });

const errors = (result: ApimCheckResult) => result.findings.filter((f) => f.level === ApimRuleLevel.ERROR)
  .map((f) => (f.detail ? `${f.ruleId}[${f.detail}]` : f.ruleId)).sort();

const withVariables = (doc: Json, variables: Record<string, unknown>) => ApimNetworkRules.evaluateWith(doc, { variables });

describe('defect 1: an instance whose virtual_network_type is not known is still judged', () => {
  /** Everything wrong that does not depend on the mode, and the client flow that does. */
  function broken(): Json {
    const doc = network({
      apim: { virtual_network_type: '${var.vnet_type}' },
      subnet: { address_prefixes: ['10.0.1.0/30'], delegation: [{ name: 'd', service_delegation: { name: 'Microsoft.Web/serverFarms' } }] },
      rules: [deny('deny-in', 100, 'Inbound'), deny('deny-out', 100, 'Outbound'), ...documentedRules().map((r: Json) => ({ ...r, priority: r.priority + 100 }))],
    });
    doc.resource.azurerm_public_ip.apim.sku = 'Basic';
    doc.resource.azurerm_public_ip.apim.allocation_method = 'Dynamic';
    return doc;
  }

  test('delegation, size, the flows both modes need, shadowing and the public IP are judged; the mode-dependent rest is unknown', () => {
    const result = evaluate(broken());
    expect(result.inventory).toEqual({ apimInstances: 1, apimSubnets: 1, networkSecurityGroups: 1 });
    expect(errors(result)).toEqual(expect.arrayContaining([
      'APIM-SUBNET-DELEGATION', 'APIM-SUBNET-SIZE', 'APIM-PIP-SKU', 'APIM-PIP-ALLOCATION',
      'APIM-NSG-SHADOWED[Inbound:ApiManagement:3443]', 'APIM-NSG-SHADOWED[Inbound:AzureLoadBalancer:6390]', 'APIM-NSG-SHADOWED[Outbound:Internet:80]',
    ]));
    // The client flow is required in External mode only: its problem is unknown, naming the mode's expression.
    expect(findings(result, 'APIM-NSG-SHADOWED').map((f) => f.detail)).not.toContain('Inbound:Internet:443');
    expect(unknowns(result, 'APIM-NSG-SHADOWED').map((f) => f.message)).toEqual([
      expect.stringMatching(/^APIM-NSG-SHADOWED\[Inbound:Internet:443\] cannot decide at synth time: whether Inbound TCP 443 from Internet is required: .*var\.vnet_type.*if it is: no client can reach the gateway/),
    ]);
    expect(unknowns(result, 'APIM-VNET-CONFIG').map((f) => f.message)).toEqual([expect.stringMatching(/var\.vnet_type/)]);
  });

  test('sound: every error holds in both modes, and what differs between the modes is reported unknown', () => {
    const unknownMode = evaluate(broken());
    const internal = withVariables(broken(), { vnet_type: 'Internal' });
    const external = withVariables(broken(), { vnet_type: 'External' });
    for (const error of errors(unknownMode)) {
      expect(errors(internal)).toContain(error);
      expect(errors(external)).toContain(error);
    }
    const differing = [...errors(internal), ...errors(external)].filter((e) => !errors(unknownMode).includes(e));
    for (const error of differing) {
      const [, rule, detail] = /^([^[]+)(?:\[(.*)\])?$/.exec(error) as RegExpExecArray;
      expect(unknownMode.findings.filter((f) => f.ruleId === 'APIM-UNKNOWN' && f.detail === rule && (detail === undefined || f.message.startsWith(`${rule}[${detail}]`))))
        .not.toEqual([]);
    }
  });

  test('the size needed by either mode: a pass when the Internal need fits, unknown when only the External need fits', () => {
    // Two instances share a /28 (11 usable addresses): Premium_2 and Premium_3 take 10 in External mode, 12 in Internal.
    const shared = (a: string, b: string) => {
      const doc = network({ subnet: { address_prefixes: ['10.0.1.0/28'] } });
      const base = doc.resource.azurerm_api_management.apim;
      doc.resource.azurerm_api_management = {
        a: { ...base, name: 'a', sku_name: a, virtual_network_type: '${var.vnet_type}' },
        b: { ...base, name: 'b', sku_name: b, virtual_network_type: '${var.vnet_type}', public_ip_address_id: undefined },
      };
      return doc;
    };
    expect(passes(evaluate(shared('Premium_1', 'Premium_2')), 'APIM-SUBNET-SIZE')).toBe(true);
    const edge = shared('Premium_2', 'Premium_3');
    expect(findings(withVariables(edge, { vnet_type: 'Internal' }), 'APIM-SUBNET-SIZE')).toHaveLength(1);
    expect(findings(withVariables(edge, { vnet_type: 'External' }), 'APIM-SUBNET-SIZE')).toHaveLength(0);
    const result = evaluate(edge);
    expect(findings(result, 'APIM-SUBNET-SIZE')).toEqual([]);
    expect(unknowns(result, 'APIM-SUBNET-SIZE').map((f) => f.message)).toEqual([expect.stringMatching(
      /need 12, if the instance runs in Internal mode; virtual_network_type of azurerm_api_management\.a is the variable var\.vnet_type/)]);
    expect(errors(evaluate(shared('Premium_3', 'Premium_3')))).toContain('APIM-SUBNET-SIZE');
  });

  test('a flow only External mode needs passes when the NSG allows it anyway; the Internal-only warning is unknown', () => {
    const result = evaluate(network({ apim: { virtual_network_type: '${var.vnet_type}' } }));
    expect(findings(result, 'APIM-NSG-REQUIRED')).toEqual([]);
    expect(unknowns(result, 'APIM-NSG-REQUIRED')).toEqual([]);
    expect(unknowns(result, 'APIM-NSG-INTERNAL-PUBLIC').map((f) => f.message)).toEqual([expect.stringMatching(/matters only in Internal mode, and the mode is not known \(virtual_network_type of azurerm_api_management\.apim is the variable var\.vnet_type\)/)]);
    // Without the client rule, External mode would fail: unknown, never a pass.
    const noClient = evaluate(network({ apim: { virtual_network_type: '${var.vnet_type}' }, rules: documentedRules().filter((r: Json) => r.name !== 'client') }));
    expect(unknowns(noClient, 'APIM-NSG-REQUIRED').map((f) => f.message)).toEqual([
      expect.stringMatching(/^APIM-NSG-REQUIRED\[Inbound:Internet:443\] .*is required: the APIM mode \(External or Internal\) is not known: .*var\.vnet_type; if it is: no rule allows/),
    ]);
  });

  test('a Basic tier with an unknown mode: whether it is injected decides APIM-SKU-VNET, so it is unknown', () => {
    const result = evaluate(network({ apim: { virtual_network_type: '${var.vnet_type}', sku_name: 'Basic_1' } }));
    expect(findings(result, 'APIM-SKU-VNET')).toEqual([]);
    expect(unknowns(result, 'APIM-SKU-VNET')).toHaveLength(1);
  });

  /** Clients from Front Door only: the client rule does not cover Traffic Manager. */
  const frontDoorClients = () => documentedRules().map((r: Json) => (r.name === 'client' ? { ...r, source_address_prefix: 'AzureFrontDoor.Backend' } : r));

  test('dynamic "additional_location" over an unknown collection: known locations are judged, the rest is unknown per rule', () => {
    const doc = network({ rules: frontDoorClients() });
    doc.resource.azurerm_subnet.secondary = { name: 'snet-apim-neu', resource_group_name: 'rg-apim', virtual_network_name: '${azurerm_virtual_network.vnet.name}', address_prefixes: ['10.0.2.0/28'], delegation: { name: 'd', service_delegation: { name: 'Microsoft.Web/serverFarms' } } };
    doc.resource.azurerm_api_management.apim.additional_location = [{ location: 'northeurope', virtual_network_configuration: { subnet_id: '${azurerm_subnet.secondary.id}' } }];
    doc.resource.azurerm_api_management.apim.dynamic = { additional_location: { for_each: '${var.regions}', content: { location: '${additional_location.value}' } } };
    const result = evaluate(doc);
    // The static additional location is judged (its subnet is delegated).
    expect(findings(result, 'APIM-SUBNET-DELEGATION').map((f) => f.address)).toEqual(['azurerm_subnet.secondary']);
    // The locations the dynamic block may add: every rule that would check one says so.
    for (const rule of ['APIM-SUBNET-DELEGATION', 'APIM-SUBNET-NSG', 'APIM-PIP-SKU', 'APIM-LOCATION', 'APIM-LOCATION-UNIQUE', 'APIM-VNET-CONFIG']) {
      expect(unknowns(result, rule).map((f) => f.message)).toEqual(expect.arrayContaining([expect.stringMatching(/var\.regions/)]));
    }
    // Two locations are known: the instance is multi-region (the Traffic Manager flow is required).
    expect(findings(result, 'APIM-NSG-REQUIRED').map((f) => f.detail)).toContain('Inbound:AzureTrafficManager:443');
  });

  test('dynamic "additional_location" alone on a Developer instance: whether it is a Premium feature is unknown, not a pass', () => {
    const doc = network({ apim: { sku_name: 'Developer_1' }, rules: frontDoorClients() });
    doc.resource.azurerm_api_management.apim.dynamic = { additional_location: { for_each: '${var.regions}', content: { location: '${additional_location.value}' } } };
    const result = evaluate(doc);
    expect(passes(result, 'APIM-SKU-PREMIUM-FEATURE')).toBe(false);
    expect(unknowns(result, 'APIM-SKU-PREMIUM-FEATURE')).toHaveLength(1);
    // One location known and more maybe: whether the Traffic Manager flow is required is not known.
    expect(findings(result, 'APIM-NSG-REQUIRED')).toEqual([]);
    expect(unknowns(result, 'APIM-NSG-REQUIRED').map((f) => f.message)).toEqual(expect.arrayContaining([
      expect.stringMatching(/AzureTrafficManager:443\] .*whether the APIM instance has several locations is not known: .*var\.regions/),
    ]));
  });
});

describe('defect 2: two NSG associations on one subnet', () => {
  function twoAssociations(): Json {
    const doc = network();
    doc.resource.azurerm_network_security_group.lockdown = {
      name: 'nsg-lockdown', location: 'westeurope', resource_group_name: 'rg-apim', security_rule: [deny('deny-out', 100, 'Outbound')],
    };
    doc.resource.azurerm_subnet_network_security_group_association.lockdown = {
      subnet_id: '${azurerm_subnet.apim.id}', network_security_group_id: '${azurerm_network_security_group.lockdown.id}',
    };
    return doc;
  }

  test('an error of APIM-SUBNET-NSG naming both associations, and every associated NSG judged', () => {
    const result = evaluate(twoAssociations());
    expect(findings(result, 'APIM-SUBNET-NSG').map((f) => f.message)).toEqual([expect.stringMatching(
      /2 associations point at this subnet: azurerm_subnet_network_security_group_association\.apim \(azurerm_network_security_group\.nsg\), azurerm_subnet_network_security_group_association\.lockdown \(azurerm_network_security_group\.lockdown\); a subnet has one NSG, so Azure keeps one of them, depending on the order in which they are applied/)]);
    expect(findings(result, 'APIM-SUBNET-NSG')[0].level).toBe(ApimRuleLevel.ERROR);
    expect(result.inventory?.networkSecurityGroups).toBe(2);
    expect(findings(result, 'APIM-NSG-REQUIRED').map((f) => `${f.address} ${f.detail}`)).toEqual(expect.arrayContaining([
      'azurerm_network_security_group.lockdown Outbound:Internet:80', 'azurerm_network_security_group.lockdown Inbound:ApiManagement:3443',
    ]));
    expect(findings(result, 'APIM-NSG-REQUIRED').filter((f) => f.address === 'azurerm_network_security_group.nsg')).toEqual([]);
  });

  test('the same in list form, and with the associations in the other order', () => {
    const doc = twoAssociations();
    const reversed = { ...doc, resource: { ...doc.resource, azurerm_subnet_network_security_group_association: {
      lockdown: doc.resource.azurerm_subnet_network_security_group_association.lockdown, apim: doc.resource.azurerm_subnet_network_security_group_association.apim,
    } } };
    expect(ids(evaluate(reversed))).toEqual(ids(evaluate(doc)));
    expect(ids(evaluate(arrayForm(doc)))).toEqual(ids(evaluate(doc)));
  });

  test('one association, and another whose subnet is not known at synth time: whether there are two is unknown, not a pass', () => {
    const doc = twoAssociations();
    doc.resource.azurerm_subnet_network_security_group_association.lockdown.subnet_id = '${var.spoke_subnet_id}';
    const result = evaluate(doc);
    expect(unknowns(result, 'APIM-SUBNET-NSG').map((f) => f.message)).toEqual([
      expect.stringMatching(/azurerm_subnet_network_security_group_association\.lockdown points at .*var\.spoke_subnet_id/)]);
    // With the other association on a known subnet of its own, one association is one.
    doc.resource.azurerm_subnet.spoke = { name: 'snet-spoke', resource_group_name: 'rg-apim', virtual_network_name: 'vnet-apim', address_prefixes: ['10.0.9.0/24'] };
    doc.resource.azurerm_subnet_network_security_group_association.lockdown.subnet_id = '${azurerm_subnet.spoke.id}';
    expect(unknowns(evaluate(doc), 'APIM-SUBNET-NSG')).toEqual([]);
    expect(findings(evaluate(doc), 'APIM-SUBNET-NSG')).toEqual([]);
  });

  test('an association on a subnet read by a data source: another subnet when its literal name, network or group differs (second review, session 5)', () => {
    const withDataSubnet = (data: Json, extra: Json = {}) => {
      const doc = twoAssociations();
      doc.data = { azurerm_subnet: { spoke: { resource_group_name: 'rg-apim', virtual_network_name: 'vnet-weu', ...data } } };
      Object.assign(doc.resource.azurerm_subnet_network_security_group_association.lockdown, { subnet_id: '${data.azurerm_subnet.spoke.id}', ...extra });
      return evaluate(doc);
    };
    // A hub-and-spoke app: the spoke's subnet has another name, or lies in another network or group.
    for (const data of [{ name: 'snet-spoke' }, { name: 'snet-apim', virtual_network_name: 'vnet-spoke' }, { name: 'SNET-APIM', resource_group_name: 'rg-spoke' }]) {
      expect(unknowns(withDataSubnet(data), 'APIM-SUBNET-NSG')).toEqual([]);
    }
    // The same name, network and group (any case), a name from a variable, or a data source with a count: it may be the APIM subnet.
    for (const data of [{ name: 'SNET-APIM' }, { name: '${var.subnet_name}' }, { name: 'snet-spoke', count: '${var.n}' }]) {
      expect(unknowns(withDataSubnet(data), 'APIM-SUBNET-NSG').map((f) => f.message)).toEqual([expect.stringMatching(/lockdown points at/)]);
    }
    // An association that may not exist (an unknown count) on another known subnet is not this subnet's either.
    const doc = twoAssociations();
    doc.resource.azurerm_subnet.spoke = { name: 'snet-spoke', resource_group_name: 'rg-apim', virtual_network_name: 'vnet-weu', address_prefixes: ['10.0.9.0/24'] };
    Object.assign(doc.resource.azurerm_subnet_network_security_group_association.lockdown, { subnet_id: '${azurerm_subnet.spoke.id}', count: '${var.n}' });
    expect(unknowns(evaluate(doc), 'APIM-SUBNET-NSG')).toEqual([]);
  });
});

describe('defect 5: a subnet shared by several instances is judged for every user, in any declaration order', () => {
  function shared(first: 'internal' | 'external'): Json {
    const doc = network({ rules: documentedRules().filter((r: Json) => r.name !== 'client') });
    const base = doc.resource.azurerm_api_management.apim;
    const internal = { ...base, name: 'contoso-internal', virtual_network_type: 'Internal', public_ip_address_id: undefined };
    const external = { ...base, name: 'contoso-external', virtual_network_type: 'External' };
    doc.resource.azurerm_api_management = first === 'internal' ? { internal, external } : { external, internal };
    return doc;
  }

  test('the External user requires the client flow whichever instance comes first', () => {
    for (const order of ['internal', 'external'] as const) {
      const result = evaluate(shared(order));
      expect(findings(result, 'APIM-NSG-REQUIRED').map((f) => f.detail)).toEqual(['Inbound:Internet:443']);
      expect(findings(result, 'APIM-NSG-REQUIRED')[0].message).toMatch(/External and Internal mode; 2 APIM locations use the subnet/);
    }
    expect(ids(evaluate(shared('internal')))).toEqual(ids(evaluate(shared('external'))));
  });

  test('a multi-region user requires the Traffic Manager flow; each user\'s primary region counts for the regional tags', () => {
    const rules = documentedRules().filter((r: Json) => r.name !== 'storage').map((r: Json) => (r.name === 'client' ? { ...r, source_address_prefix: 'AzureFrontDoor.Backend' } : r));
    const doc = network({ rules: [...rules, nsgRule('storage', 100, 'Outbound', 'VirtualNetwork', 'Storage.WestEurope', '443')] });
    const base = doc.resource.azurerm_api_management.apim;
    doc.resource.azurerm_subnet.dr = { name: 'snet-dr', resource_group_name: 'rg-apim', virtual_network_name: 'vnet-neu', address_prefixes: ['10.1.1.0/27'] };
    const single = { ...base, name: 'contoso-single' };
    // Primary in North Europe, with its additional location on the shared West Europe subnet.
    const multi = { ...base, name: 'contoso-multi', location: 'northeurope', public_ip_address_id: undefined, virtual_network_configuration: { subnet_id: '${azurerm_subnet.dr.id}' },
      additional_location: [{ location: 'westeurope', virtual_network_configuration: { subnet_id: '${azurerm_subnet.apim.id}' } }] };
    const results = [{ single, multi }, { multi, single }].map((order) => {
      doc.resource.azurerm_api_management = order;
      return evaluate(doc);
    });
    for (const result of results) {
      const onShared = (rule: string) => findings(result, rule).filter((f) => f.address === 'azurerm_network_security_group.nsg');
      expect(onShared('APIM-NSG-REQUIRED').map((f) => f.detail)).toEqual(['Inbound:AzureTrafficManager:443']);
      // Storage.WestEurope does not cover the North Europe primary's Storage (only Azure's default rule does).
      expect(onShared('APIM-NSG-IMPLICIT').find((f) => f.detail === 'Outbound:Storage:443')?.message).toMatch(/\(Storage\.NorthEurope\) goes through Azure's default rule AllowInternetOutBound/);
    }
    expect(ids(results[0])).toEqual(ids(results[1]));
  });
});

describe('defect 6: lists at the resource, type, data, provider, output and locals levels are read whole', () => {
  test('a second element of resource.<type> adds its resources', () => {
    const doc = network();
    doc.resource.azurerm_network_security_rule = [
      { allow: { ...nsgRule('extra', 300, 'Outbound', 'VirtualNetwork', 'Internet', '8080'), resource_group_name: 'rg-apim', network_security_group_name: 'nsg-apim' } },
      { denyall: { ...deny('deny-all-out', 200, 'Outbound'), resource_group_name: 'rg-apim', network_security_group_name: 'nsg-apim' } },
    ];
    delete doc.resource.azurerm_network_security_group.nsg.security_rule;
    doc.resource.azurerm_network_security_group.nsg.security_rule = undefined;
    const result = evaluate(JSON.parse(JSON.stringify(doc)));
    expect(findings(result, 'APIM-NSG-REQUIRED').map((f) => f.detail)).toEqual(expect.arrayContaining(['Outbound:Internet:80']));
  });

  test('the network in the second element of resource: [...] is found', () => {
    const doc = network();
    const { azurerm_resource_group, azurerm_virtual_network, ...rest } = doc.resource;
    const split = { ...doc, resource: [{ azurerm_resource_group, azurerm_virtual_network }, rest] };
    expect(evaluate(split).inventory).toEqual({ apimInstances: 1, apimSubnets: 1, networkSecurityGroups: 1 });
    expect(ids(evaluate(split))).toEqual([]);
    split.resource[1].azurerm_subnet.apim.address_prefixes = ['10.0.1.0/30'];
    expect(errors(evaluate(split))).toContain('APIM-SUBNET-SIZE');
  });

  test('data, provider, output and locals as lists', () => {
    const doc = network();
    doc.locals = [{ other: 'x' }, { vnet_type: 'Internal' }];
    doc.resource.azurerm_api_management.apim.virtual_network_type = '${local.vnet_type}';
    doc.provider = [{ azurerm: { features: {} } }, { azurerm: [{ alias: 'hub', features: {}, subscription_id: '00000000-0000-0000-0000-000000000001' }] }];
    doc.resource.azurerm_public_ip.apim.provider = 'azurerm.hub';
    const result = evaluate(doc);
    // The local of the second locals block is read: Internal mode, so the client rule is a public inbound allow.
    expect(findings(result, 'APIM-NSG-INTERNAL-PUBLIC')).toHaveLength(1);
    // The aliased provider of the second provider element is read: it sets a subscription, the default one none (which
    // Terraform takes from ARM_SUBSCRIPTION_ID when it runs): not known at synth time.
    expect(result.findings.filter((f) => f.detail === 'APIM-SUBSCRIPTION').map((f) => f.message))
      .toEqual([expect.stringMatching(/provider azurerm\.hub sets subscription_id 00000000-0000-0000-0000-000000000001/)]);
    // Outputs of another stack's document as a list.
    const other = { output: [{ a: { value: 'x' } }, { 'cross-stack-output-pip': { value: '${azurerm_public_ip.p.id}' } }],
      resource: [{ azurerm_public_ip: [{ p: { name: 'p', location: 'westeurope', resource_group_name: 'rg-apim', sku: 'Basic', allocation_method: 'Static', domain_name_label: 'x' } }] }] };
    const crossStack = network();
    crossStack.resource.azurerm_api_management.apim.public_ip_address_id = '${data.terraform_remote_state.cross-stack-reference-input-net.outputs.cross-stack-output-pip}';
    delete crossStack.resource.azurerm_public_ip;
    const crossResult = ApimNetworkRules.evaluateWith(crossStack, { documents: { net: other } });
    expect(findings(crossResult, 'APIM-PIP-SKU').map((f) => f.address)).toEqual(['azurerm_public_ip.p']);
    // A data source in the second element of data: [...]: still a data source (unknown), never missing.
    const withData = network();
    withData.data = [{ azurerm_client_config: { current: {} } }, { azurerm_subnet: { apim: { name: 'snet', virtual_network_name: 'v', resource_group_name: 'rg' } } }];
    withData.resource.azurerm_api_management.apim.virtual_network_configuration.subnet_id = '${data.azurerm_subnet.apim.id}';
    expect(unknowns(evaluate(withData), 'APIM-SUBNET-SIZE')).toHaveLength(1);
  });
});

describe('defect 8: dynamic "security_rule" beside standalone rules', () => {
  function mixed(dynamic: Json): Json {
    const doc = network();
    delete doc.resource.azurerm_network_security_group.nsg.security_rule;
    doc.resource.azurerm_network_security_group.nsg.dynamic = { security_rule: dynamic };
    doc.resource.azurerm_network_security_rule = Object.fromEntries(documentedRules().map((r: Json) => [r.name, {
      ...r, resource_group_name: 'rg-apim', network_security_group_name: '${azurerm_network_security_group.nsg.name}',
    }]));
    return doc;
  }

  test('over a known empty collection: no block, so security_rule is not set and the standalone rules stand', () => {
    const result = evaluate(mixed({ for_each: [], content: { name: '${security_rule.value}' } }));
    expect(findings(result, 'APIM-NSG-MIXED')).toEqual([]);
    expect(unknowns(result, 'APIM-NSG-MIXED')).toEqual([]);
    expect(passes(result, 'APIM-NSG-MIXED')).toBe(true);
    expect(ids(result)).toEqual([]);
  });

  test('over an unknown collection: whether security_rule is set is unknown', () => {
    const result = evaluate(mixed({ for_each: '${var.extra_rules}', content: { name: '${security_rule.value.name}' } }));
    expect(findings(result, 'APIM-NSG-MIXED')).toEqual([]);
    expect(unknowns(result, 'APIM-NSG-MIXED').map((f) => f.message)).toEqual([expect.stringMatching(/var\.extra_rules/)]);
  });

  test('a literal security_rule = [] still purges the standalone rules: an error', () => {
    const doc = mixed({ for_each: [], content: {} });
    delete doc.resource.azurerm_network_security_group.nsg.dynamic;
    doc.resource.azurerm_network_security_group.nsg.security_rule = [];
    expect(findings(evaluate(doc), 'APIM-NSG-MIXED')).toHaveLength(1);
  });

  test('over a known collection with elements: inline rules beside standalone ones, an error', () => {
    const result = evaluate(mixed({ for_each: ['a'], content: deny('${security_rule.value}', 4000, 'Inbound') }));
    expect(findings(result, 'APIM-NSG-MIXED')).toHaveLength(1);
  });
});

describe('defect 10: a data-source subnet and an association naming the same reference', () => {
  function dataSubnet(): Json {
    const doc = network({ rules: [deny('deny-all-out', 100, 'Outbound'), ...documentedRules().map((r: Json) => ({ ...r, priority: r.priority + 100 }))] });
    delete doc.resource.azurerm_subnet;
    doc.data = { azurerm_subnet: { apim: { name: 'snet-apim', virtual_network_name: 'vnet-hub', resource_group_name: 'rg-net' } } };
    doc.resource.azurerm_api_management.apim.virtual_network_configuration.subnet_id = '${data.azurerm_subnet.apim.id}';
    doc.resource.azurerm_subnet_network_security_group_association.apim.subnet_id = '${data.azurerm_subnet.apim.id}';
    return doc;
  }

  test('the association\'s NSG is the APIM subnet\'s NSG: its rules are judged; the subnet\'s own attributes stay unknown', () => {
    const result = evaluate(dataSubnet());
    expect(result.inventory?.networkSecurityGroups).toBe(1);
    expect(findings(result, 'APIM-NSG-SHADOWED').map((f) => f.detail)).toEqual(expect.arrayContaining(['Outbound:Internet:80', 'Outbound:Storage:443']));
    expect(unknowns(result, 'APIM-NSG-REQUIRED')).toEqual([]);
    for (const rule of ['APIM-SUBNET-DELEGATION', 'APIM-SUBNET-SIZE', 'APIM-SUBNET-PREFIX']) {
      expect(unknowns(result, rule).map((f) => f.message)).toEqual([expect.stringMatching(/data\.azurerm_subnet\.apim\.id/)]);
    }
  });

  test('a different reference (another data source, or text around the same one) is not the same subnet', () => {
    const other = dataSubnet();
    other.data.azurerm_subnet.other = { name: 'snet-other', virtual_network_name: 'vnet-hub', resource_group_name: 'rg-net' };
    other.resource.azurerm_subnet_network_security_group_association.apim.subnet_id = '${data.azurerm_subnet.other.id}';
    expect(evaluate(other).inventory?.networkSecurityGroups).toBe(0);
    expect(unknowns(evaluate(other), 'APIM-NSG-REQUIRED')).not.toEqual([]);
    const templated = dataSubnet();
    templated.resource.azurerm_subnet_network_security_group_association.apim.subnet_id = '${data.azurerm_subnet.apim.id}/x';
    expect(evaluate(templated).inventory?.networkSecurityGroups).toBe(0);
  });

  test('two values indexed by one unknown (var.a[var.env], var.b[var.env]) are not the same subnet (outside review, session 4)', () => {
    const doc = dataSubnet();
    doc.resource.azurerm_api_management.apim.virtual_network_configuration.subnet_id = '${var.apim_subnets[var.env]}';
    doc.resource.azurerm_subnet_network_security_group_association.apim.subnet_id = '${var.other_subnets[var.env]}';
    const result = evaluate(doc);
    expect(result.inventory?.networkSecurityGroups).toBe(0);
    expect(unknowns(result, 'APIM-NSG-REQUIRED')).not.toEqual([]);
    // Nor is var.env itself the value it indexes.
    doc.resource.azurerm_subnet_network_security_group_association.apim.subnet_id = '${var.env}';
    expect(evaluate(doc).inventory?.networkSecurityGroups).toBe(0);
  });

  test('the same variable on both sides is the same subnet too', () => {
    const doc = dataSubnet();
    doc.resource.azurerm_api_management.apim.virtual_network_configuration.subnet_id = '${var.subnet_id}';
    doc.resource.azurerm_subnet_network_security_group_association.apim.subnet_id = '${var.subnet_id}';
    expect(findings(evaluate(doc), 'APIM-NSG-SHADOWED').map((f) => f.detail)).toContain('Outbound:Internet:80');
  });
});

describe('defect 16 (engine side): numbers Terraform converts from strings', () => {
  test.each(['1e2', '100.0', '+100', '1E2', '100.', '0100'])('priority "%s" is 100', (priority) => {
    const rules = documentedRules().map((r: Json) => (r.name === 'client' ? { ...r, priority } : r));
    rules.push(deny('deny-dup', 100, 'Inbound'));
    const result = evaluate(network({ rules }));
    // Read as 100: it collides with the deny at 100, and decides the flow before it.
    expect(findings(result, 'APIM-NSG-PRIORITY').map((f) => f.message)).toEqual([expect.stringMatching(/both have Inbound priority 100/)]);
    expect(unknowns(result, 'APIM-NSG-PRIORITY')).toEqual([]);
  });

  test.each([' 100', '1_000', '0x64', 'inf', '100 ', '1e', '--1'])('priority "%s" is not a number Terraform accepts: unknown, never guessed', (priority) => {
    const rules = documentedRules().map((r: Json) => (r.name === 'client' ? { ...r, priority } : r));
    expect(unknowns(evaluate(network({ rules })), 'APIM-NSG-PRIORITY').map((f) => f.message)).toEqual([expect.stringMatching(/"client"/)]);
  });

  test('priority "100.5" converts to a number that is not a whole number: outside the range, an error', () => {
    const rules = documentedRules().map((r: Json) => (r.name === 'client' ? { ...r, priority: '100.5' } : r));
    expect(findings(evaluate(network({ rules })), 'APIM-NSG-PRIORITY').map((f) => f.message)).toEqual([expect.stringMatching(/priority 100\.5/)]);
  });

  test('count = "1" and "1e0" make one instance', () => {
    for (const count of ['1', '1e0']) {
      const doc = network();
      doc.resource.azurerm_public_ip.apim.count = count;
      doc.resource.azurerm_public_ip.apim.sku = 'Basic';
      doc.resource.azurerm_api_management.apim.public_ip_address_id = '${azurerm_public_ip.apim[0].id}';
      expect(findings(evaluate(doc), 'APIM-PIP-SKU').map((f) => f.address)).toEqual(['azurerm_public_ip.apim[0]']);
    }
  });
});

describe('defect 18: invisible characters of user input are shown in findings and reports, never passed on', () => {
  const INVISIBLE = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\uFEFF'];
  const sneaky = `allow${INVISIBLE.join('')}-mgmt`;

  test('a rule name with bidi controls: finding messages, texts and the Markdown report show them as <U+XXXX>', () => {
    const rules = documentedRules().map((r: Json) => (r.name === 'management' ? { ...r, name: sneaky, destination_port_range: '3433' } : r));
    const result = ApimNetworkRules.evaluateWith(network({ rules }), {
      suppressions: [{ ruleId: 'APIM-NSG-IMPLICIT', reason: `accepted\u202Efor now, see ticket`, constructPath: 'azurerm_network_security_group.nsg' }],
    });
    const quoting = result.findings.filter((f) => f.message.includes('-mgmt'));
    expect(quoting.length).toBeGreaterThan(0);
    for (const f of result.findings) {
      for (const c of INVISIBLE) {
        expect(f.message).not.toContain(c);
        expect(f.text).not.toContain(c);
      }
    }
    expect(quoting[0].message).toContain('allow<U+202A><U+202B><U+202C><U+202D><U+202E><U+2066><U+2067><U+2068><U+2069><U+200B><U+200C><U+200D><U+200E><U+200F><U+FEFF>-mgmt');
    const markdown = markdownReport(result, 'stack\u202Eevil');
    for (const c of INVISIBLE) {
      expect(markdown).not.toContain(c);
    }
    expect(markdown).toContain('&lt;U\\+202E&gt;');
    expect(markdown).toContain('stack&lt;U\\+202E&gt;evil');
  });

  test('escapeMarkdown shows every format character, and keeps visible text as it was', () => {
    expect(escapeMarkdown('a\u202Eb\u2067c\u00ADd')).toBe('a&lt;U\\+202E&gt;b&lt;U\\+2067&gt;c&lt;U\\+00AD&gt;d');
    expect(escapeMarkdown('Zürich 東京 مرحبا')).toBe('Zürich 東京 مرحبا');
  });
});

describe('defect 12: whatever a caller passes, only ApimNetworkError escapes, naming the argument', () => {
  const throwing = () => new Proxy({}, {
    get: () => {
      throw new Error('boom from a trap');
    },
    ownKeys: () => {
      throw new Error('boom from a trap');
    },
    getPrototypeOf: () => {
      throw new Error('boom from a trap');
    },
  });
  const getter = (key: string) => Object.defineProperty({}, key, {
    enumerable: true,
    get: () => {
      throw new TypeError('boom from a getter');
    },
  });
  const suppression = { ruleId: 'APIM-NSG-REQUIRED', reason: 'a reason long enough', constructPath: 'x' };
  const cyclic: Json = { resource: {} };
  cyclic.resource.self = cyclic;

  test.each<[string, () => unknown, RegExp]>([
    ['alsoCovers 5', () => ApimNetworkRules.evaluateWith(network(), { suppressions: [{ ...suppression, alsoCovers: 5 as any }] }), /options\.suppressions\[0\]\.alsoCovers 5: it is not a list of strings/],
    ['alsoCovers a string', () => ApimNetworkRules.evaluateWith(network(), { suppressions: [{ ...suppression, alsoCovers: 'abc' as any }] }), /alsoCovers "abc": it is not a list of strings/],
    ['a suppression with an unknown rule id', () => ApimNetworkRules.evaluate(network(), [{ ...suppression, ruleId: 'APIM-TYPO' }]), /\[INVALID_SUPPRESSION\].*suppressions\[0\]\.ruleId "APIM-TYPO"/],
    ['a suppression with a blank reason', () => ApimNetworkRules.evaluate(network(), [{ ...suppression, reason: '\u200B'.repeat(20) }]), /suppressions\[0\]\.reason .*at least 10 visible characters/],
    ['a suppression whose constructPath is a number', () => ApimNetworkRules.evaluate(network(), [{ ...suppression, constructPath: 5 as any }]), /suppressions\[0\]\.constructPath 5: it is not a string/],
    ['a Proxy document', () => ApimNetworkRules.evaluate(throwing()), /document "\(not readable\)": reading it threw: boom from a trap/],
    ['a document with a throwing getter', () => ApimNetworkRules.evaluate(getter('resource')), /document "\(not readable\)": reading it threw: boom from a getter/],
    ['a Proxy list of suppressions', () => ApimNetworkRules.evaluate(network(), new Proxy([suppression], { get: () => { throw new Error('trap'); } }) as any), /suppressions "\(not readable\)": reading it threw: trap/],
    ['options with a throwing getter', () => ApimNetworkRules.evaluateWith(network(), getter('strict') as any), /options "\(not readable\)": reading it threw: boom from a getter/],
    ['a Proxy as options', () => ApimNetworkRules.evaluateWith(network(), throwing() as any), /options "\(not readable\)"/],
    ['documents whose value throws', () => ApimNetworkRules.evaluateWith(network(), { documents: getter('net') as any }), /options\.documents "\(not readable\)"/],
    ['variables as a Proxy', () => ApimNetworkRules.evaluateWith(network(), { variables: throwing() as any }), /options\.variables "\(not readable\)"/],
    ['resource: 5', () => ApimNetworkRules.evaluate({ resource: 5 }), /document\.resource 5: it is not a resource section/],
    ['resource: [1]', () => ApimNetworkRules.evaluate({ resource: [1] }), /document\.resource \[1\]: it is not a resource section/],
    ['a resource type that is a string', () => ApimNetworkRules.evaluate({ resource: { azurerm_subnet: 'apim' } }), /document\.resource\.azurerm_subnet "apim": it is not a map of names to blocks/],
    ['a resource body that is a number', () => ApimNetworkRules.evaluate({ resource: [{ azurerm_subnet: { apim: 5 } }] }), /document\.resource\[0\]\.azurerm_subnet\.apim 5: it is not a block/],
    ['provider: "azurerm"', () => ApimNetworkRules.evaluate({ provider: 'azurerm' }), /document\.provider "azurerm": it is not a provider section/],
    ['an output that is a string', () => ApimNetworkRules.evaluate({ output: { id: 'x' } }), /document\.output\.id "x": it is not a block/],
    ['locals: 5', () => ApimNetworkRules.evaluate({ locals: 5 }), /document\.locals 5: it is not a locals section/],
    ['a cyclic document', () => ApimNetworkRules.evaluate(cyclic), /document\.resource\.self "\(cycle\)": it refers to itself/],
    ['a function inside', () => ApimNetworkRules.evaluate({ resource: { azurerm_subnet: { apim: { name: () => 'x' } } } }), /document\.resource\.azurerm_subnet\.apim\.name "function": a function is not JSON/],
    ['NaN inside', () => ApimNetworkRules.evaluate({ locals: { n: NaN } }), /document\.locals\.n NaN: it is not a finite number/],
    ['a Date inside', () => ApimNetworkRules.evaluate({ locals: { d: new Date(0) } }), /document\.locals\.d "\(Date\)": it is not a plain object/],
    ['another stack\'s document that is junk', () => ApimNetworkRules.evaluateWith(network(), { documents: { net: { resource: 5 } } }), /options\.documents\.net\.resource 5/],
  ])('%s', (_name, call, message) => {
    const error = thrown(call);
    expect((error as Error).name).toBe('ApimNetworkError');
    expect((error as Error).message).toMatch(message);
  });

  test.each<[string, Json]>([
    ['{}', {}],
    ['resource: []', { resource: [] }],
    ['resource: [{}]', { resource: [{}] }],
    ['a resource type as an empty list', { resource: { azurerm_subnet: [] } }],
    ['comments, terraform, variable, module and sections this library does not read', {
      '//': { metadata: { version: '0.21.0' } }, terraform: { required_providers: { azurerm: { source: 'hashicorp/azurerm' } } },
      variable: { x: {} }, module: { m: [{ source: './m' }] }, moved: [{ from: 'a', to: 'b' }], check: { c: {} },
    }],
    ['the compliant network, and in list form', network()],
    ['the compliant network in list form', arrayForm(network())],
  ])('accepted: %s', (_name, doc) => {
    expect(ids(evaluate(doc))).toEqual([]);
  });

  test('the document is read once, key by key: the engine works on its own copy', () => {
    const reads = new Map<PropertyKey, number>();
    const doc = network();
    const counting = new Proxy(doc, { get: (target, key) => {
      reads.set(key, (reads.get(key) ?? 0) + 1);
      return Reflect.get(target, key);
    } });
    expect(ids(evaluate(counting))).toEqual([]);
    expect([...reads.values()].every((n) => n === 1)).toBe(true);
    expect([...reads.keys()].sort()).toEqual(Object.keys(doc).sort());
  });
});

describe('defects 1 and 5 in the routing and DNS rules: an unknown or mixed mode is judged, never skipped', () => {
  /** The compliant network, force-tunnelled to a firewall with the ApiManagement route but no client route. */
  function tunnelled(apim: Json = {}): Json {
    const doc = network({ apim });
    doc.resource.azurerm_route_table = { rt: { name: 'rt', location: 'westeurope', resource_group_name: 'rg-apim', route: [
      { name: 'default', address_prefix: '0.0.0.0/0', next_hop_type: 'VirtualAppliance', next_hop_in_ip_address: '10.0.0.4' },
      { name: 'management', address_prefix: 'ApiManagement', next_hop_type: 'Internet' },
    ] } };
    doc.resource.azurerm_subnet_route_table_association = { apim: { subnet_id: '${azurerm_subnet.apim.id}', route_table_id: '${azurerm_route_table.rt.id}' } };
    doc.resource.azurerm_subnet.apim.service_endpoints = ['Microsoft.Storage', 'Microsoft.Sql', 'Microsoft.EventHub', 'Microsoft.KeyVault'];
    return doc;
  }

  test('APIM-ROUTE-CLIENTS: External warns; an unknown mode is unknown naming it; Internal is silent', () => {
    expect(findings(evaluate(tunnelled()), 'APIM-ROUTE-CLIENTS')).toHaveLength(1);
    const unknownMode = evaluate(tunnelled({ virtual_network_type: '${var.vnet_type}' }));
    expect(findings(unknownMode, 'APIM-ROUTE-CLIENTS')).toEqual([]);
    expect(unknowns(unknownMode, 'APIM-ROUTE-CLIENTS').map((f) => f.message)).toEqual([
      expect.stringMatching(/whether the instance runs in External mode: virtual_network_type of azurerm_api_management\.apim is the variable var\.vnet_type; if it is: /),
    ]);
    const internal = evaluate(tunnelled({ virtual_network_type: 'Internal' }));
    expect([...findings(internal, 'APIM-ROUTE-CLIENTS'), ...unknowns(internal, 'APIM-ROUTE-CLIENTS')]).toEqual([]);
  });

  test('APIM-ROUTE-CLIENTS on a subnet an Internal and an External instance share: the External one counts, in either order', () => {
    for (const internalFirst of [true, false]) {
      const doc = tunnelled();
      const base = doc.resource.azurerm_api_management.apim;
      const internal = { ...base, name: 'contoso-internal', virtual_network_type: 'Internal', public_ip_address_id: undefined };
      doc.resource.azurerm_api_management = internalFirst ? { internal, apim: base } : { apim: base, internal };
      expect(findings(evaluate(doc), 'APIM-ROUTE-CLIENTS')).toHaveLength(1);
    }
  });

  test('APIM-DNS-INTERNAL: an instance whose mode is not known and that has no DNS is unknown, never skipped', () => {
    const result = evaluate(network({ apim: { virtual_network_type: '${var.vnet_type}' } }));
    expect(findings(result, 'APIM-DNS-INTERNAL')).toEqual([]);
    expect(unknowns(result, 'APIM-DNS-INTERNAL').map((f) => f.message)).toEqual([
      expect.stringMatching(/whether azurerm_api_management\.apim runs in Internal mode: .*var\.vnet_type; if it is: /),
    ]);
  });
});

describe('source ports: the connections APIM needs come from ports 1024-65535 (outside review, session 5)', () => {
  const withRules = (change: (rules: Json[]) => Json[]) => evaluate(network({ rules: change(documentedRules()) }));
  const only = (name: string, sourcePorts: string) => (rules: Json[]) => rules.map((r) => (r.name === name ? { ...r, source_port_range: sourcePorts } : r));

  test.each(['443', '0', '80-1023'])('a client allow from source ports %s lets no client in: APIM-NSG-REQUIRED (it passed)', (ports) => {
    const result = withRules(only('client', ports));
    expect(findings(result, 'APIM-NSG-REQUIRED').map((f) => `${f.level} ${f.detail}`)).toEqual(['error Inbound:Internet:443']);
  });

  test('a management allow from source port 443 lets no control-plane connection in: an error, not "part of the flow"', () => {
    const result = withRules(only('management', '443'));
    expect(findings(result, 'APIM-NSG-REQUIRED').map((f) => `${f.level} ${f.detail}`)).toEqual(['error Inbound:ApiManagement:3443']);
  });

  test('an allow that matches a required rule but for its source ports is named as a near miss (third review, session 5)', () => {
    const result = withRules(only('management', '443'));
    expect(findings(result, 'APIM-NSG-NEARMISS').map((f) => `${f.level} ${f.detail} ${f.message}`)).toEqual([
      expect.stringMatching(/^warning management:sourcePort rule "management" looks like the APIM rule management .* but has source ports 443, where a connection comes from whichever port of 1024-65535 its system picks \(use "\*"\)$/)]);
    // Two rules that together allow every connection, and the documented rules, are no near miss.
    const split = withRules((rules) => [...rules.map((r) => (r.name === 'management' ? { ...r, source_port_range: '1024-30000' } : r)),
      { ...rules.find((r) => r.name === 'management'), name: 'management-2', priority: 111, source_port_range: '30001-65535' }]);
    expect(findings(split, 'APIM-NSG-NEARMISS')).toEqual([]);
    expect(findings(withRules((rules) => rules), 'APIM-NSG-NEARMISS')).toEqual([]);
    // An outbound allow of some source ports only: the same hint.
    expect(findings(withRules(only('storage', '1024-2000')), 'APIM-NSG-NEARMISS').map((f) => f.detail)).toEqual(['storage:sourcePort']);
  });

  test('a deny of source ports 1-65535 ahead of the allows is a deny of every connection, as "*" is', () => {
    for (const ports of ['*', '1-65535', '1024-65535']) {
      const management = withRules((rules) => [deny('deny-3443', 105, 'Inbound', { source_port_range: ports, destination_port_range: '3443' }), ...rules]);
      expect(findings(management, 'APIM-NSG-SHADOWED').map((f) => `${f.level} ${f.detail}`)).toEqual(['error Inbound:ApiManagement:3443']);
      const clients = withRules((rules) => [deny('deny-clients', 99, 'Inbound', { source_port_range: ports, source_address_prefix: 'Internet', destination_port_range: '443' }), ...rules]);
      expect(findings(clients, 'APIM-NSG-SHADOWED').map((f) => f.message)).toEqual([expect.stringMatching(/no client can reach the gateway/)]);
    }
  });

  test('allows of some of 1024-65535 only let no connection in for sure: errors (second review, session 5)', () => {
    for (const ports of ['65535', '1024', '1024-65534']) {
      expect(findings(withRules(only('client', ports)), 'APIM-NSG-REQUIRED').map((f) => `${f.level} ${f.detail} ${f.message}`)).toEqual([
        expect.stringMatching(/^error Inbound:Internet:443 the rule "client" \(priority 100\) allows only some source ports/)]);
      expect(findings(withRules(only('management', ports)), 'APIM-NSG-REQUIRED').map((f) => `${f.level} ${f.detail}`)).toEqual(['error Inbound:ApiManagement:3443']);
    }
    // Two rules that together allow every source port are one allow of every connection.
    const split = withRules((rules) => [...rules.map((r) => (r.name === 'management' ? { ...r, source_port_range: '1024-30000' } : r)),
      { ...rules.find((r) => r.name === 'management'), name: 'management-2', priority: 111, source_port_range: '30001-65535' }]);
    expect(findings(split, 'APIM-NSG-REQUIRED')).toEqual([]);
  });

  test('a client allow of some source ports beside a client rule not known at synth time is unknown, not an error (third review)', () => {
    const result = withRules((rules) => [...only('client', '1024-30000')(rules),
      nsgRule('client-var', 101, 'Inbound', '${var.clients}', 'VirtualNetwork', '443')]);
    expect(findings(result, 'APIM-NSG-REQUIRED')).toEqual([]);
    expect(unknowns(result, 'APIM-NSG-REQUIRED').map((f) => f.message)).toEqual([expect.stringMatching(/Inbound:Internet:443/)]);
  });

  test('a tag on some source ports and a CIDR on the others may cover them all where Azure puts the tag: a warning, not an error (third review)', () => {
    const result = withRules((rules) => [...rules.filter((r) => r.name !== 'client'),
      nsgRule('c1', 100, 'Inbound', 'AzureFrontDoor.Backend', 'VirtualNetwork', '443', { source_port_range: '1024-30000' }),
      nsgRule('c2', 101, 'Inbound', '13.0.0.0/8', 'VirtualNetwork', '443', { source_port_range: '30001-65535' })]);
    expect(findings(result, 'APIM-NSG-REQUIRED').map((f) => f.level)).toEqual(['warning']);
  });

  test('a deny of all but one source port ahead of the allows blocks them: an error for 3443, "no client" for the clients', () => {
    const management = withRules((rules) => [deny('deny-3443', 105, 'Inbound', { source_port_range: '1024-65534', destination_port_range: '3443' }), ...rules]);
    expect(findings(management, 'APIM-NSG-SHADOWED').map((f) => `${f.level} ${f.detail} ${f.message}`)).toEqual([
      expect.stringMatching(/^error Inbound:ApiManagement:3443 .*from some source ports, and a connection comes from whichever port of 1024-65535 its system picks/)]);
    const clients = withRules((rules) => [deny('deny-clients', 99, 'Inbound', { source_port_range: '1024-65534', source_address_prefix: 'Internet', destination_port_range: '443' }), ...rules]);
    expect(findings(clients, 'APIM-NSG-SHADOWED').map((f) => f.message)).toEqual([expect.stringMatching(/no client can reach the gateway/)]);
  });

  test('an allow of source ports 1024-65535 is an allow of every connection: no finding', () => {
    const result = withRules((rules) => rules.map((r) => ({ ...r, source_port_range: '1024-65535' })));
    expect(errors(result)).toEqual([]);
    expect(findings(result, 'APIM-NSG-REQUIRED')).toEqual([]);
    // A deny of the privileged ports only (no connection comes from them) blocks nothing APIM needs.
    const privileged = withRules((rules) => [deny('deny-low', 105, 'Inbound', { source_port_range: '0-1023', destination_port_range: '3443' }), ...rules]);
    expect(findings(privileged, 'APIM-NSG-SHADOWED')).toEqual([]);
  });
});

describe('protocols without ports (outside review, session 5)', () => {
  test.each(['Icmp', 'Esp', 'Ah'])('an allow of %s from Internet on "*" exposes no port: no APIM-NSG-EXPOSED (it was "all ports")', (protocol) => {
    const result = evaluate(network({ rules: [...documentedRules(), nsgRule('allow-ping', 300, 'Inbound', 'Internet', 'VirtualNetwork', '*', { protocol })] }));
    expect(findings(result, 'APIM-NSG-EXPOSED')).toEqual([]);
  });

  test('TCP, UDP and "*" on every port from Internet still are', () => {
    for (const protocol of ['Tcp', 'Udp', '*']) {
      const result = evaluate(network({ rules: [...documentedRules(), nsgRule('open', 300, 'Inbound', 'Internet', 'VirtualNetwork', '*', { protocol })] }));
      expect(findings(result, 'APIM-NSG-EXPOSED').map((f) => f.message)).toEqual(expect.arrayContaining([expect.stringMatching(/rule "open" allows inbound from Internet to all ports/)]));
    }
  });
});

describe('lifecycle.ignore_changes: what Azure holds is not the configuration (outside review, session 5)', () => {
  // (`["${security_rule}"]`, as @cdktf/hcl2json writes the HCL traversal, is read as an expression: unknown too.)
  test.each([[['security_rule']], [['Security_Rule']], ['all'], ['ALL'], [['all']], [['${security_rule}']]])('an NSG ignoring changes to its rules (%j): its rules are unknown, never judged', (ignore) => {
    const doc = network({ nsg: { lifecycle: { ignore_changes: ignore } } });
    const result = evaluate(doc);
    expect(passes(result, 'APIM-NSG-REQUIRED')).toBe(false);
    expect(unknowns(result, 'APIM-NSG-REQUIRED').map((f) => f.message)).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp('what Azure holds in azurerm_network_security_group\\.nsg\\.security_rule: ' + (JSON.stringify(ignore).toLowerCase().includes('all')
        ? 'lifecycle\\.ignore_changes = all keeps' : '(lifecycle\\.ignore_changes = \\[security_rule\\] keeps|its lifecycle\\.ignore_changes is the expression "security_rule")')))]));
    // A deny the configuration holds is not an error either: Azure may hold other rules.
    const denied = network({ rules: [deny('deny-all-in', 100, 'Inbound'), ...documentedRules()], nsg: { lifecycle: { ignore_changes: ignore } } });
    expect(errors(evaluate(denied))).toEqual([]);
  });

  test('ignoring other attributes (tags) changes nothing; a lifecycle from a variable is unknown', () => {
    expect(ids(evaluate(network({ nsg: { lifecycle: { ignore_changes: ['tags'], prevent_destroy: true } } })))).toEqual(ids(evaluate(network())));
    const result = evaluate(network({ nsg: { lifecycle: { ignore_changes: '${var.ignored}' } } }));
    expect(unknowns(result, 'APIM-NSG-REQUIRED').map((f) => f.message)).toEqual(expect.arrayContaining([expect.stringMatching(/lifecycle\.ignore_changes is the variable var\.ignored/)]));
  });

  test('a subnet ignoring changes to its delegation: APIM-SUBNET-DELEGATION is unknown', () => {
    const result = evaluate(network({ subnet: { lifecycle: { ignore_changes: ['delegation'] } } }));
    expect(passes(result, 'APIM-SUBNET-DELEGATION')).toBe(false);
    expect(unknowns(result, 'APIM-SUBNET-DELEGATION').map((f) => f.message)).toEqual([expect.stringMatching(/azurerm_subnet\.apim\.delegation: lifecycle\.ignore_changes = \[delegation\]/)]);
  });
});

describe('subnet overlaps, edge cases (outside review, session 5)', () => {
  const sibling = (extra: Json) => ({ name: 'snet-other', resource_group_name: 'rg-apim', virtual_network_name: '${azurerm_virtual_network.vnet.name}', ...extra });
  const overlap = (result: ApimCheckResult) => result.outcomes.filter((o) => o.ruleId === 'APIM-SUBNET-PREFIX' && o.detail === 'overlap').map((o) => o.outcome);
  const withSibling = (extra: Json) => {
    const doc = network();
    doc.resource.azurerm_subnet.other = sibling(extra);
    return evaluate(doc);
  };

  test('an overlapping subnet that may not exist (count from a variable) is unknown, not an error', () => {
    const result = withSibling({ count: '${var.n}', address_prefixes: ['10.0.1.0/28'] });
    expect(findings(result, 'APIM-SUBNET-PREFIX')).toEqual([]);
    expect(unknowns(result, 'APIM-SUBNET-PREFIX').map((f) => f.message)).toEqual([expect.stringMatching(/whether azurerm_subnet\.other\[\*\] \(10\.0\.1\.0\/28\) exists: the count of azurerm_subnet\.other .*var\.n/)]);
    expect(findings(withSibling({ count: 1, address_prefixes: ['10.0.1.0/28'] }), 'APIM-SUBNET-PREFIX').map((f) => f.level)).toEqual(['error']);
  });

  test('a subnet whose prefixes an IP address pool gives is unknown, not "no overlap"', () => {
    const result = withSibling({ ip_address_pool: [{ id: '${var.pool_id}', number_of_ip_addresses: '256' }] });
    expect(overlap(result)).toEqual(['unknown']);
    expect(unknowns(result, 'APIM-SUBNET-PREFIX').map((f) => f.message)).toEqual([expect.stringMatching(/the prefixes of azurerm_subnet\.other, which Azure gives at apply time/)]);
  });

  test('an inline subnet block of the virtual network that overlaps is an error; one that does not is not', () => {
    const doc = network();
    doc.resource.azurerm_virtual_network.vnet.subnet = [{ name: 'snet-legacy', address_prefixes: ['10.0.1.16/28'] }];
    expect(findings(evaluate(doc), 'APIM-SUBNET-PREFIX').map((f) => f.message)).toEqual([
      expect.stringMatching(/10\.0\.1\.0\/27 overlaps the inline subnet "snet-legacy" of azurerm_virtual_network\.vnet \(10\.0\.1\.16\/28\)/)]);
    doc.resource.azurerm_virtual_network.vnet.subnet = [{ name: 'snet-legacy', address_prefixes: ['10.0.9.0/24'] }];
    expect(overlap(evaluate(doc))).toEqual(['pass']);
  });

  test('a plan of a network that exists lists the APIM subnet and its siblings among the network\'s subnets: not overlaps (second review, session 5)', () => {
    const doc = network();
    doc.resource.azurerm_subnet.other = sibling({ address_prefixes: ['10.0.2.0/24'] });
    // As the provider reads an existing network back: every subnet Azure holds, the resources' own included.
    doc.resource.azurerm_virtual_network.vnet.subnet = [
      { name: 'SNET-APIM', address_prefixes: ['10.0.1.0/27'] }, { name: 'snet-other', address_prefixes: ['10.0.2.0/24'] },
    ];
    expect(overlap(evaluate(doc))).toEqual(['pass']);
    expect(findings(evaluate(doc), 'APIM-SUBNET-PREFIX')).toEqual([]);
  });

  test('an inline subnet block named like the APIM subnet but with other prefixes is another subnet: its overlap is an error (third review)', () => {
    const doc = network();
    doc.resource.azurerm_virtual_network.vnet.subnet = [{ name: 'snet-apim', address_prefixes: ['10.0.1.16/28'] }];
    expect(findings(evaluate(doc), 'APIM-SUBNET-PREFIX').map((f) => f.detail)).toEqual(['overlap']);
  });

  test('two overlapping prefixes of the APIM subnet itself are an error', () => {
    const result = evaluate(network({ subnet: { address_prefixes: ['10.0.1.0/27', '10.0.1.0/29'] } }));
    expect(findings(result, 'APIM-SUBNET-PREFIX').map((f) => f.message)).toEqual([expect.stringMatching(/overlaps its own prefix 10\.0\.1\.0\/27 \(10\.0\.1\.0\/29\)/)]);
  });
});

describe('why a rule is not known, in the message (outside review, session 5)', () => {
  test('an application security group: its members are not in the configuration', () => {
    const rules = [deny('deny-asg', 105, 'Inbound', { source_address_prefix: undefined, source_application_security_group_ids: ['${azurerm_application_security_group.x.id}'], destination_port_range: '3443' }), ...documentedRules()];
    const messages = unknowns(evaluate(network({ rules })), 'APIM-NSG-SHADOWED').map((f) => f.message);
    expect(messages).toEqual([expect.stringMatching(/whether "deny-asg" blocks Inbound TCP 3443 .*: the members of an application security group, which are not in the configuration/)]);
  });

  test('a variable: named', () => {
    const rules = [deny('deny-var', 105, 'Inbound', { destination_port_range: '${var.blocked_port}' }), ...documentedRules()];
    const messages = unknowns(evaluate(network({ rules })), 'APIM-NSG-SHADOWED').map((f) => f.message);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => /: the variable var\.blocked_port/.test(m))).toBe(true);
  });
});
