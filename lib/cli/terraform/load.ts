/**
 * Load a root module (a directory of `.tf`/`.tf.json` files, or one such file, such as a cdktf stack's cdk.tf.json)
 * with its variable values, evaluate it, and write it as one Terraform JSON document for the checks.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, ModuleConfig, readModule } from './config';
import { BuiltDocument, buildDocument } from './document';
import { Diagnostic, LoadContext, ModuleInstance, NameRegistry } from './instance';
import { VariableArgument, collectVariables, resolveRaw } from './variables';

/** Options of `loadRootModule`. */
export interface LoadOptions {
  /** `--var` and `--var-file` arguments in command-line order. */
  readonly variables: readonly VariableArgument[];
  /** Environment, for `TF_VAR_name`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Turn an absolute path into what messages show. */
  readonly display: (file: string) => string;
  /** Called for each file read. */
  readonly onFile?: (file: string) => void;
}

/** A loaded root module. */
export interface LoadedModule extends BuiltDocument {
  /** Every file read: configuration of the root and called modules, and variable files. */
  readonly files: string[];
  readonly diagnostics: Diagnostic[];
  /** Root variables that were used without a value: name -> where declared. */
  readonly unsetVariables: ReadonlyMap<string, string>;
  /** Module calls whose source this command could not read (remote, not installed). */
  readonly remoteModules: string[];
}

/** Directories of modules `terraform init` installed, by key (`net`, `net.subnets`). */
function installedModules(rootDir: string): Map<string, string> {
  const manifest = path.join(rootDir, '.terraform', 'modules', 'modules.json');
  const out = new Map<string, string>();
  if (!fs.existsSync(manifest)) {
    return out;
  }
  try {
    const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { Modules?: Array<{ Key?: string; Dir?: string }> };
    for (const m of parsed.Modules ?? []) {
      if (m.Key && m.Dir) {
        out.set(m.Key, path.resolve(rootDir, m.Dir));
      }
    }
  } catch (e) {
    throw new ConfigError(`cannot be read as the module manifest of terraform init: ${(e as Error).message}`, manifest);
  }
  return out;
}

function remoteCalls(module: ModuleInstance, out: string[]): void {
  for (const name of module.config.modules.keys()) {
    const expansion = module.moduleExpansion(name);
    if (expansion.remote) {
      out.push(`${module.prefix}module.${name} (${module.config.modules.get(name)!.source})`);
    }
    expansion.instances.forEach((i) => remoteCalls(i.instance, out));
  }
}

/** Load, evaluate and write a root module. `target` is a directory or a single configuration file. */
export function loadRootModule(target: string, options: LoadOptions): LoadedModule {
  const isDir = fs.statSync(target).isDirectory();
  const files: string[] = [];
  const onFile = (file: string) => {
    files.push(file);
    options.onFile?.(file);
  };
  const config: ModuleConfig = readModule(target, onFile);
  if (config.files.length === 0) {
    throw new ConfigError('holds no .tf or .tf.json file', path.resolve(target));
  }
  const diagnostics: Diagnostic[] = [];
  const variables = collectVariables({ args: options.variables, env: options.env, autoLoadDir: isDir ? config.dir : undefined, display: options.display });
  variables.files.forEach(onFile);
  for (const [name, value] of variables.values) {
    if (!config.variables.has(name) && !value.source.startsWith('TF_VAR_')) {
      diagnostics.push({ message: `a value is given for var.${name} (${value.source}), but the root module declares no such variable` });
    }
  }
  const ctx: LoadContext = {
    names: new NameRegistry(),
    diagnostics,
    rootDir: config.dir,
    installedModules: installedModules(config.dir),
    configs: new Map([[config.dir, config]]),
    onFile,
    unsetVariables: new Map(),
    display: options.display,
  };
  const root = new ModuleInstance(ctx, config, '', '', (name) => {
    const value = variables.values.get(name);
    return value ? resolveRaw(value.raw, config.variables.get(name), value.source) : undefined;
  }, new Map());
  // Root resources without count or for_each keep their own names in the document: claim them first.
  for (const [key, resource] of config.resources) {
    if (!resource.count && !resource.forEach) {
      root.resourceExpansion(key);
    }
  }
  const built = buildDocument(root);
  const remoteModules: string[] = [];
  remoteCalls(root, remoteModules);
  return { ...built, files, diagnostics, unsetVariables: ctx.unsetVariables, remoteModules };
}
