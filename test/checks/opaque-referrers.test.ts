/**
 * Module blocks the checks do not read, and azapi resources, that get a network resource of the APIM network (outside
 * review, session 6, findings 2 and 3): each rule that depends on what points at that resource is APIM-UNKNOWN, naming
 * the module or azapi resource and the input; never a pass. One given nothing of the APIM network adds nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformHclModule, TerraformResource, TerraformStack, Testing } from 'cdktf';
import { Json, documentedRules, evaluate, ids, network, unknowns } from './raw-json';
import { ApimNetworkChecks, ApimNetworkRules, ApimVirtualNetworkType, MultiRegionApimNetwork } from '../../lib';

const SUBNET_RULES = ['APIM-ROUTE-CLIENTS', 'APIM-ROUTE-ENDPOINTS', 'APIM-ROUTE-MANAGEMENT', 'APIM-SUBNET-DELEGATION', 'APIM-SUBNET-NSG'];
const NSG_RULES = ['APIM-NSG-EXPOSED', 'APIM-NSG-IMPLICIT', 'APIM-NSG-MIXED', 'APIM-NSG-NEARMISS', 'APIM-NSG-PRIORITY', 'APIM-NSG-REGIONAL-TAG',
  'APIM-NSG-REQUIRED', 'APIM-NSG-SHADOWED', 'APIM-NSG-TAG-IN-LIST'];
const ROUTE_RULES = ['APIM-ROUTE-CLIENTS', 'APIM-ROUTE-ENDPOINTS', 'APIM-ROUTE-MANAGEMENT', 'APIM-ROUTE-MIXED'];
const unknownIds = (rules: string[]) => rules.map((id) => `APIM-UNKNOWN[${id}]`).sort();
const SUBNET_ID = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-apim/providers/Microsoft.Network/virtualNetworks/vnet-weu/subnets/snet-apim';
const NSG_ID = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/RG-APIM/providers/Microsoft.Network/networkSecurityGroups/nsg-apim';

/** The compliant network, with a route table on the APIM subnet (ApiManagement -> Internet only), and more resources or sections. */
function withExtra(extra: { resource?: Json; module?: Json; locals?: Json; data?: Json } = {}): Json {
  const doc = network();
  doc.resource.azurerm_route_table = { rt: { name: 'rt-apim', location: 'westeurope', resource_group_name: 'rg-apim',
    route: [{ name: 'apim', address_prefix: 'ApiManagement', next_hop_type: 'Internet' }] } };
  doc.resource.azurerm_subnet_route_table_association = { apim: { subnet_id: '${azurerm_subnet.apim.id}', route_table_id: '${azurerm_route_table.rt.id}' } };
  Object.assign(doc.resource, extra.resource ?? {});
  if (extra.module) {
    doc.module = extra.module;
  }
  if (extra.locals) {
    doc.locals = extra.locals;
  }
  if (extra.data) {
    doc.data = extra.data;
  }
  return doc;
}

/** A module block from a registry (the checks never read one) with inputs. */
const mod = (inputs: Json) => ({ source: 'app.terraform.io/contoso/hub/azurerm', version: '1.0.0', ...inputs });

describe('the compliant network these cases start from', () => {
  test('has no finding', () => {
    expect(ids(evaluate(withExtra()))).toEqual([]);
  });
});

