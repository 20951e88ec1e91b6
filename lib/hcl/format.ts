/**
 * Terraform's `format` and `formatlist`: Go-style verbs (`%s %q %v %#v %t %d %b %o %x %X %e %E %f %g %G %%`), flags
 * (`-+ #0`), width, precision and explicit argument indexes (`%[2]s`). What Terraform refuses (`%*d`, `%c`, too few or
 * too many arguments) is an error; what it computes but this package does not compute exactly (a float rounded at an
 * exact tie, where the binary value decides; `%q` of control or non-ASCII characters; a null argument, which
 * Terraform itself gives as unknown) is unknown, never a guess.
 */
import { exponentText, fixedText, pointOf, roundDigits, toDecimal } from './decimal';
import {
  EvalError, Unknown, UnknownSignal, Value, formatNumber, isObjectValue, known, toBoolValue, toNumberValue, toStringValue,
} from './value';

/** A result this package does not compute: unknown, with the reason (the evaluator writes it as the call). */
export function notComputed(reason: string): never {
  throw new UnknownSignal(new Unknown(`${reason} is not computed by this command`, '${format}'));
}

interface Directive {
  readonly flags: string;
  readonly width?: number;
  readonly precision?: number;
  readonly verb: string;
}

/** `format(spec, args...)` as Terraform computes it; `encode` writes a collection for `%v` (as `jsonencode`). */
export function formatString(name: string, spec: string, args: readonly Value[], encode: (v: Value) => string): string {
  let out = '';
  let next = 0;
  let highest = 0;
  let i = 0;
  while (i < spec.length) {
    const c = spec[i];
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    if (spec[i + 1] === '%') {
      out += '%';
      i += 2;
      continue;
    }
    const start = i;
    i++;
    let flags = '';
    while (i < spec.length && '-+ #0'.includes(spec[i])) {
      flags += spec[i++];
    }
    const argumentIndex = (): void => {
      const m = /^\[(\d+)\]/.exec(spec.slice(i));
      if (m) {
        const n = Number(m[1]);
        if (n < 1) {
          throw new EvalError(`${name}(): unrecognized format character '0' at offset ${i + 1}`);
        }
        next = n - 1;
        i += m[0].length;
      }
    };
    argumentIndex();
    const width = /^\d+/.exec(spec.slice(i));
    if (width) {
      i += width[0].length;
    }
    let precision: number | undefined;
    if (spec[i] === '.') {
      i++;
      const p = /^\d*/.exec(spec.slice(i))![0];
      precision = p === '' ? 0 : Number(p);
      i += p.length;
    }
    argumentIndex();
    const verb = spec[i];
    if (verb === undefined) {
      throw new EvalError(`${name}(): invalid format string starting at offset ${start}`);
    }
    i++;
    if (!/[a-zA-Z]/.test(verb)) {
      throw new EvalError(`${name}(): unrecognized format character '${verb}' at offset ${i - 1}`);
    }
    if (!'sqvtdboxXeEfgG'.includes(verb)) {
      throw new EvalError(`${name}(): unsupported format verb '${verb}' in "${spec.slice(start, i)}"`);
    }
    if (next >= args.length) {
      throw new EvalError(`${name}(): not enough arguments for "${spec.slice(start, i)}": need argument ${next + 1} but have ${args.length}`);
    }
    const arg = args[next++];
    highest = Math.max(highest, next);
    out += directive({ flags, width: width ? Number(width[0]) : undefined, precision, verb }, arg, name, encode);
  }
  if (highest < args.length) {
    throw new EvalError(`${name}(): too many arguments: ${args.length} given, the format uses ${highest}`);
  }
  return out;
}

function directive(d: Directive, argument: Value, name: string, encode: (v: Value) => string): string {
  const arg = known(argument, true);
  if (arg === null) {
    notComputed(`${name}() of a null argument (Terraform gives it as unknown)`);
  }
  const what = `an argument of ${name}()`;
  let text: string;
  let numeric = false;
  switch (d.verb) {
    case 's':
      text = truncate(scalarText(arg, what), d.precision);
      break;
    case 'q':
      text = quote(truncate(scalarText(arg, what), d.precision), name);
      break;
    case 'v':
      if (d.flags.includes('#')) {
        text = encode(arg);
      } else {
        text = Array.isArray(arg) || isObjectValue(arg) ? encode(arg) : scalarText(arg, what);
      }
      break;
    case 't':
      text = String(toBoolValue(arg, what));
      break;
    case 'd':
    case 'b':
    case 'o':
    case 'x':
    case 'X':
      text = integerText(d, toNumberValue(arg, what), name);
      numeric = true;
      break;
    default:
      text = floatText(d, toNumberValue(arg, what), name);
      numeric = true;
      break;
  }
  return pad(d, text, numeric);
}

