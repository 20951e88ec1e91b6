/**
 * Defects an outside reviewer found (reports/breaker-checks.md), through `app.synth()` (what `cdktf synth` runs) on
 * resources written by hand with the provider's L1 classes. The engine side of each is in
 * test/checks/breaker-engine.test.ts.
 */
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { DataAzurermSubnet } from '@cdktf/provider-azurerm/lib/data-azurerm-subnet';
import { NetworkSecurityGroup, NetworkSecurityGroupSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import * as fs from 'fs';
import * as path from 'path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { App, Aspects, IAspect, TerraformIterator, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ApimNetworkChecks, ApimNetworkTesting } from '../../lib';
import { Brownfield, brownfield, externalRules, rule } from '../checks/brownfield';
import { thrown } from '../support/stack';

function app(): App {
  return new App({ outdir: Testing.app().outdir, stackTraces: false });
}

/** The findings the reports of a synthesized stack hold (warnings included). */
function reported(a: App, stack = 'brownfield'): Array<{ ruleId: string; detail?: string; level: string; message: string }> {
  return JSON.parse(fs.readFileSync(path.join(a.outdir, 'stacks', stack, 'apim-network-checks.json'), 'utf8')).findings;
}

/** A standalone rule resource with the fields of an inline rule. */
function standalone(b: Brownfield, id: string, r: NetworkSecurityGroupSecurityRule): NetworkSecurityRule {
  return new NetworkSecurityRule(b.stack, id, {
    ...r, name: r.name as string, priority: r.priority as number, direction: r.direction as string, access: r.access as string,
    protocol: r.protocol as string, resourceGroupName: 'rg', networkSecurityGroupName: b.nsg.name,
  });
}

const denyAll = (name: string, priority: number, direction: string): NetworkSecurityGroupSecurityRule => ({
  ...rule(name, priority, direction, '*', '*', '*'), access: 'Deny', protocol: '*',
});

describe('through app.synth(), on hand-written L1 resources', () => {
  test('defect 1: virtual_network_type from a TerraformVariable: the subnet, NSG and public IP rules still fail synth', () => {
    const a = app();
    const b = brownfield({
      scope: a, subnet: { delegation: [{ name: 'd', serviceDelegation: { name: 'Microsoft.Web/serverFarms' } }] },
      publicIp: { sku: 'Basic', allocationMethod: 'Dynamic' },
      rules: [denyAll('deny-out', 100, 'Outbound'), ...externalRules().map((r) => ({ ...r, priority: (r.priority as number) + 100 }))],
    });
    b.apim.virtualNetworkType = new TerraformVariable(b.stack, 'vnet_type', { type: 'string' }).stringValue;
    ApimNetworkChecks.applyTo(a);
    let message = '';
    try {
      a.synth();
    } catch (e) {
      message = String(e);
    }
    for (const id of ['APIM-SUBNET-DELEGATION', 'APIM-PIP-SKU', 'APIM-PIP-ALLOCATION', 'APIM-NSG-SHADOWED[Outbound:Internet:80]']) {
      expect(message).toContain(`[${id}]`);
    }
    expect(reported(a).filter((f) => f.ruleId === 'APIM-UNKNOWN' && f.detail === 'APIM-VNET-CONFIG').map((f) => f.message))
      .toEqual([expect.stringMatching(/var\.vnet_type/)]);
  });

  test('defect 2: a second NSG association on the APIM subnet fails synth (APIM-SUBNET-NSG), and the second NSG is judged', () => {
    const a = app();
    const b = brownfield({ scope: a });
    const lockdown = new NetworkSecurityGroup(b.stack, 'lockdown', {
      name: 'nsg-lockdown', location: 'westeurope', resourceGroupName: 'rg', securityRule: [denyAll('deny-out', 100, 'Outbound')],
    });
    new SubnetNetworkSecurityGroupAssociation(b.stack, 'lockdown_assoc', { subnetId: b.subnet.id, networkSecurityGroupId: lockdown.id });
    ApimNetworkChecks.applyTo(a);
    expect(() => a.synth()).toThrow(/\[APIM-SUBNET-NSG\] azurerm_subnet\.apim_subnet \(brownfield\/apim_subnet\): 2 associations point at this subnet: .*Azure keeps one of them, depending on the order in which they are applied/);
    expect(reported(a).filter((f) => f.ruleId === 'APIM-NSG-REQUIRED').map((f) => f.message)).toEqual(expect.arrayContaining([
      expect.stringMatching(/deny-out/),
    ]));
  });

  test('defect 5: a subnet shared by an Internal and an External instance: the External one\'s client flow, Internal declared first', () => {
    const a = app();
    const b = brownfield({ scope: a, rules: externalRules().filter((r) => r.name !== 'client') });
    new ApiManagement(b.stack, 'internal', {
      name: 'contoso-internal', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'api@contoso.example',
      skuName: 'Premium_1', virtualNetworkType: 'Internal', virtualNetworkConfiguration: { subnetId: b.subnet.id },
    });
    // The brownfield's External instance was created first; move it after the Internal one in the document's order.
    const external = b.apim;
    external.node.scope?.node.tryRemoveChild(external.node.id);
    new ApiManagement(b.stack, 'zz_external', {
      name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'api@contoso.example',
      skuName: 'Premium_1', virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetId: b.subnet.id }, publicIpAddressId: b.publicIp.id,
    });
    ApimNetworkChecks.applyTo(a);
    expect(() => a.synth()).toThrow(/\[APIM-NSG-REQUIRED\[Inbound:Internet:443\]\] azurerm_network_security_group\.nsg \(brownfield\/nsg\): no rule allows Inbound TCP 443 from any client to VirtualNetwork \(External and Internal mode; 2 APIM locations use the subnet\)/);
  });

  test('defect 8: a dynamic "security_rule" block over an empty list beside standalone rules synthesizes; over a variable it is unknown', () => {
    const build = (forEach: (b: Brownfield) => unknown) => {
      const a = app();
      const b = brownfield({ scope: a, rules: [] });
      b.nsg.resetSecurityRule();
      // A `dynamic "security_rule"` block, as HCL (or hcl2json) writes it.
      b.nsg.addOverride('dynamic.security_rule', {
        for_each: forEach(b), content: { ...denyAll('${security_rule.value}', 4000, 'Inbound') },
      });
      externalRules().forEach((r) => standalone(b, `rule_${r.name}`, r));
      ApimNetworkChecks.applyTo(a);
      return a;
    };
    const empty = build(() => []);
    expect(() => empty.synth()).not.toThrow();
    expect(reported(empty).filter((f) => f.ruleId === 'APIM-NSG-MIXED' || f.detail === 'APIM-NSG-MIXED')).toEqual([]);
    const variable = build((b) => new TerraformVariable(b.stack, 'extra', { type: 'list(string)' }).listValue);
    expect(() => variable.synth()).not.toThrow();
    expect(reported(variable).filter((f) => f.detail === 'APIM-NSG-MIXED').map((f) => f.message)).toEqual([expect.stringMatching(/var\.extra/)]);
    // cdktf's own iterator writes the argument form (`security_rule = [for ...]`), which sets the list: never a pass.
    const a = app();
    const b = brownfield({ scope: a, rules: [] });
    const iterator = TerraformIterator.fromList([]);
    b.nsg.putSecurityRule(iterator.dynamic({ name: iterator.value }) as never);
    standalone(b, 'extra', externalRules()[0]);
    ApimNetworkChecks.applyTo(a);
    a.synth();
    expect(reported(a).filter((f) => f.ruleId === 'APIM-NSG-MIXED' || f.detail === 'APIM-NSG-MIXED')).not.toEqual([]);
  });

  test('defect 10: a data-source subnet and an association with the same subnet_id: the NSG\'s deny-all fails synth', () => {
    const a = app();
    const b = brownfield({ scope: a, rules: [denyAll('deny-out', 100, 'Outbound'), ...externalRules().map((r) => ({ ...r, priority: (r.priority as number) + 100 }))] });
    const existing = new DataAzurermSubnet(b.stack, 'existing', { name: 'snet-apim', virtualNetworkName: 'vnet-hub', resourceGroupName: 'rg-net' });
    b.apim.putVirtualNetworkConfiguration({ subnetId: existing.id });
    b.association.subnetId = existing.id;
    ApimNetworkChecks.applyTo(a);
    expect(() => a.synth()).toThrow(/\[APIM-NSG-SHADOWED\[Outbound:Internet:80\]\] azurerm_network_security_group\.nsg/);
  });

  test('defect 16: a standalone rule\'s priority "1e2" (an override) is 100, as Terraform converts it', () => {
    const a = app();
    const b = brownfield({ scope: a, rules: [] });
    const rules = externalRules().map((r) => standalone(b, `rule_${r.name}`, r));
    b.nsg.resetSecurityRule();
    standalone(b, 'deny_first', denyAll('deny-first', 4000, 'Inbound')).addOverride('priority', '1e2');
    expect(rules).toHaveLength(9);
    ApimNetworkChecks.applyTo(a);
    // 1e2 = 100: the deny comes first (and collides with the client rule's priority 100).
    expect(() => a.synth()).toThrow(/\[APIM-NSG-PRIORITY\[deny-first\]\].*both have Inbound priority 100/);
  });
});

