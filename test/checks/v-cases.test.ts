/**
 * Every verified case of the domain audit (reference/docs-audit-2026-11.md, section 2.3) that concerns the checks, with
 * the verdict RULES.md revision 2 expects. Resources are written with the provider's L1 classes (and the library's
 * constructs where the case uses them); enforcement goes through app.synth(), the path `cdktf synth` takes.
 */
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { RouteTable } from '@cdktf/provider-azurerm/lib/route-table';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { SubnetRouteTableAssociation } from '@cdktf/provider-azurerm/lib/subnet-route-table-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { App, TerraformStack, Testing } from 'cdktf';
import {
  ApimNetworkChecks, ApimNetworkSecurityGroup, ApimNetworkTesting, ApimRuleLevel, ApimSubnet, ApimVirtualNetworkType, MultiRegionApimNetwork,
} from '../../lib';
import { brownfield, externalRules, findingsOf, rule } from './brownfield';

const internalRules = () => externalRules().filter((r) => !['client', 'tm'].includes(r.name as string));
const denyAll = (direction: string, priority = 4000) => rule(`deny-all-${direction.toLowerCase()}`, priority, direction, '*', '*', '*', { access: 'Deny', protocol: '*' });

/** Synthesize an app as `cdktf synth` does; return what it threw (or undefined) and the stack's findings. */
function synth(build: (app: App) => TerraformStack): { error?: Error; findings: ReturnType<typeof ApimNetworkTesting.findings> } {
  const app = new App({ outdir: Testing.app().outdir, stackTraces: false });
  const stack = build(app);
  ApimNetworkChecks.applyTo(app);
  let error: Error | undefined;
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  }
  return { error, findings: ApimNetworkTesting.findings(stack) };
}

const errorsOf = (findings: ReturnType<typeof ApimNetworkTesting.findings>) => findings.filter((f) => f.level === ApimRuleLevel.ERROR);

