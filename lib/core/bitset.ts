/**
 * Fixed-size bit sets (the elements of one dimension of an NSG evaluation: address cells, protocols, port pieces).
 * Immutable. A set stores only the span of 32-bit words between its first and its last member, so the many small sets
 * of an evaluation (the cells of one rule's prefixes among thousands) cost in proportion to what they hold, and
 * operations on them touch only the words where both sets can have members. Pure: no cdktf.
 */
export class BitSet {
  /** The set of the given members, out of `size` elements. */
  public static of(size: number, members: Iterable<number>): BitSet {
    const list = [...members];
    if (list.length === 0) {
      return BitSet.none(size);
    }
    let low = Infinity;
    let high = -Infinity;
    for (const m of list) {
      low = Math.min(low, m >>> 5);
      high = Math.max(high, m >>> 5);
    }
    const words = new Int32Array(high - low + 1);
    for (const m of list) {
      words[(m >>> 5) - low] |= 1 << (m & 31);
    }
    return new BitSet(size, low, words);
  }

  /** The members in the half-open ranges `[start, end)` of element indexes. */
  public static ofRanges(size: number, ranges: ReadonlyArray<readonly [number, number]>): BitSet {
    const nonEmpty = ranges.filter(([start, end]) => end > start);
    if (nonEmpty.length === 0) {
      return BitSet.none(size);
    }
    const low = Math.min(...nonEmpty.map(([start]) => start >>> 5));
    const high = Math.max(...nonEmpty.map(([, end]) => (end - 1) >>> 5));
    const words = new Int32Array(high - low + 1);
    for (const [start, end] of nonEmpty) {
      for (let m = start; m < end;) {
        const w = m >>> 5;
        const bit = m & 31;
        const span = Math.min(32 - bit, end - m);
        words[w - low] |= span === 32 ? -1 : ((2 ** span - 1) << bit);
        m += span;
      }
    }
    return new BitSet(size, low, words);
  }

  /** Every element. */
  public static all(size: number): BitSet {
    return BitSet.ofRanges(size, [[0, size]]);
  }

  public static none(size: number): BitSet {
    return new BitSet(size, 0, EMPTY_WORDS);
  }

  /**
   * @param low index of the first stored word
   * @param words the stored words, from `low` on; none stored means the empty set
   */
  private constructor(public readonly size: number, private readonly low: number, private readonly words: Int32Array) {}

  /** A set of the given words, without the zero words at either end. */
  private static trimmed(size: number, low: number, words: Int32Array): BitSet {
    let start = 0;
    let end = words.length;
    while (start < end && words[start] === 0) {
      start++;
    }
    while (end > start && words[end - 1] === 0) {
      end--;
    }
    if (start === end) {
      return BitSet.none(size);
    }
    return new BitSet(size, low + start, start === 0 && end === words.length ? words : words.subarray(start, end));
  }

  private get high(): number {
    return this.low + this.words.length;
  }

  private word(index: number): number {
    return index >= this.low && index < this.high ? this.words[index - this.low] : 0;
  }

  public get isEmpty(): boolean {
    return this.words.length === 0;
  }

  public has(member: number): boolean {
    return (this.word(member >>> 5) & (1 << (member & 31))) !== 0;
  }

  public and(other: BitSet): BitSet {
    const low = Math.max(this.low, other.low);
    const high = Math.min(this.high, other.high);
    if (low >= high) {
      return BitSet.none(this.size);
    }
    const words = new Int32Array(high - low);
    for (let i = low; i < high; i++) {
      words[i - low] = this.words[i - this.low] & other.words[i - other.low];
    }
    return BitSet.trimmed(this.size, low, words);
  }

  public or(other: BitSet): BitSet {
    if (other.isEmpty) {
      return this;
    }
    if (this.isEmpty) {
      return other;
    }
    const low = Math.min(this.low, other.low);
    const high = Math.max(this.high, other.high);
    const words = new Int32Array(high - low);
    words.set(this.words, this.low - low);
    for (let i = other.low; i < other.high; i++) {
      words[i - low] |= other.words[i - other.low];
    }
    return new BitSet(this.size, low, words);
  }

  public minus(other: BitSet): BitSet {
    const low = Math.max(this.low, other.low);
    const high = Math.min(this.high, other.high);
    if (low >= high) {
      return this;
    }
    const words = this.words.slice();
    for (let i = low; i < high; i++) {
      words[i - this.low] &= ~other.words[i - other.low];
    }
    return BitSet.trimmed(this.size, this.low, words);
  }

  /** Whether every member of `other` is a member of this set. */
  public containsAll(other: BitSet): boolean {
    for (let i = other.low; i < other.high; i++) {
      if ((other.words[i - other.low] & ~this.word(i)) !== 0) {
        return false;
      }
    }
    return true;
  }

  public overlaps(other: BitSet): boolean {
    const low = Math.max(this.low, other.low);
    const high = Math.min(this.high, other.high);
    for (let i = low; i < high; i++) {
      if ((this.words[i - this.low] & other.words[i - other.low]) !== 0) {
        return true;
      }
    }
    return false;
  }

  public equals(other: BitSet): boolean {
    if (this.low !== other.low || this.words.length !== other.words.length) {
      return this.isEmpty && other.isEmpty;
    }
    for (let i = 0; i < this.words.length; i++) {
      if (this.words[i] !== other.words[i]) {
        return false;
      }
    }
    return true;
  }

  /** The members, ascending. */
  public members(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.words.length; i++) {
      const word = this.words[i];
      for (let bit = 0; word !== 0 && bit < 32; bit++) {
        if ((word & (1 << bit)) !== 0) {
          out.push((this.low + i) * 32 + bit);
        }
      }
    }
    return out;
  }
}

const EMPTY_WORDS = new Int32Array(0);
