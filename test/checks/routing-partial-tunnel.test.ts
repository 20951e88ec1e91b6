/**
 * Routes that send part of the public space, or a service tag, through a tunnel (outside review, session 5, findings
 * 2 and 11), on raw Terraform JSON.
 *
 * Azure's route selection (virtual-networks-udr-overview, "How Azure selects a route" and "Service tags for
 * user-defined routes, Exact Match"): longest prefix match; a route with an explicit IP prefix wins an exact tie with a
 * service-tag route; among service-tag routes with matching prefixes the order is regional tag, top-level tag,
 * AzureCloud regional, AzureCloud. So `ApiManagement -> Internet` wins over `AzureCloud -> VirtualAppliance` for
 * ApiManagement's addresses.
 *
 * What the rules say (design/RULES.md revision 2: "a public CIDR and a service tag may overlap: where it matters, say
 * so (warning), never decide it silently"):
 * - a tag route that holds every ApiManagement address (`AzureCloud`, `ApiManagement`) to a tunnel hop, without
 *   `ApiManagement -> Internet`: APIM-ROUTE-MANAGEMENT, error;
 * - a regional tag (`ApiManagement.<region>`, `AzureCloud.<region>`) sends part of ApiManagement one way and the rest
 *   the other: whether the instance's control plane is in that part is not documented (the docs name the
 *   `ApiManagement` tag only), so a warning, as an NSG allow of 3443 from `ApiManagement.<region>` is;
 * - a public CIDR to a tunnel hop may hold ApiManagement addresses: a warning naming both; a private one never does.
 */
import { ApimRuleLevel } from '../../lib';
import { Json, evaluate, findings, network, passes, unknowns } from './raw-json';

const ADDRESS = 'azurerm_subnet.apim';

