/**
 * The command's reports: one JSON document for all inputs (public API, documented in the README), a readable text
 * report grouped by resource with file and line (colour only on a terminal), Markdown for a pull request comment, and
 * SARIF 2.1.0 for code scanning, with physical locations (file and line) wherever they are known.
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { escapeMarkdown, relativeUri, sarifLog, sarifRuleIndex } from '../checks/report';
import { ApimInventory, CliFinding } from './engine-adapter';
import { InputKind } from './inputs';
import { Diagnostic } from './terraform/instance';

/** Version of the JSON report's shape: a change that removes or renames a field raises it. */
export const REPORT_FORMAT_VERSION = 1;

/** What was read from one path of the command line. */
export interface ReportInput {
  readonly path: string;
  readonly kind: InputKind;
  /** Root modules, stacks or plans checked. */
  readonly documents: readonly string[];
  readonly files: number;
  readonly resources: number;
}

/** The whole result of a run: the JSON report, and what the other formats render. */
export interface CheckReport {
  readonly formatVersion: number;
  readonly tool: { readonly name: string; readonly version: string };
  readonly mode: 'external' | 'internal' | null;
  readonly strict: boolean;
  readonly exitCode: 0 | 1 | 2;
  /** Why the exit code is 2 (an input that cannot be read, or no APIM network at all). */
  readonly error?: { readonly file?: string; readonly reason: string };
  readonly summary: {
    readonly errors: number;
    readonly warnings: number;
    /** Findings of APIM-UNKNOWN (a value the checks cannot see). */
    readonly unknown: number;
    /** What the rules checked: injected APIM instances, APIM subnets, APIM NSGs (all zero is exit code 2). */
    readonly apim: ApimInventory;
    readonly files: number;
    readonly durationMs: number;
  };
  readonly inputs: readonly ReportInput[];
  readonly findings: readonly CliFinding[];
  /** Expressions that failed and became unknown, and other problems that did not stop the check. */
  readonly diagnostics: ReadonlyArray<Diagnostic & { readonly file?: string }>;
  /** What stays unknown because the input does not say it. */
  readonly unresolved: {
    readonly variables: readonly string[];
    readonly remoteModules: readonly string[];
  };
}

function findingId(f: CliFinding): string {
  return f.detail ? `${f.ruleId}[${f.detail}]` : f.ruleId;
}

function where(f: { file?: string; line?: number }): string {
  return f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : '';
}

