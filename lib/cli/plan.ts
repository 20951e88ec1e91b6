/**
 * Read a plan exported with `terraform show -json plan.out` (Terraform's JSON output format: `format_version`,
 * `planned_values`, `resource_changes`, `configuration`) as one Terraform JSON document for the checks.
 *
 * Values come from `planned_values`: Terraform has already substituted variables, evaluated expressions and expanded
 * count and for_each. What Terraform itself knows only after apply (`after_unknown`) is where the plan is blind,
 * typically the IDs of resources it is about to create; the links between resources then come from the
 * `configuration` section, whose expressions list the references they use (through module outputs and inputs). A link
 * that cannot be traced to one resource instance stays unknown.
 */
import { JsonNode, jsonToValue, parseJson } from '../hcl';
import { WrittenResource, literalText } from './terraform/document';
import { NameRegistry } from './terraform/instance';
import { ConfigError } from './terraform/config';
import { hasOwn } from '../core/objects';

/** A known value of the plan as Terraform JSON writes it: its strings are literal text (`literalText`). */
function literal(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return literalText(value);
  }
  if (depth > 100 || value === null || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => literal(item, depth + 1));
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, k, { value: literal(v, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Attributes as blocks that the provider also computes (optional and computed): a plan gives what Azure holds there,
 * whether or not the configuration writes them. A network's `subnet` lists every subnet the network has once it
 * exists, those of the azurerm_subnet resources included; so do an NSG's `security_rule` and a route table's `route`.
 */
const COMPUTED_BLOCK_LISTS: Readonly<Record<string, readonly string[]>> = {
  azurerm_virtual_network: ['subnet'],
  // An NSG's rules and a route table's routes, those of azurerm_network_security_rule and azurerm_route included.
  azurerm_network_security_group: ['security_rule'],
  azurerm_route_table: ['route'],
};

/**
 * The attributes of COMPUTED_BLOCK_LISTS whose planned value the configuration does not write (the model reads them
 * from `"//".metadata.computed`). The configuration section lists the attributes written as blocks or as a list, but
 * no `dynamic` block (Terraform writes no expression for one); before a resource exists Azure holds nothing for it,
 * so a known, non-empty planned list of a resource to be created comes from such blocks: written. A resource the
 * configuration section does not list is taken as writing them (the checks then judge the planned list as written).
 */
function computedAttributes(r: PlannedResource, config: Record<string, any> | undefined, change: any): string[] {
  if (!config) {
    return [];
  }
  const expressions = isObject(config.expressions) ? config.expressions : {};
  const creating = Array.isArray(change?.change?.actions) && change.change.actions.includes('create');
  return (COMPUTED_BLOCK_LISTS[r.type] ?? []).filter((name) => !hasOwn(expressions, name)
    && !(creating && Array.isArray(r.values[name]) && (r.values[name] as unknown[]).length > 0));
}

/**
 * The resources listed in a parent's computed list (COMPUTED_BLOCK_LISTS): the parent's type and the attribute naming it.
 */
const CHILDREN: Readonly<Record<string, { readonly parent: string; readonly field: string }>> = {
  azurerm_network_security_rule: { parent: 'azurerm_network_security_group', field: 'network_security_group_name' },
  azurerm_route: { parent: 'azurerm_route_table', field: 'route_table_name' },
  azurerm_subnet: { parent: 'azurerm_virtual_network', field: 'virtual_network_name' },
};

/** A plan read as a document. */
export interface PlanDocument {
  readonly document: Record<string, any>;
  readonly resources: WrittenResource[];
  readonly terraformVersion?: string;
}

interface PlannedResource {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly values: Record<string, unknown>;
  /** `module.net["a"].module.sub` or ''. */
  readonly module: string;
  jsonName?: string;
}

const UNKNOWN_AFTER_APPLY = '${(known after apply)}';

/** What the references of an expression point at (see `PlanReader.resolve`). */
type Trace = { readonly kind: 'none' } | { readonly kind: 'many' } | { readonly kind: 'one'; readonly resource: PlannedResource; readonly attribute: string };
const NONE: Trace = { kind: 'none' };
const MANY: Trace = { kind: 'many' };

/**
 * A value Terraform knows only after apply, naming what its expression refers to (messages show it): the references
 * that may carry such a value, without the ones Terraform lists beside them (`azurerm_subnet.a` beside
 * `azurerm_subnet.a.id`) and the root variables.
 */
function unknownFrom(references: readonly string[], module: string): string {
  const shown = references.filter((r) => !/^(count|each|path|terraform|self)\./.test(r) && !(module === '' && r.startsWith('var.'))
    && !references.some((other) => other !== r && (other.startsWith(`${r}.`) || other.startsWith(`${r}[`))));
  if (shown.length === 0) {
    return UNKNOWN_AFTER_APPLY;
  }
  const more = shown.length > 3 ? ` or ${shown.length - 3} more` : '';
  return `\${(known after apply: ${shown.slice(0, 3).join(' or ')}${more})}`;
}

/** Whether a parsed JSON value looks like a plan. */
export function isPlan(value: unknown): boolean {
  const v = value as Record<string, unknown> | null;
  return v !== null && typeof v === 'object' && typeof v.format_version === 'string' && ('planned_values' in v || 'resource_changes' in v);
}

/** A plan whose structure is not what Terraform writes (edited by hand, truncated, another tool's). */
function notAPlan(what: string, file: string): ConfigError {
  return new ConfigError(`is not a plan Terraform wrote: ${what}`, file);
}

function isObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A list of the plan (absent is empty). */
function listAt(value: unknown, where: string, file: string): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw notAPlan(`${where} is not a list`, file);
  }
  return value;
}

