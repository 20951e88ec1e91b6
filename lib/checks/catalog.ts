/**
 * Metadata of every rule ApimNetworkChecks implements: the ids and levels are the public contract of
 * design/RULES.md. The README rule table is generated from this list (`renderRuleTable`).
 */
import { ApimRuleInfo, ApimRuleLevel } from './types';

const LEARN = 'https://learn.microsoft.com/azure/api-management';
const REF = `${LEARN}/virtual-network-reference`;
const RESOURCES = `${LEARN}/virtual-network-injection-resources`;
const MULTI = `${LEARN}/api-management-howto-deploy-multi-region`;
const INTERNAL = `${LEARN}/api-management-using-with-internal-vnet`;
const ZONES = 'https://learn.microsoft.com/azure/reliability/reliability-api-management';
const AZURERM = 'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources';

const { ERROR, WARNING } = ApimRuleLevel;

function rule(id: string, level: ApimRuleLevel, area: string, title: string, why: string, fix: string, source: string): ApimRuleInfo {
  return { id, level, area, title, why, fix, source };
}

/** Every rule, in the order of design/RULES.md. */
export const RULES: readonly ApimRuleInfo[] = [
  // Placement and SKU
  rule('APIM-SKU-VNET', ERROR, 'placement', 'VNet injection (External/Internal) only on the Developer or Premium tier',
    'Other classic tiers cannot be injected; the deployment fails', 'use sku_name Developer_1 or Premium_<n>, or virtual_network_type None', RESOURCES),
  rule('APIM-SKU-PREMIUM-FEATURE', ERROR, 'placement', 'zones and additional locations only on Premium',
    'Availability zones and multi-region deployment are Premium features', 'use a Premium SKU, or remove zones and additional_location', MULTI),
  rule('APIM-VNET-CONFIG', ERROR, 'placement', 'an injected instance has a subnet in every location, or none has one',
    'The provider refuses a VNet type without a subnet, and mixed additional locations', 'set virtual_network_configuration.subnet_id on the instance and on every additional_location', `${AZURERM}/api_management`),
  rule('APIM-LOCATION', ERROR, 'placement', 'each location\'s virtual network and public IP are in that location',
    'APIM, its VNet and its public IP must share a region', 'create the subnet\'s virtual network and the public IP in the APIM location they serve', RESOURCES),
  rule('APIM-LOCATION-UNIQUE', ERROR, 'placement', 'no location twice; no subnet or public IP shared between locations',
    'Each location needs its own subnet and public IP in its own region', 'give every location its own subnet and public IP, and list each location once', MULTI),
  rule('APIM-SUBSCRIPTION', ERROR, 'placement', 'APIM, virtual network and public IP of a location share one subscription',
    'Azure requires one subscription for the instance and its network resources', 'create them with the same azurerm provider, or providers with the same subscription_id', RESOURCES),
  rule('APIM-ZONES-CAPACITY', WARNING, 'placement', 'capacity is a multiple of the number of zones',
    'Units are spread evenly across the selected zones', 'use 2, 4, ... units for two zones, 3, 6, ... for three', ZONES),
  // Subnet
  rule('APIM-SUBNET-DELEGATION', ERROR, 'subnet', 'the subnet has no delegation (classic tiers)',
    'A delegated subnet makes the deployment fail and needs a support case', 'remove the delegation block from the APIM subnet', RESOURCES),
  rule('APIM-SUBNET-NSG', ERROR, 'subnet', 'an NSG is associated with the subnet',
    'The internal load balancer rejects all inbound traffic unless an NSG allows it', 'associate an NSG with azurerm_subnet_network_security_group_association', RESOURCES),
  rule('APIM-SUBNET-SIZE', ERROR, 'subnet', 'the subnet is /29 or larger and holds 5 + 2 per unit (1 for Developer) + 1 in Internal mode addresses',
    'APIM cannot deploy or scale into a subnet without free addresses', 'use a larger prefix, or a lower capacity', RESOURCES),
  rule('APIM-SUBNET-HEADROOM', WARNING, 'subnet', 'the subnet can hold twice the configured capacity',
    'Scaling out fails when the subnet is full', 'use a larger prefix so capacity can double', RESOURCES),
  rule('APIM-SUBNET-PREFIX', ERROR, 'subnet', 'each prefix is a valid IPv4 CIDR inside the virtual network and overlaps no other subnet',
    'Azure rejects host bits, prefixes outside the address space and overlapping subnets', 'write the network address (10.0.1.0/27), inside the address space, not used by another subnet', RESOURCES),
  // NSG
  rule('APIM-NSG-REQUIRED', ERROR, 'nsg', 'every rule APIM requires for the mode exists and is effective',
    'Without them the deployment fails, or management, monitoring or certificate checks break', 'add an Allow rule for the flow (ApimNetworkSecurityGroup renders all of them)', REF),
  rule('APIM-NSG-SHADOWED', ERROR, 'nsg', 'no deny rule with a smaller priority number blocks part of a required flow',
    'The first matching rule wins: an earlier deny disables the required allow', 'give the deny a larger priority number than the allow, or narrow it', REF),
  rule('APIM-NSG-NEARMISS', WARNING, 'nsg', 'no rule that looks like a required one but is off by a typo or a field',
    'Port typos (1443, 433, 3433) and wrong directions pass review and break later', 'correct the field the finding names', 'https://github.com/Azure/apim-landing-zone-accelerator'),
  rule('APIM-NSG-EXPOSED', ERROR, 'nsg', 'no inbound allow from a public source to port 3443 or to all ports',
    'The management endpoint must only be reachable from the ApiManagement service tag', 'restrict the source to ApiManagement (3443) or to the ports the gateway serves', REF),
  rule('APIM-NSG-INTERNAL-PUBLIC', WARNING, 'nsg', 'Internal mode: no inbound allow from a public source to 80 or 443',
    'An Internal gateway is meant to be private', 'restrict the source to your networks, or use External mode', INTERNAL),
  rule('APIM-NSG-PRIORITY', ERROR, 'nsg', 'priorities are 100-4096 and unique per direction',
    'Azure rejects duplicates and out-of-range priorities at apply time', 'give each rule its own priority from 100 to 4096', `${AZURERM}/network_security_rule`),
  rule('APIM-NSG-MIXED', ERROR, 'nsg', 'an NSG has inline rules or standalone rules, not both',
    'The provider overwrites one set with the other on every apply', 'move every rule inline, or every rule to azurerm_network_security_rule', `${AZURERM}/network_security_group`),
  rule('APIM-NSG-TAG-IN-LIST', ERROR, 'nsg', 'no service tag in the plural prefix lists',
    'Only the singular source/destination_address_prefix fields take service tags', 'put the tag in the singular field (one rule per tag)', `${AZURERM}/network_security_rule`),
  rule('APIM-NSG-REGIONAL-TAG', WARNING, 'nsg', 'regional tags name the NSG\'s region or the primary region',
    'A regional tag of another region does not cover APIM\'s dependencies', 'use Storage.<own region> and Storage.<primary region>, or the global tag', REF),
  // Public IP
  rule('APIM-PIP-SKU', ERROR, 'public-ip', 'the public IP is Standard', 'APIM takes only Standard public IPs', 'set sku = "Standard"', RESOURCES),
  rule('APIM-PIP-ALLOCATION', ERROR, 'public-ip', 'the public IP is Static', 'A Standard public IP must be static', 'set allocation_method = "Static"', `${AZURERM}/public_ip`),
  rule('APIM-PIP-VERSION', ERROR, 'public-ip', 'the public IP is IPv4', 'APIM takes only IPv4 public IPs', 'set ip_version = "IPv4"', RESOURCES),
  rule('APIM-PIP-DNS-LABEL', ERROR, 'public-ip', 'the public IP has a DNS name label',
    'APIM\'s hostnames resolve through the label', 'set domain_name_label (ideally the APIM name)', RESOURCES),
  rule('APIM-PIP-ZONES', ERROR, 'public-ip', 'with zones, the public IP is zone-redundant across at least those zones',
    'A public IP without zones is not zone-redundant, and zones cannot be added later', 'create the public IP with zones ["1", "2", "3"]', RESOURCES),
  rule('APIM-PIP-ROUTING', WARNING, 'public-ip', 'no RoutingPreference ip tag', 'APIM expects the Microsoft network routing default',
    'remove the RoutingPreference ip_tag', RESOURCES),
  rule('APIM-PIP-FOR-ZONES', WARNING, 'public-ip', 'a VNet-injected location with zones has a public IP',
    'The API and the provider ask for one when zones are set or changed', 'give the location a public_ip_address_id', ZONES),
  // Routing and DNS
  rule('APIM-ROUTE-MANAGEMENT', ERROR, 'routing', 'forced tunnelling keeps a route ApiManagement -> Internet',
    'Without it replies on 3443 go through the tunnel and the management endpoint is lost', 'add a route with address_prefix "ApiManagement" and next_hop_type "Internet"', REF),
  rule('APIM-ROUTE-ENDPOINTS', WARNING, 'routing', 'forced tunnelling: service endpoints Storage, Sql (primary), EventHub, KeyVault',
    'Dependencies then leave through the Azure backbone, not the tunnel', 'add the service endpoints to the subnet (ApimServiceEndpoints forcedTunnelling)', REF),
  rule('APIM-ROUTE-SQL-SECONDARY', WARNING, 'routing', 'no Microsoft.Sql service endpoint on a secondary location\'s subnet',
    'The SQL dependency lives in the primary region and cannot go through the endpoint', 'remove Microsoft.Sql from the secondary subnets', MULTI),
  rule('APIM-DNS-APEX', ERROR, 'dns', 'no private DNS zone azure-api.net linked to an APIM virtual network',
    'An apex zone hides every other *.azure-api.net name, and Azure refuses it', 'create records for the exact APIM hostnames instead', INTERNAL),
  // Meta
  rule('APIM-UNKNOWN', WARNING, 'meta', 'a value a rule needs is not known at synth time',
    'A rule that cannot decide must say so, never pass silently', 'use literal values, or suppress APIM-UNKNOWN[<rule>] with a reason', REF),
  rule('APIM-SUPPRESSION-UNUSED', WARNING, 'meta', 'a suppression matched no finding',
    'Stale suppressions hide future problems', 'remove the suppression', REF),
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

/** Metadata of a rule. */
export function ruleInfo(id: string): ApimRuleInfo {
  const found = BY_ID.get(id);
  if (!found) {
    throw new RangeError(`unknown rule ${id}`);
  }
  return found;
}

/** Whether a rule id (without detail) exists. */
export function isRuleId(id: string): boolean {
  return BY_ID.has(id);
}

/** The README rule table (Markdown): id, level, what, why, fix. */
export function renderRuleTable(): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const lines = ['| id | level | what it checks | why | fix |', '|---|---|---|---|---|'];
  for (const r of RULES) {
    lines.push(`| \`${r.id}\` | ${r.level} | ${escape(r.title)} | ${escape(r.why)} | ${escape(r.fix)} |`);
  }
  return lines.join('\n');
}
