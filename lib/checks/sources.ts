/**
 * Where the rules' requirements are documented (the `source` of each rule definition).
 */
const LEARN = 'https://learn.microsoft.com/azure/api-management';
const AZURERM = 'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources';

export const SOURCES = {
  /** Virtual network configuration reference (the NSG table). */
  reference: `${LEARN}/virtual-network-reference`,
  /** Network resource requirements for injection. */
  resources: `${LEARN}/virtual-network-injection-resources`,
  multiRegion: `${LEARN}/api-management-howto-deploy-multi-region`,
  internal: `${LEARN}/api-management-using-with-internal-vnet`,
  /** Internal mode: DNS for the endpoints. */
  internalDns: `${LEARN}/api-management-using-with-internal-vnet#dns-configuration`,
  /** The forced-tunnelling section of the VNet articles. */
  forcedTunnelling: `${LEARN}/api-management-using-with-vnet#force-tunnel-traffic-to-on-premises-firewall-using-expressroute-or-network-virtual-appliance`,
  zones: 'https://learn.microsoft.com/azure/reliability/reliability-api-management',
  azurermApiManagement: `${AZURERM}/api_management`,
  azurermNsgRule: `${AZURERM}/network_security_rule`,
  azurermNsg: `${AZURERM}/network_security_group`,
  azurermPublicIp: `${AZURERM}/public_ip`,
  azurermRouteTable: `${AZURERM}/route_table`,
  azurermVirtualNetwork: `${AZURERM}/virtual_network`,
  nearMisses: 'https://github.com/Azure/apim-landing-zone-accelerator',
} as const;
