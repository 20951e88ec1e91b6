import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Fn, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Ipv4Cidr, parseIpv4Address, parseIpv4CidrLenient } from '../core/cidr';
import { fitAzureName } from '../core/azure-names';
import { ApimNetworkErrorCode } from '../core/errors';
import { firewallDependencies } from '../core/firewall-dependencies';
import { FORCED_TUNNELLING_ENDPOINTS } from '../core/service-endpoints';
import { zonesOf } from '../core/locations';
import { ApimSku, ApimVirtualNetworkType } from '../core/types';
import { ApimNetworkSecurityGroup } from './apim-network-security-group';
import { ApimPublicIp, PublicIpPlan, planPublicIp, publicIpClaims } from './apim-public-ip';
import { ApimRouteTable, ResolvedForcedTunnelling, RouteTablePlan, checkForcedTunnelling } from './apim-route-table';
import { ApimServiceEndpoints, planEndpoints } from './apim-service-endpoints';
import { ApimSubnet, SubnetPlan, checkInside } from './apim-subnet';
import { ApimNsgOptions, ApimRegionOptions } from './region-options';
import { addWarnings } from '../cdktf/annotate';
import { NameClaim, checkNames, claimNames } from './private/names';
import { checkCapacity, checkSubnetPrefix, checkZones } from './private/network-props';
import { checkDnsServerCount, checkNsgLimits } from './private/limits';
import { checkPrimaryLocation, warnGlobalTags } from './private/placement';
import { NsgPlan, NsgSettings, RuleProblem, planNsg, planNsgSettings, reportRefused } from './private/plan-nsg';
import { checkAddressSpace } from './private/prefix-props';
import { PlanHandOff, PropChecker, checkedScope, failed, isReference, raise, validate } from './private/props';
import { FORCED_TUNNELLING_OPTIONS, NSG_OPTIONS, PUBLIC_IP_OPTIONS, REGIONAL_NETWORK_PROPS, SERVICE_ENDPOINT_OPTIONS } from './private/structs';
import { CHECKS_NEED, MODE_NEED, SKU_NEED } from './apim-subnet';

/**
 * Props of `ApimRegionalNetwork`.
 */
export interface ApimRegionalNetworkProps extends ApimRegionOptions {
  /**
   * Resource group of the NSG, the public IP and a new virtual network. A reference is fine.
   */
  readonly resourceGroupName: string;

  /**
   * APIM instance name, for default names and the DNS label. A reference is fine when `publicIp.domainNameLabel` is
   * given (or the public IP is off).
   */
  readonly apiManagementName: string;

  /**
   * APIM virtual network mode.
   */
  readonly virtualNetworkType: ApimVirtualNetworkType;

  /**
   * APIM tier.
   *
   * @default ApimSku.PREMIUM
   */
  readonly sku?: ApimSku;

  /**
   * The APIM instance's primary location. A location this library does not list is accepted with a warning naming
   * the closest listed one (the NSG then uses the global service tags).
   *
   * @default - this location
   */
  readonly primaryLocation?: string;

  /**
   * Whether the APIM instance has more than one location. `false` with a `primaryLocation` other than `location` is
   * refused.
   *
   * @default - true when `primaryLocation` differs from `location`, else false
   */
  readonly multiRegion?: boolean;

  /**
   * NSG options.
   *
   * @default - the required rules only
   */
  readonly networkSecurityGroup?: ApimNsgOptions;

  /**
   * The azurerm provider for the resources.
   *
   * @default - the stack's default azurerm provider
   */
  readonly provider?: TerraformProvider;

  /**
   * Tags for the virtual network, NSG and public IP. A reference is fine.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Register `ApimNetworkChecks` on this construct's stack (once per stack, however many constructs ask).
   *
   * @default true
   */
  readonly checks?: boolean;
}

