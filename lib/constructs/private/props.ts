/**
 * Prop validation shared by the constructs: every check adds a problem instead of throwing, so one error lists all
 * that is wrong, and it is thrown before any resource exists.
 */
import { TerraformProvider, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AzureNameKind, azureNameProblem, azureNameRule, TAG_LIMITS, tagKeyProblem, tagValueProblem } from '../../core/azure-names';
import { ApimNetworkError, ApimNetworkErrorCode, ApimNetworkProblem, renderValue } from '../../core/errors';
import { isPlausibleLocation, normalizeLocation } from '../../core/locations';

/** Collects the problems of one construct's props. */
export class PropChecker {
  private readonly found: ApimNetworkProblem[] = [];
  private readonly noted: string[] = [];

  public constructor(public readonly path: string) {}

  /** Record a warning: something that works but deserves a word (shown as a synth warning, never an error). */
  public warn(prop: string, value: unknown, text: string): void {
    this.noted.push(`${prop} ${renderValue(value)}: ${text}`);
  }

  /** Warnings recorded so far. */
  public get warnings(): readonly string[] {
    return this.noted;
  }

  /** Record a problem (once: inputs shared by several locations report each problem of theirs once). */
  public add(code: ApimNetworkErrorCode, prop: string, value: unknown, problem: string, accepted: string): void {
    const rendered = renderValue(value);
    if (!this.found.some((p) => p.code === code && p.prop === prop && p.value === rendered && p.problem === problem)) {
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
      throw new ApimNetworkError(this.path, [...this.found]);
    }
  }

  /**
   * Record a value that must be known at synth time but is a token. The fix names the alternative to a Terraform
   * variable: a typed config per environment, one stack per environment (README, "One stack per environment").
   */
  public unresolved(prop: string, literal: string): void {
    this.add(ApimNetworkErrorCode.UNRESOLVED_TOKEN, prop, '(a token)',
      'it is a reference resolved only at apply time, but it decides sizes, names or zones at synth time',
      `pass ${literal}; for values that differ per environment, give each environment's stack its own typed config (README, "One stack per environment")`);
  }

  /** Whether a value is a cdktf token (known only at apply time). */
  public static isToken(value: unknown): boolean {
    return (typeof value === 'string' || typeof value === 'number' || Array.isArray(value)) && isReference(value);
  }

