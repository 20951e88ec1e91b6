/**
 * A typed view of a Terraform JSON document (a stack's cdk.tf.json, or HCL turned into JSON): the APIM instances and
 * their locations, subnets, NSGs (inline and standalone rules), associations, virtual networks, public IPs, route
 * tables, private DNS zones and providers.
 *
 * It reads every shape Terraform JSON allows: a block body as an object or as a list of objects, at any depth (what
 * `@cdktf/hcl2json` writes); numbers and strings alike where Terraform converts them; `${...}` templates, whole or
 * mixed with text (`expression.ts`); `dynamic` blocks and `count`/`for_each` on resources, expanded over collections
 * that are known literals. What it cannot know at synth time (a variable, a data source, remote state outside the app,
 * a computed attribute, a function call, a collection that is not a known literal) is `Unknown`, with the reason.
 * A cdktf cross-stack reference (remote state of another stack of the same app) is followed into that stack's
 * document when the caller gives it. Pure: no cdktf.
 */
import { Expression, Step, formatReference, isTemplate, parseTemplate } from './expression';
import { normalizeLocation } from '../core/locations';
import { MARKER_KEY, NetworkMarker } from '../core/marker';
import { hasOwn, setOwn } from '../core/objects';

/** A value that cannot be known at synth time. */
export class Unknown {
  /**
   * @param reason what is not known, as findings say it
   * @param key when the value is exactly one reference (`data.azurerm_subnet.apim.id`, `var.subnet_id`), that reference:
   *        two values with the same key are the same value, although neither is known
   * @param fix what the user can do, when that is better than "use literal values" (an unknown outcome reports it)
   */
  public constructor(public readonly reason: string, public readonly key?: string, public readonly fix?: string) {}
}

/**
 * The document of another stack that the checks must not read yet: its aspects have not run when this stack's checks
 * run (cdktf synthesizes the stacks one by one). Every value read from it is Unknown, with the reason.
 *
 * `current` gives the document as it stands, when there is one: what in it points at a network resource of a readable
 * stack (a standalone rule or route, an association) is then found, and is unknown, never judged and never missed.
 */
export class UnsettledDocument {
  private read = false;
  private document?: unknown;

  public constructor(public readonly reason: string, private readonly readCurrent?: () => unknown) {}

  /** The document as it stands (its aspects may still change it), or undefined when there is none. */
  public current(): unknown {
    if (!this.read) {
      this.read = true;
      this.document = this.readCurrent?.();
    }
    return this.document;
  }
}

/** The model of an UnsettledDocument as it stands, one per document (so one per evaluation). */
const AS_IT_STANDS = new WeakMap<UnsettledDocument, TerraformModel | undefined>();

/** Whether a value is unknown. */
export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

/** A resource instance of a document. */
export interface Resource {
  readonly type: string;
  readonly name: string;
  /** Terraform address: `type.name`, `type.name[0]`, `type.name["key"]`, or the address the metadata gives. */
  readonly address: string;
  /** Construct path (from `"//".metadata.path`), or the address when there is none. */
  readonly path: string;
  /** Source file and line, when the document's metadata gives them (`"//".metadata.file/line`). */
  readonly file?: string;
  readonly line?: number;
  /** The configuration, resolved: literals, references (`Ref`) and `Unknown`s. */
  readonly config: Record<string, Value>;
  /** This library's marker, when one of its constructs made the resource. */
  readonly marker?: NetworkMarker;
  /** Provider key: `default` or the alias. */
  readonly provider: string;
  /** Set when the instance may or may not exist (`count`/`for_each` over a value not known at synth time). */
  readonly maybe?: Unknown;
  /**
   * Attributes whose value a plan gives but the configuration does not write (`"//".metadata.computed`): what Azure
   * holds, such as a network's `subnet` listing every subnet it has. Empty for a configuration.
   */
  readonly computed?: readonly string[];
  /** The name a subnet had before the plan replaces it (`"//".metadata.before_name`). */
  readonly beforeName?: string;
  /**
   * The standalone rules, routes or subnets a plan deletes from this NSG, route table or virtual network
   * (`"//".metadata.deleted`): Azure's listing of it before the plan still holds them.
   */
  readonly deletedChildren?: readonly string[];
  /** The document the resource belongs to (another stack's, for a cross-stack reference). */
  readonly model: TerraformModel;
}

/** A reference to an attribute of a resource that is known only after apply (`.id`), or whose value is unknown. */
export class Ref {
  public constructor(public readonly resource: Resource, public readonly attribute: string, public readonly unknown?: Unknown) {}
}

/** A resolved value: literals, lists and objects of them, references, or Unknown. */
export type Value = string | number | boolean | null | undefined | Unknown | Ref | Value[] | { [key: string]: Value };

/**
 * A document as the model reads it, block by block. Plain Terraform JSON is read through `jsonSource`; the cdktf adapter
 * gives a source that resolves each block, and each attribute of it, only when a rule reads it.
 */
export interface TerraformSource {
  /** The names of the resources (or data sources) of a type, without reading them. */
  names(kind: 'resource' | 'data', type: string): string[];
  /** One block (a list of one block is read as the block), or undefined. */
  body(kind: 'resource' | 'data', type: string, name: string): SourceBody | undefined;
  /** A top-level section as parsed JSON: `provider`, `locals`, `output`, `variable`. */
  section(kind: string): unknown;
}

/** The attributes of one block, each read on demand. */
export interface SourceBody {
  keys(): string[];
  get(key: string): unknown;
}

/** What `searched()` looks for that the checks do not read (modules, azapi resources): see opaque.ts. */
export const OPAQUE_TYPES = '\u0000opaque';

/** Whether a document holds a resource of a type (OPAQUE_TYPES: a module block or an azapi resource), without reading it. */
function sourceHolds(source: TerraformSource, type: string): boolean {
  if (type === OPAQUE_TYPES) {
    return objectsOf(source.section('module')).some((modules) => Object.keys(modules).length > 0) ||
      source.names('resource', 'azapi_resource').length > 0 || source.names('resource', 'azapi_update_resource').length > 0;
  }
  return source.names('resource', type).length > 0;
}

/** Whether a value is a `TerraformSource` (rather than parsed JSON). */
export function isSource(value: unknown): value is TerraformSource {
  return value !== null && typeof value === 'object' && typeof (value as TerraformSource).body === 'function' &&
    typeof (value as TerraformSource).names === 'function' && typeof (value as TerraformSource).section === 'function';
}

/**
 * The objects of a value that Terraform JSON allows as one object or a list of objects (`resource`, a resource type, a
 * block body, `provider`, `output`, `locals`...): every element, in order.
 */
export function objectsOf(raw: unknown): Record<string, unknown>[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof Ref)) as Record<string, unknown>[];
}

/**
 * The entries of a section of named things (`resource.<type>`, `output`, `provider`), over every element of every
 * list Terraform JSON allows on the way (`"resource": [{...}, {...}]`, `"azurerm_subnet": [{...}]`); a name seen twice
 * keeps its first body (Terraform refuses duplicates).
 */
export function namedEntries(raw: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const holder of objectsOf(raw)) {
    for (const [name, body] of Object.entries(holder)) {
      if (!out.has(name)) {
        out.set(name, body);
      }
    }
  }
  return out;
}

/** Parsed Terraform JSON as a source. */
export function jsonSource(document: any): TerraformSource {
  const plain = (raw: unknown): SourceBody | undefined => {
    const body = bodyOf(raw);
    return body ? { keys: () => Object.keys(body), get: (key) => body[key] } : undefined;
  };
  // kind (resource, data) -> type -> name -> body, over every element of the lists at each level.
  const index = new Map<string, Map<string, Map<string, unknown>>>();
  const byType = (kind: string): Map<string, Map<string, unknown>> => {
    let found = index.get(kind);
    if (!found) {
      found = new Map();
      const types = new Map<string, unknown[]>();
      for (const holder of objectsOf(document?.[kind])) {
        for (const [type, names] of Object.entries(holder)) {
          types.set(type, [...(types.get(type) ?? []), ...(Array.isArray(names) ? names : [names])]);
        }
      }
      for (const [type, holders] of types) {
        found.set(type, namedEntries(holders));
      }
      index.set(kind, found);
    }
    return found;
  };
  return {
    names: (kind, type) => [...(byType(kind).get(type)?.keys() ?? [])],
    body: (kind, type, name) => {
      const holder = byType(kind).get(type);
      return holder?.has(name) ? plain(holder.get(name)) : undefined;
    },
    section: (kind) => document?.[kind],
  };
}

/** Marks a block that a `dynamic` block over an unknown collection may or may not produce (the reason). */
export const MAYBE_BLOCK = '//maybe';

