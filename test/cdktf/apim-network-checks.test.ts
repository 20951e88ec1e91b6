import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type * as Sarif from 'sarif';
import { App, Aspects, IAspect, TerraformStack, Testing } from 'cdktf';
import { IConstruct } from 'constructs';
import {
  ApimNetworkChecks, ApimNetworkErrorCode, ApimNetworkRules, ApimNetworkTesting, ApimRuleLevel, ApimVirtualNetworkType,
  MultiRegionApimNetwork,
} from '../../lib';
import * as engine from '../../lib/checks/engine';
import { brownfieldInApp } from '../fixtures/brownfield-app';
import { thrown } from '../support/stack';

function app(): App {
  return new App({ outdir: Testing.app().outdir, stackTraces: false });
}

function reportsOf(a: App, stack: string) {
  const dir = path.join(a.outdir, 'stacks', stack);
  return {
    dir,
    json: () => JSON.parse(fs.readFileSync(path.join(dir, 'apim-network-checks.json'), 'utf8')),
    markdown: () => fs.readFileSync(path.join(dir, 'apim-network-checks.md'), 'utf8'),
    sarif: () => JSON.parse(fs.readFileSync(path.join(dir, 'apim-network-checks.sarif'), 'utf8')) as Sarif.Log,
  };
}

