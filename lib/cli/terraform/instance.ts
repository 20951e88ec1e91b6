/**
 * A module instance being evaluated: its variables (from the caller, or from tfvars and the command line for a root
 * module), locals, resources and data sources expanded by `count`/`for_each` when those are known, module calls (local
 * sources, and remote ones that `terraform init` downloaded), and outputs. Everything is computed on demand and at
 * most once; what cannot be known stays unknown with its reason, and an expression that fails is reported and becomes
 * unknown, never a guess.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  ChildScope, EvalError, Expr, Lazy, ObjectValue, PositionedEvalError, Ref, RefTarget, Scope, Unknown, Value,
  convert, evaluate, firstUnknown, isObjectValue, iterate, jsonOfExpression, makeObject, markKindUnknown, materialize, sortedKeys, toNumberValue,
} from '../../hcl';
import { BodyConfig, ConfigError, ModuleCallConfig, ModuleConfig, ResourceConfig, readModule } from './config';

/** A problem that did not stop the check: an expression that failed and is reported as unknown. */
export interface Diagnostic {
  readonly file?: string;
  readonly line?: number;
  readonly message: string;
}

/** Names of resources in the output document: unique per type, the Terraform name itself where it is free. */
export class NameRegistry {
  private readonly used = new Map<string, Set<string>>();

  public claim(type: string, preferred: string): string {
    const names = this.used.get(type) ?? new Set<string>();
    this.used.set(type, names);
    let name = preferred;
    for (let i = 2; names.has(name); i++) {
      name = `${preferred}-${i}`;
    }
    names.add(name);
    return name;
  }
}

/** What every module instance of one root module shares. */
export interface LoadContext {
  readonly names: NameRegistry;
  readonly diagnostics: Diagnostic[];
  /** Absolute directory of the root module (`path.root`). */
  readonly rootDir: string;
  /** Module directories by `terraform init`'s key (`net`, `net.subnets`), from .terraform/modules/modules.json. */
  readonly installedModules: ReadonlyMap<string, string>;
  /** Module configurations by directory, read once. */
  readonly configs: Map<string, ModuleConfig>;
  /** Called for every file read (progress). */
  readonly onFile?: (file: string) => void;
  /** Root variables used without a value, with where they are declared. */
  readonly unsetVariables: Map<string, string>;
  /** Turn an absolute path into what messages show. */
  readonly display: (file: string) => string;
}

const MAX_DEPTH = 32;

/** A string as the number it converts to (Terraform converts "1" where a number is needed), or itself. */
function numberOrText(value: string): number | string {
  try {
    return toNumberValue(value, 'count');
  } catch (e) {
    if (e instanceof EvalError) {
      return value;
    }
    throw e;
  }
}

/** How an expression that failed is reported: a diagnostic, and an unknown in its place. */
function failed(ctx: LoadContext, e: unknown, expr: Expr, file: string, what: string): Unknown {
  if (!(e instanceof EvalError)) {
    throw e;
  }
  const pos = e instanceof PositionedEvalError ? e.pos : expr.pos;
  const message = e instanceof PositionedEvalError ? e.reason : e.message;
  ctx.diagnostics.push({ file, line: pos.line, message: `${what}: ${message}` });
  return new Unknown(`${what} cannot be evaluated (${ctx.display(file)}:${pos.line}: ${message})`, jsonOfExpression(expr));
}

/**
 * Evaluate, turning an evaluation error into a reported unknown. A chain of values each computed from the next (a
 * thousand locals) can exhaust the stack: that value is then reported as one this command cannot evaluate, never a
 * crash.
 */
function safeEvaluate(ctx: LoadContext, expr: Expr, scope: Scope, file: string, what: string): Value {
  try {
    return evaluate(expr, scope);
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      return failed(ctx, new EvalError('the values it depends on are computed from each other too deeply for this command to read'), expr, file, what);
    }
    return failed(ctx, e, expr, file, what);
  }
}

class NamedLazy extends Lazy {
  public constructor(
    private readonly what: string,
    private readonly names: () => string[],
    private readonly getter: (name: string) => Value,
  ) {
    super();
  }