/** An object of the plan (absent is undefined). */
function objectAt(value: unknown, where: string, file: string): Record<string, any> | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!isObject(value)) {
    throw notAPlan(`${where} is not an object`, file);
  }
  return value;
}

function collect(value: unknown, where: string, file: string, out: PlannedResource[]): void {
  const module = objectAt(value, where, file);
  listAt(module?.resources, `${where}.resources`, file).forEach((r, i) => {
    if (!isObject(r) || typeof r.address !== 'string' || typeof r.type !== 'string' || typeof r.name !== 'string') {
      throw notAPlan(`${where}.resources[${i}] is not a resource (an object with address, type and name)`, file);
    }
    if (r.values !== undefined && r.values !== null && !isObject(r.values)) {
      throw notAPlan(`the values of ${r.address} are not an object`, file);
    }
    out.push({
      address: r.address, mode: r.mode === 'data' ? 'data' : 'managed', type: r.type, name: r.name, index: r.index,
      values: (r.values ?? {}) as Record<string, unknown>, module: moduleOf(r.address, r.type, r.mode === 'data'),
    });
  });
  listAt(module?.child_modules, `${where}.child_modules`, file).forEach((child, i) => collect(child, `${where}.child_modules[${i}]`, file, out));
}

/** A module of the plan's configuration section: an object, with a list of resources and an object of module calls. */
function checkConfigModule(value: unknown, where: string, file: string): void {
  const module = objectAt(value, where, file);
  listAt(module?.resources, `${where}.resources`, file);
  for (const [name, call] of Object.entries(objectAt(module?.module_calls, `${where}.module_calls`, file) ?? {})) {
    checkConfigModule(objectAt(call, `${where}.module_calls.${name}`, file)?.module, `${where}.module_calls.${name}.module`, file);
  }
}

/** The module instance part of a resource address. */
function moduleOf(address: string, type: string, data: boolean): string {
  const marker = `${data ? 'data.' : ''}${type}.`;
  const i = address.lastIndexOf(marker);
  return i <= 0 ? '' : address.slice(0, i - 1);
}

/** `module.net["a"].module.sub` -> ['net', 'sub'] (the configuration path). */
function configPath(module: string): string[] {
  return [...module.matchAll(/module\.([A-Za-z0-9_-]+)(\[[^\]]*\])?/g)].map((m) => m[1]);
}

function configModule(configuration: any, path: readonly string[]): any {
  let module = configuration?.root_module;
  for (const name of path) {
    module = module?.module_calls?.[name]?.module;
  }
  return module;
}

/** The parent module instance of a module instance (`module.a.module.b[0]` -> `module.a`). */
function parentOf(module: string): string {
  const i = module.lastIndexOf('.module.');
  return i < 0 ? '' : module.slice(0, i);
}

/** The name of the call of a module instance (`module.a.module.b[0]` -> `b`). */
function callNameOf(module: string): string {
  return /module\.([A-Za-z0-9_-]+)(\[[^\]]*\])?$/.exec(module)![1];
}

class PlanReader {
  private readonly byAddress = new Map<string, PlannedResource>();
  private readonly names = new NameRegistry();

