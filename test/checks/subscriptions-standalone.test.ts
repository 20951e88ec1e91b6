/**
 * Standalone rules and routes name their NSG or route table by name and resource group; Terraform creates them through
 * their own provider, in its subscription (outside review, session 6, finding 4). A rule or route of another
 * subscription is on another resource of that name; one whose subscription cannot be known may or may not be on it.
 */
import { ApimNetworkChecks } from '../../lib';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { Testing } from 'cdktf';
import { Json, documentedRules, evaluate, findings, network, unknowns } from './raw-json';
import { brownfield } from './brownfield';

const SPOKE = '22222222-2222-2222-2222-222222222222';
const HUB = '11111111-1111-1111-1111-111111111111';

/** Providers: the default one (the APIM's) and `azurerm.hub`; undefined leaves subscription_id out. */
function providers(document: Json, spoke: string | undefined, hub: string | undefined): Json {
  document.provider = { azurerm: [{ features: {}, ...(spoke ? { subscription_id: spoke } : {}) }, { alias: 'hub', features: {}, ...(hub ? { subscription_id: hub } : {}) }] };
  return document;
}

/** The compliant network with every NSG rule standalone; `through` gives some rules the hub's provider. */
function standaloneRules(spoke: string | undefined, hub: string | undefined, through: string[] = []): Json {
  const document = providers(network({ rules: [] }), spoke, hub);
  delete document.resource.azurerm_network_security_group.nsg.security_rule;
  document.resource.azurerm_network_security_rule = Object.fromEntries(documentedRules().map((rule) => [rule.name, {
    ...rule, resource_group_name: 'rg-apim', network_security_group_name: 'nsg-apim', ...(through.includes(rule.name) ? { provider: 'azurerm.hub' } : {}),
  }]));
  return document;
}

const deny3443 = {
  name: 'deny-3443', priority: 105, direction: 'Inbound', access: 'Deny', protocol: '*', source_port_range: '*', source_address_prefix: '*',
  destination_address_prefix: '*', destination_port_range: '3443', resource_group_name: 'rg-apim', network_security_group_name: 'nsg-apim',
};

describe('standalone NSG rules of another subscription', () => {
  test('the management allow created through the hub\'s provider is not on the APIM\'s NSG: APIM-NSG-REQUIRED (it passed)', () => {
    const result = evaluate(standaloneRules(SPOKE, HUB, ['management']));
    expect(findings(result, 'APIM-NSG-REQUIRED').map((f) => `${f.level} ${f.detail}`)).toEqual(['error Inbound:ApiManagement:3443']);
    // Control: the same rules through providers of one subscription (spelt in other cases) pass.
    expect(findings(evaluate(standaloneRules(SPOKE, SPOKE.toUpperCase(), ['management'])), 'APIM-NSG-REQUIRED')).toEqual([]);
    expect(findings(evaluate(standaloneRules(SPOKE, HUB)), 'APIM-NSG-REQUIRED')).toEqual([]);
  });

  test('one provider with subscription_id and one without: whether the rule is on the NSG is unknown, saying why', () => {
    const result = evaluate(standaloneRules(undefined, HUB, ['management']));
    expect(findings(result, 'APIM-NSG-REQUIRED')).toEqual([]);
    expect(unknowns(result, 'APIM-NSG-REQUIRED').map((f) => f.message)).toEqual([
      expect.stringMatching(/whether azurerm_network_security_rule\.management and azurerm_network_security_group\.nsg are in one subscription: provider azurerm\.hub sets subscription_id 1111.*; provider azurerm sets no subscription_id/)]);
  });

  test('two providers without subscription_id take one ARM_SUBSCRIPTION_ID: the rule is on the NSG', () => {
    expect(findings(evaluate(standaloneRules(undefined, undefined, ['management'])), 'APIM-NSG-REQUIRED')).toEqual([]);
    expect(unknowns(evaluate(standaloneRules(undefined, undefined, ['management'])), 'APIM-NSG-REQUIRED')).toEqual([]);
  });

  test('a deny of 3443 created through the hub\'s provider on an NSG of the same name is another NSG: no finding (it was an error)', () => {
    const document = providers(network(), SPOKE, HUB);
    document.resource.azurerm_network_security_rule = { deny: { ...deny3443, provider: 'azurerm.hub' } };
    const result = evaluate(document);
    expect(findings(result, 'APIM-NSG-SHADOWED')).toEqual([]);
    expect(findings(result, 'APIM-NSG-MIXED')).toEqual([]);
    // Control: through the APIM's own provider it is on the NSG.
    document.resource.azurerm_network_security_rule.deny.provider = 'azurerm';
    expect(findings(evaluate(document), 'APIM-NSG-SHADOWED').map((f) => f.level)).toEqual(['error']);
  });

  test('an NSG of the same name and resource group in each subscription: each standalone rule is on the one of its own', () => {
    const document = standaloneRules(SPOKE, HUB);
    document.resource.azurerm_network_security_group.hub = { name: 'nsg-apim', location: 'westeurope', resource_group_name: 'rg-apim', provider: 'azurerm.hub' };
    document.resource.azurerm_network_security_rule.deny = { ...deny3443, provider: 'azurerm.hub' };
    const result = evaluate(document);
    // Not "several NSGs named nsg-apim" (unknown), and the hub's deny is not on the APIM's NSG.
    expect(findings(result, 'APIM-NSG-SHADOWED')).toEqual([]);
    expect(findings(result, 'APIM-NSG-REQUIRED')).toEqual([]);
    expect(unknowns(result, 'APIM-NSG-REQUIRED')).toEqual([]);
  });
});

