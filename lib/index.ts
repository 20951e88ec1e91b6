// Public API of cdktf-apim-network. Only re-exports live here.
export { ApimSku, ApimVirtualNetworkType, NsgAccess, NsgDirection, NsgProtocol } from './core/types';
export { ApimNetworkError, ApimNetworkErrorCode, ApimNetworkErrors, ApimNetworkProblem } from './core/errors';
export { ApimResourceProps, ApimTaggedResourceProps } from './constructs/resource-props';
export { ApimNsgRuleOptions, ApimOptionalRules } from './constructs/nsg-options';
export {
  ApimForcedTunnellingOptions, ApimNsgOptions, ApimPublicIpOptions, ApimRegionOptions, ApimServiceEndpointOptions,
} from './constructs/region-options';
export { ApimNetworkSecurityGroup, ApimNetworkSecurityGroupProps } from './constructs/apim-network-security-group';
export { ApimSubnet, ApimSubnetProps } from './constructs/apim-subnet';
export { ApimServiceEndpoints, ApimServiceEndpointsProps } from './constructs/apim-service-endpoints';
export { ApimPublicIp, ApimPublicIpProps } from './constructs/apim-public-ip';
export { ApimRegionalNetwork, ApimRegionalNetworkProps } from './constructs/apim-regional-network';
export { MultiRegionApimNetwork, MultiRegionApimNetworkProps } from './constructs/multi-region-apim-network';
export { ApimNextHopType } from './core/forced-tunnelling';
export { ApimRouteTable, ApimRouteTableProps } from './constructs/apim-route-table';
export { ApimFirewallDependency, ApimFirewallDependencyOptions, ApimFirewallProtocol } from './core/firewall-dependencies';
export { ApimFirewallDependencies } from './constructs/apim-firewall-dependencies';
export {
  ApimNetworkPrivateDnsOptions, ApimPrivateDns, ApimPrivateDnsCustomDomain, ApimPrivateDnsProps, ApimPrivateDnsVirtualNetwork,
} from './constructs/apim-private-dns';
export { ApimNetworkChecks, ApimNetworkChecksOptions } from './cdktf/apim-network-checks';
export { ApimNetworkTesting, ApimNetworkTestingOptions } from './cdktf/testing';
export {
  ApimCheckOutcome, ApimCheckResult, ApimFinding, ApimInventory, ApimOrphanNsgs, ApimRuleInfo, ApimRuleLevel, ApimRuleOutcome, ApimSuppression,
} from './checks/types';
export { ApimEvaluationOptions, ApimNetworkRules } from './checks/public';
