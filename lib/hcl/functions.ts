/**
 * Terraform's built-in functions that configurations use to compute network settings. Each follows Terraform's
 * documented behaviour; an unknown argument makes the result unknown (unless the function does not need that part of
 * the value, such as `length` of a list whose elements are unknown). Functions not listed here (time, randomness,
 * hashing, files) are not evaluated: the evaluator reports their result as unknown.
 */
import { cidrhost, cidrnetmask, cidrsubnet, cidrsubnets } from './cidr';
import { exactArithmetic } from './decimal';
import { formatString, notComputed } from './format';
import {
  EvalError, Lazy, Ref, Unknown, Value, compareStrings, describeValue, firstUnknown, isObjectValue, isSetValue, known, makeObject, makeSet,
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
  if (typeof value === 'string') {
    // A lone surrogate (`"\ud800"`) decodes as U+FFFD, as Go decodes it.
    return value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
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

function toRegExp(name: string, pattern: string, flags = ''): RegExp {
  // RE2 spells named groups (?P<name>...); JavaScript spells them (?<name>...).
  try {
    return new RegExp(pattern.replace(/\(\?P</g, '(?<'), flags);
  } catch (e) {
    throw new EvalError(`${name}(): invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
}

/** Width of the character at `i` (a surrogate pair is one character, as Go reads runes). */
function charWidth(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
}

/**
 * Every match as Go's regexp finds them (`FindAll`): an empty match right after the previous match is no match
 * (`regexall("a*", "baaac")` is `["", "aaa", ""]`).
 */
function goMatches(re: RegExp, s: string): RegExpExecArray[] {
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  const out: RegExpExecArray[] = [];
  let pos = 0;
  let previousEnd = -1;
  while (pos <= s.length) {
    global.lastIndex = pos;
    const m = global.exec(s);
    if (!m) {
      break;
    }
    const end = m.index + m[0].length;
    let accept = true;
    if (end === m.index) {
      accept = m.index !== previousEnd;
      pos = m.index < s.length ? m.index + charWidth(s, m.index) : s.length + 1;
    } else {
      pos = end;
    }
    previousEnd = end;
    if (accept) {
      out.push(m);
    }
  }
  return out;
}

/** Go's `Expand`: `$1`, `${1}`, `$name`, `${name}`, `$$`; a group that did not match or does not exist is empty. */
function expand(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(?:\$|\{(\w+)\}|(\w+))?/g, (whole, braced: string | undefined, bare: string | undefined) => {
    if (whole === '$$') {
      return '$';
    }
    const name = braced ?? bare;
    if (name === undefined) {
      return '$';
    }
    if (/^\d+$/.test(name)) {
      return match[Number(name)] ?? '';
    }
    return match.groups?.[name] ?? '';
  });
}

/** Go's `ReplaceAllString`: an empty match right after a match is not replaced (`a*` over "aaa" is replaced once). */
function goReplaceAll(re: RegExp, s: string, template: string): string {
  let out = '';
  let last = 0;
  for (const m of goMatches(re, s)) {
    out += s.slice(last, m.index) + expand(template, m);
    last = m.index + m[0].length;
  }
  return out + s.slice(last);
}

/** Go's `strings.Title` word starts, for ASCII text: letters, digits and `_` continue a word. */
function title(text: string): string {
  let out = '';
  let previous = ' ';
  for (const c of text) {
    out += /[A-Za-z0-9_]/.test(previous) ? c : c.toUpperCase();
    previous = c;
  }
  return out;
}

/** Case mapping as Terraform's (Go's, rune by rune) for ASCII text; other text is not computed (Go's and JavaScript's Unicode rules differ). */
function asciiCase(name: string, text: string, map: (t: string) => string): string {
  if ([...text].some((c) => c.charCodeAt(0) > 0x7f)) {
    notComputed(`${name}() of non-ASCII text`);
  }
  return map(text);
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
  format: (a, n) => (arity(n, a, 1, Infinity), formatString(n, str(n, a, 0), a.slice(1), jsonEncode)),
  formatlist: (a, n) => {
    arity(n, a, 1, Infinity);
    const spec = str(n, a, 0);
    const rest = a.slice(1).map((x) => known(x));
    const lengths = rest.filter(Array.isArray).map((x) => (x as Value[]).length);
    if (lengths.some((l) => l !== lengths[0])) {
      throw new EvalError(`${n}(): all list arguments must have the same length`);
    }
    const count = lengths.length === 0 ? 1 : lengths[0];
    return Array.from({ length: count }, (_x, i) => formatString(n, spec, rest.map((x) => (Array.isArray(x) ? x[i] : x)), jsonEncode));
  },
  join: (a, n) => (arity(n, a, 2, Infinity), a.slice(1).flatMap((_x, i) => strings(n, knownList(n, a, i + 1))).join(str(n, a, 0))),
  // Go's strings.Split: an empty text is one empty element; an empty separator splits into characters.
  split: (a, n) => (arity(n, a, 2), str(n, a, 0) === '' ? [...str(n, a, 1)] : str(n, a, 1).split(str(n, a, 0))),
  lower: (a, n) => (arity(n, a, 1), asciiCase(n, str(n, a, 0), (t) => t.toLowerCase())),
  upper: (a, n) => (arity(n, a, 1), asciiCase(n, str(n, a, 0), (t) => t.toUpperCase())),
  title: (a, n) => (arity(n, a, 1), asciiCase(n, str(n, a, 0), title)),
  // Go's unicode.IsSpace: no U+FEFF, but U+0085.
  trimspace: (a, n) => (arity(n, a, 1), str(n, a, 0).replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, '')),
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
    if (offset >= chars.length) {
      return '';
    }
    return chars.slice(offset, length < 0 ? undefined : offset + length).join('');
  },
  replace: (a, n) => {
    arity(n, a, 3);
    const s = str(n, a, 0);
    const search = str(n, a, 1);
    const replacement = str(n, a, 2);
    if (search.length > 1 && search.startsWith('/') && search.endsWith('/')) {
      return goReplaceAll(toRegExp(n, search.slice(1, -1)), s, replacement);
    }
    // Go's strings.Replace: an empty search text matches before every character and at the end.
    return search === '' ? replacement + [...s].map((c) => c + replacement).join('') : s.split(search).join(replacement);
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
    return goMatches(toRegExp(n, str(n, a, 0)), str(n, a, 1)).map(regexResult);
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
    // The elements first take one type, as Terraform converts a list: [1, "1"] is ["1", "1"].
    return unifyPrimitives(knownList(n, a, 0), n).filter((item) => {
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
    // The arguments first take one type (1 beside "x" is "1"), when they are all known.
    const args = a.every((x) => firstUnknown(x) === undefined) ? unifyPrimitives(a.map((x) => materialize(x)), n) : a;
    for (const arg of args) {
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
  // A null element is not true.
  alltrue: (a, n) => (arity(n, a, 1), knownList(n, a, 0).every((v) => v !== null && toBoolValue(v, `an element given to ${n}()`))),
  anytrue: (a, n) => (arity(n, a, 1), knownList(n, a, 0).some((v) => v !== null && toBoolValue(v, `an element given to ${n}()`))),
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
  sum: (a, n) => {
    arity(n, a, 1);
    const items = knownList(n, a, 0);
    if (items.length === 0) {
      throw new EvalError(`${n}() cannot sum an empty list`);
    }
    const values = items.map((v) => toNumberValue(v, `an element given to ${n}()`));
    return values.slice(1).reduce((acc, v) => exactArithmetic('+', acc, v) ?? notComputed(`${n}() of numbers whose exact sum`), values[0]);
  },

  // ---- numbers ----
  min: (a, n) => Math.min(...numbers(n, a)),
  max: (a, n) => Math.max(...numbers(n, a)),
  abs: (a, n) => (arity(n, a, 1), Math.abs(num(n, a, 0))),
  ceil: (a, n) => (arity(n, a, 1), Math.ceil(num(n, a, 0))),
  floor: (a, n) => (arity(n, a, 1), Math.floor(num(n, a, 0))),
  signum: (a, n) => (arity(n, a, 1), Math.sign(num(n, a, 0))),
  pow: (a, n) => (arity(n, a, 2), num(n, a, 0) ** num(n, a, 1)),
  log: (a, n) => (arity(n, a, 2), Math.log(num(n, a, 0)) / Math.log(num(n, a, 1))),
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
    // The argument is read outside the try: an unknown one stays unknown (caught here, it became an error, and
    // try()/can() then chose their known fallback).
    const text = str(n, a, 0);
    try {
      return fromJson(JSON.parse(text));
    } catch (e) {
      throw new EvalError(`${n}(): ${(e as Error).message}`);
    }
  },
  base64encode: (a, n) => (arity(n, a, 1), Buffer.from(str(n, a, 0), 'utf8').toString('base64')),
  base64decode: (a, n) => {
    arity(n, a, 1);
    const text = str(n, a, 0);
    if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
      throw new EvalError(`${n}(): ${describeValue(text)} is not base64 (padded, standard alphabet)`);
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(text, 'base64'));
    } catch {
      throw new EvalError(`${n}(): the decoded bytes are not UTF-8 text`);
    }
  },
  urlencode: (a, n) => (arity(n, a, 1), encodeURIComponent(str(n, a, 0)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+')),
  sensitive: (a, n) => (arity(n, a, 1), a[0]),
  nonsensitive: (a, n) => (arity(n, a, 1), a[0]),
};
