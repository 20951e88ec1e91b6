/**
 * Sets of integers as sorted, disjoint, non-adjacent closed intervals: IPv4 addresses (0 .. 2^32-1) and ports
 * (0 .. 65535). Exact for any union, intersection or difference, so `0.0.0.0/1` + `128.0.0.0/1` is all of IPv4.
 * Pure: no cdktf.
 */

/** A closed interval `[low, high]`. */
export type Interval = readonly [number, number];

/** An immutable set of integers. */
export class IntervalSet {
  /** The empty set. */
  public static readonly EMPTY = new IntervalSet([]);

  /** The set of one interval (empty when `low > high`). */
  public static of(low: number, high: number): IntervalSet {
    return low > high ? IntervalSet.EMPTY : new IntervalSet([[low, high]]);
  }

  /** The union of any intervals (in any order, overlapping or not). */
  public static union(intervals: Iterable<Interval>): IntervalSet {
    const sorted = [...intervals].filter(([low, high]) => low <= high).sort((a, b) => a[0] - b[0]);
    const out: Array<[number, number]> = [];
    for (const [low, high] of sorted) {
      const last = out[out.length - 1];
      if (last && low <= last[1] + 1) {
        last[1] = Math.max(last[1], high);
      } else {
        out.push([low, high]);
      }
    }
    return new IntervalSet(out);
  }

  private constructor(public readonly intervals: readonly Interval[]) {}

  public get isEmpty(): boolean {
    return this.intervals.length === 0;
  }

  /** Number of integers in the set. */
  public get size(): number {
    return this.intervals.reduce((n, [low, high]) => n + high - low + 1, 0);
  }

  public has(value: number): boolean {
    return this.intervals.some(([low, high]) => low <= value && value <= high);
  }

  public or(other: IntervalSet): IntervalSet {
    return IntervalSet.union([...this.intervals, ...other.intervals]);
  }

  public and(other: IntervalSet): IntervalSet {
    const out: Array<[number, number]> = [];
    let i = 0;
    let j = 0;
    while (i < this.intervals.length && j < other.intervals.length) {
      const [a0, a1] = this.intervals[i];
      const [b0, b1] = other.intervals[j];
      const low = Math.max(a0, b0);
      const high = Math.min(a1, b1);
      if (low <= high) {
        out.push([low, high]);
      }
      if (a1 < b1) {
        i++;
      } else {
        j++;
      }
    }
    return new IntervalSet(out);
  }

  /** The members of this set that are not in `other`. */
  public minus(other: IntervalSet): IntervalSet {
    const out: Array<[number, number]> = [];
    for (const [low, high] of this.intervals) {
      let start = low;
      for (const [b0, b1] of other.intervals) {
        if (b1 < start || b0 > high) {
          continue;
        }
        if (b0 > start) {
          out.push([start, b0 - 1]);
        }
        start = Math.max(start, b1 + 1);
        if (start > high) {
          break;
        }
      }
      if (start <= high) {
        out.push([start, high]);
      }
    }
    return new IntervalSet(out);
  }

  public overlaps(other: IntervalSet): boolean {
    return !this.and(other).isEmpty;
  }

  public containsAll(other: IntervalSet): boolean {
    return other.minus(this).isEmpty;
  }

  public equals(other: IntervalSet): boolean {
    return this.intervals.length === other.intervals.length &&
      this.intervals.every(([low, high], i) => low === other.intervals[i][0] && high === other.intervals[i][1]);
  }
}
