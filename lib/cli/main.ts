/**
 * `cdktf-apim-network check <path>...`: check the APIM network of any Terraform (folders of .tf/.tf.json files with
 * their modules and variables, cdk.tf.json, cdktf.out, plans) from the command line. Needs neither cdktf nor the
 * provider: only this package's pure parts (lib/hcl, lib/checks, lib/core).
 *
 * Exit codes: 0 no error finding, 1 error findings, 2 an input that cannot be read or holds no APIM network at all.
 */
import * as path from 'path';
import { CheckOptions, USAGE, UsageError, parseArgs } from './args';
import { CliFinding, checkInput } from './engine-adapter';
import { InputError, LoadedInput, STDIN_REASON, loadInput } from './inputs';
import { OutputError, writeOutput } from './output';
import { Diagnostic } from './terraform/instance';
import {
  COLOR, CheckReport, PLAIN, REPORT_FORMAT_VERSION, jsonReport, markdownReport, sarifReport, textReport,
} from './report';
import { toolVersion } from '../checks/report';

/** Where the command reads and writes; `process` by default, a fake in tests. */
export interface Io {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** Files read before a progress line appears. */
export const PROGRESS_THRESHOLD = 50;

function colorEnabled(options: CheckOptions, io: Io): boolean {
  if (options.noColor || (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') || options.output !== undefined) {
    return false;
  }
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0' && io.env.FORCE_COLOR !== 'false') {
    return true;
  }
  return io.stdout.isTTY === true && io.env.TERM !== 'dumb';
}

class Progress {
  private count = 0;
  private shown = false;

  public constructor(private readonly io: Io) {}

  public file(): void {
    this.count++;
    if (this.count < PROGRESS_THRESHOLD) {
      return;
    }
    if (this.io.stderr.isTTY) {
      if (this.count % 10 === 0 || !this.shown) {
        this.io.stderr.write(`\rreading Terraform files: ${this.count}`);
        this.shown = true;
      }
    } else if (this.count === PROGRESS_THRESHOLD || this.count % 500 === 0) {
      this.io.stderr.write(`reading Terraform files: ${this.count}...\n`);
    }
  }

  public done(): void {
    if (this.shown) {
      this.io.stderr.write(`\rread ${this.count} Terraform files${' '.repeat(8)}\n`);
    }
  }
}

function emptyReport(options: CheckOptions, started: number): CheckReport {
  return {
    formatVersion: REPORT_FORMAT_VERSION,
    tool: { name: 'cdktf-apim-network', version: toolVersion() },
    mode: options.mode ? (options.mode.toLowerCase() as 'external' | 'internal') : null,
    strict: options.strict,
    exitCode: 0,
    summary: { errors: 0, warnings: 0, unknown: 0, apim: { instances: 0, subnets: 0, nsgs: 0 }, files: 0, durationMs: Date.now() - started },
    inputs: [],
    findings: [],
    diagnostics: [],
    unresolved: { variables: [], remoteModules: [] },
  };
}

function render(report: CheckReport, options: CheckOptions, io: Io): string {
  switch (options.format) {
    case 'json':
      return jsonReport(report);
    case 'sarif':
      return sarifReport(report);
    case 'markdown':
      return markdownReport(report);
    default:
      return textReport(report, colorEnabled(options, io) ? COLOR : PLAIN);
  }
}

/**
 * How reports name a file: relative to the working directory when it is inside it (SARIF uploads resolve those against
 * the repository root), absolute otherwise (a path that climbs out with ../ means nothing to code scanning).
 */
export function displayPath(cwd: string): (file: string) => string {
  return (file: string) => {
    const relative = path.relative(cwd, file);
    return relative === '' ? '.' : relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative) ? path.resolve(cwd, file) : relative;
  };
}

/** Write the report to standard output or `--output`; false (after one line on stderr) when the file cannot be written. */
function write(report: CheckReport, options: CheckOptions, io: Io, inputs: readonly string[]): boolean {
  const text = render(report, options, io);
  if (options.output === undefined || options.output === '-') {
    io.stdout.write(text);
    return true;
  }
  try {
    writeOutput(path.resolve(io.cwd, options.output), text, inputs, displayPath(io.cwd));
  } catch (e) {
    if (e instanceof OutputError) {
      io.stderr.write(`cdktf-apim-network: ${options.output}: cannot write the report: ${e.reason}\n`);
      return false;
    }
    throw e;
  }
  const s = report.summary;
  io.stderr.write(`${s.errors} error(s), ${s.warnings} warning(s): ${options.format} report written to ${options.output}\n`);
  return true;
}

/** Stop with exit code 2: say which file and why on stderr; JSON and SARIF reports carry the error too. */
function fail(report: CheckReport, error: { file?: string; reason: string }, options: CheckOptions, io: Io, inputs: readonly string[]): number {
  io.stderr.write(`cdktf-apim-network: ${error.file ? `${error.file}: ` : ''}${error.reason}\n`);
  if (options.format === 'json' || options.format === 'sarif') {
    write({ ...report, exitCode: 2, error }, options, io, inputs);
  }
  return 2;
}

