import { CheckReport, markdownCell, markdownReport, sarifReport, sarifUri, textReport, PLAIN } from '../../lib/cli/report';
import { FIXTURES, cli, jsonOf } from './support';

const SQL = `${FIXTURES}/internal-sql-1443`;

describe('text', () => {
  test('grouped by resource, with file and line, fix, and a closing verdict', () => {
    const { code, stdout } = cli(['check', SQL]);
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines.slice(0, -2)).toEqual([
      `azurerm_network_security_group.apim  ${SQL}/main.tf:32`,
      '  error    APIM-NSG-REQUIRED[Outbound:Sql:1433]',
      '           no rule allows Outbound TCP 1433 from VirtualNetwork to Sql (Internal mode); APIM needs it for: Azure SQL dependency',
      '           Fix: add an Allow rule for the flow (ApimNetworkSecurityGroup renders all of them)',
      '  warning  APIM-NSG-NEARMISS[apim-azure-sql:port]',
      '           rule "apim-azure-sql" looks like the APIM rule sql (Outbound Tcp 1433 to Sql) but has port 1443 where sql needs 1433',
      '           Fix: correct the field the finding names',
      '',
    ]);
    expect(stdout).toMatch(/\nFAIL 1 error, 1 warning: 1 APIM network in 1 root module \(1 file\), \d+\.\d\d s\n$/);
  });

  test('colour on a terminal only, never with NO_COLOR or --no-color; FORCE_COLOR forces it', () => {
    const escape = '\u001b[';
    expect(cli(['check', SQL], { tty: true }).stdout).toContain(`${escape}31merror`);
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
});

describe('JSON (public API)', () => {
  test('one document for all inputs, findings with ruleId, level, address, message, file and line', () => {
    const { report } = jsonOf(['check', SQL, `${FIXTURES}/plan/plan.json`]);
    expect(Object.keys(report)).toEqual(['formatVersion', 'tool', 'mode', 'strict', 'exitCode', 'summary', 'inputs', 'findings', 'diagnostics', 'unresolved']);
    expect(report).toMatchObject({ formatVersion: 1, tool: { name: 'cdktf-apim-network' }, exitCode: 1, summary: { errors: 2, warnings: 1, apimNetworks: 2 } });
    expect(report.findings[0]).toEqual({
      ruleId: 'APIM-NSG-REQUIRED', detail: 'Outbound:Sql:1433', level: 'error', address: 'azurerm_network_security_group.apim',
      message: expect.any(String), fix: expect.any(String), file: `${SQL}/main.tf`, line: 32, input: SQL,
    });
    expect(report.findings[2]).toMatchObject({ address: 'module.network.azurerm_network_security_group.apim', file: `${FIXTURES}/plan/plan.json`, input: `${FIXTURES}/plan/plan.json` });
    expect(report.findings[2]).not.toHaveProperty('line');
  });
});

describe('Markdown', () => {
  test('a summary table and a findings table', () => {
    const { stdout } = cli(['check', SQL, '--format', 'markdown']);
    expect(stdout).toMatch(/^## APIM network checks\n\n\*\*1 error\*\*, 1 warning\.\n/);
    expect(stdout).toContain('| errors | warnings | unknown | APIM networks | files |\n|---|---|---|---|---|\n| 1 | 1 | 0 | 1 | 1 |');
    expect(stdout).toContain(`| error | APIM-NSG-REQUIRED\\[Outbound:Sql:1433\\] | azurerm\\_network\\_security\\_group.apim | test/fixtures/terraform/internal-sql-1443/main.tf:32 |`);
  });

  test.each([
    ['a|b', 'a\\|b'],
    ['line\nbreak', 'line break'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert\\(1\\)&gt;'],
    ['ping @team', 'ping &#64;team'],
    ['![x](http://evil)', '\\!\\[x\\]\\(http://evil\\)'],
    ['`code` *bold* _it_', '\\`code\\` \\*bold\\* \\_it\\_'],
  ])('escapes %j', (input, expected) => {
    expect(markdownCell(input)).toBe(expected);
    expect(markdownReport(reportWith({ message: input }))).toContain(`| ${expected} |`);
  });
});

describe('SARIF', () => {
  test('results with physical locations (file and line), logical locations, rule metadata', () => {
    const sarif = JSON.parse(cli(['check', SQL, '--format', 'sarif']).stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: any) => r.id)).toContain('APIM-NSG-REQUIRED');
    expect(run.results[0]).toMatchObject({
      ruleId: 'APIM-NSG-REQUIRED', level: 'error',
      locations: [{
        physicalLocation: { artifactLocation: { uri: `${SQL}/main.tf`, uriBaseId: '%SRCROOT%' }, region: { startLine: 32 } },
        logicalLocations: [{ fullyQualifiedName: 'azurerm_network_security_group.apim', kind: 'resource' }],
      }],
    });
    expect(run.tool.driver.rules[run.results[0].ruleIndex].id).toBe('APIM-NSG-REQUIRED');
    expect(run.invocations[0].executionSuccessful).toBe(true);
  });

  test('URIs are relative and percent-encoded', () => {
    expect(sarifUri('infra/my stack/main#1.tf')).toBe('infra/my%20stack/main%231.tf');
    expect(sarifUri('a\\b.tf')).toBe('a/b.tf');
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
    summary: { errors: 1, warnings: 0, unknown: 0, apimNetworks: 1, files: 1, durationMs: 1 },
    inputs: [], diagnostics: [], unresolved: { variables: [], remoteModules: [], unattachedApimNsgs: [] },
    findings: [{ ruleId: 'APIM-SUBNET-SIZE', level: 'error', address: 'azurerm_subnet.apim', message: 'm', fix: 'f', file: 'main.tf', line: 1, input: '.', ...finding }],
  };
}
