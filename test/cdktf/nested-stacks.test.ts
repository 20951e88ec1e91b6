/**
 * A stack created inside another stack (cdktf writes each to its own cdk.tf.json, the parent's without the nested
 * stack's resources). The checks judge each stack's own document, once per synth, in its own turn: cdktf runs the
 * nested stack's validations also while it validates the parent, before the nested stack's aspects have run again.
 */
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { Route } from '@cdktf/provider-azurerm/lib/route';
import { RouteTable } from '@cdktf/provider-azurerm/lib/route-table';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { SubnetRouteTableAssociation } from '@cdktf/provider-azurerm/lib/subnet-route-table-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, IAspect, TerraformResource, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ApimNetworkChecks, ApimNetworkTesting, ApimVirtualNetworkType, MultiRegionApimNetwork } from '../../lib';
import { stackDocument } from '../../lib/cdktf/document';
import { connected } from '../support/connected';

function app(): App {
  return new App({ outdir: Testing.app().outdir, stackTraces: false });
}

function provider(stack: TerraformStack): void {
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
}

/** A stack with its azurerm provider. */
function stackIn(scope: Construct, id: string): TerraformStack {
  const stack = new TerraformStack(scope, id);
  provider(stack);
  return stack;
}

/** An NSG that denies every inbound flow, in `stack`, associated with the subnet `subnetId`. */
function denyAllOn(stack: TerraformStack, subnetId: string): void {
  const nsg = new NetworkSecurityGroup(stack, 'nsg', {
    name: 'nsg', location: 'westeurope', resourceGroupName: 'rg',
    securityRule: [{
      name: 'deny-all', priority: 100, direction: 'Inbound', access: 'Deny', protocol: '*', sourcePortRange: '*', destinationPortRange: '*',
      sourceAddressPrefix: '*', destinationAddressPrefix: '*',
    }],
  });
  new SubnetNetworkSecurityGroupAssociation(stack, 'association', { subnetId, networkSecurityGroupId: nsg.id });
}

/** `net` holds the network; `api`, created inside `net`, the APIM instance connected to it; `deeper` inside `api`. */
function nested(a: App, options: { deeper?: boolean; basicTier?: boolean } = {}): { net: TerraformStack; api: TerraformStack; deeper?: TerraformStack } {
  const net = stackIn(a, 'net');
  const network = new MultiRegionApimNetwork(net, 'network', {
    virtualNetworkType: ApimVirtualNetworkType.EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg', checks: false,
    regions: [{
      location: 'westeurope', virtualNetworkName: 'vnet-hub', virtualNetworkResourceGroupName: 'rg-hub',
      subnetAddressPrefix: '10.20.4.0/27', existingAddressSpace: ['10.20.0.0/16'],
    }],
  });
  const api = stackIn(net, 'api');
  const apim = new ApiManagement(api, 'apim', {
    name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'api@contoso.example',
    skuName: 'Premium_1',
  });
  network.connect(apim);
  if (options.basicTier) {
    // Past connect()'s own check, through the escape hatch.
    apim.addOverride('sku_name', 'Basic_1');
  }
  let deeper: TerraformStack | undefined;
  if (options.deeper) {
    deeper = stackIn(api, 'deeper');
  }
  return { net, api, deeper };
}

function texts(findings: ReadonlyArray<{ text: string }>): string[] {
  return findings.map((f) => f.text).sort();
}

/** What `cdktf synth` shows of a stack: its manifest annotations (warnings and errors), as finding texts. */
function annotations(a: App, stack: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(a.outdir, 'manifest.json'), 'utf8'));
  return (manifest.stacks[stack].annotations as Array<{ message: string }>).map((x) => x.message).filter((m) => m.startsWith('[APIM-')).sort();
}

/** The findings of a stack's JSON report, as texts. */
function reported(a: App, stack: string): string[] {
  return texts(JSON.parse(fs.readFileSync(path.join(a.outdir, 'stacks', stack, 'apim-network-checks.json'), 'utf8')).findings);
}

