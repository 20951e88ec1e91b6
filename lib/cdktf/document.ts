/**
 * A stack's Terraform JSON as the checks read it, resolved lazily: each resource, data source, output, local and
 * variable is resolved the first time a rule reads it, so the checks resolve only what they look at (a stack is
 * otherwise resolved twice: once for the checks, once for cdk.tf.json).
 *
 * Resolution is cdktf's own (`Tokenization.resolve`) for every value that holds a token; values without one (most
 * literals) are taken as they are, which is what `Tokenization.resolve` would return for them. Where this shortcut
 * cannot be sure to match `stack.toTerraform()` (stack-level overrides), the whole stack is resolved instead.
 */
import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformStack, Token, Tokenization } from 'cdktf';

/** A string that may hold a token or an escape cdktf rewrites: a string token, a list or map token, a number token. */
const MAY_HOLD_TOKEN = /TfToken\[|\$\{|e\+2\d\d/;

/** Kinds of blocks whose entries are keyed type, then name. */
const TWO_LEVELS = new Set(['resource', 'data']);
/** Kinds of blocks whose entries are keyed by name. */
const ONE_LEVEL = new Set(['output', 'locals', 'variable']);

function holdsToken(value: unknown): boolean {
  return (typeof value === 'string' && MAY_HOLD_TOKEN.test(value)) || (typeof value === 'number' && Token.isUnresolved(value));
}

/** Resolve a value as `Tokenization.resolve` does, walking plain literals without it. */
function resolver(stack: TerraformStack): (value: unknown) => unknown {
  const options = { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) };
  const full = (value: unknown) => Tokenization.resolve(value, options);
  const walk = (value: unknown): unknown => {
    if (holdsToken(value)) {
      return full(value);
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    if (Array.isArray(value)) {
      if (value.some(holdsToken)) {
        return full(value);
      }
      return value.map(walk).filter((item) => item !== undefined);
    }
    if (Tokenization.isResolvable(value) || Object.keys(value).some((key) => MAY_HOLD_TOKEN.test(key))) {
      return full(value);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // The stack trace cdktf records for each element is never read, and is long.
      const resolved = key === 'stackTrace' ? undefined : walk(item);
      if (resolved !== undefined) {
        out[key] = resolved;
      }
    }
    return out;
  };
  return walk;
}

/** Define `key` on `target` as a value computed on first read. */
function lazy(target: Record<string, unknown>, key: string, compute: () => unknown): void {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = compute();
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
  });
}

function child(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  if (!Object.prototype.hasOwnProperty.call(parent, key)) {
    parent[key] = {};
  }
  return parent[key] as Record<string, unknown>;
}

function hasStackOverrides(stack: TerraformStack): boolean {
  // A protected field of cdktf, read (never written): if it is missing or not empty, resolve the whole stack instead.
  const overrides = (stack as unknown as { rawOverrides?: unknown }).rawOverrides;
  return typeof overrides !== 'object' || overrides === null || Object.keys(overrides).length > 0;
}

/**
 * The stack's Terraform JSON (the shape of cdk.tf.json), each block resolved on first read. Call it after the
 * stack's aspects ran (in a validation, as the checks do).
 */
export function stackDocument(stack: TerraformStack): Record<string, unknown> {
  if (hasStackOverrides(stack)) {
    return stack.toTerraform() as Record<string, unknown>;
  }
  const resolve = resolver(stack);
  const document: Record<string, unknown> = {};
  const providers = new Map<string, unknown[]>();
  for (const construct of stack.node.findAll()) {
    if (!TerraformElement.isTerraformElement(construct)) {
      continue;
    }
    const fragment = construct.toTerraform() as Record<string, Record<string, unknown>>;
    for (const [kind, body] of Object.entries(fragment ?? {})) {
      if (body === null || typeof body !== 'object') {
        continue;
      }
      if (TWO_LEVELS.has(kind)) {
        for (const [type, byName] of Object.entries(body)) {
          const target = child(child(document, kind), type);
          for (const [name, config] of Object.entries((byName ?? {}) as Record<string, unknown>)) {
            lazy(target, name, () => resolve(config));
          }
        }
      } else if (ONE_LEVEL.has(kind)) {
        for (const [name, value] of Object.entries(body)) {
          lazy(child(document, kind), name, () => resolve(value));
        }
      } else if (kind === 'provider') {
        for (const [type, configs] of Object.entries(body)) {
          providers.set(type, [...(providers.get(type) ?? []), ...(Array.isArray(configs) ? configs : [configs])]);
        }
      }
    }
  }
  for (const [type, configs] of providers) {
    lazy(child(document, 'provider'), type, () => configs.map(resolve));
  }
  return document;
}

/** Every other stack of the app, by construct path, each document built on first read. */
export function otherStackDocuments(stack: TerraformStack): Record<string, unknown> {
  const documents: Record<string, unknown> = {};
  for (const other of stack.node.root.node.findAll()) {
    if (TerraformStack.isStack(other) && other !== stack) {
      lazy(documents, other.node.path, () => stackDocument(other));
    }
  }
  return documents;
}
