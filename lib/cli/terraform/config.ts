/**
 * A Terraform module as its files declare it, whichever syntax they use (`.tf` or `.tf.json`): variables, locals,
 * resources, data sources, module calls, outputs and provider configurations, each with the file and line that
 * declares it. Reading a directory follows Terraform's rules: every `.tf` and `.tf.json` file of the directory (not its
 * subdirectories) is one module, a name declared twice is an error, and `override.tf` / `*_override.tf` files are merged
 * into the declarations they override.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  Attribute, Block, Body, Expr, JsonEntry, JsonNode, Pos, TypeConstraint, Value, jsonToExpr, jsonToValue, literalText,
  parseConfig, parseExpression, parseJson, parseType, printExpression,
} from '../../hcl';

/** Where a declaration is. */
export interface Origin {
  /** Absolute path of the file. */
  readonly file: string;
  readonly pos: Pos;
}

/** A configuration problem that stops reading the input (a syntax error, a name declared twice...). */
export class ConfigError extends Error {
  public constructor(public readonly reason: string, public readonly file: string, public readonly pos?: Pos) {
    super(pos ? `${file}:${pos.line}: ${reason}` : `${file}: ${reason}`);
    this.name = 'ConfigError';
  }
}

/** A `dynamic "type" { for_each, iterator, content }` block. */
export interface DynamicBlock {
  readonly type: string;
  readonly forEach: Expr;
  readonly iterator: string;
  readonly content: BodyConfig;
  readonly pos: Pos;
}

/** The body of a resource or nested block, from either syntax. */
export interface BodyConfig {
  readonly attributes: readonly Attribute[];
  readonly blocks: ReadonlyArray<{ readonly type: string; readonly body: BodyConfig; readonly pos: Pos }>;
  readonly dynamics: readonly DynamicBlock[];
  /** A JSON `"//"` value (cdktf metadata, this library's marker), kept as written. */
  readonly comment?: Value;
}

export interface VariableConfig extends Origin {
  readonly name: string;
  readonly type?: TypeConstraint;
  /** Whether the type constraint is a primitive (or none): `--var` and `TF_VAR_` values are then taken as strings. */
  readonly primitive: boolean;
  readonly default?: Expr;
  readonly hasDefault: boolean;
  readonly nullable: boolean;
}

export interface NamedExpr extends Origin {
  readonly name: string;
  readonly expr: Expr;
}

export interface ResourceConfig extends Origin {
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly count?: Expr;
  readonly forEach?: Expr;
  /** `provider = azurerm.west` as text. */
  readonly provider?: string;
  /**
   * `lifecycle { ignore_changes = [...] }` as the attribute names it lists (`all` for all); an entry that is not a
   * name is kept as `${...}` (unknown to the checks). The checks judge what Terraform keeps from the configuration.
   */
  readonly ignoreChanges?: readonly string[];
  readonly body: BodyConfig;
}

export interface ModuleCallConfig extends Origin {
  readonly name: string;
  readonly source: string;
  readonly count?: Expr;
  readonly forEach?: Expr;
  readonly inputs: readonly NamedExpr[];
  /** `providers = { azurerm = azurerm.hub }`: child name -> parent name. */
  readonly providers: ReadonlyMap<string, string>;
}

export interface ProviderConfig extends Origin {
  readonly name: string;
  readonly alias?: string;
  readonly body: BodyConfig;
}

/** A module's configuration. */
export interface ModuleConfig {
  /** Absolute directory. */
  readonly dir: string;
  /** Absolute paths of the files read. */
  readonly files: string[];
  readonly variables: Map<string, VariableConfig>;
  readonly locals: Map<string, NamedExpr>;
  /** Managed resources and data sources by `type.name` (data sources: `data.type.name`), in source order. */
  readonly resources: Map<string, ResourceConfig>;
  readonly modules: Map<string, ModuleCallConfig>;
  readonly outputs: Map<string, NamedExpr>;
  readonly providers: ProviderConfig[];
}

const META_ARGUMENTS = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle', 'provisioner', 'connection']);

function emptyModule(dir: string): ModuleConfig {
  return { dir, files: [], variables: new Map(), locals: new Map(), resources: new Map(), modules: new Map(), outputs: new Map(), providers: [] };
}

