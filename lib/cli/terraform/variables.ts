/**
 * Values of a root module's variables, collected as Terraform collects them, lowest precedence first: `TF_VAR_name`
 * environment variables, `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars` and `*.auto.tfvars.json` in
 * lexical order, then `--var` and `--var-file` in the order given on the command line. A later source wins.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Value, evaluate, jsonToValue, parseConfig, parseExpression, parseJson, scopeOf } from '../../hcl';
import { ConfigError, VariableConfig } from './config';

/** A value as a source gave it: already typed (tfvars), or raw text whose reading depends on the variable's type. */
export type RawValue = { readonly kind: 'value'; readonly value: Value } | { readonly kind: 'text'; readonly text: string };

/** A variable's value and where it came from (`terraform.tfvars:3`, `--var`, `TF_VAR_location`). */
export interface VariableValue {
  readonly raw: RawValue;
  readonly source: string;
}

/** A `--var` or `--var-file` argument, in command-line order. */
export type VariableArgument = { readonly kind: 'var'; readonly text: string } | { readonly kind: 'file'; readonly path: string };

/** Read a variable definitions file (`.tfvars` or `.tfvars.json`). */
export function readVarFile(file: string, display: string): Map<string, VariableValue> {
  let src: string;
  try {
    src = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
  }
  const out = new Map<string, VariableValue>();
  try {
    if (file.endsWith('.json')) {
      const doc = parseJson(src, file);
      if (doc.kind !== 'object') {
        throw new ConfigError('a .tfvars.json file holds one JSON object of variable values', file, doc.pos);
      }
      for (const entry of doc.entries) {
        out.set(entry.key, { raw: { kind: 'value', value: jsonToValue(entry.value) }, source: `${display}:${entry.keyPos.line}` });
      }
      return out;
    }
    const body = parseConfig(src, file);
    if (body.blocks.length > 0) {
      throw new ConfigError(`a variable definitions file holds only "name = value" lines, not a "${body.blocks[0].type}" block`, file, body.blocks[0].pos);
    }
    for (const attribute of body.attributes) {
      // Variable values are constants: no references (an empty scope), functions allowed.
      const value = evaluate(attribute.expr, scopeOf({}));
      out.set(attribute.name, { raw: { kind: 'value', value }, source: `${display}:${attribute.pos.line}` });
    }
  } catch (e) {
    if (e instanceof ConfigError) {
      throw e;
    }
    const err = e as { reason?: string; pos?: { line: number; column: number }; message: string };
    throw new ConfigError(err.reason ?? err.message, file, err.pos);
  }
  return out;
}

/** The tfvars files Terraform loads by itself from a root module directory, in order. */
export function autoVarFiles(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const auto = names.filter((n) => n.endsWith('.auto.tfvars') || n.endsWith('.auto.tfvars.json')).sort();
  return [...['terraform.tfvars', 'terraform.tfvars.json'].filter((n) => names.includes(n)), ...auto].map((n) => path.join(dir, n));
}

/** Options of `collectVariables`. */
export interface CollectOptions {
  /** `--var` and `--var-file` arguments, in order. */
  readonly args: readonly VariableArgument[];
  /** Environment (for `TF_VAR_name`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Load terraform.tfvars and *.auto.tfvars from this directory. */
  readonly autoLoadDir?: string;
  /** Turn an absolute path into what messages show. */
  readonly display: (file: string) => string;
}

/** Every variable value of a root module, the winning source for each name. */
export function collectVariables(options: CollectOptions): { values: Map<string, VariableValue>; files: string[] } {
  const values = new Map<string, VariableValue>();
  const files: string[] = [];
  for (const [key, text] of Object.entries(options.env)) {
    if (key.startsWith('TF_VAR_') && text !== undefined) {
      values.set(key.slice('TF_VAR_'.length), { raw: { kind: 'text', text }, source: key });
    }
  }
  const load = (file: string) => {
    files.push(file);
    for (const [name, value] of readVarFile(file, options.display(file))) {
      values.set(name, value);
    }
  };
  if (options.autoLoadDir) {
    autoVarFiles(options.autoLoadDir).forEach(load);
  }
  for (const arg of options.args) {
    if (arg.kind === 'file') {
      load(path.resolve(arg.path));
      continue;
    }
    const eq = arg.text.indexOf('=');
    values.set(arg.text.slice(0, eq), { raw: { kind: 'text', text: arg.text.slice(eq + 1) }, source: '--var' });
  }
  return { values, files };
}

/**
 * The value of a raw source for a declared variable. Text from `--var` or the environment is the string itself when
 * the type is primitive (or not given), and an HCL expression otherwise, as Terraform reads it.
 */
export function resolveRaw(raw: RawValue, variable: VariableConfig | undefined, source: string): Value {
  if (raw.kind === 'value') {
    return raw.value;
  }
  if (!variable || variable.primitive) {
    return raw.text;
  }
  try {
    return evaluate(parseExpression(raw.text, { file: source }), scopeOf({}));
  } catch (e) {
    throw new ConfigError(`the value of var.${variable.name} is not a valid expression for its type: ${(e as Error).message}`, source);
  }
}
