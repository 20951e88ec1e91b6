import type * as RouteTableModule from '@cdktf/provider-azurerm/lib/route-table';
import type * as AssociationModule from '@cdktf/provider-azurerm/lib/subnet-route-table-association';
import { TerraformOutput, TerraformProvider, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { PRIVATE_RANGES, SPECIAL_RANGES } from '../core/address-set';
import { Ipv4Cidr, cidrContains, cidrOf, cidrOverlaps, parseIpv4Address, parseIpv4CidrLenient } from '../core/cidr';
import { ApimNetworkErrorCode } from '../core/errors';
import { ApimFirewallDependency, firewallDependencies } from '../core/firewall-dependencies';
import { closestRegion, regionInfo } from '../core/locations';
import { ApimNextHopType, MAX_ROUTES_PER_TABLE, PlannedRoute, planRoutes } from '../core/forced-tunnelling';
import { ApimVirtualNetworkType } from '../core/types';
import { ApimForcedTunnellingOptions } from './region-options';
import { addWarnings } from '../cdktf/annotate';
import { ApimTaggedResourceProps } from './resource-props';
import { checkCidr } from './private/network-props';
import { NameClaim, checkNames, claimNames } from './private/names';
import { checkPrimaryLocation } from './private/placement';
import { PlanHandOff, PropChecker, checkedScope, failed, isReference, raise, validate } from './private/props';
import { ROUTE_TABLE_PROPS } from './private/structs';

/**
 * Props of `ApimRouteTable`.
 */
export interface ApimRouteTableProps extends ApimTaggedResourceProps, ApimForcedTunnellingOptions {
  /**
   * ID of the APIM subnet the route table is associated with. A reference such as `subnet.id` is fine.
   */
  readonly subnetId: string;

  /**
   * The APIM subnet's IPv4 prefix, e.g. `10.10.1.0/27` (to check that the appliance and the client ranges lie outside
   * it).
   */
  readonly subnetAddressPrefix: string;

  /**
   * The APIM virtual network mode. External mode needs `clientAddressPrefixes`.
   */
  readonly virtualNetworkType: ApimVirtualNetworkType;

  /**
   * External mode: the public IPv4 ranges of the clients that call the gateway or the developer portal from the
   * internet, as CIDRs (`203.0.113.0/24`) or single addresses (`203.0.113.7`, routed as `203.0.113.7/32`, as the
   * network's `forcedTunnelling` does). Each gets a route to Internet, so replies to them do not go through the
   * appliance (which would drop them). A range inside special-purpose space, from which no internet client calls
   * ("this network" 0.0.0.0/8, loopback, link-local, multicast, reserved), or overlapping private or shared space
   * (RFC 1918, RFC 6598: replies to those clients follow your private network's routes), is refused. Not used in
   * Internal mode.
   *
   * @default - none (required in External mode)
   */
  readonly clientAddressPrefixes?: string[];

  /**
   * Route table name.
   *
   * @default - `rt-apim-<location>`
   */
  readonly name?: string;

  /**
   * The APIM instance's primary location (for `firewallDependencies`: a secondary location reaches the primary
   * region's SQL database through the firewall).
   *
   * @default - this location
   */
  readonly primaryLocation?: string;

  /**
   * Add a TerraformOutput `firewall-dependencies` with `firewallDependencies`, for a firewall managed in another
   * repository.
   *
   * @default false
   */
  readonly firewallDependenciesOutput?: boolean;
}

/** Why the next hop must be known at synth time. */
const ROUTES_NEED = 'the routes are planned at synth time from the next hop type';

/** Sources an NSG accepts for clients that are not client ranges a route can name. */
const NOT_A_RANGE = /^(\*|any|internet|0\.0\.0\.0(\/0)?)$/i;

/** What validation makes of the forced-tunnelling options. */
export interface ResolvedForcedTunnelling {
  readonly nextHopType: ApimNextHopType;
  readonly nextHopIpAddress?: string;
  readonly bgpRoutePropagationEnabled?: boolean;
  readonly clientCidrs: string[];
  readonly routes: PlannedRoute[];
}

/**
 * Check forced-tunnelling options and client ranges. `prefix` is how the options are named in errors
 * (`regions[1].forcedTunnelling.`); `clients` is where the client ranges come from and how that prop is named.
 *
 * @internal
 */
export function checkForcedTunnelling(check: PropChecker, prefix: string, options: Partial<Record<keyof ApimForcedTunnellingOptions, unknown>>, context: {
  mode: ApimVirtualNetworkType | undefined;
  subnet: Ipv4Cidr | undefined;
  clients: { prop: string; value: unknown };
}): ResolvedForcedTunnelling | undefined {
  const before = check.problems.length;
  const nextHopType = check.enumValue(`${prefix}nextHopType`, options.nextHopType, ApimNextHopType, { enumName: 'ApimNextHopType', need: ROUTES_NEED });
  let nextHopIpAddress: string | undefined;
  if (nextHopType === ApimNextHopType.VIRTUAL_APPLIANCE) {
    nextHopIpAddress = checkApplianceAddress(check, `${prefix}nextHopIpAddress`, options.nextHopIpAddress, context.subnet);
  } else if (nextHopType === ApimNextHopType.VIRTUAL_NETWORK_GATEWAY && options.nextHopIpAddress !== undefined) {
    check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, `${prefix}nextHopIpAddress`, options.nextHopIpAddress,
      'a next hop address applies to a virtual appliance only (Azure finds the gateway itself)',
      'remove nextHopIpAddress, or use ApimNextHopType.VIRTUAL_APPLIANCE');
  }
  const bgpRoutePropagationEnabled = options.bgpRoutePropagationEnabled === undefined
    ? undefined : check.boolean(`${prefix}bgpRoutePropagationEnabled`, options.bgpRoutePropagationEnabled, true, 'it is checked with the routes at synth time');
  const clientCidrs = checkClientRanges(check, context.clients.prop, context.clients.value, context.mode, context.subnet);
  if (check.problems.length > before || nextHopType === undefined) {
    return undefined;
  }
  const routes = planRoutes(nextHopType, nextHopIpAddress, clientCidrs);
  if (routes.length > MAX_ROUTES_PER_TABLE) {
    check.add(ApimNetworkErrorCode.TOO_MANY_ROUTES, context.clients.prop, `(${clientCidrs.length} ranges)`,
      `the route table would hold ${routes.length} routes (the default route, the ApiManagement route and one per client range); Azure allows ${MAX_ROUTES_PER_TABLE}`,
      `give at most ${MAX_ROUTES_PER_TABLE - 2} client ranges: merge adjacent ranges into larger prefixes`);
    return undefined;
  }
  return { nextHopType, nextHopIpAddress, bgpRoutePropagationEnabled, clientCidrs, routes };
}

