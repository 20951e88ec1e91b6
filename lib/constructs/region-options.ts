import { ApimNextHopType } from '../core/forced-tunnelling';
import { ApimNsgRuleOptions, ApimOptionalRules } from './nsg-options';

/**
 * How a location's internet-bound traffic is forced through a firewall (a virtual appliance, or an on-premises
 * firewall behind the virtual network gateway): the route table of the APIM subnet.
 *
 * @see https://learn.microsoft.com/azure/api-management/api-management-using-with-vnet#force-tunnel-traffic-to-on-premises-firewall-using-expressroute-or-network-virtual-appliance
 */
export interface ApimForcedTunnellingOptions {
  /**
   * Where `0.0.0.0/0` goes: a virtual appliance (give `nextHopIpAddress`) or the virtual network gateway.
   */
  readonly nextHopType: ApimNextHopType;

  /**
   * Private IPv4 address of the appliance, e.g. the Azure Firewall's private IP (a reference such as
   * `firewall.ipConfiguration.get(0).privateIpAddress` is fine). Only with `ApimNextHopType.VIRTUAL_APPLIANCE`; it must
   * not lie inside the APIM subnet.
   *
   * @default - none (required with VIRTUAL_APPLIANCE)
   */
  readonly nextHopIpAddress?: string;

  /**
   * Whether routes learned by BGP (from ExpressRoute or VPN gateways) are propagated to the subnet.
   *
   * @default true
   */
  readonly bgpRoutePropagationEnabled?: boolean;
}

/**
 * Options of a location's public IP address.
 *
 * @see https://learn.microsoft.com/azure/api-management/virtual-network-injection-resources
 */
export interface ApimPublicIpOptions {
  /**
   * Create a Standard public IP for the location. Optional in both modes: without one, Azure gives the location a
   * managed public address (used for management traffic, and in External mode for clients too), and `connect()` sets
   * no `public_ip_address_id` for it. Keep one when clients or firewalls need an address you own, when you want DDoS
   * protection, or when the location uses availability zones (Azure asks for one when zones change).
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * DNS name label (`<label>.<region>.cloudapp.azure.com`), which APIM's host names point to. Labels are unique per
   * region, so the same label serves every region. Changing it later breaks name resolution until the APIM instance is
   * redeployed.
   *
   * @default - the APIM name, lower case (`Contoso-APIM` gives `contoso-apim`)
   */
  readonly domainNameLabel?: string;

  /**
   * Public IP name.
   *
   * @default - `pip-<apiManagementName>-<location>`
   */
  readonly name?: string;

  /**
   * Availability zones of the public IP ("1", "2", "3"). Zones cannot change once the address exists (a change
   * replaces it, and `protectFromDestroy` then stops the plan), so the default makes the address zone-redundant
   * wherever the region has zones, whether or not APIM uses zones there today. Give `[]` for an address without zones
   * (the 0.1.0 behaviour for a location without APIM zones). When the location lists APIM zones, these must include
   * them.
   *
   * @default - `["1", "2", "3"]` in a region with availability zones; none elsewhere, and none in a location this library does not list
   */
  readonly zones?: string[];

  /**
   * Protect the address from destruction and replacement (lifecycle `prevent_destroy`): it is the region's public VIP.
   *
   * @default true
   */
  readonly protectFromDestroy?: boolean;
}

/**
 * Options of a location's service endpoints.
 */
export interface ApimServiceEndpointOptions {
  /**
   * Add the endpoints APIM needs when `0.0.0.0/0` is forced through a firewall or gateway: Microsoft.Storage,
   * Microsoft.EventHub, Microsoft.KeyVault, and Microsoft.Sql in the primary location only.
   *
   * @default false
   */
  readonly forcedTunnelling?: boolean;

  /**
   * More endpoints, spelled exactly as Azure names them (e.g. `Microsoft.ServiceBus`). Microsoft.Sql on a secondary
   * location is allowed (other resources in the subnet may need it); the checks warn about it, because APIM's SQL
   * dependency lives in the primary region.
   *
   * @default - none
   */
  readonly additionalEndpoints?: string[];
}

/**
 * NSG options shared by every location of an APIM network.
 */
export interface ApimNsgOptions {
  /**
   * Use regional service tags (`Storage.WestEurope`) for the Storage, Sql and EventHub rules: one rule for the NSG's own
   * region and one for the primary region, as multi-region deployments need. An NSG whose region (or primary region)
   * this library does not list keeps the global tags: it never guesses a regional tag name.
   *
   * @default false - the global tags (`Storage`, `Sql`, `EventHub`)
   */
  readonly regionalServiceTags?: boolean;

  /**
   * Optional rule groups to switch on.
   *
   * @default - none: only the rules APIM requires for the mode
   */
  readonly optionalRules?: ApimOptionalRules;

  /**
   * Rules of your own, checked as `ApimNetworkSecurityGroup.addRule` checks them.
   *
   * @default - none
   */
  readonly rules?: ApimNsgRuleOptions[];

