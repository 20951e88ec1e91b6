/**
 * The engine side of an outside reviewer's defects 5, 9 and 16 (reports/breaker-constructs.md), through `app.synth()`
 * (the path `cdktf synth` takes): the README's Front Door and block-list examples on a connected network, the test
 * helper against synth across stacks, and the messages of APIM-UNKNOWN, suppressions, APIM-SUBSCRIPTION and
 * APIM-LOCATION-UNKNOWN.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import {
  ApimFinding, ApimNetworkChecks, ApimNetworkTesting, ApimNsgOptions, ApimVirtualNetworkType,
  MultiRegionApimNetwork, MultiRegionApimNetworkProps, NsgAccess, NsgDirection, NsgProtocol,
} from '../../lib';
import { brownfield, externalRules, rule } from '../checks/brownfield';
import { thrown } from '../support/stack';

const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The props of the README's `new ApimNetworkSecurityGroup(this, '<id>', {...})` block, evaluated as the README writes them. */
function readmeNsg(id: string): Record<string, any> {
  const start = readme.indexOf(`new ApimNetworkSecurityGroup(this, '${id}', {`);
  expect(start).toBeGreaterThan(0);
  const body = readme.slice(readme.indexOf('{', start), readme.indexOf('\n});', start) + 2);
  return new Function('ApimVirtualNetworkType', 'NsgDirection', 'NsgAccess', 'NsgProtocol', `return (${body});`)(
    ApimVirtualNetworkType, NsgDirection, NsgAccess, NsgProtocol);
}

function enforcingApp(): App {
  return new App({ outdir: Testing.app().outdir, stackTraces: false });
}

function stackIn(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  return stack;
}

function apimIn(stack: TerraformStack, location = 'westeurope'): ApiManagement {
  return new ApiManagement(stack, 'apim', {
    name: 'contoso-apim', location, resourceGroupName: 'rg-apim', publisherName: 'Contoso', publisherEmail: 'a@contoso.example', skuName: 'Premium_1',
  });
}

