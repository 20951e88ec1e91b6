import '@microsoft/jest-sarif';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { relativeUri } from '../../lib/checks/report';
import { CheckReport, markdownCell, markdownReport, sarifReport, textReport, PLAIN } from '../../lib/cli/report';
import { FIXTURES, ROOT, cli, jsonOf, tempDir } from './support';

const SQL = `${FIXTURES}/internal-sql-1443`;
const DELEGATED = `${FIXTURES}/delegated-subnet`;

describe('text', () => {
  test('grouped by resource, with file and line, fix, and a closing verdict', () => {
    const { code, stdout } = cli(['check', SQL, DELEGATED]);
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines.slice(0, -2)).toEqual([
      `azurerm_subnet.apim  ${DELEGATED}/main.tf:15`,
      '  error    APIM-SUBNET-DELEGATION',
      expect.stringMatching(/^ {11}the subnet is delegated to Microsoft\.ApiManagement\/service; classic-tier APIM/),
      '           Fix: remove the delegation block from the APIM subnet',
      '',
      `azurerm_network_security_group.apim  ${SQL}/main.tf:32`,
      '  warning  APIM-NSG-IMPLICIT[Outbound:Sql:1433]',
      expect.stringMatching(/^ {11}no explicit rule allows Outbound TCP 1433 from VirtualNetwork to Sql/),
      expect.stringMatching(/^ {11}Fix: /),
      '  warning  APIM-NSG-NEARMISS[apim-azure-sql:port]',
      expect.stringMatching(/^ {11}rule "apim-azure-sql" looks like the APIM rule sql .* has port 1443 where sql needs 1433$/),
      '           Fix: correct the field the finding names',
      '',
    ]);
    expect(stdout).toMatch(/\nFAIL 1 error, 2 warnings: 2 APIM instances, 2 subnets, 2 NSGs in 2 root modules \(5 files\), \d+\.\d\d s\n$/);
  });

  test('colour on a terminal only, never with NO_COLOR or --no-color; FORCE_COLOR forces it', () => {
    const escape = '\u001b[';
    expect(cli(['check', DELEGATED], { tty: true }).stdout).toContain(`${escape}31merror`);
    expect(cli(['check', SQL], { tty: true }).stdout).toContain(`${escape}33mwarning`);
    expect(cli(['check', SQL], { tty: false }).stdout).not.toContain(escape);
    expect(cli(['check', SQL], { tty: true, env: { NO_COLOR: '1' } }).stdout).not.toContain(escape);
    expect(cli(['check', SQL, '--no-color'], { tty: true }).stdout).not.toContain(escape);
    expect(cli(['check', SQL], { tty: true, env: { TERM: 'dumb' } }).stdout).not.toContain(escape);
    expect(cli(['check', SQL], { tty: false, env: { FORCE_COLOR: '1' } }).stdout).toContain(escape);
  });

  test('text from the input cannot drive the terminal', () => {
    const report = reportWith({ message: 'evil \u001b[2J\u0007 text' });
    expect(textReport(report, PLAIN)).toContain('evil ?[2J? text');
  });

  test('nor reorder what it shows (bidi controls, Trojan Source): text, Markdown and SARIF', () => {
    const trojan = 'allow\u202E;"443"\u2066 if admin\u2069\u2067x\u2068y\u202A\u202B\u202C\u202D\u200E\u200F\u061C\u2028\u2029';
    const report = reportWith({ message: trojan, address: `azurerm_subnet.a\u202Eb` });
    const shown = 'allow?;"443"? if admin??x?y?????????';
    expect(textReport(report, PLAIN)).toContain(shown);
    expect(textReport(report, PLAIN)).toContain('azurerm_subnet.a?b');
    expect(markdownCell(trojan)).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u2028\u2029]/);
    expect(JSON.parse(sarifReport(report)).runs[0].results[0].message.text).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u2028\u2029]/);
  });
});

describe('JSON (public API)', () => {
  test('one document for all inputs, findings with ruleId, level, address, message, file and line', () => {
    const { report } = jsonOf(['check', SQL, `${FIXTURES}/plan/plan.json`]);
    expect(Object.keys(report)).toEqual(['formatVersion', 'tool', 'mode', 'strict', 'exitCode', 'summary', 'inputs', 'findings', 'diagnostics', 'unresolved']);
    expect(report).toMatchObject({ formatVersion: 1, tool: { name: 'cdktf-apim-network' }, exitCode: 1, summary: { errors: 1, warnings: 2, apim: { instances: 2, subnets: 2, nsgs: 2 } } });
    expect(report.findings[0]).toEqual({
      ruleId: 'APIM-NSG-IMPLICIT', detail: 'Outbound:Sql:1433', level: 'warning', address: 'azurerm_network_security_group.apim',
      message: expect.any(String), fix: expect.any(String), file: `${SQL}/main.tf`, line: 32, input: SQL,
    });
    expect(report.findings[2]).toMatchObject({ address: 'module.network.azurerm_network_security_group.apim', file: `${FIXTURES}/plan/plan.json`, input: `${FIXTURES}/plan/plan.json` });
    expect(report.findings[2]).not.toHaveProperty('line');
  });
});

