/**
 * Report writers: JSON (every rule x resource outcome), Markdown (for a pull request comment) and SARIF 2.1.0 (for
 * code scanning). Pure functions from a result to text; the cdktf adapter writes them beside cdk.tf.json.
 */
import { RULES } from './catalog';
import { compareCodeUnits } from '../core/order';
import { showInvisible } from '../core/visible';
import { ApimCheckOutcome, ApimCheckResult, ApimFinding, ApimRuleLevel, ApimRuleOutcome } from './types';

/** Name and version of this tool, as reports show them. */
export const TOOL_NAME = 'cdktf-apim-network';
export const TOOL_URI = 'https://github.com/cdktf-apim-network/cdktf-apim-network';

/** The package version, as reports show it. */
export function toolVersion(): string {
  try {
    // lib/checks/report.ts and dist/checks/report.js are both two levels below the package root.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return String(require('../../package.json').version);
  } catch {
    return '0.0.0';
  }
}

/** Counts of outcomes and findings. */
export interface ReportSummary {
  readonly pass: number;
  readonly fail: number;
  readonly suppressed: number;
  readonly unknown: number;
  readonly notApplicable: number;
  readonly errors: number;
  readonly warnings: number;
}

export function summarize(result: ApimCheckResult): ReportSummary {
  const counts: Record<string, number> = {};
  for (const o of result.outcomes) {
    counts[o.outcome] = (counts[o.outcome] ?? 0) + 1;
  }
  const errors = result.findings.filter((f) => f.level === ApimRuleLevel.ERROR).length;
  return {
    pass: counts[ApimRuleOutcome.PASS] ?? 0,
    fail: counts[ApimRuleOutcome.FAIL] ?? 0,
    suppressed: counts[ApimRuleOutcome.SUPPRESSED] ?? 0,
    unknown: counts[ApimRuleOutcome.UNKNOWN] ?? 0,
    notApplicable: counts[ApimRuleOutcome.NOT_APPLICABLE] ?? 0,
    errors,
    warnings: result.findings.length - errors,
  };
}

/**
 * The JSON report. `stackFile` is the path of cdk.tf.json relative to the directory synth runs in (or its file URL);
 * `timing` says how long
 * resolving the stack and the whole check took (the rules alone are `durationMs`).
 */
export function jsonReport(result: ApimCheckResult, stack: string, stackFile: string, timing?: { resolveMs: number; totalMs: number }): string {
  const ms = (value: number) => Math.round(value * 1000) / 1000;
  const head = {
    tool: { name: TOOL_NAME, version: toolVersion() },
    stack,
    stackFile,
    summary: summarize(result),
    durationMs: ms(result.durationMs),
    timing: timing ? { resolveMs: ms(timing.resolveMs), checkTotalMs: ms(timing.totalMs) } : undefined,
    findings: result.findings,
    rules: RULES,
  };
  // One outcome per line: the list has a row per rule and resource (thousands for large stacks), and stays diffable.
  const text = JSON.stringify(head, null, 2);
  return `${text.slice(0, -2)},\n  "outcomes": [\n${outcomeLines(result.outcomes)}\n  ]\n}\n`;
}

/** Where one outcome ends and the next begins in the stringified list, when every outcome starts with its rule id. */
const BETWEEN_OUTCOMES = '},{"ruleId":';

/**
 * The outcomes, one per line (`    {...}`, joined with `,\n`). The list is stringified once and cut between the
 * outcomes, which takes about half the time of stringifying each outcome on its own (thousands at 60 regions). The cut
 * is exact: inside a JSON string every `"` is escaped, so `},{"ruleId":` (an unescaped quote after `{`) occurs only
 * between two outcomes, where the next starts with `ruleId`, as the engine builds them. (Cutting at `},{"` alone would
 * not be: a string that ends in `},{` is followed by its closing quote.) If the pieces are not one per outcome (an
 * outcome that starts with another field), each outcome is stringified on its own.
 */
export function outcomeLines(outcomes: readonly ApimCheckOutcome[]): string {
  if (outcomes.length === 0) {
    return '';
  }
  const pieces = JSON.stringify(outcomes).slice(1, -1).split(BETWEEN_OUTCOMES);
  if (pieces.length === outcomes.length) {
    return `    ${pieces.join('},\n    {"ruleId":')}`;
  }
  return outcomes.map((o) => `    ${JSON.stringify(o)}`).join(',\n');
}

/**
 * A user-supplied string (an address, a construct path, a message quoting a resource name, a reason) as inert Markdown
 * text: no line break, no table cell break, no HTML, no image or link, no @mention, no code span, no emphasis, and no
 * invisible character (a bidi control such as U+202E is shown as `<U+202E>`).
 */
