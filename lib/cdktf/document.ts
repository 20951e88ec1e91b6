/**
 * A stack's Terraform JSON as the checks read it, resolved lazily: each resource and data source is turned into JSON,
 * and each of its attributes resolved, the first time a rule reads it, so the checks resolve only what they look at (a
 * stack is otherwise resolved twice: once for the checks, once for cdk.tf.json).
 *
 * Resolution is cdktf's own (`Tokenization.resolve`) for every value that holds a token; values without one (most
 * literals) are taken as they are, which is what `Tokenization.resolve` would return for them. Where this shortcut
 * cannot be sure to match `stack.toTerraform()` (stack-level overrides), the whole stack is resolved instead.
 */
import {
  Aspects, DefaultTokenResolver, StringConcat, TerraformBackend, TerraformDataSource, TerraformElement, TerraformOutput, TerraformProvider,
  TerraformResource, TerraformStack, Tokenization,
} from 'cdktf';
import { IConstruct } from 'constructs';
import { jsonSource, unsettledDocument } from '../checks/lazy';
import type { SourceBody, TerraformSource, UnsettledDocument } from '../checks/model';
import { hasOwn, setOwn } from '../core/objects';

/** A string that may hold a token or an escape cdktf rewrites: a string token, a list or map token, a number token. */
const MAY_HOLD_TOKEN = /TfToken\[|\$\{|e\+2\d\d/;


/** cdktf encodes a number token as a double of huge magnitude (about 1e289): any ordinary number is no token. */
const NUMBER_TOKEN_MAGNITUDE = 1e200;

function holdsToken(value: unknown): boolean {
  if (typeof value === 'string') {
    return MAY_HOLD_TOKEN.test(value);
  }
  // A number token and an element of a number list token are both encoded this way; cdktf returns any other number
  // as it is.
  return typeof value === 'number' && (!Number.isFinite(value) || Math.abs(value) >= NUMBER_TOKEN_MAGNITUDE);
}

/** Deeper than this (a cycle, or absurd nesting), a value goes to cdktf, which stops at its own limit with its error. */
const MAX_WALK_DEPTH = 100;

/**
 * Resolve a value as `Tokenization.resolve` does, walking plain literals without it. A part without any token is
 * returned as it is (not copied): the checks never change what they read.
 */
function resolver(stack: TerraformStack): (value: unknown) => unknown {
  const options = { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) };
  // The value is resolved as the property of an object, never on its own: cdktf's resolver then meets each value as
  // it does when it writes cdk.tf.json (one level down, through its own recursion). Given a string at the top, its
  // optimised code sees an options object of a shape it never sees otherwise and is thrown away (a V8 deopt), and
  // cdk.tf.json then takes 10-30 ms longer to write at 60 regions. The result is the same either way.
  const full = (value: unknown) => (Tokenization.resolve({ value }, options) as { value?: unknown }).value;
  // A list with a token among its items, or a block with a token in a key, goes to cdktf whole (a list token among
  // plain items, a map token key), as `Tokenization.resolve` would resolve it as one; so does anything that is not
  // plain data (a construct, a class instance, a cycle), for cdktf to resolve or refuse with its own error. An
  // `undefined` item or attribute is left out, as cdktf leaves it out.
  const walk = (value: unknown, depth: number): unknown => {
    if (holdsToken(value)) {
      return full(value);
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    if (depth > MAX_WALK_DEPTH) {
      return full(value);
    }
    if (Array.isArray(value)) {
      if (value.some(holdsToken)) {
        return full(value);
      }
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item = walk(value[i], depth + 1);
        if (!out && (item !== value[i] || item === undefined)) {
          out = value.slice(0, i);
        }
        if (out && item !== undefined) {
          out.push(item);
        }
      }
      return out ?? value;
    }
    const prototype = Object.getPrototypeOf(value);
    const keys = Object.keys(value);
    if ((prototype !== Object.prototype && prototype !== null) || Tokenization.isResolvable(value) || keys.some((key) => MAY_HOLD_TOKEN.test(key))) {
      return full(value);
    }
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const item = (value as Record<string, unknown>)[key];
      // The stack trace cdktf records for each element is never read, and is long.
      const resolved = key === 'stackTrace' ? undefined : walk(item, depth + 1);
      if (!out && (resolved !== item || resolved === undefined)) {
        out = {};
        for (let j = 0; j < i; j++) {
          setOwn(out, keys[j], (value as Record<string, unknown>)[keys[j]]);
        }
      }
      if (out && resolved !== undefined) {
        setOwn(out, key, resolved);
      }
    }
    return out ?? value;
  };
  return (value: unknown) => walk(value, 0);
}

