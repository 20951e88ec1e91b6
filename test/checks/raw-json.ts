/**
 * A compliant External APIM network as raw Terraform JSON (what a cdk.tf.json or HCL turned into JSON holds), built
 * independently of the library's constructs, and helpers to vary its shape.
 */
import { ApimCheckResult, ApimFinding, ApimNetworkRules, ApimRuleOutcome } from '../../lib';

export type Json = any;

export function nsgRule(name: string, priority: number | string, direction: string, source: string, destination: string, port: string | number | Array<string | number>,
  extra: Record<string, unknown> = {}): Json {
  return {
    name, priority, direction, access: 'Allow', protocol: 'Tcp', source_port_range: '*', source_address_prefix: source,
    destination_address_prefix: destination, ...(Array.isArray(port) ? { destination_port_ranges: port } : { destination_port_range: port }), ...extra,
  };
}

/** The documented rule set of an External instance on one location. */
export function documentedRules(): Json[] {
  return [
    nsgRule('client', 100, 'Inbound', 'Internet', 'VirtualNetwork', '443'),
    nsgRule('management', 110, 'Inbound', 'ApiManagement', 'VirtualNetwork', '3443'),
    nsgRule('lb', 120, 'Inbound', 'AzureLoadBalancer', 'VirtualNetwork', '6390'),
    nsgRule('storage', 100, 'Outbound', 'VirtualNetwork', 'Storage', '443'),
    nsgRule('sql', 110, 'Outbound', 'VirtualNetwork', 'Sql', '1433'),
    nsgRule('kv', 120, 'Outbound', 'VirtualNetwork', 'AzureKeyVault', '443'),
    nsgRule('monitor', 130, 'Outbound', 'VirtualNetwork', 'AzureMonitor', ['1886', '443']),
    nsgRule('certs', 140, 'Outbound', 'VirtualNetwork', 'Internet', '80'),
  ];
}

/** A compliant document; `rules` replaces the NSG's inline rules. */
export function network(options: { rules?: Json[]; apim?: Json; subnet?: Json; nsg?: Json } = {}): Json {
  return {
    provider: { azurerm: [{ features: {} }] },
    resource: {
      azurerm_resource_group: { rg: { name: 'rg-apim', location: 'westeurope' } },
      azurerm_virtual_network: { vnet: { name: 'vnet-weu', location: 'westeurope', resource_group_name: 'rg-apim', address_space: ['10.0.0.0/16'] } },
      azurerm_subnet: { apim: { name: 'snet-apim', resource_group_name: 'rg-apim', virtual_network_name: '${azurerm_virtual_network.vnet.name}', address_prefixes: ['10.0.1.0/27'], ...options.subnet } },
      azurerm_network_security_group: { nsg: { name: 'nsg-apim', location: 'westeurope', resource_group_name: 'rg-apim', security_rule: options.rules ?? documentedRules(), ...options.nsg } },
      azurerm_subnet_network_security_group_association: { apim: { subnet_id: '${azurerm_subnet.apim.id}', network_security_group_id: '${azurerm_network_security_group.nsg.id}' } },
      azurerm_public_ip: { apim: { name: 'pip-apim', location: 'westeurope', resource_group_name: 'rg-apim', sku: 'Standard', allocation_method: 'Static', domain_name_label: 'contoso-apim' } },
      azurerm_api_management: {
        apim: {
          name: 'contoso-apim', location: 'westeurope', resource_group_name: 'rg-apim', publisher_name: 'Contoso', publisher_email: 'api@contoso.example',
          sku_name: 'Premium_1', virtual_network_type: 'External', virtual_network_configuration: { subnet_id: '${azurerm_subnet.apim.id}' },
          public_ip_address_id: '${azurerm_public_ip.apim.id}', ...options.apim,
        },
      },
    },
  };
}

/**
 * Every block body and every resource body as a list of one object, as `@cdktf/hcl2json` writes them. Attribute values
 * that are lists of strings stay lists.
 */
export function arrayForm(value: Json, depth = 0): Json {
  if (Array.isArray(value)) {
    return value.map((v) => arrayForm(v, depth + 1));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'for_each') {
      // An attribute (a collection), not a block: hcl2json writes it as it is.
      out[key] = v;
      continue;
    }
    const isBlock = v !== null && typeof v === 'object' && !Array.isArray(v) && !['tags', 'features', 'for_each'].includes(key);
    const isBlockList = Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === 'object');
    out[key] = isBlock && depth >= 2 ? [arrayForm(v, depth + 1)] : isBlockList ? v.map((x: Json) => arrayForm(x, depth + 1)) : arrayForm(v, depth + 1);
  }
  return out;
}

export function evaluate(document: Json): ApimCheckResult {
  return ApimNetworkRules.evaluate(document);
}

export function findings(result: ApimCheckResult, ruleId: string): ApimFinding[] {
  return result.findings.filter((f) => f.ruleId === ruleId);
}

export function unknowns(result: ApimCheckResult, ruleId: string): ApimFinding[] {
  return result.findings.filter((f) => f.ruleId === 'APIM-UNKNOWN' && f.detail === ruleId);
}

/** Ids (with detail) of the findings, sorted: a compact, complete picture of a result. */
export function ids(result: ApimCheckResult): string[] {
  return result.findings.map((f) => (f.detail ? `${f.ruleId}[${f.detail}]` : f.ruleId)).sort();
}

export function passes(result: ApimCheckResult, ruleId: string): boolean {
  return result.outcomes.some((o) => o.ruleId === ruleId && o.outcome === ApimRuleOutcome.PASS);
}
