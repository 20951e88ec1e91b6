import {
  isPlausibleLocation, knownRegions, normalizeLocation, regionInfo, regionalTag, regionalTagSuffix, sameLocation,
} from '../../lib/core/locations';

describe('locations', () => {
  test.each([
    ['West Europe', 'westeurope'], ['westeurope', 'westeurope'], [' WestEurope ', 'westeurope'], ['East US 2', 'eastus2'],
    ['eastus2', 'eastus2'], ['UK  South', 'uksouth'],
  ])('%j normalises to %s', (given, normalized) => {
    expect(normalizeLocation(given)).toBe(normalized);
  });

  test('spellings of one location are the same location', () => {
    expect(sameLocation('West Europe', 'westeurope')).toBe(true);
    expect(sameLocation('West Europe', 'North Europe')).toBe(false);
  });

  test.each([['westeurope', true], ['eastus2', true], ['2west', false], ['west-europe', false], ['', false]])(
    'plausible(%j) = %s', (name, ok) => {
      expect(isPlausibleLocation(name)).toBe(ok);
    });

  test.each([
    ['westeurope', 'WestEurope'], ['East US 2', 'EastUS2'], ['uksouth', 'UKSouth'], ['Mars Central', 'MarsCentral'],
    ['marscentral', 'Marscentral'],
  ])('regional tag suffix of %j is %s', (location, suffix) => {
    expect(regionalTagSuffix(location)).toBe(suffix);
  });

  test('regional tags', () => {
    expect(regionalTag('Storage', 'West Europe')).toBe('Storage.WestEurope');
    expect(regionalTag('Sql', 'eastus')).toBe('Sql.EastUS');
  });

  test('region table', () => {
    expect(regionInfo('West Europe')).toEqual({ name: 'westeurope', displayName: 'West Europe', zonal: true });
    expect(regionInfo('ukwest')?.zonal).toBe(false);
    expect(regionInfo('nowhere')).toBeUndefined();
    expect(knownRegions().every(isPlausibleLocation)).toBe(true);
    expect(new Set(knownRegions()).size).toBe(knownRegions().length);
  });
});