/** A traversal written as an expression (`azurerm.west`), as text. */
function traversalText(expr: Expr, file: string, what: string): string {
  if (expr.kind === 'literal' && typeof expr.value === 'string') {
    return expr.value;
  }
  if (expr.kind === 'template') {
    const text = literalText(expr);
    if (text !== undefined) {
      return text;
    }
  }
  if (expr.kind === 'variable' || expr.kind === 'getattr') {
    return printExpression(expr);
  }
  throw new ConfigError(`${what} must be a reference such as azurerm.west, not ${printExpression(expr)}`, file, expr.pos);
}

function stringLiteral(expr: Expr, file: string, what: string): string {
  const text = expr.kind === 'template' ? literalText(expr) : undefined;
  if (text === undefined) {
    throw new ConfigError(`${what} must be a literal string, not ${printExpression(expr)}`, file, expr.pos);
  }
  return text;
}

// ---- native syntax ---------------------------------------------------------------------------------------------------

function hclBody(body: Body, file: string, skipMeta: boolean): BodyConfig {
  const blocks: Array<{ type: string; body: BodyConfig; pos: Pos }> = [];
  const dynamics: DynamicBlock[] = [];
  for (const block of body.blocks) {
    if (skipMeta && META_ARGUMENTS.has(block.type)) {
      continue;
    }
    if (block.type === 'dynamic') {
      dynamics.push(hclDynamic(block, file));
    } else {
      blocks.push({ type: block.type, body: hclBody(block.body, file, false), pos: block.pos });
    }
  }
  return { attributes: body.attributes.filter((a) => !(skipMeta && META_ARGUMENTS.has(a.name))), blocks, dynamics };
}

function hclDynamic(block: Block, file: string): DynamicBlock {
  if (block.labels.length !== 1) {
    throw new ConfigError('a dynamic block needs exactly one label: the type of the blocks it makes', file, block.pos);
  }
  const forEach = block.body.attributes.find((a) => a.name === 'for_each');
  const content = block.body.blocks.find((b) => b.type === 'content');
  if (!forEach || !content) {
    throw new ConfigError(`the dynamic "${block.labels[0]}" block needs for_each and a content block`, file, block.pos);
  }
  const iterator = block.body.attributes.find((a) => a.name === 'iterator');
  return {
    type: block.labels[0],
    forEach: forEach.expr,
    iterator: iterator ? traversalText(iterator.expr, file, 'iterator') : block.labels[0],
    content: hclBody(content.body, file, false),
    pos: block.pos,
  };
}

function attribute(body: Body, name: string): Attribute | undefined {
  return body.attributes.find((a) => a.name === name);
}

/** `lifecycle { ignore_changes = ... }` of an HCL resource block: `all`, or the attribute names listed. */
function hclIgnoreChanges(body: Body): string[] | undefined {
  const lifecycle = body.blocks.find((b) => b.type === 'lifecycle');
  const ignore = lifecycle ? attribute(lifecycle.body, 'ignore_changes')?.expr : undefined;
  if (!ignore) {
    return undefined;
  }
  const name = (expr: Expr): string => {
    if (expr.kind === 'template') {
      // The legacy quoted form, "security_rule".
      return literalText(expr) ?? `\${${printExpression(expr)}}`;
    }
    return expr.kind === 'variable' || expr.kind === 'getattr' || expr.kind === 'index' ? printExpression(expr) : `\${${printExpression(expr)}}`;
  };
  return ignore.kind === 'tuple' ? ignore.items.map(name) : [name(ignore)];
}

/** `lifecycle.ignore_changes` of a JSON resource: the strings it lists (`"all"`, or `["security_rule"]`). */
function jsonIgnoreChanges(lifecycle: JsonNode | undefined, file: string, what: string): string[] | undefined {
  if (!lifecycle) {
    return undefined;
  }
  const ignore = objectsOf(lifecycle, file, `${what} lifecycle`).flatMap((fields) => fields.filter((f) => f.key === 'ignore_changes'))[0]?.value;
  if (!ignore) {
    return undefined;
  }
  const value = jsonToValue(ignore);
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (typeof v === 'string' ? v : '${(an entry that is not a name)}'));
}