function networkProps(extra: Partial<MultiRegionApimNetworkProps> = {}): MultiRegionApimNetworkProps {
  return {
    virtualNetworkType: ApimVirtualNetworkType.EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg-apim',
    regions: [{ location: 'westeurope', addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27' }], ...extra,
  };
}

/** What synth wrote into a stack's JSON report (warnings included). */
function reported(app: App, stack: string): ApimFinding[] {
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', stack, 'apim-network-checks.json'), 'utf8')).findings;
}

const ids = (findings: readonly ApimFinding[]) => findings.map((f) => `${f.level} ${f.ruleId}${f.detail ? `[${f.detail}]` : ''}`).sort();

/** A connected network with the NSG options of the README's examples, synthesized with the checks (strict or not). */
function synthConnected(nsg: ApimNsgOptions, strict: boolean): { app: App; error?: unknown } {
  const app = enforcingApp();
  const stack = stackIn(app, 'platform');
  const network = new MultiRegionApimNetwork(stack, 'network', networkProps({ networkSecurityGroup: nsg }));
  network.connect(apimIn(stack));
  ApimNetworkChecks.applyTo(app, { strict });
  try {
    app.synth();
    return { app };
  } catch (error) {
    return { app, error };
  }
}

/** The NSG options of a connected network, from the props of an `ApimNetworkSecurityGroup` example. */
function nsgOptions(props: Record<string, any>): ApimNsgOptions {
  const { location: _l, virtualNetworkType: _m, resourceGroupName: _rg, ...nsg } = props;
  return nsg;
}

describe('defect 5: the README\'s Front Door and block-list examples on a connected network', () => {
  const frontDoor = () => nsgOptions(readmeNsg('nsg-frontdoor'));
  const blockList = () => nsgOptions(readmeNsg('nsg-blocklist'));

  test('the README examples are the ones the reviewer used: Front Door clients; a deny of 203.0.113.0/24 at 150 on the client port', () => {
    expect(frontDoor()).toEqual({ clientAddressPrefixes: ['AzureFrontDoor.Backend'] });
    expect(blockList().rules).toEqual([expect.objectContaining({
      access: 'Deny', priority: 150, sourceAddressPrefix: '203.0.113.0/24', destinationPortRange: '443',
    })]);
  });

  test.each([
    ['Front Door clients', () => frontDoor()],
    ['the block list', () => blockList()],
    ['Front Door clients with the block list', () => ({ ...frontDoor(), rules: blockList().rules })],
    ['CIDR clients with the block list', () => ({ clientAddressPrefixes: ['198.51.100.0/24'], rules: blockList().rules })],
  ])('%s: strict synth passes, and the report holds no finding', (_name, nsg) => {
    const { app, error } = synthConnected(nsg(), true);
    expect(error).toBeUndefined();
    expect(ids(reported(app, 'platform'))).toEqual([]);
  });

  test('the library\'s own narrowed client rule is never a near miss, nor "clients may not reach the gateway"', () => {
    for (const clients of [['AzureFrontDoor.Backend'], ['198.51.100.0/24', '192.0.2.10']]) {
      const { app } = synthConnected({ clientAddressPrefixes: clients, rules: blockList().rules }, false);
      const findings = reported(app, 'platform');
      expect(findings.filter((f) => f.ruleId === 'APIM-NSG-NEARMISS' || /may not reach/.test(f.message))).toEqual([]);
      const outcomes = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'platform', 'apim-network-checks.json'), 'utf8')).outcomes;
      expect(outcomes.filter((o: any) => o.detail === 'Inbound:Internet:443' && o.outcome !== 'pass' && o.outcome !== 'not-applicable')).toEqual([]);
    }
  });

  test('a block list on every port may reach 3443 from ApiManagement: the checks cannot know the tag\'s ranges and say so (one warning), as the README says', () => {
    const everyPort = blockList().rules!.map((r: any) => ({ ...r, protocol: NsgProtocol.ANY, destinationPortRange: '*' }));
    const { app, error } = synthConnected({ ...frontDoor(), rules: everyPort }, false);
    expect(error).toBeUndefined();
    const findings = reported(app, 'platform');
    expect(ids(findings)).toEqual(['warning APIM-NSG-SHADOWED[Inbound:ApiManagement:3443]']);
    expect(findings[0].message).toMatch(/may block part of Inbound TCP 3443 from ApiManagement.*whether 203\.0\.113\.0\/24 overlaps ApiManagement cannot be known at synth time/);
    expect(readme).toMatch(/APIM-NSG-SHADOWED\[Inbound:ApiManagement:3443\]/);
  });

  test('a deny that surely holds every client (hand-written: the constructs refuse it) is still the warning "no client can reach the gateway"', () => {
    const app = enforcingApp();
    const { stack } = brownfield({
      scope: app,
      rules: [
        rule('block', 100, 'Inbound', '198.51.100.0/24', 'VirtualNetwork', '443', { access: 'Deny' }),
        ...externalRules().map((r) => (r.name === 'client' ? { ...r, priority: 105, sourceAddressPrefix: '198.51.100.0/25' } : r)),
      ],
    });
    expect(ids(ApimNetworkTesting.findings(stack))).toEqual(['warning APIM-NSG-SHADOWED[Inbound:Internet:443]']);
    expect(ApimNetworkTesting.findings(stack)[0].message).toMatch(/no client can reach the gateway/);
  });

  test('a deny that may hold every client only through a value unknown at synth time stays APIM-UNKNOWN', () => {
    const app = enforcingApp();
    const b = brownfield({ scope: app });
    const rules = [
      rule('block', 100, 'Inbound', b.variable('blocked'), 'VirtualNetwork', '443', { access: 'Deny' }),
      ...externalRules().map((r) => (r.name === 'client' ? { ...r, priority: 105, sourceAddressPrefix: 'AzureFrontDoor.Backend' } : r)),
    ];
    b.nsg.putSecurityRule(rules);
    expect(ids(ApimNetworkTesting.findings(b.stack))).toContain('warning APIM-UNKNOWN[APIM-NSG-SHADOWED]');
  });
});

/** Layouts of defect 9: where the network and the APIM instance live. */
type Layout = 'same' | 'two' | 'two-reversed' | 'no-network' | 'two-regions' | 'two, an unused suppression on the App';

