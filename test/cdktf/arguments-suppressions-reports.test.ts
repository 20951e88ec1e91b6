/**
 * Bad arguments get ApimNetworkError from every public entry point; suppressions work at any scope, the App included;
 * reports are safe to post (Markdown) and valid (SARIF 2.1.0).
 */
import '@microsoft/jest-sarif';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import {
  ApimNetworkChecks, ApimNetworkErrors, ApimNetworkRules, ApimNetworkTesting, ApimRuleLevel, ApimRuleOutcome,
} from '../../lib';
import { escapeMarkdown, markdownReport, relativeUri, sarifReport } from '../../lib/checks/report';
import { network } from '../checks/raw-json';
import { brownfieldInApp } from '../fixtures/brownfield-app';
import { thrown } from '../support/stack';

function app(outdir?: string): App {
  return new App({ outdir: outdir ?? Testing.app().outdir, stackTraces: false });
}

describe('every public entry point refuses bad arguments with ApimNetworkError', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['applyTo on a construct outside any stack', () => ApimNetworkChecks.applyTo(new Construct(app(), 'loose')), /scope "loose": it is neither an App nor inside a TerraformStack/],
    ['applyTo on something that is not a construct', () => ApimNetworkChecks.applyTo({} as any), /it is not a construct/],
    ['applyTo with options that are not an object', () => ApimNetworkChecks.applyTo(app(), 'strict' as any), /options "strict": it is not an options object/],
    ['suppressionsOf(null)', () => ApimNetworkChecks.suppressionsOf(null as any), /stack null: it is not a TerraformStack/],
    ['isRegistered on an App', () => ApimNetworkChecks.isRegistered(app() as any), /it is not a TerraformStack/],
    ['register on a string', () => new ApimNetworkChecks().register('stack' as any), /it is not a TerraformStack/],
    ['suppress(null, ...)', () => ApimNetworkChecks.suppress(null as any, 'APIM-NSG-REQUIRED', 'a reason long enough'), /it is not a construct/],
    ['evaluate(doc, {})', () => ApimNetworkRules.evaluate(network(), {} as any), /suppressions \{\}: it is not a list/],
    ['evaluate(doc, [{ ... }]) with a malformed suppression', () => ApimNetworkRules.evaluate(network(), [{ ruleId: 'APIM-NSG-REQUIRED' }] as any), /suppressions\[0\]\.reason \(missing\): a suppression needs a reason/],
    ['evaluate(doc, [5])', () => ApimNetworkRules.evaluate(network(), [5] as any), /suppressions\[0\] 5: it is not a suppression/],
    ['evaluate(doc, [], "yes")', () => ApimNetworkRules.evaluate(network(), [], 'yes' as any), /strict "yes": it is not a boolean/],
    ['evaluate of a string (not parsed JSON)', () => ApimNetworkRules.evaluate('{"resource":{}}'), /document .*it is a string, not parsed Terraform JSON/],
    ['evaluateWith(doc, [])', () => ApimNetworkRules.evaluateWith(network(), [] as any), /options \[\]: it is not an options object/],
    ['evaluateWith with an unknown orphanNsgs', () => ApimNetworkRules.evaluateWith(network(), { orphanNsgs: 'some' as any }), /options\.orphanNsgs "some": it is not an ApimOrphanNsgs value/],
    ['evaluateWith with variables that are not a map', () => ApimNetworkRules.evaluateWith(network(), { variables: ['a'] as any }), /options\.variables.*it is not a map/],
    ['ApimNetworkTesting.findings(stack, "strict")', () => ApimNetworkTesting.findings(brownfieldInApp(app(), 's'), 'strict' as any), /options "strict": it is not \{ strict\?: boolean \}/],
    ['ApimNetworkTesting.errors(undefined)', () => ApimNetworkTesting.errors(undefined as any), /it is not a TerraformStack/],
  ];
  test.each(cases)('%s', (_name, call, message) => {
    const error = thrown(call);
    expect(ApimNetworkErrors.isApimNetworkError(error)).toBe(true);
    expect(error.message).toMatch(message);
  });
});