/** Everything one location's network is built from. */
export interface RegionPlan {
  readonly location: string;
  readonly capacity: number;
  readonly zones: string[];
  readonly isPrimary: boolean;
  /** A new virtual network, or undefined for an existing one. */
  readonly virtualNetwork?: {
    readonly name: string; readonly resourceGroupName: string; readonly addressSpace: string[]; readonly dnsServers?: string[];
    readonly provider?: TerraformProvider; readonly tags?: { [key: string]: string };
  };
  /** The address space of the location's virtual network when known (new, or `existingAddressSpace`). */
  readonly addressSpace?: Ipv4Cidr[];
  readonly nsg: NsgPlan;
  readonly subnet: Omit<SubnetPlan, 'networkSecurityGroupId'>;
  readonly publicIp?: PublicIpPlan;
  /** The route table of a force-tunnelled location. */
  readonly routeTable?: RouteTablePlan;
  /** Warnings the region shows when it is built on its own. */
  readonly notes: readonly string[];
  /** The Azure names the location's resources take (no two constructs of a stack may take the same). */
  readonly claims: readonly NameClaim[];
}

/** What every location of one APIM network shares, already checked. */
export interface SharedRegionSettings {
  readonly apiManagementName: string | undefined;
  readonly resourceGroupName: string;
  readonly mode: ApimVirtualNetworkType | undefined;
  readonly sku: ApimSku | undefined;
  readonly primaryLocation: string;
  readonly multiRegion: boolean;
  readonly nsg: NsgSettings;
  readonly provider?: TerraformProvider;
  readonly tags?: { [key: string]: string };
  readonly checks: boolean;
}

const HAND_OFF = new PlanHandOff<RegionPlan>();

/**
 * Everything one APIM location needs, in that location: a virtual network (new, or an existing one by name), the
 * subnet, its NSG and service endpoints, and (unless switched off) the public IP.
 *
 * `MultiRegionApimNetwork` builds one per location; use this construct directly for a single location you wire
 * yourself.
 *
 * @see https://learn.microsoft.com/azure/api-management/virtual-network-injection-resources
 * @example
 * const west = new ApimRegionalNetwork(this, 'westeurope', {
 *   resourceGroupName: 'rg-apim',
 *   apiManagementName: 'contoso-apim',
 *   virtualNetworkType: ApimVirtualNetworkType.INTERNAL,
 *   location: 'westeurope',
 *   addressSpace: ['10.10.0.0/16'],
 *   subnetAddressPrefix: '10.10.1.0/27',
 * });
 */
export class ApimRegionalNetwork extends Construct {
  /**
   * Leave a plan its parent validated for the constructor call whose props this is:
   * `new ApimRegionalNetwork(scope, id, ApimRegionalNetwork._handOff(plan))`. The parent calls the constructor itself, so no frame of a factory
   * sits between it and the provider's constructors (every cdktf token they make records the whole call stack).
   *
   * @internal
   */
  public static _handOff(plan: RegionPlan): ApimRegionalNetworkProps {
    HAND_OFF.give(plan);
    return undefined as unknown as ApimRegionalNetworkProps;
  }

  /** Normalised location. */
  public readonly location: string;
  /** Scale units of APIM in this location. */
  public readonly capacity: number;
  /** Availability zones of APIM in this location (empty when none). */
  public readonly zones: string[];
  /** The new virtual network, when `addressSpace` was given. */
  public readonly virtualNetwork?: VirtualNetwork;
  /** Name of the location's virtual network (the new one, or the existing one). */
  public readonly virtualNetworkName: string;
  /** Resource group of the location's virtual network. */
  public readonly virtualNetworkResourceGroupName: string;
  /** The NSG. */
  public readonly networkSecurityGroup: ApimNetworkSecurityGroup;
  /** The subnet's service endpoints. */
  public readonly serviceEndpoints: ApimServiceEndpoints;
  /** The subnet. */
  public readonly subnet: ApimSubnet;
  /** The public IP, unless switched off. */
  public readonly publicIp?: ApimPublicIp;
  /** ID of the subnet. */
  public readonly subnetId: string;
  /** ID of the public IP, unless switched off. */
  public readonly publicIpId?: string;
  /** Whether this is the APIM instance's primary location. */
  public readonly isPrimary: boolean;
  /** The route table, when the location is force-tunnelled (`forcedTunnelling`). */
  public readonly routeTable?: ApimRouteTable;

