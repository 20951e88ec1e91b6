/**
 * Prop validation shared by the constructs: every check adds a problem instead of throwing, so one error lists all
 * that is wrong, and it is thrown before any resource exists.
 *
 * Props are read once, safely: `struct` copies a props object into a plain record of its known props (a misspelt key,
 * a getter that throws, a Proxy, a Map or a class instance where a plain object belongs are reported under the prop
 * path), `list` copies a list (holes are reported). A prop set to `null` is treated as not given, everywhere: the
 * copy leaves it out. A `null` inside a list is an entry, and reported as a missing one.
 */
import { TerraformProvider, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AzureNameKind, azureNameProblem, azureNameRule, TAG_LIMITS, tagKeyProblem, tagValueProblem } from '../../core/azure-names';
import { ApimNetworkError, ApimNetworkErrorCode, ApimNetworkProblem, describeObject, raise, renderValue } from '../../core/errors';
import { closestRegion, editDistance, isPlausibleLocation, normalizeLocation } from '../../core/locations';
import { StructSpec } from './structs';

export { raise };

/** Why a prop must be known at synth time: completes "it is a reference resolved only at apply time, but ...". */
export type Need = string;

/** Options of a string prop: a token is accepted (`allowToken`), or refused for the reason `need`. */
export type StringOptions = { readonly required: boolean; readonly allowToken: true } | { readonly required: boolean; readonly allowToken?: false; readonly need: Need };

/** Collects the problems of one construct's props. */
export class PropChecker {
  /** Whether a value is a cdktf token (known only at apply time). Never throws. */
  public static isToken(value: unknown): boolean {
    try {
      return (typeof value === 'string' || typeof value === 'number' || Array.isArray(value)) && isReference(value);
    } catch {
      return false;
    }
  }

  private readonly found: ApimNetworkProblem[] = [];
  /** The problems found, by code, prop, value and text: each is reported once. */
  private readonly foundKeys = new Set<string>();
  private readonly noted = new Set<string>();
  /** Props whose reading threw: reported once, as unreadable, never also as missing. */
  private readonly unreadableProps = new Set<string>();

  public constructor(public readonly path: string) {}

  /** Record a warning: something that works but deserves a word (shown as a synth warning, never an error). */
  public warn(prop: string, value: unknown, text: string): void {
    this.noted.add(`${prop} ${renderValue(value)}: ${text}`);
  }

  /** Warnings recorded so far. */
  public get warnings(): readonly string[] {
    return [...this.noted];
  }

  /** Record a problem (once: inputs shared by several locations report each problem of theirs once). */
  public add(code: ApimNetworkErrorCode, prop: string, value: unknown, problem: string, accepted: string): void {
    if (code === ApimNetworkErrorCode.MISSING_PROP && this.unreadableProps.has(prop)) {
      return;
    }
    const rendered = renderValue(value);
    const key = JSON.stringify([code, prop, rendered, problem]);
    if (!this.foundKeys.has(key)) {
      this.foundKeys.add(key);
      this.found.push({ code, prop, value: rendered, problem, accepted });
    }
  }

  /** Problems found so far. */
  public get problems(): readonly ApimNetworkProblem[] {
    return this.found;
  }

  /** Throw one error listing every problem, if there is any. */
  public throwIfAny(): void {
    if (this.found.length > 0) {
      raise(new ApimNetworkError(this.path, [...this.found]));
    }
  }

  /**
   * Record a value that must be known at synth time but is a token; `need` says what it is needed for. The fix names
   * the alternative to a Terraform variable: a typed config per environment, one stack per environment (README, "One
   * stack per environment").
   */
  public unresolved(prop: string, literal: string, need: Need): void {
    this.add(ApimNetworkErrorCode.UNRESOLVED_TOKEN, prop, '(a token)', `it is a reference resolved only at apply time, but ${need}`,
      `pass ${literal}; for values that differ per environment, give each environment's stack its own typed config (README, "One stack per environment")`);
  }

