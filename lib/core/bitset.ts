/**
 * Small fixed-size bit sets (the elements of one dimension of an NSG evaluation: address cells, protocols, port
 * pieces). Immutable. Pure: no cdktf.
 */
export class BitSet {
  /** The set of the given members, out of `size` elements. */
  public static of(size: number, members: Iterable<number>): BitSet {
    const words = new Uint32Array(Math.ceil(size / 32) || 1);
    for (const m of members) {
      words[m >>> 5] |= 1 << (m & 31);
    }
    return new BitSet(size, words);
  }

  /** Every element. */
  public static all(size: number): BitSet {
    return BitSet.of(size, Array.from({ length: size }, (_, i) => i));
  }

  public static none(size: number): BitSet {
    return BitSet.of(size, []);
  }

  private constructor(public readonly size: number, private readonly words: Uint32Array) {}

  public get isEmpty(): boolean {
    return this.words.every((w) => w === 0);
  }

  public has(member: number): boolean {
    return (this.words[member >>> 5] & (1 << (member & 31))) !== 0;
  }

  public and(other: BitSet): BitSet {
    return this.combine(other, (a, b) => a & b);
  }

  public or(other: BitSet): BitSet {
    return this.combine(other, (a, b) => a | b);
  }

  public minus(other: BitSet): BitSet {
    return this.combine(other, (a, b) => a & ~b);
  }

  /** Whether every member of `other` is a member of this set. */
  public containsAll(other: BitSet): boolean {
    return other.words.every((w, i) => (w & ~this.words[i]) === 0);
  }

  public overlaps(other: BitSet): boolean {
    return this.words.some((w, i) => (w & other.words[i]) !== 0);
  }

  public equals(other: BitSet): boolean {
    return this.words.every((w, i) => w === other.words[i]);
  }

  /** The members, ascending. */
  public members(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) {
      if (this.has(i)) {
        out.push(i);
      }
    }
    return out;
  }

  private combine(other: BitSet, op: (a: number, b: number) => number): BitSet {
    const words = new Uint32Array(this.words.length);
    for (let i = 0; i < words.length; i++) {
      words[i] = op(this.words[i], other.words[i]) >>> 0;
    }
    return new BitSet(this.size, words);
  }
}