  public constructor(private readonly plan: any, private readonly resources: PlannedResource[]) {
    for (const r of resources) {
      this.byAddress.set(r.address, r);
    }
    // Root resources without an index keep their own names in the document.
    for (const r of resources.filter((x) => x.module === '' && x.index === undefined)) {
      r.jsonName = this.names.claim(`${r.mode}:${r.type}`, r.name);
    }
    for (const r of resources.filter((x) => x.jsonName === undefined)) {
      const key = r.index === undefined ? '' : `--${String(r.index)}`;
      const preferred = `${configPath(r.module).join('--')}${r.module ? '--' : ''}${r.name}${key}`.replace(/[^A-Za-z0-9_-]/g, '_');
      r.jsonName = this.names.claim(`${r.mode}:${r.type}`, preferred);
    }
  }

  /**
   * What the references of an expression of a module instance point at (`azurerm_subnet.apim.id`, through
   * `module.net.subnet_id` and `var.subnet_id`): `one` resource instance and attribute when every reference that may
   * carry a value known only after apply names that same one; `many` when they name several (`var.blue ? a.id : b.id`,
   * `coalesce(a.id, b.id)`) or one that cannot be traced (a local, a data source, a resource with several instances and
   * no index); `none` when none may (root variables, count.index...). The configuration lists references, not the
   * expression, so a choice between two resources cannot be made here: it stays unknown.
   */
  public resolve(references: readonly string[], module: string, depth = 0): Trace {
    if (depth > 16) {
      return MANY;
    }
    const config = configModule(this.plan.configuration, configPath(module));
    const found = new Map<string, Trace>();
    // Terraform lists `azurerm_subnet.a` beside `azurerm_subnet.a.id` (and `module.net` beside `module.net.id`).
    const accompanied = (base: string) => references.some((r) => r !== base && (r.startsWith(`${base}.`) || r.startsWith(`${base}[`)));
    const add = (trace: Trace): boolean => {
      if (trace.kind === 'one') {
        found.set(`${trace.resource.address}|${trace.attribute}`, trace);
      }
      return trace.kind !== 'many';
    };
    for (const reference of references) {
      const parts = reference.split('.');
      if (parts[0] === 'var') {
        if (module === '') {
          // A root variable: Terraform knows its value when it plans.
          continue;
        }
        const parent = parentOf(module);
        const call = configModule(this.plan.configuration, configPath(parent))?.module_calls?.[callNameOf(module)];
        const refs = call?.expressions?.[parts[1]]?.references;
        if (Array.isArray(refs) && !add(this.resolve(refs.map(String), parent, depth + 1))) {
          return MANY;
        }
        continue;
      }
      if (parts[0] === 'module') {
        const match = /^module\.([A-Za-z0-9_-]+)(\[[^\]]*\])?(?:\.([A-Za-z0-9_-]+))?/.exec(reference);
        if (!match || (match[3] === undefined && !accompanied(reference))) {
          return MANY;
        }
        if (match[3] === undefined) {
          continue;
        }
        const instances = this.moduleInstances(module, match[1], match[2]);
        if (instances.length !== 1) {
          return MANY;
        }
        const refs = config?.module_calls?.[match[1]]?.module?.outputs?.[match[3]]?.expression?.references;
        if (Array.isArray(refs) && !add(this.resolve(refs.map(String), instances[0], depth + 1))) {
          return MANY;
        }
        continue;
      }
      if (['count', 'each', 'path', 'terraform', 'self'].includes(parts[0])) {
        continue;
      }
      const match = /^([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(\[[^\]]*\])?(?:\.(.+))?$/.exec(reference);
      if (parts[0] === 'local' || parts[0] === 'data' || !match) {
        return MANY;
      }
      const [, type, name, index, attribute] = match;
      if (attribute === undefined) {
        if (accompanied(reference)) {
          continue;
        }
        return MANY;
      }
      const prefix = module === '' ? '' : `${module}.`;
      const candidates = index !== undefined
        ? [this.byAddress.get(`${prefix}${type}.${name}${index}`)].filter((r): r is PlannedResource => r !== undefined)
        : this.resources.filter((r) => r.module === module && r.mode === 'managed' && r.type === type && r.name === name);
      if (candidates.length !== 1) {
        return MANY;
      }
      add({ kind: 'one', resource: candidates[0], attribute });
    }
    if (found.size > 1) {
      return MANY;
    }
    return found.size === 1 ? [...found.values()][0] : NONE;
  }