/**
 * Whether a fragment resolves key by key (each key's value as cdktf resolves it within the whole): a plain object, not
 * resolvable itself, without a token in a key.
 */
function splittable(fragment: Record<string, unknown>): boolean {
  const prototype = Object.getPrototypeOf(fragment);
  return (prototype === Object.prototype || prototype === null) && !Tokenization.isResolvable(fragment) &&
    !Object.keys(fragment).some((key) => MAY_HOLD_TOKEN.test(key));
}

/** cdktf's own `toTerraform` of outputs, providers and backends, and the top-level sections each writes. */
const KNOWN_SECTIONS = new Map<unknown, readonly string[]>([
  [TerraformOutput.prototype.toTerraform, ['output']],
  [TerraformProvider.prototype.toTerraform, ['terraform', 'provider']],
  [TerraformBackend.prototype.toTerraform, ['terraform']],
]);

/** The sections an element writes, when its `toTerraform` is one of cdktf's own listed above; else undefined. */
function knownSections(element: TerraformElement): readonly string[] | undefined {
  return KNOWN_SECTIONS.get((element as unknown as { toTerraform: unknown }).toTerraform);
}

function hasStackOverrides(stack: TerraformStack): boolean {
  // A protected field of cdktf, read (never written): if it is missing or not empty, resolve the whole stack instead.
  const overrides = (stack as unknown as { rawOverrides?: unknown }).rawOverrides;
  return typeof overrides !== 'object' || overrides === null || Object.keys(overrides).length > 0;
}

/** A stack's document for the checks: a source of blocks, and `toJSON` for the whole (tests, debugging). */
export interface StackDocument extends TerraformSource {
  toJSON(): Record<string, unknown>;
}

interface Entry {
  readonly element: TerraformElement;
  readonly kind: 'resource' | 'data';
  readonly type: string;
  readonly name: string;
  body?: SourceBody;
}

function merge(target: Record<string, unknown>, fragment: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(fragment)) {
    const existing = hasOwn(target, key) ? target[key] : undefined;
    if (Array.isArray(existing) && Array.isArray(value)) {
      setOwn(target, key, [...existing, ...value]);
    } else if (existing && value && typeof existing === 'object' && typeof value === 'object' && !Array.isArray(value)) {
      merge(existing as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      setOwn(target, key, value);
    }
  }
}

/**
 * The constructs of a stack, in tree order, without those of a stack created inside it: cdktf writes a nested stack to
 * its own cdk.tf.json, and leaves its resources out of the parent's.
 */
export function ownConstructs(stack: TerraformStack): IConstruct[] {
  const out: IConstruct[] = [];
  const visit = (construct: IConstruct): void => {
    for (const child of construct.node.children) {
      if (!TerraformStack.isStack(child)) {
        out.push(child);
        visit(child);
      }
    }
  };
  visit(stack);
  return out;
}

/**
 * The stack's Terraform JSON (the shape of cdk.tf.json) as a source of blocks: a resource or data source is turned into
 * JSON (`toTerraform`) when a rule first reads it, and each of its attributes is resolved when a rule first reads that
 * attribute. Call it after the stack's aspects ran (in a validation, as the checks do).
 */