function scalarText(arg: Value, what: string): string {
  if (Array.isArray(arg) || isObjectValue(arg)) {
    throw new EvalError(`${what} is a collection, where a string is needed`);
  }
  return typeof arg === 'number' ? formatNumber(arg) : toStringValue(arg, what);
}

function truncate(text: string, precision: number | undefined): string {
  return precision === undefined ? text : [...text].slice(0, precision).join('');
}

/** Go's `%q`, for text whose quoting JSON spells the same way (printable ASCII, tabs and newlines). */
function quote(text: string, name: string): string {
  if (/[^\x20-\x7e\t\n\r]/.test(text)) {
    notComputed(`${name}() with %q of control or non-ASCII characters`);
  }
  return JSON.stringify(text);
}

function sign(d: Directive, negative: boolean): string {
  return negative ? '-' : d.flags.includes('+') ? '+' : d.flags.includes(' ') ? ' ' : '';
}

function integerText(d: Directive, n: number, name: string): string {
  if (!Number.isInteger(n)) {
    throw new EvalError(`${name}(): unsupported value for "%${d.verb}": ${n} is not a whole number`);
  }
  const base = d.verb === 'd' ? 10 : d.verb === 'b' ? 2 : d.verb === 'o' ? 8 : 16;
  let digits = BigInt(Math.abs(n)).toString(base);
  if (d.verb === 'X') {
    digits = digits.toUpperCase();
  }
  if (d.precision !== undefined) {
    digits = d.precision === 0 && n === 0 ? '' : digits.padStart(d.precision, '0');
  }
  if (d.flags.includes('#')) {
    digits = (d.verb === 'b' ? '0b' : d.verb === 'o' ? (digits.startsWith('0') ? '' : '0') : d.verb === 'x' ? '0x' : d.verb === 'X' ? '0X' : '') + digits;
  }
  return sign(d, n < 0) + digits;
}

function floatText(d: Directive, n: number, name: string): string {
  if (!Number.isFinite(n) || d.flags.includes('#')) {
    notComputed(`${name}() with %${d.flags.includes('#') ? '#' : ''}${d.verb} of ${n}`);
  }
  const exact = toDecimal(n);
  const tie = (): never => notComputed(`${name}() rounding ${formatNumber(n)} at an exact tie (Terraform's binary value decides)`);
  let body: string;
  switch (d.verb) {
    case 'f': {
      const decimals = d.precision ?? 6;
      body = fixedText(roundDigits(exact, pointOf(exact) + decimals) ?? tie(), decimals);
      break;
    }
    case 'e':
    case 'E': {
      const decimals = d.precision ?? 6;
      body = exponentText(roundDigits(exact, decimals + 1) ?? tie(), decimals, d.verb === 'e' ? 'e' : 'E');
      break;
    }
    default: {
      // %g: the shortest form (or `precision` significant digits), in %e form for exponents below -4 or from the
      // precision (6 for the shortest) on; no trailing zeros.
      const shortest = d.precision === undefined;
      const digits = shortest ? exact : roundDigits(exact, Math.max(d.precision!, 1)) ?? tie();
      let precision = shortest ? digits.digits.length : Math.max(d.precision!, 1);
      const point = pointOf(digits);
      let eprec = precision;
      if (eprec > digits.digits.length && digits.digits.length >= point) {
        eprec = digits.digits.length;
      }
      if (shortest) {
        eprec = 6;
      }
      const exponent = point - 1;
      const e = d.verb === 'g' ? 'e' : 'E';
      if (digits.digits === '') {
        body = '0';
      } else if (exponent < -4 || exponent >= eprec) {
        precision = Math.min(precision, digits.digits.length);
        body = exponentText(digits, precision - 1, e);
      } else {
        if (precision > point) {
          precision = digits.digits.length;
        }
        body = fixedText(digits, Math.max(precision - point, 0));
      }
      break;
    }
  }
  return sign(d, exact.negative) + body;
}

/** Width: spaces on the left (`-`: on the right), or zeros after the sign (`0`). Width counts characters. */
function pad(d: Directive, text: string, numeric: boolean): string {
  const length = [...text].length;
  if (d.width === undefined || length >= d.width) {
    return text;
  }
  const fill = d.width - length;
  if (d.flags.includes('-')) {
    return text + ' '.repeat(fill);
  }
  if (d.flags.includes('0') && !(numeric && d.precision !== undefined && 'dboxX'.includes(d.verb))) {
    const signed = numeric && /^[+\- ]/.test(text) ? 1 : 0;
    return text.slice(0, signed) + '0'.repeat(fill) + text.slice(signed);
  }
  return ' '.repeat(fill) + text;
}