  public get(name: string): Value {
    if (!this.names().includes(name)) {
      throw new EvalError(`${this.what}.${name} is not declared`);
    }
    return this.getter(name);
  }

  public describe(): string {
    return this.what;
  }

  public keys(): string[] {
    return this.names();
  }
}

/** The instances of a resource or module call, and what its name evaluates to. */
interface Expansion<T> {
  readonly instances: ReadonlyArray<{ readonly key?: string | number; readonly instance: T }>;
  /** Set when count/for_each is not known: one instance stands for all, with unknown count.index / each. */
  readonly unknown?: Unknown;
}

/** A resource or data source instance. */
export class ResourceInstance extends Lazy implements RefTarget {
  public readonly jsonName: string;
  private readonly values = new Map<string, Value>();
  private readonly evaluating = new Set<string>();

  public constructor(
    public readonly module: ModuleInstance,
    public readonly config: ResourceConfig,
    public readonly address: string,
    public readonly scope: Scope,
    public readonly expansion?: Unknown,
  ) {
    super();
    const plain = module.prefix === '' && !address.endsWith(']');
    const preferred = plain ? config.name : sanitize(address, config);
    this.jsonName = module.ctx.names.claim(`${config.mode}:${config.type}`, preferred);
  }

  public get type(): string {
    return this.config.type;
  }

  /** Names the body configures (attributes and block types). */
  public configured(): string[] {
    const body = this.config.body;
    return [...new Set([...body.attributes.map((a) => a.name), ...body.blocks.map((b) => b.type), ...body.dynamics.map((d) => d.type)])];
  }

  /**
   * Whether a block type is written only by `dynamic` blocks that produce no block. Terraform then leaves it not set,
   * which matters for the provider's "attributes as blocks" (an NSG's `security_rule`, a route table's `route`):
   * not set, the standalone rules and routes stand; set (`route = []`), the provider removes them.
   */
  public producesNoBlocks(name: string): boolean {
    const body = this.config.body;
    if (body.attributes.some((a) => a.name === name) || body.blocks.some((b) => b.type === name) || !body.dynamics.some((d) => d.type === name)) {
      return false;
    }
    const value = this.get(name);
    return Array.isArray(value) && value.length === 0;
  }

  public get(name: string): Value {
    if (!this.configured().includes(name)) {
      return this.afterApply(name);
    }
    const cached = this.values.get(name);
    if (cached !== undefined) {
      return cached;
    }
    if (this.evaluating.has(name)) {
      throw new EvalError(`${this.address}.${name} refers to itself`);
    }
    this.evaluating.add(name);
    try {
      const value = blockViews(this, name, evaluateBodyEntry(this.module.ctx, this.config.body, name, this.scope, this.config.file, this.address));
      this.values.set(name, value);
      return value;
    } finally {
      this.evaluating.delete(name);
    }
  }

  /** An attribute (or a nested path such as `additional_location[0].gateway_regional_url`) Terraform knows only after apply. */
  public afterApply(name: string): Value {
    if (this.config.mode === 'managed') {
      return new Ref(this, name);
    }
    return new Unknown(`${this.address}.${name} is read by Terraform at plan time (a data source)`, `\${data.${this.type}.${this.jsonName}.${name}}`, true);
  }

  public describe(): string {
    return this.address;
  }

  public keys(): string[] {
    return [...this.configured(), 'id'];
  }

  /** The whole object: configured values; other attributes only after apply. */
  public materialize(): Value {
    return makeObject(this.keys().map((k) => [k, this.get(k)]));
  }
}

/**
 * A nested block of a resource as references see it: what the configuration sets, and any other attribute (one the
 * provider computes, such as `additional_location[0].gateway_regional_url`) known only after apply, never an error.
 */
class BlockView extends Lazy {
  public constructor(private readonly owner: ResourceInstance, private readonly path: string, private readonly value: ObjectValue) {
    super();
  }