describe('verified cases of the audit, under RULES.md revision 2', () => {
  test('V1b: External APIM without a public IP resource, hand-written: synth succeeds, no finding', () => {
    const b = brownfield({ apim: { publicIpAddressId: undefined } });
    expect(ApimNetworkTesting.findings(b.stack)).toEqual([]);
    expect(() => Testing.fullSynth(b.stack)).not.toThrow();
  });

  test('V4: an NSG relying on Azure\'s default rules works in Azure: no error, an APIM-NSG-IMPLICIT warning per flow the defaults carry', () => {
    const rules = externalRules().filter((r) => ['client', 'management'].includes(r.name as string));
    const { error, findings } = synth((app) => brownfieldInApp(app, { rules }));
    expect(error).toBeUndefined();
    expect(errorsOf(findings)).toEqual([]);
    expect(findingsOf({ findings, outcomes: [], durationMs: 0 }, 'APIM-NSG-IMPLICIT').map((f) => f.detail).sort()).toEqual([
      'Inbound:AzureLoadBalancer:6390', 'Outbound:AzureKeyVault:443', 'Outbound:AzureMonitor:1886', 'Outbound:AzureMonitor:443',
      'Outbound:Internet:80', 'Outbound:Sql:1433', 'Outbound:Storage:443',
    ]);
  });

  test('V5: an outbound allow to Internet covers Storage, Sql, Key Vault and Monitor (Internet holds them): no finding', () => {
    const rules = [
      ...externalRules().filter((r) => r.direction === 'Inbound'),
      rule('out-internet', 100, 'Outbound', 'VirtualNetwork', 'Internet', ['80', '443', '1433', '1886']),
      denyAll('Outbound'),
    ];
    const { error, findings } = synth((app) => brownfieldInApp(app, { rules }));
    expect(error).toBeUndefined();
    expect(findings).toEqual([]);
  });

  test('V6a: a block list ahead of the client allow removes only those clients: no client finding; a warning that it may block ApiManagement', () => {
    const rules = [rule('blocklist', 100, 'Inbound', '203.0.113.0/24', '*', '*', { access: 'Deny', protocol: '*' }), ...externalRules().map((r) => (r.name === 'client' ? { ...r, priority: 105 } : r))];
    const { error, findings } = synth((app) => brownfieldInApp(app, { rules }));
    expect(error).toBeUndefined();
    expect(findings.map((f) => `${f.ruleId}[${f.detail}] ${f.level}`)).toEqual(['APIM-NSG-SHADOWED[Inbound:ApiManagement:3443] warning']);
    expect(findings[0].message).toMatch(/may block part of Inbound TCP 3443 from ApiManagement.*whether 203\.0\.113\.0\/24 overlaps ApiManagement cannot be known/);
  });

  test('V7: two Developer instances in one subnet (the docs size subnets per instance): no APIM-LOCATION-UNIQUE, and the subnet holds both', () => {
    const b = brownfield({ rules: internalRules(), apim: { skuName: 'Developer_1', virtualNetworkType: 'Internal', publicIpAddressId: undefined } });
    new ApiManagement(b.stack, 'apim2', {
      name: 'contoso-apim-2', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'api@contoso.example',
      skuName: 'Developer_1', virtualNetworkType: 'Internal', virtualNetworkConfiguration: { subnetId: b.subnet.id },
    });
    // Neither instance has DNS for its host names: APIM-DNS-INTERNAL warns about each, which is not what V7 is about.
    const findings = ApimNetworkTesting.findings(b.stack).filter((f) => f.ruleId !== 'APIM-DNS-INTERNAL');
    expect(findings).toEqual([]);
    const result = ApimNetworkTesting.evaluate(b.stack);
    expect(result.outcomes.filter((o) => o.ruleId === 'APIM-SUBNET-SIZE').map((o) => o.outcome)).toEqual(['pass']);
  });

  test('V9: capacity 2 in zones 1, 2, 3 is refused by the constructs and fails synth when written by hand (the docs say "must")', () => {
    const stack = new TerraformStack(Testing.app(), 'v9');
    let refused: any;
    try {
      new MultiRegionApimNetwork(stack, 'network', {
        virtualNetworkType: ApimVirtualNetworkType.EXTERNAL, apiManagementName: 'contoso-apim', resourceGroupName: 'rg',
        regions: [{ location: 'westeurope', addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27', capacity: 2, zones: ['1', '2', '3'] }],
      });
    } catch (e) {
      refused = e;
    }
    expect(refused?.code).toBe('CAPACITY_OUT_OF_RANGE');
    expect(refused?.message).toMatch(/regions\[0\]\.capacity 2: it is not a multiple of the 3 zones 1, 2, 3/);
    const { error } = synth((app) => brownfieldInApp(app, { apim: { skuName: 'Premium_2', zones: ['1', '2', '3'] }, publicIp: { zones: ['1', '2', '3'] } }));
    expect(error?.message).toMatch(/\[APIM-ZONES-CAPACITY\[westeurope\]\].*capacity 2 across 3 zones/);
  });

  test('V10 (control): a route table sending 0.0.0.0/0 to an appliance without ApiManagement -> Internet fails synth', () => {
    const { error } = synth((app) => {
      const stack = brownfieldInApp(app);
      const table = new RouteTable(stack, 'rt', {
        name: 'rt-apim', location: 'westeurope', resourceGroupName: 'rg',
        route: [{ name: 'default', addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopInIpAddress: '10.0.0.4' }],
      });
      new SubnetRouteTableAssociation(stack, 'rt-assoc', { subnetId: (stack.node.findChild('apim_subnet') as Subnet).id, routeTableId: table.id });
      return stack;
    });
    expect(error?.message).toMatch(/\[APIM-ROUTE-MANAGEMENT\]/);
  });

  test('V17: AzureCloud -> 3443 lets the management plane in (no APIM-NSG-REQUIRED), but opens 3443 to all of Azure: APIM-NSG-EXPOSED', () => {
    const rules = externalRules().map((r) => (r.name === 'management' ? { ...r, sourceAddressPrefix: 'AzureCloud' } : r));
    const findings = ApimNetworkTesting.findings(brownfield({ rules }).stack);
    expect(findings.map((f) => `${f.ruleId}[${f.detail}]`)).toEqual(['APIM-NSG-EXPOSED[management]']);
    expect(findings[0].message).toMatch(/rule "management" allows inbound from AzureCloud to the management port 3443/);
  });

  test('V18: a dual-stack subnet stays an APIM-SUBNET-PREFIX error (revision 2 does not change it)', () => {
    const findings = ApimNetworkTesting.findings(brownfield({ subnet: { addressPrefixes: ['10.0.1.0/27', 'ace:cab:deca:deed::/64'] } }).stack);
    expect(errorsOf(findings).map((f) => `${f.ruleId}[${f.detail}]`)).toEqual(['APIM-SUBNET-PREFIX[syntax]']);
  });

  test('V19: Developer, Internal, no 6390 allow and a deny-all inbound: the load balancer is blocked (error)', () => {
    const rules = [...internalRules().filter((r) => r.name !== 'lb'), denyAll('Inbound')];
    const { error } = synth((app) => brownfieldInApp(app, { rules, apim: { skuName: 'Developer_1', virtualNetworkType: 'Internal', publicIpAddressId: undefined } }));
    expect(error?.message).toMatch(/\[APIM-NSG-REQUIRED\[Inbound:AzureLoadBalancer:6390\]\].*the rule "deny-all-inbound" \(priority 4000\) denies it/);
  });

  test('V22: Esp and Ah rules are read (and do not touch the TCP flows APIM needs)', () => {
    const rules = [rule('ipsec-esp', 100, 'Inbound', '*', '*', '*', { access: 'Deny', protocol: 'Esp' }),
      rule('ipsec-ah', 101, 'Inbound', '*', '*', '*', { access: 'Deny', protocol: 'Ah' }), ...externalRules().map((r) => ({ ...r, priority: (r.priority as number) + 10 }))];
    expect(ApimNetworkTesting.findings(brownfield({ rules }).stack)).toEqual([]);
  });

  test('V24: a secondary region\'s NSG that allows only its own Sql/Storage, then denies Internet: the primary region\'s Sql and Storage are blocked', () => {
    const { error, findings } = synth((app) => {
      const stack = brownfieldInApp(app, {
        rules: [...externalRules().filter((r) => r.direction === 'Inbound'), ...regionalOutbound('WestEurope'), rule('deny-internet', 4000, 'Outbound', '*', 'Internet', '*', { access: 'Deny', protocol: '*' })],
      });
      const vnet = new VirtualNetwork(stack, 'vnet2', { name: 'vnet-neu', location: 'northeurope', resourceGroupName: 'rg', addressSpace: ['10.1.0.0/16'] });
      const subnet = new Subnet(stack, 'subnet2', { name: 'snet-apim', resourceGroupName: 'rg', virtualNetworkName: vnet.name, addressPrefixes: ['10.1.1.0/27'] });
      const nsg = new NetworkSecurityGroup(stack, 'nsg2', {
        name: 'nsg-neu', location: 'northeurope', resourceGroupName: 'rg',
        securityRule: [...externalRules().filter((r) => r.direction === 'Inbound'), ...regionalOutbound('NorthEurope'), rule('deny-internet', 4000, 'Outbound', '*', 'Internet', '*', { access: 'Deny', protocol: '*' })],
      });
      new SubnetNetworkSecurityGroupAssociation(stack, 'assoc2', { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
      const pip = new PublicIp(stack, 'pip2', { name: 'pip-neu', location: 'northeurope', resourceGroupName: 'rg', sku: 'Standard', allocationMethod: 'Static', domainNameLabel: 'contoso-neu' });
      (stack.node.findChild('apim') as ApiManagement).putAdditionalLocation([{ location: 'northeurope', publicIpAddressId: pip.id, virtualNetworkConfiguration: { subnetId: subnet.id } }]);
      return stack;
    });
    expect(error?.message).toMatch(/\[APIM-NSG-REQUIRED\[Outbound:Sql:1433\]\] azurerm_network_security_group\.nsg2 .*\(Sql\.WestEurope\).*the rule "deny-internet"/);
    expect(errorsOf(findings).map((f) => `${f.ruleId}[${f.detail}] ${f.address}`)).toEqual([
      'APIM-NSG-REQUIRED[Outbound:Storage:443] azurerm_network_security_group.nsg2', 'APIM-NSG-REQUIRED[Outbound:Sql:1433] azurerm_network_security_group.nsg2',
    ]);
  });

  test('V25: an NSG in northeurope associated with a westeurope subnet fails synth', () => {
    const { error } = synth((app) => {
      const stack = brownfieldInApp(app);
      (stack.node.findChild('nsg') as NetworkSecurityGroup).location = 'northeurope';
      return stack;
    });
    expect(error?.message).toMatch(/\[APIM-SUBNET-NSG\[region\]\].*the NSG azurerm_network_security_group\.nsg is in northeurope but the subnet's virtual network is in westeurope/);
  });

  test('V26a: clients narrowed to Front Door (Microsoft\'s quickstart): synth succeeds with no finding (no near miss on one location)', () => {
    const rules = externalRules().filter((r) => r.name !== 'tm').map((r) => (r.name === 'client' ? { ...r, sourceAddressPrefix: 'AzureFrontDoor.Backend' } : r));
    const { error, findings } = synth((app) => brownfieldInApp(app, { rules }));
    expect(error).toBeUndefined();
    expect(findings).toEqual([]);
  });

  test('V27: the documented rule set plus deny-all both ways: no finding (the locked-down dependencies outside the table are not checked)', () => {
    const rules = [...externalRules(), denyAll('Inbound'), denyAll('Outbound')];
    const { error, findings } = synth((app) => brownfieldInApp(app, { rules }));
    expect(error).toBeUndefined();
    expect(findings).toEqual([]);
  });

  test('V29: APIM in zones 1, 2 and a public IP listed in zones 1, 3 (Azure makes it zone-redundant): no finding', () => {
    const b = brownfield({ apim: { zones: ['1', '2'], skuName: 'Premium_2' }, publicIp: { zones: ['1', '3'] } });
    expect(ApimNetworkTesting.findings(b.stack)).toEqual([]);
  });

  test('the library\'s own NSG and subnet under the checks (V1b with constructs): no finding', () => {
    const { error, findings } = synth((app) => {
      const stack = new TerraformStack(app, 'lib');
      new AzurermProvider(stack, 'azurerm', { features: [{}] });
      const vnet = new VirtualNetwork(stack, 'vnet', { name: 'vnet', location: 'westeurope', resourceGroupName: 'rg', addressSpace: ['10.10.0.0/16'] });
      const nsg = new ApimNetworkSecurityGroup(stack, 'nsg', { resourceGroupName: 'rg', location: 'westeurope', virtualNetworkType: ApimVirtualNetworkType.EXTERNAL });
      const subnet = new ApimSubnet(stack, 'subnet', {
        resourceGroupName: 'rg', location: 'westeurope', virtualNetworkName: vnet.name, addressPrefix: '10.10.1.0/27', virtualNetworkType: ApimVirtualNetworkType.EXTERNAL,
        networkSecurityGroup: nsg,
      });
      new ApiManagement(stack, 'apim', {
        name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'C', publisherEmail: 'api@contoso.example',
        skuName: 'Premium_1', virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetId: subnet.id },
      });
      return stack;
    });
    expect(error).toBeUndefined();
    expect(findings).toEqual([]);
  });
});

function regionalOutbound(region: string) {
  return [
    rule('storage', 100, 'Outbound', 'VirtualNetwork', `Storage.${region}`, '443'),
    rule('sql', 110, 'Outbound', 'VirtualNetwork', `Sql.${region}`, '1433'),
    rule('kv', 120, 'Outbound', 'VirtualNetwork', 'AzureKeyVault', '443'),
    rule('monitor', 130, 'Outbound', 'VirtualNetwork', 'AzureMonitor', ['1886', '443']),
    rule('certs', 140, 'Outbound', 'VirtualNetwork', 'Internet', '80'),
  ];
}

/** The hand-written network of `brownfield`, in an app of its own. */
function brownfieldInApp(app: App, options: Parameters<typeof brownfield>[0] = {}): TerraformStack {
  return brownfield({ ...options, scope: app }).stack;
}
