/**
 * APIM-SUBNET-MIXED (outside review, session 6, finding 6): an APIM subnet written as azurerm_subnet in a virtual
 * network whose configuration also writes inline `subnet` blocks. The provider writes the network's subnets as the
 * inline list says on every apply (azurerm docs of virtual_network and subnet: the two must not be mixed), so a
 * same-named inline block puts its own `security_group` (or none) on the APIM subnet, and a list without the APIM
 * subnet removes it. In a plan, the network's `subnet` is what Azure holds (every subnet, the APIM one included): it
 * counts as inline only when the plan's configuration writes it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { ApimCheckResult, ApimNetworkChecks, ApimNetworkRules, ApimNetworkTesting, ApimRuleOutcome, ApimVirtualNetworkType, MultiRegionApimNetwork } from '../../lib';
import { readPlan } from '../../lib/cli/plan';
import { ROOT, jsonOf, tempDir } from '../cli/support';
import { brownfield } from './brownfield';
import { Json, evaluate, findings, network, unknowns } from './raw-json';

const RULE = 'APIM-SUBNET-MIXED';

/** The rule's outcomes, in order. */
const outcomes = (result: ApimCheckResult) => result.outcomes.filter((o) => o.ruleId === RULE).map((o) => o.outcome);

/** The compliant network with a deny-all NSG beside it and these inline subnet blocks on the virtual network. */
function withInline(subnet: Json): Json {
  const doc = network();
  doc.resource.azurerm_network_security_group.baseline = {
    name: 'nsg-baseline', location: 'westeurope', resource_group_name: 'rg-apim',
    security_rule: [{ name: 'deny-all-in', priority: 4096, direction: 'Inbound', access: 'Deny', protocol: '*', source_port_range: '*', destination_port_range: '*', source_address_prefix: '*', destination_address_prefix: '*' }],
  };
  doc.resource.azurerm_virtual_network.vnet.subnet = subnet;
  return doc;
}