describe('Markdown', () => {
  test('a summary table and a findings table', () => {
    const { stdout } = cli(['check', SQL, DELEGATED, '--format', 'markdown']);
    expect(stdout).toMatch(/^## APIM network checks\n\n\*\*1 error\*\*, 2 warnings\.\n/);
    expect(stdout).toContain('| errors | warnings | unknown | APIM instances | subnets | NSGs | files |\n|---|---|---|---|---|---|---|\n| 1 | 2 | 0 | 2 | 2 | 2 | 5 |');
    expect(stdout).toContain(`| error | APIM-SUBNET-DELEGATION | azurerm\\_subnet.apim | test/fixtures/terraform/delegated-subnet/main.tf\\:15 |`);
    expect(stdout).toContain(`| warning | APIM-NSG-IMPLICIT\\[Outbound\\:Sql\\:1433\\] | azurerm\\_network\\_security\\_group.apim | test/fixtures/terraform/internal-sql-1443/main.tf\\:32 |`);
  });

  test.each([
    ['a|b', 'a\\|b'],
    ['line\nbreak', 'line break'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert\\(1\\)&gt;'],
    ['ping @team', 'ping &#64;team'],
    ['![x](http://evil)', '\\!\\[x\\]\\(http\\://evil\\)'],
    ['bell\u0007 and escape\u001b[31m', 'bell? and escape?\\[31m'],
    ['`code` *bold* _it_', '\\`code\\` \\*bold\\* \\_it\\_'],
  ])('escapes %j', (input, expected) => {
    expect(markdownCell(input)).toBe(expected);
    expect(markdownReport(reportWith({ message: input }))).toContain(`| ${expected} |`);
  });
});

describe('SARIF', () => {
  test.each<[string, string[]]>([
    ['findings with files and lines', ['check', `${FIXTURES}/delegated-subnet`, `${FIXTURES}/internal-sql-1443`]],
    ['a plan (findings without a line)', ['check', `${FIXTURES}/plan/plan.json`]],
    ['no finding', ['check', `${FIXTURES}/external-module`]],
    ['unknowns and a variable without value', ['check', `${FIXTURES}/dynamic-rules`]],
    ['an input that cannot be read (exit code 2)', ['check', `${FIXTURES}/broken`]],
    ['no APIM network (exit code 2)', ['check', `${FIXTURES}/no-apim`]],
  ])('is valid SARIF 2.1.0 (the schema @microsoft/jest-sarif bundles): %s', (_name, args) => {
    const log = JSON.parse(cli([...args, '--format', 'sarif']).stdout);
    expect(log).toBeValidSarifLog();
  });

  test('the validator refuses what is not SARIF 2.1.0 (so the tests above can fail)', () => {
    const log = JSON.parse(cli(['check', `${FIXTURES}/delegated-subnet`, '--format', 'sarif']).stdout);
    log.runs[0].results[0].level = 'fatal';
    expect(log).not.toBeValidSarifLog();
    expect({ version: '2.1.0', runs: [{}] }).not.toBeValidSarifLog();
  });

  test('expression failures are tool notifications with their location, and valid SARIF', () => {
    const log = JSON.parse(sarifReport({ ...reportWith({}), diagnostics: [{ file: 'main.tf', line: 4, message: 'x.r.name: the object has no attribute "b"' }, { message: 'no file' }] }));
    expect(log).toBeValidSarifLog();
    expect(log.runs[0].invocations[0].toolExecutionNotifications).toEqual([
      { level: 'warning', message: { text: 'x.r.name: the object has no attribute "b"' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'main.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 4 } } }] },
      { level: 'warning', message: { text: 'no file' } },
    ]);
  });

  test('results with physical locations (file and line), logical locations, rule metadata', () => {
    const sarif = JSON.parse(cli(['check', DELEGATED, SQL, '--format', 'sarif']).stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: any) => r.id)).toContain('APIM-SUBNET-DELEGATION');
    expect(run.results[0]).toMatchObject({
      ruleId: 'APIM-SUBNET-DELEGATION', level: 'error',
      locations: [{
        physicalLocation: { artifactLocation: { uri: `${DELEGATED}/main.tf`, uriBaseId: '%SRCROOT%' }, region: { startLine: 15 } },
        logicalLocations: [{ fullyQualifiedName: 'azurerm_subnet.apim', kind: 'resource' }],
      }],
    });
    expect(run.results[1]).toMatchObject({ ruleId: 'APIM-NSG-IMPLICIT', level: 'warning' });
    expect(run.results.map((r: any) => run.tool.driver.rules[r.ruleIndex].id)).toEqual(run.results.map((r: any) => r.ruleId));
    expect(run.invocations[0].executionSuccessful).toBe(true);
  });

  test('URIs are relative and percent-encoded', () => {
    expect(relativeUri('infra/my stack/main#1.tf')).toBe('infra/my%20stack/main%231.tf');
    expect(relativeUri('a\\b.tf')).toBe('a/b.tf');
    const sarif = JSON.parse(sarifReport(reportWith({ file: 'dir with space/x.tf', line: 3 })));
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('dir%20with%20space/x.tf');
  });

  test('a finding without a file (a plan) has a logical location only', () => {
    const sarif = JSON.parse(sarifReport(reportWith({ file: undefined, line: undefined })));
    expect(sarif.runs[0].results[0].locations[0]).toEqual({ logicalLocations: [{ fullyQualifiedName: 'azurerm_subnet.apim', kind: 'resource' }] });
  });
});

function reportWith(finding: Partial<CheckReport['findings'][number]>): CheckReport {
  return {
    formatVersion: 1, tool: { name: 'cdktf-apim-network', version: '0.0.0' }, mode: null, strict: false, exitCode: 1,
    summary: { errors: 1, warnings: 0, unknown: 0, apim: { instances: 1, subnets: 1, nsgs: 1 }, files: 1, durationMs: 1 },
    inputs: [], diagnostics: [], unresolved: { variables: [], remoteModules: [] },
    findings: [{ ruleId: 'APIM-SUBNET-SIZE', level: 'error', address: 'azurerm_subnet.apim', message: 'm', fix: 'f', file: 'main.tf', line: 1, input: '.', ...finding }],
  };
}

describe('breaker report 17: inputs outside the working directory', () => {
  // GIVEN a network in a folder whose name needs percent-encoding, checked from another folder
  const outside = tempDir({});
  const infra = path.join(outside, 'my infra#1 100%');
  fs.cpSync(path.join(ROOT, SQL), infra, { recursive: true });
  const elsewhere = tempDir({});

  test('SARIF names them by absolute file:// URIs (no uriBaseId), valid SARIF 2.1.0; files inside stay relative to %SRCROOT%', () => {
    const log = JSON.parse(cli(['check', infra, path.join(ROOT, DELEGATED), '--format', 'sarif'], { cwd: elsewhere }).stdout);
    expect(log).toBeValidSarifLog();
    const locations = log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation);
    expect(locations).toEqual(expect.arrayContaining([
      { uri: pathToFileURL(path.join(infra, 'main.tf')).href },
      { uri: pathToFileURL(path.join(ROOT, DELEGATED, 'main.tf')).href },
    ]));
    expect(locations.every((l: any) => l.uri.startsWith('file:///') && !l.uri.includes('..') && l.uriBaseId === undefined)).toBe(true);
    expect(pathToFileURL(path.join(infra, 'main.tf')).href).toContain('my%20infra%231%20100%25');
    const inside = JSON.parse(cli(['check', 'my infra#1 100%', '--format', 'sarif'], { cwd: outside }).stdout);
    expect(inside.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'my%20infra%231%20100%25/main.tf', uriBaseId: '%SRCROOT%' });
  });

  test('the other formats name them by absolute path, never by a path that climbs out with ../', () => {
    const { report } = jsonOf(['check', infra], { cwd: elsewhere });
    expect(report.inputs[0].path).toBe(infra);
    expect(report.findings.map((f: any) => f.file)).toEqual([path.join(infra, 'main.tf'), path.join(infra, 'main.tf')]);
    expect(cli(['check', infra], { cwd: elsewhere }).stdout).toContain(`${path.join(infra, 'main.tf')}:32`);
  });

  test('a tool notification about a file outside the working directory points at it with a file:// URI too', () => {
    const file = path.join(outside, 'x.tf');
    const log = JSON.parse(sarifReport({ ...reportWith({ file }), diagnostics: [{ file, line: 2, message: 'm' }] }));
    expect(log).toBeValidSarifLog();
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: pathToFileURL(file).href });
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: pathToFileURL(file).href });
  });
});
