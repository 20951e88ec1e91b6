/**
 * Terraform's built-in functions that configurations use to compute network settings. Each follows Terraform's
 * documented behaviour; an unknown argument makes the result unknown (unless the function does not need that part of
 * the value, such as `length` of a list whose elements are unknown). Functions not listed here (time, randomness,
 * hashing, files) are not evaluated: the evaluator reports their result as unknown.
 */
import { cidrhost, cidrnetmask, cidrsubnet, cidrsubnets } from './cidr';
import {
  EvalError, Lazy, Ref, Unknown, Value, compareStrings, describeValue, isObjectValue, isSetValue, known, makeObject, makeSet,
  materialize, sortedKeys, toBoolValue, toListValue, toNumberValue, toObjectValue, toStringValue, typeName, valueKey,
  valuesEqual,
} from './value';

/** A function: its arguments (evaluated, possibly unknown) and its own name, for messages. */
export type HclFunction = (args: Value[], name: string) => Value;

function arity(name: string, args: Value[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new EvalError(`${name}() takes ${expected} argument(s), not ${args.length}`);
  }
}

function str(name: string, args: Value[], i: number): string {
  return toStringValue(args[i], `argument ${i + 1} of ${name}()`);
}

function num(name: string, args: Value[], i: number): number {
  return toNumberValue(args[i], `argument ${i + 1} of ${name}()`);
}

function int(name: string, args: Value[], i: number): number {
  const n = num(name, args, i);
  if (!Number.isInteger(n)) {
    throw new EvalError(`argument ${i + 1} of ${name}() must be a whole number, not ${n}`);
  }
  return n;
}

/** A list argument; a map is not a list. Its elements may be unknown. */
function list(name: string, args: Value[], i: number): Value[] {
  return toListValue(args[i], `argument ${i + 1} of ${name}()`);
}

/** A list whose elements must all be known. */
function knownList(name: string, args: Value[], i: number): Value[] {
  const items = list(name, args, i);
  items.forEach((item) => known(item, true));
  return items.map(materialize);
}

function strings(name: string, items: Value[]): string[] {
  return items.map((item, i) => toStringValue(item, `element ${i} of the list given to ${name}()`));
}

function object(name: string, args: Value[], i: number): Record<string, Value> {
  const value = known(args[i]);
  if (value instanceof Lazy) {
    return toObjectValue(value.materialize(), `argument ${i + 1} of ${name}()`);
  }
  return toObjectValue(value, `argument ${i + 1} of ${name}()`);
}

/**
 * The elements of a list, set or map as one element type, as Terraform converts them: when strings sit beside numbers
 * or bools, every number and bool becomes a string; numbers beside bools have no common type. Anything else (unknown,
 * collections) is left as it is.
 */
function unifyPrimitives(items: Value[], name: string): Value[] {
  const kinds = new Set(items.map((v) => (v === null ? 'null' : typeof v)));
  kinds.delete('null');
  const primitive = [...kinds].every((k) => k === 'string' || k === 'number' || k === 'boolean');
  if (!primitive || kinds.size < 2) {
    return items;
  }
  if (!kinds.has('string')) {
    throw new EvalError(`${name}(): no common type: the elements are numbers and bools`);
  }
  return items.map((v) => (v === null || typeof v === 'string' ? v : toStringValue(v, `an element given to ${name}()`)));
}

/** Set semantics: distinct known values of one type, in Terraform's order (`makeSet`). */
function toSet(items: Value[], name: string): Value[] {
  items.forEach((item) => known(item, true));
  return makeSet(unifyPrimitives(items.map(materialize), name));
}

/** A list or tuple argument: a set is refused, as Terraform refuses it where a list is needed and no conversion applies. */
function strictList(name: string, args: Value[], i: number): Value[] {
  const items = list(name, args, i);
  if (isSetValue(items)) {
    throw new EvalError(`argument ${i + 1} of ${name}() is a set, where a list is needed (convert it with tolist())`);
  }
  return items;
}

function jsonEncode(value: Value): string {
  const v = known(value, true);
  return JSON.stringify(materialize(v), (_k, x) => (isObjectValue(x) ? makeObject(sortedKeys(x).map((k) => [k, x[k]])) : x));
}

