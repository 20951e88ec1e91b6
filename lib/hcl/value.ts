/**
 * Values of the expression language: JSON-like data, plus three kinds this package adds.
 *
 * - `Unknown`: a value that cannot be known before Terraform runs (a variable nobody set, a data source, a remote
 *   module, a function this package does not evaluate). It carries the reason, and `json`: how to write it in a
 *   Terraform JSON document (`${var.location}`), so a reader of that document sees it as unknown too. An operation on an
 *   unknown gives the same unknown: the root cause travels, and nothing is ever guessed.
 * - `Ref`: an attribute of a resource in the configuration that exists only after apply (`azurerm_subnet.apim.id`).
 *   It stays a reference, so the checks can follow the link between resources; used inside any computation it becomes
 *   unknown.
 * - `Lazy`: an object whose attributes are computed on demand (`var`, `local`, a resource, a module's outputs).
 *
 * Lists, tuples and sets are arrays; maps and objects are plain objects (built with `makeObject`, so a key such as
 * `__proto__` stays an ordinary key). A set is an array marked as one (`makeSet`): iterating it binds the key to the
 * element, not to its index, and it cannot be indexed. An array whose kind is not known (an attribute of a resource read
 * back: the provider's schema, which this package does not have, decides whether it is a list or a set) is marked too
 * (`markKindUnknown`): iterating it gives unknown keys.
 */

/** A value that is not known before Terraform runs. */
export class Unknown {
  /**
   * @param reason why it is unknown, for people ("var.vnet_cidr has no value")
   * @param json how a Terraform JSON document spells it (`${var.vnet_cidr}`)
   * @param traversable whether `json` is a plain reference that attribute and index steps may extend
   * @param fromRef whether it is a resource reference used in a computation: the expression that used it names it
   *   then, because `json` alone would read as the reference itself
   */
  public constructor(
    public readonly reason: string,
    public readonly json: string,
    public readonly traversable = false,
    public readonly fromRef = false,
  ) {}

  /** The same unknown, one traversal step further (`data.x.y` -> `data.x.y.id`). */
  public step(suffix: string): Unknown {
    return this.traversable ? new Unknown(this.reason, `${this.json.slice(0, -1)}${suffix}}`, true) : this;
  }
}

/** What a `Ref` points at: a resource instance as written in the output document. */
export interface RefTarget {
  /** Terraform address, e.g. `module.net.azurerm_subnet.apim["weu"]`. */
  readonly address: string;
  /** Resource type. */
  readonly type: string;
  /** Name of the resource in the output document (unique per type). */
  readonly jsonName: string;
}

/** An attribute of a resource that is known only after apply. */
export class Ref {
  public constructor(public readonly target: RefTarget, public readonly attribute: string) {}

  /** `${type.name.attribute}` as the output document writes it. */
  public get json(): string {
    return `\${${this.target.type}.${this.target.jsonName}.${this.attribute}}`;
  }

  /** The reference as an unknown, once it is used in a computation. */
  public toUnknown(): Unknown {
    return new Unknown(`${this.target.address}.${this.attribute} is known only after apply`, this.json, false, true);
  }
}

/** An object whose attributes are computed on demand. */
export abstract class Lazy {
  /** The attribute `name`; throws an `EvalError` when there is none. */
  public abstract get(name: string): Value;
  /** What this object is, for messages (`var`, `module.net`, `azurerm_subnet.apim`). */
  public abstract describe(): string;
  /** The names of its attributes, when they can be listed. */
  public abstract keys(): string[];

  /** The object as plain data. */
  public materialize(): Value {
    return makeObject(this.keys().map((k) => [k, this.get(k)]));
  }
}

/** An object value. */
export interface ObjectValue {
  [key: string]: Value;
}

/** Any value. */
export type Value = null | boolean | number | string | Unknown | Ref | Lazy | Value[] | ObjectValue;

/** An evaluation error (a type error, a missing attribute...): `try()` and `can()` catch it. */
export class EvalError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'EvalError';
  }
}

/** Thrown inside functions when an argument is unknown; the function's result is then that unknown. */
export class UnknownSignal {
  public constructor(public readonly unknown: Unknown) {}
}

const SETS = new WeakSet<Value[]>();
const KIND_UNKNOWN = new WeakSet<Value[]>();