function checkApplianceAddress(check: PropChecker, prop: string, value: unknown, subnet: Ipv4Cidr | undefined): string | undefined {
  if (value === undefined || value === null) {
    check.add(ApimNetworkErrorCode.MISSING_PROP, prop, value, 'a virtual appliance next hop needs its address',
      'give the appliance\'s private IPv4 address, e.g. "10.0.0.4" or the firewall\'s private IP attribute');
    return undefined;
  }
  const text = check.string(prop, value, { required: true, allowToken: true });
  if (text === undefined || isReference(text)) {
    return text;
  }
  const address = parseIpv4Address(text);
  if (address === undefined) {
    check.add(ApimNetworkErrorCode.INVALID_IP_ADDRESS, prop, text,
      text.includes('/') ? 'it is a prefix, not an address' : text.includes(':') ? 'it is an IPv6 address; Azure routes to IPv4 appliances here' : 'it is not an IPv4 address',
      'give one IPv4 address such as "10.0.0.4" (four numbers 0-255, no prefix length)');
    return undefined;
  }
  const special = [{ text: '255.255.255.255/32', what: 'broadcast' }, { text: '168.63.129.16/32', what: 'Azure\'s platform address (DNS, health probes)' }, ...SPECIAL_RANGES]
    .find((range) => cidrContains(parseIpv4CidrLenient(range.text)!, cidrOf(address, 32)));
  if (special) {
    check.add(ApimNetworkErrorCode.INVALID_IP_ADDRESS, prop, text,
      `it lies in ${special.text} (${special.what}), where no virtual appliance can be: Azure refuses the route or drops what it carries`,
      'give the appliance\'s private IPv4 address in the virtual network or a peered one, e.g. "10.0.0.4" or the firewall\'s private IP attribute');
    return undefined;
  }
  if (!PRIVATE_RANGES.some((range) => cidrContains(parseIpv4CidrLenient(range.text)!, cidrOf(address, 32)))) {
    check.warn(prop, text, 'it is a public address; a virtual appliance is reached at its private address in the virtual network or a peered one ' +
      '(a public address works only when a network of yours uses it as private space)');
  }
  if (subnet && cidrContains(subnet, cidrOf(address, 32))) {
    check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, prop, text,
      `it lies inside the APIM subnet ${subnet.text}; the default route would send the appliance's own subnet back to itself`,
      'give the address of the appliance in its own subnet (for example the hub\'s AzureFirewallSubnet)');
    return undefined;
  }
  return text;
}