  private moduleInstances(parent: string, call: string, index: string | undefined): string[] {
    const prefix = `${parent === '' ? '' : `${parent}.`}module.${call}`;
    const wanted = index === undefined ? undefined : `${prefix}${index}`;
    const found = new Set<string>();
    for (const r of this.resources) {
      if (r.module === prefix || r.module.startsWith(`${prefix}[`) || r.module.startsWith(`${prefix}.`)) {
        const instance = /^[^[.]*(\[[^\]]*\])?/.exec(r.module.slice(prefix.length))![1] ?? '';
        found.add(`${prefix}${instance}`);
      }
    }
    return [...found].filter((m) => wanted === undefined || m === wanted);
  }

  /** The planned values of a resource, with what is known only after apply replaced by a reference or an unknown. */
  public body(r: PlannedResource, afterUnknown: unknown, expressions: unknown): Record<string, unknown> {
    // Known values first, escaped as Terraform JSON text; the references and unknowns merged in are not.
    return this.merge(literal(r.values), afterUnknown, expressions, r.module) as Record<string, unknown>;
  }

  private merge(value: unknown, unknown: unknown, expressions: any, module: string): unknown {
    if (unknown === true) {
      const refs: unknown = expressions?.references;
      if (Array.isArray(refs) && refs.length > 0) {
        const references = refs.map(String);
        const found = this.resolve(references, module);
        if (found.kind === 'one') {
          return `\${${found.resource.type}.${found.resource.jsonName}.${found.attribute}}`;
        }
        return unknownFrom(references, module);
      }
      return UNKNOWN_AFTER_APPLY;
    }
    if (Array.isArray(unknown)) {
      const items = Array.isArray(value) ? value : [];
      const length = Math.max(items.length, unknown.length);
      return Array.from({ length }, (_x, i) => this.merge(items[i], unknown[i], Array.isArray(expressions) ? expressions[i] : undefined, module));
    }
    if (unknown !== null && typeof unknown === 'object') {
      const out: Record<string, unknown> = { ...(value as Record<string, unknown> ?? {}) };
      for (const [k, u] of Object.entries(unknown)) {
        out[k] = this.merge((value as Record<string, unknown> | undefined)?.[k], u, expressions?.[k], module);
      }
      return out;
    }
    return value;
  }
}