describe('enforcement through app.synth() (what cdktf synth runs)', () => {
  test('an error finding fails synth with the rule id, with the aspect added to the stack', () => {
    const a = app();
    const stack = brownfieldInApp(a, 'violating', { withoutRule: 'management' });
    Aspects.of(stack).add(new ApimNetworkChecks());
    expect(() => a.synth()).toThrow(/\[APIM-NSG-REQUIRED\[Inbound:ApiManagement:3443\]\] azurerm_network_security_group\.nsg \(violating\/nsg\): no rule allows Inbound TCP 3443/);
  });

  test('an error finding fails synth with ApimNetworkChecks.applyTo(app), in every stack', () => {
    const a = app();
    brownfieldInApp(a, 'clean');
    brownfieldInApp(a, 'violating', { withoutRule: 'client' });
    ApimNetworkChecks.applyTo(a);
    expect(() => a.synth()).toThrow(/\[APIM-NSG-REQUIRED\[Inbound:Internet:443\]\]/);
  });

  test('Testing.fullSynth fails too', () => {
    const stack = brownfieldInApp(Testing.app(), 'violating', { withoutRule: 'management' });
    ApimNetworkChecks.applyTo(stack);
    expect(() => Testing.fullSynth(stack)).toThrow(/APIM-NSG-REQUIRED\[Inbound:ApiManagement:3443\]/);
  });

  test('Aspects.of(app) alone is NOT enough: cdktf never runs App aspects, so nothing is checked (the README says so)', () => {
    const a = app();
    brownfieldInApp(a, 'violating', { withoutRule: 'management' });
    Aspects.of(a).add(new ApimNetworkChecks());
    expect(() => a.synth()).not.toThrow();
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toMatch(/`Aspects\.of\(app\)`[^\n]*(never|not enough|does nothing)/);
  });

  test('a stack created after applyTo(app) is reported, not silently skipped', () => {
    const a = app();
    brownfieldInApp(a, 'first');
    ApimNetworkChecks.applyTo(a);
    brownfieldInApp(a, 'late');
    expect(() => a.synth()).toThrow(/stack "late" was created after ApimNetworkChecks\.applyTo\(app\)/);
  });

  test('warnings do not fail synth; strict makes them fail', () => {
    const build = (strict: boolean) => {
      const a = app();
      // Without the certificates rule, Azure's default AllowInternetOutBound still carries Internet:80: a warning.
      brownfieldInApp(a, 'warn', { withoutRule: 'certs' });
      ApimNetworkChecks.applyTo(a, { strict });
      return a;
    };
    expect(() => build(false).synth()).not.toThrow();
    expect(() => build(true).synth()).toThrow(/\[APIM-NSG-IMPLICIT\[Outbound:Internet:80\]\]/);
  });

  test('evaluates after every aspect: a mutation made by a later aspect is seen', () => {
    class AddDelegation implements IAspect {
      public visit(node: IConstruct): void {
        if (node instanceof Subnet) {
          node.addOverride('delegation', [{ name: 'd', service_delegation: { name: 'Microsoft.Web/serverFarms' } }]);
        }
      }
    }
    const a = app();
    const stack = brownfieldInApp(a, 'mutated');
    Aspects.of(stack).add(new ApimNetworkChecks());
    Aspects.of(stack).add(new AddDelegation());
    expect(() => a.synth()).toThrow(/\[APIM-SUBNET-DELEGATION\] azurerm_subnet\.subnet .*delegated to Microsoft\.Web\/serverFarms/);
  });

  test('one evaluation per stack per synth, however many networks and aspects register the checks', () => {
    const a = app();
    const stack = new TerraformStack(a, 'two-networks');
    const { AzurermProvider } = jest.requireActual('@cdktf/provider-azurerm/lib/provider');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    for (const name of ['one', 'two']) {
      new MultiRegionApimNetwork(stack, name, {
        virtualNetworkType: ApimVirtualNetworkType.INTERNAL, apiManagementName: `apim-${name}`, resourceGroupName: 'rg',
        regions: [{ location: 'westeurope', addressSpace: [name === 'one' ? '10.1.0.0/16' : '10.2.0.0/16'], subnetAddressPrefix: name === 'one' ? '10.1.1.0/27' : '10.2.1.0/27' }],
      });
    }
    Aspects.of(stack).add(new ApimNetworkChecks());
    const spy = jest.spyOn(engine, 'evaluateDocument');
    a.synth();
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  test('MultiRegionApimNetwork registers the checks on its stack by default, with an opt-out', () => {
    const build = (checks: boolean | undefined) => {
      const a = app();
      const stack = new TerraformStack(a, 'net');
      const { AzurermProvider } = jest.requireActual('@cdktf/provider-azurerm/lib/provider');
      new AzurermProvider(stack, 'azurerm', { features: [{}] });
      const network = new MultiRegionApimNetwork(stack, 'network', {
        virtualNetworkType: ApimVirtualNetworkType.EXTERNAL, apiManagementName: 'contoso', resourceGroupName: 'rg', checks,
        regions: [{ location: 'westeurope', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' }],
      });
      // Break the network behind the construct's back: rule 1 (inbound, priority order) is apim-management.
      (network.primary.networkSecurityGroup.networkSecurityGroup as NetworkSecurityGroup).addOverride('security_rule.1.destination_port_range', '3433');
      return { a, stack };
    };
    const checked = build(undefined);
    expect(ApimNetworkChecks.isRegistered(checked.stack)).toBe(true);
    expect(() => checked.a.synth()).toThrow(/\[APIM-NSG-REQUIRED\[Inbound:ApiManagement:3443\]\]/);
    const unchecked = build(false);
    expect(ApimNetworkChecks.isRegistered(unchecked.stack)).toBe(false);
    expect(() => unchecked.a.synth()).not.toThrow();
  });
});

describe('outside review, session 5, finding 9: a long expression written with addOverride', () => {
  // (Longer ones, and runs of unary minus, are in test/checks/arithmetic.test.ts: cdktf's own synth of a string of
  // 20,000 terms takes seconds with or without the checks.)
  test.each([
    ['2,000 terms of "1+"', `\${${Array(2_000).fill('1').join('+')}}`],
  ])('%s: synth reports the priority as unknown, no RangeError', (_name, expression) => {
    const a = app();
    const stack = new TerraformStack(a, 'net');
    const { AzurermProvider } = jest.requireActual('@cdktf/provider-azurerm/lib/provider');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    const network = new MultiRegionApimNetwork(stack, 'network', {
      virtualNetworkType: ApimVirtualNetworkType.EXTERNAL, apiManagementName: 'contoso', resourceGroupName: 'rg',
      regions: [{ location: 'westeurope', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' }],
    });
    (network.primary.networkSecurityGroup.networkSecurityGroup as NetworkSecurityGroup).addOverride('security_rule.1.priority', expression);
    a.synth();
    const report = reportsOf(a, 'net').json();
    expect(JSON.stringify(report)).toMatch(/APIM-UNKNOWN/);
  });
});

describe('npx cdktf synth', () => {
  test('fails on an error finding and prints it', () => {
    const root = path.join(__dirname, '..', '..');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-violating-'));
    const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf'), 'synth',
      '--app', 'npx ts-node --transpile-only test/fixtures/violating-app.ts', '--output', out], {
      cwd: root, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', CI: '1', TF_CLI_CONFIG_FILE: '' }, timeout: 120_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/\[APIM-NSG-REQUIRED\[Inbound:ApiManagement:3443\]\]/);
  });
});

describe('suppressions', () => {
  test('a suppression with a reason turns the error into a suppressed outcome, scoped to the subtree', () => {
    const a = app();
    const stack = brownfieldInApp(a, 'suppressed', { withoutRule: 'management' });
    ApimNetworkChecks.suppress(stack.node.findChild('nsg'), 'APIM-NSG-REQUIRED[Inbound:ApiManagement:3443]',
      'management traffic is allowed by the hub firewall policy');
    ApimNetworkChecks.applyTo(a);
    expect(() => a.synth()).not.toThrow();
    const report = reportsOf(a, 'suppressed').json();
    expect(report.outcomes).toContainEqual(expect.objectContaining({
      ruleId: 'APIM-NSG-REQUIRED', detail: 'Inbound:ApiManagement:3443', outcome: 'suppressed',
      suppressionReason: 'management traffic is allowed by the hub firewall policy',
    }));
    expect(reportsOf(a, 'suppressed').markdown()).toMatch(/### Suppressed[\s\S]*management traffic is allowed by the hub firewall policy/);
  });

  test('a suppression elsewhere in the tree does not apply', () => {
    const a = app();
    const stack = brownfieldInApp(a, 'other', { withoutRule: 'management' });
    ApimNetworkChecks.suppress(stack.node.findChild('pip'), 'APIM-NSG-REQUIRED', 'wrong construct, must not apply');
    ApimNetworkChecks.applyTo(a);
    expect(() => a.synth()).toThrow(/APIM-NSG-REQUIRED/);
  });

  test('a suppression of the whole rule on the stack covers every detail', () => {
    const stack = brownfieldInApp(Testing.app(), 'whole', { withoutRule: 'management' });
    ApimNetworkChecks.suppress(stack, 'APIM-NSG-REQUIRED', 'the NSG is managed by the network team');
    expect(ApimNetworkTesting.errors(stack)).toEqual([]);
  });

  test('a suppression that matched nothing is reported', () => {
    const stack = brownfieldInApp(Testing.app(), 'unused');
    ApimNetworkChecks.suppress(stack.node.findChild('subnet'), 'APIM-SUBNET-DELEGATION', 'kept from an old migration');
    const findings = ApimNetworkTesting.findings(stack);
    expect(findings).toEqual([expect.objectContaining({
      ruleId: 'APIM-SUPPRESSION-UNUSED', level: ApimRuleLevel.WARNING, constructPath: 'unused/subnet',
      message: 'the suppression of APIM-SUBNET-DELEGATION set on unused/subnet ("kept from an old migration") matched no finding',
    })]);
  });

  test('APIM-UNKNOWN can be suppressed per rule', () => {
    const stack = brownfieldInApp(Testing.app(), 'unknown');
    (stack.node.findChild('pip') as any).addOverride('sku', '${var.sku}');
    expect(ApimNetworkTesting.findings(stack).map((f) => `${f.ruleId}[${f.detail}]`)).toEqual(['APIM-UNKNOWN[APIM-PIP-SKU]']);
    ApimNetworkChecks.suppress(stack, 'APIM-UNKNOWN[APIM-PIP-SKU]', 'the SKU variable is validated by policy');
    expect(ApimNetworkTesting.findings(stack)).toEqual([]);
  });

  test.each([
    ['a short reason', 'APIM-NSG-REQUIRED', 'because', /reason "because": a suppression needs a reason of at least 10 visible characters/],
    ['an unknown rule', 'APIM-NOPE', 'a perfectly fine reason', /ruleId "APIM-NOPE": it is not a rule id of ApimNetworkChecks/],
    ['a cdk-nag style id', 'AwsSolutions-EC23', 'a perfectly fine reason', /it is not a rule id/],
  ])('refuses %s', (_name, ruleId, reason, message) => {
    const stack = brownfieldInApp(Testing.app(), 'bad');
    const error = thrown(() => ApimNetworkChecks.suppress(stack, ruleId, reason));
    expect(error.code).toBe(ApimNetworkErrorCode.INVALID_SUPPRESSION);
    expect(error.message).toMatch(/^\[[A-Z0-9_]+\] bad: /);
    expect(error.message).toMatch(message);
  });
});

describe('reports', () => {
  test('a clean stack writes JSON, Markdown and SARIF beside cdk.tf.json', () => {
    const a = app();
    brownfieldInApp(a, 'clean');
    ApimNetworkChecks.applyTo(a);
    a.synth();
    const reports = reportsOf(a, 'clean');
    expect(fs.existsSync(path.join(reports.dir, 'cdk.tf.json'))).toBe(true);
    const json = reports.json();
    expect(json.summary).toMatchObject({ errors: 0, warnings: 0, fail: 0 });
    expect(json.summary.pass).toBeGreaterThan(30);
    // The test app writes outside the working directory: the location is then the file's URL.
    expect(json.stackFile).toBe(pathToFileURL(path.join(a.outdir, 'stacks', 'clean', 'cdk.tf.json')).href);
    expect(new Set(json.outcomes.map((o: any) => o.outcome))).toEqual(new Set(['pass']));
    expect(json.outcomes).toContainEqual(expect.objectContaining({ ruleId: 'APIM-NSG-REQUIRED', address: 'azurerm_network_security_group.nsg', outcome: 'pass' }));
    expect(json.rules.map((r: any) => r.id)).toEqual(ApimNetworkRules.all().map((r) => r.id));
    expect(reports.markdown()).toMatch(/^## APIM network checks: clean\n\nNo errors\./);
    const sarif = reports.sarif();
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toEqual([]);
  });

  test('the SARIF log of a failing stack has the 2.1.0 shape', () => {
    const a = app();
    brownfieldInApp(a, 'failing', { withoutRule: 'management' });
    ApimNetworkChecks.applyTo(a);
    expect(() => a.synth()).toThrow();
    const sarif = reportsOf(a, 'failing').sarif();
    expectSarifShape(sarif);
    const result = sarif.runs[0].results![0];
    expect(result).toMatchObject({ ruleId: 'APIM-NSG-REQUIRED', level: 'error' });
    expect(sarif.runs[0].tool.driver.rules![result.ruleIndex!].id).toBe('APIM-NSG-REQUIRED');
    expect(result.locations![0].physicalLocation!.artifactLocation!.uri).toBe(pathToFileURL(path.join(a.outdir, 'stacks', 'failing', 'cdk.tf.json')).href);
    expect(result.locations![0].logicalLocations![0].fullyQualifiedName).toBe('azurerm_network_security_group.nsg');
  });
});

/**
 * The required structure of SARIF 2.1.0 (OASIS sarif-v2.1.0 section 3): a log with version "2.1.0" and runs; each run
 * a tool with a driver that has a name; rules with ids; results with a message text, a level from the spec's set, and
 * ruleIndex pointing at the rule of the same id. Types come from @types/sarif.
 */
function expectSarifShape(log: Sarif.Log): void {
  expect(log.version).toBe('2.1.0');
  expect(typeof log.$schema).toBe('string');
  expect(Array.isArray(log.runs)).toBe(true);
  for (const run of log.runs) {
    expect(typeof run.tool.driver.name).toBe('string');
    const rules = run.tool.driver.rules ?? [];
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const rule of rules) {
      expect(typeof rule.id).toBe('string');
      expect(['none', 'note', 'warning', 'error']).toContain(rule.defaultConfiguration?.level);
      expect(typeof rule.shortDescription?.text).toBe('string');
    }
    for (const result of run.results ?? []) {
      expect(typeof result.message.text).toBe('string');
      expect(['none', 'note', 'warning', 'error']).toContain(result.level);
      expect(rules[result.ruleIndex as number].id).toBe(result.ruleId);
      for (const location of result.locations ?? []) {
        expect(typeof location.physicalLocation?.artifactLocation?.uri).toBe('string');
      }
    }
  }
}
