/**
 * The command line of `cdktf-apim-network check`: options in any order, `--opt value` or `--opt=value`, repeatable
 * `--var` and `--var-file` kept in the order given (a later one wins, as in Terraform).
 */
import { VariableArgument } from './terraform/variables';

/** Output formats. */
export const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

/** Parsed options of `check`. */
export interface CheckOptions {
  readonly paths: string[];
  readonly mode?: 'External' | 'Internal';
  readonly variables: VariableArgument[];
  readonly format: Format;
  readonly output?: string;
  readonly strict: boolean;
  /** `--no-color`. */
  readonly noColor: boolean;
}

/** What the command line asks for. */
export type Command =
  | { readonly kind: 'check'; readonly options: CheckOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' };

/** A command line that cannot be understood. */
export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: cdktf-apim-network check [options] <path>...

Checks the network of Azure API Management (VNet injection, classic Developer and
Premium tiers) in any Terraform: a folder of .tf/.tf.json files, one .tf, .tf.json
or cdk.tf.json file, a cdktf.out folder (every stack), or a plan exported with
"terraform show -json plan.out > plan.json".

Options:
  --mode external|internal  how an APIM instance that is not in the input uses
                            its subnet (NSGs with the ApiManagement 3443 allow);
                            without it, mode-dependent rules report unknown
  --var NAME=VALUE          a variable value (repeatable; wins over tfvars files)
  --var-file FILE           a .tfvars or .tfvars.json file (repeatable)
  --format FORMAT           text (default), json, sarif or markdown
  -o, --output FILE         write the report to FILE instead of standard output
                            (its folder is created; - is standard output)
  --strict                  report warnings as errors (exit code 1)
  --no-color                no colours (also: NO_COLOR=1)
  -h, --help                this help
  --version                 the version

Exit codes: 0 no error, 1 error findings, 2 an input cannot be read or holds
no APIM network at all, or the report cannot be written.`;

/** Parse the arguments after the program name. */
export function parseArgs(argv: readonly string[]): Command {
  const args = [...argv];
  if (args.length === 0 || args[0] === '-h' || args[0] === '--help' || args[0] === 'help') {
    return { kind: 'help' };
  }
  if (args[0] === '--version' || args[0] === '-v') {
    return { kind: 'version' };
  }
  if (args[0] !== 'check') {
    throw new UsageError(`unknown command "${args[0]}": the command is "check" (cdktf-apim-network check <path>...)`);
  }
  args.shift();
  const paths: string[] = [];
  const variables: VariableArgument[] = [];
  let mode: CheckOptions['mode'];
  let format: Format = 'text';
  let output: string | undefined;
  let strict = false;
  let noColor = false;
  let onlyPaths = false;
  while (args.length > 0) {
    const arg = args.shift()!;
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      paths.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const value = (): string => {
      if (eq >= 0) {
        return arg.slice(eq + 1);
      }
      const next = args.shift();
      if (next === undefined) {
        throw new UsageError(`${name} needs a value`);
      }
      return next;
    };
    switch (name) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--version':
        return { kind: 'version' };
      case '--mode': {
        const v = value().toLowerCase();
        if (v !== 'external' && v !== 'internal') {
          throw new UsageError(`--mode must be external or internal, not "${v}"`);
        }
        mode = v === 'external' ? 'External' : 'Internal';
        break;
      }
      case '--var': {
        const v = value();
        if (!/^[A-Za-z_][A-Za-z0-9_-]*=/.test(v)) {
          throw new UsageError(`--var needs NAME=VALUE, not "${v}"`);
        }
        variables.push({ kind: 'var', text: v });
        break;
      }
      case '--var-file':
        variables.push({ kind: 'file', path: value() });
        break;
      case '--format': {
        const v = value().toLowerCase();
        if (!(FORMATS as readonly string[]).includes(v)) {
          throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${v}"`);
        }
        format = v as Format;
        break;
      }
      case '-o':
      case '--output': {
        const v = value();
        if (v === '') {
          throw new UsageError(`${name} needs a file name (or - for standard output)`);
        }
        if (eq < 0 && v.startsWith('-') && v !== '-') {
          throw new UsageError(`${name} needs a file name, not the option ${v} (write ${name}=${v} for a file of that name)`);
        }
        output = v;
        break;
      }
      case '--strict':
        strict = true;
        break;
      case '--no-color':
        noColor = true;
        break;
      default:
        throw new UsageError(`unknown option ${name} (see cdktf-apim-network --help)`);
    }
  }
  if (paths.length === 0) {
    throw new UsageError('no input: give a folder, a .tf/.tf.json/cdk.tf.json file, a cdktf.out folder or a plan JSON');
  }
  return { kind: 'check', options: { paths, mode, variables, format, output, strict, noColor } };
}