/** Read a plan from its JSON text. A plan has no source lines: findings name the plan file only. */
export function readPlan(text: string, file: string, display: (file: string) => string = (f) => f): PlanDocument {
  let node: JsonNode;
  try {
    node = parseJson(text, file);
  } catch (e) {
    if (e instanceof RangeError) {
      throw new ConfigError(`nests too deeply to be read (${e.message})`, file);
    }
    const err = e as { reason?: string; pos?: { line: number; column: number }; message: string };
    throw new ConfigError(err.reason ?? err.message, file, err.pos);
  }
  const plan = jsonToValue(node) as any;
  if (!isPlan(plan)) {
    throw new ConfigError('is not a Terraform plan in JSON (no format_version and planned_values)', file);
  }
  if (!/^1\./.test(plan.format_version)) {
    throw new ConfigError(`has the plan format_version ${plan.format_version}; this command reads format 1.x`, file);
  }
  const planned: PlannedResource[] = [];
  collect(objectAt(plan.planned_values, 'planned_values', file)?.root_module, 'planned_values.root_module', file, planned);
  const known = new Set(planned.map((r) => r.address));
  // Data sources Terraform read while planning are in prior_state.
  const prior: PlannedResource[] = [];
  const priorValues = objectAt(objectAt(plan.prior_state, 'prior_state', file)?.values, 'prior_state.values', file);
  collect(priorValues?.root_module, 'prior_state.values.root_module', file, prior);
  planned.push(...prior.filter((r) => r.mode === 'data' && !known.has(r.address)));
  const reader = new PlanReader(plan, planned);
  const changes = new Map<string, any>(listAt(plan.resource_changes, 'resource_changes', file).map((c, i) => {
    if (!isObject(c) || typeof c.address !== 'string') {
      throw notAPlan(`resource_changes[${i}] is not a change (an object with an address)`, file);
    }
    return [c.address, c];
  }));
  checkConfigModule(objectAt(plan.configuration, 'configuration', file)?.root_module, 'configuration.root_module', file);
  const document: Record<string, any> = {};
  const resources: WrittenResource[] = [];
  // Standalone rules, routes and subnets this plan deletes (a replaced one too), by the NSG, route table or network they
  // name: Azure's listing of that NSG, table or network (before the plan) still holds them.
  const deleted = new Map<string, string[]>();
  for (const c of changes.values()) {
    const before = c?.change?.before;
    const child = typeof c?.type === 'string' && hasOwn(CHILDREN, c.type) ? CHILDREN[c.type] : undefined;
    // A subnet replaced with create_before_destroy (actions create, then delete) is still there when its replacement
    // is created: Azure then holds both, and an overlap between them is real.
    const deletes = Array.isArray(c?.change?.actions) && c.change.actions.includes('delete')
      && !(c.type === 'azurerm_subnet' && c.change.actions[0] !== 'delete');
    if (child && deletes && isObject(before) && typeof before.name === 'string') {
      // By the parent's ID when the child's ID holds it (an NSG of the same name in another subscription is another
      // NSG), else by the parent's name and resource group.
      const id = typeof before.id === 'string' ? before.id.toLowerCase().replace(/\/(securityrules|routes|subnets)\/[^/]*$/, '') : undefined;
      const key = id ? `${c.type}|id|${id}` : `${c.type}|${String(before[child.field]).toLowerCase()}|${String(before.resource_group_name).toLowerCase()}`;
      deleted.set(key, [...(deleted.get(key) ?? []), before.name]);
    }
  }
  const deletedChildren = (r: PlannedResource): string[] => {
    const child = Object.keys(CHILDREN).find((type) => CHILDREN[type].parent === r.type);
    if (!child) {
      return [];
    }
    const byId = typeof r.values.id === 'string' ? deleted.get(`${child}|id|${r.values.id.toLowerCase()}`) ?? [] : [];
    return [...byId, ...deleted.get(`${child}|${String(r.values.name).toLowerCase()}|${String(r.values.resource_group_name).toLowerCase()}`) ?? []];
  };
  for (const r of planned) {
    const calls = configPath(r.module);
    const module = configModule(plan.configuration, calls);
    const where = ['configuration.root_module', ...calls.map((name) => `module_calls.${name}.module`)].join('.');
    const config = listAt(module?.resources, `${where}.resources`, file)
      .find((c): c is Record<string, any> => isObject(c) && c.mode === r.mode && c.type === r.type && c.name === r.name);
    const change = changes.get(r.address);
    const body = reader.body(r, change?.change?.after_unknown, config?.expressions);
    const providerKey = String(config?.provider_config_key ?? '').replace(/^.*:/, '');
    if (providerKey.includes('.')) {
      body.provider = providerKey;
    }
    const written: WrittenResource = { address: r.address, mode: r.mode, type: r.type, jsonName: r.jsonName!, file, line: 0 };
    const computed = computedAttributes(r, config, change);
    // A subnet the plan replaces (a new name forces it) is listed by the network under its name before the plan.
    // Not when it is created before the old one is deleted (create_before_destroy): the two then overlap in Azure.
    const replaced = Array.isArray(change?.change?.actions) && change.change.actions[0] === 'delete' && isObject(change.change.before)
      && typeof change.change.before.name === 'string' ? { before_name: change.change.before.name } : {};
    const gone = computed.length > 0 ? deletedChildren(r) : [];
    body['//'] = { metadata: { path: r.address, address: r.address, file: display(file), ...(computed.length > 0 ? { computed } : {}), ...replaced,
      ...(gone.length > 0 ? { deleted: gone } : {}) } };
    const section = r.mode === 'data' ? 'data' : 'resource';
    document[section] ??= {};
    document[section][r.type] ??= {};
    document[section][r.type][r.jsonName!] = body;
    resources.push(written);
  }
  for (const [key, provider] of Object.entries<any>(plan.configuration?.provider_config ?? {})) {
    if (key.includes(':') || provider?.name !== 'azurerm') {
      continue;
    }
    const config: Record<string, unknown> = {};
    for (const [name, expression] of Object.entries<any>(isObject(provider.expressions) ? provider.expressions : {})) {
      if (isObject(expression) && 'constant_value' in expression) {
        config[name] = literal(expression.constant_value);
      } else if (Array.isArray(expression?.references)) {
        const variable = expression.references.map(String).find((ref: string) => ref.startsWith('var.'));
        config[name] = variable && plan.variables?.[variable.slice(4)] ? literal(plan.variables[variable.slice(4)].value) : UNKNOWN_AFTER_APPLY;
      }
    }
    if (provider.alias) {
      config.alias = provider.alias;
    }
    document.provider ??= {};
    document.provider.azurerm = [...(document.provider.azurerm ?? []), config];
  }
  return { document, resources, terraformVersion: typeof plan.terraform_version === 'string' ? plan.terraform_version : undefined };
}