/** Whether an array is a set (from `toset`, the set functions, a `set(...)` type conversion). */
export function isSetValue(value: unknown): value is Value[] {
  return Array.isArray(value) && SETS.has(value);
}

/** Whether an array may be a list or a set, which this package cannot tell (a resource attribute read back). */
export function isKindUnknown(value: unknown): value is Value[] {
  return Array.isArray(value) && KIND_UNKNOWN.has(value);
}

/** Mark an array as one whose kind (list or set) is not known; returns it. */
export function markKindUnknown(items: Value[]): Value[] {
  KIND_UNKNOWN.add(items);
  return items;
}

/** A copy of an array with the same kind (set, unknown kind, list). */
export function sameKind(original: Value[], items: Value[]): Value[] {
  if (SETS.has(original)) {
    SETS.add(items);
  } else if (KIND_UNKNOWN.has(original)) {
    KIND_UNKNOWN.add(items);
  }
  return items;
}

/** The order of a set's elements of one primitive type, as Terraform gives it: strings lexical, numbers ascending, false before true. */
function compareElements(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') {
    return compareStrings(a, b);
  }
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    return Number(a) - Number(b);
  }
  return 0;
}

/**
 * A set of the given elements (of one type already): distinct, in Terraform's order for primitive elements (other
 * elements keep their first order). When an element is not known, the elements are kept as they are (which of them are
 * equal is not known).
 */
export function makeSet(items: readonly Value[]): Value[] {
  let out: Value[];
  if (items.some((item) => firstUnknown(item) !== undefined)) {
    out = [...items];
  } else {
    const seen = new Map<string, Value>();
    for (const item of items) {
      const m = materialize(item);
      const key = valueKey(m);
      if (!seen.has(key)) {
        seen.set(key, m);
      }
    }
    out = [...seen.values()];
    const kinds = new Set(out.map((v) => typeof v));
    if (kinds.size === 1 && ['string', 'number', 'boolean'].includes([...kinds][0])) {
      out.sort(compareElements);
    }
  }
  SETS.add(out);
  return out;
}

/** Build an object from entries, keeping every key an own data property. */
export function makeObject(entries: Iterable<readonly [string, Value]>): ObjectValue {
  const out: ObjectValue = {};
  for (const [k, v] of entries) {
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

export function isRef(value: unknown): value is Ref {
  return value instanceof Ref;
}

export function isLazy(value: unknown): value is Lazy {
  return value instanceof Lazy;
}

/** A plain object value (not a list, not null, not one of the special kinds). */
export function isObjectValue(value: unknown): value is ObjectValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    && !(value instanceof Unknown) && !(value instanceof Ref) && !(value instanceof Lazy);
}

/** Own keys of an object value in Terraform's order (lexical). */
export function sortedKeys(value: ObjectValue): string[] {
  return Object.keys(value).sort(compareStrings);
}

/** Terraform orders map keys and set elements by byte order; for the strings configurations hold, code units agree. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The type of a value, for messages. */
export function typeName(value: Value): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return SETS.has(value) ? 'set' : 'list';
  }
  if (value instanceof Unknown || value instanceof Ref) {
    return 'unknown';
  }
  if (value instanceof Lazy || typeof value === 'object') {
    return 'object';
  }
  return typeof value;
}

/** `value`, or the unknown inside it (throws `UnknownSignal`). With `deep`, every nested value must be known. */
export function known(value: Value, deep = false): Value {
  if (value instanceof Unknown) {
    throw new UnknownSignal(value);
  }
  if (value instanceof Ref) {
    throw new UnknownSignal(value.toUnknown());
  }
  if (value instanceof Lazy) {
    return known(value.materialize(), deep);
  }
  if (deep) {
    if (Array.isArray(value)) {
      value.forEach((item) => known(item, true));
    } else if (isObjectValue(value)) {
      Object.values(value).forEach((item) => known(item, true));
    }
  }
  return value;
}

/** The first unknown inside a value (refs count as unknown), or undefined when it is wholly known. */
export function firstUnknown(value: Value): Unknown | undefined {
  try {
    known(value, true);
    return undefined;
  } catch (e) {
    if (e instanceof UnknownSignal) {
      return e.unknown;
    }
    throw e;
  }
}

