import * as fc from 'fast-check';
import { DNS_LABEL_PATTERN, defaultDnsLabel, dnsLabelProblem } from '../../lib/core/dns-label';
import { canonicalEndpoint, decideEndpoints } from '../../lib/core/service-endpoints';

describe('DNS labels', () => {
  test.each(['abc', 'contoso-apim', 'contoso-apim-westeurope', 'a1-b2', 'a'.repeat(63)])('%s is valid', (label) => {
    expect(dnsLabelProblem(label)).toBeUndefined();
  });

  test.each([
    ['ab', /2 characters/], ['a'.repeat(64), /64 characters/], ['Contoso', /upper-case/], ['contoso_apim', /"_"/],
    ['1contoso', /start with a letter/], ['contoso-', /ends with a hyphen/], ['con toso', /" "/], ['contoso.apim', /"\."/],
  ])('%s is refused (%s)', (label, reason) => {
    expect(dnsLabelProblem(label)).toMatch(reason);
  });

  test('the default label is the APIM name, lower case (the same in every region)', () => {
    expect(defaultDnsLabel('Contoso-APIM')).toBe('contoso-apim');
  });

  test('property: the checker agrees with the pattern', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-zA-Z0-9_. -]{0,70}$/), (label) => {
      expect(dnsLabelProblem(label) === undefined).toBe(DNS_LABEL_PATTERN.test(label));
    }));
  });
});

describe('service endpoints', () => {
  test('forced tunnelling: Storage, EventHub, KeyVault everywhere, Sql in the primary only', () => {
    expect(decideEndpoints({ location: 'westeurope', primaryLocation: 'West Europe', forcedTunnelling: true, extra: [] }))
      .toEqual(['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Sql', 'Microsoft.Storage']);
    expect(decideEndpoints({ location: 'northeurope', primaryLocation: 'westeurope', forcedTunnelling: true, extra: [] }))
      .toEqual(['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Storage']);
  });

  test('extra endpoints are added once', () => {
    expect(decideEndpoints({ location: 'westeurope', primaryLocation: 'westeurope', forcedTunnelling: true, extra: ['Microsoft.Storage', 'Microsoft.ServiceBus'] }))
      .toEqual(['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.ServiceBus', 'Microsoft.Sql', 'Microsoft.Storage']);
    expect(decideEndpoints({ location: 'westeurope', primaryLocation: 'westeurope', forcedTunnelling: false, extra: [] })).toEqual([]);
  });

  test('canonical spelling', () => {
    expect(canonicalEndpoint('microsoft.storage')).toBe('Microsoft.Storage');
    expect(canonicalEndpoint('Microsoft.Storag')).toBeUndefined();
  });
});
