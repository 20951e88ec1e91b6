/**
 * The routes of a force-tunnelled APIM subnet (facts section 4, from the forced-tunnelling section of the VNet
 * articles, 11/2023 text, unchanged in 2026):
 * - the default route `0.0.0.0/0` to the appliance or gateway (the customer's choice);
 * - `ApiManagement` -> Internet, so replies to the management endpoint on 3443 do not go through the tunnel (the
 *   docs note this is not a security risk: inbound 3443 is allowed only from the ApiManagement service tag);
 * - External mode only: one route to Internet per client range, or replies to clients of the gateway and developer
 *   portal take the tunnel and are dropped (asymmetric routing).
 *
 * Pure: no cdktf.
 */

/** Where a force-tunnelled APIM subnet sends its internet-bound traffic. */
export enum ApimNextHopType {
  /** A network virtual appliance or firewall, by its private IPv4 address (`nextHopIpAddress`). */
  VIRTUAL_APPLIANCE = 'VirtualAppliance',
  /** The virtual network gateway (ExpressRoute or VPN towards an on-premises firewall). */
  VIRTUAL_NETWORK_GATEWAY = 'VirtualNetworkGateway',
}

/** Azure's limit of routes in one route table. */
export const MAX_ROUTES_PER_TABLE = 400;

/** One route of the plan. */
export interface PlannedRoute {
  readonly name: string;
  readonly addressPrefix: string;
  readonly nextHopType: string;
  /** Only for VirtualAppliance. */
  readonly nextHopInIpAddress?: string;
}

/** Name of the default route. */
export const DEFAULT_ROUTE_NAME = 'apim-forced-tunnel-default';
/** Name of the management route. */
export const MANAGEMENT_ROUTE_NAME = 'apim-management-to-internet';

/**
 * Name of a client route, from the range itself (`apim-client-203.0.113.0-24`), so reordering the ranges renames
 * nothing.
 */
export function clientRouteName(cidr: string): string {
  return `apim-client-${cidr.replace('/', '-')}`;
}

/** The routes, in a stable order: default, management, then the client ranges as given. */
export function planRoutes(nextHopType: ApimNextHopType, nextHopIpAddress: string | undefined, clientCidrs: readonly string[]): PlannedRoute[] {
  return [
    {
      name: DEFAULT_ROUTE_NAME,
      addressPrefix: '0.0.0.0/0',
      nextHopType,
      nextHopInIpAddress: nextHopType === ApimNextHopType.VIRTUAL_APPLIANCE ? nextHopIpAddress : undefined,
    },
    { name: MANAGEMENT_ROUTE_NAME, addressPrefix: 'ApiManagement', nextHopType: 'Internet' },
    ...clientCidrs.map((cidr) => ({ name: clientRouteName(cidr), addressPrefix: cidr, nextHopType: 'Internet' })),
  ];
}