/** Deep materialisation of lazy objects. */
export function materialize(value: Value): Value {
  if (value instanceof Lazy) {
    return materialize(value.materialize());
  }
  if (Array.isArray(value)) {
    return sameKind(value, value.map(materialize));
  }
  if (isObjectValue(value)) {
    return makeObject(Object.entries(value).map(([k, v]) => [k, materialize(v)]));
  }
  return value;
}

/** Format a number as Terraform does in strings: integers without a decimal point, never an exponent. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) {
    return value > 0 ? '+Inf' : value < 0 ? '-Inf' : 'NaN';
  }
  const text = String(value);
  const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) {
    return text;
  }
  // 1e+21 -> 1000000000000000000000, 1e-7 -> 0.0000001: shift the decimal point of the digits.
  const [, sign, first, rest = '', power] = exponent;
  const digits = first + rest;
  const point = 1 + Number(power);
  if (point <= 0) {
    return `${sign}0.${'0'.repeat(-point)}${digits}`;
  }
  return point >= digits.length ? `${sign}${digits}${'0'.repeat(point - digits.length)}` : `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Convert to a string as Terraform does for templates and string arguments. */
export function toStringValue(value: Value, what: string): string {
  const v = known(value);
  if (typeof v === 'string') {
    return v;
  }
  if (typeof v === 'number') {
    return formatNumber(v);
  }
  if (typeof v === 'boolean') {
    return v ? 'true' : 'false';
  }
  if (v === null) {
    throw new EvalError(`${what} is null, where a string is needed`);
  }
  throw new EvalError(`${what} is a ${typeName(v)}, where a string is needed`);
}

/** Convert to a number: a string converts when it is a whole decimal number (sign and exponent allowed, no spaces), as in Terraform. */
export function toNumberValue(value: Value, what: string): number {
  const v = known(value);
  if (typeof v === 'number') {
    return v;
  }
  if (typeof v === 'string' && /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v)) {
    return Number(v);
  }
  throw new EvalError(`${what} is ${describeValue(v)}, where a number is needed`);
}

/** Whether a string converts to a bool (`"true"`, `"false"`, `"1"`, `"0"`, as in Terraform). */
export function isBoolText(value: unknown): value is string {
  return value === 'true' || value === 'false' || value === '1' || value === '0';
}

/** Convert to a bool (`"true"`/`"false"` and `"1"`/`"0"` convert, as in Terraform). */
export function toBoolValue(value: Value, what: string): boolean {
  const v = known(value);
  if (typeof v === 'boolean') {
    return v;
  }
  if (isBoolText(v)) {
    return v === 'true' || v === '1';
  }
  throw new EvalError(`${what} is ${describeValue(v)}, where a bool is needed`);
}

/** Elements of a list, tuple or set (a map gives its values, as Terraform's conversions do for for-each). */
export function toListValue(value: Value, what: string): Value[] {
  const v = known(value);
  if (Array.isArray(v)) {
    return v;
  }
  throw new EvalError(`${what} is ${describeValue(v)}, where a list is needed`);
}

/** An object or map. */
export function toObjectValue(value: Value, what: string): ObjectValue {
  const v = known(value);
  if (isObjectValue(v)) {
    return v;
  }
  throw new EvalError(`${what} is ${describeValue(v)}, where a map or object is needed`);
}

/** A short description of a value for messages. */
export function describeValue(value: Value): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value);
  }
  return `a ${typeName(value)}`;
}

/** Terraform equality: same type and same value; numbers and strings never equal each other. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) {
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (SETS.has(a) !== SETS.has(b)) {
      // A set never equals a list or tuple (`toset(["a"]) == ["a"]` is false).
      return false;
    }
    return a.length === b.length && a.every((item, i) => valuesEqual(item, b[i]));
  }
  if (isObjectValue(a) && isObjectValue(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && valuesEqual(a[k], b[k]));
  }
  return false;
}

/** A stable text form of a known value (set membership, `distinct`). */
export function valueKey(value: Value): string {
  return JSON.stringify(materialize(value), (_k, v) => (isObjectValue(v) ? makeObject(sortedKeys(v).map((k) => [k, v[k]])) : v));
}