function fromJson(value: unknown): Value {
  if (Array.isArray(value)) {
    return value.map(fromJson);
  }
  if (value !== null && typeof value === 'object') {
    return makeObject(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fromJson(v)]));
  }
  return value as Value;
}

function flattenInto(out: Value[], items: Value[]): void {
  for (const item of items) {
    if (Array.isArray(item)) {
      flattenInto(out, item);
    } else if (item instanceof Unknown || item instanceof Ref) {
      // The element may be a list itself: the length of the result is not known.
      known(item);
    } else {
      out.push(item);
    }
  }
}

/** Go-style verbs of `format`: %s %d %f %v %q %t %%, with flags, width and precision. */
function formatString(name: string, spec: string, args: Value[]): string {
  let next = 0;
  return spec.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (_m, flags: string, width: string | undefined, precision: string | undefined, verb: string) => {
    if (verb === '%') {
      return '%';
    }
    if (next >= args.length) {
      throw new EvalError(`${name}(): not enough arguments for the verb %${verb}`);
    }
    const arg = known(args[next++], true);
    let text: string;
    switch (verb) {
      case 's':
        text = toStringValue(arg, `an argument of ${name}()`);
        break;
      case 'v':
        text = typeof arg === 'string' || typeof arg === 'number' || typeof arg === 'boolean' ? toStringValue(arg, 'an argument') : jsonEncode(arg);
        break;
      case 'q':
        text = JSON.stringify(toStringValue(arg, `an argument of ${name}()`));
        break;
      case 't':
        text = String(toBoolValue(arg, `an argument of ${name}()`));
        break;
      case 'd': {
        const n = toNumberValue(arg, `an argument of ${name}()`);
        if (!Number.isInteger(n)) {
          throw new EvalError(`${name}(): %d needs a whole number, not ${n}`);
        }
        text = `${n < 0 ? '-' : flags.includes('+') ? '+' : ''}${Math.abs(n)}`;
        break;
      }
      case 'f': {
        const n = toNumberValue(arg, `an argument of ${name}()`);
        text = `${flags.includes('+') && n >= 0 ? '+' : ''}${n.toFixed(precision === undefined ? 6 : Number(precision))}`;
        break;
      }
      default:
        throw new EvalError(`${name}(): the verb %${verb} is not supported here`);
    }
    if (verb === 's' && precision !== undefined) {
      text = [...text].slice(0, Number(precision)).join('');
    }
    const w = width === undefined ? 0 : Number(width);
    if (text.length < w) {
      const pad = flags.includes('0') && !flags.includes('-') && 'df'.includes(verb) ? '0' : ' ';
      if (flags.includes('-')) {
        text = text.padEnd(w, ' ');
      } else if (pad === '0' && /^[+-]/.test(text)) {
        text = text[0] + text.slice(1).padStart(w - 1, '0');
      } else {
        text = text.padStart(w, pad);
      }
    }
    return text;
  });
}