  /** A string prop. Tokens pass when `allowToken` is set. */
  public string(prop: string, value: unknown, options: { required: boolean; allowToken?: boolean }): string | undefined {
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
        this.unresolved(prop, 'the literal value');
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

  /** An integer prop within [min, max]; `undefined` gives the default. */
  public integer(prop: string, value: unknown, options: { min: number; max: number; default?: number; code?: ApimNetworkErrorCode; hint?: string }): number | undefined {
    if (value === undefined || value === null) {
      if (options.default === undefined) {
        this.add(ApimNetworkErrorCode.MISSING_PROP, prop, value, 'it is required', `give a whole number from ${options.min} to ${options.max}`);
      }
      return options.default;
    }
    if (PropChecker.isToken(value)) {
      this.unresolved(prop, `a literal whole number from ${options.min} to ${options.max}`);
      return undefined;
    }
    if (typeof value !== 'number') {
      this.add(ApimNetworkErrorCode.INVALID_TYPE, prop, value, `it is ${kindOf(value)}, not a number`,
        `give a whole number from ${options.min} to ${options.max}`);
      return undefined;
    }
    if (!Number.isInteger(value)) {
      this.add(ApimNetworkErrorCode.INVALID_TYPE, prop, value, Number.isNaN(value) ? 'it is NaN' : 'it is not a whole number',
        `give a whole number from ${options.min} to ${options.max}`);
      return undefined;
    }
    if (value < options.min || value > options.max) {
      this.add(options.code ?? ApimNetworkErrorCode.INVALID_TYPE, prop, value, `it is outside ${options.min}-${options.max}`,
        options.hint ?? `give a whole number from ${options.min} to ${options.max}`);
      return undefined;
    }
    return value;
  }

  /** A boolean prop; `undefined` gives the default. */
  public boolean(prop: string, value: unknown, defaultValue: boolean): boolean {
    if (value === undefined || value === null) {
      return defaultValue;
    }
    if (typeof value !== 'boolean') {
      this.add(ApimNetworkErrorCode.INVALID_TYPE, prop, value, `it is ${kindOf(value)}, not a boolean`, 'give true or false');
      return defaultValue;
    }
    return value;
  }

  /** An enum prop: the value must be one of the enum's values. */
  public enumValue<E extends string>(prop: string, value: unknown, values: Record<string, E>, options: { enumName: string; default?: E }): E | undefined {
    if (value === undefined || value === null) {
      if (options.default === undefined) {
        this.add(ApimNetworkErrorCode.MISSING_PROP, prop, value, 'it is required', `give one of ${describeEnum(values, options.enumName)}`);
      }
      return options.default;
    }
    const allowed = Object.values(values) as string[];
    if (typeof value !== 'string' || !allowed.includes(value)) {
      this.add(ApimNetworkErrorCode.INVALID_ENUM, prop, value, `it is not a value of ${options.enumName}`,
        `give one of ${describeEnum(values, options.enumName)}`);
      return undefined;
    }
    return value as E;
  }

  /** A list prop of strings (tokens inside are refused unless allowed). `undefined` gives undefined. */
  public stringList(prop: string, value: unknown, options: { allowToken?: boolean; nonEmpty?: boolean } = {}): string[] | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.add(ApimNetworkErrorCode.INVALID_TYPE, prop, value, `it is ${kindOf(value)}, not a list`, 'give a list of strings');
      return undefined;
    }
    if (PropChecker.isToken(value) && !options.allowToken) {
      this.unresolved(prop, 'a literal list');
      return undefined;
    }
    if (options.nonEmpty && value.length === 0) {
      this.add(ApimNetworkErrorCode.MISSING_PROP, prop, value, 'it is empty', 'give at least one entry');
      return undefined;
    }
    const out: string[] = [];
    let ok = true;
    value.forEach((entry, index) => {
      const checked = this.string(`${prop}[${index}]`, entry, { required: true, allowToken: options.allowToken });
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
    const text = this.string(prop, value, { required: true });
    if (text === undefined) {
      return undefined;
    }
    const normalized = normalizeLocation(text);
    if (!isPlausibleLocation(normalized)) {
      this.add(ApimNetworkErrorCode.INVALID_LOCATION, prop, value, 'it is not an Azure location name',
        'give a region name such as "westeurope" or "West Europe"');
      return undefined;
    }
    return normalized;
  }

  /** A provider prop: a TerraformProvider of the stack, or undefined. */
  public provider(prop: string, value: unknown): TerraformProvider | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (!TerraformProvider.isTerraformProvider(value)) {
      this.add(ApimNetworkErrorCode.INVALID_TYPE, prop, typeof value === 'object' ? '(object)' : value, 'it is not a Terraform provider',
        'pass an AzurermProvider (for example one with an alias for a second subscription), or leave it out');
      return undefined;
    }
    return value as TerraformProvider;
  }