/** The compliant External network with a route table of these routes on the APIM subnet. */
function withRoutes(routes: Json[], subnet: Json = {}): Json {
  const document = network({ subnet: { service_endpoints: ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Sql', 'Microsoft.Storage'], ...subnet } });
  document.resource.azurerm_route_table = { rt: { name: 'rt', location: 'westeurope', resource_group_name: 'rg-apim', route: routes } };
  document.resource.azurerm_subnet_route_table_association = { a: { subnet_id: '${azurerm_subnet.apim.id}', route_table_id: '${azurerm_route_table.rt.id}' } };
  return document;
}
const route = (name: string, prefix: string, hop: string): Json =>
  ({ name, address_prefix: prefix, next_hop_type: hop, next_hop_in_ip_address: hop === 'VirtualAppliance' ? '10.9.0.4' : null });
const toAppliance = (name: string, prefix: string) => route(name, prefix, 'VirtualAppliance');
const toInternet = (name: string, prefix: string) => route(name, prefix, 'Internet');
const management = toInternet('mgmt', 'ApiManagement');
const slash8s = (skip: number[]) => Array.from({ length: 256 }, (_, i) => i).filter((i) => !skip.includes(i)).map((i) => toAppliance(`o${i}`, `${i}.0.0.0/8`));

function managementFindings(routes: Json[]) {
  const result = evaluate(withRoutes(routes));
  return { result, found: findings(result, 'APIM-ROUTE-MANAGEMENT') };
}
function expectManagement(routes: Json[], level: ApimRuleLevel, message: RegExp): void {
  const { found } = managementFindings(routes);
  expect(found.map((f) => f.level)).toEqual([level]);
  expect(found[0].address).toBe(ADDRESS);
  expect(found[0].message).toMatch(message);
}
function expectManagementPasses(routes: Json[]): void {
  const { result, found } = managementFindings(routes);
  expect(found).toEqual([]);
  expect(unknowns(result, 'APIM-ROUTE-MANAGEMENT')).toEqual([]);
  expect(passes(result, 'APIM-ROUTE-MANAGEMENT')).toBe(true);
}

describe('APIM-ROUTE-MANAGEMENT: a service tag that holds ApiManagement sent to a tunnel (review 5, finding 2)', () => {
  test.each([
    ['AzureCloud', 'VirtualAppliance'], ['AzureCloud', 'VirtualNetworkGateway'], ['azurecloud', 'None'], ['ApiManagement', 'VirtualAppliance'],
  ])('error: %s -> %s without ApiManagement -> Internet', (tag, hop) => {
    const holds = tag === 'ApiManagement' ? '' : ', which holds every ApiManagement address,';
    expectManagement([route('t', tag, hop)], ApimRuleLevel.ERROR,
      new RegExp(`azurerm_route_table\\.rt sends ${tag}${holds} to ${hop} \\(route "t"\\) but has no route ApiManagement -> Internet; replies to the management endpoint would go through the tunnel`));
  });
  test('pass: ApiManagement -> Internet wins over AzureCloud -> VirtualAppliance (the top-level tag before AzureCloud)', () => {
    expectManagementPasses([toAppliance('ac', 'AzureCloud'), management]);
    expectManagementPasses([toAppliance('ac', 'AzureCloud'), toAppliance('acr', 'AzureCloud.westeurope'), toAppliance('d', '0.0.0.0/0'), management]);
  });
  test.each(['AzureCloud.westeurope', 'ApiManagement.WestEurope'])('warning: %s -> VirtualAppliance (part of ApiManagement)', (tag) => {
    expectManagement([toAppliance('r', tag)], ApimRuleLevel.WARNING,
      new RegExp(`azurerm_route_table\\.rt sends ${tag.replace('.', '\\.')} to VirtualAppliance \\(route "r"\\) but has no route ApiManagement -> Internet; whether the control plane of this instance calls from the ApiManagement addresses of westeurope is not documented \\(the docs name the ApiManagement tag\\); if it does, replies to the management endpoint go through the tunnel`));
  });
  test('warning: ApiManagement.WestEurope -> VirtualAppliance beats ApiManagement -> Internet for that region', () => {
    expectManagement([toAppliance('r', 'ApiManagement.WestEurope'), management], ApimRuleLevel.WARNING, /sends ApiManagement\.WestEurope to VirtualAppliance \(route "r"\)/);
  });
  test('pass: AzureCloud.westeurope -> Internet does not undo ApiManagement -> Internet', () => {
    expectManagementPasses([toAppliance('d', '0.0.0.0/0'), toInternet('r', 'AzureCloud.westeurope'), management]);
  });
});

describe('APIM-ROUTE-MANAGEMENT: public CIDRs to a tunnel that do not cover the public space (review 5, finding 2)', () => {
  test.each([
    // Only the routes that hold public addresses are named (not 0/8, 127/8, 224/4 or 240/4), ten of them.
    ['every /8 but 10 and 20', slash8s([10, 20]), /\(routes "o1" 1\.0\.0\.0\/8, "o2" 2\.0\.0\.0\/8, .*"o11" 11\.0\.0\.0\/8 and 210 more\) to VirtualAppliance/],
    ['0.0.0.0/1', [toAppliance('h', '0.0.0.0/1')], /route "h" 0\.0\.0\.0\/1/],
    ['13/8, 40/8 and 52/8', ['13', '40', '52'].map((o) => toAppliance(`o${o}`, `${o}.0.0.0/8`)), /routes "o13" 13\.0\.0\.0\/8, "o40" 40\.0\.0\.0\/8, "o52" 52\.0\.0\.0\/8/],
  ])('warning naming the CIDRs and the tag: %s to VirtualAppliance', (_, routes, names) => {
    expectManagement(routes, ApimRuleLevel.WARNING, names);
    expectManagement(routes, ApimRuleLevel.WARNING,
      /to VirtualAppliance but has no route ApiManagement -> Internet; whether (it holds|they hold) addresses of the ApiManagement service tag cannot be known at synth time; if (it does|they do), replies to the management endpoint go through the tunnel/);
  });
  test('still an error: every /8 but 10 covers the public space', () => {
    expectManagement(slash8s([10]), ApimRuleLevel.ERROR, /sends the public IPv4 space to VirtualAppliance .* but has no route ApiManagement -> Internet/);
  });
  test('pass: with ApiManagement -> Internet', () => {
    expectManagementPasses([...slash8s([10, 20]), management]);
    expectManagementPasses([toAppliance('h', '0.0.0.0/1'), management]);
  });
  test('pass: private and special ranges only hold no ApiManagement address', () => {
    expectManagementPasses(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '224.0.0.0/4'].map((p, i) => toAppliance(`p${i}`, p)));
  });
  test('pass: a public range carved out again by longer routes to Internet', () => {
    expectManagementPasses([toAppliance('a', '13.0.0.0/8'), toInternet('b', '13.0.0.0/9'), toInternet('c', '13.128.0.0/9')]);
  });
  test('pass: no tunnel at all; client-range routes to Internet', () => {
    expectManagementPasses([toInternet('partner', '203.0.113.0/24')]);
    expectManagementPasses([route('local', '52.0.0.0/8', 'VnetLocal')]);
  });
  test('unknown, not a warning: a route whose prefix is a variable beside a partial tunnel', () => {
    const { result, found } = managementFindings([toAppliance('h', '0.0.0.0/1'), toInternet('m', '${var.prefix}')]);
    expect(found).toEqual([]);
    expect(unknowns(result, 'APIM-ROUTE-MANAGEMENT').map((f) => f.message)).toEqual([expect.stringMatching(/route "m" of azurerm_route_table\.rt/)]);
  });
  test('unknown: a partial tunnel whose hop is a variable', () => {
    const { result } = managementFindings([route('h', '0.0.0.0/1', '${var.hop}')]);
    expect(unknowns(result, 'APIM-ROUTE-MANAGEMENT')).toHaveLength(1);
  });
  test('unknown: a tag route to an appliance that may not exist (count over a variable)', () => {
    const document = withRoutes([]);
    document.resource.azurerm_route = {
      ac: { count: '${var.n}', name: 'ac', resource_group_name: 'rg-apim', route_table_name: '${azurerm_route_table.rt.name}', address_prefix: 'AzureCloud', next_hop_type: 'VirtualAppliance', next_hop_in_ip_address: '10.9.0.4' },
    };
    const result = evaluate(document);
    expect(findings(result, 'APIM-ROUTE-MANAGEMENT')).toEqual([]);
    expect(unknowns(result, 'APIM-ROUTE-MANAGEMENT')).toHaveLength(1);
  });
});

describe('regional ApiManagement tag to Internet: a warning, as an NSG allow of 3443 from it is (review 5, finding 11)', () => {
  test.each(['ApiManagement.WestEurope', 'ApiManagement.EastUS', 'AzureCloud.westeurope'])('0.0.0.0/0 to the appliance and only %s -> Internet', (tag) => {
    expectManagement([toAppliance('d', '0.0.0.0/0'), toInternet('m', tag)], ApimRuleLevel.WARNING,
      new RegExp(`azurerm_route_table\\.rt sends 0\\.0\\.0\\.0/0 to VirtualAppliance \\(route "d"\\) and only ${tag.replace('.', '\\.')} to Internet \\(route "m"\\), not ApiManagement; whether the control plane of this instance calls only from the ApiManagement addresses of \\w+ is not documented \\(the docs name the ApiManagement tag\\); if not, replies to the management endpoint go through the tunnel`));
  });
  test('the NSG side agrees: an allow of 3443 from ApiManagement.WestEurope alone is a warning', () => {
    const result = evaluate(network({ rules: [
      ...network().resource.azurerm_network_security_group.nsg.security_rule.filter((r: Json) => r.name !== 'management'),
      { name: 'management', priority: 110, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source_port_range: '*', source_address_prefix: 'ApiManagement.WestEurope', destination_address_prefix: 'VirtualNetwork', destination_port_range: '3443' },
    ] }));
    expect(findings(result, 'APIM-NSG-REQUIRED').map((f) => [f.detail, f.level])).toEqual([['Inbound:ApiManagement:3443', ApimRuleLevel.WARNING]]);
  });
});

describe('APIM-ROUTE-CLIENTS counts client ranges only (review 5, finding 11)', () => {
  const clients = (routes: Json[]) => findings(evaluate(withRoutes(routes)), 'APIM-ROUTE-CLIENTS');
  test.each(['ApiManagement.WestEurope', 'AzureCloud', 'AzureCloud.westeurope', 'Storage', 'Sql.WestEurope', 'AzureMonitor', 'AzureLoadBalancer'])(
    'warning: 0.0.0.0/0 to the appliance, ApiManagement -> Internet and %s -> Internet (no client range)', (tag) => {
      const found = clients([toAppliance('d', '0.0.0.0/0'), management, toInternet('x', tag)]);
      expect(found.map((f) => f.level)).toEqual([ApimRuleLevel.WARNING]);
      expect(found[0].message).toMatch(/no route to Internet for any client range/);
    });
  test.each(['AzureFrontDoor.Backend', '203.0.113.0/24', '52.0.0.0/8'])('pass: %s -> Internet is a client route', (prefix) => {
    expect(clients([toAppliance('d', '0.0.0.0/0'), management, toInternet('x', prefix)])).toEqual([]);
  });
  test('not judged on a partial tunnel: clients outside the tunnelled ranges reach the gateway', () => {
    expect(clients([toAppliance('h', '0.0.0.0/1'), management])).toEqual([]);
    expect(clients([toAppliance('ac', 'AzureCloud'), management])).toEqual([]);
  });
});

describe('a whole tag to Internet exempts ApiManagement from the tunnel', () => {
  test('AzureCloud -> Internet beside 0.0.0.0/0 to the appliance: the management replies leave by Internet; no client route', () => {
    const result = evaluate(withRoutes([toAppliance('d', '0.0.0.0/0'), toInternet('ac', 'AzureCloud')]));
    expect(findings(result, 'APIM-ROUTE-MANAGEMENT')).toEqual([]);
    expect(passes(result, 'APIM-ROUTE-MANAGEMENT')).toBe(true);
    expect(findings(result, 'APIM-ROUTE-CLIENTS').map((f) => f.level)).toEqual([ApimRuleLevel.WARNING]);
  });
  test('lower-case tags are read as Azure reads them', () => {
    expectManagementPasses([toAppliance('d', '0.0.0.0/0'), toInternet('m', 'apimanagement')]);
  });
});

describe('APIM-ROUTE-ENDPOINTS: AzureCloud through the tunnel takes every dependency with it', () => {
  const endpoints = (routes: Json[], subnet: Json = {}) => evaluate(withRoutes(routes, subnet));
  test('warning: AzureCloud -> VirtualAppliance and no service endpoints', () => {
    const found = findings(endpoints([toAppliance('ac', 'AzureCloud'), management], { service_endpoints: [] }), 'APIM-ROUTE-ENDPOINTS');
    expect(found.map((f) => f.level)).toEqual([ApimRuleLevel.WARNING]);
    expect(found[0].message).toMatch(/the subnet's Azure traffic goes through the tunnel \(azurerm_route_table\.rt sends AzureCloud to VirtualAppliance \(route "ac"\)\) but lacks the service endpoints Microsoft\.Storage, Microsoft\.EventHub, Microsoft\.KeyVault, Microsoft\.Sql/);
  });
  test('pass: with the service endpoints', () => {
    expect(passes(endpoints([toAppliance('ac', 'AzureCloud'), management]), 'APIM-ROUTE-ENDPOINTS')).toBe(true);
  });
  test('not judged: public CIDRs or a regional tag through the tunnel (whether a dependency lies there is not known)', () => {
    for (const routes of [[toAppliance('h', '0.0.0.0/1'), management], [toAppliance('r', 'AzureCloud.westeurope'), management]]) {
      const result = endpoints(routes, { service_endpoints: [] });
      expect(result.outcomes.filter((o) => o.ruleId === 'APIM-ROUTE-ENDPOINTS')).toEqual([]);
    }
  });
});

describe('lifecycle.ignore_changes on a route table\'s routes (second review, session 5)', () => {
  test('the routes are what someone sets in Azure: the routing rules are unknown, not judged as configured', () => {
    const doc = network();
    doc.resource.azurerm_route_table = { rt: {
      name: 'rt-apim', location: 'westeurope', resource_group_name: 'rg-apim', lifecycle: { ignore_changes: ['route'] },
      route: [{ name: 'default', address_prefix: '0.0.0.0/0', next_hop_type: 'VirtualAppliance', next_hop_in_ip_address: '10.0.0.4' }],
    } };
    doc.resource.azurerm_subnet_route_table_association = { rt: { subnet_id: '${azurerm_subnet.apim.id}', route_table_id: '${azurerm_route_table.rt.id}' } };
    const result = evaluate(doc);
    expect(findings(result, 'APIM-ROUTE-MANAGEMENT')).toEqual([]);
    expect(unknowns(result, 'APIM-ROUTE-MANAGEMENT').map((f) => f.message)).toEqual([
      expect.stringMatching(/azurerm_route_table\.rt\.route: lifecycle\.ignore_changes = \[route\] keeps what is changed outside Terraform/)]);
  });
});
