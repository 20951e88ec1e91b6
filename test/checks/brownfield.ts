/**
 * A compliant APIM network written by hand with the provider's L1 classes (the brownfield case), which each rule
 * test breaks in one place. The NSG rules are written out here, independently of the library's catalog.
 */
import { ApiManagement, ApiManagementConfig } from '@cdktf/provider-azurerm/lib/api-management';
import { NetworkSecurityGroup, NetworkSecurityGroupSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-group';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { PublicIp, PublicIpConfig } from '@cdktf/provider-azurerm/lib/public-ip';
import { Subnet, SubnetConfig } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { ApimCheckResult, ApimFinding, ApimNetworkTesting, ApimRuleOutcome } from '../../lib';

export function rule(name: string, priority: number, direction: string, source: string, destination: string, ports: string | string[],
  extra: Partial<NetworkSecurityGroupSecurityRule> = {}): NetworkSecurityGroupSecurityRule {
  return {
    name, priority, direction, access: 'Allow', protocol: 'Tcp', sourcePortRange: '*', sourceAddressPrefix: source,
    destinationAddressPrefix: destination,
    ...(Array.isArray(ports) ? { destinationPortRanges: ports } : { destinationPortRange: ports }),
    ...extra,
  };
}

/** The rules an External-mode APIM needs, written by hand. */
export function externalRules(): NetworkSecurityGroupSecurityRule[] {
  return [
    rule('client', 100, 'Inbound', 'Internet', 'VirtualNetwork', '443'),
    rule('management', 110, 'Inbound', 'ApiManagement', 'VirtualNetwork', '3443'),
    rule('lb', 120, 'Inbound', 'AzureLoadBalancer', 'VirtualNetwork', '6390'),
    rule('tm', 130, 'Inbound', 'AzureTrafficManager', 'VirtualNetwork', '443'),
    rule('storage', 100, 'Outbound', 'VirtualNetwork', 'Storage', '443'),
    rule('sql', 110, 'Outbound', 'VirtualNetwork', 'Sql', '1433'),
    rule('kv', 120, 'Outbound', 'VirtualNetwork', 'AzureKeyVault', '443'),
    rule('monitor', 130, 'Outbound', 'VirtualNetwork', 'AzureMonitor', ['1886', '443']),
    rule('certs', 140, 'Outbound', 'VirtualNetwork', 'Internet', '80'),
  ];
}

export interface Brownfield {
  readonly stack: TerraformStack;
  readonly vnet: VirtualNetwork;
  readonly subnet: Subnet;
  readonly nsg: NetworkSecurityGroup;
  readonly association: SubnetNetworkSecurityGroupAssociation;
  readonly publicIp: PublicIp;
  readonly apim: ApiManagement;
  /** `${var.<name>}`, a value unknown at synth time. */
  variable(name: string): string;
}

export interface BrownfieldOptions {
  readonly rules?: NetworkSecurityGroupSecurityRule[];
  readonly subnet?: Partial<SubnetConfig>;
  readonly publicIp?: Partial<PublicIpConfig>;
  readonly apim?: Partial<ApiManagementConfig>;
  /** Skip the NSG association. */
  readonly noAssociation?: boolean;
  /** Where the stack goes (a test app of its own by default). */
  readonly scope?: Construct;
}

export function brownfield(options: BrownfieldOptions = {}): Brownfield {
  const stack = new TerraformStack(options.scope ?? Testing.app(), 'brownfield');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const variables = new Map<string, string>();
  const variable = (name: string) => {
    if (!variables.has(name)) {
      variables.set(name, new TerraformVariable(stack, name, { type: 'string' }).stringValue);
    }
    return variables.get(name) as string;
  };
  const vnet = new VirtualNetwork(stack, 'vnet', { name: 'vnet-weu', location: 'westeurope', resourceGroupName: 'rg', addressSpace: ['10.0.0.0/16'] });
  const subnet = new Subnet(stack, 'apim_subnet', {
    name: 'snet-apim', resourceGroupName: 'rg', virtualNetworkName: vnet.name, addressPrefixes: ['10.0.1.0/27'], ...options.subnet,
  });
  const nsg = new NetworkSecurityGroup(stack, 'nsg', {
    name: 'nsg-apim', location: 'westeurope', resourceGroupName: 'rg', securityRule: options.rules ?? externalRules(),
  });
  const association = options.noAssociation ? undefined : new SubnetNetworkSecurityGroupAssociation(stack, 'assoc', {
    subnetId: subnet.id, networkSecurityGroupId: nsg.id,
  });
  const publicIp = new PublicIp(stack, 'pip', {
    name: 'pip-apim', location: 'westeurope', resourceGroupName: 'rg', sku: 'Standard', allocationMethod: 'Static',
    ipVersion: 'IPv4', domainNameLabel: 'contoso-apim', ...options.publicIp,
  });
  const apim = new ApiManagement(stack, 'apim', {
    name: 'contoso-apim', location: 'westeurope', resourceGroupName: 'rg', publisherName: 'Contoso', publisherEmail: 'api@contoso.example',
    skuName: 'Premium_1', virtualNetworkType: 'External', virtualNetworkConfiguration: { subnetId: subnet.id },
    publicIpAddressId: publicIp.id, ...options.apim,
  });
  return { stack, vnet, subnet, nsg, association: association as SubnetNetworkSecurityGroupAssociation, publicIp, apim, variable };
}

/** Evaluate the stack. */
export function evaluate(stack: TerraformStack): ApimCheckResult {
  return ApimNetworkTesting.evaluate(stack);
}

/** The findings of one rule (or APIM-UNKNOWN findings about it when `unknown` is set). */
export function findingsOf(result: ApimCheckResult, ruleId: string, unknown = false): ApimFinding[] {
  return unknown
    ? result.findings.filter((f) => f.ruleId === 'APIM-UNKNOWN' && f.detail === ruleId)
    : result.findings.filter((f) => f.ruleId === ruleId);
}

/** Expect the rule to pass: at least one pass outcome, no finding, no unknown. */
export function expectCompliant(result: ApimCheckResult, ruleId: string): void {
  const outcomes = result.outcomes.filter((o) => o.ruleId === ruleId);
  expect(outcomes.filter((o) => o.outcome !== ApimRuleOutcome.PASS && o.outcome !== ApimRuleOutcome.NOT_APPLICABLE)).toEqual([]);
  expect(outcomes.some((o) => o.outcome === ApimRuleOutcome.PASS)).toBe(true);
}

/** Expect one or more findings of the rule, the first matching the message. */
export function expectFinding(result: ApimCheckResult, ruleId: string, message: RegExp): ApimFinding {
  const found = findingsOf(result, ruleId);
  expect(found.map((f) => f.text)).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
  return found.find((f) => message.test(f.text)) as ApimFinding;
}

/** Expect an APIM-UNKNOWN finding naming the rule. */
export function expectUnknown(result: ApimCheckResult, ruleId: string, reason?: RegExp): void {
  const found = findingsOf(result, ruleId, true);
  expect(found.length).toBeGreaterThan(0);
  if (reason) {
    expect(found.map((f) => f.message)).toEqual(expect.arrayContaining([expect.stringMatching(reason)]));
  }
  expect(findingsOf(result, ruleId)).toEqual([]);
}