describe('module blocks (raw Terraform JSON)', () => {
  test('a module given the subnet ID: every rule on what points at the subnet is unknown, naming the module, the input and the fix', () => {
    const result = evaluate(withExtra({ module: { udr: mod({ subnet_id: '${azurerm_subnet.apim.id}' }) } }));
    expect(ids(result)).toEqual(unknownIds(SUBNET_RULES));
    const [finding] = unknowns(result, 'APIM-SUBNET-NSG');
    expect(finding.message).toMatch(/module\.udr gets azurerm_subnet\.apim \(a reference to its id\) in its input subnet_id: the checks do not read that module/);
    expect(finding.message).toMatch(/may change the subnet's delegation, its NSG association or its route table/);
    expect(finding.fix).toMatch(/terraform init.*cdktf-apim-network check.*or suppress this APIM-UNKNOWN with a reason/);
  });

  test('a module given the NSG ID alone (a flow log, a diagnostic setting) writes no rule into it: no finding (second review, session 6: noise)', () => {
    // azurerm_network_security_rule takes the NSG's name and resource group; what takes the id does not change the rules.
    expect(ids(evaluate(withExtra({ module: { logs: mod({ nsg_id: '${azurerm_network_security_group.nsg.id}' }) } })))).toEqual([]);
    // With the name as well, it may.
    const named = evaluate(withExtra({ module: { rules: mod({ nsg_id: '${azurerm_network_security_group.nsg.id}', nsg_name: '${azurerm_network_security_group.nsg.name}' }) } }));
    expect(ids(named)).toEqual(unknownIds(NSG_RULES));
    expect(unknowns(named, 'APIM-NSG-REQUIRED')[0].message).toMatch(/module\.rules gets azurerm_network_security_group\.nsg \(a reference to its (id, )?name\) in its input nsg_(id|name): .*may change the NSG's rules/);
  });

  test('a module given the NSG\'s literal name and resource group (in two inputs): every NSG rule is unknown', () => {
    const result = evaluate(withExtra({ module: { rules: mod({ network_security_group_name: 'NSG-apim', resource_group_name: 'rg-apim' }) } }));
    expect(ids(result)).toEqual(unknownIds(NSG_RULES));
    expect(unknowns(result, 'APIM-NSG-SHADOWED')[0].message).toMatch(/\(its name and resource group\) in its input network_security_group_name/);
  });

  test('the NSG\'s name without its resource group, or in another resource group, is another NSG: no finding', () => {
    expect(ids(evaluate(withExtra({ module: { rules: mod({ network_security_group_name: 'nsg-apim' }) } })))).toEqual([]);
    expect(ids(evaluate(withExtra({ module: { rules: mod({ network_security_group_name: 'nsg-apim', resource_group_name: 'rg-other' }) } })))).toEqual([]);
  });

  test('a module given the NSG\'s name by reference (no resource group): the reference names it', () => {
    const result = evaluate(withExtra({ module: { rules: mod({ nsg_name: '${azurerm_network_security_group.nsg.name}' }) } }));
    expect(ids(result)).toEqual(unknownIds(NSG_RULES));
  });

  test('a module given the route table\'s name: the routing rules are unknown, the subnet\'s others judged; its ID alone: nothing', () => {
    const result = evaluate(withExtra({ module: { routes: mod({ route_table_name: '${azurerm_route_table.rt.name}', resource_group_name: 'rg-apim' }) } }));
    expect(ids(result)).toEqual(unknownIds(ROUTE_RULES));
    expect(unknowns(result, 'APIM-ROUTE-MANAGEMENT')[0].message).toMatch(/module\.routes gets azurerm_route_table\.rt .* in its input route_table_name: .*may change the route table's routes/);
    expect(ids(evaluate(withExtra({ module: { routes: mod({ route_table_id: '${azurerm_route_table.rt.id}' }) } })))).toEqual([]);
  });

  test('a module given the virtual network\'s ID and the APIM subnet\'s name: the rules on the APIM subnet are unknown; the ID alone (a peering, a DNS link): nothing', () => {
    const result = evaluate(withExtra({ module: { subnets: mod({ virtual_network_id: '${azurerm_virtual_network.vnet.id}', subnets: ['snet-apim'] }) } }));
    expect(ids(result)).toEqual(unknownIds(SUBNET_RULES));
    expect(unknowns(result, 'APIM-SUBNET-DELEGATION')[0].message).toMatch(/module\.subnets gets azurerm_virtual_network\.vnet .* may change the subnets of the virtual network/);
    expect(ids(evaluate(withExtra({ module: { peering: mod({ remote_virtual_network_id: '${azurerm_virtual_network.vnet.id}' }) } })))).toEqual([]);
  });

  test('a reference wrapped in a function, a conditional or an index is seen (second review, session 6)', () => {
    for (const input of ['${toset([azurerm_subnet.apim.id])}', '${var.on ? azurerm_subnet.apim.id : ""}', '${lower(azurerm_subnet.apim.id)}', '${[azurerm_subnet.apim.id][0]}',
      '${format("%s", azurerm_subnet.apim.id)}']) {
      expect([input, ids(evaluate(withExtra({ module: { udr: mod({ subnet_id: input }) } })))]).toEqual([input, unknownIds(SUBNET_RULES)]);
    }
  });

  test('a module over for_each or count that takes the subnet through each.value or count.index is seen (second review, session 6)', () => {
    const each = mod({ for_each: { apim: '${azurerm_subnet.apim.id}' }, subnet_id: '${each.value}' });
    expect(ids(evaluate(withExtra({ module: { udr: each } })))).toEqual(unknownIds(SUBNET_RULES));
    const counted = mod({ count: 1, subnet_id: '${[azurerm_subnet.apim.id][count.index]}' });
    expect(ids(evaluate(withExtra({ module: { udr: counted } })))).toEqual(unknownIds(SUBNET_RULES));
  });

  test('third review, session 6: a path to the subnet built on the network\'s id is seen; attributes that do not identify a resource, and text that is no reference, are not', () => {
    for (const input of ['${azurerm_virtual_network.vnet.id}/subnets/snet-apim', '${format("%s/subnets/snet-apim", azurerm_virtual_network.vnet.id)}']) {
      expect([input, ids(evaluate(withExtra({ module: { udr: mod({ subnet_id: input }) } })))]).toEqual([input, unknownIds(SUBNET_RULES)]);
    }
    // A flow-log module given the NSG's id and location; a module given the subnet's prefixes: they change nothing.
    expect(ids(evaluate(withExtra({ module: { logs: mod({ nsg_id: '${azurerm_network_security_group.nsg.id}', location: '${azurerm_network_security_group.nsg.location}',
      resource_group_name: '${azurerm_network_security_group.nsg.resource_group_name}' }) } })))).toEqual([]);
    expect(ids(evaluate(withExtra({ module: { app: mod({ allowed_cidrs: '${azurerm_subnet.apim.address_prefixes}' }) } })))).toEqual([]);
    // Plain text, a string literal inside an interpolation, an escaped interpolation.
    for (const input of ['see azurerm_subnet.apim.id for details', '${upper("azurerm_subnet.apim.id")}', '$${azurerm_subnet.apim.id}']) {
      expect([input, ids(evaluate(withExtra({ module: { doc: mod({ description: input }) } })))]).toEqual([input, []]);
    }
  });

  test('fourth review, session 6: templates inside string literals, directives, a path from separate arguments are seen; a splat\'s location and a data source\'s prefixes are not', () => {
    for (const input of ['${lower("${azurerm_subnet.apim.id}")}', '${join(",", ["${azurerm_subnet.apim.id}"])}', '%{ for s in [azurerm_subnet.apim] }${s.id}%{ endfor }',
      '${format("%s/subnets/%s", azurerm_virtual_network.vnet.id, "snet-apim")}', '${join("/", [azurerm_virtual_network.vnet.id, "subnets", "snet-apim"])}']) {
      expect([input, ids(evaluate(withExtra({ module: { udr: mod({ subnet_id: input }) } })))]).toEqual([input, unknownIds(SUBNET_RULES)]);
    }
    expect(ids(evaluate(withExtra({ module: { rules: mod({ nsg: '${lower("${azurerm_network_security_group.nsg.name}")}' }) } })))).toEqual(unknownIds(NSG_RULES));
    expect(ids(evaluate(withExtra({ module: { logs: mod({ location: '${azurerm_network_security_group.nsg.*.location}' }) } })))).toEqual([]);
    // The id of the subnet's NSG association is the subnet's ID.
    expect(ids(evaluate(withExtra({ module: { udr: mod({ subnet_id: '${azurerm_subnet_network_security_group_association.apim.id}' }) } })))).toEqual(unknownIds(SUBNET_RULES));
    expect(ids(evaluate(withExtra({
      data: { azurerm_subnet: { apim: { name: 'snet-apim', virtual_network_name: 'vnet-weu', resource_group_name: 'rg-apim' } } },
      module: { app: mod({ cidrs: '${data.azurerm_subnet.apim.address_prefixes}' }) },
    })))).toEqual([]);
  });

  test('a data source that names the APIM subnet, given to a module, is seen (second review, session 6)', () => {
    const result = evaluate(withExtra({
      data: { azurerm_subnet: { apim: { name: 'snet-apim', virtual_network_name: 'vnet-weu', resource_group_name: 'rg-apim' } } },
      module: { udr: mod({ subnet_id: '${data.azurerm_subnet.apim.id}' }) },
    }));
    expect(ids(result)).toEqual(unknownIds(SUBNET_RULES));
    expect(unknowns(result, 'APIM-SUBNET-NSG')[0].message).toMatch(/data\.azurerm_subnet\.apim, which names it/);
  });

  test('a module given the subnet through locals, inside lists, maps and objects', () => {
    const shapes: Json[] = [
      { subnet_id: '${local.apim_subnet}' },
      { subnet_ids: ['${azurerm_subnet.apim.id}'] },
      { subnets: { apim: { id: '${azurerm_subnet.apim.id}', nsg: false } } },
      { settings: '${local.settings}' },
      { settings: '${local.settings.subnets[0]}' },
    ];
    for (const inputs of shapes) {
      const result = evaluate(withExtra({
        module: { udr: mod(inputs) },
        locals: { apim_subnet: '${azurerm_subnet.apim.id}', settings: { subnets: ['${local.apim_subnet}'] } },
      }));
      expect([JSON.stringify(inputs), ids(result)]).toEqual([JSON.stringify(inputs), unknownIds(SUBNET_RULES)]);
    }
  });

  test('a module given the subnet\'s or the NSG\'s literal Azure ID (any case)', () => {
    expect(ids(evaluate(withExtra({ module: { udr: mod({ subnet_id: SUBNET_ID }) } })))).toEqual(unknownIds(SUBNET_RULES));
    // An NSG's literal ID alone writes no rule into it (see above).
    expect(ids(evaluate(withExtra({ module: { rules: mod({ nsg: { id: NSG_ID } }) } })))).toEqual([]);
  });

  test('a module given nothing of the APIM network adds nothing (no noise)', () => {
    const result = evaluate(withExtra({
      resource: { azurerm_subnet: { ...network().resource.azurerm_subnet, other: { name: 'snet-other', resource_group_name: 'rg-apim', virtual_network_name: 'vnet-weu', address_prefixes: ['10.0.2.0/24'] } } },
      module: {
        other: mod({ subnet_id: '${azurerm_subnet.other.id}', location: 'westeurope', resource_group_name: 'rg-apim', tags: { env: 'prod' }, name: 'snet-apim' }),
        vars: mod({ subnet_id: '${var.subnet_id}', nsg: '${data.azurerm_network_security_group.hub.id}', id: '/subscriptions/0/resourceGroups/rg-apim/providers/Microsoft.Network/networkSecurityGroups/nsg-hub' }),
      },
    }));
    expect(ids(result)).toEqual([]);
  });

  test('strict mode does not pass', () => {
    const result = ApimNetworkRules.evaluate(withExtra({ module: { udr: mod({ subnet_id: '${azurerm_subnet.apim.id}' }) } }), undefined, true);
    expect(result.findings.filter((f) => f.level === 'error').map((f) => f.detail).sort()).toEqual([...SUBNET_RULES].sort());
  });
});

describe('azapi resources (raw Terraform JSON)', () => {
  const denyAll = { properties: { priority: 100, direction: 'Inbound', access: 'Deny', protocol: '*', sourceAddressPrefix: '*', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '*' } };

  test('azapi_resource: a security rule whose parent_id is the NSG', () => {
    const result = evaluate(withExtra({ resource: { azapi_resource: { deny: { type: 'Microsoft.Network/networkSecurityGroups/securityRules@2023-11-01', name: 'deny', parent_id: '${azurerm_network_security_group.nsg.id}', body: denyAll } } } }));
    expect(ids(result)).toEqual(unknownIds(NSG_RULES));
    const [finding] = unknowns(result, 'APIM-NSG-REQUIRED');
    expect(finding.message).toMatch(/azapi_resource\.deny has parent_id = azurerm_network_security_group\.nsg .*the checks do not read azapi resources/);
    expect(finding.fix).toMatch(/azurerm resources the checks read/);
  });

  test('azapi_resource: a route whose parent_id is the route table\'s literal ID', () => {
    const id = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-apim/providers/Microsoft.Network/routeTables/rt-apim';
    const result = evaluate(withExtra({ resource: { azapi_resource: { r: { type: 'Microsoft.Network/routeTables/routes@2023-11-01', name: 'default', parent_id: id, body: {} } } } }));
    expect(ids(result)).toEqual(unknownIds(ROUTE_RULES));
  });

  test('azapi_update_resource on the subnet (delegation, route table), the NSG, the route table and the virtual network', () => {
    const update = (resourceId: string) => evaluate(withExtra({ resource: { azapi_update_resource: { u: { type: 'Microsoft.Network/whatever@2023-11-01', resource_id: resourceId, body: {} } } } }));
    expect(ids(update('${azurerm_subnet.apim.id}'))).toEqual(unknownIds(SUBNET_RULES));
    expect(ids(update('${azurerm_network_security_group.nsg.id}'))).toEqual(unknownIds(NSG_RULES));
    expect(ids(update('${azurerm_route_table.rt.id}'))).toEqual(unknownIds(ROUTE_RULES));
    expect(ids(update('${azurerm_virtual_network.vnet.id}'))).toEqual(unknownIds(SUBNET_RULES));
    expect(unknowns(update('${azurerm_subnet.apim.id}'), 'APIM-SUBNET-DELEGATION')[0].message).toMatch(/azapi_update_resource\.u has resource_id = azurerm_subnet\.apim/);
  });

  test('a child of the virtual network: the APIM subnet by name is unknown; another subnet, or a peering, adds nothing', () => {
    const child = (type: string, name: string) => evaluate(withExtra({ resource: { azapi_resource: { c: { type, name, parent_id: '${azurerm_virtual_network.vnet.id}', body: {} } } } }));
    expect(ids(child('Microsoft.Network/virtualNetworks/subnets@2023-11-01', 'SNET-APIM'))).toEqual(unknownIds(SUBNET_RULES));
    expect(ids(child('Microsoft.Network/virtualNetworks/subnets@2023-11-01', 'snet-other'))).toEqual([]);
    expect(ids(child('Microsoft.Network/virtualNetworks/virtualNetworkPeerings@2023-11-01', 'peer'))).toEqual([]);
  });

  test('second review, session 6: paths below a resource, resource actions, children of no known type are seen; harmless children are not', () => {
    const resource = (type: string, body: Json) => evaluate(withExtra({ resource: { [type]: { a: body } } }));
    // A subnet of the network by a path built on the network's id (and in format()).
    expect(ids(resource('azapi_update_resource', { type: 'Microsoft.Network/virtualNetworks/subnets@2023-11-01', resource_id: '${azurerm_virtual_network.vnet.id}/subnets/snet-apim', body: {} }))).toEqual(unknownIds(SUBNET_RULES));
    expect(ids(resource('azapi_update_resource', { type: 'Microsoft.Network/virtualNetworks/subnets@2023-11-01', resource_id: '${format("%s/subnets/snet-apim", azurerm_virtual_network.vnet.id)}', body: {} }))).toEqual(unknownIds(SUBNET_RULES));
    expect(ids(resource('azapi_update_resource', { type: 'Microsoft.Network/virtualNetworks/subnets@2023-11-01', resource_id: '${azurerm_virtual_network.vnet.id}/subnets/snet-other', body: {} }))).toEqual([]);
    // An update written with parent_id and name; a resource action (PATCH) on the subnet; a child whose type is a variable.
    expect(ids(resource('azapi_update_resource', { type: 'Microsoft.Network/virtualNetworks/subnets@2023-11-01', parent_id: '${azurerm_virtual_network.vnet.id}', name: 'snet-apim', body: {} }))).toEqual(unknownIds(SUBNET_RULES));
    expect(ids(resource('azapi_resource_action', { type: 'Microsoft.Network/virtualNetworks/subnets@2023-11-01', resource_id: '${azurerm_subnet.apim.id}', method: 'PATCH', body: {} }))).toEqual(unknownIds(SUBNET_RULES));
    expect(ids(resource('azapi_resource', { type: '${var.type}', name: 'x', parent_id: '${azurerm_network_security_group.nsg.id}', body: {} }))).toEqual(unknownIds(NSG_RULES));
    // A diagnostic setting on the NSG and a lock on the subnet change no rule, route or association.
    expect(ids(resource('azapi_resource', { type: 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview', name: 'd', parent_id: '${azurerm_network_security_group.nsg.id}', body: {} }))).toEqual([]);
    expect(ids(resource('azapi_resource', { type: 'Microsoft.Authorization/locks@2020-05-01', name: 'l', parent_id: '${azurerm_subnet.apim.id}', body: {} }))).toEqual([]);
  });

  test('azapi resources on resources the APIM network does not use add nothing (no noise)', () => {
    const result = evaluate(withExtra({
      resource: {
        azurerm_network_security_group: { nsg: network().resource.azurerm_network_security_group.nsg, hub: { name: 'nsg-hub', location: 'westeurope', resource_group_name: 'rg-apim', security_rule: documentedRules() } },
        azapi_resource: { r: { type: 'Microsoft.Network/networkSecurityGroups/securityRules@2023-11-01', name: 'x', parent_id: '${azurerm_network_security_group.hub.id}', body: {} } },
        azapi_update_resource: { u: { type: 'Microsoft.Network/networkSecurityGroups@2023-11-01', resource_id: '${var.some_id}', body: {} } },
        azapi_data_plane_resource: { d: { type: 'Microsoft.AppConfiguration/configurationStores@1.0', parent_id: '${azurerm_network_security_group.nsg.id}', body: {} } },
      },
    }));
    expect(ids(result)).toEqual([]);
  });
});

describe('cdktf: TerraformHclModule and azapi through TerraformResource, with the checks applied', () => {
  /** The library's network (connected to an APIM instance when `apim`) in a new stack `platform` of an app. */
  function platform(a: App, apim = true): MultiRegionApimNetwork {
    const stack = new TerraformStack(a, 'platform');
    new AzurermProvider(stack, 'azurerm', { features: [{}], subscriptionId: '00000000-0000-0000-0000-000000000001' });
    const net = new MultiRegionApimNetwork(stack, 'network', {
      virtualNetworkType: ApimVirtualNetworkType.EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg',
      regions: [{ location: 'westeurope', addressSpace: ['10.20.0.0/16'], subnetAddressPrefix: '10.20.4.0/27' }],
    });
    if (apim) {
      net.connect(new ApiManagement(stack, 'apim', { name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'api@contoso.example', skuName: 'Premium_1' }));
    }
    return net;
  }
  function app(add: (stack: TerraformStack, region: MultiRegionApimNetwork['regions'][number]) => void, strict: boolean): App {
    const a = new App({ outdir: Testing.app().outdir, stackTraces: false });
    const net = platform(a);
    add(net.node.scope as TerraformStack, net.regions[0]);
    ApimNetworkChecks.applyTo(a, { strict });
    return a;
  }
  const report = (a: App) => JSON.parse(fs.readFileSync(path.join(a.outdir, 'stacks', 'platform', 'apim-network-checks.json'), 'utf8'));
  const unknownRules = (a: App) => report(a).outcomes.filter((o: Json) => o.outcome === 'unknown').map((o: Json) => o.ruleId).sort();

  test('a TerraformHclModule given the subnet ID: unknown, and strict synth fails', () => {
    const udr = (stack: TerraformStack, region: Json) => new TerraformHclModule(stack, 'udr', {
      source: 'app.terraform.io/contoso/hub-udr/azurerm', version: '1.0.0', variables: { subnet_id: region.subnet.id, next_hop_ip: '10.0.0.4' },
    });
    const lenient = app(udr, false);
    lenient.synth();
    expect(unknownRules(lenient)).toEqual([...SUBNET_RULES].sort());
    expect(report(lenient).outcomes.find((o: Json) => o.ruleId === 'APIM-SUBNET-NSG' && o.outcome === 'unknown').message).toMatch(/module\.udr \(platform\/udr\) gets azurerm_subnet\.\S+ \(a reference to its id\) in its input subnet_id/);
    expect(() => app(udr, true).synth()).toThrow(/APIM-UNKNOWN\[APIM-SUBNET-NSG\]/);
  });

  test('a TerraformHclModule given the NSG\'s name and resource group: the NSG rules are unknown', () => {
    const a = app((stack, region) => new TerraformHclModule(stack, 'rules', {
      source: 'app.terraform.io/contoso/nsg-rules/azurerm', version: '1.0.0', variables: { network_security_group_name: region.networkSecurityGroup.name, resource_group_name: 'rg' },
    }), false);
    a.synth();
    expect(unknownRules(a)).toEqual([...NSG_RULES].sort());
  });

  test('a TerraformHclModule given unrelated values adds nothing', () => {
    const a = app((stack) => new TerraformHclModule(stack, 'tags', { source: 'app.terraform.io/contoso/tags/azurerm', variables: { env: 'prod', resource_group_name: 'rg' } }), true);
    expect(() => a.synth()).not.toThrow();
    expect(unknownRules(a)).toEqual([]);
  });

  test('azapi_update_resource (delegation) on the subnet and azapi_resource on the NSG: strict synth fails, Testing.fullSynth too', () => {
    const add = (stack: TerraformStack, region: Json) => {
      const deleg = new TerraformResource(stack, 'deleg', { terraformResourceType: 'azapi_update_resource' });
      deleg.addOverride('type', 'Microsoft.Network/virtualNetworks/subnets@2023-11-01');
      deleg.addOverride('resource_id', region.subnet.id);
      deleg.addOverride('body', { properties: { delegations: [{ name: 'd', properties: { serviceName: 'Microsoft.ApiManagement/service' } }] } });
      const rule = new TerraformResource(stack, 'deny_all_in', { terraformResourceType: 'azapi_resource' });
      rule.addOverride('type', 'Microsoft.Network/networkSecurityGroups/securityRules@2023-11-01');
      rule.addOverride('name', 'deny-all-in');
      rule.addOverride('parent_id', region.networkSecurityGroup.id);
    };
    const lenient = app(add, false);
    lenient.synth();
    expect(unknownRules(lenient)).toEqual([...SUBNET_RULES, ...NSG_RULES].sort());
    expect(() => app(add, true).synth()).toThrow(/APIM-UNKNOWN\[APIM-SUBNET-DELEGATION\].*azapi_update_resource\.deleg has resource_id/s);
    // The network alone (its APIM instance managed elsewhere), through Testing.fullSynth.
    const net = platform(new App({ outdir: Testing.app().outdir, stackTraces: false }), false);
    const s = net.node.scope as TerraformStack;
    add(s, net.regions[0]);
    ApimNetworkChecks.applyTo(s, { strict: true });
    expect(() => Testing.fullSynth(s)).toThrow(/APIM-UNKNOWN\[APIM-SUBNET-DELEGATION\]/);
  });

  test('a module in another stack of the app given the subnet (a cross-stack reference): unknown', () => {
    const a = new App({ outdir: Testing.app().outdir, stackTraces: false });
    const net = platform(a);
    const hub = new TerraformStack(a, 'hub');
    new AzurermProvider(hub, 'azurerm', { features: [{}] });
    new TerraformHclModule(hub, 'udr', { source: 'app.terraform.io/contoso/hub-udr/azurerm', variables: { subnet_id: net.regions[0].subnet.id } });
    ApimNetworkChecks.applyTo(a, { strict: false });
    a.synth();
    expect(unknownRules(a)).toEqual(expect.arrayContaining(['APIM-SUBNET-NSG', 'APIM-ROUTE-MANAGEMENT']));
  });
});
