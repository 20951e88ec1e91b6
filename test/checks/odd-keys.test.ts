/**
 * Keys and strings that the data controls, which JavaScript treats specially: an attribute named `__proto__` (or
 * `constructor`), a construct path through `constructor` or `__proto__`, strings that end in `},{`, and addresses or
 * locations holding NUL. Found by an outside review of the engine's speed-ups (each case was a regression or a latent
 * bug); every one must give the verdict of a plain key, a valid report, and no crash.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { documentedRules, findings, ids, network, unknowns } from './raw-json';
import { ApimCheckOutcome, ApimCheckResult, ApimNetworkChecks, ApimRuleOutcome, ApimVirtualNetworkType, MultiRegionApimNetwork } from '../../lib';
import { evaluateDocument } from '../../lib/checks/engine';
import * as fc from 'fast-check';
import { jsonReport, outcomeLines } from '../../lib/checks/report';
import { ApimNetworkRules } from '../../lib/checks/public';
import { asCdktfSynth } from '../support/stack';

/** The documented rules, the client rule without `access` and with an attribute named `__proto__` holding one. */
function withProtoKey(access: string): string {
  const rules = documentedRules();
  delete rules[0].access;
  return JSON.stringify(network({ rules })).replace('"name":"client"', `"__proto__":{"access":"${access}"},"name":"client"`);
}

describe('an attribute named __proto__ is an attribute like any other, never a prototype', () => {
  test.each(['Deny', 'Allow'])('through ApimNetworkRules.evaluate: the rule without access is unknown, whatever __proto__ holds (%s)', (access) => {
    const result = ApimNetworkRules.evaluate(JSON.parse(withProtoKey(access)));
    expect(unknowns(result, 'APIM-NSG-REQUIRED').length).toBeGreaterThan(0);
    expect(findings(result, 'APIM-NSG-REQUIRED')).toEqual([]);
  });

  test.each(['Deny', 'Allow'])('through the engine directly (the synth and CLI path): the same (%s)', (access) => {
    const result = evaluateDocument(JSON.parse(withProtoKey(access)));
    expect(ids(result)).toEqual(ids(ApimNetworkRules.evaluate(JSON.parse(withProtoKey(access)))));
  });

  test('a reference to an attribute named like an Object member is not set, not a function', () => {
    const document = network({ subnet: { address_prefixes: ['${azurerm_virtual_network.vnet.constructor}'] } });
    const result = evaluateDocument(document);
    expect(result.findings.some((f) => /constructor/.test(f.message))).toBe(true);
    expect(JSON.stringify(result)).not.toMatch(/function|native code/);
  });
});

describe('the JSON report stays valid JSON, one outcome per line', () => {
  const outcome = (address: string, constructPath: string) => ({ ruleId: 'APIM-X', address, constructPath, outcome: ApimRuleOutcome.PASS });

  test.each([['stack/x},{'], ['a},{"'], ['},{'], ['q"},{"r'], ['line\u2028break']])('a value %j', (value) => {
    const result: ApimCheckResult = { outcomes: [outcome('a', value), outcome(value, 'b'), outcome('c', 'd')], findings: [], durationMs: 1 };
    const text = jsonReport(result, 'stack', 'cdk.tf.json');
    expect(JSON.parse(text).outcomes).toEqual(result.outcomes);
    const lines = text.split('\n');
    const first = lines.indexOf('  "outcomes": [');
    expect(lines.slice(first + 1, first + 4).map((line) => JSON.parse(line.trim().replace(/,$/, '')))).toEqual(result.outcomes);
  });

  test('one stringify cut between the outcomes gives what stringifying each gives, whatever the strings hold (fast-check)', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom('},{"ruleId":', '"},{"ruleId":"', '\\', '},{', 'x},{', '\u2028', '\n'),
      fc.array(fc.constantFrom('}', ',', '{', '"', 'ruleId', ':', '\\', 'x'), { maxLength: 12 }).map((parts) => parts.join('')));
    const outcome = fc.record({
      ruleId: text, detail: fc.option(text, { nil: undefined }), address: text, constructPath: text, message: fc.option(text, { nil: undefined }),
      outcome: fc.constantFrom(...Object.values(ApimRuleOutcome)),
    }, { requiredKeys: ['ruleId', 'address', 'constructPath', 'outcome'] });
    // Another field first: the cut cannot be made there, and each outcome is stringified on its own.
    const reordered = outcome.map(({ address, ...rest }) => ({ address, ...rest }));
    // And an empty object: with a string that ends in `},{` elsewhere, a looser cut would give the right count, wrongly.
    const empty = fc.constant({});
    fc.assert(fc.property(fc.array(fc.oneof(outcome, outcome, reordered, empty), { maxLength: 8 }), (outcomes) => {
      const expected = outcomes.map((o) => `    ${JSON.stringify(o)}`).join(',\n');
      expect(outcomeLines(outcomes as ApimCheckOutcome[])).toBe(expected);
    }), { numRuns: 2000 });
  });

  test('no outcome: an empty list', () => {
    expect(JSON.parse(jsonReport({ outcomes: [], findings: [], durationMs: 1 }, 's', 'f')).outcomes).toEqual([]);
  });
});

