/**
 * The props of every struct the constructs take, in one place: `PropChecker.struct` refuses any other key (a misspelt
 * prop such as `capcity` would otherwise be ignored silently). Each list is checked by the compiler to hold exactly
 * the keys of its interface, so a new prop cannot be forgotten here; `test/packaging/structs.test.ts` compares the
 * lists with the struct fields of the jsii assembly.
 */
import type { ApimNetworkSecurityGroupProps } from '../apim-network-security-group';
import type {
  ApimNetworkPrivateDnsOptions, ApimPrivateDnsCustomDomain, ApimPrivateDnsProps, ApimPrivateDnsVirtualNetwork,
} from '../apim-private-dns';
import type { ApimPublicIpProps } from '../apim-public-ip';
import type { ApimRegionalNetworkProps } from '../apim-regional-network';
import type { ApimRouteTableProps } from '../apim-route-table';
import type { ApimServiceEndpointsProps } from '../apim-service-endpoints';
import type { ApimSubnetProps } from '../apim-subnet';
import type { MultiRegionApimNetworkProps } from '../multi-region-apim-network';
import type { ApimNsgRuleOptions, ApimOptionalRules } from '../nsg-options';
import type {
  ApimForcedTunnellingOptions, ApimNsgOptions, ApimPublicIpOptions, ApimRegionOptions, ApimServiceEndpointOptions,
} from '../region-options';
import type { ApimFirewallDependencyOptions } from '../../core/firewall-dependencies';

/** A struct's name (as API.md names it) and its props. */
export interface StructSpec<K extends string = string> {
  readonly name: string;
  readonly keys: readonly K[];
}