function layout(kind: Layout, app = enforcingApp()): { app: App; stacks: TerraformStack[] } {
  if (kind === 'two, an unused suppression on the App') {
    ApimNetworkChecks.suppress(app, 'APIM-PIP-SKU', 'the reason is long enough');
    return layout('two', app);
  }
  if (kind === 'no-network') {
    const only = stackIn(app, 'apim');
    apimIn(only);
    ApimNetworkChecks.applyTo(app);
    return { app, stacks: [only] };
  }
  const first = stackIn(app, 'first');
  const second = kind === 'same' ? first : stackIn(app, 'second');
  const [networkStack, apimStack] = kind === 'two-reversed' ? [second, first] : [first, second];
  const apim = apimIn(apimStack);
  const regions = kind === 'two-regions'
    ? [...networkProps().regions, { location: 'northeurope', addressSpace: ['10.20.0.0/16'], subnetAddressPrefix: '10.20.1.0/27' }]
    : networkProps().regions;
  new MultiRegionApimNetwork(networkStack, 'network', networkProps({ regions })).connect(apim);
  ApimNetworkChecks.applyTo(app);
  return { app, stacks: [...new Set([first, second])] };
}

describe('defect 9: ApimNetworkTesting returns what cdktf synth reports, stack by stack', () => {
  test.each<Layout>(['same', 'two', 'two-reversed', 'no-network', 'two-regions', 'two, an unused suppression on the App'])('%s', (kind) => {
    // The helper first, on a fresh tree (as a user's test calls it), then synth on an identical tree.
    const helper = layout(kind);
    const byHelper = helper.stacks.map((s) => ApimNetworkTesting.findings(s).map((f) => f.text).sort());
    const errorsByHelper = helper.stacks.map((s) => ApimNetworkTesting.errors(s).map((f) => f.text).sort());
    const evaluated = helper.stacks.map((s) => ApimNetworkTesting.evaluate(s).findings.map((f) => f.text).sort());
    const synth = layout(kind);
    synth.app.synth();
    const bySynth = synth.stacks.map((s) => reported(synth.app, s.node.id).map((f) => f.text).sort());
    expect(byHelper).toEqual(bySynth);
    expect(evaluated).toEqual(bySynth);
    expect(errorsByHelper).toEqual(synth.stacks.map((s) => reported(synth.app, s.node.id).filter((f) => f.level === 'error').map((f) => f.text).sort()));
    // The helper called again, and after synth, still agrees.
    expect(synth.stacks.map((s) => ApimNetworkTesting.findings(s).map((f) => f.text).sort())).toEqual(bySynth);
    expect(helper.stacks.map((s) => ApimNetworkTesting.findings(s).map((f) => f.text).sort())).toEqual(bySynth);
  });

  test('the two-stack layout reports no "not in this stack" unknown, in the helper or in synth', () => {
    const { stacks } = layout('two');
    expect(stacks.flatMap((s) => ApimNetworkTesting.findings(s)).filter((f) => /not in this stack/.test(f.message))).toEqual([]);
  });

  test('a suppression set on the App that no stack uses is reported once, by the last stack, as synth does', () => {
    const { stacks } = layout('two, an unused suppression on the App');
    expect(stacks.map((s) => ApimNetworkTesting.findings(s).filter((f) => f.ruleId === 'APIM-SUPPRESSION-UNUSED').map((f) => f.detail)))
      .toEqual([[], ['APIM-PIP-SKU']]);
  });
});

