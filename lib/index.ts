// Public API of cdktf-apim-network. Only re-exports live here.
export { ApimSku, ApimVirtualNetworkType, NsgAccess, NsgDirection, NsgProtocol } from './core/types';
export { ApimNetworkError, ApimNetworkErrorCode, ApimNetworkErrors, ApimNetworkProblem } from './core/errors';
export { ApimResourceProps, ApimTaggedResourceProps } from './constructs/common';
export {
  ApimNetworkSecurityGroup, ApimNetworkSecurityGroupProps, ApimNsgRuleOptions, ApimOptionalRules,
} from './constructs/apim-network-security-group';
export { ApimSubnet, ApimSubnetProps } from './constructs/apim-subnet';
export { ApimServiceEndpoints, ApimServiceEndpointsProps } from './constructs/apim-service-endpoints';
export { ApimPublicIp, ApimPublicIpProps } from './constructs/apim-public-ip';
