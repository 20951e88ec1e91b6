/**
 * APIM-ROUTE-MIXED: a route table with inline routes and azurerm_route resources (outside review, session 6, finding
 * 5). The provider's docs of route_table and route: the two cannot be used together; one set overwrites the other,
 * so the route ApiManagement -> Internet comes and goes with every apply. Tests on raw Terraform JSON, on cdktf L1
 * resources through synth, and on HCL through the command line.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Route } from '@cdktf/provider-azurerm/lib/route';
import { RouteTable } from '@cdktf/provider-azurerm/lib/route-table';
import { SubnetRouteTableAssociation } from '@cdktf/provider-azurerm/lib/subnet-route-table-association';
import { Testing } from 'cdktf';
import { ApimNetworkChecks } from '../../lib';
import { readPlan } from '../../lib/cli/plan';
import { Json, documentedRules, evaluate, findings, network, passes, unknowns } from './raw-json';
import { brownfield } from './brownfield';
import { jsonOf, tempDir } from '../cli/support';

const ENDPOINTS = ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Sql', 'Microsoft.Storage'];
const toAppliance = { name: 'default', address_prefix: '0.0.0.0/0', next_hop_type: 'VirtualAppliance', next_hop_in_ip_address: '10.9.0.4' };
const management = { name: 'apim', address_prefix: 'ApiManagement', next_hop_type: 'Internet' };
const clients = { name: 'clients', address_prefix: '203.0.113.0/24', next_hop_type: 'Internet' };

/** The compliant network with a route table on the APIM subnet: inline routes (`route` left out when undefined) and standalone ones. */
function withTable(inline: Json[] | undefined, standalone: Record<string, Json> = {}, table: Json = {}): Json {
  const document = network({ subnet: { service_endpoints: ENDPOINTS } });
  document.resource.azurerm_route_table = { rt: { name: 'rt-apim', location: 'westeurope', resource_group_name: 'rg-apim', ...(inline ? { route: inline } : {}), ...table } };
  document.resource.azurerm_subnet_route_table_association = { a: { subnet_id: '${azurerm_subnet.apim.id}', route_table_id: '${azurerm_route_table.rt.id}' } };
  if (Object.keys(standalone).length > 0) {
    document.resource.azurerm_route = Object.fromEntries(Object.entries(standalone).map(([key, route]) => [key, { resource_group_name: 'rg-apim', route_table_name: 'rt-apim', ...route }]));
  }
  return document;
}

describe('APIM-ROUTE-MIXED on raw Terraform JSON', () => {
  test('inline default route, standalone ApiManagement route: an error naming the standalone route (it passed)', () => {
    const result = evaluate(withTable([toAppliance, clients], { apim: management }));
    expect(findings(result, 'APIM-ROUTE-MIXED').map((f) => `${f.level} ${f.address} ${f.message}`)).toEqual([
      'error azurerm_route_table.rt the route table has inline route blocks and is also the target of azurerm_route.apim; the provider overwrites one with the other on every apply']);
  });

  test('route = [] is set (the argument syntax): beside standalone routes it removes them, an error', () => {
    const result = evaluate(withTable([], { apim: management, default: toAppliance, clients }));
    expect(findings(result, 'APIM-ROUTE-MIXED').map((f) => f.level)).toEqual(['error']);
  });

  test('every route inline, or every route standalone (no route argument): no finding', () => {
    expect(passes(evaluate(withTable([toAppliance, management, clients])), 'APIM-ROUTE-MIXED')).toBe(true);
    const standalone = evaluate(withTable(undefined, { apim: management, default: toAppliance, clients }));
    expect(passes(standalone, 'APIM-ROUTE-MIXED')).toBe(true);
    expect(findings(standalone, 'APIM-ROUTE-MANAGEMENT')).toEqual([]);
  });

  test('a standalone route on a route table of the same name in another resource group is another table: no finding', () => {
    const result = evaluate(withTable([toAppliance, management, clients], { other: { ...toAppliance, resource_group_name: 'rg-other' } }));
    expect(passes(result, 'APIM-ROUTE-MIXED')).toBe(true);
  });

  test('what cannot be known is unknown: a standalone route whose table is a variable, one that may not exist, inline routes from a variable', () => {
    const unplaced = evaluate(withTable([toAppliance, management, clients], { maybe: { ...clients, route_table_name: '${var.table}' } }));
    expect(unknowns(unplaced, 'APIM-ROUTE-MIXED').map((f) => f.message)).toEqual([expect.stringMatching(/whether azurerm_route\.maybe targets this route table/)]);
    const counted = evaluate(withTable([toAppliance, management, clients], { maybe: { ...clients, count: '${var.n}' } }));
    expect(unknowns(counted, 'APIM-ROUTE-MIXED').map((f) => f.address)).toEqual(['azurerm_route_table.rt']);
    expect(findings(counted, 'APIM-ROUTE-MIXED')).toEqual([]);
    const variable = withTable(undefined, { apim: management });
    variable.resource.azurerm_route_table.rt.route = '${var.routes}';
    expect(unknowns(evaluate(variable), 'APIM-ROUTE-MIXED').map((f) => f.message)).toEqual([expect.stringMatching(/whether route is set beside azurerm_route\.apim/)]);
  });

  test('a route block that surely exists beside ones a dynamic block may produce sets route: an error, as for an NSG\'s security_rule', () => {
    const document = withTable([toAppliance], { apim: management });
    document.resource.azurerm_route_table.rt.dynamic = { route: { for_each: '${var.extra_routes}', content: { name: '${route.key}', address_prefix: '${route.value}', next_hop_type: 'Internet' } } };
    expect(findings(evaluate(document), 'APIM-ROUTE-MIXED').map((f) => f.level)).toEqual(['error']);
  });

  test('a route table on no APIM subnet is not judged', () => {
    const document = withTable([toAppliance], { apim: management });
    delete document.resource.azurerm_subnet_route_table_association;
    expect(findings(evaluate(document), 'APIM-ROUTE-MIXED')).toEqual([]);
  });
});