  /**
   * A struct: a plain object whose keys are props of `spec`. Returns a copy holding the props that are given (a prop
   * set to `null` is left out, like one not given); undefined when the object is missing or unreadable. `prop` is the
   * object's path (`regions[0]`), or `''` for a construct's own props (then its props are named without a prefix, and
   * the object itself `rootName`).
   */
  public struct<K extends string>(prop: string, value: unknown, spec: StructSpec<K>, required: boolean, rootName = 'props'): Partial<Record<K, unknown>> | undefined {
    const self = prop === '' ? rootName : prop;
    if (value !== undefined && value !== null && isReference(value)) {
      this.unresolved(self, `an object with the props of ${spec.name}`, 'its props decide the resources at synth time');
      return undefined;
    }
    const record = this.plainObject(self, value, required, `give an object with the props of ${spec.name}`);
    if (!record) {
      return undefined;
    }
    const at = (key: string) => (prop === '' ? key : `${prop}.${key}`);
    const known = new Set<string>(spec.keys);
    const out: Partial<Record<K, unknown>> = {};
    for (const key of record.keys) {
      if (!known.has(key)) {
        const read = this.read(at(key), record.object, key);
        const suggestion = closestName(key, spec.keys);
        this.add(ApimNetworkErrorCode.UNKNOWN_PROP, at(key), read.ok ? read.value : '(unreadable)', `it is not a prop of ${spec.name}`,
          suggestion ? `did you mean "${suggestion}"?` : `give only props of ${spec.name}: ${spec.keys.join(', ')}`);
      }
    }
    for (const key of spec.keys) {
      const own = attempt(() => Object.prototype.hasOwnProperty.call(record.object, key));
      if (!own.ok) {
        this.unreadable(at(key), own.error);
        continue;
      }
      if (!own.value) {
        continue;
      }
      const read = this.read(at(key), record.object, key);
      if (read.ok && read.value !== undefined && read.value !== null) {
        out[key] = read.value;
      }
    }
    return out;
  }

  /**
   * A map of strings (tags): a plain object, read safely. Returns a copy without `null` values; undefined when it is
   * missing or unreadable.
   */
  public map(prop: string, value: unknown): Record<string, unknown> | undefined {
    const record = this.plainObject(prop, value, false, 'give an object of names and values');
    if (!record) {
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const key of record.keys) {
      const read = this.read(`${prop}.${key}`, record.object, key);
      if (read.ok && read.value !== undefined && read.value !== null) {
        Object.defineProperty(out, key, { value: read.value, enumerable: true, writable: true, configurable: true });
      }
    }
    return out;
  }

