/**
 * What the command reads: each path on the command line becomes one or more Terraform JSON documents (one per root
 * module or cdktf stack), or an error that names the path and the reason (exit code 2).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, isConfigFile } from './terraform/config';
import { WrittenResource } from './terraform/document';
import { Diagnostic } from './terraform/instance';
import { loadRootModule } from './terraform/load';
import { VariableArgument } from './terraform/variables';
import { isPlan, readPlan } from './plan';

/** Kinds of input. */
export type InputKind = 'terraform' | 'cdktf-out' | 'plan';

/** One document to check. */
export interface CheckedDocument {
  readonly document: Record<string, any>;
  readonly resources: readonly WrittenResource[];
  /** The root module directory, stack name or plan file, as messages show it. */
  readonly name: string;
}

/** What one path on the command line gave. */
export interface LoadedInput {
  readonly path: string;
  readonly kind: InputKind;
  readonly documents: CheckedDocument[];
  readonly files: string[];
  readonly diagnostics: Diagnostic[];
  /** Root variables used without a value: `var.name (file:line)`. */
  readonly unsetVariables: string[];
  readonly remoteModules: string[];
}

/** An input that cannot be read: the message names the file and why. */
export class InputError extends Error {
  public constructor(public readonly file: string, public readonly reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'InputError';
  }
}

/** Options of `loadInput`. */
export interface InputOptions {
  readonly variables: readonly VariableArgument[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly display: (file: string) => string;
  readonly onFile?: (file: string) => void;
}

function isCdktfOut(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'manifest.json')) && fs.existsSync(path.join(dir, 'stacks'));
}

/** Subdirectories (two levels down) that hold Terraform files: hints for a folder that holds none. */
function configFolders(dir: string, display: (f: string) => string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules') {
        continue;
      }
      const sub = path.join(d, e.name);
      if (isCdktfOut(sub) || fs.readdirSync(sub).some(isConfigFile)) {
        out.push(display(sub));
      } else if (depth < 2) {
        walk(sub, depth + 1);
      }
    }
  };
  walk(dir, 1);
  return out.slice(0, 5);
}

function fromModule(target: string, options: InputOptions, name: string) {
  const loaded = loadRootModule(target, options);
  return {
    document: { document: loaded.document, resources: loaded.resources, name },
    files: loaded.files,
    diagnostics: loaded.diagnostics,
    unsetVariables: [...loaded.unsetVariables].map(([v, where]) => `var.${v} (${where})`),
    remoteModules: loaded.remoteModules,
  };
}

/** The stacks a cdktf manifest lists, checked to be what cdktf writes. */
function manifestStacks(manifest: unknown, shown: string): Array<[string, { synthesizedStackPath?: string; constructPath?: string }]> {
  const refuse = (what: string) => new InputError(shown, `is not a cdktf manifest: ${what}`);
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : JSON.stringify(v));
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw refuse(`it holds ${kind(manifest)}, not an object with "stacks"`);
  }
  const stacks = (manifest as { stacks?: unknown }).stacks ?? {};
  if (stacks === null || typeof stacks !== 'object' || Array.isArray(stacks)) {
    throw refuse(`its "stacks" is ${kind(stacks)}, not an object`);
  }
  return Object.entries(stacks).map(([name, stack]) => {
    if (stack === null || typeof stack !== 'object' || Array.isArray(stack)) {
      throw refuse(`the stack "${name}" is ${kind(stack)}, not an object`);
    }
    const file = (stack as { synthesizedStackPath?: unknown }).synthesizedStackPath;
    if (file !== undefined && typeof file !== 'string') {
      throw refuse(`the synthesizedStackPath of the stack "${name}" is ${kind(file)}, not a path`);
    }
    const constructPath = (stack as { constructPath?: unknown }).constructPath;
    if (constructPath !== undefined && (typeof constructPath !== 'string' || constructPath === '')) {
      throw refuse(`the constructPath of the stack "${name}" is ${kind(constructPath)}, not a construct path`);
    }
    return [name, stack as { synthesizedStackPath?: string; constructPath?: string }];
  });
}