describe('APIM-ROUTE-MIXED through synth (cdktf L1 resources)', () => {
  test('a RouteTable with inline routes and a Route on it fails synth; all inline passes', () => {
    const mixed = brownfield({ subnet: { serviceEndpoints: ENDPOINTS } });
    const table = new RouteTable(mixed.stack, 'rt', {
      name: 'rt-apim', location: 'westeurope', resourceGroupName: 'rg',
      route: [{ name: 'default', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopInIpAddress: '10.9.0.4' }, { name: 'clients', addressPrefix: '203.0.113.0/24', nextHopType: 'Internet' }],
    });
    new SubnetRouteTableAssociation(mixed.stack, 'rt-assoc', { subnetId: mixed.subnet.id, routeTableId: table.id });
    new Route(mixed.stack, 'apim-route', { name: 'apim', resourceGroupName: 'rg', routeTableName: table.name, addressPrefix: 'ApiManagement', nextHopType: 'Internet' });
    ApimNetworkChecks.applyTo(mixed.stack);
    expect(() => Testing.fullSynth(mixed.stack)).toThrow(/\[APIM-ROUTE-MIXED\] azurerm_route_table\.rt .*azurerm_route\.apim-route/);

    const inline = brownfield({ subnet: { serviceEndpoints: ENDPOINTS } });
    const whole = new RouteTable(inline.stack, 'rt', {
      name: 'rt-apim', location: 'westeurope', resourceGroupName: 'rg',
      route: [{ name: 'default', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopInIpAddress: '10.9.0.4' },
        { name: 'clients', addressPrefix: '203.0.113.0/24', nextHopType: 'Internet' }, { name: 'apim', addressPrefix: 'ApiManagement', nextHopType: 'Internet' }],
    });
    new SubnetRouteTableAssociation(inline.stack, 'rt-assoc', { subnetId: inline.subnet.id, routeTableId: whole.id });
    ApimNetworkChecks.applyTo(inline.stack, { strict: true });
    expect(() => Testing.fullSynth(inline.stack)).not.toThrow();
  });
});