describe('defect 12: the cdktf entry points give ApimNetworkError for anything a caller passes', () => {
  const trap = () => {
    throw new Error('boom from a trap');
  };
  const getter = (key: string) => Object.defineProperty({}, key, { enumerable: true, get: trap });
  const proxyOf = <T extends object>(target: T) => new Proxy(target, { get: trap, has: trap, getPrototypeOf: trap });

  test.each<[string, () => unknown, RegExp]>([
    ['applyTo(a Proxy)', () => ApimNetworkChecks.applyTo(proxyOf(app())), /ApimNetworkChecks\.applyTo: scope "\(not readable\)": reading it threw: boom from a trap/],
    ['applyTo(app, options with a throwing getter)', () => ApimNetworkChecks.applyTo(app(), getter('strict') as never), /ApimNetworkChecks: options "\(not readable\)": reading it threw/],
    ['new ApimNetworkChecks(a Proxy)', () => new ApimNetworkChecks(proxyOf({}) as never), /ApimNetworkChecks: options "\(not readable\)"/],
    ['suppress(a Proxy construct, ...)', () => ApimNetworkChecks.suppress(proxyOf(app()), 'APIM-NSG-REQUIRED', 'a reason long enough'), /ApimNetworkChecks\.suppress: construct "\(not readable\)"/],
    ['suppressionsOf(a Proxy)', () => ApimNetworkChecks.suppressionsOf(proxyOf(app()) as never), /stack "\(not readable\)"/],
    ['ApimNetworkTesting.findings(stack, options with a throwing getter)', () => ApimNetworkTesting.findings(brownfield({ scope: app() }).stack, getter('strict') as never), /ApimNetworkTesting: options "\(not readable\)"/],
    ['ApimNetworkTesting.findings(a Proxy)', () => ApimNetworkTesting.findings(proxyOf(app()) as never), /ApimNetworkTesting: stack "\(not readable\)"/],
  ])('%s', (_name, call, message) => {
    const error = thrown(call);
    expect((error as Error).name).toBe('ApimNetworkError');
    expect((error as Error).message).toMatch(message);
  });
});