  private networkId?: string;

  public constructor(scope: Construct, id: string, props: ApimRegionalNetworkProps) {
    const handed = HAND_OFF.take();
    super(checkedScope(scope, id), id);
    try {
      const plan = handed ?? validate(this.node.path, (check) => planStandaloneRegion(check, this, props));
      this.location = plan.location;
      this.capacity = plan.capacity;
      this.zones = plan.zones;
      this.isPrimary = plan.isPrimary;
      if (plan.virtualNetwork) {
        this.virtualNetwork = new VirtualNetwork(this, 'vnet', {
          name: plan.virtualNetwork.name,
          location: plan.location,
          resourceGroupName: plan.virtualNetwork.resourceGroupName,
          addressSpace: plan.virtualNetwork.addressSpace,
          dnsServers: plan.virtualNetwork.dnsServers,
          tags: plan.virtualNetwork.tags,
          provider: plan.virtualNetwork.provider,
        });
      }
      this.virtualNetworkName = this.virtualNetwork ? this.virtualNetwork.name : plan.subnet.virtualNetworkName;
      this.virtualNetworkResourceGroupName = plan.subnet.resourceGroupName;
      this.networkSecurityGroup = new ApimNetworkSecurityGroup(this, 'nsg', ApimNetworkSecurityGroup._handOff(plan.nsg));
      this.serviceEndpoints = ApimServiceEndpoints._of(plan.location, [...plan.subnet.endpoints]);
      this.subnet = new ApimSubnet(this, 'subnet', ApimSubnet._handOff({
        ...plan.subnet, virtualNetworkName: this.virtualNetworkName, networkSecurityGroupId: this.networkSecurityGroup.id,
      }));
      this.subnetId = this.subnet.id;
      if (plan.routeTable) {
        this.routeTable = new ApimRouteTable(this, 'route-table', ApimRouteTable._handOff(plan.routeTable, this.subnetId));
      }
      if (plan.publicIp) {
        this.publicIp = new ApimPublicIp(this, 'public-ip', ApimPublicIp._handOff(plan.publicIp));
        this.publicIpId = this.publicIp.id;
      }
      addWarnings(this, plan.notes);
      if (!handed) {
        claimNames(TerraformStack.of(this), this.node.path, plan.claims);
      }
    } catch (error) {
      raise(failed(scope, id, this.node.path, error));
    }
  }

  /**
   * ID of the location's virtual network: the new one's, or, for an existing one, derived from the subnet's ID (known
   * after apply), e.g. to link private DNS zones to it.
   */
  public get virtualNetworkId(): string {
    // Made on first read (once): every token records the call stack, a cost most networks never need to pay.
    // An existing network's ID is its subnet's ID without the `/subnets/<name>` tail.
    this.networkId ??= this.virtualNetwork ? this.virtualNetwork.id : Fn.join('/', Fn.slice(Fn.split('/', this.subnetId), 0, 9));
    return this.networkId;
  }

  /**
   * The resources an APIM instance must wait for in this location: the subnet's NSG association (APIM's load balancer
   * refuses all inbound traffic until the NSG is on the subnet) and, when force-tunnelled, its route table association
   * (without the ApiManagement route, management traffic on 3443 would be lost while APIM deploys).
   */
  public get apimDependencies(): TerraformResource[] {
    return [this.subnet.networkSecurityGroupAssociation, ...(this.routeTable ? [this.routeTable.association] : [])];
  }
}