describe('nested stacks', () => {
  test('a stack\'s document holds its own resources, not those of a stack inside it, as cdk.tf.json does', () => {
    const a = app();
    const { net, api } = nested(a);
    // The blocks the checks read (the stack's own "//" metadata is not one of them).
    const blocks = (json: Record<string, unknown>) => {
      const { '//': _metadata, ...rest } = JSON.parse(JSON.stringify(json));
      return rest;
    };
    for (const stack of [net, api]) {
      expect(blocks(stackDocument(stack).toJSON())).toEqual(blocks(stack.toTerraform()));
    }
    expect(Object.keys((stackDocument(net).toJSON().resource ?? {}) as object)).not.toContain('azurerm_api_management');
  });

  test('each stack is checked once, in its own turn: reports, annotations and ApimNetworkTesting agree, nothing repeats', () => {
    const expected = (() => {
      const a = app();
      const { net, api } = nested(a);
      ApimNetworkChecks.suppress(a, 'APIM-NSG-EXPOSED', 'nothing in this app matches this suppression');
      ApimNetworkChecks.applyTo(a);
      return { net: texts(ApimNetworkTesting.findings(net)), api: texts(ApimNetworkTesting.findings(api)) };
    })();
    // The unused suppression is reported once, by the last stack to run; the APIM instance's findings are api's only.
    expect(expected.api.filter((t) => t.startsWith('[APIM-SUPPRESSION-UNUSED'))).toHaveLength(1);
    expect(expected.net.filter((t) => t.startsWith('[APIM-SUPPRESSION-UNUSED'))).toHaveLength(0);
    expect(expected.net.filter((t) => t.includes('azurerm_api_management'))).toEqual([]);
    expect(expected.api.some((t) => t.includes('azurerm_api_management'))).toBe(true);

    const a = app();
    nested(a);
    ApimNetworkChecks.suppress(a, 'APIM-NSG-EXPOSED', 'nothing in this app matches this suppression');
    ApimNetworkChecks.applyTo(a);
    a.synth();
    expect(reported(a, 'net')).toEqual(expected.net);
    expect(reported(a, 'api')).toEqual(expected.api);
    expect(annotations(a, 'api')).toEqual(expected.api);
    // cdktf collects a stack's annotations from every construct below it, the nested stack's too: net's manifest holds
    // net's findings, and none of api's (they are added in api's own turn, after net's manifest entry was made).
    expect(annotations(a, 'net')).toEqual(expected.net);
  });

  test('two synths of one app give the same reports, and the nested stack the same annotations', () => {
    const a = app();
    nested(a);
    ApimNetworkChecks.suppress(a, 'APIM-NSG-EXPOSED', 'nothing in this app matches this suppression');
    ApimNetworkChecks.applyTo(a);
    a.synth();
    const first = [reported(a, 'net'), reported(a, 'api'), annotations(a, 'api')];
    a.synth();
    expect([reported(a, 'net'), reported(a, 'api'), annotations(a, 'api')]).toEqual(first);
    // Annotations stay on their constructs: in the second synth cdktf also collects api's into net's manifest, as it
    // does for any annotation below a stack. Each is still there once.
    expect(annotations(a, 'net')).toEqual([...new Set([...first[0], ...first[1]])].sort());
  });

  test('a stack two levels down is checked once too', () => {
    const a = app();
    const { deeper } = nested(a, { deeper: true });
    ApimNetworkChecks.suppress(deeper!, 'APIM-NSG-EXPOSED', 'nothing in this stack matches this suppression');
    ApimNetworkChecks.applyTo(a);
    a.synth();
    const unused = ['net', 'api', 'deeper'].map((s) => reported(a, s).filter((t) => t.startsWith('[APIM-SUPPRESSION-UNUSED')).length);
    expect(unused).toEqual([0, 0, 1]);
    expect(annotations(a, 'deeper').filter((t) => t.startsWith('[APIM-SUPPRESSION-UNUSED'))).toHaveLength(1);
  });

  test('an error in the nested stack fails synth, naming it once', () => {
    const a = app();
    nested(a, { basicTier: true });
    ApimNetworkChecks.applyTo(a);
    let message = '';
    try {
      a.synth();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/\[APIM-SKU-VNET\]/);
    expect(message.match(/\[APIM-SKU-VNET\]/g)).toHaveLength(1);
  });
});

