import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../lib/cli/main';

/** The repository root: commands run there, so reports name files as test/fixtures/terraform/... */
export const ROOT = path.resolve(__dirname, '../..');
export const FIXTURES = 'test/fixtures/terraform';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the command in-process with a fake terminal. */
export function cli(args: string[], options: { env?: Record<string, string>; cwd?: string; tty?: boolean; stderrTty?: boolean } = {}): CliResult {
  let stdout = '';
  let stderr = '';
  const code = run(args, {
    stdout: { write: (t: string) => (stdout += t), isTTY: options.tty ?? false },
    stderr: { write: (t: string) => (stderr += t), isTTY: options.stderrTty ?? false },
    env: options.env ?? {},
    cwd: options.cwd ?? ROOT,
  });
  return { code, stdout, stderr };
}

/** The JSON report of a run. */
export function jsonOf(args: string[], options: Parameters<typeof cli>[1] = {}): { code: number; report: any; stderr: string } {
  const result = cli([...args, '--format', 'json'], options);
  return { code: result.code, report: result.stdout ? JSON.parse(result.stdout) : undefined, stderr: result.stderr };
}

/** `ruleId[detail] address file:line` of every finding, sorted. */
export function summaryOf(report: any): string[] {
  return report.findings.map((f: any) => `${f.ruleId}${f.detail ? `[${f.detail}]` : ''} ${f.address} ${f.file ?? ''}${f.line ? `:${f.line}` : ''}`).sort();
}

/** A temporary directory with files. */
export function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-cli-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}