  /**
   * A tags prop: a map of strings whose keys and values Azure accepts. A token (the whole map, or a value) is accepted:
   * tags decide nothing at synth time.
   */
  public tags(prop: string, value: unknown): { [key: string]: string } | undefined {
    if (value !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value) && Token.isUnresolved(value)) {
      return value as { [key: string]: string };
    }
    const tags = this.object(prop, value, false);
    if (!tags) {
      return undefined;
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
  public azureName(kind: AzureNameKind, prop: string, value: unknown, options: { required: boolean; allowToken: boolean }): string | undefined {
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

  /** An object prop (a struct). */
  public object(prop: string, value: unknown, required: boolean): Record<string, unknown> | undefined {
    if (value === undefined || value === null) {
      if (required) {
        this.add(ApimNetworkErrorCode.MISSING_PROP, prop, value, 'it is required', 'give an object');
      }
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.add(ApimNetworkErrorCode.INVALID_TYPE, prop, value, `it is ${kindOf(value)}, not an object`, 'give an object');
      return undefined;
    }
    return value as Record<string, unknown>;
  }
}

/**
 * Whether a value is known only at apply time: a cdktf token, or a Terraform expression written as a string
 * (`"${var.name}"`, an escape hatch some users take).
 */
export function isReference(value: unknown): boolean {
  return Token.isUnresolved(value) || (typeof value === 'string' && value.includes('${'));
}

/** What a value is, with its article: "a list", "an object", "a number", "null". */
export function kindOf(value: unknown): string {
  if (Array.isArray(value)) {
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
 * their own errors (duplicate id, no stack) after part of the tree exists.
 */
export function checkedScope(scope: Construct, id: string): Construct {
  const where = scope?.node?.path;
  const fail = (code: ApimNetworkErrorCode, prop: string, value: unknown, problem: string, accepted: string): never => {
    throw new ApimNetworkError(where === undefined ? '(no scope)' : `${where === '' ? '' : `${where}/`}${String(id)}`,
      [{ code, prop, value: renderValue(value), problem, accepted }]);
  };
  if (!scope || typeof scope !== 'object' || !scope.node || typeof scope.node.tryFindChild !== 'function') {
    fail(ApimNetworkErrorCode.INVALID_TYPE, 'scope', typeof scope, 'it is not a construct', 'pass the stack (or a construct inside it) to create this in');
  }
  if (typeof id !== 'string' || id.trim() === '') {
    fail(ApimNetworkErrorCode.INVALID_NAME, 'id', id, 'it is not a non-empty string', 'give a construct id such as "network"');
  }
  if (Token.isUnresolved(id)) {
    fail(ApimNetworkErrorCode.UNRESOLVED_TOKEN, 'id', '(a token)', 'a construct id must be known at synth time', 'give a literal id');
  }
  if (id.includes('/')) {
    fail(ApimNetworkErrorCode.INVALID_NAME, 'id', id, 'it contains "/", the construct path separator', 'give an id without "/"');
  }
  if (scope.node.tryFindChild(id)) {
    fail(ApimNetworkErrorCode.DUPLICATE_VALUE, 'id', id, `${where === '' ? 'the app' : where} already has a child with this id`,
      'give every construct a unique id (it is part of the Terraform address)');
  }
  try {
    TerraformStack.of(scope);
  } catch {
    fail(ApimNetworkErrorCode.INVALID_TYPE, 'scope', where, 'it is not inside a TerraformStack', 'create the construct in a stack');
  }
  return scope;
}

/**
 * Turn whatever a constructor or method threw into this library's error, and detach the half-made construct so no
 * partial network is left in the tree: a construct either exists whole or not at all.
 */
export function failed(scope: Construct | undefined, id: string | undefined, path: string, error: unknown): ApimNetworkError {
  if (scope && id !== undefined) {
    scope.node.tryRemoveChild(id);
  }
  if (error instanceof ApimNetworkError) {
    return error;
  }
  return new ApimNetworkError(path, [{
    code: ApimNetworkErrorCode.CONSTRUCTION_FAILED,
    prop: '(construction)',
    value: renderValue(error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
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
 * synchronous constructor call the parent makes (`build`); it is never written on a props object.
 */
export class PlanHandOff<P> {
  private pending?: P;

  /** Run `make` (which calls the child's constructor) with `plan` waiting for that constructor. */
  public build<T>(plan: P, make: () => T): T {
    this.pending = plan;
    try {
      return make();
    } finally {
      this.pending = undefined;
    }
  }

  /** The waiting plan, once: the child's constructor calls this first. */
  public take(): P | undefined {
    const plan = this.pending;
    this.pending = undefined;
    return plan;
  }
}