  /**
   * A list: an array without holes, read safely. Returns a copy; undefined when it is missing (or `null`), not a list
   * or unreadable. A token (a list known only at apply time) is refused with UNRESOLVED_TOKEN for the reason `need`:
   * callers that accept one check `isToken` first.
   */
  public list(prop: string, value: unknown, options: { nonEmpty?: boolean; what?: string; empty?: string; need?: Need } = {}): unknown[] | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (isReference(value)) {
      // A list known only at apply time (`Token.asList`, `Token.asAny`), where the entries are checked now.
      this.unresolved(prop, 'a literal list', options.need ?? 'its entries are checked at synth time');
      return undefined;
    }
    const what = options.what ?? 'give a list';
    const isArray = attempt(() => Array.isArray(value));
    if (!isArray.ok) {
      this.unreadable(prop, isArray.error);
      return undefined;
    }
    if (!isArray.value) {
      this.add(ApimNetworkErrorCode.INVALID_TYPE, prop, value, `it is ${kindOf(value)}, not a list`, what);
      return undefined;
    }
    const array = value as unknown[];
    const length = attempt(() => array.length);
    if (!length.ok) {
      this.unreadable(prop, length.error);
      return undefined;
    }
    if (options.nonEmpty && length.value === 0) {
      this.add(ApimNetworkErrorCode.MISSING_PROP, prop, [], 'it is empty', options.empty ?? 'give at least one entry');
      return undefined;
    }
    const out: unknown[] = [];
    let ok = true;
    for (let index = 0; index < length.value; index++) {
      const at = `${prop}[${index}]`;
      const present = attempt(() => index in array);
      if (!present.ok) {
        this.unreadable(at, present.error);
        ok = false;
      } else if (!present.value) {
        this.add(ApimNetworkErrorCode.MISSING_PROP, at, undefined, 'the list has an empty slot here (a hole, as in [, x])',
          'remove the empty slot: every entry must be given');
        ok = false;
      } else {
        const read = this.read(at, array, index);
        ok = ok && read.ok;
        out.push(read.ok ? read.value : undefined);
      }
    }
    return ok ? out : undefined;
  }

  /** A string prop. Tokens pass when `allowToken` is set; otherwise they are refused for the reason `need`. */
  public string(prop: string, value: unknown, options: StringOptions): string | undefined {
    if (value === undefined || value === null) {
      if (options.required) {
        this.add(ApimNetworkErrorCode.MISSING_PROP, prop, value, 'it is required', 'give a non-empty string');
      }
      return undefined;
    }
    if (typeof value !== 'string') {
      this.add(ApimNetworkErrorCode.INVALID_TYPE, prop, value, `it is ${kindOf(value)}, not a string`, 'give a string');
      return undefined;
    }
    if (PropChecker.isToken(value)) {
      if (!options.allowToken) {
        this.unresolved(prop, 'the literal value', options.need);
        return undefined;
      }
      return value;
    }
    if (value.trim() === '') {
      this.add(ApimNetworkErrorCode.MISSING_PROP, prop, value, 'it is empty', 'give a non-empty string');
      return undefined;
    }
    return value;
  }

  /** An integer prop within [min, max]; `undefined` gives the default. A token is refused for the reason `need`. */
  public integer(prop: string, value: unknown, options: {
    min: number; max: number; need: Need; default?: number; code?: ApimNetworkErrorCode; hint?: string; range?: string; outside?: string;
  }): number | undefined {
    const range = options.range ?? `from ${options.min} to ${options.max}`;
    const give = options.hint ?? `give a whole number ${range}`;
    if (value === undefined || value === null) {
      if (options.default === undefined) {
        this.add(ApimNetworkErrorCode.MISSING_PROP, prop, value, 'it is required', give);
      }
      return options.default;
    }
    if (PropChecker.isToken(value)) {
      this.unresolved(prop, `a literal whole number ${range}`, options.need);
      return undefined;
    }
    if (typeof value !== 'number') {
      this.add(ApimNetworkErrorCode.INVALID_TYPE, prop, value, `it is ${kindOf(value)}, not a number`, give);
      return undefined;
    }
    if (!Number.isInteger(value)) {
      this.add(ApimNetworkErrorCode.INVALID_TYPE, prop, value, Number.isNaN(value) ? 'it is NaN' : 'it is not a whole number', give);
      return undefined;
    }
    if (value < options.min || value > options.max) {
      this.add(options.code ?? ApimNetworkErrorCode.INVALID_TYPE, prop, value, options.outside ?? `it is outside ${options.min}-${options.max}`, give);
      return undefined;
    }
    return value;
  }

  /** A boolean prop; `undefined` gives the default. A token is refused for the reason `need`. */
  public boolean(prop: string, value: unknown, defaultValue: boolean, need: Need): boolean {
    if (value === undefined || value === null) {
      return defaultValue;
    }
    if (isReference(value)) {
      this.unresolved(prop, 'true or false', need);
      return defaultValue;
    }
    if (typeof value !== 'boolean') {
      this.add(ApimNetworkErrorCode.INVALID_TYPE, prop, value, `it is ${kindOf(value)}, not a boolean`, 'give true or false');
      return defaultValue;
    }
    return value;
  }

  /** An enum prop: the value must be one of the enum's values. A token is refused for the reason `need`. */
  public enumValue<E extends string>(prop: string, value: unknown, values: Record<string, E>, options: { enumName: string; need: Need; default?: E }): E | undefined {
    if (value === undefined || value === null) {
      if (options.default === undefined) {
        this.add(ApimNetworkErrorCode.MISSING_PROP, prop, value, 'it is required', `give one of ${describeEnum(values, options.enumName)}`);
      }
      return options.default;
    }
    if (isReference(value)) {
      this.unresolved(prop, `one of ${describeEnum(values, options.enumName)}`, options.need);
      return undefined;
    }
    const allowed = Object.values(values) as string[];
    if (typeof value !== 'string' || !allowed.includes(value)) {
      const same = typeof value === 'string' ? allowed.find((v) => v.toLowerCase() === value.trim().toLowerCase()) : undefined;
      this.add(ApimNetworkErrorCode.INVALID_ENUM, prop, value, `it is not a value of ${options.enumName}`,
        same ? `did you mean "${same}"? give one of ${describeEnum(values, options.enumName)}` : `give one of ${describeEnum(values, options.enumName)}`);
      return undefined;
    }
    return value as E;
  }

  /**
   * A list prop of strings. `undefined` (or `null`) gives undefined. A token list, or a token inside, passes when
   * `allowToken` is set and is refused for the reason `need` otherwise.
   */
  public stringList(prop: string, value: unknown, options: { nonEmpty?: boolean } & ({ allowToken: true } | { allowToken?: false; need: Need })): string[] | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (PropChecker.isToken(value)) {
      if (!options.allowToken) {
        this.unresolved(prop, 'a literal list', options.need);
        return undefined;
      }
      return value as string[];
    }
    const list = this.list(prop, value, { nonEmpty: options.nonEmpty, what: 'give a list of strings' });
    if (!list) {
      return undefined;
    }
    const out: string[] = [];
    let ok = true;
    list.forEach((entry, index) => {
      const checked = this.string(`${prop}[${index}]`, entry, options.allowToken ? { required: true, allowToken: true } : { required: true, need: options.need });
      if (checked === undefined) {
        ok = false;
      } else {
        out.push(checked);
      }
    });
    return ok ? out : undefined;
  }

  /**
   * An Azure location: a literal string, normalised ("West Europe" is "westeurope"). A plausible name the region table
   * does not list is accepted (Azure adds regions): the checks warn about it (APIM-LOCATION-UNKNOWN, with the closest
   * listed name), and the constructs then derive no zones or regional service tags from it.
   */
  public location(prop: string, value: unknown): string | undefined {
    const text = this.string(prop, value, { required: true, need: LOCATION_NEED });
    if (text === undefined) {
      return undefined;
    }
    const normalized = normalizeLocation(text);
    if (!isPlausibleLocation(normalized)) {
      const closest = closestRegion(normalized.replace(/[^a-z0-9]/g, ''));
      this.add(ApimNetworkErrorCode.INVALID_LOCATION, prop, value, 'it is not an Azure location name',
        closest ? `did you mean "${closest}"?` : 'give a region name such as "westeurope" or "West Europe"');
      return undefined;
    }
    return normalized;
  }

  /**
   * A provider prop: an azurerm provider of the stack the construct is created in (a provider of another stack, or of
   * another cloud, is refused: Terraform would look for it in this stack and fail at plan), or undefined.
   */
  public provider(prop: string, value: unknown, scope?: Construct): TerraformProvider | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    const checked = attempt((): string | undefined => {
      if (!TerraformProvider.isTerraformProvider(value)) {
        return 'it is not a Terraform provider';
      }
      const provider = value as TerraformProvider;
      if (provider.terraformResourceType !== 'azurerm') {
        return `it is a provider for "${provider.terraformResourceType}", not azurerm`;
      }
      if (scope && TerraformStack.of(provider) !== TerraformStack.of(scope)) {
        return `it belongs to the stack ${TerraformStack.of(provider).node.path}, not to ${TerraformStack.of(scope).node.path}; Terraform looks providers up in the resource's own stack`;
      }
      return undefined;
    });
    if (!checked.ok) {
      this.unreadable(prop, checked.error);
      return undefined;
    }
    if (checked.value !== undefined) {
      this.add(ApimNetworkErrorCode.INVALID_TYPE, prop, `(${describeObject(value)})`, checked.value,
        'pass an AzurermProvider of this construct\'s stack (for example one with an alias for a second subscription), or leave it out');
      return undefined;
    }
    return value as TerraformProvider;
  }

  /**
   * A tags prop: a map of strings whose keys and values Azure accepts. A token (the whole map, or a value) is accepted:
   * tags decide nothing at synth time.
   */
  public tags(prop: string, value: unknown): { [key: string]: string } | undefined {
    if (value !== undefined && value !== null && typeof value === 'object' && holds(() => !Array.isArray(value) && Token.isUnresolved(value))) {
      return value as { [key: string]: string };
    }
    const tags = this.map(prop, value);
    if (!tags) {
      return undefined;
    }
    const symbols = attempt(() => Object.getOwnPropertySymbols(value as object));
    for (const symbol of symbols.ok ? symbols.value : []) {
      this.add(ApimNetworkErrorCode.INVALID_NAME, `${prop}[${String(symbol)}]`, String(symbol), 'a tag name must be a string; a symbol key would be dropped without a word',
        'give tag names as strings');
    }
    const entries = Object.entries(tags);
    if (entries.length > TAG_LIMITS.maxTags) {
      this.add(ApimNetworkErrorCode.INVALID_NAME, prop, `(${entries.length} tags)`, `Azure takes at most ${TAG_LIMITS.maxTags} tags on a resource`,
        `give at most ${TAG_LIMITS.maxTags} tags`);
    }
    const seen = new Map<string, string>();
    for (const [key, tag] of entries) {
      const at = `${prop}.${key}`;
      if (typeof tag !== 'string') {
        this.add(ApimNetworkErrorCode.INVALID_TYPE, at, tag, 'a tag value must be a string', 'give string values');
        continue;
      }
      if (key === '__proto__') {
        // Kept in the copy, but cdktf drops the key when it writes the Terraform JSON.
        this.add(ApimNetworkErrorCode.INVALID_NAME, at, key, 'cdktf drops a key named "__proto__" when it writes the Terraform JSON, so the tag would be lost without a word',
          'give the tag another name');
        continue;
      }
      const keyProblem = isReference(key) ? undefined : tagKeyProblem(key);
      if (keyProblem) {
        this.add(ApimNetworkErrorCode.INVALID_NAME, at, key, keyProblem,
          `give tag names of 1-${TAG_LIMITS.maxKeyLength} characters without ${TAG_LIMITS.forbiddenKeyCharacters.join(' ')}`);
      }
      const valueProblem = isReference(tag) ? undefined : tagValueProblem(tag);
      if (valueProblem) {
        this.add(ApimNetworkErrorCode.INVALID_NAME, at, tag, valueProblem, `give tag values of at most ${TAG_LIMITS.maxValueLength} characters`);
      }
      const other = seen.get(key.toLowerCase());
      if (other !== undefined) {
        this.add(ApimNetworkErrorCode.DUPLICATE_VALUE, at, key, `Azure compares tag names case-insensitively, so it is the same tag as "${other}"`,
          'give each tag name once');
      }
      seen.set(key.toLowerCase(), key);
    }
    return tags as { [key: string]: string };
  }

  /**
   * A name Azure checks: a string (a token passes when `allowToken` is set, and is then not checked) that fits Azure's
   * rules for the kind of resource.
   */
  public azureName(kind: AzureNameKind, prop: string, value: unknown, options: StringOptions): string | undefined {
    const name = this.string(prop, value, options);
    if (name === undefined || isReference(name)) {
      return name;
    }
    const problem = azureNameProblem(kind, name);
    if (problem) {
      this.add(ApimNetworkErrorCode.INVALID_NAME, prop, name, `it is not a valid ${kind} name: ${problem}`, `give ${azureNameRule(kind)}`);
      return undefined;
    }
    return name;
  }

  /** Report a prop whose reading threw (a getter or a Proxy that throws). */
  private unreadable(prop: string, error: unknown): void {
    this.unreadableProps.add(prop);
    this.add(ApimNetworkErrorCode.INVALID_TYPE, prop, '(unreadable)', `reading it threw ${describeThrown(error)}`,
      'give a plain value (no getter or Proxy that throws)');
  }

  /** Read one property, reporting a throw. */
  private read(prop: string, object: unknown, key: string | number): { ok: true; value: unknown } | { ok: false } {
    const read = attempt(() => (object as Record<string | number, unknown>)[key]);
    if (!read.ok) {
      this.unreadable(prop, read.error);
      return { ok: false };
    }
    return read;
  }

  /** A plain object (an object literal, or one without prototype), and its own enumerable string keys. */
  private plainObject(prop: string, value: unknown, required: boolean, accepted: string): { object: object; keys: string[] } | undefined {
    if (value === undefined || value === null) {
      if (required) {
        this.add(ApimNetworkErrorCode.MISSING_PROP, prop, value, 'it is required', accepted);
      }
      return undefined;
    }
    const checked = attempt((): { problem: string } | { keys: string[] } => {
      if (typeof value !== 'object' || Array.isArray(value)) {
        return { problem: `it is ${kindOf(value)}, not an object` };
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== null && Object.getPrototypeOf(proto) !== null) {
        return { problem: `it is ${describeObject(value)}, not a plain object` };
      }
      return { keys: Object.keys(value) };
    });
    if (!checked.ok) {
      this.unreadable(prop, checked.error);
      return undefined;
    }
    if ('problem' in checked.value) {
      this.add(ApimNetworkErrorCode.INVALID_TYPE, prop, typeof value === 'object' ? `(${describeObject(value)})` : value, checked.value.problem, accepted);
      return undefined;
    }
    return { object: value as object, keys: checked.value.keys };
  }
}

