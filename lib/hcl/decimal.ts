/**
 * Numbers as exact decimals. Terraform computes with 512-bit binary floats: `0.1 + 0.2` is `0.3` there, where a
 * JavaScript number gives 0.30000000000000004. A number here stands for the decimal it prints as (its shortest form,
 * which is the literal a configuration wrote); arithmetic is done on those decimals exactly, and a result that a
 * JavaScript number cannot hold exactly (`1 / 3`, 2^60 + 1) is not given: the caller makes it unknown.
 */

/** `digits` (no leading or trailing zeros; empty for zero) times 10^`exponent`. */
export interface Decimal {
  readonly negative: boolean;
  readonly digits: string;
  readonly exponent: number;
}

/** The decimal a finite number prints as. */
export function toDecimal(value: number): Decimal {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value))!;
  const [, sign, whole, fraction = '', power = '0'] = match;
  return normalize(sign === '-', whole + fraction, Number(power) - fraction.length);
}

/**
 * Whether a number literal's text (`443`, `0.1`, `1e3`) is exactly the number JavaScript reads from it. Terraform reads
 * literals exactly (`3442.00000000000000001` is above 3442); a literal with more digits than a number holds is not.
 */
export function literalIsExact(text: string): boolean {
  const match = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) {
    return false;
  }
  const [, whole, fraction = '', power = '0'] = match;
  const written = normalize(false, whole + fraction, Number(power) - fraction.length);
  const read = Number(text);
  if (!Number.isFinite(read)) {
    return false;
  }
  const held = toDecimal(read);
  return written.digits === held.digits && written.exponent === held.exponent;
}

function normalize(negative: boolean, digits: string, exponent: number): Decimal {
  const lead = digits.replace(/^0+/, '');
  const trimmed = lead.replace(/0+$/, '');
  return trimmed === '' ? { negative: false, digits: '', exponent: 0 } : { negative, digits: trimmed, exponent: exponent + (lead.length - trimmed.length) };
}

function toBig(d: Decimal): bigint {
  const m = BigInt(d.digits || '0');
  return d.negative ? -m : m;
}

function fromBig(m: bigint, exponent: number): Decimal {
  const negative = m < BigInt(0);
  return normalize(negative, (negative ? -m : m).toString(), exponent);
}

/** The number that is exactly this decimal, or undefined when no JavaScript number is. */
export function exactNumber(d: Decimal): number | undefined {
  const n = Number(`${d.negative ? '-' : ''}${d.digits || '0'}e${d.exponent}`);
  if (!Number.isFinite(n)) {
    return undefined;
  }
  const back = toDecimal(n);
  return back.digits === d.digits && back.exponent === d.exponent && back.negative === d.negative ? n : undefined;
}

const TEN = BigInt(10);

function aligned(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exponent = Math.min(a.exponent, b.exponent);
  return [toBig(a) * TEN ** BigInt(a.exponent - exponent), toBig(b) * TEN ** BigInt(b.exponent - exponent), exponent];
}

/**
 * `a op b` exactly, for + - * / % (the remainder has the sign of `a`); undefined when the exact result is not a
 * JavaScript number (or `/` does not end).
 */
export function exactArithmetic(op: '+' | '-' | '*' | '/' | '%', a: number, b: number): number | undefined {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    return undefined;
  }
  const x = toDecimal(a);
  const y = toDecimal(b);
  // Far apart exponents (1e300 + 1e-300) would need huge integers: such results are not exact numbers anyway.
  if (Math.abs(x.exponent - y.exponent) > 400) {
    return undefined;
  }
  switch (op) {
    case '+':
    case '-':
    case '%': {
      const [p, q, exponent] = aligned(x, y);
      return exactNumber(fromBig(op === '+' ? p + q : op === '-' ? p - q : p % q, exponent));
    }
    case '*':
      return exactNumber(fromBig(toBig(x) * toBig(y), x.exponent + y.exponent));
    case '/': {
      // p / q, scaled by 10^k until it divides: it ends within 40 more digits, or it is no exact number.
      const p = toBig(x);
      const q = toBig(y);
      for (let k = 0; k <= 40; k++) {
        const scaled = p * TEN ** BigInt(k);
        if (scaled % q === BigInt(0)) {
          return exactNumber(fromBig(scaled / q, x.exponent - y.exponent - k));
        }
      }
      return undefined;
    }
  }
}

/**
 * The decimal rounded to `keep` digits after its first digit position `dp` counts from (the digits kept are
 * `digits[0, keep)`); undefined on an exact tie (…5 with nothing after it), where Terraform's binary value decides.
 */
export function roundDigits(d: Decimal, keep: number): Decimal | undefined {
  if (keep >= d.digits.length) {
    return d;
  }
  if (keep < 0) {
    return { negative: false, digits: '', exponent: 0 };
  }
  const dropped = d.digits.slice(keep);
  if (dropped === '5') {
    return undefined;
  }
  let kept = BigInt(d.digits.slice(0, keep) || '0');
  if (dropped[0] >= '5') {
    kept += BigInt(1);
  }
  return normalize(d.negative, kept.toString(), d.exponent + dropped.length);
}

/** Position of the decimal point: the value is 0.d1d2... times 10^point. */
export function pointOf(d: Decimal): number {
  return d.digits.length + d.exponent;
}

/** Digits with `decimals` digits after the point (no sign). */
export function fixedText(d: Decimal, decimals: number): string {
  if (d.digits === '') {
    return decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0';
  }
  const point = pointOf(d);
  const all = point <= 0 ? '0'.repeat(-point + 1) + d.digits : d.digits.padEnd(point, '0');
  const p = Math.max(point, 1);
  const whole = all.slice(0, p);
  const fraction = all.slice(p).padEnd(decimals, '0').slice(0, decimals);
  return decimals > 0 ? `${whole}.${fraction}` : whole;
}

/** `d.ddde±XX` with `decimals` digits after the point (no sign). */
export function exponentText(d: Decimal, decimals: number, e: 'e' | 'E'): string {
  const digits = (d.digits || '0').padEnd(decimals + 1, '0');
  const power = d.digits === '' ? 0 : pointOf(d) - 1;
  const mantissa = decimals > 0 ? `${digits[0]}.${digits.slice(1, decimals + 1)}` : digits[0];
  return `${mantissa}${e}${power < 0 ? '-' : '+'}${String(Math.abs(power)).padStart(2, '0')}`;
}