function planStandaloneRegion(check: PropChecker, self: Construct, input: ApimRegionalNetworkProps): RegionPlan {
  const props = check.struct('', input, REGIONAL_NETWORK_PROPS, true);
  if (!props) {
    return check.throwIfAny() as never;
  }
  const mode = check.enumValue('virtualNetworkType', props.virtualNetworkType, ApimVirtualNetworkType, { enumName: 'ApimVirtualNetworkType', need: MODE_NEED });
  const location = check.location('location', props.location) ?? '';
  const nsgOptions = check.struct('networkSecurityGroup', props.networkSecurityGroup, NSG_OPTIONS, false) ?? {};
  const { primaryLocation, multiRegion } = checkPrimaryLocation(check, '', props, location);
  const shared: SharedRegionSettings = {
    apiManagementName: check.azureName('API Management service', 'apiManagementName', props.apiManagementName, { required: true, allowToken: true }),
    resourceGroupName: check.azureName('resource group', 'resourceGroupName', props.resourceGroupName, { required: true, allowToken: true }) ?? '',
    mode,
    sku: check.enumValue('sku', props.sku, ApimSku, { enumName: 'ApimSku', default: ApimSku.PREMIUM, need: SKU_NEED }),
    primaryLocation,
    multiRegion,
    nsg: planNsgSettings(check, 'networkSecurityGroup.', nsgOptions, mode),
    provider: check.provider('provider', props.provider, self),
    tags: check.tags('tags', props.tags),
    checks: check.boolean('checks', props.checks, true, CHECKS_NEED),
  };
  warnGlobalTags(check, 'networkSecurityGroup.regionalServiceTags', shared.nsg.regionalServiceTags, primaryLocation, [location]);
  const { plan, refused } = planRegion(check, '', props, location, shared);
  reportRefused(check, refused, shared.nsg.clientSources);
  checkNames(check, TerraformStack.of(self), self.node.path, plan.claims);
  return { ...plan, notes: [...check.warnings] };
}

/** Why zones must be literals. */
const ZONES_NEED = 'the zones are checked against the region and the capacity, and decide the public IP\'s zones, at synth time';

/**
 * Check one location's options and plan its network; `prefix` is how the user reaches them (`regions[1].`),
 * `region` the options already read (`PropChecker.struct`), and `location` the location, already checked.
 */