/** What the location decides at synth time. */
export const LOCATION_NEED = 'the location decides resource names, availability zones and regional service tags at synth time';

/** Run `fn`, catching what it throws. */
export function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Whether `fn` returns true (false when it throws). */
export function holds(fn: () => boolean): boolean {
  const found = attempt(fn);
  return found.ok && found.value;
}

/** `TypeError: nope`, for a message; never throws. */
export function describeThrown(error: unknown): string {
  const text = attempt(() => (error instanceof Error ? `${error.name}: ${error.message}` : `${typeof error} ${String(error)}`));
  return text.ok ? text.value : 'something that cannot be printed';
}

/**
 * The closest of `names` to a misspelt one (case-insensitive): within a few edits, or one that starts with it or with
 * which it starts (`bgpRoutePropagation` for `bgpRoutePropagationEnabled`); undefined when none is close.
 */
export function closestName(given: string, names: readonly string[]): string | undefined {
  const lower = given.toLowerCase();
  const stem = lower.length >= 5 ? names.filter((name) => name.toLowerCase().startsWith(lower) || lower.startsWith(name.toLowerCase())) : [];
  if (stem.length === 1) {
    return stem[0];
  }
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(lower, name.toLowerCase());
    if (!best || distance < best.distance) {
      best = { name, distance };
    }
  }
  return best && best.distance <= Math.max(1, Math.min(3, Math.floor(given.length / 4))) ? best.name : undefined;
}