describe('outcomes are told apart by their content, whatever characters it holds', () => {
  /** Two APIM instances with zones and no public IP (APIM-PIP-FOR-ZONES fails on each), addresses and locations given. */
  function twoInstances(a: { address: string; location: string }, b: { address: string; location: string }): unknown {
    const document = network();
    const base = { ...document.resource.azurerm_api_management.apim, zones: ['1'] };
    delete base.public_ip_address_id;
    const make = (o: { address: string; location: string }, name: string) => ({
      ...base, name, location: o.location, '//': { metadata: { address: o.address, path: `stack/${name}` } },
    });
    document.resource.azurerm_api_management = { one: make(a, 'one'), two: make(b, 'two') };
    return document;
  }

  test.each([
    ['NUL', { address: 'A', location: 'b\u0000c' }, { address: 'A\u0000b', location: 'c' }],
    ['a pipe', { address: 'b', location: 'x|y' }, { address: 'y|b', location: 'x' }],
  ])('two instances whose address and location joined with %s read alike: both are judged', (_what, a, b) => {
    const result = evaluateDocument(twoInstances(a, b));
    const judged = result.outcomes.filter((o) => o.ruleId === 'APIM-PIP-FOR-ZONES').map((o) => o.constructPath);
    expect(judged).toEqual(expect.arrayContaining(['stack/one', 'stack/two']));
  });
});

describe('findings land on a construct only when the path names one', () => {
  function synthWithPath(metadataPath: string | undefined, id = 'network'): { annotations: Array<{ constructPath: string; message: string }>; report: unknown } {
    return asCdktfSynth(() => {
      const app = new App({ outdir: Testing.app().outdir, stackTraces: false });
      const stack = new TerraformStack(app, 'platform');
      new AzurermProvider(stack, 'azurerm', { features: [{}] });
      const net = new MultiRegionApimNetwork(stack, id, {
        virtualNetworkType: ApimVirtualNetworkType.INTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg',
        regions: [{ location: 'westeurope', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' }],
    });
    const nsg = net.primary.networkSecurityGroup.networkSecurityGroup;
    nsg.addOverride('security_rule.0.destination_port_range', '3433');
    if (metadataPath !== undefined) {
      stack.addOverride(`resource.azurerm_network_security_group.${nsg.friendlyUniqueId}.//.metadata.path`, metadataPath);
    }
    ApimNetworkChecks.applyTo(app);
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
    const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'platform', 'apim-network-checks.json'), 'utf8'));
    return { annotations: manifest.stacks.platform.annotations, report };
    });
  }
  const requiredOn = (annotations: Array<{ constructPath: string; message: string }>) =>
    annotations.filter((a) => a.message.startsWith('[APIM-NSG-REQUIRED')).map((a) => a.constructPath);

  test.each(['platform/constructor/x', 'platform/toString', 'platform/__proto__', 'platform/hasOwnProperty/y', 'platform//network', 'other/x'])(
    'a path through %s (no such construct): on the stack, no crash', (metadataPath) => {
      expect(new Set(requiredOn(synthWithPath(metadataPath).annotations))).toEqual(new Set(['platform']));
    });

  test('a path that names a construct: on it', () => {
    expect(new Set(requiredOn(synthWithPath('platform/network/westeurope').annotations))).toEqual(new Set(['platform/network/westeurope']));
  });

  test('a construct id ending in },{ keeps the report valid JSON', () => {
    const { report } = synthWithPath(undefined, 'net},{') as { report: { outcomes: unknown[] } };
    expect(report.outcomes.length).toBeGreaterThan(0);
  });

  test('an APIM instance whose id ends in },{ also', () => {
    const app = new App({ outdir: Testing.app().outdir, stackTraces: false });
    const stack = new TerraformStack(app, 'platform');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    new ApiManagement(stack, 'apim},{', {
      name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'C', publisherEmail: 'a@contoso.example', skuName: 'Premium_1',
    });
    ApimNetworkChecks.applyTo(app);
    app.synth();
    const text = fs.readFileSync(path.join(app.outdir, 'stacks', 'platform', 'apim-network-checks.json'), 'utf8');
    expect(() => JSON.parse(text)).not.toThrow();
  });
});