describe('nested stacks: references and suppressions (outside review, session 4)', () => {

  /** An APIM in `p` connected to the network in `n`, in the wrong region (an error synth must report). */
  function wrongRegion(a: App, layout: 'network-inside' | 'siblings' | 'apim-inside'): { p: TerraformStack; n: TerraformStack } {
    let p: TerraformStack;
    let n: TerraformStack;
    if (layout === 'network-inside') {
      p = new TerraformStack(a, 'p');
      n = new TerraformStack(p, 'n');
    } else if (layout === 'siblings') {
      const root = stackIn(a, 'root');
      n = new TerraformStack(root, 'n');
      p = new TerraformStack(root, 'p');
    } else {
      n = new TerraformStack(a, 'n');
      p = new TerraformStack(n, 'p');
    }
    provider(p);
    provider(n);
    connected(n, p).addOverride('location', 'northeurope');
    return { p, n };
  }

  test.each(['network-inside', 'siblings', 'apim-inside'] as const)('a reference into or between nested stacks is followed (%s): the error fails synth', (layout) => {
    const expected = (() => {
      const a = app();
      const { p } = wrongRegion(a, layout);
      ApimNetworkChecks.applyTo(a);
      return ApimNetworkTesting.errors(p).map((f) => f.ruleId);
    })();
    expect(expected).toContain('APIM-LOCATION');
    const a = app();
    wrongRegion(a, layout);
    ApimNetworkChecks.applyTo(a);
    expect(() => a.synth()).toThrow(/APIM-LOCATION/);
  });

  test('a value from a stack inside the reader, whose aspects run again after the reader\'s checks, is unknown, and says so', () => {
    const a = app();
    const { p, n } = wrongRegion(a, 'network-inside');
    Aspects.of(n).add({ visit: () => undefined });
    ApimNetworkChecks.applyTo(a);
    const unknowns = ApimNetworkTesting.findings(p).filter((f) => f.ruleId === 'APIM-UNKNOWN').map((f) => f.message);
    expect(unknowns.join('\n')).toMatch(/the stack "p\/n", created inside "p", whose aspects \(Object\) cdktf runs again in its own turn/);
  });

  test.each([
    ['on the parent stack', (s: { p: TerraformStack; holder: Construct }) => s.p],
    ['on a construct of the parent that holds the nested stack', (s: { p: TerraformStack; holder: Construct }) => s.holder],
  ])('a suppression %s that the nested stack uses is not reported unused (strict synth passes)', (_name, where) => {
    const a = app();
    const p = stackIn(a, 'p');
    const holder = new Construct(p, 'holder');
    const n = stackIn(holder, 'n');
    connected(n, n).addOverride('sku_name', 'Basic_1');
    ApimNetworkChecks.suppress(where({ p, holder }), 'APIM-SKU-VNET', 'a development tier, accepted in this nested stack');
    ApimNetworkChecks.applyTo(a, { strict: true });
    expect(ApimNetworkTesting.findings(p)).toEqual([]);
    a.synth();
    expect(reported(a, 'p')).toEqual([]);
  });
});

describe('values from other stacks (outside review, session 4, second round)', () => {
  test('an aspect on the stack that holds the network\'s stack has not run when an earlier stack reads it: unknown, never read as it was', () => {
    const a = app();
    const q = stackIn(a, 'q');
    const p = stackIn(a, 'p');
    const n = stackIn(p, 'n');
    connected(n, q);
    // Runs in p's turn, after q's checks: it moves n's public IP to another region.
    Aspects.of(p).add({
      visit: (c) => {
        if ((c as { terraformResourceType?: string }).terraformResourceType === 'azurerm_public_ip') {
          (c as unknown as { addOverride(path: string, value: unknown): void }).addOverride('location', 'northeurope');
        }
      },
    });
    ApimNetworkChecks.applyTo(a);
    const unknowns = ApimNetworkTesting.findings(q).filter((f) => f.ruleId === 'APIM-UNKNOWN').map((f) => f.message).join('\n');
    expect(unknowns).toMatch(/a value from the stack "p\/n", whose aspects \(Object\) have not run when the checks of "q" run/);
    a.synth();
    expect(reported(a, 'q').join('\n')).toMatch(/\[APIM-UNKNOWN\[APIM-LOCATION\]\].*whose aspects \(Object\) have not run/);
  });

  test('a variable read from another stack is not this stack\'s variable of the same name', () => {
    const a = app();
    const shared = stackIn(a, 'shared');
    const s = stackIn(a, 's');
    const theirs = new TerraformVariable(shared, 'subnet_id', { type: 'string' });
    const ours = new TerraformVariable(s, 'subnet_id', { type: 'string' });
    denyAllOn(s, ours.stringValue);
    new ApiManagement(s, 'apim', {
      name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'api@contoso.example',
      skuName: 'Premium_1', virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetId: theirs.stringValue },
    });
    ApimNetworkChecks.applyTo(a);
    const findings = ApimNetworkTesting.findings(s);
    // The deny-all NSG is on another subnet: no NSG finding from it; the APIM subnet's NSG is unknown.
    expect(findings.filter((f) => f.ruleId === 'APIM-NSG-REQUIRED')).toEqual([]);
    expect(findings.some((f) => f.ruleId === 'APIM-UNKNOWN' && f.detail === 'APIM-NSG-REQUIRED')).toBe(true);
  });
});