function toRegExp(name: string, pattern: string, flags = ''): RegExp {
  // RE2 spells named groups (?P<name>...); JavaScript spells them (?<name>...).
  try {
    return new RegExp(pattern.replace(/\(\?P</g, '(?<'), flags);
  } catch (e) {
    throw new EvalError(`${name}(): invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
}

function regexResult(match: RegExpExecArray): Value {
  if (match.groups && Object.keys(match.groups).length > 0) {
    return makeObject(Object.entries(match.groups).map(([k, v]) => [k, v ?? null]));
  }
  if (match.length > 1) {
    return match.slice(1).map((g) => g ?? null);
  }
  return match[0];
}

function numbers(name: string, args: Value[]): number[] {
  arity(name, args, 1, Infinity);
  return args.map((_a, i) => num(name, args, i));
}

/** Every function this package evaluates, by name. */
export const FUNCTIONS: Readonly<Record<string, HclFunction>> = {
  // ---- IP networks ----
  cidrsubnet: (a, n) => (arity(n, a, 3), cidrsubnet(str(n, a, 0), int(n, a, 1), int(n, a, 2))),
  cidrsubnets: (a, n) => (arity(n, a, 1, Infinity), cidrsubnets(str(n, a, 0), a.slice(1).map((_x, i) => int(n, a, i + 1)))),
  cidrhost: (a, n) => (arity(n, a, 2), cidrhost(str(n, a, 0), int(n, a, 1))),
  cidrnetmask: (a, n) => (arity(n, a, 1), cidrnetmask(str(n, a, 0))),

  // ---- strings ----
  format: (a, n) => (arity(n, a, 1, Infinity), formatString(n, str(n, a, 0), a.slice(1))),
  formatlist: (a, n) => {
    arity(n, a, 1, Infinity);
    const spec = str(n, a, 0);
    const rest = a.slice(1).map((x) => known(x));
    const lengths = rest.filter(Array.isArray).map((x) => (x as Value[]).length);
    if (lengths.some((l) => l !== lengths[0])) {
      throw new EvalError(`${n}(): all list arguments must have the same length`);
    }
    const count = lengths.length === 0 ? 1 : lengths[0];
    return Array.from({ length: count }, (_x, i) => formatString(n, spec, rest.map((x) => (Array.isArray(x) ? x[i] : x))));
  },
  join: (a, n) => (arity(n, a, 2, Infinity), a.slice(1).flatMap((_x, i) => strings(n, knownList(n, a, i + 1))).join(str(n, a, 0))),
  split: (a, n) => (arity(n, a, 2), str(n, a, 1) === '' ? [] : str(n, a, 1).split(str(n, a, 0))),
  lower: (a, n) => (arity(n, a, 1), str(n, a, 0).toLowerCase()),
  upper: (a, n) => (arity(n, a, 1), str(n, a, 0).toUpperCase()),
  title: (a, n) => (arity(n, a, 1), str(n, a, 0).replace(/(^|[^\p{L}\p{N}])(\p{L})/gu, (_m, p: string, c: string) => p + c.toUpperCase())),
  trimspace: (a, n) => (arity(n, a, 1), str(n, a, 0).replace(/^\s+|\s+$/g, '')),
  trim: (a, n) => {
    arity(n, a, 2);
    const cut = new Set([...str(n, a, 1)]);
    const chars = [...str(n, a, 0)];
    let s = 0;
    let e = chars.length;
    while (s < e && cut.has(chars[s])) {
      s++;
    }
    while (e > s && cut.has(chars[e - 1])) {
      e--;
    }
    return chars.slice(s, e).join('');
  },
  trimprefix: (a, n) => (arity(n, a, 2), str(n, a, 0).startsWith(str(n, a, 1)) ? str(n, a, 0).slice(str(n, a, 1).length) : str(n, a, 0)),
  trimsuffix: (a, n) => {
    arity(n, a, 2);
    const s = str(n, a, 0);
    const suffix = str(n, a, 1);
    return suffix !== '' && s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s;
  },
  chomp: (a, n) => (arity(n, a, 1), str(n, a, 0).replace(/(\r?\n)+$/, '')),
  startswith: (a, n) => (arity(n, a, 2), str(n, a, 0).startsWith(str(n, a, 1))),
  endswith: (a, n) => (arity(n, a, 2), str(n, a, 0).endsWith(str(n, a, 1))),
  strcontains: (a, n) => (arity(n, a, 2), str(n, a, 0).includes(str(n, a, 1))),
  strrev: (a, n) => (arity(n, a, 1), [...str(n, a, 0)].reverse().join('')),
  substr: (a, n) => {
    arity(n, a, 3);
    const chars = [...str(n, a, 0)];
    let offset = int(n, a, 1);
    const length = int(n, a, 2);
    if (offset < 0) {
      offset = Math.max(0, chars.length + offset);
    }
    if (offset > chars.length) {
      throw new EvalError(`${n}(): offset ${offset} is beyond the end of the string`);
    }
    return chars.slice(offset, length < 0 ? undefined : offset + length).join('');
  },
  replace: (a, n) => {
    arity(n, a, 3);
    const s = str(n, a, 0);
    const search = str(n, a, 1);
    const replacement = str(n, a, 2);
    if (search.length > 1 && search.startsWith('/') && search.endsWith('/')) {
      return s.replace(toRegExp(n, search.slice(1, -1), 'g'), replacement.replace(/\$\{(\d+)\}/g, '$$$1'));
    }
    return s.split(search).join(replacement);
  },
  regex: (a, n) => {
    arity(n, a, 2);
    const match = toRegExp(n, str(n, a, 0)).exec(str(n, a, 1));
    if (!match) {
      throw new EvalError(`${n}(): the pattern did not match`);
    }
    return regexResult(match);
  },
  regexall: (a, n) => {
    arity(n, a, 2);
    const re = toRegExp(n, str(n, a, 0), 'g');
    return [...str(n, a, 1).matchAll(re)].map((m) => regexResult(m as RegExpExecArray));
  },
  indent: (a, n) => (arity(n, a, 2), str(n, a, 1).replace(/\n/g, `\n${' '.repeat(int(n, a, 0))}`)),

  // ---- collections ----
  length: (a, n) => {
    arity(n, a, 1);
    const v = known(a[0]);
    if (typeof v === 'string') {
      return [...v].length;
    }
    if (Array.isArray(v)) {
      return v.length;
    }
    if (isObjectValue(v)) {
      return Object.keys(v).length;
    }
    throw new EvalError(`${n}() needs a string, list or map, not ${describeValue(v)}`);
  },
  element: (a, n) => {
    arity(n, a, 2);
    const items = strictList(n, a, 0);
    const i = int(n, a, 1);
    if (items.length === 0) {
      throw new EvalError(`${n}() cannot use an empty list`);
    }
    if (i < 0) {
      throw new EvalError(`${n}(): the index must not be negative`);
    }
    return items[i % items.length];
  },
  index: (a, n) => {
    arity(n, a, 2);
    strictList(n, a, 0);
    const items = knownList(n, a, 0);
    const target = materialize(known(a[1], true));
    const i = items.findIndex((item) => valuesEqual(item, target));
    if (i < 0) {
      throw new EvalError(`${n}(): the item is not in the list`);
    }
    return i;
  },
  keys: (a, n) => {
    arity(n, a, 1);
    const v = known(a[0]);
    if (v instanceof Lazy) {
      return v.keys().sort(compareStrings);
    }
    return sortedKeys(toObjectValue(v, `the argument of ${n}()`));
  },
  values: (a, n) => {
    arity(n, a, 1);
    const o = object(n, a, 0);
    return sortedKeys(o).map((k) => o[k]);
  },
  lookup: (a, n) => {
    arity(n, a, 2, 3);
    const o = known(a[0]);
    const key = str(n, a, 1);
    if (o instanceof Lazy) {
      return o.keys().includes(key) ? o.get(key) : a.length === 3 ? a[2] : o.get(key);
    }
    const map = toObjectValue(o, `argument 1 of ${n}()`);
    if (Object.prototype.hasOwnProperty.call(map, key)) {
      return map[key];
    }
    if (a.length === 3) {
      return a[2];
    }
    throw new EvalError(`${n}(): the map has no key ${JSON.stringify(key)} and no default is given`);
  },
  merge: (a) => {
    const entries: [string, Value][] = [];
    for (const arg of a) {
      const v = known(arg);
      if (v === null) {
        continue;
      }
      const o = v instanceof Lazy ? toObjectValue(v.materialize(), 'an argument of merge()') : toObjectValue(v, 'an argument of merge()');
      entries.push(...Object.entries(o));
    }
    const out = new Map<string, Value>();
    for (const [k, v] of entries) {
      out.delete(k);
      out.set(k, v);
    }
    return makeObject(out);
  },
  concat: (a, n) => (arity(n, a, 1, Infinity), a.flatMap((_x, i) => strictList(n, a, i))),
  flatten: (a, n) => {
    arity(n, a, 1);
    const out: Value[] = [];
    flattenInto(out, list(n, a, 0));
    return out;
  },
  distinct: (a, n) => {
    arity(n, a, 1);
    const seen = new Set<string>();
    return knownList(n, a, 0).filter((item) => {
      const key = valueKey(item);
      return seen.has(key) ? false : (seen.add(key), true);
    });
  },
  contains: (a, n) => {
    arity(n, a, 2);
    const items = list(n, a, 0);
    const target = materialize(known(a[1], true));
    let unknown: Value | undefined;
    for (const item of items) {
      try {
        known(item, true);
      } catch {
        unknown = item;
        continue;
      }
      if (valuesEqual(materialize(item), target)) {
        return true;
      }
    }
    if (unknown !== undefined) {
      known(unknown, true);
    }
    return false;
  },
  coalesce: (a, n) => {
    arity(n, a, 1, Infinity);
    for (const arg of a) {
      const v = known(arg);
      if (v !== null && v !== '') {
        return v;
      }
    }
    throw new EvalError(`${n}(): every argument is null or an empty string`);
  },
  coalescelist: (a, n) => {
    arity(n, a, 1, Infinity);
    for (let i = 0; i < a.length; i++) {
      const items = strictList(n, a, i);
      if (items.length > 0) {
        return items;
      }
    }
    return [];
  },
  compact: (a, n) => (arity(n, a, 1), knownList(n, a, 0).filter((item) => item !== null && item !== '')),
  tolist: (a, n) => (arity(n, a, 1), a[0] === null ? null : [...unifyPrimitives(list(n, a, 0), n)]),
  toset: (a, n) => (arity(n, a, 1), a[0] === null ? null : toSet(list(n, a, 0), n)),
  tomap: (a, n) => {
    arity(n, a, 1);
    if (a[0] === null) {
      return null;
    }
    const map = object(n, a, 0);
    const keys = Object.keys(map);
    const values = unifyPrimitives(keys.map((k) => map[k]), n);
    return makeObject(keys.map((k, i) => [k, values[i]]));
  },
  tostring: (a, n) => {
    arity(n, a, 1);
    const v = known(a[0]);
    if (v === null) {
      return null;
    }
    if (typeof v === 'object') {
      throw new EvalError(`${n}() cannot convert a ${typeName(v)} to a string`);
    }
    return toStringValue(v, `the argument of ${n}()`);
  },
  tonumber: (a, n) => (arity(n, a, 1), known(a[0]) === null ? null : num(n, a, 0)),
  tobool: (a, n) => (arity(n, a, 1), known(a[0]) === null ? null : toBoolValue(a[0], `the argument of ${n}()`)),
  zipmap: (a, n) => {
    arity(n, a, 2);
    const keys = strings(n, knownList(n, a, 0));
    const values = list(n, a, 1);
    if (keys.length !== values.length) {
      throw new EvalError(`${n}(): ${keys.length} key(s) but ${values.length} value(s)`);
    }
    return makeObject(keys.map((k, i) => [k, values[i]]));
  },
  range: (a, n) => {
    arity(n, a, 1, 3);
    const ns = a.map((_x, i) => num(n, a, i));
    const [start, end, step] = ns.length === 1 ? [0, ns[0], 1] : [ns[0], ns[1], ns[2] ?? (ns[0] <= ns[1] ? 1 : -1)];
    if (step === 0 || (step > 0 && start > end) || (step < 0 && start < end)) {
      if (step === 0) {
        throw new EvalError(`${n}(): the step must not be zero`);
      }
      return [];
    }
    const out: number[] = [];
    for (let v = start; step > 0 ? v < end : v > end; v += step) {
      out.push(v);
      if (out.length > 1024) {
        throw new EvalError(`${n}(): more than 1024 elements`);
      }
    }
    return out;
  },
  slice: (a, n) => {
    arity(n, a, 3);
    const items = strictList(n, a, 0);
    const start = int(n, a, 1);
    const end = int(n, a, 2);
    if (start < 0 || end > items.length || start > end) {
      throw new EvalError(`${n}(): the range [${start}, ${end}) does not fit a list of ${items.length} element(s)`);
    }
    return items.slice(start, end);
  },
  sort: (a, n) => (arity(n, a, 1), strings(n, knownList(n, a, 0)).sort(compareStrings)),
  reverse: (a, n) => (arity(n, a, 1), [...list(n, a, 0)].reverse()),
  one: (a, n) => {
    arity(n, a, 1);
    if (known(a[0]) === null) {
      return null;
    }
    const items = list(n, a, 0);
    if (items.length > 1) {
      throw new EvalError(`${n}() needs a list of at most one element, not ${items.length}`);
    }
    return items.length === 0 ? null : items[0];
  },
  alltrue: (a, n) => (arity(n, a, 1), knownList(n, a, 0).every((v) => toBoolValue(v, `an element given to ${n}()`))),
  anytrue: (a, n) => (arity(n, a, 1), knownList(n, a, 0).some((v) => toBoolValue(v, `an element given to ${n}()`))),
  setunion: (a, n) => (arity(n, a, 1, Infinity), toSet(a.flatMap((_x, i) => knownList(n, a, i)), n)),
  setintersection: (a, n) => {
    arity(n, a, 1, Infinity);
    const sets = a.map((_x, i) => new Set(knownList(n, a, i).map(valueKey)));
    return toSet(knownList(n, a, 0).filter((item) => sets.every((s) => s.has(valueKey(item)))), n);
  },
  setsubtract: (a, n) => {
    arity(n, a, 2);
    const minus = new Set(knownList(n, a, 1).map(valueKey));
    return toSet(knownList(n, a, 0).filter((item) => !minus.has(valueKey(item))), n);
  },
  setproduct: (a, n) => {
    arity(n, a, 1, Infinity);
    let out: Value[][] = [[]];
    for (let i = 0; i < a.length; i++) {
      const items = list(n, a, i);
      out = out.flatMap((prefix) => items.map((item) => [...prefix, item]));
    }
    // Sets in, a set out (Terraform: any set argument makes the product a set).
    return a.some(isSetValue) ? makeSet(out) : out;
  },
  chunklist: (a, n) => {
    arity(n, a, 2);
    const items = list(n, a, 0);
    const size = int(n, a, 1);
    if (size < 0) {
      throw new EvalError(`${n}(): the chunk size must not be negative`);
    }
    if (size === 0) {
      return [items];
    }
    const out: Value[][] = [];
    for (let i = 0; i < items.length; i += size) {
      out.push(items.slice(i, i + size));
    }
    return out;
  },
  transpose: (a, n) => {
    arity(n, a, 1);
    const o = object(n, a, 0);
    const out = new Map<string, string[]>();
    for (const k of sortedKeys(o)) {
      for (const v of strings(n, toListValue(known(o[k], true), `the value of ${k}`))) {
        out.set(v, [...(out.get(v) ?? []), k]);
      }
    }
    return makeObject([...out.entries()].map(([k, v]) => [k, v]));
  },
  sum: (a, n) => (arity(n, a, 1), knownList(n, a, 0).reduce<number>((acc, v) => acc + toNumberValue(v, `an element given to ${n}()`), 0)),

  // ---- numbers ----
  min: (a, n) => Math.min(...numbers(n, a)),
  max: (a, n) => Math.max(...numbers(n, a)),
  abs: (a, n) => (arity(n, a, 1), Math.abs(num(n, a, 0))),
  ceil: (a, n) => (arity(n, a, 1), Math.ceil(num(n, a, 0))),
  floor: (a, n) => (arity(n, a, 1), Math.floor(num(n, a, 0))),
  signum: (a, n) => (arity(n, a, 1), Math.sign(num(n, a, 0))),
  pow: (a, n) => (arity(n, a, 2), num(n, a, 0) ** num(n, a, 1)),
  parseint: (a, n) => {
    arity(n, a, 2);
    const base = int(n, a, 1);
    const text = str(n, a, 0);
    const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
    if (base < 2 || base > 36 || !new RegExp(`^[-+]?[${digits}]+$`, 'i').test(text)) {
      throw new EvalError(`${n}(): cannot parse ${JSON.stringify(text)} in base ${base}`);
    }
    return parseInt(text, base);
  },

  // ---- encodings and types ----
  jsonencode: (a, n) => (arity(n, a, 1), jsonEncode(a[0])),
  jsondecode: (a, n) => {
    arity(n, a, 1);
    try {
      return fromJson(JSON.parse(str(n, a, 0)));
    } catch (e) {
      throw new EvalError(`${n}(): ${(e as Error).message}`);
    }
  },
  base64encode: (a, n) => (arity(n, a, 1), Buffer.from(str(n, a, 0), 'utf8').toString('base64')),
  base64decode: (a, n) => (arity(n, a, 1), Buffer.from(str(n, a, 0), 'base64').toString('utf8')),
  urlencode: (a, n) => (arity(n, a, 1), encodeURIComponent(str(n, a, 0)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+')),
  sensitive: (a, n) => (arity(n, a, 1), a[0]),
  nonsensitive: (a, n) => (arity(n, a, 1), a[0]),
};
