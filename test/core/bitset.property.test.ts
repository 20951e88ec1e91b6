/**
 * Property: BitSet (which stores only the span of words between its first and last member) agrees with a plain Set of
 * numbers on every operation.
 */
import * as fc from 'fast-check';
import { BitSet } from '../../lib/core/bitset';

const SIZE = 300;
const members = fc.array(fc.integer({ min: 0, max: SIZE - 1 }), { maxLength: 40 });
const ranges = fc.array(fc.tuple(fc.integer({ min: 0, max: SIZE }), fc.integer({ min: 0, max: 70 })).map(([start, length]) => [start, Math.min(SIZE, start + length)] as [number, number]), { maxLength: 4 });
const set = fc.oneof(
  members.map((m) => ({ bits: BitSet.of(SIZE, m), ref: new Set(m) })),
  ranges.map((r) => ({ bits: BitSet.ofRanges(SIZE, r), ref: new Set(r.flatMap(([a, b]) => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i))) })),
  fc.constant({ bits: BitSet.all(SIZE), ref: new Set(Array.from({ length: SIZE }, (_, i) => i)) }),
  fc.constant({ bits: BitSet.none(SIZE), ref: new Set<number>() }),
);
const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

describe('BitSet against a Set of numbers', () => {
  test('members, and, or, minus, containsAll, overlaps, equals, isEmpty, has', () => {
    fc.assert(fc.property(set, set, fc.integer({ min: 0, max: SIZE - 1 }), (a, b, probe) => {
      expect(a.bits.members()).toEqual(sorted(a.ref));
      expect(a.bits.and(b.bits).members()).toEqual(sorted(new Set([...a.ref].filter((m) => b.ref.has(m)))));
      expect(a.bits.or(b.bits).members()).toEqual(sorted(new Set([...a.ref, ...b.ref])));
      expect(a.bits.minus(b.bits).members()).toEqual(sorted(new Set([...a.ref].filter((m) => !b.ref.has(m)))));
      expect(a.bits.containsAll(b.bits)).toBe([...b.ref].every((m) => a.ref.has(m)));
      expect(a.bits.overlaps(b.bits)).toBe([...a.ref].some((m) => b.ref.has(m)));
      expect(a.bits.equals(b.bits)).toBe(sorted(a.ref).join() === sorted(b.ref).join());
      expect(a.bits.isEmpty).toBe(a.ref.size === 0);
      expect(a.bits.has(probe)).toBe(a.ref.has(probe));
    }), { numRuns: 2000, seed: 20261126 });
  });
});