describe('suppressions', () => {
  test('at the App scope: they cover every stack', () => {
    const a = app();
    brownfieldInApp(a, 'one', { withoutRule: 'management' });
    brownfieldInApp(a, 'two', { withoutRule: 'management' });
    ApimNetworkChecks.suppress(a, 'APIM-NSG-REQUIRED[Inbound:ApiManagement:3443]', 'management goes through the platform team\'s firewall');
    ApimNetworkChecks.applyTo(a);
    expect(() => a.synth()).not.toThrow();
    for (const stack of ['one', 'two']) {
      const json = JSON.parse(fs.readFileSync(path.join(a.outdir, 'stacks', stack, 'apim-network-checks.json'), 'utf8'));
      expect(json.outcomes.filter((o: any) => o.outcome === ApimRuleOutcome.SUPPRESSED).map((o: any) => o.suppressionReason))
        .toEqual(['management goes through the platform team\'s firewall']);
      expect(json.findings).toEqual([]);
    }
  });

  test('an App suppression that one stack uses is not unused; one that no stack uses is reported once, with where it was set', () => {
    const a = app();
    brownfieldInApp(a, 'one', { withoutRule: 'management' });
    brownfieldInApp(a, 'two');
    ApimNetworkChecks.suppress(a, 'APIM-NSG-REQUIRED[Inbound:ApiManagement:3443]', 'management goes through the platform team\'s firewall');
    ApimNetworkChecks.suppress(a, 'APIM-SUBNET-DELEGATION', 'left over from the migration to v2');
    ApimNetworkChecks.applyTo(a);
    a.synth();
    const findings = ['one', 'two'].flatMap((stack) =>
      JSON.parse(fs.readFileSync(path.join(a.outdir, 'stacks', stack, 'apim-network-checks.json'), 'utf8')).findings);
    expect(findings.map((f: any) => [f.ruleId, f.detail, f.constructPath, f.message])).toEqual([
      ['APIM-SUPPRESSION-UNUSED', 'APIM-SUBNET-DELEGATION', 'the App', expect.stringMatching(/set on the App \("left over from the migration to v2"\) matched no finding/)],
    ]);
    const manifest = JSON.parse(fs.readFileSync(path.join(a.outdir, 'manifest.json'), 'utf8'));
    expect(JSON.stringify(manifest)).toMatch(/APIM-SUPPRESSION-UNUSED\[APIM-SUBNET-DELEGATION\]\] the App: the suppression/);
  });

  test('on a construct above a stack (a grouping construct holding stacks)', () => {
    const a = app();
    const group = new Construct(a, 'platform');
    const stack = brownfieldInApp(group, 'weu', { withoutRule: 'management' });
    ApimNetworkChecks.suppress(group, 'APIM-NSG-REQUIRED', 'the platform group runs its own management rules');
    expect(ApimNetworkTesting.errors(stack)).toEqual([]);
    expect(ApimNetworkChecks.suppressionsOf(stack).map((s) => s.constructPath)).toEqual(['platform']);
  });

  test.each([
    ['spaces only', ' '.repeat(12)],
    ['zero-width spaces', '\u200b'.repeat(12)],
    ['nine visible characters padded with spaces and zero-width joiners', 'too short\u200d\u200d   '],
    ['a non-breaking space pad', 'short\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0'],
  ])('a reason needs 10 visible characters: %s is refused', (_name, reason) => {
    const stack = brownfieldInApp(app(), 'r');
    expect(ApimNetworkErrors.codeOf(thrown(() => ApimNetworkChecks.suppress(stack, 'APIM-NSG-REQUIRED', reason)))).toBe('INVALID_SUPPRESSION');
  });
});

describe('the Markdown report is inert text', () => {
  const hostile = 'evil|name\r\nnext line <img src=x onerror=alert(1)> ![pwn](https://e.example/x.png) @security-team `code` **bold** [link](https://e.example)';

  test('escapeMarkdown neutralises pipes, line breaks, HTML, images, links, mentions, code spans and emphasis', () => {
    const text = escapeMarkdown(hostile);
    expect(text).not.toMatch(/[\r\n]/);
    expect(text).not.toMatch(/<|>/);
    expect(text).not.toMatch(/(^|[^\\])[|`*[\]!()]/);
    expect(text).not.toMatch(/@security-team/);
    expect(text).toMatch(/&#64;security-team/);
  });

  test('a finding about a resource with a hostile name keeps the table intact', () => {
    const doc = network();
    doc.resource.azurerm_public_ip.apim.sku = hostile;
    const result = ApimNetworkRules.evaluate(doc, [{ ruleId: 'APIM-PIP-ROUTING', reason: hostile, constructPath: 'azurerm_public_ip.apim' }]);
    const md = markdownReport(result, `stack ${hostile}`);
    const lines = md.split('\n');
    const rows = lines.filter((l) => l.startsWith('| error |') || l.startsWith('| warning |'));
    expect(rows).toHaveLength(result.findings.length);
    for (const row of rows) {
      expect(row.split(/(?<!\\)\|/)).toHaveLength(7);
    }
    expect(md).not.toMatch(/<img|!\[pwn\]|(?<!&#64;)@security-team|\r/);
  });
});

describe('the SARIF log', () => {
  test('is valid SARIF 2.1.0 (the schema @microsoft/jest-sarif bundles), with and without findings and source lines', () => {
    const failing = network({ rules: [] });
    failing.resource.azurerm_network_security_group.nsg['//'] = { metadata: { path: 'module.net.nsg', address: 'module.net.azurerm_network_security_group.nsg', file: 'modules/net work/nsg.tf', line: 7 } };
    for (const doc of [network(), failing]) {
      const log = JSON.parse(sarifReport(ApimNetworkRules.evaluate(doc), 'cdktf.out/stacks/platform/cdk.tf.json'));
      expect(log).toBeValidSarifLog();
    }
    const log = JSON.parse(sarifReport(ApimNetworkRules.evaluate(failing), 'cdktf.out/stacks/platform/cdk.tf.json'));
    const fromSource = log.runs[0].results.find((r: any) => r.locations[0].logicalLocations[0].fullyQualifiedName === 'module.net.azurerm_network_security_group.nsg');
    expect(fromSource.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'modules/net%20work/nsg.tf', uriBaseId: '%SRCROOT%' }, region: { startLine: 7 } });
  });

  test('artifact URIs are percent-encoded and relative to the directory synth runs in', () => {
    expect(relativeUri('cdktf.out/stacks/my stack#1/cdk.tf.json')).toBe('cdktf.out/stacks/my%20stack%231/cdk.tf.json');
    const cwd = process.cwd();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sarif-cwd-'));
    try {
      process.chdir(dir);
      const a = app('cdktf.out');
      const stack: TerraformStack = brownfieldInApp(a, 'platform', { withoutRule: 'management' });
      ApimNetworkChecks.applyTo(stack);
      expect(() => a.synth()).toThrow(/APIM-NSG-REQUIRED/);
      const log = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'platform', 'apim-network-checks.sarif'), 'utf8'));
      expect(log).toBeValidSarifLog();
      expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'cdktf.out/stacks/platform/cdk.tf.json', uriBaseId: '%SRCROOT%' });
      expect(log.runs[0].results[0].level).toBe(ApimRuleLevel.ERROR);
    } finally {
      process.chdir(cwd);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