test('a stack whose id holds characters a Terraform name cannot (network.westeurope) is followed too', () => {
  const build = (a: App): TerraformStack => {
    const n = stackIn(a, 'network.westeurope');
    const p = stackIn(a, 'apim');
    connected(n, p).addOverride('location', 'northeurope');
    return p;
  };
  const first = app();
  const p = build(first);
  ApimNetworkChecks.applyTo(first);
  expect(ApimNetworkTesting.errors(p).map((f) => f.ruleId)).toContain('APIM-LOCATION');
  const a = app();
  build(a);
  ApimNetworkChecks.applyTo(a);
  expect(() => a.synth()).toThrow(/APIM-LOCATION/);
});

/**
 * A network written by hand over stacks: the virtual network and subnet in `net`, a deny-all NSG and its association in
 * `nsgStack`, the APIM instance on the subnet in `api`. The APIM's errors.
 */
function splitNetwork(a: App, net: TerraformStack, nsgStack: TerraformStack, api: TerraformStack): string[] {
  const vnet = new VirtualNetwork(net, 'vnet', { name: 'vnet-apim', location: 'westeurope', resourceGroupName: 'rg', addressSpace: ['10.0.0.0/16'] });
  const subnet = new Subnet(net, 'subnet', { name: 'snet-apim', resourceGroupName: 'rg', virtualNetworkName: vnet.name, addressPrefixes: ['10.0.1.0/27'] });
  denyAllOn(nsgStack, subnet.id);
  new ApiManagement(api, 'apim', {
    name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'api@contoso.example',
    skuName: 'Premium_1', virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetId: subnet.id },
  });
  ApimNetworkChecks.applyTo(a);
  return ApimNetworkTesting.errors(api).map((f) => f.ruleId);
}

test('an NSG association in the APIM\'s stack on the network stack\'s subnet is that subnet\'s (third outside review)', () => {
  const a = app();
  const net = stackIn(a, 'net');
  const api = stackIn(a, 'api');
  const errors = splitNetwork(a, net, api, api);
  // Not "no association points at this subnet": the association is there, and its NSG is judged (its deny-all blocks APIM).
  expect(errors).not.toContain('APIM-SUBNET-NSG');
  expect(errors).toContain('APIM-NSG-REQUIRED');
});