/** An Internal Developer instance in a network of the command line's HCL tests (the subnet's extra lines inside its block). */
function networkHcl(subnetLines = ''): string {
  return `resource "azurerm_virtual_network" "net" {
  name                = "vnet-rt"
  location            = "westeurope"
  resource_group_name = "rg-rt"
  address_space       = ["10.0.0.0/16"]
}
resource "azurerm_subnet" "apim" {
  name                 = "snet-apim"
  resource_group_name  = "rg-rt"
  virtual_network_name = azurerm_virtual_network.net.name
  address_prefixes     = ["10.0.1.0/27"]
${subnetLines}}
resource "azurerm_api_management" "apim" {
  name                 = "apim-rt"
  location             = "westeurope"
  resource_group_name  = "rg-rt"
  publisher_name       = "Contoso"
  publisher_email      = "api@contoso.example"
  sku_name             = "Developer_1"
  virtual_network_type = "Internal"
  virtual_network_configuration {
    subnet_id = azurerm_subnet.apim.id
  }
}
`;
}

describe('APIM-ROUTE-MIXED on the command line (HCL)', () => {
  const files = (table: string, extra = '') => ({
    'main.tf': `
${networkHcl(`  service_endpoints    = ${JSON.stringify(ENDPOINTS)}\n`)}variable "extra_routes" {
  type    = map(string)
  default = {}
}
resource "azurerm_route_table" "rt" {
  name                = "rt-apim"
  location            = "westeurope"
  resource_group_name = "rg-rt"
${table}
}
resource "azurerm_subnet_route_table_association" "apim" {
  subnet_id      = azurerm_subnet.apim.id
  route_table_id = azurerm_route_table.rt.id
}
resource "azurerm_route" "apim" {
  name                = "apim"
  resource_group_name = "rg-rt"
  route_table_name    = azurerm_route_table.rt.name
  address_prefix      = "ApiManagement"
  next_hop_type       = "Internet"
}
${extra}`,
  });
  const mixedOf = (dir: string) => jsonOf(['check', dir]).report.findings.filter((f: any) => f.ruleId === 'APIM-ROUTE-MIXED' || f.detail === 'APIM-ROUTE-MIXED')
    .map((f: any) => `${f.level} ${f.ruleId}`);

  test('a route block beside azurerm_route: an error at the route table', () => {
    const dir = tempDir(files(`  route {
    name                   = "default"
    address_prefix         = "0.0.0.0/0"
    next_hop_type          = "VirtualAppliance"
    next_hop_in_ip_address = "10.9.0.4"
  }`));
    expect(mixedOf(dir)).toEqual(['error APIM-ROUTE-MIXED']);
    expect(path.isAbsolute(dir)).toBe(true);
  });

  test('a dynamic "route" block over an empty collection sets nothing: no finding; over a variable with no value: unknown', () => {
    const dynamic = `  dynamic "route" {
    for_each = var.extra_routes
    content {
      name           = route.key
      address_prefix = route.value
      next_hop_type  = "Internet"
    }
  }`;
    expect(mixedOf(tempDir(files(dynamic)))).toEqual([]);
    const unknownRoutes = tempDir(files(dynamic.replace('var.extra_routes', 'var.routes'), 'variable "routes" {\n  type = map(string)\n}\n'));
    expect(mixedOf(unknownRoutes)).toEqual(['warning APIM-UNKNOWN']);
  });

  test('no route block at all: no finding', () => {
    expect(mixedOf(tempDir(files('')))).toEqual([]);
  });
});