function readHcl(module: ModuleConfig, src: string, file: string, override: boolean): void {
  const body = parseConfig(src, file);
  if (body.attributes.length > 0) {
    const a = body.attributes[0];
    throw new ConfigError(`"${a.name} = ..." at the top level: a configuration file holds blocks (did you mean a .tfvars file?)`, file, a.pos);
  }
  for (const block of body.blocks) {
    const origin = { file, pos: block.pos };
    const labels = (n: number) => {
      if (block.labels.length !== n) {
        throw new ConfigError(`a ${block.type} block needs ${n} label(s), found ${block.labels.length}`, file, block.pos);
      }
      return block.labels;
    };
    switch (block.type) {
      case 'variable': {
        const [name] = labels(1);
        const type = attribute(block.body, 'type');
        const def = attribute(block.body, 'default');
        const nullable = attribute(block.body, 'nullable');
        declare(module, 'variables', name, {
          ...origin, name, ...typeOf(type?.expr, file), default: def?.expr, hasDefault: def !== undefined,
          // An override that does not set nullable keeps the original's.
          nullable: override && !nullable ? undefined : !(nullable && nullable.expr.kind === 'literal' && nullable.expr.value === false),
        }, override);
        break;
      }
      case 'locals':
        for (const a of block.body.attributes) {
          declare(module, 'locals', a.name, { file, pos: a.pos, name: a.name, expr: a.expr }, override);
        }
        break;
      case 'output': {
        const [name] = labels(1);
        const value = attribute(block.body, 'value');
        if (!value && !override) {
          throw new ConfigError(`the output "${name}" has no value`, file, block.pos);
        }
        declare(module, 'outputs', name, { ...origin, name, expr: value?.expr }, override);
        break;
      }
      case 'resource':
      case 'data': {
        const [type, name] = labels(2);
        const mode = block.type === 'data' ? 'data' : 'managed';
        const provider = attribute(block.body, 'provider');
        declare(module, 'resources', `${mode === 'data' ? 'data.' : ''}${type}.${name}`, {
          ...origin, mode, type, name,
          count: attribute(block.body, 'count')?.expr,
          forEach: attribute(block.body, 'for_each')?.expr,
          provider: provider ? traversalText(provider.expr, file, 'provider') : undefined,
          ignoreChanges: hclIgnoreChanges(block.body),
          body: hclBody(block.body, file, true),
        }, override);
        break;
      }
      case 'module': {
        const [name] = labels(1);
        const source = attribute(block.body, 'source');
        // An override block sets only what it overrides: the source may stay the original's.
        if (!source && !override) {
          throw new ConfigError(`the module "${name}" has no source`, file, block.pos);
        }
        const providers = new Map<string, string>();
        const providersAttr = attribute(block.body, 'providers');
        if (providersAttr) {
          if (providersAttr.expr.kind !== 'object') {
            throw new ConfigError('providers must be an object such as { azurerm = azurerm.hub }', file, providersAttr.pos);
          }
          for (const item of providersAttr.expr.items) {
            providers.set(traversalText(item.key, file, 'a providers key'), traversalText(item.value, file, 'a providers value'));
          }
        }
        declare(module, 'modules', name, {
          ...origin, name, source: source ? stringLiteral(source.expr, file, 'a module source') : undefined,
          count: attribute(block.body, 'count')?.expr,
          forEach: attribute(block.body, 'for_each')?.expr,
          inputs: block.body.attributes
            .filter((a) => !['source', 'version', 'count', 'for_each', 'providers', 'depends_on'].includes(a.name))
            .map((a) => ({ file, pos: a.pos, name: a.name, expr: a.expr })),
          providers,
        }, override);
        break;
      }
      case 'provider': {
        const [name] = labels(1);
        const alias = attribute(block.body, 'alias');
        declareProvider(module, { ...origin, name, alias: alias ? stringLiteral(alias.expr, file, 'alias') : undefined, body: hclBody(block.body, file, false) }, override);
        break;
      }
      default:
        // terraform, moved, import, removed, check: nothing the checks read.
        break;
    }
  }
}

function typeOf(expr: Expr | undefined, file: string): { type?: TypeConstraint; primitive: boolean } {
  if (!expr) {
    return { primitive: true };
  }
  try {
    const type = parseType(expr);
    return { type, primitive: ['any', 'string', 'number', 'bool'].includes(type.kind) };
  } catch (e) {
    throw new ConfigError((e as Error).message, file, expr.pos);
  }
}

// ---- JSON syntax -----------------------------------------------------------------------------------------------------

/** The objects of a JSON node that may be an object or an array of objects (both are valid at every block level). */
function objectsOf(node: JsonNode, file: string, what: string): JsonEntry[][] {
  if (node.kind === 'object') {
    return [[...node.entries]];
  }
  if (node.kind === 'array' && node.items.every((i) => i.kind === 'object')) {
    return node.items.map((i) => [...(i as Extract<JsonNode, { kind: 'object' }>).entries]);
  }
  throw new ConfigError(`${what} must be a JSON object`, file, node.pos);
}