function checkClientRanges(check: PropChecker, prop: string, value: unknown, mode: ApimVirtualNetworkType | undefined,
  subnet: Ipv4Cidr | undefined): string[] {
  if (mode === ApimVirtualNetworkType.INTERNAL) {
    if (value !== undefined && value !== null) {
      check.add(ApimNetworkErrorCode.MODE_NOT_SUPPORTED, prop, value,
        'in Internal mode clients reach the private address from inside the network; no client route is needed',
        'remove the client ranges, or use ApimVirtualNetworkType.EXTERNAL');
    }
    return [];
  }
  if (mode !== ApimVirtualNetworkType.EXTERNAL) {
    return [];
  }
  const ask = 'list the public IPv4 ranges of the clients as CIDRs or addresses (e.g. ["203.0.113.0/24", "198.51.100.7"]): each gets a route to Internet so replies to them do not go through the appliance';
  if (value === undefined || value === null) {
    check.add(ApimNetworkErrorCode.MISSING_PROP, prop, value,
      'External mode with forced tunnelling needs the client ranges: replies to clients would otherwise go through the appliance and be dropped', ask);
    return [];
  }
  const list = check.stringList(prop, value, { nonEmpty: true, need: 'each client range gets its own route at synth time' });
  if (!list) {
    return [];
  }
  const parsed: Ipv4Cidr[] = [];
  list.forEach((text, index) => {
    const entry = `${prop}[${index}]`;
    if (NOT_A_RANGE.test(text.trim()) || /^[A-Za-z]/.test(text.trim())) {
      check.add(ApimNetworkErrorCode.INVALID_CIDR, entry, text,
        NOT_A_RANGE.test(text.trim()) ? 'it means every client on the internet, which a route cannot exempt from the tunnel without undoing it'
          : 'it is a service tag; forced tunnelling needs the client ranges as CIDRs', ask);
      return;
    }
    // A single address is its /32, as the network's forced tunnelling takes the NSG's client addresses (written exactly:
    // whitespace around it is refused below, as around a CIDR; "0.0.0.0" is every client, refused above).
    const range = parseIpv4Address(text) !== undefined ? `${text}/32` : text;
    const cidr = checkCidr(check, entry, range, 'each client range gets its own route at synth time');
    if (!cidr) {
      return;
    }
    const special = SPECIAL_RANGES.find((range) => cidrContains(parseIpv4CidrLenient(range.text)!, cidr));
    if (special) {
      check.add(ApimNetworkErrorCode.INVALID_CIDR, entry, text, `it lies in ${special.text} (${special.what}), from which no client on the internet calls, so its route exempts no one`,
        'client ranges are the public addresses clients call from; remove this one');
      return;
    }
    const privateRange = PRIVATE_RANGES.find((range) => cidrOverlaps(parseIpv4CidrLenient(range.text)!, cidr));
    const same = parsed.find((other) => other.network === cidr.network && other.prefixLength === cidr.prefixLength);
    const overlapping = parsed.find((other) => cidrOverlaps(other, cidr));
    if (same) {
      check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, entry, text, `it is listed twice (also as "${same.text}")`, 'list each range once');
    } else if (overlapping) {
      check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, entry, text, `it overlaps "${overlapping.text}"`,
        'give ranges that do not overlap (keep the larger one)');
    } else if (subnet && cidrOverlaps(subnet, cidr)) {
      check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, entry, text, `it overlaps the APIM subnet ${subnet.text}`,
        'client ranges are the public addresses clients call from; remove this one');
    } else if (privateRange) {
      check.add(ApimNetworkErrorCode.INVALID_CIDR, entry, text, `it overlaps ${privateRange.text}, ${privateRange.what} space: clients there come through your private network (peering, VPN, ExpressRoute), and a route to Internet for it would send their replies to the internet`,
        'client ranges are the public addresses clients call from; remove this one (replies to private clients follow the routes of your private network)');
    } else {
      parsed.push(cidr);
    }
  });
  return parsed.map((c) => c.text);
}