/** What the evaluation knows beyond the document. */
export interface ModelOptions {
  /** Values of input variables (from tfvars); any other `var.x` is unknown. */
  readonly variables?: Readonly<Record<string, unknown>>;
  /** The documents of the other stacks of the app, by stack path: cdktf cross-stack references are followed into them. */
  readonly documents?: Readonly<Record<string, unknown>>;
  /** This document's stack path, when it is one stack of an app: the other stacks' references back to it read it. */
  readonly self?: string;
  /**
   * Set when the document is a stack as it stands, whose aspects may still change it: every resource of it is one that
   * may not exist as read (`maybe`, with this reason).
   */
  readonly unsettled?: Unknown;
}

/** An APIM location: the primary one or an additional one. */
export interface ApimLocation {
  readonly apim: ApimInstance;
  /** 0 for the primary, 1.. for `additional_location[0..]`. */
  readonly index: number;
  /** `primary` or `additional_location[i]`. */
  readonly label: string;
  readonly isPrimary: boolean;
  /** Normalised location, or Unknown. */
  readonly location: string | Unknown;
  readonly capacity: number | Unknown;
  /** Zones listed for the location (undefined when none). */
  readonly zones: string[] | Unknown | undefined;
  /** What `virtual_network_configuration.subnet_id` points at (undefined when not set). */
  readonly subnet: Resource | Unknown | undefined;
  /** What `public_ip_address_id` points at (undefined when not set). */
  readonly publicIp: Resource | Unknown | undefined;
  /**
   * Set on the stand-in for the locations that a `dynamic "additional_location"` block over a collection not known
   * at synth time (or an `additional_location` that is itself unknown) may add: every field of it is Unknown.
   */
  readonly maybe?: Unknown;
}

/** An `azurerm_api_management`. */
export interface ApimInstance {
  readonly resource: Resource;
  /** `External`, `Internal`, `None`, or Unknown. */
  readonly mode: string | Unknown;
  /** Tier from `sku_name` (`Premium`, `Developer`, `PremiumV2`...), or Unknown. */
  readonly tier: string | Unknown;
  readonly capacity: number | Unknown;
  readonly locations: ApimLocation[];
  /**
   * Set when some additional locations are not known at synth time (`additional_location` itself, or a `dynamic` block
   * over an unknown collection); the known ones are in `locations`, the rest is the stand-in location with `maybe`.
   */
  readonly additionalUnknown?: Unknown;
}

/** An association (`azurerm_subnet_network_security_group_association`...) and what it points at. */
export interface Association {
  readonly association: Resource;
  readonly target: Resource | Unknown;
}

/** The association that gives a subnet its NSG. */
export const NSG_ASSOCIATION = {
  type: 'azurerm_subnet_network_security_group_association', field: 'network_security_group_id', target: 'azurerm_network_security_group',
} as const;

/** Bindings of `count.index`, `each.key`/`each.value` and `dynamic` iterators. */
export interface Scope {
  readonly count?: Value;
  readonly each?: { readonly key: Value; readonly value: Value };
  readonly iterators?: ReadonlyMap<string, { readonly key: Value; readonly value: Value }>;
}

type Group =
  | { readonly kind: 'single'; readonly resource: Resource }
  | { readonly kind: 'many'; readonly instances: ReadonlyMap<string, Resource> }
  | { readonly kind: 'unknown'; readonly resource: Resource; readonly reason: Unknown };

const MAX_DEPTH = 40;
/** A decimal number literal, what Terraform (cty) converts a string to a number from. */
const DECIMAL_LITERAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const MAX_INSTANCES = 1000;
/** Attributes known only after apply, even when the configuration sets something of that name. */
const COMPUTED = new Set(['id']);

/** How cdktf names the remote state of a stack, after `cross-stack-reference-input-`: its path, as a Terraform name. */
function remoteStateName(path: string): string {
  return path.split('/').join('--').replace(/[^A-Za-z0-9_-]/g, '');
}

/**
 * A value read from another stack's document, as this document sees it: an unknown that is exactly one reference there
 * (`var.subnet_id` of that stack) is another value than the reference of the same name here, so its key names the
 * stack too. (Two reads of the same output of one stack keep one key: they are one value.)
 */
function foreign(value: Value, stack: string, depth = 0): Value {
  if (isUnknown(value)) {
    return value.key === undefined ? value : new Unknown(value.reason, `${stack}\u0000${value.key}`);
  }
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object' || value instanceof Ref) {
    return value;
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => foreign(item, stack, depth + 1));
    return items.every((item, i) => item === value[i]) ? value : items;
  }
  let out: Record<string, Value> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const mapped = foreign(item, stack, depth + 1);
    if (mapped !== item) {
      out ??= { ...value };
      setOwn(out, key, mapped);
    }
  }
  return out ?? value;
}

/** A JSON object, or the first object of a list of objects (Terraform JSON allows both for a block body). */
export function bodyOf(raw: unknown): Record<string, unknown> | undefined {
  const value = Array.isArray(raw) && raw.length > 0 ? raw[0] : raw;
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Unknown) && !(value instanceof Ref)
    ? (value as Record<string, unknown>) : undefined;
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function equalsIgnoringCase(a: Value, b: Value): 'yes' | 'no' | 'maybe' {
  if (a instanceof Unknown || b instanceof Unknown || a instanceof Ref || b instanceof Ref) {
    const reason = (v: Value) => (v instanceof Unknown ? v.reason : v instanceof Ref ? `${v.resource.address}.${v.attribute}` : undefined);
    return reason(a) !== undefined && reason(a) === reason(b) ? 'yes' : 'maybe';
  }
  return String(a ?? '').toLowerCase() === String(b ?? '').toLowerCase() ? 'yes' : 'no';
}

class ResourceInstance implements Resource {
  private resolved?: Record<string, Value>;
  private metaCache?: { meta: Record<string, unknown>; metadata: Record<string, unknown> };

  public constructor(
    public readonly model: TerraformModel,
    public readonly type: string,
    public readonly name: string,
    public readonly address: string,
    private readonly raw: SourceBody,
    private readonly scope: Scope,
    public readonly maybe?: Unknown,
  ) {}

  private get meta(): Record<string, unknown> {
    return this.metaOnce().meta;
  }

  private get metadata(): Record<string, unknown> {
    return this.metaOnce().metadata;
  }

  private metaOnce(): { meta: Record<string, unknown>; metadata: Record<string, unknown> } {
    if (!this.metaCache) {
      const meta = bodyOf(this.raw.get('//')) ?? {};
      this.metaCache = { meta, metadata: bodyOf(meta.metadata) ?? {} };
    }
    return this.metaCache;
  }

  public get path(): string {
    const path = this.metadata.path;
    return typeof path === 'string' ? path : this.address;
  }

  public get file(): string | undefined {
    return typeof this.metadata.file === 'string' ? this.metadata.file : undefined;
  }

  public get line(): number | undefined {
    const line = Number(this.metadata.line);
    return Number.isInteger(line) && line > 0 ? line : undefined;
  }

  /** The names of the standalone rules, routes or subnets a plan deletes from this NSG, route table or network (`"//".metadata.deleted`). */
  public get deletedChildren(): readonly string[] {
    const deleted = this.metadata.deleted;
    return Array.isArray(deleted) ? deleted.filter((d): d is string => typeof d === 'string') : [];
  }

  /** The name a subnet had before the plan replaces it (`"//".metadata.before_name`, from a plan). */
  public get beforeName(): string | undefined {
    const name = this.metadata.before_name;
    return typeof name === 'string' ? name : undefined;
  }

  public get computed(): readonly string[] {
    const computed = this.metadata.computed;
    return Array.isArray(computed) ? computed.filter((c): c is string => typeof c === 'string') : [];
  }

  public get marker(): NetworkMarker | undefined {
    return bodyOf(this.meta[MARKER_KEY]) as NetworkMarker | undefined;
  }

  public get provider(): string {
    const provider = this.raw.get('provider');
    if (typeof provider !== 'string') {
      return 'default';
    }
    const text = provider.replace(/^\$\{|\}$/g, '');
    const dot = text.indexOf('.');
    return dot < 0 ? 'default' : text.slice(dot + 1);
  }

  /** The configuration, each attribute resolved the first time a rule reads it. */
  public get config(): Record<string, Value> {
    if (!this.resolved) {
      this.resolved = this.model.lazyBody(this.raw, this.scope, ['count', 'for_each']);
    }
    return this.resolved;
  }
}

/** The model of one document. */
export class TerraformModel {
  private providerConfigs?: Map<string, Record<string, Value>>;
  private readonly groups = new Map<string, Group | undefined>();
  private readonly byType = new Map<string, Resource[]>();
  private readonly memo = new Map<string, unknown>();
  private readonly others = new Map<string, TerraformModel | UnsettledDocument | undefined>();
  /**
   * The models of the app's stacks, by stack path, shared by every model of one evaluation: a resource is one object
   * whichever stack's reference reaches it, so what points at it from any stack is found.
   */
  private readonly registry: Map<string, TerraformModel | UnsettledDocument>;
  private localValues?: Record<string, unknown>;
  private readonly resolvingLocals = new Set<string>();
  /** Resource attributes being resolved (`<address>\u0000<attribute>`), to stop at a cycle. */
  private readonly resolvingAttributes = new Set<string>();
  private apimCache?: ApimInstance[];