function entriesOf(node: JsonNode, file: string, what: string): JsonEntry[] {
  return objectsOf(node, file, what).flat();
}

function jsonString(node: JsonNode, file: string, what: string): string {
  if (node.kind !== 'string') {
    throw new ConfigError(`${what} must be a string`, file, node.pos);
  }
  return node.value;
}

function jsonBody(entries: readonly JsonEntry[], file: string, skipMeta: boolean): BodyConfig {
  const attributes: Attribute[] = [];
  const dynamics: DynamicBlock[] = [];
  let comment: Value | undefined;
  for (const entry of entries) {
    if (entry.key === '//') {
      comment = jsonToValue(entry.value);
    } else if (entry.key === 'dynamic') {
      for (const { key: type, value, keyPos } of entriesOf(entry.value, file, 'dynamic')) {
        for (const fields of objectsOf(value, file, `dynamic "${type}"`)) {
          const get = (name: string) => fields.find((f) => f.key === name)?.value;
          const forEach = get('for_each');
          const content = get('content');
          if (!forEach || !content) {
            throw new ConfigError(`the dynamic "${type}" block needs for_each and content`, file, keyPos);
          }
          const iterator = get('iterator');
          dynamics.push({
            type, forEach: jsonToExpr(forEach, file), iterator: iterator ? jsonString(iterator, file, 'iterator') : type,
            content: jsonBody(entriesOf(content, file, 'content'), file, false), pos: keyPos,
          });
        }
      }
    } else if (!(skipMeta && META_ARGUMENTS.has(entry.key))) {
      attributes.push({ name: entry.key, expr: jsonToExpr(entry.value, file), pos: entry.keyPos });
    }
  }
  return { attributes, blocks: [], dynamics, comment };
}

function readJson(module: ModuleConfig, src: string, file: string, override: boolean): void {
  const root = parseJson(src, file);
  for (const { key, value } of entriesOf(root, file, 'a Terraform JSON file')) {
    switch (key) {
      case 'variable':
        for (const { key: name, value: v, keyPos: pos } of entriesOf(value, file, 'variable')) {
          const fields = entriesOf(v, file, `variable "${name}"`);
          const get = (f: string) => fields.find((e) => e.key === f)?.value;
          const type = get('type');
          const def = get('default');
          const nullable = get('nullable');
          declare(module, 'variables', name, {
            file, pos, name,
            ...typeOf(type ? jsonTypeExpr(type, file) : undefined, file),
            // A default in JSON is a literal value, not a template.
            default: def ? valueExpr(jsonToValue(def), def.pos) : undefined,
            hasDefault: def !== undefined,
            nullable: override && !nullable ? undefined : !(nullable?.kind === 'bool' && !nullable.value),
          }, override);
        }
        break;
      case 'locals':
        for (const { key: name, value: v, keyPos: pos } of entriesOf(value, file, 'locals')) {
          declare(module, 'locals', name, { file, pos, name, expr: jsonToExpr(v, file) }, override);
        }
        break;
      case 'output':
        for (const { key: name, value: v, keyPos: pos } of entriesOf(value, file, 'output')) {
          const expr = entriesOf(v, file, `output "${name}"`).find((e) => e.key === 'value');
          if (!expr && !override) {
            throw new ConfigError(`the output "${name}" has no value`, file, pos);
          }
          declare(module, 'outputs', name, { file, pos, name, expr: expr ? jsonToExpr(expr.value, file) : undefined }, override);
        }
        break;
      case 'resource':
      case 'data':
        for (const { key: type, value: byName } of entriesOf(value, file, key)) {
          for (const { key: name, value: v, keyPos: pos } of entriesOf(byName, file, `${key} "${type}"`)) {
            const fields = entriesOf(v, file, `${type}.${name}`);
            const get = (f: string) => fields.find((e) => e.key === f)?.value;
            const provider = get('provider');
            const count = get('count');
            const forEach = get('for_each');
            const mode = key === 'data' ? 'data' : 'managed';
            declare(module, 'resources', `${mode === 'data' ? 'data.' : ''}${type}.${name}`, {
              file, pos, mode, type, name,
              count: count ? jsonToExpr(count, file) : undefined,
              forEach: forEach ? jsonToExpr(forEach, file) : undefined,
              provider: provider ? jsonString(provider, file, 'provider').replace(/^\$\{(.*)\}$/, '$1') : undefined,
              ignoreChanges: jsonIgnoreChanges(get('lifecycle'), file, `${type}.${name}`),
              body: jsonBody(fields, file, true),
            }, override);
          }
        }
        break;
      case 'module':
        for (const { key: name, value: v, keyPos: pos } of entriesOf(value, file, 'module')) {
          const fields = entriesOf(v, file, `module "${name}"`);
          const get = (f: string) => fields.find((e) => e.key === f)?.value;
          const source = get('source');
          if (!source && !override) {
            throw new ConfigError(`the module "${name}" has no source`, file, pos);
          }
          const providersNode = get('providers');
          const providers = new Map<string, string>();
          for (const p of providersNode ? entriesOf(providersNode, file, 'providers') : []) {
            providers.set(p.key, jsonString(p.value, file, 'a providers value').replace(/^\$\{(.*)\}$/, '$1'));
          }
          const count = get('count');
          const forEach = get('for_each');
          declare(module, 'modules', name, {
            file, pos, name, source: source ? jsonString(source, file, 'source') : undefined,
            count: count ? jsonToExpr(count, file) : undefined,
            forEach: forEach ? jsonToExpr(forEach, file) : undefined,
            inputs: fields.filter((f) => !['source', 'version', 'count', 'for_each', 'providers', 'depends_on', '//'].includes(f.key))
              .map((f) => ({ file, pos: f.keyPos, name: f.key, expr: jsonToExpr(f.value, file) })),
            providers,
          }, override);
        }
        break;
      case 'provider':
        for (const { key: name, value: v, keyPos: pos } of entriesOf(value, file, 'provider')) {
          for (const fields of objectsOf(v, file, `provider "${name}"`)) {
            const alias = fields.find((e) => e.key === 'alias')?.value;
            declareProvider(module, { file, pos, name, alias: alias ? jsonString(alias, file, 'alias') : undefined, body: jsonBody(fields, file, false) }, override);
          }
        }
        break;
      default:
        // "//", terraform, moved, import, removed, check
        break;
    }
  }
}