/** Everything one route table is built from, checked. */
export interface RouteTablePlan {
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly tunnel: ResolvedForcedTunnelling;
  /** What the firewall must allow for the subnet. */
  readonly firewallDependencies: ApimFirewallDependency[];
  readonly output: boolean;
  readonly provider?: TerraformProvider;
  readonly tags?: { [key: string]: string };
  /** Warnings the route table shows when it is built on its own. */
  readonly notes?: readonly string[];
  /** The names it takes, when it is built on its own. */
  readonly claims?: readonly NameClaim[];
}

const HAND_OFF = new PlanHandOff<{ plan: RouteTablePlan; subnetId: string }>();

/**
 * The route table of a force-tunnelled APIM subnet, associated with the subnet: `0.0.0.0/0` to a virtual appliance or
 * the virtual network gateway, `ApiManagement` to Internet (management traffic on 3443 must not take the tunnel), and
 * in External mode one route to Internet per client range.
 *
 * It always creates its own route table; a route table written by hand is never taken over (the checks judge those).
 * Give the subnet the forced-tunnelling service endpoints too (`ApimServiceEndpoints.forLocation` with
 * `forcedTunnelling`), and let the firewall allow `firewallDependencies`. A region of `MultiRegionApimNetwork` builds
 * one with its `forcedTunnelling` option.
 *
 * @see https://learn.microsoft.com/azure/api-management/api-management-using-with-vnet#force-tunnel-traffic-to-on-premises-firewall-using-expressroute-or-network-virtual-appliance
 * @example
 * const routes = new ApimRouteTable(this, 'routes', {
 *   resourceGroupName: 'rg-apim',
 *   location: 'westeurope',
 *   subnetId: subnet.id,
 *   subnetAddressPrefix: '10.10.1.0/27',
 *   virtualNetworkType: ApimVirtualNetworkType.INTERNAL,
 *   nextHopType: ApimNextHopType.VIRTUAL_APPLIANCE,
 *   nextHopIpAddress: '10.0.0.4',
 * });
 * // routes.firewallDependencies: what the firewall must allow (FQDNs, service tags, ports)
 */
export class ApimRouteTable extends Construct {
  /**
   * Leave a plan its parent validated for the constructor call whose props this is:
   * `new ApimRouteTable(scope, id, ApimRouteTable._handOff(plan))`. The parent calls the constructor itself, so no frame of a factory
   * sits between it and the provider's constructors (every cdktf token they make records the whole call stack).
   *
   * @internal
   */
  public static _handOff(plan: RouteTablePlan, subnetId: string): ApimRouteTableProps {
    HAND_OFF.give({ plan, subnetId });
    return undefined as unknown as ApimRouteTableProps;
  }

  /** The `azurerm_route_table` resource. */
  public readonly routeTable: RouteTableModule.RouteTable;
  /** The `azurerm_subnet_route_table_association` resource. */
  public readonly association: AssociationModule.SubnetRouteTableAssociation;
  /** ID of the route table. */
  public readonly id: string;
  /** Normalised location. */
  public readonly location: string;
  /** The client ranges that got a route to Internet (empty in Internal mode). */
  public readonly clientAddressPrefixes: string[];
  /** What the firewall must allow for this subnet. */
  public readonly firewallDependencies: ApimFirewallDependency[];