function readStacks(dir: string, options: InputOptions): LoadedInput {
  const manifestFile = path.join(dir, 'manifest.json');
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch (e) {
    throw new InputError(options.display(manifestFile), `cannot be read as a cdktf manifest: ${(e as Error).message}`);
  }
  const stacks = manifestStacks(manifest, options.display(manifestFile));
  if (stacks.length === 0) {
    throw new InputError(options.display(manifestFile), 'lists no stack (run cdktf synth first)');
  }
  const out: LoadedInput = { path: options.display(dir), kind: 'cdktf-out', documents: [], files: [manifestFile], diagnostics: [], unsetVariables: [], remoteModules: [] };
  for (const [name, stack] of stacks) {
    const file = path.join(dir, stack.synthesizedStackPath ?? path.join('stacks', name, 'cdk.tf.json'));
    if (!fs.existsSync(file)) {
      throw new InputError(options.display(file), `is listed for the stack "${name}" in manifest.json but does not exist (with cdktf synth --hcl, point this command at the stack's folder)`);
    }
    // Named by construct path, as cdktf names the remote state other stacks read it through (a stack inside another,
    // listed as "n", is "p/n": its remote state is "p--n").
    const loaded = fromModule(file, options, stack.constructPath ?? name);
    out.documents.push(loaded.document);
    out.files.push(...loaded.files);
    out.diagnostics.push(...loaded.diagnostics);
    out.unsetVariables.push(...loaded.unsetVariables.map((v) => `${v} in stack ${name}`));
    out.remoteModules.push(...loaded.remoteModules);
  }
  return out;
}

function readJsonFile(file: string, options: InputOptions): LoadedInput | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(options.display(file), `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let head: unknown;
  try {
    head = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlan(head)) {
    return undefined;
  }
  const plan = readPlan(text, file, options.display);
  options.onFile?.(file);
  return {
    path: options.display(file), kind: 'plan', documents: [{ document: plan.document, resources: plan.resources, name: options.display(file) }],
    files: [file], diagnostics: [], unsetVariables: [], remoteModules: [],
  };
}

function looksBinary(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(512);
    const n = fs.readSync(fd, buffer, 0, 512, 0);
    return buffer.subarray(0, n).includes(0) || (n >= 2 && buffer[0] === 0x50 && buffer[1] === 0x4b);
  } finally {
    fs.closeSync(fd);
  }
}

function load(target: string, options: InputOptions): LoadedInput {
  const shown = options.display(target);
  if (!fs.existsSync(target)) {
    throw new InputError(shown, 'does not exist');
  }
  const stat = fs.statSync(target);
  if (stat.isDirectory()) {
    if (isCdktfOut(target)) {
      return readStacks(target, options);
    }
    if (!fs.readdirSync(target).some(isConfigFile)) {
      const hints = configFolders(target, options.display);
      throw new InputError(shown, `holds no .tf or .tf.json file and is not a cdktf.out folder${hints.length > 0 ? ` (Terraform reads one folder at a time; folders below with Terraform files: ${hints.join(', ')})` : ''}`);
    }
    const loaded = fromModule(target, options, shown);
    return { path: shown, kind: 'terraform', documents: [loaded.document], ...loaded };
  }
  if (target.endsWith('.json')) {
    const plan = readJsonFile(target, options);
    if (plan) {
      return plan;
    }
    if (!target.endsWith('.tf.json')) {
      throw new InputError(shown, 'is neither a Terraform plan in JSON (terraform show -json) nor a .tf.json configuration');
    }
  }
  if (target.endsWith('.tf') || target.endsWith('.tf.json')) {
    const loaded = fromModule(target, options, shown);
    return { path: shown, kind: 'terraform', documents: [loaded.document], ...loaded };
  }
  if (looksBinary(target)) {
    throw new InputError(shown, 'is a binary plan file: export it with "terraform show -json <plan> > plan.json" and check plan.json');
  }
  throw new InputError(shown, 'is not a .tf, .tf.json or cdk.tf.json file, a plan in JSON, or a folder');
}

/** Read one path of the command line (`-`, standard input, is refused with the way to give a plan). */
export function loadInput(target: string, options: InputOptions): LoadedInput {
  try {
    return load(path.resolve(target), options);
  } catch (e) {
    if (e instanceof ConfigError) {
      const where = e.pos ? `${options.display(e.file)}:${e.pos.line}` : options.display(e.file);
      throw new InputError(where, e.reason);
    }
    // The file system refused something the checks above did not foresee (a permission, a device): say which file.
    const errno = e as NodeJS.ErrnoException;
    if (typeof errno?.code === 'string' && typeof errno.path === 'string') {
      throw new InputError(options.display(errno.path), `cannot be read: ${errno.code}`);
    }
    if (e instanceof RangeError) {
      throw new InputError(options.display(target), `nests too deeply to be read (${e.message})`);
    }
    throw e;
  }
}

/** The message for `-` on the command line. */
export const STDIN_REASON = 'standard input is not read: save the plan to a file (terraform show -json plan.out > plan.json) and check that file';