/** Findings in reading order: by file, line, address, then errors first. */
export function sortFindings(findings: readonly CliFinding[]): CliFinding[] {
  return [...findings].sort((a, b) =>
    (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.address.localeCompare(b.address)
    || a.level.localeCompare(b.level) || findingId(a).localeCompare(findingId(b)));
}

// ---- JSON ------------------------------------------------------------------------------------------------------------

export function jsonReport(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

// ---- text ------------------------------------------------------------------------------------------------------------

/** ANSI styles, or none. */
export interface Style {
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly cyan: (s: string) => string;
  readonly green: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
}

const ansi = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
export const COLOR: Style = { red: ansi(31), yellow: ansi(33), cyan: ansi(36), green: ansi(32), bold: ansi(1), dim: ansi(2) };
const identity = (s: string) => s;
export const PLAIN: Style = { red: identity, yellow: identity, cyan: identity, green: identity, bold: identity, dim: identity };

/**
 * Replace control characters in text that comes from the input, so it can neither drive the terminal nor reorder what
 * a reader sees (bidi embeddings, overrides and isolates, as in Trojan Source; line and paragraph separators).
 */
function safe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, '?');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The readable report: findings grouped by resource, with file and line. */
export function textReport(report: CheckReport, style: Style): string {
  const lines: string[] = [];
  const groups = new Map<string, CliFinding[]>();
  for (const f of sortFindings(report.findings)) {
    const key = `${where(f)}|${f.address}|${f.input}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  for (const findings of groups.values()) {
    const first = findings[0];
    const location = where(first);
    lines.push(`${style.bold(safe(first.address))}${location ? `  ${style.dim(safe(location))}` : ''}`);
    for (const f of findings) {
      const unknown = f.ruleId === 'APIM-UNKNOWN';
      const label = unknown ? style.cyan('unknown') : f.level === 'error' ? style.red('error  ') : style.yellow('warning');
      lines.push(`  ${label}  ${style.bold(safe(findingId(f)))}`);
      lines.push(`           ${safe(f.message)}`);
      lines.push(`           ${style.dim(`Fix: ${safe(f.fix)}`)}`);
    }
    lines.push('');
  }
  const u = report.unresolved;
  if (u.variables.length > 0) {
    lines.push(style.dim(`Variables without a value (their uses stay unknown): ${u.variables.map(safe).join(', ')}. Give them with --var NAME=VALUE or --var-file.`));
  }
  if (u.remoteModules.length > 0) {
    lines.push(style.dim(`Modules not read (remote sources; run terraform init to check them): ${u.remoteModules.map(safe).join(', ')}.`));
  }
  for (const d of report.diagnostics) {
    lines.push(style.dim(`note: ${d.file ? `${safe(d.file)}${d.line ? `:${d.line}` : ''}: ` : ''}${safe(d.message)}`));
  }
  if (u.variables.length + u.remoteModules.length + report.diagnostics.length > 0) {
    lines.push('');
  }
  const s = report.summary;
  const counts = `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}${s.unknown > 0 ? ` (${s.unknown} unknown)` : ''}`;
  const checked = `${plural(s.apim.instances, 'APIM instance')}, ${plural(s.apim.subnets, 'subnet')}, ${plural(s.apim.nsgs, 'NSG')}`;
  const scope = `${checked} in ${plural(report.inputs.reduce((n, i) => n + i.documents.length, 0), 'root module')} (${plural(s.files, 'file')})`;
  const verdict = s.errors > 0 ? style.red(style.bold('FAIL')) : style.green(style.bold('PASS'));
  lines.push(`${verdict} ${counts}: ${scope}, ${(s.durationMs / 1000).toFixed(2)} s`);
  return `${lines.join('\n')}\n`;
}

// ---- Markdown --------------------------------------------------------------------------------------------------------

/** Text from the input inside a Markdown table cell: inert (no HTML, mentions, links, table breaks, control characters). */
export function markdownCell(text: string): string {
  return escapeMarkdown(safe(text));
}

export function markdownReport(report: CheckReport): string {
  const s = report.summary;
  const lines = [
    '## APIM network checks',
    '',
    s.errors > 0 ? `**${plural(s.errors, 'error')}**, ${plural(s.warnings, 'warning')}.` : `No errors, ${plural(s.warnings, 'warning')}.`,
    '',
    '| errors | warnings | unknown | APIM instances | subnets | NSGs | files |',
    '|---|---|---|---|---|---|---|',
    `| ${s.errors} | ${s.warnings} | ${s.unknown} | ${s.apim.instances} | ${s.apim.subnets} | ${s.apim.nsgs} | ${s.files} |`,
    '',
  ];
  if (report.findings.length > 0) {
    lines.push('| level | rule | resource | where | what is wrong | fix |', '|---|---|---|---|---|---|');
    for (const f of sortFindings(report.findings)) {
      lines.push(`| ${f.level} | ${markdownCell(findingId(f))} | ${markdownCell(f.address)} | ${markdownCell(where(f))} | ${markdownCell(f.message)} | ${markdownCell(f.fix)} |`);
    }
    lines.push('');
  }
  const u = report.unresolved;
  if (u.variables.length > 0) {
    lines.push(`Variables without a value: ${u.variables.map(markdownCell).join(', ')}.`, '');
  }
  if (u.remoteModules.length > 0) {
    lines.push(`Modules not read (remote): ${u.remoteModules.map(markdownCell).join(', ')}.`, '');
  }
  return `${lines.join('\n')}\n`;
}

// ---- SARIF -----------------------------------------------------------------------------------------------------------

/**
 * Where a file is, for SARIF: relative to `%SRCROOT%` (the working directory, which code scanning resolves against the
 * repository root) for a file inside it, an absolute `file://` URI for a file outside it (reports name those by their
 * absolute path); a relative URI never climbs out with `../`.
 */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  return path.isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: relativeUri(file), uriBaseId: '%SRCROOT%' };
}

export function sarifReport(report: CheckReport): string {
  const index = sarifRuleIndex();
  return sarifLog(report.tool.version, sortFindings(report.findings).map((f) => ({
    ruleId: f.ruleId,
    ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
    level: f.level,
    message: { text: safe(`${f.detail ? `[${f.detail}] ` : ''}${f.address}: ${f.message}. Fix: ${f.fix}`) },
    locations: [{
      ...(f.file ? {
        physicalLocation: {
          artifactLocation: artifactLocation(f.file),
          ...(f.line ? { region: { startLine: f.line } } : {}),
        },
      } : {}),
      logicalLocations: [{ fullyQualifiedName: f.address, kind: 'resource' }],
    }],
    partialFingerprints: { apimNetworkFinding: `${findingId(f)}|${f.address}` },
    properties: { detail: f.detail, input: f.input },
  })), {
    invocations: [{
      executionSuccessful: report.exitCode !== 2,
      toolExecutionNotifications: [
        ...(report.error ? [{ level: 'error', message: { text: `${report.error.file ? `${report.error.file}: ` : ''}${report.error.reason}` } }] : []),
        ...report.diagnostics.map((d) => ({
          level: 'warning',
          message: { text: d.message },
          ...(d.file ? { locations: [{ physicalLocation: { artifactLocation: artifactLocation(d.file), ...(d.line ? { region: { startLine: d.line } } : {}) } }] } : {}),
        })),
      ],
    }],
  });
}
