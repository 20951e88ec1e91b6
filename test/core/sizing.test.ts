import * as fc from 'fast-check';
import {
  capacityRange, maxCapacityFor, requiredAddresses, smallestPrefixFor, subnetFits, usableAddresses,
} from '../../lib/core/sizing';
import { ApimSku, ApimVirtualNetworkType } from '../../lib/core/types';

const { PREMIUM, DEVELOPER } = ApimSku;
const { EXTERNAL, INTERNAL } = ApimVirtualNetworkType;

describe('addresses', () => {
  test.each([
    [29, 3], [28, 11], [27, 27], [26, 59], [25, 123], [24, 251],
  ])('a /%i has %i usable addresses (5 reserved)', (prefix, usable) => {
    expect(usableAddresses(prefix)).toBe(usable);
  });

  test.each([
    [PREMIUM, 1, EXTERNAL, 2], [PREMIUM, 1, INTERNAL, 3], [PREMIUM, 3, EXTERNAL, 6], [PREMIUM, 31, INTERNAL, 63],
    [DEVELOPER, 1, EXTERNAL, 1], [DEVELOPER, 1, INTERNAL, 2],
  ])('%s x%i in %s mode needs %i addresses', (sku, capacity, mode, needed) => {
    expect(requiredAddresses(sku, capacity, mode)).toBe(needed);
  });
});

describe('the S2 sizing table (facts section 2)', () => {
  // CIDR -> total units that fit, counting the internal load balancer (the table is conservative).
  test.each([[29, 1], [28, 5], [27, 13], [26, 29], [25, 61]])('a /%i holds %i Premium units in Internal mode', (prefix, units) => {
    expect(maxCapacityFor(prefix, PREMIUM, INTERNAL)).toBe(units);
  });

  test('31 Premium units need a /25 (a /26 holds only 29)', () => {
    expect(smallestPrefixFor(PREMIUM, 31, EXTERNAL)).toBe(25);
    expect(smallestPrefixFor(PREMIUM, 31, INTERNAL)).toBe(25);
    expect(subnetFits(26, PREMIUM, 31, EXTERNAL)).toBe(false);
  });

  test('one unit of either SKU fits a /29 in either mode', () => {
    for (const sku of [PREMIUM, DEVELOPER]) {
      for (const mode of [EXTERNAL, INTERNAL]) {
        expect(smallestPrefixFor(sku, 1, mode)).toBe(29);
      }
    }
  });

  test('nothing longer than /29 fits', () => {
    expect(subnetFits(30, DEVELOPER, 1, EXTERNAL)).toBe(false);
    expect(maxCapacityFor(30, PREMIUM, EXTERNAL)).toBe(0);
  });

  test('capacity ranges', () => {
    expect(capacityRange(PREMIUM)).toEqual([1, 31]);
    expect(capacityRange(DEVELOPER)).toEqual([1, 1]);
  });
});

describe('properties', () => {
  const sku = fc.constantFrom(PREMIUM, DEVELOPER);
  const mode = fc.constantFrom(EXTERNAL, INTERNAL);
  const capacity = fc.integer({ min: 1, max: 31 });

  test('the smallest prefix fits and the next smaller subnet does not', () => {
    fc.assert(fc.property(sku, capacity, mode, (s, c, m) => {
      const prefix = smallestPrefixFor(s, c, m);
      expect(prefix).toBeLessThanOrEqual(29);
      expect(subnetFits(prefix, s, c, m)).toBe(true);
      if (prefix < 29) {
        expect(subnetFits(prefix + 1, s, c, m)).toBe(false);
      }
    }));
  });

  test('a subnet fits exactly the capacities up to maxCapacityFor', () => {
    fc.assert(fc.property(fc.integer({ min: 16, max: 32 }), mode, capacity, (prefix, m, c) => {
      const max = maxCapacityFor(prefix, PREMIUM, m);
      expect(subnetFits(prefix, PREMIUM, c, m)).toBe(c <= max && prefix <= 29);
    }));
  });

  test('bigger subnets never hold fewer units', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 29 }), sku, mode, (prefix, s, m) => {
      expect(maxCapacityFor(prefix - 1, s, m)).toBeGreaterThanOrEqual(maxCapacityFor(prefix, s, m));
    }));
  });

  test('Internal mode never needs a smaller subnet than External', () => {
    fc.assert(fc.property(sku, capacity, (s, c) => {
      expect(smallestPrefixFor(s, c, INTERNAL)).toBeLessThanOrEqual(smallestPrefixFor(s, c, EXTERNAL));
    }));
  });
});