export function escapeMarkdown(text: string): string {
  // Line breaks become spaces; other invisible characters (bidi controls, zero-width spaces) become visible `<U+202E>`.
  return showInvisible(String(text).replace(/\r\n|\r|\n|\u2028|\u2029/g, ' '))
    .replace(/[\\`*_{}[\]()#+!|~:]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;');
}

const cell = escapeMarkdown;

function findingId(f: ApimFinding): string {
  return f.detail ? `${f.ruleId}[${f.detail}]` : f.ruleId;
}

/** The Markdown report, for a pull request comment. */
export function markdownReport(result: ApimCheckResult, stack: string): string {
  const s = summarize(result);
  const lines = [
    `## APIM network checks: ${escapeMarkdown(stack)}`,
    '',
    s.errors > 0 ? `**${s.errors} error(s)** fail \`cdktf synth\`.` : 'No errors.',
    '',
    `| errors | warnings | pass | suppressed | unknown | not applicable |`,
    `|---|---|---|---|---|---|`,
    `| ${s.errors} | ${s.warnings} | ${s.pass} | ${s.suppressed} | ${s.unknown} | ${s.notApplicable} |`,
    '',
  ];
  if (result.findings.length > 0) {
    lines.push('### Findings', '', '| level | rule | resource | what is wrong | fix |', '|---|---|---|---|---|');
    for (const f of [...result.findings].sort((a, b) => compareCodeUnits(a.level, b.level))) {
      lines.push(`| ${f.level} | ${cell(findingId(f))} | ${cell(f.address)} | ${cell(f.message)} | ${cell(f.fix)} |`);
    }
    lines.push('');
  }
  const suppressed = result.outcomes.filter((o) => o.outcome === ApimRuleOutcome.SUPPRESSED);
  if (suppressed.length > 0) {
    lines.push('### Suppressed', '', '| rule | resource | reason |', '|---|---|---|');
    for (const o of suppressed) {
      lines.push(`| ${cell(o.detail ? `${o.ruleId}[${o.detail}]` : o.ruleId)} | ${cell(o.address)} | ${cell(o.suppressionReason ?? '')} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** A relative path as a URI reference: each segment percent-encoded, `/` between segments. */
export function relativeUri(path: string): string {
  return path.split(/[\\/]/).filter((s) => s !== '').map((s) => encodeURIComponent(s)).join('/');
}

/** The rules as SARIF reporting descriptors (`runs[].tool.driver.rules`), in catalog order (a result's `ruleIndex`). */
export function sarifRuleDescriptors(): object[] {
  return RULES.map((r) => ({
    id: r.id,
    name: r.id.replace(/^APIM-/, '').toLowerCase().replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: r.title },
    fullDescription: { text: `${r.title}. ${r.why}.` },
    help: { text: `${r.fix}. See ${r.source}` },
    helpUri: r.source,
    defaultConfiguration: { level: r.level === ApimRuleLevel.ERROR ? 'error' : 'warning' },
    properties: { area: r.area },
  }));
}

/**
 * The SARIF 2.1.0 log around one run's results: the schema, this tool and its rule descriptors. Both the synth-time
 * report and the command line write their logs through it, so the two never disagree on the envelope.
 *
 * @param version the tool's version
 * @param results the run's results
 * @param extra more members of the run (such as `invocations`)
 */
export function sarifLog(version: string, results: object[], extra: object = {}): string {
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: TOOL_NAME, version, informationUri: TOOL_URI, rules: sarifRuleDescriptors() } },
      ...extra,
      results,
      columnKind: 'utf16CodeUnits',
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** The index of a rule in the SARIF rule descriptors (the order of RULES). */
export function sarifRuleIndex(): Map<string, number> {
  return new Map(RULES.map((r, i) => [r.id, i]));
}

/**
 * The SARIF 2.1.0 log, for code scanning. A finding points at its source file and line when the document's metadata
 * gives them (a command-line checker over HCL), else at the stack's cdk.tf.json.
 *
 * @param stackFile the path of cdk.tf.json relative to the directory synth runs in (`cdktf.out/stacks/<stack>/cdk.tf.json`)
 */
export function sarifReport(result: ApimCheckResult, stackFile: string): string {
  const index = sarifRuleIndex();
  return sarifLog(toolVersion(), result.findings.map((f) => ({
    ruleId: f.ruleId,
    ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
    level: f.level === ApimRuleLevel.ERROR ? 'error' : 'warning',
    message: { text: f.text },
    locations: [{
      physicalLocation: f.file
        ? { artifactLocation: { uri: relativeUri(f.file), uriBaseId: '%SRCROOT%' }, ...(f.line ? { region: { startLine: f.line } } : {}) }
        : { artifactLocation: /^file:/.test(stackFile) ? { uri: stackFile } : { uri: relativeUri(stackFile), uriBaseId: '%SRCROOT%' } },
      logicalLocations: [{ fullyQualifiedName: f.address, name: f.constructPath, kind: 'resource' }],
    }],
    partialFingerprints: { apimNetworkFinding: `${findingId(f)}|${f.address}` },
    properties: { detail: f.detail, constructPath: f.constructPath },
  })));
}