  public constructor(scope: Construct, id: string, props: ApimRouteTableProps) {
    const handed = HAND_OFF.take();
    super(checkedScope(scope, id), id);
    try {
      const { plan, subnetId } = handed ?? validate(this.node.path, (check) => planRouteTable(check, this, props));
      this.location = plan.location;
      this.clientAddressPrefixes = [...plan.tunnel.clientCidrs];
      this.firewallDependencies = plan.firewallDependencies;
      // The provider's modules load with the first route table (most networks are not force-tunnelled).
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { RouteTable } = require('@cdktf/provider-azurerm/lib/route-table') as typeof RouteTableModule;
      const { SubnetRouteTableAssociation } = require('@cdktf/provider-azurerm/lib/subnet-route-table-association') as typeof AssociationModule;
      /* eslint-enable @typescript-eslint/no-require-imports */
      this.routeTable = new RouteTable(this, 'route-table', {
        name: plan.name,
        location: plan.location,
        resourceGroupName: plan.resourceGroupName,
        bgpRoutePropagationEnabled: plan.tunnel.bgpRoutePropagationEnabled,
        // Inline routes are attributes of the route table: Terraform wants every field of each, null where unused.
        route: plan.tunnel.routes.map((route) => ({
          name: route.name,
          addressPrefix: route.addressPrefix,
          nextHopType: route.nextHopType,
          nextHopInIpAddress: route.nextHopInIpAddress ?? Token.asString(Token.nullValue()),
        })),
        tags: plan.tags,
        provider: plan.provider,
      });
      this.id = this.routeTable.id;
      this.association = new SubnetRouteTableAssociation(this, 'association', {
        subnetId,
        routeTableId: this.routeTable.id,
        provider: plan.provider,
      });
      if (plan.output) {
        new TerraformOutput(this, 'firewall-dependencies', {
          value: this.firewallDependencies,
          description: `What a firewall must allow for the force-tunnelled APIM subnet in ${plan.location}`,
        });
      }
      addWarnings(this, plan.notes ?? []);
      claimNames(TerraformStack.of(this), this.node.path, plan.claims ?? []);
    } catch (error) {
      raise(failed(scope, id, this.node.path, error));
    }
  }
}

function planRouteTable(check: PropChecker, self: Construct, input: ApimRouteTableProps): { plan: RouteTablePlan; subnetId: string } {
  const props = check.struct('', input, ROUTE_TABLE_PROPS, true);
  if (!props) {
    return check.throwIfAny() as never;
  }
  const resourceGroupName = check.azureName('resource group', 'resourceGroupName', props.resourceGroupName, { required: true, allowToken: true }) ?? '';
  const subnetId = check.string('subnetId', props.subnetId, { required: true, allowToken: true }) ?? '';
  const location = check.location('location', props.location) ?? '';
  const { primaryLocation } = checkPrimaryLocation(check, '', { primaryLocation: props.primaryLocation }, location);
  if (location !== '' && regionInfo(location) === undefined) {
    // The firewall dependencies build the Entra ID host from the location: say so, rather than hand on a typo.
    const closest = closestRegion(location);
    check.warn('location', props.location, `"${location}" is not a region this library lists${closest ? ` (did you mean "${closest}"?)` : ''}; ` +
      `firewallDependencies name the Entra ID host ${location}.login.microsoft.com built from it. Azure adds regions, so this is a warning, not an error`);
  }
  const mode = check.enumValue('virtualNetworkType', props.virtualNetworkType, ApimVirtualNetworkType,
    { enumName: 'ApimVirtualNetworkType', need: 'the mode decides at synth time whether client routes are needed' });
  const subnet = checkCidr(check, 'subnetAddressPrefix', props.subnetAddressPrefix, 'the appliance and the client ranges are checked to lie outside the subnet at synth time');
  const name = props.name === undefined ? `rt-apim-${location}` : check.azureName('route table', 'name', props.name, { required: true, allowToken: true }) ?? '';
  const output = check.boolean('firewallDependenciesOutput', props.firewallDependenciesOutput, false, 'it decides at synth time whether the output is written');
  const tags = check.tags('tags', props.tags);
  const provider = check.provider('provider', props.provider, self);
  const claims: NameClaim[] = [{
    kind: 'route table', scope: [{ what: 'resource group', name: resourceGroupName }], name,
    ...(props.name === undefined ? { prop: 'location', value: props.location, derived: true } : { prop: 'name', value: props.name, derived: false }),
  }];
  checkNames(check, TerraformStack.of(self), self.node.path, claims);
  const tunnel = checkForcedTunnelling(check, '', props, {
    mode, subnet, clients: { prop: 'clientAddressPrefixes', value: props.clientAddressPrefixes },
  });
  check.throwIfAny();
  return {
    subnetId,
    plan: {
      name, location, resourceGroupName, tunnel: tunnel as ResolvedForcedTunnelling, output, tags, provider,
      firewallDependencies: firewallDependencies({ location, primaryLocation }), notes: [...check.warnings], claims,
    },
  };
}