describe('what points at a network resource from another stack (fourth outside review)', () => {
  /** Stacks net, sec and api, created in that order, each with its provider. */
  function netSecApi(a: App): TerraformStack[] {
    return ['net', 'sec', 'api'].map((id) => stackIn(a, id));
  }

  /** Stacks net, sec and api; the library's network in net, connected to the APIM in api. */
  function threeStacks(): { a: App; net: TerraformStack; sec: TerraformStack; api: TerraformStack; network: MultiRegionApimNetwork } {
    const a = app();
    const [net, sec, api] = netSecApi(a);
    const network = new MultiRegionApimNetwork(net, 'network', {
      virtualNetworkType: ApimVirtualNetworkType.EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg', checks: false,
      regions: [{ location: 'westeurope', addressSpace: ['10.20.0.0/16'], subnetAddressPrefix: '10.20.4.0/27' }],
    });
    network.connect(new ApiManagement(api, 'apim', {
      name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'api@contoso.example',
      skuName: 'Premium_1',
    }));
    return { a, net, sec, api, network };
  }

  test.each(['api', 'sec'] as const)('a standalone rule in %s that denies 3443 on the network\'s NSG fails synth', (where) => {
    const s = threeStacks();
    const nsg = s.network.regions[0].networkSecurityGroup.networkSecurityGroup;
    new NetworkSecurityRule(s[where], 'deny-management', {
      name: 'deny-management', priority: 100, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', sourcePortRange: '*',
      destinationPortRange: '3443', sourceAddressPrefix: '*', destinationAddressPrefix: '*',
      networkSecurityGroupName: where === 'api' ? nsg.name : 'nsg-contoso-apim-westeurope', resourceGroupName: 'rg',
    });
    ApimNetworkChecks.applyTo(s.a);
    expect(() => s.a.synth()).toThrow(/APIM-NSG-SHADOWED\[Inbound:ApiManagement:3443\]/);
  });

  test('an NSG and its association in a third stack are the subnet\'s: judged, not "no association"', () => {
    const a = app();
    const [net, sec, api] = netSecApi(a);
    const errors = splitNetwork(a, net, sec, api);
    expect(errors).not.toContain('APIM-SUBNET-NSG');
    expect(errors).toContain('APIM-NSG-REQUIRED');
  });

  /** A route table on the network's subnet in `net`, and its default route to an appliance in `routeStack`. */
  function defaultRouteIn(s: ReturnType<typeof threeStacks>, routeStack: TerraformStack): void {
    const subnet = s.network.regions[0].subnet.subnet;
    const table = new RouteTable(s.net, 'routes', { name: 'rt-apim', location: 'westeurope', resourceGroupName: 'rg' });
    new SubnetRouteTableAssociation(s.net, 'routes-association', { subnetId: subnet.id, routeTableId: table.id });
    new Route(routeStack, 'default', {
      name: 'default', resourceGroupName: 'rg', routeTableName: 'rt-apim', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance',
      nextHopInIpAddress: '10.99.0.4',
    });
  }

  test('a default route to an appliance written in another stack than its route table is seen', () => {
    const s = threeStacks();
    defaultRouteIn(s, s.sec);
    ApimNetworkChecks.applyTo(s.a);
    expect(ApimNetworkTesting.errors(s.api).map((f) => f.ruleId)).toContain('APIM-ROUTE-MANAGEMENT');
  });

  describe('in a stack that may still change (created after the APIM\'s, with an aspect): unknown, never missed', () => {
    /** A common aspect: a tag on every resource that takes tags (it changes no rule, route or association). */
    class CostCentre implements IAspect {
      public visit(node: IConstruct): void {
        if (node instanceof TerraformResource && 'tagsInput' in node) {
          node.addOverride('tags.cost-centre', 'platform');
        }
      }
    }

    /** The three stacks, and `late`, created after them, with the aspect (unless `aspect` is false). */
    function withLate(aspect = true): ReturnType<typeof threeStacks> & { late: TerraformStack } {
      const s = threeStacks();
      const late = stackIn(s.a, 'late');
      if (aspect) {
        Aspects.of(late).add(new CostCentre());
      }
      return { ...s, late };
    }

    const unknownsOf = (stack: TerraformStack) => ApimNetworkTesting.findings(stack).filter((f) => f.ruleId === 'APIM-UNKNOWN');
    const lateReason = /a value from the stack "late", whose aspects \(CostCentre\) have not run when the checks of "api" run .*create the stack "late" before "api"/;

    const denyManagement = (stack: TerraformStack) => new NetworkSecurityRule(stack, 'deny-management', {
      name: 'deny-management', priority: 100, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', sourcePortRange: '*',
      destinationPortRange: '3443', sourceAddressPrefix: '*', destinationAddressPrefix: '*',
      networkSecurityGroupName: 'nsg-contoso-apim-westeurope', resourceGroupName: 'rg',
    });

    test('a standalone rule denying 3443 on the network\'s NSG: APIM-UNKNOWN saying why and how to fix it (it passed silently)', () => {
      const s = withLate();
      denyManagement(s.late);
      ApimNetworkChecks.applyTo(s.a);
      // The path cdktf synth takes: no error, and the reports say what could not be judged.
      s.a.synth();
      const report = JSON.parse(fs.readFileSync(path.join(s.a.outdir, 'stacks', 'api', 'apim-network-checks.json'), 'utf8'));
      const shadowed = report.outcomes.filter((o: any) => o.ruleId === 'APIM-NSG-SHADOWED' && o.outcome === 'unknown');
      expect(shadowed.map((o: any) => o.message)).toEqual([expect.stringMatching(/^whether "deny-management" blocks Inbound TCP 3443 from ApiManagement to VirtualNetwork: /)]);
      expect(shadowed[0].message).toMatch(lateReason);
      // The same rule without the aspect is judged: the deny breaks the management endpoint.
      const judged = withLate(false);
      denyManagement(judged.late);
      ApimNetworkChecks.applyTo(judged.a);
      expect(() => judged.a.synth()).toThrow(/APIM-NSG-SHADOWED\[Inbound:ApiManagement:3443\]/);
    });

    test('a default route to an appliance on the subnet\'s route table: APIM-ROUTE-MANAGEMENT is unknown, not a pass', () => {
      const s = withLate();
      defaultRouteIn(s, s.late);
      ApimNetworkChecks.applyTo(s.a);
      expect(ApimNetworkTesting.errors(s.api)).toEqual([]);
      const route = unknownsOf(s.api).filter((f) => f.detail === 'APIM-ROUTE-MANAGEMENT');
      expect(route).toHaveLength(1);
      expect(route[0].message).toMatch(lateReason);
    });

    test('a second NSG association on the APIM subnet: its NSG is unknown, not the library\'s NSG judged alone', () => {
      const s = withLate();
      denyAllOn(s.late, s.network.regions[0].subnet.subnet.id);
      ApimNetworkChecks.applyTo(s.a);
      expect(ApimNetworkTesting.errors(s.api)).toEqual([]);
      const subnetNsg = unknownsOf(s.api).filter((f) => f.detail === 'APIM-SUBNET-NSG');
      expect(subnetNsg).toHaveLength(1);
      expect(subnetNsg[0].message).toMatch(lateReason);
      // Without the aspect the late stack is read: two associations on one subnet are an error.
      const judged = withLate(false);
      denyAllOn(judged.late, judged.network.regions[0].subnet.subnet.id);
      ApimNetworkChecks.applyTo(judged.a);
      expect(ApimNetworkTesting.errors(judged.api).map((f) => f.ruleId)).toContain('APIM-SUBNET-NSG');
    });

    test('rules, routes and associations there that point at other resources add no unknown (no noise)', () => {
      const findingsWith = (withLateStack: boolean) => {
        const s = threeStacks();
        if (withLateStack) {
          const late = stackIn(s.a, 'late');
          Aspects.of(late).add(new CostCentre());
          const vnet = new VirtualNetwork(late, 'vnet', { name: 'vnet-other', location: 'westeurope', resourceGroupName: 'rg', addressSpace: ['10.1.0.0/16'] });
          const other = new Subnet(late, 'subnet', { name: 'snet-other', resourceGroupName: 'rg', virtualNetworkName: vnet.name, addressPrefixes: ['10.1.1.0/24'] });
          denyAllOn(late, other.id);
          new NetworkSecurityRule(late, 'rule', {
            name: 'deny-other', priority: 100, direction: 'Inbound', access: 'Deny', protocol: '*', sourcePortRange: '*', destinationPortRange: '*',
            sourceAddressPrefix: '*', destinationAddressPrefix: '*', networkSecurityGroupName: 'nsg', resourceGroupName: 'rg',
          });
          const table = new RouteTable(late, 'routes', { name: 'rt-other', location: 'westeurope', resourceGroupName: 'rg' });
          new Route(late, 'default', {
            name: 'default', resourceGroupName: 'rg', routeTableName: table.name, addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance',
            nextHopInIpAddress: '10.99.0.4',
          });
          new SubnetRouteTableAssociation(late, 'routes-association', { subnetId: other.id, routeTableId: table.id });
        }
        ApimNetworkChecks.applyTo(s.a);
        return ApimNetworkTesting.findings(s.api).map((f) => `${f.ruleId} ${f.detail ?? ''} ${f.level}`).sort();
      };
      expect(findingsWith(true)).toEqual(findingsWith(false));
    });
  });
});

test('a subnet in the APIM\'s stack on the network stack\'s virtual network: the network is found, its region judged', () => {
  const a = app();
  const net = stackIn(a, 'net');
  const api = stackIn(a, 'api');
  const vnet = new VirtualNetwork(net, 'vnet', { name: 'vnet-apim', location: 'northeurope', resourceGroupName: 'rg', addressSpace: ['10.0.0.0/16'] });
  const subnet = new Subnet(api, 'subnet', { name: 'snet-apim', resourceGroupName: 'rg', virtualNetworkName: vnet.name, addressPrefixes: ['10.0.1.0/27'] });
  new ApiManagement(api, 'apim', {
    name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'api@contoso.example',
    skuName: 'Premium_1', virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetId: subnet.id },
  });
  ApimNetworkChecks.applyTo(a);
  const findings = ApimNetworkTesting.findings(api);
  // The virtual network is in northeurope, the APIM instance in westeurope: an error, not "not in this stack".
  expect(findings.filter((f) => f.ruleId === 'APIM-LOCATION').map((f) => f.level)).toEqual(['error']);
  expect(findings.filter((f) => f.ruleId === 'APIM-UNKNOWN' && f.detail === 'APIM-LOCATION')).toEqual([]);
});