  /**
   * @param document a Terraform JSON document; resources are read type by type, when a rule first asks for the type
   *        (or for one resource, through a reference), so a lazily resolved document is resolved only as far as the
   *        rules read it
   */
  /** The document, read block by block. */
  public readonly source: TerraformSource;

  public constructor(document: any, private readonly options: ModelOptions = {}, registry?: Map<string, TerraformModel | UnsettledDocument>) {
    this.source = isSource(document) ? document : jsonSource(document);
    this.registry = registry ?? new Map();
    if (options.self !== undefined && !this.registry.has(options.self)) {
      this.registry.set(options.self, this);
    }
  }

  /**
   * Provider configurations of azurerm, by key (`default` or alias), resolved when first read (the model of another
   * stack searched for what points at a network seldom reads them).
   */
  public get providers(): ReadonlyMap<string, Record<string, Value>> {
    if (!this.providerConfigs) {
      const providers = new Map<string, Record<string, Value>>();
      // `provider` and `provider.azurerm` may each be one object or a list of objects.
      const configs = objectsOf(this.source.section('provider')).flatMap((holder) => objectsOf(holder.azurerm));
      for (const raw of configs) {
        const config = (this.resolve(raw, {}) ?? {}) as Record<string, Value>;
        const key = typeof config.alias === 'string' ? config.alias : 'default';
        if (!providers.has(key)) {
          providers.set(key, config);
        }
      }
      this.providerConfigs = providers;
    }
    return this.providerConfigs;
  }

  private cached<T>(key: string, build: () => T): T {
    if (!this.memo.has(key)) {
      this.memo.set(key, build());
    }
    return this.memo.get(key) as T;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Resources

  private group(type: string, name: string): Group | undefined {
    const key = `${type}\u0000${name}`;
    if (!this.groups.has(key)) {
      this.groups.set(key, this.buildGroup(type, name));
    }
    return this.groups.get(key);
  }

  private buildGroup(type: string, name: string): Group | undefined {
    const raw = this.source.body('resource', type, name);
    if (!raw) {
      return undefined;
    }
    const metadata = bodyOf(bodyOf(raw.get('//'))?.metadata);
    const base = typeof metadata?.address === 'string' ? metadata.address : `${type}.${name}`;
    const make = (address: string, scope: Scope, maybe?: Unknown) =>
      new ResourceInstance(this, type, name, address, raw, scope, maybe ?? this.options.unsettled);
    const countRaw = raw.get('count');
    const forEachRaw = raw.get('for_each');
    if (countRaw === undefined && forEachRaw === undefined) {
      return { kind: 'single', resource: make(base, {}) };
    }
    const instances = new Map<string, Resource>();
    const unknown = (reason: Unknown): Group => {
      const scope: Scope = { count: reason, each: { key: reason, value: reason } };
      return { kind: 'unknown', reason, resource: make(`${base}[*]`, scope, reason) };
    };
    if (countRaw !== undefined) {
      const count = this.resolve(countRaw, {});
      // Terraform converts a string to a number (`count = "2"`), then requires a whole number.
      const converted = this.num(count);
      const n = typeof converted === 'number' && Number.isInteger(converted) && converted >= 0 ? converted : undefined;
      if (n === undefined || n > MAX_INSTANCES) {
        return unknown(new Unknown(`the count of ${base} (${isUnknown(count) ? count.reason : 'not a whole number'})`));
      }
      for (let i = 0; i < n; i++) {
        instances.set(String(i), make(`${base}[${i}]`, { count: i }));
      }
      return { kind: 'many', instances };
    }
    const each = this.resolve(forEachRaw, {});
    const entries = this.collection(each);
    if (isUnknown(entries) || entries.length > MAX_INSTANCES) {
      return unknown(new Unknown(`the for_each of ${base} (${isUnknown(entries) ? entries.reason : 'too many instances'})`));
    }
    for (const [key, value] of entries) {
      instances.set(String(key), make(`${base}["${String(key)}"]`, { each: { key, value } }));
    }
    return { kind: 'many', instances };
  }

  /** The entries (key, value) of a known collection: a map, or a list or set (keys are the elements for resources, indexes for `dynamic`). */
  private collection(value: Value, listKeys: 'elements' | 'indexes' = 'elements'): Array<[Value, Value]> | Unknown {
    if (isUnknown(value)) {
      return value;
    }
    if (value instanceof Ref) {
      return new Unknown(`${value.resource.address}.${value.attribute}, known only after apply`);
    }
    if (Array.isArray(value)) {
      const bad = value.find((v) => isUnknown(v) || v instanceof Ref);
      if (bad !== undefined) {
        return isUnknown(bad) ? bad : new Unknown('a collection element known only after apply');
      }
      return value.map((v, i) => [listKeys === 'indexes' ? i : v, v] as [Value, Value]);
    }
    if (value !== null && typeof value === 'object') {
      return Object.entries(value);
    }
    return new Unknown('a value that is not a collection');
  }

  /** Every resource instance of a type (an instance that may or may not exist has `maybe` set). */
  public ofType(type: string): Resource[] {
    let list = this.byType.get(type);
    if (!list) {
      list = [];
      for (const name of this.source.names('resource', type)) {
        const group = this.group(type, name);
        if (group?.kind === 'many') {
          list.push(...group.instances.values());
        } else if (group) {
          list.push(group.resource);
        }
      }
      this.byType.set(type, list);
    }
    return list;
  }

  /** The resource `type.name` (the only instance), or undefined when the document has none. */
  public resource(type: string, name: string): Resource | undefined {
    const group = this.group(type, name);
    return group?.kind === 'single' ? group.resource : undefined;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Resolution

  /** Resolve a raw value of the document: evaluate templates and references, expand `dynamic` blocks. */
  public resolve(raw: unknown, scope: Scope = {}, depth = 0): Value {
    if (depth > MAX_DEPTH) {
      return new Unknown('a chain of references too deep to follow');
    }
    if (typeof raw === 'string') {
      return isTemplate(raw) ? this.template(raw, scope, depth) : raw;
    }
    if (raw === undefined || raw === null || typeof raw === 'number' || typeof raw === 'boolean') {
      return raw;
    }
    if (raw instanceof Unknown || raw instanceof Ref) {
      return raw;
    }
    // A list or object that resolves to itself (no template, no `dynamic`, no `//` inside: most of a document) is
    // returned as it is, not copied. Nothing in the checks changes what it reads.
    if (Array.isArray(raw)) {
      let out: Value[] | undefined;
      for (let i = 0; i < raw.length; i++) {
        const item = this.resolve(raw[i], scope, depth + 1);
        if (!out && item !== raw[i]) {
          out = raw.slice(0, i) as Value[];
        }
        out?.push(item);
      }
      return out ?? (raw as Value[]);
    }
    if (typeof raw === 'object') {
      const record = raw as Record<string, unknown>;
      const keys = Object.keys(record);
      // An object with another prototype than Object's (not parsed JSON) is copied to a plain one: nothing is read
      // through a prototype.
      let out: Record<string, Value> | undefined = Object.getPrototypeOf(record) === Object.prototype ? undefined : {};
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const value = record[key];
        const skipped = key === '//' || key === 'dynamic';
        const resolved = skipped ? undefined : this.resolve(value, scope, depth + 1);
        if (!out && (skipped || resolved !== value)) {
          out = {};
          for (let j = 0; j < i; j++) {
            setOwn(out, keys[j], record[keys[j]]);
          }
        }
        if (out && !skipped) {
          setOwn(out, key, resolved);
        }
      }
      const dynamic = record.dynamic;
      if (dynamic !== undefined) {
        this.expandDynamic(dynamic, out as Record<string, Value>, scope, depth);
      }
      return out ?? (record as Record<string, Value>);
    }
    return new Unknown('a value of an unexpected type');
  }

  /**
   * A block body whose attributes are resolved the first time they are read (a rule reads a few attributes of each
   * resource; resolving the rest would be wasted work).
   */
  public lazyBody(raw: SourceBody, scope: Scope, skip: readonly string[] = []): Record<string, Value> {
    const out: Record<string, Value> = {};
    const dynamicTypes = new Set<string>();
    const dynamic = raw.keys().includes('dynamic') ? raw.get('dynamic') : undefined;
    for (const holder of dynamic === undefined ? [] : Array.isArray(dynamic) ? dynamic : [dynamic]) {
      Object.keys(bodyOf(holder) ?? {}).forEach((type) => dynamicTypes.add(type));
    }
    const keys = new Set([...raw.keys().filter((k) => k !== '//' && k !== 'dynamic' && !skip.includes(k)), ...dynamicTypes]);
    for (const key of keys) {
      Object.defineProperty(out, key, {
        enumerable: true,
        configurable: true,
        get: () => {
          let value = this.resolve(raw.get(key), scope, 1);
          if (dynamicTypes.has(key)) {
            const holder: Record<string, Value> = value === undefined ? {} : { [key]: value };
            this.expandDynamic(dynamic, holder, scope, 1, key);
            value = holder[key];
          }
          Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
          return value;
        },
      });
    }
    return out;
  }

  /** Expand `dynamic "x" { for_each, iterator, content }` into `x` blocks beside the static ones. */
  private expandDynamic(dynamic: unknown, out: Record<string, Value>, scope: Scope, depth: number, only?: string): void {
    for (const holder of Array.isArray(dynamic) ? dynamic : [dynamic]) {
      for (const [blockType, specs] of Object.entries(bodyOf(holder) ?? {})) {
        if (only !== undefined && blockType !== only) {
          continue;
        }
        for (const spec of Array.isArray(specs) ? specs : [specs]) {
          const body = bodyOf(spec) ?? {};
          const iteratorText = typeof body.iterator === 'string' ? body.iterator.replace(/^\$\{|\}$/g, '').trim() : blockType;
          const content = bodyOf(body.content) ?? {};
          const existing = hasOwn(out, blockType) ? out[blockType] : undefined;
          const blocks: Value[] = existing === undefined || existing === null ? [] : Array.isArray(existing) ? [...existing] : [existing];
          const entries = this.collection(this.resolve(body.for_each, scope, depth + 1), 'indexes');
          const bind = (key: Value, value: Value): Scope => ({
            ...scope, iterators: new Map([...(scope.iterators ?? new Map()), [iteratorText, { key, value }]]),
          });
          if (isUnknown(entries)) {
            const reason = new Unknown(`a dynamic "${blockType}" block over ${entries.reason}`);
            const block = this.resolve(content, bind(reason, reason), depth + 1) as Record<string, Value>;
            blocks.push({ ...block, [MAYBE_BLOCK]: reason });
          } else {
            for (const [key, value] of entries) {
              blocks.push(this.resolve(content, bind(key, value), depth + 1));
            }
          }
          // Zero blocks from a `dynamic` block leave the argument not set (only a literal `x = []` sets it to an empty
          // list): the provider tells the two apart for `security_rule` (attributes as blocks).
          if (blocks.length > 0 || (existing !== undefined && existing !== null)) {
            setOwn(out, blockType, blocks);
          }
        }
      }
    }
  }

  private template(text: string, scope: Scope, depth: number): Value {
    const parts = parseTemplate(text);
    if (!parts) {
      return new Unknown(`the expression "${shorten(text)}"`);
    }
    if (parts.length === 1 && typeof parts[0] !== 'string') {
      return this.evaluate(parts[0], scope, depth + 1);
    }
    let out = '';
    for (const part of parts) {
      const value = typeof part === 'string' ? part : this.evaluate(part, scope, depth + 1);
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        out += String(value);
      } else if (isUnknown(value)) {
        // Not the value itself (text around it): it no longer identifies the value.
        return value.key === undefined ? value : new Unknown(value.reason);
      } else if (value instanceof Ref) {
        return value.unknown ?? new Unknown(`${value.resource.address}.${value.attribute}, known only after apply`);
      } else {
        return new Unknown(`the template "${shorten(text)}"`);
      }
    }
    return out;
  }