describe('a dynamic block that produces no block leaves the argument not set (command line)', () => {
  test('an NSG whose dynamic "security_rule" is over an empty map, with standalone rules: no APIM-NSG-MIXED (it was an error)', () => {
    const rules = [['management', 110, 'Inbound', 'ApiManagement', '3443'], ['lb', 120, 'Inbound', 'AzureLoadBalancer', '6390'],
      ['storage', 100, 'Outbound', 'Storage', '443'], ['sql', 110, 'Outbound', 'Sql', '1433'], ['vault', 120, 'Outbound', 'AzureKeyVault', '443'],
      ['monitor', 130, 'Outbound', 'AzureMonitor', '1886']];
    const standalone = rules.map(([name, priority, direction, tag, port]) => `
resource "azurerm_network_security_rule" "${name}" {
  name                        = "${name}"
  priority                    = ${priority}
  direction                   = "${direction}"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  source_address_prefix       = "${direction === 'Inbound' ? tag : 'VirtualNetwork'}"
  destination_address_prefix  = "${direction === 'Inbound' ? 'VirtualNetwork' : tag}"
  destination_port_range      = "${port}"
  resource_group_name         = "rg-rt"
  network_security_group_name = azurerm_network_security_group.apim.name
}`).join('\n');
    const dir = tempDir({
      'main.tf': `
variable "extra_rules" {
  type    = map(number)
  default = {}
}
${networkHcl()}resource "azurerm_network_security_group" "apim" {
  name                = "nsg-apim"
  location            = "westeurope"
  resource_group_name = "rg-rt"
  dynamic "security_rule" {
    for_each = var.extra_rules
    content {
      name                       = security_rule.key
      priority                   = security_rule.value
      direction                  = "Inbound"
      access                     = "Deny"
      protocol                   = "*"
      source_port_range          = "*"
      destination_port_range     = "*"
      source_address_prefix      = "*"
      destination_address_prefix = "*"
    }
  }
}
resource "azurerm_subnet_network_security_group_association" "apim" {
  subnet_id                 = azurerm_subnet.apim.id
  network_security_group_id = azurerm_network_security_group.apim.id
}
${standalone}`,
    });
    const ruleIds = (args: string[]) => jsonOf(['check', dir, ...args]).report.findings.map((f: any) => `${f.ruleId}${f.detail ? `[${f.detail}]` : ''}`);
    expect(ruleIds([]).filter((id: string) => id.includes('MIXED'))).toEqual([]);
    // With a rule from the variable, the dynamic block sets security_rule: the standalone rules conflict with it.
    expect(ruleIds(['--var', 'extra_rules={"deny-all"=4000}'])).toContain('APIM-NSG-MIXED');
  });
});