/** `unknown` when `K` names every key of `T`; otherwise a type no list satisfies, naming the keys that are missing. */
type Exhaustive<T, K extends readonly unknown[]> = [Exclude<keyof T, K[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, K[number]> };

/** The spec of struct `T`: the compiler refuses a list that misses one of its keys or names one it does not have. */
function spec<T>(name: string) {
  return <const K extends ReadonlyArray<keyof T & string>>(keys: K & Exhaustive<T, K>): StructSpec<K[number]> => ({ name, keys });
}

export const REGION_OPTIONS = spec<ApimRegionOptions>('ApimRegionOptions')([
  'location', 'addressSpace', 'virtualNetworkName', 'virtualNetworkResourceGroupName', 'existingAddressSpace', 'subnetAddressPrefix',
  'capacity', 'zones', 'publicIp', 'serviceEndpoints', 'forcedTunnelling', 'dnsServers',
]);
export const PUBLIC_IP_OPTIONS = spec<ApimPublicIpOptions>('ApimPublicIpOptions')(['enabled', 'domainNameLabel', 'name', 'zones', 'protectFromDestroy']);
export const SERVICE_ENDPOINT_OPTIONS = spec<ApimServiceEndpointOptions>('ApimServiceEndpointOptions')(['forcedTunnelling', 'additionalEndpoints']);
export const FORCED_TUNNELLING_OPTIONS = spec<ApimForcedTunnellingOptions>('ApimForcedTunnellingOptions')(['nextHopType', 'nextHopIpAddress', 'bgpRoutePropagationEnabled']);
export const NSG_OPTIONS = spec<ApimNsgOptions>('ApimNsgOptions')(['regionalServiceTags', 'optionalRules', 'rules', 'clientAddressPrefixes', 'hardening']);
export const OPTIONAL_RULES = spec<ApimOptionalRules>('ApimOptionalRules')([
  'inboundHttp', 'machineHealth', 'externalCache', 'internalCache', 'rateLimitSync', 'eventHub', 'entraId', 'managedConnectors',
]);
export const NSG_RULE_OPTIONS = spec<ApimNsgRuleOptions>('ApimNsgRuleOptions')([
  'name', 'priority', 'direction', 'access', 'protocol', 'sourceAddressPrefix', 'sourceAddressPrefixes', 'destinationAddressPrefix',
  'destinationAddressPrefixes', 'sourcePortRange', 'destinationPortRange', 'destinationPortRanges', 'description',
]);
export const NETWORK_PROPS = spec<MultiRegionApimNetworkProps>('MultiRegionApimNetworkProps')([
  'virtualNetworkType', 'sku', 'apiManagementName', 'resourceGroupName', 'regions', 'networkSecurityGroup', 'provider', 'tags', 'outputs', 'checks',
]);
export const REGIONAL_NETWORK_PROPS = spec<ApimRegionalNetworkProps>('ApimRegionalNetworkProps')([
  ...REGION_OPTIONS.keys, 'resourceGroupName', 'apiManagementName', 'virtualNetworkType', 'sku', 'primaryLocation', 'multiRegion',
  'networkSecurityGroup', 'provider', 'tags', 'checks',
]);
export const SUBNET_PROPS = spec<ApimSubnetProps>('ApimSubnetProps')([
  'resourceGroupName', 'location', 'provider', 'virtualNetworkName', 'virtualNetworkAddressSpace', 'addressPrefix', 'virtualNetworkType',
  'networkSecurityGroup', 'networkSecurityGroupId', 'name', 'sku', 'capacity', 'serviceEndpoints', 'checks',
]);
export const NSG_PROPS = spec<ApimNetworkSecurityGroupProps>('ApimNetworkSecurityGroupProps')([
  'resourceGroupName', 'location', 'provider', 'tags', ...NSG_OPTIONS.keys, 'virtualNetworkType', 'name', 'multiRegion', 'primaryLocation',
]);
export const PUBLIC_IP_PROPS = spec<ApimPublicIpProps>('ApimPublicIpProps')([
  'resourceGroupName', 'location', 'provider', 'tags', 'domainNameLabel', 'apiManagementName', 'name', 'zones', 'protectFromDestroy',
]);
export const SERVICE_ENDPOINTS_PROPS = spec<ApimServiceEndpointsProps>('ApimServiceEndpointsProps')([
  ...SERVICE_ENDPOINT_OPTIONS.keys, 'location', 'primaryLocation',
]);
export const ROUTE_TABLE_PROPS = spec<ApimRouteTableProps>('ApimRouteTableProps')([
  'resourceGroupName', 'location', 'provider', 'tags', ...FORCED_TUNNELLING_OPTIONS.keys, 'subnetId', 'subnetAddressPrefix',
  'virtualNetworkType', 'clientAddressPrefixes', 'name', 'primaryLocation', 'firewallDependenciesOutput',
]);
export const PRIVATE_DNS_PROPS = spec<ApimPrivateDnsProps>('ApimPrivateDnsProps')([
  'apiManagement', 'resourceGroupName', 'virtualNetworks', 'customDomains', 'ttl', 'provider', 'tags',
]);
export const PRIVATE_DNS_VIRTUAL_NETWORK = spec<ApimPrivateDnsVirtualNetwork>('ApimPrivateDnsVirtualNetwork')(['key', 'virtualNetworkId']);
export const PRIVATE_DNS_CUSTOM_DOMAIN = spec<ApimPrivateDnsCustomDomain>('ApimPrivateDnsCustomDomain')(['hostName', 'location']);
export const NETWORK_PRIVATE_DNS_OPTIONS = spec<ApimNetworkPrivateDnsOptions>('ApimNetworkPrivateDnsOptions')([
  'resourceGroupName', 'additionalVirtualNetworks', 'customDomains', 'ttl',
]);
export const FIREWALL_DEPENDENCY_OPTIONS = spec<ApimFirewallDependencyOptions>('ApimFirewallDependencyOptions')([
  'location', 'primaryLocation', 'serviceEndpoints', 'dnsServers',
]);

/** Every struct the constructs read, by name (the jsii assembly test compares them with the assembly). */
export const CONSTRUCT_STRUCTS: readonly StructSpec[] = [
  REGION_OPTIONS, PUBLIC_IP_OPTIONS, SERVICE_ENDPOINT_OPTIONS, FORCED_TUNNELLING_OPTIONS, NSG_OPTIONS, OPTIONAL_RULES, NSG_RULE_OPTIONS,
  NETWORK_PROPS, REGIONAL_NETWORK_PROPS, SUBNET_PROPS, NSG_PROPS, PUBLIC_IP_PROPS, SERVICE_ENDPOINTS_PROPS, ROUTE_TABLE_PROPS,
  PRIVATE_DNS_PROPS, PRIVATE_DNS_VIRTUAL_NETWORK, PRIVATE_DNS_CUSTOM_DOMAIN, NETWORK_PRIVATE_DNS_OPTIONS, FIREWALL_DEPENDENCY_OPTIONS,
];
