/** Messages that name what the user wrote: the deny in doubt, the suppression id meant. */
import { ApimNetworkError, ApimNetworkRules } from '../../lib';
import { documentedRules, evaluate, findings, network, nsgRule } from './raw-json';

describe('messages', () => {
  test('a deny of AzureCloud.WestEurope ahead of the ApiManagement allow: the warning names the deny\'s prefix', () => {
    const deny = { ...nsgRule('d', 90, 'Inbound', 'AzureCloud.WestEurope', 'VirtualNetwork', '3443'), access: 'Deny' };
    const [finding] = findings(evaluate(network({ rules: [deny, ...documentedRules()] })), 'APIM-NSG-SHADOWED');
    expect(finding.detail).toBe('Inbound:ApiManagement:3443');
    expect(finding.message).toMatch(/whether AzureCloud\.WestEurope overlaps ApiManagement cannot be known/);
  });

  test.each([
    ['APIM-NSG-REQUIRED ', 'APIM-NSG-REQUIRED'],
    [' APIM-UNKNOWN[APIM-LOCATION]', 'APIM-UNKNOWN[APIM-LOCATION]'],
    ['APIM\u2010NSG\u2010REQUIRED', 'APIM-NSG-REQUIRED'],
    ['APIM\u2013NSG\u2013EXPOSED[a]', 'APIM-NSG-EXPOSED[a]'],
    [' apim-nsg-exposed', 'APIM-NSG-EXPOSED'],
    ['APIM-NSG-REQUIRED [Inbound:Internet:443]', 'APIM-NSG-REQUIRED[Inbound:Internet:443]'],
    ['APIM-NSG-\u200BEXPOSED', 'APIM-NSG-EXPOSED'],
  ])('suppression id %j: refused with did you mean %j', (given, meant) => {
    let error: unknown;
    try {
      ApimNetworkRules.evaluate({}, [{ ruleId: given, reason: 'a perfectly good reason', constructPath: 'x' }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApimNetworkError);
    expect((error as Error).message).toContain(`did you mean "${meant}"?`);
  });

  test('a valid id whose detail holds a typographic dash is accepted as it is', () => {
    expect(() => ApimNetworkRules.evaluate({}, [{ ruleId: 'APIM-NSG-EXPOSED[allow\u2013partner]', reason: 'a perfectly good reason', constructPath: 'x' }])).not.toThrow();
  });
});

describe('outside review, session 6: messages and spellings', () => {
  test('a tag near miss quotes the tag as the rule writes it (it said "azurefrontdoor" for AzureFrontDoor.Backend)', () => {
    const document = network({ rules: documentedRules().map((r) => (r.name === 'client' ? { ...r, source_address_prefix: 'AzureFrontDoor.Backend' } : r)) });
    const r = document.resource;
    r.azurerm_virtual_network.vnet2 = { ...r.azurerm_virtual_network.vnet, name: 'vnet-neu', location: 'northeurope', address_space: ['10.1.0.0/16'] };
    r.azurerm_subnet.apim2 = { ...r.azurerm_subnet.apim, virtual_network_name: '${azurerm_virtual_network.vnet2.name}', address_prefixes: ['10.1.1.0/27'] };
    r.azurerm_network_security_group.nsg2 = { ...r.azurerm_network_security_group.nsg, name: 'nsg-neu', location: 'northeurope' };
    r.azurerm_subnet_network_security_group_association.apim2 = { subnet_id: '${azurerm_subnet.apim2.id}', network_security_group_id: '${azurerm_network_security_group.nsg2.id}' };
    r.azurerm_public_ip.apim2 = { ...r.azurerm_public_ip.apim, name: 'pip-neu', location: 'northeurope', domain_name_label: 'contoso-apim-neu' };
    r.azurerm_api_management.apim.additional_location = [{ location: 'northeurope', virtual_network_configuration: { subnet_id: '${azurerm_subnet.apim2.id}' }, public_ip_address_id: '${azurerm_public_ip.apim2.id}' }];
    const messages = findings(evaluate(document), 'APIM-NSG-NEARMISS').filter((f) => f.detail === 'client:tag').map((f) => f.message);
    expect(messages.length).toBeGreaterThan(0);
    for (const message of messages) {
      expect(message).toContain('has service tag AzureFrontDoor.Backend where traffic-manager needs AzureTrafficManager');
    }
  });

  test('virtual_network_type with blanks around is read as its mode; a value that is no mode is judged as injected, the mode unknown (it was "not injected")', () => {
    const noRules = (type: string) => evaluate(network({ rules: [], apim: { virtual_network_type: type } }));
    // " Internal " is Internal, as "external" is External: the NSG without rules fails.
    expect(findings(noRules('Internal '), 'APIM-NSG-REQUIRED').length).toBeGreaterThan(0);
    expect(findings(noRules('external'), 'APIM-NSG-REQUIRED').length).toBeGreaterThan(0);
    // A typo: whether the instance is External or Internal is not known, but its NSG is still judged on what both need.
    const typo = noRules('Intrenal');
    expect(findings(typo, 'APIM-NSG-REQUIRED').map((f) => f.detail)).toContain('Inbound:ApiManagement:3443');
    expect(typo.findings.filter((f) => f.ruleId === 'APIM-UNKNOWN').map((f) => f.message).join('\n')).toContain('is "Intrenal", which is none of None, External and Internal');
    // None in any case, with blanks, is not injected: no NSG finding.
    expect(findings(noRules(' none'), 'APIM-NSG-REQUIRED')).toEqual([]);
  });
});
