/**
 * Write an evaluated root module as one Terraform JSON document, the input of the checks: every resource and data
 * source instance of the root module and of the modules it calls, flattened into one document under a name unique per
 * type (the Terraform name itself for a root resource without count or for_each), with its real address, file and
 * line in its `"//"` metadata. Resource references stay `${type.name.attribute}` references to the written names, so
 * the checks can follow the links; unknown values are written as the expression that makes them unknown.
 */
import { Lazy, Ref, Unknown, Value, isObjectValue } from '../../hcl';
import { ModuleInstance, ResourceInstance, evaluateBody } from './instance';

/** A resource as written in the document, and where it is declared. */
export interface WrittenResource {
  /** Terraform address, e.g. `module.net.azurerm_subnet.apim["weu"]`. */
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  /** Its name in the document. */
  readonly jsonName: string;
  /** Absolute path of the file that declares it. */
  readonly file: string;
  readonly line: number;
}

/** The document and its resources. */
export interface BuiltDocument {
  readonly document: Record<string, any>;
  readonly resources: WrittenResource[];
}

/** A value as Terraform JSON. */
export function toJson(value: Value): unknown {
  if (value instanceof Unknown || value instanceof Ref) {
    return value.json;
  }
  if (value instanceof Lazy) {
    return toJson(value.materialize());
  }
  if (Array.isArray(value)) {
    return value.map(toJson);
  }
  if (isObjectValue(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: toJson(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (typeof value === 'string') {
    return literalText(value);
  }
  return value;
}

/**
 * A known string as Terraform JSON writes literal text: a `${` or `%{` in it (written `$${` in HCL) is escaped
 * (`$${`, `%%{`), or the checks would read it as a reference or a directive.
 */
export function literalText(text: string): string {
  // Function replacers: in a replacement string, `$$` stands for one `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

function metadataOf(comment: Value | undefined, resource: WrittenResource, display: (file: string) => string): Record<string, unknown> {
  const base = (isObjectValue(comment) ? toJson(comment) : {}) as Record<string, any>;
  const metadata = isObjectValue(base.metadata) || (typeof base.metadata === 'object' && base.metadata !== null) ? base.metadata : {};
  return {
    ...base,
    metadata: { ...metadata, path: metadata.path ?? resource.address, address: resource.address, file: display(resource.file), line: resource.line },
  };
}

function writeInstance(doc: Record<string, any>, module: ModuleInstance, r: ResourceInstance, resources: WrittenResource[]): void {
  const config = r.config;
  const body: Record<string, unknown> = {};
  for (const name of r.configured()) {
    const value = r.get(name);
    if (value !== null && !r.producesNoBlocks(name)) {
      body[name] = toJson(value);
    }
  }
  if (r.expansion) {
    body[config.count ? 'count' : 'for_each'] = r.expansion.json;
  }
  const provider = module.providerRef(config.provider ?? config.type.split('_')[0]);
  if (provider.includes('.')) {
    body.provider = provider;
  }
  if (config.ignoreChanges) {
    body.lifecycle = { ignore_changes: [...config.ignoreChanges] };
  }
  const written: WrittenResource = {
    address: r.address, mode: config.mode, type: config.type, jsonName: r.jsonName, file: config.file, line: config.pos.line,
  };
  body['//'] = metadataOf(config.body.comment, written, module.ctx.display);
  const section = config.mode === 'data' ? 'data' : 'resource';
  doc[section] ??= {};
  doc[section][config.type] ??= {};
  doc[section][config.type][r.jsonName] = body;
  resources.push(written);
}

function writeModule(doc: Record<string, any>, module: ModuleInstance, resources: WrittenResource[]): void {
  for (const key of module.config.resources.keys()) {
    for (const { instance } of module.resourceExpansion(key).instances) {
      writeInstance(doc, module, instance, resources);
    }
  }
  for (const name of module.config.modules.keys()) {
    for (const { instance } of module.moduleExpansion(name).instances) {
      writeModule(doc, instance, resources);
    }
    // A call this command cannot read is written as a module block with its inputs: the checks never read a module
    // block, and report what it may change of the APIM network (lib/checks/opaque.ts).
    const unread = module.unreadCall(name);
    if (unread) {
      const body: Record<string, unknown> = { source: unread.call.source };
      for (const [input, value] of unread.inputs) {
        Object.defineProperty(body, input, { value: toJson(value), enumerable: true, writable: true, configurable: true });
      }
      body['//'] = { metadata: { path: unread.address, address: unread.address, file: module.ctx.display(unread.call.file), line: unread.call.pos.line } };
      doc.module ??= {};
      doc.module[unread.address] = body;
    }
  }
}

/** Write the document of a root module instance. */
export function buildDocument(root: ModuleInstance): BuiltDocument {
  const doc: Record<string, any> = {};
  const resources: WrittenResource[] = [];
  for (const provider of root.config.providers) {
    const body = toJson(evaluateBody(root.ctx, provider.body, root.scope, provider.file, `provider.${provider.name}`)) as Record<string, unknown>;
    delete body['//'];
    doc.provider ??= {};
    doc.provider[provider.name] = [...(doc.provider[provider.name] ?? []), body];
  }
  writeModule(doc, root, resources);
  // Outputs too: another stack of a cdktf app reads them through cross-stack references.
  for (const name of root.config.outputs.keys()) {
    doc.output ??= {};
    doc.output[name] = { value: toJson(root.output(name)) };
  }
  return { document: doc, resources };
}