/** Run `check` with parsed options. */
export function check(options: CheckOptions, io: Io): number {
  const started = Date.now();
  const display = displayPath(io.cwd);
  const progress = new Progress(io);
  const base = emptyReport(options, started);
  const loaded: LoadedInput[] = [];
  const notes: Diagnostic[] = [];
  // A path given twice is checked once.
  const targets = [...new Set(options.paths.map((p) => (p === '-' ? p : path.resolve(io.cwd, p))))];
  if (targets.length < options.paths.length) {
    notes.push({ message: `${options.paths.length - targets.length} path(s) given more than once: each is checked once` });
  }
  // --var-file names a file relative to the working directory, as every other path.
  const variables = options.variables.map((v) => (v.kind === 'file' ? { kind: 'file' as const, path: path.resolve(io.cwd, v.path) } : v));
  for (const target of targets) {
    try {
      if (target === '-') {
        throw new InputError('-', STDIN_REASON);
      }
      const input = loadInput(target, { variables, env: io.env, display, onFile: () => progress.file() });
      if (input.kind === 'plan' && variables.length > 0) {
        notes.push({ message: `--var and --var-file do not apply to the plan ${input.path}: Terraform resolved its variables when it planned` });
      }
      loaded.push(input);
    } catch (e) {
      progress.done();
      if (e instanceof InputError) {
        return fail(base, { file: e.file, reason: e.reason }, options, io, [...targets, ...loaded.flatMap((i) => i.files)]);
      }
      throw e;
    }
  }
  progress.done();
  const findings: CliFinding[] = [];
  const found = { instances: 0, subnets: 0, nsgs: 0 };
  for (const input of loaded) {
    // The stacks of one cdktf app are handed to each other: cross-stack references are followed into them.
    const stacks = input.kind === 'cdktf-out' ? Object.fromEntries(input.documents.map((d) => [d.name, d.document])) : undefined;
    const result = checkInput(input.documents, { mode: options.mode, strict: options.strict, stacks });
    findings.push(...result.findings);
    found.instances += result.inventory.instances;
    found.subnets += result.inventory.subnets;
    found.nsgs += result.inventory.nsgs;
  }
  const errors = findings.filter((f) => f.level === 'error').length;
  const report: CheckReport = {
    ...base,
    exitCode: errors > 0 ? 1 : 0,
    summary: {
      errors,
      warnings: findings.length - errors,
      unknown: findings.filter((f) => f.ruleId === 'APIM-UNKNOWN').length,
      apim: found,
      files: new Set(loaded.flatMap((i) => i.files)).size,
      durationMs: Date.now() - started,
    },
    inputs: loaded.map((i) => ({
      path: i.path, kind: i.kind, documents: i.documents.map((d) => d.name), files: new Set(i.files).size,
      resources: i.documents.reduce((n, d) => n + d.resources.length, 0),
    })),
    findings,
    diagnostics: [...notes, ...loaded.flatMap((i) => i.diagnostics.map((d) => ({ ...d, file: d.file ? display(d.file) : undefined })))],
    unresolved: {
      variables: loaded.flatMap((i) => i.unsetVariables),
      remoteModules: loaded.flatMap((i) => i.remoteModules),
    },
  };
  const files = [...targets, ...loaded.flatMap((i) => i.files)];
  if (found.instances + found.subnets + found.nsgs === 0) {
    const remote = report.unresolved.remoteModules;
    const notRead = remote.length > 0 ? `; these modules were not read: ${remote.join(', ')} (run terraform init first, or check a plan)` : '';
    return fail(report, {
      file: loaded.map((i) => i.path).join(', '),
      reason: 'holds no APIM network: no azurerm_api_management injected into a virtual network, no subnet built by cdktf-apim-network, '
        + `and no NSG with the inbound ApiManagement 3443 allow (is this the right folder?)${notRead}`,
    }, options, io, files);
  }
  return write(report, options, io, files) ? report.exitCode : 2;
}

/** Where to report a bug the command ran into. */
export const ISSUES_URL = 'https://github.com/cdktf-apim-network/cdktf-apim-network/issues';

/**
 * Run the command line (the arguments after the program name). An error nobody foresaw is one line on stderr and exit
 * code 2 (never a pass); CDKTF_APIM_NETWORK_DEBUG=1 adds its stack trace, for a bug report.
 */
export function run(argv: readonly string[], io: Io): number {
  try {
    return runCommand(argv, io);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    io.stderr.write(`cdktf-apim-network: internal error: ${message.split('\n')[0]} (a bug: please report it at ${ISSUES_URL}; set CDKTF_APIM_NETWORK_DEBUG=1 for the details)\n`);
    if (io.env.CDKTF_APIM_NETWORK_DEBUG && e instanceof Error && e.stack) {
      io.stderr.write(`${e.stack}\n`);
    }
    return 2;
  }
}

function runCommand(argv: readonly string[], io: Io): number {
  let command;
  try {
    command = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`cdktf-apim-network: ${e.message}\nRun "cdktf-apim-network --help" for the options.\n`);
      return 2;
    }
    throw e;
  }
  switch (command.kind) {
    case 'help':
      io.stdout.write(`${USAGE}\n`);
      return 0;
    case 'version':
      io.stdout.write(`${toolVersion()}\n`);
      return 0;
    default:
      return check(command.options, io);
  }
}

/** The executable's entry point. */
export function main(argv: readonly string[] = process.argv.slice(2)): number {
  // A reader that stops early (`| head`) closes the pipe: the rest of the report has nowhere to go, which is no error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') {
      throw e;
    }
    process.exit(process.exitCode ?? 0);
  });
  return run(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
}