  private evaluate(expression: Expression, scope: Scope, depth: number): Value {
    if (expression.kind === 'literal') {
      return expression.value;
    }
    if (expression.kind === 'other') {
      return new Unknown(`the expression "${shorten(expression.text)}"`);
    }
    if (expression.kind === 'arithmetic') {
      return this.arithmetic(expression, scope, depth);
    }
    const { root } = expression;
    const steps: Step[] = [];
    for (const step of expression.steps) {
      if ('indexBy' in step) {
        // An index given by a reference (`[count.index]`, `[each.key]`): evaluate it in the scope.
        const index = this.evaluate(step.indexBy, scope, depth + 1);
        if (typeof index !== 'number' && typeof index !== 'string') {
          // Not the index itself: `var.a[var.env]` and `var.b[var.env]` are two values, though one unknown decides both.
          return isUnknown(index) ? new Unknown(index.reason) : new Unknown(`the index of ${formatReference(root, expression.steps)}`);
        }
        steps.push({ index });
      } else {
        steps.push(step);
      }
    }
    const first = steps[0] && 'name' in steps[0] ? steps[0].name : undefined;
    const text = formatReference(root, steps);
    const iterator = scope.iterators?.get(root);
    if (iterator && first && (first === 'key' || first === 'value')) {
      return this.follow(iterator[first], steps.slice(1), depth);
    }
    switch (root) {
      case 'var': {
        const variables = this.options.variables ?? {};
        return first !== undefined && hasOwn(variables, first)
          ? this.follow(this.resolve(variables[first], {}, depth + 1), steps.slice(1), depth)
          : new Unknown(`the variable ${text}`, text);
      }
      case 'local':
        return first === undefined ? new Unknown(`the local value ${text}`) : this.follow(this.local(first, depth), steps.slice(1), depth);
      case 'count':
        return first === 'index' && scope.count !== undefined ? scope.count : new Unknown(`${text} outside a counted resource`);
      case 'each':
        return scope.each && (first === 'key' || first === 'value') ? this.follow(scope.each[first], steps.slice(1), depth) : new Unknown(`${text} outside a for_each`);
      case 'data':
        return this.remoteState(steps, depth) ?? new Unknown(text.startsWith('data.terraform_remote_state.')
          ? `remote state (${shorten(text)}), e.g. a value from another stack` : `the data source ${shorten(text)}`, text);
      case 'module':
        // The command line writes a module's unset variable as `module.<call>.var.<name>`.
        return new Unknown(/\.var\.[^.[]+$/.test(text) ? `the variable ${text.slice(text.lastIndexOf('.var.') + 1)} of ${text.slice(0, text.lastIndexOf('.var.'))}, which the module call does not set`
          : `the module output ${text}`, text);
      case 'path': case 'terraform': case 'self':
        return new Unknown(`${text}, known only when Terraform runs`);
      default:
        return this.reference(root, steps, depth);
    }
  }

  /** Arithmetic as Terraform does it: numbers, or strings that convert to numbers; unknown when an operand is. */
  private arithmetic(expression: Extract<Expression, { kind: 'arithmetic' }>, scope: Scope, depth: number): Value {
    const operands: number[] = [];
    for (const side of [expression.left, expression.right]) {
      const value = this.evaluate(side, scope, depth + 1);
      const number = typeof value === 'number' ? value : typeof value === 'string' && DECIMAL_LITERAL.test(value) ? Number(value) : undefined;
      if (number === undefined) {
        if (isUnknown(value)) {
          return value.key === undefined ? value : new Unknown(value.reason);
        }
        return value instanceof Ref ? (value.unknown ?? new Unknown(`${value.resource.address}.${value.attribute}, known only after apply`))
          : new Unknown(`an operand of "${expression.operator}" that is not a number`);
      }
      operands.push(number);
    }
    const [a, b] = operands;
    const result = expression.operator === '+' ? a + b : expression.operator === '-' ? a - b : expression.operator === '*' ? a * b
      : b === 0 ? undefined : expression.operator === '/' ? a / b : a % b;
    if (result === undefined) {
      return new Unknown(`a ${expression.operator === '/' ? 'division' : 'modulo'} by zero, which Terraform refuses`);
    }
    // Terraform computes with arbitrary precision; beyond 2^53 a JavaScript number would not be the same value.
    return [a, b, result].every((n) => Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER) ? result
      : new Unknown('a number too large to compute exactly at synth time');
  }

  private local(name: string, depth: number): Value {
    if (!this.localValues) {
      this.localValues = Object.fromEntries(namedEntries(this.source.section('locals')));
    }
    const locals = this.localValues as Record<string, unknown>;
    if (!hasOwn(locals, name)) {
      return new Unknown(`the local value local.${name}, which is not in this document`);
    }
    if (this.resolvingLocals.has(name)) {
      return new Unknown(`the local value local.${name}, which refers to itself`);
    }
    this.resolvingLocals.add(name);
    try {
      return this.resolve(locals[name], {}, depth + 1);
    } finally {
      this.resolvingLocals.delete(name);
    }
  }

  /** `data.terraform_remote_state.cross-stack-reference-input-<stack>.outputs.<output>`: the other stack's output. */
  private remoteState(steps: readonly Step[], depth: number): Value | undefined {
    const names = steps.map((s) => ('name' in s ? s.name : undefined));
    const prefix = 'cross-stack-reference-input-';
    if (names[0] !== 'terraform_remote_state' || !names[1]?.startsWith(prefix) || names[2] !== 'outputs' || !names[3]) {
      return undefined;
    }
    const other = this.other(names[1].slice(prefix.length));
    if (!other) {
      return undefined;
    }
    if (other instanceof UnsettledDocument) {
      return new Unknown(other.reason);
    }
    return foreign(this.follow(other.output(names[3], depth), steps.slice(4), depth), names[1].slice(prefix.length));
  }

  /**
   * The document of another stack, named as cdktf names its remote state: the stack's construct path, each `/` written
   * `--` (a stack inside another one, `p/n`, is `p--n`), without the characters a Terraform name cannot hold
   * (`network.westeurope` is `networkwesteurope`). Documents are given by construct path; a name two paths give (`p/n`
   * and a stack whose id is `p--n`) is not read.
   */
  private other(stack: string): TerraformModel | UnsettledDocument | undefined {
    if (!this.others.has(stack)) {
      const paths = this.stackPaths();
      const keys = paths.includes(stack) ? [stack] : [];
      for (const key of paths) {
        if (key !== stack && remoteStateName(key) === stack) {
          keys.push(key);
        }
      }
      this.others.set(stack, keys.length === 1 ? this.modelOf(keys[0]) : keys.length > 1
        ? new UnsettledDocument(`the remote state "${stack}", a name that stands for the stacks ${keys.map((k) => `"${k}"`).join(' and ')}`) : undefined);
    }
    return this.others.get(stack);
  }

  /** The paths of the app's stacks this evaluation knows: the other stacks' documents, and the stacks read so far. */
  private stackPaths(): string[] {
    return [...new Set([...Object.keys(this.options.documents ?? {}), ...this.registry.keys()])];
  }

  /** The document of another stack of the app, as the options give it (read on first access), by path. */
  private documentOf(path: string): unknown {
    const documents = this.options.documents ?? {};
    return hasOwn(documents, path) ? documents[path] : undefined;
  }

  /** The model of a stack of the app, by path: one per evaluation (an UnsettledDocument when it may still change). */
  private modelOf(path: string): TerraformModel | UnsettledDocument | undefined {
    let model = this.registry.get(path);
    if (!model) {
      const document = this.documentOf(path);
      if (document === undefined) {
        return undefined;
      }
      model = document instanceof UnsettledDocument ? document : new TerraformModel(document, { ...this.options, self: path }, this.registry);
      this.registry.set(path, model);
    }
    return model;
  }

  /**
   * The models to search for what points at a resource (standalone rules, routes, associations) through resources of a
   * type: its own stack's, this one's, every other stack's that can be read, and those of the stacks whose aspects may
   * still change them, as they stand (each of their resources is `maybe`: what it decides is unknown); each when it
   * holds a resource of that type (one that holds none points at nothing).
   */
  private searched(resource: Resource, type?: string): TerraformModel[] {
    return [...new Set([resource.model, ...this.readableModels(type), ...this.modelsAsTheyStand(type)])].filter((model) => type === undefined || model.holds(type));
  }

  /**
   * The models of the app's stacks that may still change, as they stand (see UnsettledDocument), that hold a resource of
   * a type (a stack's document is asked before a model of it is built).
   */
  private modelsAsTheyStand(type?: string): TerraformModel[] {
    const models: TerraformModel[] = [];
    for (const path of this.stackPaths()) {
      const entry = this.registry.get(path) ?? this.documentOf(path);
      if (!(entry instanceof UnsettledDocument)) {
        continue;
      }
      this.modelOf(path);
      if (!AS_IT_STANDS.has(entry)) {
        const document = entry.current();
        if (type !== undefined && isSource(document) && !sourceHolds(document, type)) {
          continue;
        }
        AS_IT_STANDS.set(entry, document === undefined ? undefined
          : new TerraformModel(document, { ...this.options, self: path, unsettled: new Unknown(entry.reason) }, this.registry));
      }
      const model = AS_IT_STANDS.get(entry);
      if (model) {
        models.push(model);
      }
    }
    return models;
  }

  /** Whether this document holds a resource of a type. */
  private holds(type: string): boolean {
    return sourceHolds(this.source, type);
  }

  /**
   * This model and those of the app's other stacks that can be read and hold a resource of a type (a stack's document
   * is asked before a model of it is built).
   */
  private readableModels(type?: string): TerraformModel[] {
    const models = new Set<TerraformModel>([this]);
    for (const path of this.stackPaths()) {
      if (!this.registry.has(path) && type !== undefined) {
        const document = this.documentOf(path);
        if (isSource(document) && !sourceHolds(document, type)) {
          continue;
        }
      }
      const model = this.modelOf(path);
      if (model instanceof TerraformModel && (type === undefined || model.holds(type))) {
        models.add(model);
      }
    }
    return [...models];
  }

  /**
   * A resource of another readable stack named by a literal name and resource group (a standalone rule or route may
   * name its NSG or route table as text): the resource, unknown when that is not sure, or undefined when none is.
   */
  private byNameElsewhere(name: Value, resourceGroup: Value, type: string, from?: Resource): Resource | Unknown | undefined {
    const text = this.str(name);
    if (typeof text !== 'string') {
      return undefined;
    }
    const candidates = this.readableModels(type).filter((m) => m !== this)
      .flatMap((m) => m.namesOf(type).get(text.toLowerCase()) ?? []).filter((r) => from === undefined || this.subscriptionMatch(from, r) !== 'no');
    const sure = candidates.filter((r) => equalsIgnoringCase(r.config.resource_group_name, resourceGroup) === 'yes');
    const maybe = candidates.filter((r) => equalsIgnoringCase(r.config.resource_group_name, resourceGroup) === 'maybe');
    if (sure.length === 1 && maybe.length === 0) {
      return this.asFound(sure[0]);
    }
    return sure.length + maybe.length > 0 ? new Unknown(`which ${type} "${text}" of the app's stacks it is`) : undefined;
  }

  /** The value of an output of this document. */
  public output(name: string, depth = 0): Value {
    const output = bodyOf(namedEntries(this.source.section('output')).get(name));
    return output ? this.resolve(output.value, {}, depth + 1) : new Unknown(`the output ${name}, which is not in the other stack`);
  }

  private reference(type: string, steps: readonly Step[], depth: number): Value {
    const first = steps[0];
    if (!first || !('name' in first)) {
      return new Unknown(`the expression "${formatReference(type, steps)}"`);
    }
    const group = this.group(type, first.name);
    const base = `${type}.${first.name}`;
    if (!group) {
      return new Unknown(`${base}, which is not in this stack`);
    }
    let instance: Resource;
    let rest = steps.slice(1);
    if (group.kind === 'unknown') {
      return new Unknown(group.reason.reason);
    }
    if (group.kind === 'many') {
      const index = rest[0];
      if (!index || !('index' in index)) {
        return new Unknown(`every instance of ${base}`);
      }
      const found = group.instances.get(String(index.index));
      if (!found) {
        return new Unknown(`${base}[${JSON.stringify(index.index)}], which is not an instance of it`);
      }
      instance = found;
      rest = rest.slice(1);
    } else {
      instance = group.resource;
    }
    const attribute = rest[0];
    if (!attribute || !('name' in attribute)) {
      return new Unknown(`${instance.address} as a whole`);
    }
    const attributePath = formatReference(attribute.name, rest.slice(1));
    if (!COMPUTED.has(attribute.name) && depth < MAX_DEPTH) {
      // An attribute whose value refers back to itself, directly or through other attributes (two rules whose
      // priorities are computed from each other): Terraform refuses the cycle; never follow it round.
      const key = `${instance.address}\u0000${attribute.name}`;
      if (this.resolvingAttributes.has(key)) {
        return new Unknown(`${instance.address}.${attribute.name}, which refers to itself (a cycle Terraform refuses)`);
      }
      this.resolvingAttributes.add(key);
      let value: Value;
      try {
        value = hasOwn(instance.config, attribute.name) ? instance.config[attribute.name] : undefined;
      } finally {
        this.resolvingAttributes.delete(key);
      }
      if (value !== undefined) {
        const followed = this.follow(value, rest.slice(1), depth);
        // Keep where an unknown value comes from: a name that is a variable still identifies its resource.
        return isUnknown(followed) ? new Ref(instance, attributePath, followed) : followed;
      }
    }
    return new Ref(instance, attributePath);
  }

  /** Follow attribute names and indexes into a value. */
  private follow(value: Value, steps: readonly Step[], depth: number): Value {
    let current: Value = value;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      if (isUnknown(current)) {
        // A part of an unknown value: not the value its key names.
        return current.key === undefined ? current : new Unknown(current.reason);
      }
      if (current instanceof Ref) {
        return new Ref(current.resource, formatReference(current.attribute, steps.slice(i)));
      }
      if ('name' in step) {
        const body = Array.isArray(current) ? undefined : current !== null && typeof current === 'object' ? current as Record<string, Value> : undefined;
        if (!body || !hasOwn(body, step.name)) {
          return new Unknown(`the attribute ${step.name}, which is not set`);
        }
        current = body[step.name];
      } else if ('indexBy' in step) {
        return new Unknown('an index that is not evaluated');
      } else if (Array.isArray(current)) {
        const index = Number(step.index);
        current = Number.isInteger(index) && index >= 0 && index < current.length ? current[index] : new Unknown(`the element [${String(step.index)}], which is not there`);
      } else if (current !== null && typeof current === 'object') {
        const body = current as Record<string, Value>;
        current = hasOwn(body, String(step.index)) ? body[String(step.index)] : new Unknown(`the key "${String(step.index)}", which is not there`);
      } else {
        return new Unknown(`an index into a value that is not a collection (depth ${depth})`);
      }
    }
    return current;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Typed reads of resolved values

  /** A string (numbers and booleans converted, as Terraform does); a reference to a computed attribute is Unknown. */
  public str(value: Value): string | Unknown | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (isUnknown(value) || typeof value === 'string') {
      return value;
    }
    if (value instanceof Ref) {
      return value.unknown ?? new Unknown(`${value.resource.address}.${value.attribute}, known only after apply`);
    }
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : new Unknown('a value that is not a string');
  }