describe('standalone routes of another subscription', () => {
  function withRoute(route: Json): Json {
    const document = providers(network(), SPOKE, HUB);
    document.resource.azurerm_route_table = { rt: { name: 'rt-apim', location: 'westeurope', resource_group_name: 'rg-apim' } };
    document.resource.azurerm_subnet_route_table_association = { a: { subnet_id: '${azurerm_subnet.apim.id}', route_table_id: '${azurerm_route_table.rt.id}' } };
    document.resource.azurerm_route = { default: { name: 'default', resource_group_name: 'rg-apim', route_table_name: 'rt-apim', address_prefix: '0.0.0.0/0', next_hop_type: 'VirtualAppliance', next_hop_in_ip_address: '10.9.0.4', ...route } };
    return document;
  }

  test('a default route to an appliance through the hub\'s provider is on another route table: no finding (it was an error)', () => {
    expect(findings(evaluate(withRoute({ provider: 'azurerm.hub' })), 'APIM-ROUTE-MANAGEMENT')).toEqual([]);
    expect(findings(evaluate(withRoute({})), 'APIM-ROUTE-MANAGEMENT').map((f) => f.level)).toEqual(['error']);
  });

  test('a route through a provider whose subscription is not known: unknown', () => {
    const document = withRoute({ provider: 'azurerm.hub' });
    document.provider.azurerm[1].subscription_id = '${var.hub_subscription}';
    const result = evaluate(document);
    expect(findings(result, 'APIM-ROUTE-MANAGEMENT')).toEqual([]);
    expect(unknowns(result, 'APIM-ROUTE-MANAGEMENT').map((f) => f.message)).toEqual([expect.stringMatching(/whether azurerm_route\.default exists: whether azurerm_route\.default and azurerm_route_table\.rt are in one subscription/)]);
  });
});

describe('through synth (cdktf L1 resources)', () => {
  test('a deny of 3443 on the NSG through a provider alias of another subscription does not fail synth; through the NSG\'s own, it does', () => {
    for (const [alias, fails] of [['hub', false], [undefined, true]] as const) {
      const b = brownfield();
      const hub = new AzurermProvider(b.stack, 'hub', { features: [{}], alias: 'hub', subscriptionId: HUB });
      (b.stack.node.findChild('azurerm') as AzurermProvider).subscriptionId = SPOKE;
      new NetworkSecurityRule(b.stack, 'deny', {
        name: 'deny-3443', priority: 105, direction: 'Inbound', access: 'Deny', protocol: '*', sourcePortRange: '*', sourceAddressPrefix: '*',
        destinationAddressPrefix: '*', destinationPortRange: '3443', resourceGroupName: 'rg', networkSecurityGroupName: (b.nsg as NetworkSecurityGroup).name,
        provider: alias ? hub : undefined,
      });
      ApimNetworkChecks.applyTo(b.stack);
      const synth = () => Testing.fullSynth(b.stack);
      if (fails) {
        expect(synth).toThrow(/\[APIM-NSG-SHADOWED\[Inbound:ApiManagement:3443\]\]/);
      } else {
        // The NSG has inline rules; a rule of another subscription is not "mixed" with them either.
        expect(synth).not.toThrow();
      }
    }
  });
});
