/**
 * Small fixed-size bit sets (the elements of one dimension of an NSG evaluation: address cells, protocols, port
 * pieces). Immutable. Plain arrays of 32-bit words: an evaluation makes many short-lived sets, and plain arrays are the
 * cheapest to allocate. Pure: no cdktf.
 */
export class BitSet {
  /** The set of the given members, out of `size` elements. */
  public static of(size: number, members: Iterable<number>): BitSet {
    const words = new Array<number>(Math.ceil(size / 32) || 1).fill(0);
    for (const m of members) {
      words[m >>> 5] |= 1 << (m & 31);
    }
    return new BitSet(size, words);
  }

  /** Every element. */
  public static all(size: number): BitSet {
    const words = new Array<number>(Math.ceil(size / 32) || 1).fill(0);
    for (let i = 0; i < words.length; i++) {
      const bits = Math.min(32, size - i * 32);
      words[i] = bits >= 32 ? -1 : bits <= 0 ? 0 : (1 << bits) - 1;
    }
    return new BitSet(size, words);
  }

  public static none(size: number): BitSet {
    return BitSet.of(size, []);
  }

  private constructor(public readonly size: number, private readonly words: number[]) {}

  public get isEmpty(): boolean {
    for (let i = 0; i < this.words.length; i++) {
      if (this.words[i] !== 0) {
        return false;
      }
    }
    return true;
  }

  public has(member: number): boolean {
    return (this.words[member >>> 5] & (1 << (member & 31))) !== 0;
  }

  public and(other: BitSet): BitSet {
    const words = new Array<number>(this.words.length);
    for (let i = 0; i < words.length; i++) {
      words[i] = this.words[i] & other.words[i];
    }
    return new BitSet(this.size, words);
  }

  public or(other: BitSet): BitSet {
    const words = new Array<number>(this.words.length);
    for (let i = 0; i < words.length; i++) {
      words[i] = this.words[i] | other.words[i];
    }
    return new BitSet(this.size, words);
  }

  public minus(other: BitSet): BitSet {
    const words = new Array<number>(this.words.length);
    for (let i = 0; i < words.length; i++) {
      words[i] = this.words[i] & ~other.words[i];
    }
    return new BitSet(this.size, words);
  }

  /** Whether every member of `other` is a member of this set. */
  public containsAll(other: BitSet): boolean {
    for (let i = 0; i < this.words.length; i++) {
      if ((other.words[i] & ~this.words[i]) !== 0) {
        return false;
      }
    }
    return true;
  }

  public overlaps(other: BitSet): boolean {
    for (let i = 0; i < this.words.length; i++) {
      if ((this.words[i] & other.words[i]) !== 0) {
        return true;
      }
    }
    return false;
  }

  public equals(other: BitSet): boolean {
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
    for (let i = 0; i < this.size; i++) {
      if (this.has(i)) {
        out.push(i);
      }
    }
    return out;
  }
}