describe('APIM-SUBNET-MIXED on raw Terraform JSON', () => {
  test('an inline block with the APIM subnet\'s name (any case) and a deny-all security_group: an error naming the network, the block and its NSG', () => {
    for (const name of ['snet-apim', 'SNET-APIM']) {
      const result = evaluate(withInline([{ name, address_prefixes: ['10.0.1.0/27'], security_group: '${azurerm_network_security_group.baseline.id}' }]));
      expect(findings(result, RULE).map((f) => [f.level, f.address, f.message])).toEqual([['error', 'azurerm_subnet.apim', expect.stringMatching(
        new RegExp(`^azurerm_virtual_network\\.vnet writes the inline subnet blocks "${name}" beside azurerm_subnet\\.apim: .*; "${name}" is this subnet \\(names in a network are unique, in any case\\), so each apply of azurerm_virtual_network\\.vnet sets its NSG to azurerm_network_security_group\\.baseline\\.id \\(security_group\\), not the one an association gives it$`))]]);
      expect(findings(result, RULE)[0].fix).toMatch(/write each subnet as azurerm_subnet, or write every subnet inline/);
    }
  });

  test('a same-named inline block without security_group: the error says each apply removes the subnet\'s NSG', () => {
    const result = evaluate(withInline([{ name: 'snet-apim', address_prefixes: ['10.0.1.0/27'] }]));
    expect(findings(result, RULE).map((f) => f.message)).toEqual([expect.stringMatching(/"snet-apim" is this subnet .*removes its NSG \(the block has no security_group\)$/)]);
  });

  test('inline blocks with other names: an error naming them (the provider removes the subnets they do not list)', () => {
    const result = evaluate(withInline([{ name: 'snet-app', address_prefixes: ['10.0.2.0/24'] }, { name: 'snet-data', address_prefixes: ['10.0.3.0/24'] }]));
    expect(findings(result, RULE).map((f) => f.message)).toEqual([
      'azurerm_virtual_network.vnet writes the inline subnet blocks "snet-app", "snet-data" beside azurerm_subnet.apim: the provider writes the network\'s subnets as the blocks say on every apply, overwriting or removing those of azurerm_subnet',
    ]);
  });

  test('an explicit subnet = [] is an error: the provider removes every subnet the list does not name', () => {
    expect(findings(evaluate(withInline([])), RULE).map((f) => f.message)).toEqual([expect.stringMatching(/^azurerm_virtual_network\.vnet sets subnet = \[\] beside azurerm_subnet\.apim/)]);
  });

  test('no inline blocks (or null): no finding, a pass', () => {
    expect(outcomes(evaluate(network()))).toEqual([ApimRuleOutcome.PASS]);
    expect(outcomes(evaluate(withInline(null)))).toEqual([ApimRuleOutcome.PASS]);
  });

  test('dynamic "subnet" blocks: over a variable, unknown; over an empty list, not set (a pass); over a known list, an error', () => {
    const dynamic = (forEach: Json) => {
      const doc = network();
      doc.resource.azurerm_virtual_network.vnet.dynamic = { subnet: { for_each: forEach, content: { name: '${subnet.value}', address_prefixes: ['10.0.9.0/24'] } } };
      return evaluate(doc);
    };
    const variable = dynamic('${var.subnets}');
    expect(findings(variable, RULE)).toEqual([]);
    expect(unknowns(variable, RULE).map((f) => f.message)).toEqual([expect.stringMatching(/whether azurerm_virtual_network\.vnet writes inline subnet blocks beside azurerm_subnet\.apim: .*var\.subnets/)]);
    expect(outcomes(dynamic([]))).toEqual([ApimRuleOutcome.PASS]);
    expect(findings(dynamic(['snet-x']), RULE).map((f) => f.message)).toEqual([expect.stringMatching(/writes the inline subnet blocks "snet-x" beside/)]);
  });

  test('a subnet list not known at synth time is unknown', () => {
    const result = evaluate(withInline('${var.subnets}'));
    expect(findings(result, RULE)).toEqual([]);
    expect(unknowns(result, RULE).map((f) => f.message)).toEqual([expect.stringMatching(/var\.subnets/)]);
  });

  test('a network whose name is not known: unknown when a network of the configuration writes inline subnets, a pass when none does', () => {
    const unsure = withInline([{ name: 'snet-app', address_prefixes: ['10.0.2.0/24'] }]);
    unsure.resource.azurerm_subnet.apim.virtual_network_name = '${var.vnet}';
    expect(unknowns(evaluate(unsure), RULE).map((f) => f.message)).toEqual([expect.stringMatching(/whether the subnet's virtual network is azurerm_virtual_network\.vnet, which may write inline subnet blocks: .*var\.vnet/)]);
    const plain = network();
    plain.resource.azurerm_subnet.apim.virtual_network_name = '${var.vnet}';
    expect(outcomes(evaluate(plain))).toEqual([ApimRuleOutcome.PASS]);
  });

  test('the library\'s own MultiRegionApimNetwork gives no finding (a new network and an existing one)', () => {
    for (const existing of [false, true]) {
      const s = new TerraformStack(Testing.app(), 'hub');
      new AzurermProvider(s, 'azurerm', { features: [{}] });
      new MultiRegionApimNetwork(s, 'network', {
        virtualNetworkType: ApimVirtualNetworkType.INTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg',
        regions: [
          { location: 'westeurope', subnetAddressPrefix: '10.50.4.0/27', publicIp: { enabled: false }, ...(existing ? { virtualNetworkName: 'vnet-hub', existingAddressSpace: ['10.50.0.0/16'] } : { addressSpace: ['10.50.0.0/16'] }) },
          { location: 'northeurope', subnetAddressPrefix: '10.60.4.0/27', addressSpace: ['10.60.0.0/16'], publicIp: { enabled: false } },
        ],
      });
      const result = ApimNetworkTesting.evaluate(s);
      expect(result.findings.filter((f) => f.ruleId === RULE || f.detail === RULE)).toEqual([]);
      expect(outcomes(result)).toEqual(existing ? [ApimRuleOutcome.NOT_APPLICABLE, ApimRuleOutcome.PASS] : [ApimRuleOutcome.PASS, ApimRuleOutcome.PASS]);
    }
  });
});

describe('APIM-SUBNET-MIXED through app.synth() (cdktf L1)', () => {
  function app(): App {
    return new App({ outdir: Testing.app().outdir, stackTraces: false });
  }

  test('an inline subnet block with the APIM subnet\'s name on the VirtualNetwork fails synth (an error: with or without strict)', () => {
    for (const strict of [false, true]) {
      const a = app();
      const b = brownfield({ scope: a });
      b.vnet.putSubnet([{ name: 'snet-apim', addressPrefixes: ['10.0.1.0/27'] }]);
      ApimNetworkChecks.applyTo(a, { strict });
      expect(() => a.synth()).toThrow(/\[APIM-SUBNET-MIXED\] azurerm_subnet\.apim_subnet \(brownfield\/apim_subnet\): azurerm_virtual_network\.vnet writes the inline subnet blocks "snet-apim" beside azurerm_subnet\.apim_subnet: .*; "snet-apim" is this subnet .*removes its NSG/);
    }
  });

  test('a dynamic subnet list from a TerraformVariable is unknown, not a pass', () => {
    const a = app();
    const b = brownfield({ scope: a });
    b.vnet.addOverride('subnet', new TerraformVariable(b.stack, 'subnets', { type: 'list(any)' }).listValue);
    ApimNetworkChecks.applyTo(a);
    expect(() => a.synth()).not.toThrow();
    const report = JSON.parse(fs.readFileSync(path.join(a.outdir, 'stacks', 'brownfield', 'apim-network-checks.json'), 'utf8'));
    expect(report.findings.filter((f: Json) => f.detail === RULE).map((f: Json) => f.message)).toEqual([expect.stringMatching(/var\.subnets/)]);
  });
});

describe('APIM-SUBNET-MIXED on the command line', () => {
  /** A compliant network in HCL (an empty NSG and standalone rules), with text added at the end of its virtual network. */
  const BASE = fs.readFileSync(path.join(ROOT, 'test/fixtures/hcl-patterns/03-standalone-rules.tf'), 'utf8');
  const tf = (vnet: string) => {
    const main = BASE.replace(/(resource "azurerm_virtual_network" "main" \{[^}]*)\}/, `$1${vnet}\n}`);
    expect(main).not.toBe(BASE);
    return main;
  };
  const check = (main: string) => jsonOf(['check', tempDir({ 'main.tf': main })], { cwd: ROOT });
  const dynamicBlock = (type: string, forEach: string, content: string) => `  dynamic "${type}" {\n    for_each = ${forEach}\n    content {\n${content}\n    }\n  }`;

  test('a .tf network with an inline subnet block of the APIM subnet\'s name: the error, exit code 1; the fixture alone passes', () => {
    expect(check(BASE).report.findings.filter((f: Json) => f.ruleId === RULE || f.detail === RULE)).toEqual([]);
    const main = tf('  subnet {\n    name             = "APIM"\n    address_prefixes = ["10.30.1.0/28"]\n    security_group   = "/subscriptions/0/resourceGroups/rg-platform/providers/Microsoft.Network/networkSecurityGroups/nsg-baseline"\n  }');
    const { code, report } = check(main);
    expect(code).toBe(1);
    const line = main.split('\n').indexOf('resource "azurerm_subnet" "apim" {') + 1;
    expect(report.findings.filter((f: Json) => f.ruleId === RULE).map((f: Json) => [f.level, f.address, f.line, f.message])).toEqual([
      ['error', 'azurerm_subnet.apim', line, expect.stringMatching(/"APIM" is this subnet .*sets its NSG to "\/subscriptions\/0\/.*nsg-baseline" \(security_group\)/)],
    ]);
  });

  test('a .tf network with dynamic "subnet" blocks over a variable: unknown; over an empty list: nothing', () => {
    const dynamic = (forEach: string) => tf(dynamicBlock('subnet', forEach, '      name             = subnet.value\n      address_prefixes = ["10.30.9.0/24"]'));
    const unknown = check(`variable "subnets" {\n  type = list(string)\n}\n${dynamic('var.subnets')}`);
    expect(unknown.report.findings.filter((f: Json) => f.detail === RULE).map((f: Json) => f.message)).toEqual([expect.stringMatching(/var\.subnets/)]);
    expect(check(dynamic('[]')).report.findings.filter((f: Json) => f.ruleId === RULE || f.detail === RULE)).toEqual([]);
  });
});

describe('APIM-SUBNET-MIXED in a plan (terraform show -json)', () => {
  const FIXTURE = path.join(ROOT, 'test/fixtures/terraform/plan/plan.json');
  const vnetOf = (section: Json) => section.find((r: Json) => r.address === 'azurerm_virtual_network.vnet');
  const LISTING = [
    { name: 'snet-apim', address_prefixes: ['10.10.1.0/27'], id: '/subscriptions/0/resourceGroups/rg-apim-plan/providers/Microsoft.Network/virtualNetworks/vnet-apim-plan/subnets/snet-apim', security_group: '' },
    { name: 'snet-app', address_prefixes: ['10.10.2.0/24'], id: '/subscriptions/0/resourceGroups/rg-apim-plan/providers/Microsoft.Network/virtualNetworks/vnet-apim-plan/subnets/snet-app', security_group: '' },
  ];

  /** The fixture plan (a real one), with the network's planned `subnet`, its change and its configuration edited. */
  function edited(edit: (vnet: { values: Json; change: Json; expressions: Json }) => void): ApimCheckResult {
    const plan = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
    const values = vnetOf(plan.planned_values.root_module.resources).values;
    const change = plan.resource_changes.find((c: Json) => c.address === 'azurerm_virtual_network.vnet').change;
    const expressions = vnetOf(plan.configuration.root_module.resources).expressions;
    edit({ values, change, expressions });
    return ApimNetworkRules.evaluate(readPlan(JSON.stringify(plan), FIXTURE).document);
  }

  /** The network exists: Azure lists the APIM subnet and a sibling in its computed `subnet`. */
  const existing = ({ values, change }: { values: Json; change: Json }) => {
    values.subnet = LISTING;
    change.actions = ['no-op'];
    change.before = { ...values };
    change.after_unknown = {};
  };

  test('a plan of an existing network whose computed subnet lists the APIM subnet and a sibling: no APIM-SUBNET-MIXED, the overlap still read', () => {
    const result = edited(existing);
    expect(outcomes(result)).toEqual([ApimRuleOutcome.PASS]);
    expect(result.findings.filter((f) => f.ruleId === RULE || f.detail === RULE)).toEqual([]);
    expect(result.outcomes.filter((o) => o.ruleId === 'APIM-SUBNET-PREFIX' && o.detail === 'overlap').map((o) => o.outcome)).toEqual([ApimRuleOutcome.PASS]);
    // The listing is still read for overlaps: a sibling the configuration does not manage that overlaps is an error.
    const overlapping = edited((vnet) => {
      existing(vnet);
      vnet.values.subnet = [LISTING[0], { ...LISTING[1], address_prefixes: ['10.10.1.16/28'] }];
    });
    expect(findings(overlapping, 'APIM-SUBNET-PREFIX').map((f) => f.detail)).toEqual(['overlap']);
    expect(outcomes(overlapping)).toEqual([ApimRuleOutcome.PASS]);
  });

  test('a plan that resizes or renames the APIM subnet of an existing network: Azure\'s listing of it before the plan is no overlap (second review, session 6)', () => {
    const withSubnet = (edit: (values: Json, change: Json) => void) => {
      const plan = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
      const vnet = vnetOf(plan.planned_values.root_module.resources);
      const vnetChange = plan.resource_changes.find((c: Json) => c.address === 'azurerm_virtual_network.vnet').change;
      existing({ values: vnet.values, change: vnetChange });
      const subnet = plan.planned_values.root_module.child_modules.flatMap((m: Json) => m.resources).find((r: Json) => r.address === 'module.network.azurerm_subnet.apim');
      const change = plan.resource_changes.find((c: Json) => c.address === 'module.network.azurerm_subnet.apim').change;
      edit(subnet.values, change);
      return ApimNetworkRules.evaluate(readPlan(JSON.stringify(plan), FIXTURE).document);
    };
    // Resized in place from the listed /27 to a /26 that holds it.
    const resized = withSubnet((values, change) => {
      values.address_prefixes = ['10.10.1.0/26'];
      change.actions = ['update'];
      change.before = { ...values, address_prefixes: ['10.10.1.0/27'] };
    });
    expect(findings(resized, 'APIM-SUBNET-PREFIX')).toEqual([]);
    // Renamed (replaced): the listing still has the old name, with the prefix the new subnet takes.
    const renamed = withSubnet((values, change) => {
      values.name = 'snet-apim-2';
      change.actions = ['delete', 'create'];
      change.before = { ...values, name: 'snet-apim' };
    });
    expect(findings(renamed, 'APIM-SUBNET-PREFIX')).toEqual([]);
    // Renamed with create_before_destroy (create, then delete): Azure holds the old subnet, with the same prefix, when
    // the new one is created, and refuses it.
    const createdFirst = withSubnet((values, change) => {
      values.name = 'snet-apim-2';
      change.actions = ['create', 'delete'];
      change.before = { ...values, name: 'snet-apim' };
    });
    expect(findings(createdFirst, 'APIM-SUBNET-PREFIX').map((f) => [f.level, f.detail, f.message])).toEqual([
      ['error', 'overlap', expect.stringMatching(/the subnet "snet-apim" that Azure holds in azurerm_virtual_network\.vnet/)],
    ]);
    // Another subnet Azure holds that overlaps is still an error, named as Azure's.
    const other = withSubnet((values) => {
      values.address_prefixes = ['10.10.2.0/26'];
    });
    expect(findings(other, 'APIM-SUBNET-PREFIX').map((f) => f.message)).toEqual([expect.stringMatching(/the subnet "snet-app" that Azure holds in azurerm_virtual_network\.vnet \(the plan lists it\)/)]);
  });

  test('a plan whose configuration writes inline subnet blocks: the error', () => {
    const result = edited((vnet) => {
      existing(vnet);
      vnet.expressions.subnet = { constant_value: LISTING.map(({ name, address_prefixes }) => ({ name, address_prefixes })) };
    });
    expect(findings(result, RULE).map((f) => [f.level, f.address, f.message])).toEqual([['error', 'module.network.azurerm_subnet.apim',
      expect.stringMatching(/^azurerm_virtual_network\.vnet writes the inline subnet blocks "snet-apim", "snet-app" beside module\.network\.azurerm_subnet\.apim: .*; "snet-apim" is this subnet .*removes its NSG/)]]);
  });

  test('a network to be created with a known planned subnet list the configuration section does not show (dynamic blocks): the error', () => {
    const result = edited(({ values, change }) => {
      values.subnet = [{ name: 'snet-app', address_prefixes: ['10.10.2.0/24'], security_group: '' }];
      change.after_unknown = { ...change.after_unknown, subnet: [{ id: true }] };
    });
    expect(findings(result, RULE).map((f) => f.message)).toEqual([expect.stringMatching(/writes the inline subnet blocks "snet-app" beside/)]);
  });

  test('a network to be created whose subnet is known after apply, not written: a pass', () => {
    expect(outcomes(edited(() => undefined))).toEqual([ApimRuleOutcome.PASS]);
  });
});

describe('a subnet the plan deletes is still in Azure\'s listing of its network (terraform show -json)', () => {
  const FIXTURE = path.join(ROOT, 'test/fixtures/terraform/plan/plan.json');
  const SUBSCRIPTION = '11111111-1111-1111-1111-111111111111';
  const VNET_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-apim-plan/providers/Microsoft.Network/virtualNetworks/vnet-apim-plan`;
  const OLD = { name: 'snet-apim-old', address_prefixes: ['10.10.1.0/27'], id: `${VNET_ID}/subnets/snet-apim-old`, security_group: '' };
  const APP = { name: 'snet-app', address_prefixes: ['10.10.2.0/24'], id: `${VNET_ID}/subnets/snet-app`, security_group: '' };

  /**
   * The fixture plan on an existing network that Azure lists with the old APIM subnet (10.10.1.0/27) and snet-app; the
   * plan creates the new APIM subnet snet-apim with the same prefix. `before` is the old subnet's state in a change that
   * deletes it (none: no resource manages it, it was made in the portal).
   */
  function moved(before: Json | undefined, actions: string[] = ['delete']): { plan: Json; result: ApimCheckResult } {
    const plan = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
    const values = plan.planned_values.root_module.resources.find((r: Json) => r.address === 'azurerm_virtual_network.vnet').values;
    Object.assign(values, { id: VNET_ID, subnet: [OLD, APP] });
    const change = plan.resource_changes.find((c: Json) => c.address === 'azurerm_virtual_network.vnet').change;
    Object.assign(change, { actions: ['no-op'], before: { ...values }, after_unknown: {} });
    if (before) {
      plan.resource_changes.push({ address: 'azurerm_subnet.old', mode: 'managed', type: 'azurerm_subnet', name: 'old', provider_name: 'registry.terraform.io/hashicorp/azurerm',
        change: { actions, before, after: null, after_unknown: {}, before_sensitive: false, after_sensitive: false } });
    }
    return { plan, result: ApimNetworkRules.evaluate(readPlan(JSON.stringify(plan), FIXTURE).document) };
  }
  const state = { name: 'snet-apim-old', virtual_network_name: 'vnet-apim-plan', resource_group_name: 'rg-apim-plan', address_prefixes: ['10.10.1.0/27'], id: OLD.id };
  const overlap = (result: ApimCheckResult) => findings(result, 'APIM-SUBNET-PREFIX').map((f) => [f.detail, f.message]);
  const deletedOf = (plan: Json) => Object.values<any>(readPlan(JSON.stringify(plan), FIXTURE).document.resource.azurerm_virtual_network)
    .map((vnet) => vnet['//'].metadata.deleted);

  test('readPlan records on the network the subnets the plan deletes from it, by ID (any case) or by network name and resource group (any case)', () => {
    expect(deletedOf(moved(state).plan)).toEqual([['snet-apim-old']]);
    expect(deletedOf(moved({ ...state, id: state.id.toUpperCase() }).plan)).toEqual([['snet-apim-old']]);
    const { id: _id, ...withoutId } = state;
    expect(deletedOf(moved({ ...withoutId, virtual_network_name: 'VNET-APIM-PLAN', resource_group_name: 'RG-APIM-PLAN' }).plan)).toEqual([['snet-apim-old']]);
    // Not a subnet of this network: another subscription (by ID), another network or another resource group (by name).
    expect(deletedOf(moved({ ...state, id: state.id.replace(SUBSCRIPTION, '22222222-2222-2222-2222-222222222222') }).plan)).toEqual([undefined]);
    expect(deletedOf(moved({ ...state, id: state.id.replace('/virtualNetworks/vnet-apim-plan/', '/virtualNetworks/vnet-other/') }).plan)).toEqual([undefined]);
    expect(deletedOf(moved({ ...withoutId, virtual_network_name: 'vnet-other' }).plan)).toEqual([undefined]);
    expect(deletedOf(moved({ ...withoutId, resource_group_name: 'rg-other' }).plan)).toEqual([undefined]);
    // A subnet the plan keeps or changes in place is not deleted.
    expect(deletedOf(moved(state, ['update']).plan)).toEqual([undefined]);
  });

  test('the new APIM subnet takes the prefix of the old one the plan deletes: no overlap error; whether Azure has deleted it first is unknown (Terraform does not order the two)', () => {
    for (const before of [state, { ...state, id: state.id.toUpperCase() }]) {
      const { result } = moved(before);
      expect(overlap(result)).toEqual([]);
      expect(unknowns(result, 'APIM-SUBNET-PREFIX').map((f) => [f.message, f.fix])).toEqual([[
        expect.stringMatching(/overlap\] cannot decide at synth time: whether the subnet "snet-apim-old" that Azure holds in azurerm_virtual_network\.vnet \(the plan deletes it\) \(10\.10\.1\.0\/27\) is gone before this subnet takes 10\.10\.1\.0\/27: Terraform does not order/),
        expect.stringMatching(/delete "snet-apim-old" in one apply/),
      ]]);
    }
  });

  test('the same subnet name deleted from another network, resource group or subscription, and a subnet no resource manages (made in the portal), still overlap: an error', () => {
    const { id: _id, ...withoutId } = state;
    const error = [['overlap', expect.stringMatching(/overlaps the subnet "snet-apim-old" that Azure holds in azurerm_virtual_network\.vnet \(the plan lists it\) \(10\.10\.1\.0\/27\)/)]];
    expect(overlap(moved(undefined).result)).toEqual(error);
    expect(overlap(moved({ ...state, id: state.id.replace(SUBSCRIPTION, '22222222-2222-2222-2222-222222222222') }).result)).toEqual(error);
    expect(overlap(moved({ ...withoutId, virtual_network_name: 'vnet-other' }).result)).toEqual(error);
    expect(overlap(moved({ ...withoutId, resource_group_name: 'rg-other' }).result)).toEqual(error);
  });
});
