/**
 * examples/internal-forced-tunnel: Internal mode, two locations, a firewall per location, private DNS, and the firewall
 * rules fed from the dependency list. Snapshot, pinned addresses and "no error finding" are in examples.test.ts and
 * stability.test.ts like every example; this file checks what the example is for.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FirewallPolicyRuleCollectionGroup } from '@cdktf/provider-azurerm/lib/firewall-policy-rule-collection-group';
import { RouteTable } from '@cdktf/provider-azurerm/lib/route-table';
import { Testing } from 'cdktf';
import { ApimNetworkTesting, ApimRuleOutcome } from '../lib';
import { InternalForcedTunnelStack } from '../examples/internal-forced-tunnel/main';
import { resourcesOf } from './support/stack';

const synth = () => Testing.synth(new InternalForcedTunnelStack(Testing.app(), 'internal-forced-tunnel'));

describe('examples/internal-forced-tunnel', () => {
  test('each location routes 0.0.0.0/0 to its own hub firewall and ApiManagement to Internet, and has the tunnelling endpoints', () => {
    const doc = JSON.parse(synth());
    const tables = resourcesOf(doc, 'azurerm_route_table').map(([, t]) => [t.location, t.route.map((r: any) => [r.address_prefix, r.next_hop_type, r.next_hop_in_ip_address])]);
    expect(tables.sort()).toEqual([
      ['northeurope', [['0.0.0.0/0', 'VirtualAppliance', '10.200.0.4'], ['ApiManagement', 'Internet', null]]],
      ['westeurope', [['0.0.0.0/0', 'VirtualAppliance', '10.100.0.4'], ['ApiManagement', 'Internet', null]]],
    ]);
    expect(resourcesOf(doc, 'azurerm_subnet_route_table_association')).toHaveLength(2);
    const subnets = Object.fromEntries(resourcesOf(doc, 'azurerm_subnet').map(([, s]) => [s.address_prefixes[0], s.service_endpoints]));
    expect(subnets).toEqual({
      '10.110.1.0/27': ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Sql', 'Microsoft.Storage'],
      '10.120.1.0/27': ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Storage'],
    });
    expect(synth()).toHaveResourceWithProperties(RouteTable, { name: 'rt-contoso-int-apim-westeurope' });
  });

  test('APIM waits for the route table and NSG associations; each spoke resolves through its hub\'s DNS resolver', () => {
    const doc = JSON.parse(synth());
    expect(doc.resource.azurerm_api_management.apim.depends_on.map((d: string) => d.split('.')[0]).sort()).toEqual([
      'azurerm_subnet_network_security_group_association', 'azurerm_subnet_network_security_group_association',
      'azurerm_subnet_route_table_association', 'azurerm_subnet_route_table_association',
    ]);
    expect(resourcesOf(doc, 'azurerm_virtual_network').map(([, v]) => [v.location, v.dns_servers]).sort()).toEqual([
      ['northeurope', ['10.200.2.4']], ['westeurope', ['10.100.2.4']],
    ]);
  });

  test('seven private zones (five primary hosts, two regional gateways), each linked to both spokes and both hubs', () => {
    const doc = JSON.parse(synth());
    expect(resourcesOf(doc, 'azurerm_private_dns_zone').map(([, z]) => z.name).sort()).toEqual([
      'contoso-int-apim-northeurope-01.regional.azure-api.net', 'contoso-int-apim-westeurope-01.regional.azure-api.net',
      'contoso-int-apim.azure-api.net', 'contoso-int-apim.developer.azure-api.net', 'contoso-int-apim.management.azure-api.net',
      'contoso-int-apim.portal.azure-api.net', 'contoso-int-apim.scm.azure-api.net',
    ]);
    const links = resourcesOf(doc, 'azurerm_private_dns_zone_virtual_network_link');
    expect(links).toHaveLength(28);
    expect(new Set(links.map(([, l]) => l.name))).toEqual(new Set(['vnet-westeurope', 'vnet-northeurope', 'vnet-hub-westeurope', 'vnet-hub-northeurope']));
  });

  test('the firewall rules: FQDNs on 80/443 as application rules, the rest as network rules; the secondary reaches the primary\'s SQL', () => {
    const doc = JSON.parse(synth());
    const groups = Object.fromEntries(resourcesOf(doc, 'azurerm_firewall_policy_rule_collection_group').map(([name, g]) => [name, g]));
    const north = groups['apim-rules-northeurope'];
    expect(north.application_rule_collection[0].rule.map((r: any) => r.name)).toEqual(['tls-chain', 'entra-id', 'internal-diagnostics', 'pki', 'windows-update', 'defender']);
    expect(north.network_rule_collection[0].rule.map((r: any) => [r.name, r.protocols, r.destination_ports, r.destination_addresses])).toEqual([
      ['azure-monitor', ['TCP'], ['1886', '443'], ['AzureMonitor']],
      ['ntp', ['UDP'], ['123'], ['*']],
      ['diagnostics-12000', ['TCP'], ['12000'], ['AzureCloud']],
      ['sql-primary', ['TCP'], ['1433'], ['Sql.WestEurope']],
    ]);
    expect(groups['apim-rules-westeurope'].network_rule_collection[0].rule.map((r: any) => r.name)).not.toContain('sql-primary');
    expect(north.application_rule_collection[0].rule[0].source_addresses).toEqual(['10.120.1.0/27']);
    expect(synth()).toHaveResourceWithProperties(FirewallPolicyRuleCollectionGroup, { name: 'apim-dependencies', priority: 500 });
  });

  test('the routing and DNS rules pass (not merely: no finding)', () => {
    const result = ApimNetworkTesting.evaluate(new InternalForcedTunnelStack(Testing.app(), 'internal-forced-tunnel'));
    for (const rule of ['APIM-ROUTE-MANAGEMENT', 'APIM-ROUTE-ENDPOINTS', 'APIM-DNS-INTERNAL', 'APIM-DNS-APEX']) {
      const outcomes = result.outcomes.filter((o) => o.ruleId === rule);
      expect(outcomes.length).toBeGreaterThan(0);
      expect(outcomes.every((o) => o.outcome === ApimRuleOutcome.PASS)).toBe(true);
    }
    expect(result.findings).toEqual([]);
  });

  test('the README shows the example\'s firewall function word for word', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', 'examples', 'internal-forced-tunnel', 'main.ts'), 'utf8');
    const start = source.indexOf('// README: firewall-rules (start)\n') + '// README: firewall-rules (start)\n'.length;
    const snippet = source.slice(start, source.indexOf('// README: firewall-rules (end)'));
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    expect(snippet.length).toBeGreaterThan(500);
    expect(readme).toContain(snippet);
  });
});