export function stackDocument(stack: TerraformStack): StackDocument {
  if (hasStackOverrides(stack)) {
    const whole = stack.toTerraform() as Record<string, unknown>;
    return { ...jsonSource(whole), toJSON: () => whole };
  }
  const resolve = resolver(stack);
  const entries = new Map<string, Map<string, Entry>>();
  const others: TerraformElement[] = [];
  for (const construct of ownConstructs(stack)) {
    if (!TerraformElement.isTerraformElement(construct)) {
      continue;
    }
    const typed = construct as unknown as { terraformResourceType?: unknown; friendlyUniqueId: string };
    const kind = TerraformResource.isTerraformResource(construct) ? 'resource' : TerraformDataSource.isTerraformDataSource(construct) ? 'data' : undefined;
    if (kind && typeof typed.terraformResourceType === 'string') {
      const key = `${kind}\u0000${typed.terraformResourceType}`;
      const byName = entries.get(key) ?? new Map<string, Entry>();
      byName.set(typed.friendlyUniqueId, { element: construct, kind, type: typed.terraformResourceType, name: typed.friendlyUniqueId });
      entries.set(key, byName);
    } else {
      others.push(construct);
    }
  }
  let sections: Record<string, unknown> | undefined;
  const sectionsOnce = (): Record<string, unknown> => {
    if (!sections) {
      sections = {};
      for (const element of others) {
        merge(sections, resolve(element.toTerraform()) as Record<string, unknown>);
      }
    }
    return sections;
  };
  // One section (`provider`, `output`, the `resource` entries of an element that is no resource...) resolves only the
  // parts of the elements that write it: reading the providers of another stack does not resolve its outputs. Each part
  // is resolved as the property of an object, as the whole fragment resolves it, and merged in the elements' order: the
  // same section as the whole document's. A fragment cdktf would resolve as one (not a plain object, or a token in a
  // key) is resolved whole, once. An element whose `toTerraform` is cdktf's own for outputs, providers or backends is
  // not turned into JSON for a section that function never writes.
  const fragments = others.map((element) => ({ element, raw: undefined as Record<string, unknown> | undefined, whole: undefined as unknown }));
  const bySection = new Map<string, Record<string, unknown>>();
  const sectionOnce = (kind: string): unknown => {
    if (sections) {
      return sections[kind];
    }
    if (!bySection.has(kind)) {
      const holder: Record<string, unknown> = {};
      for (const fragment of fragments) {
        const writes = knownSections(fragment.element);
        if (writes && !writes.includes(kind)) {
          continue;
        }
        const raw = (fragment.raw ??= fragment.element.toTerraform() as Record<string, unknown>);
        if (raw === null || typeof raw !== 'object') {
          continue;
        }
        if (!splittable(raw)) {
          fragment.whole ??= resolve(raw);
          const whole = fragment.whole as Record<string, unknown> | null | undefined;
          if (whole !== null && typeof whole === 'object' && hasOwn(whole, kind)) {
            merge(holder, { [kind]: whole[kind] });
          }
        } else if (hasOwn(raw, kind)) {
          merge(holder, resolve({ [kind]: raw[kind] }) as Record<string, unknown>);
        }
      }
      bySection.set(kind, holder);
    }
    const holder = bySection.get(kind)!;
    return hasOwn(holder, kind) ? holder[kind] : undefined;
  };
  const bodyOfEntry = (entry: Entry): SourceBody | undefined => {
    if (!entry.body) {
      const fragment = entry.element.toTerraform() as Record<string, Record<string, Record<string, unknown>>>;
      const raw = fragment?.[entry.kind]?.[entry.type]?.[entry.name];
      if (raw === undefined || raw === null || typeof raw !== 'object') {
        return undefined;
      }
      const resolved = new Map<string, unknown>();
      entry.body = {
        keys: () => Object.keys(raw),
        get: (key) => {
          if (!resolved.has(key)) {
            resolved.set(key, resolve((raw as Record<string, unknown>)[key]));
          }
          return resolved.get(key);
        },
      };
    }
    return entry.body;
  };
  const source: StackDocument = {
    names: (kind, type) => [...(entries.get(`${kind}\u0000${type}`)?.keys() ?? []),
      ...Object.keys((sectionOnce(kind) as Record<string, Record<string, unknown>> | undefined)?.[type] ?? {})],
    body: (kind, type, name) => {
      const entry = entries.get(`${kind}\u0000${type}`)?.get(name);
      if (entry) {
        return bodyOfEntry(entry);
      }
      return jsonSource({ [kind]: sectionOnce(kind) }).body(kind, type, name);
    },
    section: (kind) => sectionOnce(kind),
    toJSON: () => {
      const out: Record<string, unknown> = JSON.parse(JSON.stringify(sectionsOnce()));
      for (const byName of entries.values()) {
        for (const entry of byName.values()) {
          const body = bodyOfEntry(entry);
          if (body) {
            const value = Object.fromEntries(body.keys().map((k) => [k, body.get(k)]).filter(([, v]) => v !== undefined));
            merge(out, { [entry.kind]: { [entry.type]: { [entry.name]: value } } });
          }
        }
      }
      return out;
    },
  };
  return source;
}