export function planRegion(check: PropChecker, prefix: string, region: Partial<Record<keyof ApimRegionOptions, unknown>>, location: string,
  shared: SharedRegionSettings): { plan: RegionPlan; refused: RuleProblem[] } {
  const sku = shared.sku ?? ApimSku.PREMIUM;
  const mode = shared.mode ?? ApimVirtualNetworkType.EXTERNAL;
  const apim = shared.apiManagementName;
  const derived = (kind: 'virtual network' | 'subnet' | 'network security group', head: string, tail: string) =>
    apim === undefined || isReference(apim) ? `${head}${apim ?? ''}${tail}` : fitAzureName(kind, head, apim, tail);

  const capacity = checkCapacity(check, `${prefix}capacity`, region.capacity, sku);
  const zones = checkRegionZones(check, prefix, region.zones, location, sku, capacity);

  let addressSpace: Ipv4Cidr[] | undefined;
  let virtualNetwork: RegionPlan['virtualNetwork'];
  let virtualNetworkName = '';
  let virtualNetworkResourceGroupName = shared.resourceGroupName;
  const hasSpace = region.addressSpace !== undefined;
  const hasName = region.virtualNetworkName !== undefined;
  if (hasSpace === hasName) {
    check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, `${prefix}addressSpace/virtualNetworkName`,
      hasSpace ? { addressSpace: region.addressSpace, virtualNetworkName: region.virtualNetworkName } : undefined,
      hasSpace ? 'both are given' : 'neither is given',
      'give addressSpace to create a virtual network, or virtualNetworkName to use an existing one');
  } else if (hasSpace) {
    addressSpace = checkAddressSpace(check, `${prefix}addressSpace`, region.addressSpace);
    for (const only of ['virtualNetworkResourceGroupName', 'existingAddressSpace'] as const) {
      if (region[only] !== undefined) {
        check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, `${prefix}${only}`, region[only], 'it applies to an existing virtual network only',
          'remove it, or give virtualNetworkName instead of addressSpace');
      }
    }
    virtualNetworkName = derived('virtual network', 'vnet-', `-${location}`);
    virtualNetwork = {
      name: virtualNetworkName, resourceGroupName: shared.resourceGroupName, addressSpace: (addressSpace ?? []).map((a) => a.text),
      dnsServers: checkDnsServers(check, `${prefix}dnsServers`, region.dnsServers), provider: shared.provider, tags: shared.tags,
    };
  } else {
    virtualNetworkName = check.azureName('virtual network', `${prefix}virtualNetworkName`, region.virtualNetworkName, { required: true, allowToken: true }) ?? '';
    if (region.virtualNetworkResourceGroupName !== undefined) {
      virtualNetworkResourceGroupName = check.azureName('resource group', `${prefix}virtualNetworkResourceGroupName`,
        region.virtualNetworkResourceGroupName, { required: true, allowToken: true }) ?? '';
    }
    if (region.existingAddressSpace !== undefined) {
      addressSpace = checkAddressSpace(check, `${prefix}existingAddressSpace`, region.existingAddressSpace);
    }
    if (region.dnsServers !== undefined) {
      check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, `${prefix}dnsServers`, region.dnsServers,
        'it applies to a virtual network this library creates; an existing network keeps the DNS servers it is managed with',
        'set the DNS servers where the existing network is managed, or give addressSpace to create the network');
    }
  }
  const subnet = checkSubnetPrefix(check, `${prefix}subnetAddressPrefix`, region.subnetAddressPrefix,
    capacity !== undefined && shared.mode !== undefined ? { sku, capacity, mode } : undefined);
  checkInside(check, `${prefix}subnetAddressPrefix`, subnet, addressSpace);

  const pip = check.struct(`${prefix}publicIp`, region.publicIp, PUBLIC_IP_OPTIONS, false) ?? {};
  let publicIp: PublicIpPlan | undefined;
  if (check.boolean(`${prefix}publicIp.enabled`, pip.enabled, true, 'it decides at synth time whether the location has a public IP')) {
    publicIp = planPublicIp(check, `${prefix}publicIp.`, pip, {
      location, resourceGroupName: shared.resourceGroupName, apiManagementName: apim, apimZones: zones, provider: shared.provider, tags: shared.tags,
    });
  } else {
    for (const field of ['domainNameLabel', 'name', 'zones', 'protectFromDestroy'] as const) {
      if (pip[field] !== undefined) {
        check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, `${prefix}publicIp.${field}`, pip[field], 'it applies only when the public IP is enabled',
          'remove it, or leave publicIp.enabled on');
      }
    }
  }
  const tunnelOptions = check.struct(`${prefix}forcedTunnelling`, region.forcedTunnelling, FORCED_TUNNELLING_OPTIONS, false);
  const endpointOptions = check.struct(`${prefix}serviceEndpoints`, region.serviceEndpoints, SERVICE_ENDPOINT_OPTIONS, false) ?? {};
  // Forced tunnelling implies the service endpoints that carry Storage, Sql, Event Hubs and Key Vault past the firewall.
  const endpoints = planEndpoints(check, `${prefix}serviceEndpoints.`,
    tunnelOptions ? { ...endpointOptions, forcedTunnelling: endpointOptions.forcedTunnelling ?? true } : endpointOptions, location, shared.primaryLocation);
  const routeTableName = apim === undefined || isReference(apim) ? `rt-${apim ?? ''}-${location}` : fitAzureName('route table', 'rt-', apim, `-${location}`);
  const routeTable = tunnelOptions && planRegionRouteTable(check, `${prefix}forcedTunnelling.`, tunnelOptions, {
    location, subnet, shared, endpoints, dnsServers: virtualNetwork?.dnsServers, name: routeTableName,
  });
  const nsgName = derived('network security group', 'nsg-', `-${location}`);
  const { plan: nsg, refused } = planNsg({
    name: nsgName, location, resourceGroupName: shared.resourceGroupName, mode,
    multiRegion: shared.multiRegion, primaryLocation: shared.primaryLocation, provider: shared.provider, tags: shared.tags, subnet, addressSpace,
  }, shared.nsg);
  checkNsgLimits(check, { rules: 'networkSecurityGroup.rules', clients: 'networkSecurityGroup.clientAddressPrefixes' }, nsg.rules);
  const subnetName = derived('subnet', 'snet-', '');
  const rg = (name: string) => ({ what: 'resource group', name });
  const byName = { prop: 'apiManagementName', value: apim, derived: true };
  const given = (prop: string, value: unknown) => ({ prop, value, derived: false });
  const claims: NameClaim[] = [
    ...(virtualNetwork ? [{ kind: 'virtual network', scope: [rg(shared.resourceGroupName)], name: virtualNetworkName, ...byName }] : []),
    { kind: 'subnet', scope: [rg(virtualNetworkResourceGroupName), { what: 'virtual network', name: virtualNetworkName }], name: subnetName, ...byName },
    { kind: 'network security group', scope: [rg(shared.resourceGroupName)], name: nsgName, ...byName },
    ...(routeTable ? [{ kind: 'route table', scope: [rg(shared.resourceGroupName)], name: routeTableName, ...byName }] : []),
    ...(publicIp ? publicIpClaims(publicIp, pip.name === undefined ? byName : given(`${prefix}publicIp.name`, pip.name),
      pip.domainNameLabel === undefined ? byName : given(`${prefix}publicIp.domainNameLabel`, pip.domainNameLabel)) : []),
  ];
  return {
    plan: {
      location, capacity: capacity ?? 1, zones, isPrimary: location === shared.primaryLocation, virtualNetwork, addressSpace, nsg, publicIp,
      routeTable: routeTable || undefined,
      subnet: {
        name: subnetName, resourceGroupName: virtualNetworkResourceGroupName, virtualNetworkName,
        virtualNetworkAddressSpace: virtualNetwork ? undefined : addressSpace?.map((a) => a.text), location, mode, sku,
        capacity: capacity ?? 1, prefix: subnet?.text ?? '', endpoints, multiRegion: shared.multiRegion, primaryLocation: shared.primaryLocation,
        provider: shared.provider, checks: shared.checks, notes: [],
      },
      notes: [],
      claims,
    },
    refused: refused.map((r) => ({ ...r, where: location })),
  };
}

