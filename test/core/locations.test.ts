import * as fc from 'fast-check';
import {
  closestRegion, editDistance, isPlausibleLocation, knownRegions, normalizeLocation, regionInfo, regionalTag, regionalTagSuffix,
  sameLocation, zonesOf,
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

  test.each([
    ['westeurope', ['1', '2', '3']], ['East US 2', ['1', '2', '3']], ['westcentralus', []], ['UK West', []], ['marscentral', undefined],
  ])('zones of %j: %j', (location, zones) => {
    expect(zonesOf(location)).toEqual(zones);
  });

  test.each([
    ['northeurpoe', 'northeurope'], ['North Eurpoe', 'northeurope'], ['westeurpe', 'westeurope'], ['eastus3', 'eastus'],
    ['germanywestcentrl', 'germanywestcentral'], ['westeurope', 'westeurope'], ['marscentral', undefined], ['xyz', undefined],
  ])('closest listed region to %j: %j', (location, closest) => {
    expect(closestRegion(location)).toBe(closest);
  });

  test('edit distance: insertions, deletions, replacements and swaps of neighbours cost one each', () => {
    expect(editDistance('northeurope', 'northeurpoe')).toBe(1);
    expect(editDistance('westus', 'westus2')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    fc.assert(fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
      expect(editDistance(a, b)).toBe(editDistance(b, a));
      expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      expect(editDistance(a, b) === 0).toBe(a === b);
    }));
  });
});