/**
 * Whether a value is known only at apply time: a cdktf token, or a Terraform expression written as a string
 * (`"${var.name}"`, an escape hatch some users take). Never throws.
 */
export function isReference(value: unknown): boolean {
  const found = attempt(() => Token.isUnresolved(value) || (typeof value === 'string' && value.includes('${')));
  return found.ok && found.value;
}

/** What a value is, with its article: "a list", "an object", "a number", "null". */
export function kindOf(value: unknown): string {
  if (holds(() => Array.isArray(value))) {
    return 'a list';
  }
  if (value === null) {
    return 'null';
  }
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeEnum(values: Record<string, string>, enumName: string): string {
  return Object.entries(values).map(([key, v]) => `${enumName}.${key} ("${v}")`).join(', ');
}

/**
 * Check the scope and id a construct is created with, before `super()`: constructs and cdktf would otherwise throw
 * their own errors (duplicate id, no stack) after part of the tree exists. A scope or id that throws when it is read
 * (a Proxy) is refused the same way.
 */
export function checkedScope(scope: Construct, id: string): Construct {
  const where = attempt(() => {
    const path = scope?.node?.path;
    return typeof path === 'string' ? path : undefined;
  });
  const path = where.ok ? where.value : undefined;
  const idText = typeof id === 'string' ? id : renderValue(id);
  const fail = (code: ApimNetworkErrorCode, prop: string, value: unknown, problem: string, accepted: string): never =>
    raise(new ApimNetworkError(path === undefined ? '(no scope)' : `${path === '' ? '' : `${path}/`}${idText}`,
      [{ code, prop, value: renderValue(value), problem, accepted }]));
  const notAScope = 'pass the stack (or a construct inside it) to create this in';
  if (!where.ok) {
    return fail(ApimNetworkErrorCode.INVALID_TYPE, 'scope', '(unreadable)', `reading it threw ${describeThrown(where.error)}`, notAScope);
  }
  const isConstruct = attempt(() => !!scope && typeof scope === 'object' && Construct.isConstruct(scope) && typeof scope.node?.tryFindChild === 'function');
  if (!isConstruct.ok || !isConstruct.value) {
    return fail(ApimNetworkErrorCode.INVALID_TYPE, 'scope', isConstruct.ok ? kindOf(scope) : '(unreadable)', 'it is not a construct', notAScope);
  }
  if (typeof id !== 'string' || id.trim() === '') {
    return fail(ApimNetworkErrorCode.INVALID_NAME, 'id', typeof id === 'string' ? id : `(${kindOf(id)})`, 'it is not a non-empty string',
      'give a construct id such as "network"');
  }
  if (isReference(id)) {
    return fail(ApimNetworkErrorCode.UNRESOLVED_TOKEN, 'id', '(a token)', 'a construct id must be known at synth time: it is part of the Terraform address',
      'give a literal id');
  }
  if (id.includes('/')) {
    return fail(ApimNetworkErrorCode.INVALID_NAME, 'id', id, 'it contains "/", the construct path separator', 'give an id without "/"');
  }
  const taken = attempt(() => scope.node.tryFindChild(id) !== undefined);
  if (!taken.ok) {
    return fail(ApimNetworkErrorCode.INVALID_TYPE, 'scope', '(unreadable)', `reading it threw ${describeThrown(taken.error)}`, notAScope);
  }
  if (taken.value) {
    return fail(ApimNetworkErrorCode.DUPLICATE_VALUE, 'id', id, `${path === '' ? 'the app' : path} already has a child with this id`,
      'give every construct a unique id (it is part of the Terraform address)');
  }
  if (!attempt(() => TerraformStack.of(scope)).ok) {
    return fail(ApimNetworkErrorCode.INVALID_TYPE, 'scope', path, 'it is not inside a TerraformStack', 'create the construct in a stack');
  }
  return scope;
}

/**
 * Turn whatever a constructor or method threw into this library's error, and detach the half-made construct so no
 * partial network is left in the tree: a construct either exists whole or not at all.
 */
export function failed(scope: Construct | undefined, id: string | undefined, path: string, error: unknown): ApimNetworkError {
  if (scope && id !== undefined) {
    attempt(() => scope.node.tryRemoveChild(id));
  }
  if (error instanceof ApimNetworkError) {
    return error;
  }
  return new ApimNetworkError(path, [{
    code: ApimNetworkErrorCode.CONSTRUCTION_FAILED,
    prop: '(construction)',
    value: renderValue(describeThrown(error)),
    problem: 'building the resources failed; nothing was added to the tree',
    accepted: 'check the props against the documentation; if they are right, please report this as a bug',
  }]);
}

/** Run a construct's validation: collect every problem, throw one error listing them, or return what `fn` made. */
export function validate<T>(path: string, fn: (checker: PropChecker) => T): T {
  const checker = new PropChecker(path);
  const result = fn(checker);
  checker.throwIfAny();
  return result;
}

/**
 * How a parent construct hands the plan it validated to a child it builds, so the child's constructor builds from the
 * plan instead of validating the same input again. The plan lives here, in a module-private slot, for the one
 * synchronous constructor call the parent makes right after `give`; it is never written on a props object.
 *
 * The parent calls the child's constructor itself, the hand-off being its props argument
 * (`new Child(scope, id, Child._handOff(plan))`: `_handOff` gives the plan and has returned before the constructor
 * runs), not through a factory or a callback: every cdktf token a resource creates records the whole call stack, so
 * each extra frame on the way to the provider's constructors costs time in every resource of every location.
 */
export class PlanHandOff<P> {
  private pending?: P;

  /**
   * Leave `plan` for the constructor call that follows at once. That constructor takes it as its first statement,
   * before anything that can throw, so the slot is always emptied.
   */
  public give(plan: P): void {
    this.pending = plan;
  }

  /** The waiting plan, once: the child's constructor calls this first. */
  public take(): P | undefined {
    const plan = this.pending;
    this.pending = undefined;
    return plan;
  }
}