/**
 * Marks an aspect that only reads the tree (this library's ApimNetworkChecks): it cannot change another stack's
 * document, so its not having run yet does not make that document unsettled.
 */
export const READ_ONLY_ASPECT = Symbol.for('cdktf-apim-network/read-only-aspect');

const SETTLED = new WeakSet<TerraformStack>();

/** Record that a stack's aspects have run (in synth, each stack's validations run just after its aspects). */
export function markSettled(stack: TerraformStack): void {
  SETTLED.add(stack);
}

/** Whether a stack's aspects have run in this process. */
export function isSettled(stack: TerraformStack): boolean {
  return SETTLED.has(stack);
}

/**
 * Why another stack's document cannot be read yet, or undefined when it can. cdktf synthesizes the stacks one by one,
 * in the order they were created, and invokes each stack's aspects just before that stack's validations (where the
 * checks run): a stack created later has not had its aspects invoked when this stack's checks read it, and an aspect
 * may still change it. Invoking them here would run them twice. So another stack's document is read only when its
 * aspects have run (it was synthesized before this one) or when it has none that could change it; otherwise what is
 * read from it is unknown, with this reason.
 */
export function unsettledReason(other: TerraformStack, reader: TerraformStack, settled: (stack: TerraformStack) => boolean = isSettled): string | undefined {
  if (settled(other)) {
    return undefined;
  }
  const inside = other.node.scopes.includes(reader);
  // The aspects that will still run over the other stack: its own, and, when it is inside a stack, those set on the
  // constructs above it in that stack (cdktf runs them from the outermost stack's turn down). When the reader holds
  // it, the reader's turn has run those above it; its own run again in its own turn.
  const scopes = other.node.scopes;
  const outermost = scopes.findIndex((c) => TerraformStack.isStack(c));
  const above = inside ? [] : scopes.slice(outermost, -1);
  const aspects = [...above, ...other.node.findAll()].flatMap((c) => Aspects.of(c).all)
    .filter((aspect) => (aspect as unknown as Record<symbol, unknown>)[READ_ONLY_ASPECT] !== true);
  if (aspects.length === 0) {
    return undefined;
  }
  const names = [...new Set(aspects.map((a) => a.constructor?.name || 'an aspect'))].join(', ');
  if (inside) {
    // A stack inside the reader: cdktf runs its aspects with the reader's, and again in its own turn, after the reader's
    // checks; what they then change is what its cdk.tf.json holds.
    return `a value from the stack "${other.node.path}", created inside "${reader.node.path}", whose aspects (${names}) cdktf runs again ` +
      `in its own turn, after the checks of "${reader.node.path}"; create the stack "${other.node.path}" outside "${reader.node.path}", ` +
      'before it';
  }
  return `a value from the stack "${other.node.path}", whose aspects (${names}) have not run when the checks of "${reader.node.path}" run ` +
    `(cdktf synthesizes the stacks in the order they were created, each just after its own aspects); create the stack "${other.node.path}" ` +
    `before "${reader.node.path}"`;
}

/**
 * Every other stack of the app, by construct path, each document built on first read; a stack whose aspects may still
 * change it is an UnsettledDocument (what is read from it is unknown, saying why and how to fix it). `settled` tells
 * whose aspects have run (the test helper replays the order of synth).
 */
export function otherStackDocuments(stack: TerraformStack, settled: (other: TerraformStack) => boolean = isSettled): Record<string, unknown> {
  const documents: Record<string, unknown> = {};
  for (const other of stack.node.root.node.findAll()) {
    if (TerraformStack.isStack(other) && other !== stack) {
      let document: StackDocument | UnsettledDocument | undefined;
      Object.defineProperty(documents, other.node.path, {
        enumerable: true,
        get: () => {
          if (!document) {
            const reason = unsettledReason(other, stack, settled);
            // A stack that may still change is read as it stands only for what in it points at a network resource
            // (which is then unknown); every value read from it is unknown.
            document = reason ? unsettledDocument(reason, () => stackDocument(other)) : stackDocument(other);
          }
          return document;
        },
      });
    }
  }
  return documents;
}
