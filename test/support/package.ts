/**
 * Helpers for the tests of the built package (jest project `package`): run a command with a clear failure message,
 * know whether the jsii build is current, pack the tarball.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');

export interface RunOptions {
  /** What the command is for, said first when it fails. */
  readonly what: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the command after this many milliseconds (default 5 minutes). */
  readonly timeoutMs?: number;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The last lines of a command's output, enough to see why it failed without flooding the report. */
function tail(text: string, lines = 40): string {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? ['...', ...all.slice(-lines)] : all).map((l) => `    ${l}`).join('\n');
}

/** Run a command; throw an Error that says what failed, how, and the end of its output, unless it exits 0. */
export function run(command: string, args: string[], options: RunOptions): RunResult {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Date.now() - started;
  if (result.error || result.status !== 0) {
    const how = result.error
      ? `${result.error.message}${result.signal ? ` (killed by ${result.signal} after ${ms} ms)` : ''}`
      : `exit code ${result.status}`;
    throw new Error([
      `${options.what} failed: \`${[command, ...args].join(' ')}\` in ${options.cwd ?? ROOT}: ${how}`,
      `  stdout:\n${tail(result.stdout ?? '')}`,
      `  stderr:\n${tail(result.stderr ?? '')}`,
    ].join('\n'));
  }
  return { stdout: result.stdout, stderr: result.stderr, ms };
}

function newestMtime(dir: string, suffix: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      newest = Math.max(newest, newestMtime(full, suffix));
    } else if (entry.name.endsWith(suffix)) {
      newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  }
  return newest;
}

/** Why the jsii build (dist/ and .jsii) must run again before the package is tested, or undefined when it is current. */
export function staleBuildReason(): string | undefined {
  const assembly = path.join(ROOT, '.jsii');
  if (!fs.existsSync(assembly) || !['index.js', 'bundle.js', 'bundle-checks.js'].every((f) => fs.existsSync(path.join(ROOT, 'dist', f)))) {
    return 'dist/ (with its bundle) or .jsii is missing';
  }
  // The bundle is written after the jsii build (scripts/bundle.js): older than .jsii means that step did not run.
  if (fs.statSync(path.join(ROOT, 'dist', 'bundle.js')).mtimeMs < fs.statSync(assembly).mtimeMs) {
    return 'dist/bundle.js is older than the jsii build';
  }
  // jsii rewrites .jsii on every successful build; the README is part of the assembly.
  const inputs = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'scripts/bundle.js'].map((f) => fs.statSync(path.join(ROOT, f)).mtimeMs);
  const newestInput = Math.max(newestMtime(path.join(ROOT, 'lib'), '.ts'), ...inputs);
  return newestInput > fs.statSync(assembly).mtimeMs ? 'a source is newer than .jsii' : undefined;
}

/** `npm pack` the built package into `destination`; returns the tarball's path. */
export function packTarball(destination: string): string {
  const { stdout } = run('npm', ['pack', '--json', '--pack-destination', destination], { what: 'npm pack of the built package' });
  return path.join(destination, JSON.parse(stdout)[0].filename);
}
