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
  zones: 'https://learn.microsoft.com/azure/reliability/reliability-api-management',
  azurermApiManagement: `${AZURERM}/api_management`,
  azurermNsgRule: `${AZURERM}/network_security_rule`,
  azurermNsg: `${AZURERM}/network_security_group`,
  azurermPublicIp: `${AZURERM}/public_ip`,
  nearMisses: 'https://github.com/Azure/apim-landing-zone-accelerator',
} as const;