/** `"type": "list(string)"` in JSON is a type expression written as a string. */
function jsonTypeExpr(node: JsonNode, file: string): Expr {
  const text = jsonString(node, file, 'type');
  const match = /^\$\{(.*)\}$/s.exec(text);
  return parseExpressionAt(match ? match[1] : text, file, node.pos);
}

function parseExpressionAt(text: string, file: string, pos: Pos): Expr {
  return parseExpression(text, { file, line: pos.line, column: pos.column + 1 });
}

/** A literal value as an expression (JSON defaults). */
export function valueExpr(value: Value, pos: Pos): Expr {
  if (Array.isArray(value)) {
    return { kind: 'tuple', items: value.map((v) => valueExpr(v, pos)), pos };
  }
  if (value !== null && typeof value === 'object') {
    return { kind: 'object', items: Object.entries(value).map(([k, v]) => ({ key: { kind: 'literal', value: k, pos }, value: valueExpr(v as Value, pos) })), pos };
  }
  if (typeof value === 'string') {
    return { kind: 'template', parts: value === '' ? [] : [{ kind: 'text', value }], pos };
  }
  return { kind: 'literal', value: value as null | boolean | number, pos };
}

// ---- declarations and overrides --------------------------------------------------------------------------------------

type Kind = 'variables' | 'locals' | 'outputs' | 'resources' | 'modules';
const KIND_NAMES: Record<Kind, string> = { variables: 'variable', locals: 'local value', outputs: 'output', resources: 'resource', modules: 'module call' };

function declare<T extends Origin>(module: ModuleConfig, kind: Kind, name: string, value: T, override: boolean): void {
  const map = module[kind] as unknown as Map<string, T>;
  const previous = map.get(name);
  if (override) {
    if (!previous) {
      throw new ConfigError(`the override of ${KIND_NAMES[kind]} "${name}" overrides nothing: no such declaration in the module`, value.file, value.pos);
    }
    map.set(name, mergeOverride(previous, value));
    return;
  }
  if (previous) {
    throw new ConfigError(
      `${KIND_NAMES[kind]} "${name}" is declared twice: first at ${path.basename(previous.file)}:${previous.pos.line}`, value.file, value.pos);
  }
  map.set(name, value);
}

