import * as fc from 'fast-check';
import {
  AzureNameKind, azureNameMaxLength, azureNameProblem, fitAzureName, shortHash, tagKeyProblem, tagValueProblem,
} from '../../lib/core/azure-names';

describe('Azure naming rules', () => {
  test.each<[AzureNameKind, string]>([
    ['virtual network', 'vn'], ['virtual network', 'vnet-hub_01'], ['virtual network', 'a'.repeat(64)], ['subnet', 's'],
    ['subnet', 'snet.apim_'], ['network security group', 'n'.repeat(80)], ['public IP', 'pip-contoso-westeurope'],
    ['resource group', 'rg-(prod)_1'], ['resource group', 'rg-ünïcode'], ['resource group', 'r'.repeat(90)],
    ['API Management service', 'a'], ['API Management service', 'contoso-apim'], ['security rule', 'allow-backends'],
  ])('%s %j is valid', (kind, name) => {
    expect(azureNameProblem(kind, name)).toBeUndefined();
  });

  test.each<[AzureNameKind, string, RegExp]>([
    ['virtual network', 'v', /1 characters/], ['virtual network', 'a'.repeat(65), /65 characters/],
    ['subnet', '', /0 characters/], ['subnet', '-snet', /starts with "-"/], ['subnet', 'snet.', /ends with "\."/],
    ['public IP', 'pip apim', /" "/], ['network security group', 'n'.repeat(81), /81 characters/],
    ['resource group', 'rg.', /ends with "\."/], ['resource group', 'r'.repeat(91), /91 characters/], ['resource group', 'rg/x', /"\/"/],
    ['API Management service', '1apim', /starts with "1"/], ['API Management service', 'apim-', /ends with "-"/],
    ['API Management service', 'contoso_apim', /"_"/], ['API Management service', 'a'.repeat(51), /51 characters/],
  ])('%s %j is refused (%s)', (kind, name, reason) => {
    expect(azureNameProblem(kind, name)).toMatch(reason);
  });

  test('tags: names without < > % & \\ ? /, at most 512 characters; values at most 256', () => {
    expect(tagKeyProblem('cost-center')).toBeUndefined();
    expect(tagKeyProblem('a/b')).toMatch(/"\/"/);
    expect(tagKeyProblem('k'.repeat(513))).toMatch(/513 characters/);
    expect(tagKeyProblem('')).toMatch(/empty/);
    expect(tagValueProblem('v'.repeat(256))).toBeUndefined();
    expect(tagValueProblem('v'.repeat(257))).toMatch(/257 characters/);
  });
});

describe('fitting derived names', () => {
  test('a name that fits is left as it is', () => {
    expect(fitAzureName('virtual network', 'vnet-', 'contoso-apim', '-westeurope')).toBe('vnet-contoso-apim-westeurope');
  });

  test('a long name keeps its prefix and suffix, cuts the base and adds a hash of the whole name', () => {
    const base = `contoso-${'a'.repeat(42)}`;
    const fitted = fitAzureName('virtual network', 'vnet-', base, '-germanywestcentral');
    expect(fitted).toBe(`vnet-contoso-${'a'.repeat(25)}-${shortHash(`vnet-${base}-germanywestcentral`)}-germanywestcentral`);
    expect(fitted).toHaveLength(64);
    expect(fitAzureName('virtual network', 'vnet-', `${base.slice(0, -1)}b`, '-germanywestcentral')).not.toBe(fitted);
  });

  test('the cut never leaves a hyphen or a period before the hash', () => {
    const fitted = fitAzureName('virtual network', 'vnet-', `${'a'.repeat(31)}-${'b'.repeat(20)}`, '-germanywestcentral');
    expect(fitted).not.toMatch(/--/);
    expect(azureNameProblem('virtual network', fitted)).toBeUndefined();
  });

  test('property: any valid base fits every kind\'s limit, deterministically', () => {
    const kinds: AzureNameKind[] = ['virtual network', 'subnet', 'network security group', 'public IP'];
    fc.assert(fc.property(fc.constantFrom(...kinds), fc.stringMatching(/^[a-z][a-z0-9-]{0,48}[a-z0-9]$/), fc.stringMatching(/^[a-z][a-z0-9]{1,40}$/),
      (kind, base, location) => {
        const fitted = fitAzureName(kind, 'x-', base, `-${location}`);
        expect(fitted.length).toBeLessThanOrEqual(azureNameMaxLength(kind));
        expect(azureNameProblem(kind, fitted)).toBeUndefined();
        expect(fitAzureName(kind, 'x-', base, `-${location}`)).toBe(fitted);
      }), { numRuns: 300 });
  });

  test('the hash is 6 hex characters and stable', () => {
    expect(shortHash('vnet-contoso')).toMatch(/^[0-9a-f]{6}$/);
    expect(shortHash('vnet-contoso')).toBe(shortHash('vnet-contoso'));
    expect(shortHash('')).toBe('811c9d');
  });
});