  public get(name: string): Value {
    return Object.prototype.hasOwnProperty.call(this.value, name)
      ? blockViews(this.owner, `${this.path}.${name}`, this.value[name])
      : this.owner.afterApply(`${this.path}.${name}`);
  }

  public describe(): string {
    return `${this.owner.address}.${this.path}`;
  }

  public keys(): string[] {
    return Object.keys(this.value);
  }
}

/**
 * A configured value as references read it back. A collection in it is a list or a set as the provider's schema says
 * (this package has no schemas): its kind is unknown, so iterating it gives unknown keys.
 */
function blockViews(owner: ResourceInstance, path: string, value: Value): Value {
  return Array.isArray(value) ? markKindUnknown(value.map((v, i) => (isObjectValue(v) ? new BlockView(owner, `${path}[${i}]`, v) : v))) : value;
}

function sanitize(address: string, config: ResourceConfig): string {
  const withoutType = address.replace(`${config.mode === 'data' ? 'data.' : ''}${config.type}.`, '');
  return withoutType
    .replace(/module\./g, '')
    .replace(/\["?/g, '--')
    .replace(/"?\]/g, '')
    .replace(/\./g, '--')
    .replace(/[^A-Za-z0-9_-]/g, '_');
}

/** A module instance. */
export class ModuleInstance {
  public readonly scope: Scope;
  private readonly variableValues = new Map<string, Value>();
  private readonly localValues = new Map<string, Value>();
  private readonly localsEvaluating = new Set<string>();
  private readonly resourceExpansions = new Map<string, Expansion<ResourceInstance>>();
  private readonly moduleExpansions = new Map<string, Expansion<ModuleInstance> & { readonly remote?: Unknown }>();
  private readonly outputValues = new Map<string, Value>();

  /**
   * @param prefix address prefix: '' for the root, `module.net.` or `module.net["weu"].` for a child
   * @param installKey key of this instance's module in .terraform/modules/modules.json ('' for the root)
   * @param input the value of a variable given by the caller (or by tfvars for the root), undefined when not given
   * @param providers this module's provider names -> the root module's provider references
   */
  public constructor(
    public readonly ctx: LoadContext,
    public readonly config: ModuleConfig,
    public readonly prefix: string,
    public readonly installKey: string,
    private readonly input: (name: string) => Value | undefined,
    public readonly providers: ReadonlyMap<string, string>,
    public readonly depth = 0,
  ) {
    const c = config;
    const resourcesOfType = (type: string) => [...c.resources.values()].filter((r) => r.mode === 'managed' && r.type === type).map((r) => r.name);
    const roots: Record<string, Value> = {
      var: new NamedLazy('var', () => [...c.variables.keys()], (n) => this.variable(n)),
      local: new NamedLazy('local', () => [...c.locals.keys()], (n) => this.local(n)),
      module: new NamedLazy('module', () => [...c.modules.keys()], (n) => this.moduleValue(n)),
      data: new NamedLazy('data', () => [...new Set([...c.resources.values()].filter((r) => r.mode === 'data').map((r) => r.type))], (type) =>
        new NamedLazy(`data.${type}`, () => [...c.resources.values()].filter((r) => r.mode === 'data' && r.type === type).map((r) => r.name),
          (name) => this.resourceValue(`data.${type}.${name}`))),
      path: makeObject([
        ['module', path.relative(ctx.rootDir, c.dir) || '.'],
        ['root', '.'],
        ['cwd', '.'],
      ]),
      terraform: makeObject([['workspace', process.env.TF_WORKSPACE ?? new Unknown('terraform.workspace is the workspace Terraform runs in (set TF_WORKSPACE to check one)', '${terraform.workspace}', true)]]),
    };
    const types = new Set([...c.resources.values()].filter((r) => r.mode === 'managed').map((r) => r.type));
    this.scope = {
      lookup: (name: string) => {
        if (name in roots) {
          return roots[name];
        }
        if (types.has(name)) {
          return new NamedLazy(name, () => resourcesOfType(name), (n) => this.resourceValue(`${name}.${n}`));
        }
        return undefined;
      },
    };
  }

  // ---- variables, locals, outputs ----

  public variable(name: string): Value {
    const cached = this.variableValues.get(name);
    if (cached !== undefined) {
      return cached;
    }
    const config = this.config.variables.get(name)!;
    let value = this.input(name);
    const where = `${this.ctx.display(config.file)}:${config.pos.line}`;
    if ((value === undefined || (value === null && !config.nullable)) && config.hasDefault) {
      value = safeEvaluate(this.ctx, config.default!, { lookup: () => undefined }, config.file, `the default of var.${name}`);
    }
    if (value === undefined) {
      if (this.prefix === '') {
        this.ctx.unsetVariables.set(name, where);
        value = new Unknown(`var.${name} has no value (no default; give one with --var ${name}=..., --var-file, terraform.tfvars or TF_VAR_${name})`, `\${var.${name}}`, true);
      } else {
        // Written with the module's address: `${var.subnet_id}` would read as the root's variable of that name.
        value = new Unknown(`var.${name} of ${this.prefix.slice(0, -1)} is not set by the module call and has no default`, `\${${this.prefix}var.${name}}`, true);
        this.ctx.diagnostics.push({ file: config.file, line: config.pos.line, message: `${this.prefix}var.${name} is required but not given` });
      }
    } else if (config.type) {
      try {
        value = convert(value, config.type, `var.${name}`);
      } catch (e) {
        const message = (e as Error).message;
        this.ctx.diagnostics.push({ file: config.file, line: config.pos.line, message: `${this.prefix}${message}` });
        value = new Unknown(`the value of var.${name} does not fit its type (${message})`, `\${${this.prefix}var.${name}}`, true);
      }
    }
    this.variableValues.set(name, value);
    return value;
  }

  public local(name: string): Value {
    const cached = this.localValues.get(name);
    if (cached !== undefined) {
      return cached;
    }
    const config = this.config.locals.get(name)!;
    if (this.localsEvaluating.has(name)) {
      throw new EvalError(`local.${name} refers to itself`);
    }
    this.localsEvaluating.add(name);
    try {
      const value = safeEvaluate(this.ctx, config.expr, this.scope, config.file, `${this.prefix}local.${name}`);
      this.localValues.set(name, value);
      return value;
    } finally {
      this.localsEvaluating.delete(name);
    }
  }

  public output(name: string): Value {
    const cached = this.outputValues.get(name);
    if (cached !== undefined) {
      return cached;
    }
    const config = this.config.outputs.get(name)!;
    const value = safeEvaluate(this.ctx, config.expr, this.scope, config.file, `${this.prefix}output.${name}`);
    this.outputValues.set(name, value);
    return value;
  }

  // ---- expansion of count and for_each ----

  private expand<T>(count: Expr | undefined, forEach: Expr | undefined, file: string, what: string, make: (key: string | number | undefined, each: Value | undefined, unknown?: Unknown) => T): Expansion<T> {
    if (count) {
      const value = safeEvaluate(this.ctx, count, this.scope, file, `the count of ${what}`);
      const unknown = firstUnknown(value);
      if (unknown) {
        const why = new Unknown(`the count of ${what} is not known (${unknown.reason})`, unknown.json, false, unknown.fromRef);
        return { instances: [{ instance: make(undefined, undefined, why) }], unknown: why };
      }
      // Terraform converts a string to the number count needs ("1", "2e0"); a bool it refuses.
      const n = typeof value === 'string' ? numberOrText(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
        const why = failed(this.ctx, new EvalError(`count must be a whole number of zero or more, not ${JSON.stringify(materialize(n))}`), count, file, `the count of ${what}`);
        return { instances: [{ instance: make(undefined, undefined, why) }], unknown: why };
      }
      return { instances: Array.from({ length: n }, (_x, i) => ({ key: i, instance: make(i, undefined) })) };
    }
    if (forEach) {
      const value = safeEvaluate(this.ctx, forEach, this.scope, file, `the for_each of ${what}`);
      let entries: Array<[string, Value]> | undefined;
      let unknown = value instanceof Unknown || value instanceof Ref ? firstUnknown(value) : undefined;
      if (!unknown) {
        const v = materialize(value);
        if (isObjectValue(v)) {
          entries = sortedKeys(v).map((k) => [k, v[k]]);
        } else if (Array.isArray(v)) {
          // A set of strings: each element is its own key. Its elements must be known to be keys.
          unknown = firstUnknown(v);
          if (!unknown) {
            if (!v.every((e) => typeof e === 'string')) {
              unknown = failed(this.ctx, new EvalError('for_each needs a map or a set of strings'), forEach, file, `the for_each of ${what}`);
            } else {
              entries = [...new Set(v as string[])].sort().map((k) => [k, k]);
            }
          }
        } else {
          unknown = failed(this.ctx, new EvalError(`for_each needs a map or a set of strings, not ${v === null ? 'null' : typeof v}`), forEach, file, `the for_each of ${what}`);
        }
      }
      if (unknown || !entries) {
        const u = unknown!;
        const why = new Unknown(`the for_each of ${what} is not known (${u.reason})`, u.json, false, u.fromRef);
        return { instances: [{ instance: make(undefined, undefined, why) }], unknown: why };
      }
      return { instances: entries.map(([k, v]) => ({ key: k, instance: make(k, v) })) };
    }
    return { instances: [{ instance: make(undefined, undefined) }] };
  }

  private instanceScope(key: string | number | undefined, each: Value | undefined, count: boolean, unknown?: Unknown): Scope {
    const names = new Map<string, Value>();
    if (unknown) {
      const u = new Unknown(unknown.reason, unknown.json);
      names.set(count ? 'count' : 'each', makeObject(count ? [['index', u]] : [['key', u], ['value', u]]));
    } else if (typeof key === 'number') {
      names.set('count', makeObject([['index', key]]));
    } else if (key !== undefined) {
      names.set('each', makeObject([['key', key], ['value', each ?? null]]));
    }
    return new ChildScope(this.scope, names);
  }

  /** The instances of a resource or data source (`type.name` or `data.type.name`). */
  public resourceExpansion(key: string): Expansion<ResourceInstance> {
    const cached = this.resourceExpansions.get(key);
    if (cached) {
      return cached;
    }
    const config = this.config.resources.get(key)!;
    const base = `${this.prefix}${key}`;
    const expansion = this.expand(config.count, config.forEach, config.file, base, (k, each, unknown) =>
      new ResourceInstance(this, config, k === undefined ? base : `${base}[${JSON.stringify(k)}]`,
        this.instanceScope(k, each, config.count !== undefined, unknown), unknown));
    this.resourceExpansions.set(key, expansion);
    return expansion;
  }

  private resourceValue(key: string): Value {
    const config = this.config.resources.get(key)!;
    const expansion = this.resourceExpansion(key);
    return this.groupValue(expansion, config.count !== undefined, config.forEach !== undefined);
  }

  private groupValue<T extends Value>(expansion: Expansion<T>, count: boolean, forEach: boolean): Value {
    if (expansion.unknown) {
      return expansion.unknown;
    }
    if (count) {
      return expansion.instances.map((i) => i.instance);
    }
    if (forEach) {
      return makeObject(expansion.instances.map((i) => [String(i.key), i.instance]));
    }
    return expansion.instances[0].instance;
  }

  // ---- module calls ----

  /** The instances of a module call; `remote` is set when its source is not available here. */
  public moduleExpansion(name: string): Expansion<ModuleInstance> & { readonly remote?: Unknown } {
    const cached = this.moduleExpansions.get(name);
    if (cached) {
      return cached;
    }
    const call = this.config.modules.get(name)!;
    const installKey = this.installKey === '' ? name : `${this.installKey}.${name}`;
    const dir = this.moduleDir(call, installKey);
    let expansion: Expansion<ModuleInstance> & { remote?: Unknown };
    if (typeof dir !== 'string') {
      expansion = { instances: [], remote: dir };
    } else {
      if (this.depth >= MAX_DEPTH) {
        throw new ConfigError(`modules nest more than ${MAX_DEPTH} levels deep (does module "${name}" call itself?)`, call.file, call.pos);
      }
      const config = this.readChild(dir, call);
      const base = `${this.prefix}module.${name}`;
      expansion = this.expand(call.count, call.forEach, call.file, base, (k, each, unknown) => {
        const scope = this.instanceScope(k, each, call.count !== undefined, unknown);
        const address = `${k === undefined ? base : `${base}[${JSON.stringify(k)}]`}.`;
        const inputs = new Map(call.inputs.map((i) => [i.name, i]));
        for (const input of call.inputs) {
          if (!config.variables.has(input.name)) {
            this.ctx.diagnostics.push({ file: input.file, line: input.pos.line, message: `${base} has no variable "${input.name}"` });
          }
        }
        const values = new Map<string, Value>();
        return new ModuleInstance(this.ctx, config, address, installKey, (v) => {
          const input = inputs.get(v);
          if (!input) {
            return undefined;
          }
          if (!values.has(v)) {
            values.set(v, safeEvaluate(this.ctx, input.expr, scope, input.file, `the input ${v} of ${base}`));
          }
          return values.get(v);
        }, this.childProviders(call), this.depth + 1);
      });
    }
    this.moduleExpansions.set(name, expansion);
    return expansion;
  }

  /**
   * A module call this command cannot read (a remote source that is not installed): its source and its inputs,
   * evaluated here, for the checks to see what the module gets of the APIM network (an instance's `count.index` or
   * `each` is unknown); undefined when the call is read.
   */
  public unreadCall(name: string): { readonly call: ModuleCallConfig; readonly address: string; readonly inputs: ReadonlyArray<[string, Value]> } | undefined {
    if (!this.moduleExpansion(name).remote) {
      return undefined;
    }
    const call = this.config.modules.get(name)!;
    const address = `${this.prefix}module.${name}`;
    const expanded = call.count !== undefined || call.forEach !== undefined;
    const scope = this.instanceScope(undefined, undefined, call.count !== undefined,
      expanded ? new Unknown(`an instance of ${address}, which is not read`, `\${${call.count !== undefined ? 'count.index' : 'each.value'}}`) : undefined);
    // count and for_each too: an input may take the network's resources through each.value or count.index.
    const meta: Array<[string, Value]> = [];
    for (const [key, expr] of [['for_each', call.forEach], ['count', call.count]] as const) {
      if (expr !== undefined) {
        meta.push([key, safeEvaluate(this.ctx, expr, this.scope, call.file, `the ${key} of ${address}`)]);
      }
    }
    return { call, address, inputs: [...meta, ...call.inputs.map((input): [string, Value] => [input.name, safeEvaluate(this.ctx, input.expr, scope, input.file, `the input ${input.name} of ${address}`)])] };
  }

  private moduleValue(name: string): Value {
    const call = this.config.modules.get(name)!;
    const expansion = this.moduleExpansion(name);
    if (expansion.remote) {
      return expansion.remote;
    }
    const outputs = (m: ModuleInstance) => new NamedLazy(`module.${name}`, () => [...m.config.outputs.keys()], (o) => m.output(o));
    const wrapped: Expansion<Value> = { unknown: expansion.unknown, instances: expansion.instances.map((i) => ({ key: i.key, instance: outputs(i.instance) })) };
    return this.groupValue(wrapped, call.count !== undefined, call.forEach !== undefined);
  }

  private moduleDir(call: ModuleCallConfig, installKey: string): string | Unknown {
    const source = call.source;
    if (source.startsWith('./') || source.startsWith('../')) {
      const dir = path.resolve(this.config.dir, source);
      if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
        throw new ConfigError(`the module "${call.name}" has the source "${source}", but ${this.ctx.display(dir)} is not a directory`, call.file, call.pos);
      }
      return dir;
    }
    const installed = this.ctx.installedModules.get(installKey);
    if (installed && fs.existsSync(installed)) {
      return installed;
    }
    return new Unknown(
      `module.${call.name} comes from "${source}", which this command does not download (run terraform init first to check its resources)`,
      // With the calling module's address: a module of the same name in another module is another module.
      `\${${this.prefix}module.${call.name}}`, true);
  }

  private readChild(dir: string, call: ModuleCallConfig): ModuleConfig {
    const cached = this.ctx.configs.get(dir);
    if (cached) {
      return cached;
    }
    let config: ModuleConfig;
    try {
      config = readModule(dir, this.ctx.onFile);
    } catch (e) {
      if (e instanceof ConfigError) {
        throw e;
      }
      throw new ConfigError(`the module "${call.name}" cannot be read from ${this.ctx.display(dir)}: ${(e as Error).message}`, call.file, call.pos);
    }
    if (config.files.length === 0) {
      throw new ConfigError(`the module "${call.name}" has the source "${call.source}", but ${this.ctx.display(dir)} holds no .tf or .tf.json file`, call.file, call.pos);
    }
    this.ctx.configs.set(dir, config);
    return config;
  }

  // ---- providers ----

  private childProviders(call: ModuleCallConfig): Map<string, string> {
    const map = new Map<string, string>();
    for (const [child, parent] of this.providers) {
      if (!child.includes('.')) {
        map.set(child, parent);
      }
    }
    for (const [child, parent] of call.providers) {
      map.set(child, this.providerRef(parent));
    }
    return map;
  }

  /** The root module's provider reference for one of this module's (`azurerm` or `azurerm.west`). */
  public providerRef(local: string): string {
    return this.providers.get(local) ?? local;
  }
}

// ---- bodies ------------------------------------------------------------------------------------------------------------

/** The value of one attribute or block type of a body. */
export function evaluateBodyEntry(ctx: LoadContext, body: BodyConfig, name: string, scope: Scope, file: string, address: string): Value {
  const attribute = body.attributes.find((a) => a.name === name);
  if (attribute) {
    return safeEvaluate(ctx, attribute.expr, scope, file, `${address}.${name}`);
  }
  const blocks: Value[] = [];
  for (const block of body.blocks.filter((b) => b.type === name)) {
    blocks.push(evaluateBody(ctx, block.body, scope, file, `${address}.${name}`));
  }
  for (const dynamic of body.dynamics.filter((d) => d.type === name)) {
    const what = `the dynamic "${name}" blocks of ${address}`;
    const collection = safeEvaluate(ctx, dynamic.forEach, scope, file, `the for_each of ${what}`);
    const unknown = collection instanceof Unknown || collection instanceof Ref ? firstUnknown(collection) : undefined;
    if (unknown) {
      // Which blocks exist is not known: the whole list of this block type is unknown.
      return new Unknown(`${what} come from a for_each that is not known (${unknown.reason})`, unknown.fromRef ? jsonOfExpression(dynamic.forEach) : unknown.json);
    }
    let entries: Array<[Value, Value]>;
    try {
      const materialized = materialize(collection);
      entries = iterate(materialized, `the for_each of ${what}`, `\${${dynamic.iterator}.key}`);
    } catch (e) {
      return failed(ctx, e, dynamic.forEach, file, `the for_each of ${what}`);
    }
    for (const [key, value] of entries) {
      const inner = new ChildScope(scope, new Map([[dynamic.iterator, makeObject([['key', key], ['value', value]])]]));
      blocks.push(evaluateBody(ctx, dynamic.content, inner, file, `${address}.${name}`));
    }
  }
  return blocks;
}

/** The value of a whole body: attributes, and each block type as a list of objects. */
export function evaluateBody(ctx: LoadContext, body: BodyConfig, scope: Scope, file: string, address: string): ObjectValue {
  const names = [...new Set([...body.attributes.map((a) => a.name), ...body.blocks.map((b) => b.type), ...body.dynamics.map((d) => d.type)])];
  return makeObject(names.map((name) => [name, evaluateBodyEntry(ctx, body, name, scope, file, address)]));
}