/** A provider configuration; in an override file, merged into the one of the same name and alias. */
function declareProvider(module: ModuleConfig, provider: ProviderConfig, override: boolean): void {
  if (!override) {
    module.providers.push(provider);
    return;
  }
  const index = module.providers.findIndex((p) => p.name === provider.name && p.alias === provider.alias);
  if (index < 0) {
    const which = `provider "${provider.name}"${provider.alias ? ` (alias ${provider.alias})` : ''}`;
    throw new ConfigError(`the override of ${which} overrides nothing: no such declaration in the module`, provider.file, provider.pos);
  }
  const original = module.providers[index];
  module.providers[index] = { ...original, body: mergeBodies(original.body, provider.body) };
}

/**
 * Terraform's override merge: arguments of the override replace the original's; a nested block type present in the
 * override replaces every block of that type in the original.
 */
function mergeOverride<T>(original: T, override: T): T {
  const o = original as any;
  const v = override as any;
  const merged: any = { ...o };
  for (const key of ['type', 'primitive', 'default', 'hasDefault', 'nullable', 'expr', 'count', 'forEach', 'provider', 'ignoreChanges', 'source', 'providers']) {
    if (v[key] !== undefined && (key !== 'hasDefault' || v.hasDefault) && (key !== 'primitive' || v.type !== undefined)) {
      merged[key] = v[key];
    }
  }
  if (o.inputs && v.inputs) {
    const names = new Set(v.inputs.map((i: NamedExpr) => i.name));
    merged.inputs = [...o.inputs.filter((i: NamedExpr) => !names.has(i.name)), ...v.inputs];
  }
  if (o.body && v.body) {
    merged.body = mergeBodies(o.body, v.body);
  }
  return merged;
}

function mergeBodies(original: BodyConfig, override: BodyConfig): BodyConfig {
  const names = new Set(override.attributes.map((a) => a.name));
  const types = new Set([...override.blocks.map((b) => b.type), ...override.dynamics.map((d) => d.type)]);
  return {
    attributes: [...original.attributes.filter((a) => !names.has(a.name)), ...override.attributes],
    blocks: [...original.blocks.filter((b) => !types.has(b.type)), ...override.blocks],
    dynamics: [...original.dynamics.filter((d) => !types.has(d.type)), ...override.dynamics],
    comment: override.comment ?? original.comment,
  };
}

// ---- files and directories -------------------------------------------------------------------------------------------

/** Whether a file name is a Terraform configuration file. */
export function isConfigFile(name: string): boolean {
  return (name.endsWith('.tf') || name.endsWith('.tf.json')) && !name.startsWith('.');
}

function isOverride(name: string): boolean {
  const base = name.replace(/\.tf(\.json)?$/, '');
  return base === 'override' || base.endsWith('_override');
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
  }
}

function readInto(module: ModuleConfig, file: string, override: boolean): void {
  const src = readFile(file);
  try {
    if (file.endsWith('.json')) {
      readJson(module, src, file, override);
    } else {
      readHcl(module, src, file, override);
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      throw e;
    }
    if (e instanceof RangeError) {
      throw new ConfigError(`nests too deeply to be read (${e.message})`, file);
    }
    const err = e as { reason?: string; pos?: Pos; message: string };
    throw new ConfigError(err.reason ?? err.message, file, err.pos);
  }
  module.files.push(file);
}

/** Whether a name of a module directory is a file (a directory named x.tf is not); a broken symbolic link is refused. */
function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch (e) {
    let target: string | undefined;
    try {
      target = fs.readlinkSync(file);
    } catch {
      target = undefined;
    }
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new ConfigError(target !== undefined && code === 'ENOENT' ? `cannot be read: it is a symbolic link to ${target}, which does not exist` : `cannot be read: ${code}`, file);
  }
}

/** Read the files of a module directory (or one file), as Terraform merges them. */
export function readModule(target: string, onFile?: (file: string) => void): ModuleConfig {
  const stat = fs.statSync(target);
  const dir = stat.isDirectory() ? target : path.dirname(target);
  const module = emptyModule(path.resolve(dir));
  const names = stat.isDirectory() ? fs.readdirSync(target).filter(isConfigFile).sort() : [path.basename(target)];
  const files = names.map((n) => path.resolve(dir, n)).filter((f) => !stat.isDirectory() || isFile(f));
  for (const file of files.filter((f) => !isOverride(path.basename(f)))) {
    readInto(module, file, false);
    onFile?.(file);
  }
  for (const file of files.filter((f) => isOverride(path.basename(f)))) {
    readInto(module, file, true);
    onFile?.(file);
  }
  return module;
}