/** Zones of APIM in a location: valid zones, Premium only, in a region that has zones, dividing the capacity evenly. */
function checkRegionZones(check: PropChecker, prefix: string, value: unknown, location: string, sku: ApimSku, capacity: number | undefined): string[] {
  if (value === undefined) {
    return [];
  }
  const zones = checkZones(check, `${prefix}zones`, value, ZONES_NEED) ?? [];
  if (zones.length === 0) {
    return zones;
  }
  if (sku === ApimSku.DEVELOPER) {
    check.add(ApimNetworkErrorCode.SKU_NOT_SUPPORTED, `${prefix}zones`, value, 'availability zones are a Premium feature',
      'remove zones, or use ApimSku.PREMIUM');
    return [];
  }
  const offered = zonesOf(location);
  if (offered !== undefined && offered.length === 0) {
    check.add(ApimNetworkErrorCode.INVALID_ZONE, `${prefix}zones`, value, `${location} has no availability zones, so Azure refuses zones there`,
      'remove zones, or choose a region with availability zones');
    return [];
  }
  if (capacity !== undefined && capacity % zones.length !== 0) {
    const lower = Math.floor(capacity / zones.length) * zones.length;
    check.add(ApimNetworkErrorCode.CAPACITY_OUT_OF_RANGE, `${prefix}capacity`, capacity,
      `it is not a multiple of the ${zones.length} zones ${zones.join(', ')}; Azure requires units spread evenly across the zones`,
      `use ${[lower, lower + zones.length].filter((n) => n > 0).join(' or ')} units, or zones whose count divides ${capacity}`);
  }
  return zones;
}


