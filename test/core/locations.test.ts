import * as fc from 'fast-check';
import {
  closestRegion, editDistance, editDistanceWithin, isPlausibleLocation, knownRegions, normalizeLocation, regionInfo, regionalTag, regionalTagSuffix,
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

  test('bounded edit distance: the distance when it is at most the bound, else the bound plus one', () => {
    expect(editDistanceWithin('northeurope', 'northeurpoe', 1)).toBe(1);
    expect(editDistanceWithin('benchregiona', 'westeurope', 2)).toBe(3);
    expect(editDistanceWithin('', 'ab', 2)).toBe(2);
    // A small alphabet makes near strings, swaps and ties common.
    const near = fc.string({ unit: fc.constantFrom('a', 'b', 'e', 'n', 's', '2'), maxLength: 12 });
    for (const text of [near, fc.string({ maxLength: 14 })]) {
      fc.assert(fc.property(text, text, fc.integer({ min: 0, max: 4 }), (a, b, max) => {
        expect(editDistanceWithin(a, b, max)).toBe(Math.min(editDistance(a, b), max + 1));
      }), { numRuns: 2000 });
    }
  });

  test('the closest region is the nearest listed name within the limit, the smallest name on a tie', () => {
    const listed = knownRegions();
    const limit = (name: string) => Math.min(2, Math.max(1, Math.floor(name.length / 4)));
    // What closestRegion must return, by brute force over every listed region with the unbounded distance.
    const reference = (location: string): string | undefined => {
      const name = normalizeLocation(location);
      const ranked = listed.map((region) => ({ region, distance: editDistance(name, region) }))
        .filter((r) => r.distance <= limit(name))
        .sort((x, y) => x.distance - y.distance || (x.region < y.region ? -1 : 1));
      return ranked[0]?.region;
    };
    const edited = fc.tuple(fc.constantFrom(...listed), fc.array(fc.tuple(fc.nat(30), fc.constantFrom('a', 'e', 's', '2', '')), { maxLength: 3 }))
      .map(([region, edits]) => edits.reduce((s, [at, c]) => `${s.slice(0, at % (s.length + 1))}${c}${s.slice((at % (s.length + 1)) + 1)}`, region));
    fc.assert(fc.property(fc.oneof(edited, fc.string({ maxLength: 16 })), (location) => {
      expect(closestRegion(location)).toBe(reference(location));
    }), { numRuns: 2000 });
  });
});