/** A network in one stack and the APIM instance using it in another, written by hand; `first` is created first. */
function crossStack(first: 'net' | 'apim', rules: NetworkSecurityGroupSecurityRule[] = externalRules()) {
  const a = app();
  const stacks: Record<string, TerraformStack> = {};
  for (const id of first === 'net' ? ['net-stack', 'apim-stack'] : ['apim-stack', 'net-stack']) {
    stacks[id] = new TerraformStack(a, id);
    new AzurermProvider(stacks[id], 'azurerm', { features: [{}] });
  }
  const net = stacks['net-stack'];
  const vnet = new VirtualNetwork(net, 'vnet', { name: 'vnet', location: 'westeurope', resourceGroupName: 'rg', addressSpace: ['10.0.0.0/16'] });
  const subnet = new Subnet(net, 'subnet', { name: 'snet-apim', resourceGroupName: 'rg', virtualNetworkName: vnet.name, addressPrefixes: ['10.0.1.0/27'] });
  const nsg = new NetworkSecurityGroup(net, 'nsg', { name: 'nsg-apim', location: 'westeurope', resourceGroupName: 'rg', securityRule: rules });
  new SubnetNetworkSecurityGroupAssociation(net, 'assoc', { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
  const pip = new PublicIp(net, 'pip', { name: 'pip', location: 'westeurope', resourceGroupName: 'rg', sku: 'Standard', allocationMethod: 'Static', domainNameLabel: 'contoso' });
  new ApiManagement(stacks['apim-stack'], 'apim', {
    name: 'contoso', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'a@contoso.example',
    skuName: 'Premium_1', virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetId: subnet.id }, publicIpAddressId: pip.id,
  });
  return { a, net, apimStack: stacks['apim-stack'], nsg };
}

/** An aspect that adds a deny-all outbound rule at 200 to every NSG (after the checks could have read it). */
class Lockdown implements IAspect {
  public visit(node: IConstruct): void {
    if (node instanceof NetworkSecurityGroup) {
      node.putSecurityRule([...(node.securityRuleInput as NetworkSecurityGroupSecurityRule[]), denyAll('lockdown', 200, 'Outbound')]);
    }
  }
}

const lateRules = (): NetworkSecurityGroupSecurityRule[] => externalRules().map((r) => ({ ...r, priority: (r.priority as number) + 200 }));

describe('defect 3: another stack\'s document is read only once its aspects have run', () => {
  test('the network\'s stack created after the APIM\'s, with an aspect: what is read from it is unknown, saying how to fix it', () => {
    const { a, net } = crossStack('apim', lateRules());
    Aspects.of(net).add(new Lockdown());
    ApimNetworkChecks.applyTo(a);
    a.synth();
    // The aspect ran on the network's stack: its document holds the deny-all.
    expect(fs.readFileSync(path.join(a.outdir, 'stacks', 'net-stack', 'cdk.tf.json'), 'utf8')).toContain('lockdown');
    const findings = reported(a, 'apim-stack');
    expect(findings.filter((f) => f.level === 'error')).toEqual([]);
    const unknowns = findings.filter((f) => f.ruleId === 'APIM-UNKNOWN');
    expect(unknowns.map((f) => f.detail)).toEqual(expect.arrayContaining(['APIM-NSG-REQUIRED', 'APIM-SUBNET-SIZE', 'APIM-PIP-SKU']));
    expect(unknowns.find((f) => f.detail === 'APIM-NSG-REQUIRED')?.message).toMatch(
      /the stack "net-stack", whose aspects \(Lockdown\) have not run when the checks of "apim-stack" run .*create the stack "net-stack" before "apim-stack"/);
    const outcomes = JSON.parse(fs.readFileSync(path.join(a.outdir, 'stacks', 'apim-stack', 'apim-network-checks.json'), 'utf8')).outcomes;
    expect(outcomes.filter((o: { ruleId: string; outcome: string }) => o.ruleId.startsWith('APIM-NSG-') && o.outcome === 'pass')).toEqual([]);
  });

  test('the network\'s stack created first: its aspects ran, the deny-all fails synth', () => {
    const { a, net } = crossStack('net', lateRules());
    Aspects.of(net).add(new Lockdown());
    ApimNetworkChecks.applyTo(a);
    expect(() => a.synth()).toThrow(/\[apim-stack\].*\[APIM-NSG-SHADOWED\[Outbound:Internet:80\]\] azurerm_network_security_group\.nsg \(net-stack\/nsg\): the rule "lockdown"/);
  });

  test('a stack created later without aspects (or with only ApimNetworkChecks) is read: nothing can change it', () => {
    const { a, net } = crossStack('apim', lateRules().filter((r) => r.name !== 'certs').concat([denyAll('deny-80', 150, 'Outbound')]));
    Aspects.of(net).add(new ApimNetworkChecks());
    ApimNetworkChecks.applyTo(a);
    expect(() => a.synth()).toThrow(/\[APIM-NSG-REQUIRED\[Outbound:Internet:80\]\] azurerm_network_security_group\.nsg \(net-stack\/nsg\)/);
  });
});

describe('defects 7 and 15: suppressions set anywhere in the app', () => {
  /** The network denies outbound Internet:80 ahead of the certificates rule: APIM-NSG-SHADOWED, reported by the APIM's stack. */
  const shadowing = () => [denyAll('deny-80', 100, 'Outbound'), ...lateRules()].map((r) => (r.name === 'deny-80' ? { ...r, destinationPortRange: '80' } : r));

  test('control: the finding about net-stack/nsg comes from apim-stack', () => {
    const { a } = crossStack('net', shadowing());
    ApimNetworkChecks.applyTo(a);
    expect(() => a.synth()).toThrow(/\[apim-stack\].*\[APIM-NSG-SHADOWED\[Outbound:Internet:80\]\] azurerm_network_security_group\.nsg \(net-stack\/nsg\)/);
  });

  test.each([['the NSG itself', 'nsg'], ['the network\'s stack', 'stack']])('a suppression on %s, in the other stack, covers it; none is unused', (_name, where) => {
    const { a, net, nsg } = crossStack('net', shadowing());
    ApimNetworkChecks.suppress(where === 'nsg' ? nsg : net, 'APIM-NSG-SHADOWED', 'the proxy handles certificate checks for now');
    ApimNetworkChecks.applyTo(a);
    expect(() => a.synth()).not.toThrow();
    const all = [...reported(a, 'apim-stack'), ...reported(a, 'net-stack')];
    expect(all.filter((f) => f.ruleId === 'APIM-NSG-SHADOWED' || f.ruleId === 'APIM-SUPPRESSION-UNUSED')).toEqual([]);
    const outcomes = JSON.parse(fs.readFileSync(path.join(a.outdir, 'stacks', 'apim-stack', 'apim-network-checks.json'), 'utf8')).outcomes;
    expect(outcomes.filter((o: { outcome: string }) => o.outcome === 'suppressed').map((o: { ruleId: string; constructPath: string }) => `${o.ruleId} ${o.constructPath}`))
      .toEqual(['APIM-NSG-SHADOWED net-stack/nsg']);
  });

  test('ApimNetworkTesting (after synth has prepared the cross-stack references) sees the suppression set in the other stack too', () => {
    const control = crossStack('net', shadowing());
    control.a.synth();
    expect(ApimNetworkTesting.errors(control.apimStack).map((f) => f.ruleId)).toEqual(['APIM-NSG-SHADOWED']);
    const { a, nsg, apimStack } = crossStack('net', shadowing());
    ApimNetworkChecks.suppress(nsg, 'APIM-NSG-SHADOWED', 'the proxy handles certificate checks for now');
    a.synth();
    expect(ApimNetworkTesting.findings(apimStack).filter((f) => f.ruleId === 'APIM-NSG-SHADOWED' || f.ruleId === 'APIM-SUPPRESSION-UNUSED')).toEqual([]);
  });

  test('the same suppression with the APIM\'s stack created first: still used, never reported unused', () => {
    const { a, nsg } = crossStack('apim', shadowing());
    ApimNetworkChecks.suppress(nsg, 'APIM-NSG-SHADOWED', 'the proxy handles certificate checks for now');
    ApimNetworkChecks.applyTo(a);
    expect(() => a.synth()).not.toThrow();
    expect([...reported(a, 'apim-stack'), ...reported(a, 'net-stack')].filter((f) => f.ruleId === 'APIM-SUPPRESSION-UNUSED')).toEqual([]);
  });

  test('a suppression on a construct beside the stacks is applied to what it covers, or reported unused once, with where it was set', () => {
    const { a } = crossStack('net', shadowing());
    const policies = new Construct(a, 'policies');
    ApimNetworkChecks.suppress(policies, 'APIM-NSG-SHADOWED', 'the proxy handles certificate checks for now');
    ApimNetworkChecks.applyTo(a);
    // It covers nothing (no resource lies below it): the finding stands, and the suppression is reported unused once.
    expect(() => a.synth()).toThrow(/APIM-NSG-SHADOWED/);
    const b = crossStack('net');
    ApimNetworkChecks.suppress(new Construct(b.a, 'policies'), 'APIM-NSG-SHADOWED', 'the proxy handles certificate checks for now');
    ApimNetworkChecks.applyTo(b.a);
    b.a.synth();
    const unused = [...reported(b.a, 'apim-stack'), ...reported(b.a, 'net-stack')].filter((f) => f.ruleId === 'APIM-SUPPRESSION-UNUSED');
    expect(unused.map((f) => f.message)).toEqual([expect.stringMatching(/^the suppression of APIM-NSG-SHADOWED set on policies \("the proxy handles/)]);
  });
});