describe('defect 16: messages of the checks', () => {
  test('(a) an APIM-UNKNOWN finding\'s fix names the rule it stands for, never a placeholder', () => {
    const b = brownfield({});
    b.apim.location = b.variable('location');
    const unknowns = ApimNetworkTesting.findings(b.stack).filter((f) => f.ruleId === 'APIM-UNKNOWN');
    expect(unknowns.length).toBeGreaterThan(0);
    for (const f of unknowns) {
      expect(f.fix).not.toMatch(/<rule>/);
      expect(f.fix).toContain(`APIM-UNKNOWN[${f.detail}]`);
      expect(f.text).toContain(`Fix: ${f.fix}`);
    }
  });

  test('(a) an existing virtual network whose address space the checks cannot see: the fix names existingAddressSpace', () => {
    const app = enforcingApp();
    const stack = stackIn(app, 'platform');
    const network = new MultiRegionApimNetwork(stack, 'network', networkProps({
      regions: [{ location: 'westeurope', virtualNetworkName: 'vnet-hub', virtualNetworkResourceGroupName: 'rg-hub', subnetAddressPrefix: '10.20.4.0/27' }],
    }));
    network.connect(apimIn(stack));
    const prefix = ApimNetworkTesting.findings(stack).filter((f) => f.ruleId === 'APIM-UNKNOWN' && f.detail === 'APIM-SUBNET-PREFIX');
    expect(prefix).toHaveLength(1);
    expect(prefix[0].fix).toMatch(/existingAddressSpace/);
    expect(prefix[0].fix).toContain('APIM-UNKNOWN[APIM-SUBNET-PREFIX]');
  });

  test('(b) a suppression whose inner rule id is misspelt is refused with the id meant; so is a misspelt outer id', () => {
    const stack = stackIn(enforcingApp(), 'platform');
    const inner = thrown(() => ApimNetworkChecks.suppress(stack, 'APIM-UNKNOWN[APIM-LOCATON]', 'the reason is long enough'));
    expect(inner.message).toMatch(/did you mean "APIM-UNKNOWN\[APIM-LOCATION\]"\?/);
    const outer = thrown(() => ApimNetworkChecks.suppress(stack, 'APIM-NSG-REQUIERD[Inbound:Internet:443]', 'the reason is long enough'));
    expect(outer.message).toMatch(/did you mean "APIM-NSG-REQUIRED\[Inbound:Internet:443\]"\?/);
    const unknownWithNoRule = thrown(() => ApimNetworkChecks.suppress(stack, 'APIM-UNKNOWN[Inbound:Internet:443]', 'the reason is long enough'));
    expect(unknownWithNoRule.problems.map((p: any) => p.code)).toEqual(['INVALID_SUPPRESSION']);
    expect(() => ApimNetworkChecks.suppress(stack, 'APIM-UNKNOWN[APIM-LOCATION]', 'the reason is long enough')).not.toThrow();
    expect(() => ApimNetworkChecks.suppress(stack, 'APIM-UNKNOWN', 'the reason is long enough')).not.toThrow();
  });

  test('(c) APIM-SUBSCRIPTION across stacks: one APIM-UNKNOWN per instance and network, naming ARM_SUBSCRIPTION_ID', () => {
    const { app, stacks } = layout('two-regions');
    app.synth();
    const findings = stacks.flatMap((s) => reported(app, s.node.id)).filter((f) => /APIM-SUBSCRIPTION/.test(f.text));
    expect(ids(findings)).toEqual(['warning APIM-UNKNOWN[APIM-SUBSCRIPTION]']);
    expect(findings[0].message).not.toMatch(/not set \/ not set/);
    expect(findings[0].message).toMatch(/ARM_SUBSCRIPTION_ID/);
    expect(findings[0].fix).toMatch(/subscription_id/);
    expect(findings[0].fix).toContain('APIM-UNKNOWN[APIM-SUBSCRIPTION]');
  });

  test('(c) two providers with different literal subscription ids are still the error, per location', () => {
    const app = enforcingApp();
    const first = new TerraformStack(app, 'first');
    new AzurermProvider(first, 'azurerm', { features: [{}], subscriptionId: '00000000-0000-0000-0000-000000000001' });
    const second = new TerraformStack(app, 'second');
    new AzurermProvider(second, 'azurerm', { features: [{}], subscriptionId: '00000000-0000-0000-0000-000000000002' });
    new MultiRegionApimNetwork(first, 'network', networkProps()).connect(apimIn(second));
    const findings = ApimNetworkTesting.findings(second).filter((f) => /SUBSCRIPTION/.test(f.text));
    expect(ids(findings)).toEqual(['error APIM-SUBSCRIPTION[westeurope:public-ip]', 'error APIM-SUBSCRIPTION[westeurope:virtual-network]']);
  });

  test('(d) the APIM-LOCATION-UNKNOWN detail is the location, with or without a connected instance', () => {
    const detail = (connect: boolean) => {
      const stack = stackIn(enforcingApp(), 'platform');
      const network = new MultiRegionApimNetwork(stack, 'network', networkProps({
        regions: [{ location: 'westeurop', addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27' }],
      }));
      if (connect) {
        network.connect(apimIn(stack, 'westeurop'));
      }
      return ApimNetworkTesting.findings(stack).filter((f) => f.ruleId === 'APIM-LOCATION-UNKNOWN').map((f) => f.detail);
    };
    expect(detail(false)).toEqual(['westeurop']);
    expect(detail(true)).toEqual(['westeurop']);
  });
});