describe('in a plan, an NSG\'s security_rule and a route table\'s route are what Azure holds, standalone ones included', () => {
  const computed = (attribute: string) => ({ '//': { metadata: { computed: [attribute] } } });

  test('the plan reader marks them computed when the configuration does not write them; the MIXED rules then read them as not set', () => {
    // An existing route table with standalone routes: Azure lists them in the table's computed route (no false error).
    const table = withTable([toAppliance, management, clients], { apim: management, default: toAppliance, clients }, computed('route'));
    expect(passes(evaluate(table), 'APIM-ROUTE-MIXED')).toBe(true);
    expect(findings(evaluate(withTable([toAppliance, management, clients], { apim: management })), 'APIM-ROUTE-MIXED').map((f) => f.level)).toEqual(['error']);
    const nsgDocument = network({ nsg: computed('security_rule') });
    nsgDocument.resource.azurerm_network_security_rule = { extra: { ...documentedRules()[1], name: 'extra', priority: 300, resource_group_name: 'rg-apim', network_security_group_name: 'nsg-apim' } };
    expect(findings(evaluate(nsgDocument), 'APIM-NSG-MIXED')).toEqual([]);
    delete nsgDocument.resource.azurerm_network_security_group.nsg['//'];
    expect(findings(evaluate(nsgDocument), 'APIM-NSG-MIXED').map((f) => f.level)).toEqual(['error']);
  });

  test('the listing of an NSG with standalone rules: those are judged from their resources, a deny the plan deletes is gone, a rule made outside Terraform stays (second and third review, session 6)', () => {
    const rules = documentedRules();
    const listing = (deleted: string[]) => {
      const document = network({ rules: rules.map((r) => ({ ...r })), nsg: { '//': { metadata: { computed: ['security_rule'], deleted } } } });
      // Azure lists every rule, and a deny of 3443 no azurerm_network_security_rule resource manages any more.
      document.resource.azurerm_network_security_group.nsg.security_rule.push({ ...rules[1], name: 'deny-3443', priority: 105, access: 'Deny', source_address_prefix: '*' });
      document.resource.azurerm_network_security_rule = Object.fromEntries(rules.map((r) => [r.name, { ...r, resource_group_name: 'rg-apim', network_security_group_name: 'nsg-apim' }]));
      return evaluate(document);
    };
    // The plan deletes it (its resource is gone): no duplicate priorities, no shadowing, not "mixed".
    const deletedByPlan = listing(['deny-3443']);
    expect(findings(deletedByPlan, 'APIM-NSG-PRIORITY')).toEqual([]);
    expect(findings(deletedByPlan, 'APIM-NSG-SHADOWED')).toEqual([]);
    expect(findings(deletedByPlan, 'APIM-NSG-MIXED')).toEqual([]);
    // Made in the portal (no resource, not deleted by the plan): Azure holds it, and it blocks 3443.
    const outside = listing([]);
    expect(findings(outside, 'APIM-NSG-SHADOWED').map((f) => f.level)).toEqual(['error']);
    expect(findings(outside, 'APIM-NSG-PRIORITY')).toEqual([]);
  });

  test('a standalone rule whose name is not known beside Azure\'s listing: which listed rule it is, is unknown, never counted twice (fourth review)', () => {
    const rules = documentedRules();
    const document = network({ rules: rules.map((r) => ({ ...r })), nsg: computed('security_rule') });
    document.resource.azurerm_network_security_rule = Object.fromEntries(rules.map((r, i) => [r.name, {
      ...r, name: i === 0 ? '${var.rule_name}' : r.name, resource_group_name: 'rg-apim', network_security_group_name: 'nsg-apim',
    }]));
    const result = evaluate(document);
    expect(findings(result, 'APIM-NSG-PRIORITY')).toEqual([]);
    expect(unknowns(result, 'APIM-NSG-REQUIRED').map((f) => f.message)).toContainEqual(expect.stringMatching(/which of what Azure lists is azurerm_network_security_rule\.client, whose name is not known/));
  });

  test('readPlan records the standalone rules a plan deletes from an existing NSG', () => {
    const fixture = path.join(__dirname, '../fixtures/terraform/plan/plan.json');
    const plan = JSON.parse(fs.readFileSync(fixture, 'utf8'));
    const nsgChange = plan.resource_changes.find((c: Json) => c.type === 'azurerm_network_security_group');
    nsgChange.change.actions = ['no-op'];
    const nsgValues = plan.planned_values.root_module.child_modules.flatMap((m: Json) => m.resources).find((r: Json) => r.type === 'azurerm_network_security_group').values;
    plan.resource_changes.push({ address: 'azurerm_network_security_rule.old', mode: 'managed', type: 'azurerm_network_security_rule', name: 'old',
      change: { actions: ['delete'], before: { name: 'deny-3443', network_security_group_name: nsgValues.name.toUpperCase(), resource_group_name: nsgValues.resource_group_name }, after: null } });
    const nsgs = Object.values<any>(readPlan(JSON.stringify(plan), fixture).document.resource.azurerm_network_security_group);
    expect(nsgs.map((nsg) => nsg['//'].metadata.deleted)).toEqual([['deny-3443']]);
    // By the rule's ID when it has one: a rule deleted from an NSG of the same name in another subscription is not ours.
    nsgValues.id = `/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/${nsgValues.resource_group_name}/providers/Microsoft.Network/networkSecurityGroups/${nsgValues.name}`;
    const deletedRule = plan.resource_changes[plan.resource_changes.length - 1].change.before;
    deletedRule.id = `${nsgValues.id.replace('11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222')}/securityRules/deny-3443`;
    const other = Object.values<any>(readPlan(JSON.stringify(plan), fixture).document.resource.azurerm_network_security_group);
    expect(other.map((nsg) => nsg['//'].metadata.deleted)).toEqual([undefined]);
    deletedRule.id = `${nsgValues.id.toUpperCase()}/securityRules/deny-3443`;
    const ours = Object.values<any>(readPlan(JSON.stringify(plan), fixture).document.resource.azurerm_network_security_group);
    expect(ours.map((nsg) => nsg['//'].metadata.deleted)).toEqual([['deny-3443']]);
  });

  test('readPlan writes the marker for an existing NSG whose configuration does not write security_rule; one to be created with a known list wrote it (dynamic blocks)', () => {
    const fixture = path.join(__dirname, '../fixtures/terraform/plan/plan.json');
    const text = fs.readFileSync(fixture, 'utf8');
    const markers = (source: string) => Object.values<any>(readPlan(source, fixture).document.resource.azurerm_network_security_group).map((nsg) => nsg['//'].metadata.computed);
    expect(markers(text)).toEqual([undefined]);
    const existing = JSON.parse(text);
    const change = existing.resource_changes.find((c: Json) => c.type === 'azurerm_network_security_group').change;
    change.actions = ['no-op'];
    expect(markers(JSON.stringify(existing))).toEqual([['security_rule']]);
  });
});
