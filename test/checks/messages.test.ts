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