  /**
   * Who may call the gateway (External mode): the source of the inbound 443 allow (and of the inbound 80 allow with
   * `optionalRules.inboundHttp`). One service tag, such as `AzureFrontDoor.Backend` for a gateway reached only through
   * Front Door, or a list of IPv4 CIDRs or addresses. Narrowing clients is your choice; the platform's own flows
   * (management 3443 from ApiManagement, 6390 from AzureLoadBalancer, Traffic Manager between regions) are unaffected.
   * Your deny rules of public client ranges may also sit ahead of the allow (IP block lists at 100-199).
   *
   * @default ['Internet']
   * @see https://learn.microsoft.com/azure/frontdoor/origin-security
   */
  readonly clientAddressPrefixes?: string[];

  /**
   * Removed in 0.2.0: the deny-all hardening rules blocked dependencies APIM documents (traffic between units,
   * back-ends and private endpoints in the virtual network, SMTP relay...). `true` is refused with an error that says
   * what to do instead; write the deny rules you need with `rules`, knowing which flows your instance uses.
   *
   * @default false
   * @deprecated removed in 0.2.0; see the README upgrade notes
   */
  readonly hardening?: boolean;
}

/**
 * Where one location's network goes and how big it is: the per-location part of the props.
 */
export interface ApimRegionOptions {
  /**
   * Azure location, e.g. `westeurope` or `West Europe`. A literal: it decides names, zones and regional tags at synth
   * time. A location this library does not list is accepted with a warning naming the closest listed one.
   */
  readonly location: string;

  /**
   * Address space of a new virtual network for this location. Give exactly one of this and `virtualNetworkName`.
   *
   * @default - `virtualNetworkName` is used
   */
  readonly addressSpace?: string[];

  /**
   * Name of an existing virtual network to create the subnet in. Give exactly one of this and `addressSpace`.
   *
   * @default - a new virtual network from `addressSpace`
   */
  readonly virtualNetworkName?: string;

  /**
   * Resource group of the existing virtual network.
   *
   * @default - the network's resource group
   */
  readonly virtualNetworkResourceGroupName?: string;

  /**
   * Address space of the existing virtual network (with `virtualNetworkName`), as your IPAM records it. The subnet
   * prefix is then checked to lie inside it, address spaces of regions are compared, and the checks decide the prefix
   * and overlap rules instead of reporting them unknown. It creates nothing and changes nothing in Azure.
   *
   * @default - unknown: the checks report the prefix rules as unknown (APIM-UNKNOWN)
   */
  readonly existingAddressSpace?: string[];

  /**
   * IPv4 prefix of the APIM subnet, inside the address space: /29 or larger, without host bits, and big enough for
   * the SKU, capacity and mode.
   */
  readonly subnetAddressPrefix: string;

  /**
   * APIM scale units in this location (1-31 on Premium, 1 on Developer). With zones, a multiple of the zone count.
   *
   * @default 1
   */
  readonly capacity?: number;

  /**
   * Availability zones of APIM in this location ("1", "2", "3"). Premium only, in a region with availability zones;
   * the capacity must be a multiple of the zone count.
   *
   * @default - no zones (Azure may still spread a Premium instance over zones automatically in a zonal region)
   */
  readonly zones?: string[];

  /**
   * The location's public IP.
   *
   * @default - a Standard public IP, zone-redundant in a zonal region, labelled with the APIM name
   */
  readonly publicIp?: ApimPublicIpOptions;

  /**
   * Service endpoints of the location's subnet. `forcedTunnelling` implies `serviceEndpoints.forcedTunnelling`
   * (set it to `false` to send those dependencies through the firewall instead).
   *
   * @default - none; the forced-tunnelling set with `forcedTunnelling`
   */
  readonly serviceEndpoints?: ApimServiceEndpointOptions;

  /**
   * Force the location's internet-bound traffic through a firewall: a route table on the APIM subnet with `0.0.0.0/0`
   * to the next hop, `ApiManagement` to Internet and, in External mode, one route to Internet per client range of
   * `networkSecurityGroup.clientAddressPrefixes` (which must then be CIDRs); the subnet also gets the
   * forced-tunnelling service endpoints. The region's `routeTable.firewallDependencies` lists what the firewall must
   * allow.
   *
   * @default - no route table (internet-bound traffic leaves directly)
   */
  readonly forcedTunnelling?: ApimForcedTunnellingOptions;

  /**
   * Custom DNS servers of the new virtual network (with `addressSpace`), e.g. the hub's DNS resolver. They are set on
   * the network itself, so they exist before APIM is deployed into it (the docs ask for that; a later change needs
   * "Apply network configuration" on the instance). For an existing network, set them where it is managed.
   *
   * @default - Azure-provided DNS
   * @see https://learn.microsoft.com/azure/api-management/virtual-network-injection-resources
   */
  readonly dnsServers?: string[];
}