/** Custom DNS servers of a new virtual network: IPv4 addresses (references are fine). */
function checkDnsServers(check: PropChecker, prop: string, value: unknown): string[] | undefined {
  if (PropChecker.isToken(value)) {
    check.unresolved(prop, 'a literal list (its entries may be references, such as a resolver\'s address)', DNS_NEED);
    return undefined;
  }
  const list = check.stringList(prop, value, { allowToken: true, nonEmpty: true });
  list?.forEach((server, index) => {
    if (!isReference(server) && parseIpv4Address(server) === undefined) {
      check.add(ApimNetworkErrorCode.INVALID_IP_ADDRESS, `${prop}[${index}]`, server, 'it is not an IPv4 address',
        'give the DNS servers\' IPv4 addresses, e.g. "10.0.0.53" (Azure takes addresses, not names)');
    }
  });
  if (list) {
    checkDnsServerCount(check, prop, list);
    const seen = new Set<string>();
    list.forEach((server, index) => {
      if (!isReference(server) && seen.has(server.trim())) {
        check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, `${prop}[${index}]`, server, 'it is listed twice', 'list each DNS server once');
      }
      seen.add(server.trim());
    });
  }
  return list;
}

/** Why the list of DNS servers must be literal (its entries may be references). */
const DNS_NEED = 'the list is checked at synth time (its count, its duplicates) and the firewall dependencies name its addresses';

/**
 * Plan the route table of a force-tunnelled location. The client ranges of External mode come from the NSG's
 * `clientAddressPrefixes` (the same clients the NSG lets in), so they are checked under that prop.
 */
function planRegionRouteTable(check: PropChecker, prefix: string, options: Record<string, unknown>, where: {
  location: string; subnet: Ipv4Cidr | undefined; shared: SharedRegionSettings; endpoints: string[]; dnsServers?: string[]; name: string;
}): RouteTablePlan | undefined {
  const { shared } = where;
  const clientProp = 'networkSecurityGroup.clientAddressPrefixes';
  const clients = shared.nsg.clientSources;
  const given = !(clients.length === 1 && clients[0] === 'Internet');
  // The NSG takes addresses as well as CIDRs; a route takes CIDRs: an address is its /32.
  const ranges = given ? clients.map((c) => (parseIpv4Address(c) !== undefined ? `${c}/32` : parseIpv4CidrLenient(c)?.text ?? c)) : undefined;
  // Several regions share the client list; the checker reports each of its problems once.
  const tunnel: ResolvedForcedTunnelling | undefined = checkForcedTunnelling(check, prefix, options, {
    mode: shared.mode, subnet: where.subnet, clients: { prop: clientProp, value: ranges },
  });
  if (!tunnel) {
    return undefined;
  }
  const serviceEndpoints = FORCED_TUNNELLING_ENDPOINTS.every((e) => where.endpoints.includes(e));
  return {
    name: where.name, location: where.location, resourceGroupName: shared.resourceGroupName, tunnel, output: false,
    provider: shared.provider, tags: shared.tags,
    firewallDependencies: firewallDependencies({
      location: where.location, primaryLocation: shared.primaryLocation, serviceEndpoints,
      dnsServers: (where.dnsServers ?? []).filter((d) => !isReference(d)),
    }),
  };
}
