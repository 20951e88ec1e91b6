/**
 * How API Management is injected into the virtual network.
 *
 * The values are the strings `azurerm_api_management.virtual_network_type` takes.
 */
export enum ApimVirtualNetworkType {
  /**
   * Gateway, developer portal and management endpoint are reachable from the internet through an external load
   * balancer; the instance reaches back-ends inside the virtual network.
   */
  EXTERNAL = 'External',
  /**
   * Every endpoint is reachable only from inside the virtual network (or networks connected to it) through an internal
   * load balancer, which takes one more IP address of the subnet.
   */
  INTERNAL = 'Internal',
}

/**
 * The classic API Management tiers that can be injected into a virtual network.
 *
 * Of the v2 tiers, Standard v2 integrates with a subnet delegated to Microsoft.Web/serverFarms (outbound only) and
 * Premium v2 also injects into one delegated to Microsoft.Web/hostingEnvironments; Basic v2 has neither. They follow
 * other rules (a /27 or larger subnet, no public IP, no zones or regions), and this library does not build networks
 * for them.
 */
export enum ApimSku {
  /**
   * Developer tier: one unit, one region, no availability zones. For non-production use.
   */
  DEVELOPER = 'Developer',
  /**
   * Premium tier: up to 31 units per location, several locations, availability zones.
   */
  PREMIUM = 'Premium',
}

/**
 * Direction of a network security rule.
 */
export enum NsgDirection {
  /** Traffic entering the subnet. */
  INBOUND = 'Inbound',
  /** Traffic leaving the subnet. */
  OUTBOUND = 'Outbound',
}

/**
 * What a network security rule does with matching traffic.
 */
export enum NsgAccess {
  /** Let matching traffic through. */
  ALLOW = 'Allow',
  /** Drop matching traffic. */
  DENY = 'Deny',
}

/**
 * Protocol a network security rule matches.
 */
export enum NsgProtocol {
  /** TCP only. */
  TCP = 'Tcp',
  /** UDP only. */
  UDP = 'Udp',
  /** ICMP only. */
  ICMP = 'Icmp',
  /** IPsec Encapsulating Security Payload (IP protocol 50) only: neither TCP nor UDP, so no APIM flow. */
  ESP = 'Esp',
  /** IPsec Authentication Header (IP protocol 51) only: neither TCP nor UDP, so no APIM flow. */
  AH = 'Ah',
  /** Any protocol (`*`). */
  ANY = '*',
}