  /**
   * A number. A string is converted as Terraform converts it (cty's string-to-number conversion parses a decimal
   * number literal): an optional sign, digits with an optional fraction, an optional exponent: `"100"`, `"1e2"`,
   * `"100.0"`, `"+5"`, `".5"`. Anything else (spaces, `"0x10"`, `"1_000"`, `"inf"`) Terraform refuses, and is Unknown
   * here (never guessed).
   */
  public num(value: Value): number | Unknown | undefined {
    if (typeof value === 'number') {
      return value;
    }
    const text = this.str(value);
    if (text === undefined || isUnknown(text)) {
      return text;
    }
    return DECIMAL_LITERAL.test(text) ? Number(text) : new Unknown(`"${shorten(text)}", which Terraform cannot convert to a number`);
  }

  /** A list of strings; Unknown when the list or any element is unknown. A single string counts as a list of one. */
  public strings(value: Value): string[] | Unknown | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (isUnknown(value)) {
      return value;
    }
    if (value instanceof Ref) {
      return this.str(value) as Unknown;
    }
    if (!Array.isArray(value)) {
      return typeof value === 'object' ? new Unknown('a value that is not a list') : [String(value)];
    }
    const out: string[] = [];
    for (const item of value) {
      const text = this.str(item);
      if (text === undefined) {
        continue;
      }
      if (isUnknown(text)) {
        return text;
      }
      out.push(text);
    }
    return out;
  }

  /**
   * A resource a reference or a name reaches: Unknown when it may not exist. In a stack as it stands (whose aspects
   * may still change it), its own resources are what they point at: only what points out of it is unknown.
   */
  private asFound(resource: Resource): Resource | Unknown {
    return resource.maybe === undefined || (resource.model === this && resource.maybe === this.options.unsettled) ? resource : resource.maybe;
  }

  /** The resource of a type that an ID attribute (`subnet_id`) points at, Unknown, or undefined when not set. */
  public target(value: Value, type: string): Resource | Unknown | undefined {
    if (value === undefined || value === null || value === '') {
      return undefined;
    }
    if (isUnknown(value)) {
      return value;
    }
    if (value instanceof Ref && value.attribute === 'id') {
      if (value.resource.type !== type) {
        return new Unknown(`${value.resource.address}.id, which is not an ${type}`);
      }
      return this.asFound(value.resource);
    }
    if (typeof value === 'string') {
      return this.byAzureId(value, type) ?? new Unknown(`the ID "${shorten(value)}", a resource outside this stack`);
    }
    return new Unknown(`a value that is not an ID of ${type}`);
  }

  /**
   * The resource of a type that a name attribute (`network_security_group_name`) points at, with its resource group:
   * through the reference, or by name and resource group, both compared as Azure does (case-insensitively).
   */
  public byName(name: Value, resourceGroup: Value, type: string, from?: Resource): Resource | Unknown | undefined {
    if (name instanceof Ref && name.resource.type === type && name.attribute === 'name') {
      return this.asFound(name.resource);
    }
    const text = this.str(name);
    if (text === undefined) {
      return undefined;
    }
    if (isUnknown(text)) {
      return text;
    }
    // Named by a resource of some provider (a standalone rule, a route): a resource of the name in another
    // subscription is another resource (hub and spoke repeat names across subscriptions).
    const candidates = (this.namesOf(type).get(text.toLowerCase()) ?? []).filter((r) => from === undefined || this.subscriptionMatch(from, r) !== 'no');
    const sure = candidates.filter((r) => equalsIgnoringCase(r.config.resource_group_name, resourceGroup) === 'yes');
    const maybe = candidates.filter((r) => equalsIgnoringCase(r.config.resource_group_name, resourceGroup) === 'maybe');
    if (sure.length === 1) {
      return this.asFound(sure[0]);
    }
    if (sure.length === 0 && maybe.length === 0) {
      return new Unknown(`${type} "${text}", which is not in this stack`);
    }
    return new Unknown(sure.length > 1 ? `several ${type} named "${text}"` : `whether ${maybe.map((r) => r.address).join(', ')} is the ${type} "${text}" (its resource group is not known)`);
  }

  /** Resources of a type by their name, lower case. */
  private namesOf(type: string): Map<string, Resource[]> {
    return this.cached(`names:${type}`, () => {
      const index = new Map<string, Resource[]>();
      for (const resource of this.ofType(type)) {
        const name = this.str(resource.config.name);
        if (typeof name === 'string') {
          const key = name.toLowerCase();
          index.set(key, [...(index.get(key) ?? []), resource]);
        }
      }
      return index;
    });
  }

  /**
   * A resource of the document named by a literal Azure ID (segments compared case-insensitively). Of the resources
   * with its resource group and names, the one whose provider is in the ID's subscription; a provider without a
   * literal `subscription_id` counts as in it (it takes ARM_SUBSCRIPTION_ID, like the APIM instance's provider
   * usually does, and an instance is only ever injected into a subnet of its own subscription: APIM-SUBSCRIPTION
   * compares the ID with the instance's provider). A resource whose provider names another subscription is not it.
   */
  private byAzureId(id: string, type: string): Resource | undefined {
    const segments = id.split('/').filter((s) => s !== '');
    const lower = segments.map((s) => s.toLowerCase());
    const at = (key: string) => {
      const i = lower.indexOf(key);
      return i >= 0 ? lower[i + 1] : undefined;
    };
    const group = at('resourcegroups');
    const name = lower[lower.length - 1];
    const kind: Record<string, [string, string | undefined]> = {
      azurerm_subnet: ['subnets', 'virtualnetworks'],
      azurerm_virtual_network: ['virtualnetworks', undefined],
      azurerm_network_security_group: ['networksecuritygroups', undefined],
      azurerm_public_ip: ['publicipaddresses', undefined],
      azurerm_route_table: ['routetables', undefined],
    };
    const [segment, parent] = kind[type] ?? [undefined, undefined];
    if (!group || !name || !segment || lower[lower.length - 2] !== segment) {
      return undefined;
    }
    const subscription = at('subscriptions');
    const candidates = (this.namesOf(type).get(name) ?? []).filter((r) => equalsIgnoringCase(r.config.resource_group_name, group) === 'yes' &&
      (parent === undefined || equalsIgnoringCase(r.config.virtual_network_name, at(parent)) === 'yes'));
    // Per candidate: its provider names the ID's subscription (true), names another (false), or names none (undefined).
    const names = candidates.map((r) => {
      const theirs = subscription === undefined ? undefined : this.subscriptionOf(r.provider);
      return typeof theirs === 'string' ? theirs.trim().toLowerCase() === subscription : undefined;
    });
    const chosen = names.includes(true) ? names.indexOf(true) : names.indexOf(undefined);
    return chosen >= 0 ? candidates[chosen] : undefined;
  }

  /** The normalised location of a resource, Unknown, or undefined. */
  public location(resource: Resource): string | Unknown | undefined {
    const value = this.str(resource.config.location);
    return typeof value === 'string' ? normalizeLocation(value) : value;
  }

  /** A nested block (`virtual_network_configuration`), given as an object or a list of objects. */
  public block(value: Value): Record<string, Value> | Unknown | undefined {
    const blocks = this.blocks(value);
    if (isUnknown(blocks)) {
      return blocks;
    }
    return blocks[0];
  }

  /**
   * A list of blocks (`additional_location`, `delegation`), given as a list or one object. Unknown when the list is,
   * or when a `dynamic` block over an unknown collection may add blocks.
   */
  public blocks(value: Value): Record<string, Value>[] | Unknown {
    const all = this.blocksWithMaybe(value);
    if (isUnknown(all)) {
      return all;
    }
    const maybe = all.find((b) => b[MAYBE_BLOCK] !== undefined);
    return maybe ? maybe[MAYBE_BLOCK] as Unknown : all;
  }

  /** A list of blocks, keeping the blocks a `dynamic` block may or may not produce (marked `MAYBE_BLOCK`). */
  public blocksWithMaybe(value: Value): Record<string, Value>[] | Unknown {
    if (value === undefined || value === null) {
      return [];
    }
    if (isUnknown(value)) {
      return value;
    }
    if (value instanceof Ref) {
      return value.unknown ?? new Unknown(`${value.resource.address}.${value.attribute}`);
    }
    const list = Array.isArray(value) ? value : [value];
    const bad = list.find((v) => isUnknown(v) || v instanceof Ref);
    if (bad) {
      return isUnknown(bad) ? bad : new Unknown('a block known only after apply');
    }
    return list.filter((v) => v !== null && typeof v === 'object') as Record<string, Value>[];
  }

  // -------------------------------------------------------------------------------------------------------------
  // APIM instances and network relations

  /** The APIM instances of the document. */
  public apimInstances(): ApimInstance[] {
    if (!this.apimCache) {
      this.apimCache = this.ofType('azurerm_api_management').map((resource) => this.buildApim(resource));
    }
    return this.apimCache;
  }

  private buildApim(resource: Resource): ApimInstance {
    const c = resource.config;
    const skuName = this.str(c.sku_name);
    let tier: string | Unknown = new Unknown('sku_name is not set');
    let capacity: number | Unknown = new Unknown('sku_name is not set');
    if (typeof skuName === 'string') {
      const match = /^([A-Za-z0-9]+)_(\d+)$/.exec(skuName);
      tier = match ? match[1] : skuName;
      capacity = match ? Number(match[2]) : new Unknown(`sku_name "${skuName}" has no capacity`);
    } else if (isUnknown(skuName)) {
      tier = skuName;
      capacity = skuName;
    }
    const modeValue = this.str(c.virtual_network_type);
    const mode = modeValue === undefined ? 'None' : modeValue;
    const locations: ApimLocation[] = [];
    const all = this.blocksWithMaybe(c.additional_location);
    const additional = isUnknown(all) ? [] : all.filter((b) => b[MAYBE_BLOCK] === undefined);
    const maybe = isUnknown(all) ? all : all.find((b) => b[MAYBE_BLOCK] !== undefined)?.[MAYBE_BLOCK] as Unknown | undefined;
    const apim: ApimInstance = { resource, mode, tier, capacity, locations, additionalUnknown: maybe };
    const subnetOf = (block: Value) => {
      const network = this.block(block);
      return isUnknown(network) ? network : network ? this.target(network.subnet_id, 'azurerm_subnet') : undefined;
    };
    const locationOf = (value: Value) => {
      const location = this.str(value);
      return typeof location === 'string' ? normalizeLocation(location) : location ?? new Unknown('location is not set');
    };
    locations.push({
      apim, index: 0, label: 'primary', isPrimary: true, location: locationOf(c.location), capacity, zones: this.zoneList(c.zones),
      subnet: subnetOf(c.virtual_network_configuration), publicIp: this.target(c.public_ip_address_id, 'azurerm_public_ip'),
    });
    additional.forEach((block, i) => {
      const cap = block.capacity === undefined || block.capacity === null ? capacity : this.num(block.capacity) ?? capacity;
      locations.push({
        apim, index: i + 1, label: `additional_location[${i}]`, isPrimary: false, location: locationOf(block.location), capacity: cap,
        zones: this.zoneList(block.zones), subnet: subnetOf(block.virtual_network_configuration),
        publicIp: this.target(block.public_ip_address_id, 'azurerm_public_ip'),
      });
    });
    if (maybe) {
      // The locations that may or may not exist: each rule that would check one reports what it cannot know.
      const unknown = new Unknown(`the additional locations of ${resource.address}: ${maybe.reason}`);
      locations.push({
        apim, index: additional.length + 1, label: 'additional_location[?]', isPrimary: false, location: unknown, capacity: unknown,
        zones: unknown, subnet: unknown, publicIp: unknown, maybe: unknown,
      });
    }
    return apim;
  }

  private zoneList(value: Value): string[] | Unknown | undefined {
    const zones = this.strings(value);
    return Array.isArray(zones) && zones.length === 0 ? undefined : zones;
  }

  /** The NSG associated with a subnet (through `azurerm_subnet_network_security_group_association`); Unknown when several are. */
  public nsgOf(subnet: Resource): Resource | Unknown | undefined {
    return this.associationOf(subnet, NSG_ASSOCIATION.type, NSG_ASSOCIATION.field, NSG_ASSOCIATION.target).target;
  }

  /** The route table associated with a subnet; Unknown when several are. */
  public routeTableOf(subnet: Resource): Resource | Unknown | undefined {
    return this.associationOf(subnet, 'azurerm_subnet_route_table_association', 'route_table_id', 'azurerm_route_table').target;
  }

  /**
   * The one association of a subnet (or Unknown when an association's subnet is unknown, or when several associations
   * point at the subnet: Azure keeps one of them, depending on the order of apply) and what it points at: a resource of
   * the document, or Unknown (for instance an ID of a resource managed elsewhere).
   */
  public associationOf(subnet: Resource, associationType: string, field: string, targetType: string):
  { association: Resource | Unknown | undefined; target: Resource | Unknown | undefined } {
    const { associations, unknown } = this.associationsOf(subnet, associationType, field, targetType);
    if (associations.length === 0) {
      return { association: unknown, target: unknown };
    }
    if (associations.length > 1) {
      const several = new Unknown(`which of ${associations.map((a) => a.association.address).join(', ')} Azure keeps (several associations point at one subnet)`);
      return { association: several, target: several };
    }
    return associations[0];
  }

  /**
   * Every association of a subnet, and what each points at; `unknown` when an association whose subnet (or whose
   * existence) is not known at synth time may point at it too. The subnet may be Unknown itself: when it is exactly one
   * reference (`data.azurerm_subnet.apim.id`), the associations whose `subnet_id` is the same reference are its own.
   */
  public associationsOf(subnet: Resource | Unknown, associationType: string, field: string, targetType: string): { associations: Association[]; unknown?: Unknown } {
    if (isUnknown(subnet)) {
      // An unknown subnet's key (the reference it is) means something in this document only.
      return this.localAssociationsOf(subnet, associationType, field, targetType);
    }
    // From every stack that can be read: the network's, the APIM's or a third stack may hold the association. A stack
    // that may still change holds no association to judge: one there that may point at the subnet makes it unknown.
    const found = this.searched(subnet, associationType).map((model) => model.options.unsettled
      ? { associations: [], unknown: model.unsettledAssociationOf(subnet, associationType) }
      : model.localAssociationsOf(subnet, associationType, field, targetType));
    return { associations: found.flatMap((f) => f.associations), unknown: found.find((f) => f.unknown)?.unknown };
  }

  /**
   * In a stack that may still change (as it stands): Unknown when an association of the type points at the subnet, or
   * at a subnet not known at synth time; undefined when every one points at another subnet.
   */
  private unsettledAssociationOf(subnet: Resource, associationType: string): Unknown | undefined {
    for (const association of this.ofType(associationType)) {
      const target = this.target(association.config.subnet_id, 'azurerm_subnet');
      if (target === subnet) {
        return new Unknown(`what ${association.address} will be: ${association.maybe?.reason}`);
      }
      if (isUnknown(target)) {
        return new Unknown(`${association.address} points at ${target.reason}`);
      }
    }
    return undefined;
  }

  /** The associations of this document that point at a subnet (of this document or another). */
  private localAssociationsOf(subnet: Resource | Unknown, associationType: string, field: string, targetType: string): { associations: Association[]; unknown?: Unknown } {
    const index = this.cached(`associations:${associationType}`, () => {
      const bySubnet = new Map<Resource, Resource[]>();
      const byKey = new Map<string, Resource[]>();
      // Associations that may point at a subnet: their subnet is unknown (`key` tells which value), or they may not exist.
      const uncertain: Array<{ unknown: Unknown; target?: Resource; key?: string }> = [];
      for (const association of this.ofType(associationType)) {
        const target = this.target(association.config.subnet_id, 'azurerm_subnet');
        if (isUnknown(target)) {
          if (target.key !== undefined && !association.maybe) {
            byKey.set(target.key, [...(byKey.get(target.key) ?? []), association]);
          }
          uncertain.push({ unknown: new Unknown(`${association.address} points at ${target.reason}`), key: target.key });
        } else if (target && association.maybe) {
          uncertain.push({ unknown: new Unknown(`whether ${association.address} exists: ${association.maybe.reason}`), target });
        } else if (target) {
          bySubnet.set(target, [...(bySubnet.get(target) ?? []), association]);
        }
      }
      return { bySubnet, byKey, uncertain };
    });
    const found = isUnknown(subnet) ? (subnet.key === undefined ? [] : index.byKey.get(subnet.key) ?? []) : index.bySubnet.get(subnet) ?? [];
    const associations = found.map((association) => ({
      association,
      target: this.target(association.config[field], targetType) ?? new Unknown(`${association.address}.${field} is not set`),
    }));
    // Of the uncertain ones, those that may be this subnet's: not one whose subnet is surely another.
    const unknown = index.uncertain.find((u) => isUnknown(subnet) || (u.target ? u.target === subnet : !this.surelyAnotherSubnet(u.key, subnet)))?.unknown;
    return { associations, unknown };
  }

  /**
   * Whether an unknown subnet ID is surely not `subnet`: a `data.azurerm_subnet` whose literal name, virtual network or
   * resource group differs from the subnet's (a hub's association on a spoke's subnet read by a data source).
   */
  private surelyAnotherSubnet(key: string | undefined, subnet: Resource): boolean {
    const match = key === undefined ? null : /^data\.azurerm_subnet\.([A-Za-z0-9_-]+)\.id$/.exec(key);
    const body = match ? this.source.body('data', 'azurerm_subnet', match[1]) : undefined;
    if (!body || body.get('count') !== undefined || body.get('for_each') !== undefined) {
      return false;
    }
    const differs = (raw: unknown, value: Value) => {
      const a = this.str(this.resolve(raw, {}));
      const b = subnet.model.str(value);
      return typeof a === 'string' && typeof b === 'string' && a.trim().toLowerCase() !== b.trim().toLowerCase();
    };
    return differs(body.get('name'), subnet.config.name) || differs(body.get('virtual_network_name'), subnet.config.virtual_network_name)
      || differs(body.get('resource_group_name'), subnet.config.resource_group_name);
  }

  /** The virtual network holding a subnet. */
  public virtualNetworkOf(subnet: Resource): Resource | Unknown | undefined {
    if (subnet.model !== this) {
      return subnet.model.virtualNetworkOf(subnet);
    }
    const index = this.cached('vnet-of', () => new Map<Resource, Resource | Unknown | undefined>());
    if (!index.has(subnet)) {
      // By name, in this stack or another of the app (a cross-stack `vnet.name` arrives as the literal name); a network
      // in no stack of the app stays unknown ("not in this stack").
      const name = subnet.config.virtual_network_name;
      const group = subnet.config.resource_group_name;
      const here = this.byName(name, group, 'azurerm_virtual_network');
      const elsewhere = isUnknown(here) && here.reason.includes('not in this stack') ? this.byNameElsewhere(name, group, 'azurerm_virtual_network') : undefined;
      index.set(subnet, elsewhere ?? here);
    }
    return index.get(subnet);
  }

  /** Standalone `azurerm_network_security_rule` resources of an NSG, and those that may belong to it. */
  public standaloneRules(nsg: Resource): { rules: Resource[]; unknown: Resource[] } {
    // From every stack that can be read: a rule may be written in another stack than its NSG.
    const found = this.searched(nsg, 'azurerm_network_security_rule').map((model) => model.localStandaloneRules());
    return { rules: found.flatMap((f) => f.byNsg.get(nsg) ?? []), unknown: found.flatMap((f) => f.unknown) };
  }

  /** The standalone rules of this document, by the NSG they name (of this stack or another); those whose NSG is not sure. */
  private localStandaloneRules(): { byNsg: Map<Resource, Resource[]>; unknown: Resource[] } {
    return this.cached('nsg-rules', () => {
      const byNsg = new Map<Resource, Resource[]>();
      const unknown: Resource[] = [];
      for (const rule of this.ofType('azurerm_network_security_rule')) {
        const target = this.pointedAt(rule, rule.config.network_security_group_name, rule.config.resource_group_name, 'azurerm_network_security_group');
        if (isUnknown(target)) {
          unknown.push(rule);
        } else if (target) {
          const attached = this.attachedTo(rule, target);
          if (attached) {
            byNsg.set(target, [...(byNsg.get(target) ?? []), attached]);
          }
        }
      }
      return { byNsg, unknown };
    });
  }

  /**
   * What a standalone rule or route names by name and resource group: a resource of this stack, else of another stack
   * of the app that can be read (a literal name), else undefined (a resource managed outside the app).
   */
  private pointedAt(from: Resource, name: Value, resourceGroup: Value, type: string): Resource | Unknown | undefined {
    const target = this.byName(name, resourceGroup, type, from);
    if (isUnknown(target) && target.reason.includes('not in this stack')) {
      return this.byNameElsewhere(name, resourceGroup, type, from);
    }
    return target;
  }

  /**
   * A standalone rule or route as it applies to the resource it names: itself when its provider is in that resource's
   * subscription; undefined when it is in another (Terraform creates it there, on another resource of the name); a
   * copy that may or may not exist (`maybe`, saying why) when that cannot be known at synth time.
   */
  private attachedTo(resource: Resource, target: Resource): Resource | undefined {
    const same = this.subscriptionMatch(resource, target);
    if (same === 'no') {
      return undefined;
    }
    // The copy reads everything else from the resource itself (its configuration is resolved lazily, by getters).
    return same === 'yes' || resource.maybe ? resource : Object.create(resource, { maybe: { value: same, enumerable: true } }) as Resource;
  }

  /**
   * Whether two resources are managed in one subscription: 'yes', 'no', or Unknown (why). The same provider of one
   * document is one subscription; otherwise the providers' subscription_id decide. Two providers without
   * subscription_id both take ARM_SUBSCRIPTION_ID: of one Terraform run, or of one `cdktf deploy` of the app's stacks
   * (one environment), so one subscription. One with and one without cannot be known at synth time.
   */
  public subscriptionMatch(a: Resource, b: Resource): 'yes' | 'no' | Unknown {
    if (a.model === b.model && a.provider === b.provider) {
      return 'yes';
    }
    const mine = a.model.subscriptionOf(a.provider);
    const theirs = b.model.subscriptionOf(b.provider);
    if (typeof mine === 'string' && typeof theirs === 'string') {
      return mine.trim().toLowerCase() === theirs.trim().toLowerCase() ? 'yes' : 'no';
    }
    if (mine === undefined && theirs === undefined) {
      return 'yes';
    }
    const provider = (r: Resource) => `azurerm${r.provider === 'default' ? '' : `.${r.provider}`}${r.model === a.model ? '' : ' of another stack'}`;
    const say = (r: Resource, value: string | Unknown | undefined) => (value === undefined ? `provider ${provider(r)} sets no subscription_id (it takes ARM_SUBSCRIPTION_ID)`
      : isUnknown(value) ? `the subscription_id of provider ${provider(r)} is ${value.reason}` : `provider ${provider(r)} sets subscription_id ${value}`);
    return new Unknown(`whether ${a.address} and ${b.address} are in one subscription: ${say(a, mine)}; ${say(b, theirs)}`);
  }

  /** Standalone `azurerm_route` resources of a route table. */
  public standaloneRoutes(table: Resource): Resource[] {
    // From every stack that can be read: a route may be written in another stack than its table.
    return this.searched(table, 'azurerm_route').flatMap((model) => model.localStandaloneRoutes().get(table) ?? []);
  }

  /** The standalone routes of this document, by the route table they name (of this stack or another). */
  private localStandaloneRoutes(): Map<Resource, Resource[]> {
    return this.cached('routes', () => {
      const byTable = new Map<Resource, Resource[]>();
      for (const route of this.ofType('azurerm_route')) {
        const target = this.pointedAt(route, route.config.route_table_name, route.config.resource_group_name, 'azurerm_route_table');
        const attached = target && !isUnknown(target) ? this.attachedTo(route, target) : undefined;
        if (attached) {
          byTable.set(target as Resource, [...(byTable.get(target as Resource) ?? []), attached]);
        }
      }
      return byTable;
    });
  }

  /** Every other subnet of the same virtual network (by reference, or by name and resource group). */
  public siblingsOf(subnet: Resource): Resource[] {
    if (subnet.model !== this) {
      return subnet.model.siblingsOf(subnet);
    }
    const index = this.cached('siblings', () => {
      const groups = new Map<unknown, Resource[]>();
      for (const other of this.ofType('azurerm_subnet')) {
        const key = this.networkKey(other);
        groups.set(key, [...(groups.get(key) ?? []), other]);
      }
      return groups;
    });
    return (index.get(this.networkKey(subnet)) ?? []).filter((other) => other !== subnet);
  }

  private networkKey(subnet: Resource): unknown {
    const vnet = this.virtualNetworkOf(subnet);
    if (vnet && !isUnknown(vnet)) {
      return vnet;
    }
    const text = (v: Value) => {
      const s = this.str(v);
      return typeof s === 'string' ? s.toLowerCase() : String(s);
    };
    return `${text(subnet.config.resource_group_name)}/${text(subnet.config.virtual_network_name)}`;
  }

  /**
   * Every model of the app to search for what may change a resource without the checks reading how (module blocks,
   * azapi resources: see opaque.ts): its own stack's, and those of the other stacks that hold such a block (those
   * that can be read, and those whose aspects may still change them, as they stand). A stack that holds none is not
   * modelled for it.
   */
  public modelsAround(resource: Resource): TerraformModel[] {
    // Only the stacks that hold a module block or an azapi resource: the others are not modelled for this.
    // The same for every resource of this model in one evaluation: looked up once.
    const around = this.cached('opaque-models', () => this.searched(resource, OPAQUE_TYPES));
    return [resource.model, ...around.filter((model) => model !== resource.model)];
  }

  /** The subscription of a provider key: the id, Unknown, or undefined when the provider sets none. */
  public subscriptionOf(provider: string): string | Unknown | undefined {
    const config = this.providers.get(provider);
    if (!config) {
      return new Unknown(`the azurerm provider "${provider}", which is not in this stack`);
    }
    return this.str(config.subscription_id);
  }
}
