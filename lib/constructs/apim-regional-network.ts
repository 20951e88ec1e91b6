import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { Ipv4Cidr, cidrContains, cidrOverlaps } from '../core/cidr';
import { defaultDnsLabel } from '../core/dns-label';
import { ApimNetworkErrorCode } from '../core/errors';
import { ApimSku, ApimVirtualNetworkType } from '../core/types';
import { ApimNetworkSecurityGroup, ApimNsgRuleOptions, ApimOptionalRules } from './apim-network-security-group';
import { ApimPublicIp } from './apim-public-ip';
import { ApimServiceEndpoints } from './apim-service-endpoints';
import { ApimSubnet } from './apim-subnet';
import { checkCapacity, checkCidr, checkDnsLabel, checkSubnetPrefix, checkZones } from './private/network-props';
import { PropChecker, checkedScope, failed, validate } from './private/props';

/**
 * Options of a location's public IP address.
 */
export interface ApimPublicIpOptions {
  /**
   * Create the public IP. It can be switched off in Internal mode only (Azure then uses a managed address for
   * management traffic); a location with zones should keep it.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * DNS name label.
   *
   * @default - `<apiManagementName>-<location>`, lower case
   */
  readonly domainNameLabel?: string;

  /**
   * Public IP name.
   *
   * @default - `pip-<apiManagementName>-<location>`
   */
  readonly name?: string;

  /**
   * Protect the address from destruction (lifecycle `prevent_destroy`).
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
   * Add the endpoints forced tunnelling needs (Storage, EventHub, KeyVault, and Sql in the primary location).
   *
   * @default false
   */
  readonly forcedTunnelling?: boolean;

  /**
   * More endpoints, spelled as Azure names them.
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
   * Use regional service tags for Storage, Sql and EventHub (own region and primary region).
   *
   * @default false
   */
  readonly regionalServiceTags?: boolean;

  /**
   * Optional rule groups.
   *
   * @default - none
   */
  readonly optionalRules?: ApimOptionalRules;

  /**
   * Rules of your own, added to every location's NSG.
   *
   * @default - none
   */
  readonly rules?: ApimNsgRuleOptions[];

  /**
   * End each NSG with deny-all rules (see `ApimNetworkSecurityGroupProps.hardening`).
   *
   * @default false
   */
  readonly hardening?: boolean;
}

/**
 * Where one location's network goes and how big it is: the per-location part of the props.
 */
export interface ApimRegionOptions {
  /**
   * Azure location, e.g. `westeurope`.
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
   * IPv4 prefix of the APIM subnet, inside the address space.
   */
  readonly subnetAddressPrefix: string;

  /**
   * APIM scale units in this location (1-31 on Premium, 1 on Developer).
   *
   * @default 1
   */
  readonly capacity?: number;

  /**
   * Availability zones of APIM in this location ("1", "2", "3"). Premium only; capacity should be a multiple of the
   * zone count. The location's public IP is then made zone-redundant (zones 1, 2 and 3).
   *
   * @default - no zones
   */
  readonly zones?: string[];

  /**
   * The location's public IP.
   *
   * @default - a Standard public IP with the default DNS label
   */
  readonly publicIp?: ApimPublicIpOptions;

  /**
   * Service endpoints of the location's subnet.
   *
   * @default - none
   */
  readonly serviceEndpoints?: ApimServiceEndpointOptions;
}

/**
 * Props of `ApimRegionalNetwork`.
 */
export interface ApimRegionalNetworkProps extends ApimRegionOptions {
  /**
   * Resource group of the NSG, the public IP and a new virtual network.
   */
  readonly resourceGroupName: string;

  /**
   * APIM instance name, for default names and DNS labels.
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
   * The APIM instance's primary location.
   *
   * @default - this location
   */
  readonly primaryLocation?: string;

  /**
   * Whether the APIM instance has more than one location.
   *
   * @default false
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
   * Tags for the virtual network, NSG and public IP.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };
}

/** Key under which `MultiRegionApimNetwork` hands a region its already-checked props. */
export const CHECKED_BY_PARENT = Symbol.for('cdktf-apim-network/region-checked-by-parent');

/** What validation makes of the props of one location. */
export interface ResolvedRegion {
  readonly location: string;
  readonly addressSpace?: Ipv4Cidr[];
  readonly subnet?: Ipv4Cidr;
  readonly capacity: number;
  readonly zones: string[];
  readonly publicIp: boolean;
  readonly dnsLabel?: string;
}

/**
 * Check the props of one location; `prefix` is how the props are named in errors (`regions[1].`).
 */
export function checkRegionProps(check: PropChecker, prefix: string, props: ApimRegionOptions, shared: {
  apiManagementName: string | undefined; mode: ApimVirtualNetworkType | undefined; sku: ApimSku | undefined;
}): ResolvedRegion {
  const region = check.object(prefix === '' ? 'props' : prefix.replace(/\.$/, ''), props, true) as Partial<ApimRegionOptions> | undefined;
  if (!region) {
    return { location: '', capacity: 1, zones: [], publicIp: false };
  }
  const location = check.location(`${prefix}location`, region.location) ?? '';
  const at = location === '' ? '' : ` (${location})`;
  const p = (name: string) => `${prefix}${name}${at}`;
  const sku = shared.sku ?? ApimSku.PREMIUM;
  const capacity = checkCapacity(check, p('capacity'), region.capacity, sku);
  const zones = region.zones === undefined ? [] : checkZones(check, p('zones'), region.zones) ?? [];
  if (zones.length > 0 && shared.sku === ApimSku.DEVELOPER) {
    check.add(ApimNetworkErrorCode.SKU_NOT_SUPPORTED, p('zones'), region.zones, 'availability zones are a Premium feature',
      'remove zones, or use ApimSku.PREMIUM');
  }
  let addressSpace: Ipv4Cidr[] | undefined;
  const hasSpace = region.addressSpace !== undefined;
  const hasName = region.virtualNetworkName !== undefined;
  if (hasSpace === hasName) {
    check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, p('addressSpace/virtualNetworkName'),
      hasSpace ? { addressSpace: region.addressSpace, virtualNetworkName: region.virtualNetworkName } : undefined,
      hasSpace ? 'both are given' : 'neither is given',
      'give addressSpace to create a virtual network, or virtualNetworkName to use an existing one');
  } else if (hasSpace) {
    const list = check.stringList(p('addressSpace'), region.addressSpace, { nonEmpty: true });
    if (list) {
      const parsed = list.map((text, i) => checkCidr(check, `${prefix}addressSpace[${i}]${at}`, text));
      if (parsed.every((c) => c !== undefined)) {
        addressSpace = parsed as Ipv4Cidr[];
        addressSpace.forEach((a, i) => addressSpace!.slice(i + 1).forEach((b) => {
          if (cidrOverlaps(a, b)) {
            check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, p('addressSpace'), list, `${a.text} and ${b.text} overlap`,
              'give address ranges that do not overlap');
          }
        }));
      }
    }
    if (region.virtualNetworkResourceGroupName !== undefined) {
      check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, p('virtualNetworkResourceGroupName'), region.virtualNetworkResourceGroupName,
        'it applies to an existing virtual network only', 'remove it, or give virtualNetworkName instead of addressSpace');
    }
  } else {
    check.string(p('virtualNetworkName'), region.virtualNetworkName, { required: true, allowToken: true });
    check.string(p('virtualNetworkResourceGroupName'), region.virtualNetworkResourceGroupName, { required: false, allowToken: true });
  }
  const subnet = checkSubnetPrefix(check, p('subnetAddressPrefix'), region.subnetAddressPrefix,
    capacity !== undefined && shared.mode !== undefined ? { sku, capacity, mode: shared.mode } : undefined);
  if (subnet && addressSpace && !addressSpace.some((space) => cidrContains(space, subnet))) {
    check.add(ApimNetworkErrorCode.SUBNET_OUTSIDE_ADDRESS_SPACE, p('subnetAddressPrefix'), subnet.text,
      `it is not inside the address space ${addressSpace.map((a) => a.text).join(', ')}`,
      'pick a prefix inside the address space, or widen the address space');
  }
  const pip = check.object(p('publicIp'), region.publicIp, false) as Partial<ApimPublicIpOptions> | undefined;
  const publicIp = check.boolean(p('publicIp.enabled'), pip?.enabled, true);
  if (!publicIp && shared.mode === ApimVirtualNetworkType.EXTERNAL) {
    check.add(ApimNetworkErrorCode.MODE_NOT_SUPPORTED, p('publicIp.enabled'), false,
      'External mode serves clients through the public IP, which this library always creates there',
      'keep the public IP, or use ApimVirtualNetworkType.INTERNAL');
  }
  let dnsLabel: string | undefined;
  if (publicIp) {
    if (pip?.domainNameLabel !== undefined) {
      dnsLabel = check.string(p('publicIp.domainNameLabel'), pip.domainNameLabel, { required: true });
      if (dnsLabel !== undefined && !checkDnsLabel(check, p('publicIp.domainNameLabel'), dnsLabel)) {
        dnsLabel = undefined;
      }
    } else if (shared.apiManagementName !== undefined && location !== '') {
      const derived = defaultDnsLabel(shared.apiManagementName, location);
      dnsLabel = checkDnsLabel(check, p('publicIp.domainNameLabel'), derived,
        `apiManagementName "${shared.apiManagementName}" and location "${location}"`) ? derived : undefined;
    }
    check.string(p('publicIp.name'), pip?.name, { required: false });
    check.boolean(p('publicIp.protectFromDestroy'), pip?.protectFromDestroy, true);
  }
  const endpoints = check.object(p('serviceEndpoints'), region.serviceEndpoints, false);
  if (endpoints) {
    check.boolean(p('serviceEndpoints.forcedTunnelling'), endpoints.forcedTunnelling, false);
    check.stringList(p('serviceEndpoints.additionalEndpoints'), endpoints.additionalEndpoints);
  }
  return { location, addressSpace, subnet, capacity: capacity ?? 1, zones, publicIp, dnsLabel };
}

/**
 * Everything one APIM location needs, in that location: a virtual network (new, or an existing one by name), the
 * subnet, its NSG and service endpoints, and the public IP (optional in Internal mode).
 *
 * `MultiRegionApimNetwork` builds one per location; use this construct directly for a single location you wire
 * yourself.
 *
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
  /** Normalised location. */
  public readonly location: string;
  /** Scale units of APIM in this location. */
  public readonly capacity: number;
  /** Availability zones of APIM in this location (empty when none). */
  public readonly zones: string[];
  /** The new virtual network, when `addressSpace` was given. */
  public readonly virtualNetwork?: VirtualNetwork;
  /** The NSG. */
  public readonly networkSecurityGroup: ApimNetworkSecurityGroup;
  /** The service endpoints decision. */
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

  public constructor(scope: Construct, id: string, props: ApimRegionalNetworkProps) {
    super(checkedScope(scope, id), id);
    try {
      let resolved!: ResolvedRegion;
      let primaryLocation = '';
      validate(this.node.path, (check) => {
        const checkedByParent = (props as unknown as Record<symbol, ResolvedRegion | undefined>)[CHECKED_BY_PARENT];
        if (checkedByParent) {
          // MultiRegionApimNetwork checked these props, across regions, before building any region.
          resolved = checkedByParent;
          primaryLocation = props.primaryLocation as string;
          return;
        }
        if (!check.object('props', props, true)) {
          return;
        }
        check.string('resourceGroupName', props.resourceGroupName, { required: true, allowToken: true });
        const apimName = check.string('apiManagementName', props.apiManagementName, { required: true });
        const mode = check.enumValue('virtualNetworkType', props.virtualNetworkType, ApimVirtualNetworkType, { enumName: 'ApimVirtualNetworkType' });
        const sku = check.enumValue('sku', props.sku, ApimSku, { enumName: 'ApimSku', default: ApimSku.PREMIUM });
        resolved = checkRegionProps(check, '', props, { apiManagementName: apimName, mode, sku });
        primaryLocation = props.primaryLocation === undefined ? resolved.location : check.location('primaryLocation', props.primaryLocation) ?? '';
        check.boolean('multiRegion', props.multiRegion, false);
        check.object('networkSecurityGroup', props.networkSecurityGroup, false);
        check.provider('provider', props.provider);
        check.tags('tags', props.tags);
      });
      const mode = props.virtualNetworkType;
      const sku = props.sku ?? ApimSku.PREMIUM;
      const nsgOptions = props.networkSecurityGroup ?? {};
      this.location = resolved.location;
      this.capacity = resolved.capacity;
      this.zones = resolved.zones;
      this.isPrimary = primaryLocation === resolved.location;

      let virtualNetworkName = props.virtualNetworkName as string;
      let virtualNetworkResourceGroupName = props.virtualNetworkResourceGroupName ?? props.resourceGroupName;
      if (resolved.addressSpace) {
        this.virtualNetwork = new VirtualNetwork(this, 'vnet', {
          name: `vnet-${props.apiManagementName}-${resolved.location}`,
          location: resolved.location,
          resourceGroupName: props.resourceGroupName,
          addressSpace: resolved.addressSpace.map((a) => a.text),
          tags: props.tags,
          provider: props.provider,
        });
        virtualNetworkName = this.virtualNetwork.name;
        virtualNetworkResourceGroupName = props.resourceGroupName;
      }
      this.networkSecurityGroup = new ApimNetworkSecurityGroup(this, 'nsg', {
        resourceGroupName: props.resourceGroupName,
        location: resolved.location,
        virtualNetworkType: mode,
        name: `nsg-${props.apiManagementName}-${resolved.location}`,
        multiRegion: props.multiRegion ?? false,
        primaryLocation,
        regionalServiceTags: nsgOptions.regionalServiceTags,
        optionalRules: nsgOptions.optionalRules,
        rules: nsgOptions.rules,
        hardening: nsgOptions.hardening,
        provider: props.provider,
        tags: props.tags,
      });
      this.serviceEndpoints = new ApimServiceEndpoints(this, 'service-endpoints', {
        location: resolved.location,
        primaryLocation,
        forcedTunnelling: props.serviceEndpoints?.forcedTunnelling,
        additionalEndpoints: props.serviceEndpoints?.additionalEndpoints,
      });
      this.subnet = new ApimSubnet(this, 'subnet', {
        resourceGroupName: virtualNetworkResourceGroupName,
        location: resolved.location,
        virtualNetworkName,
        name: `snet-${props.apiManagementName}`,
        addressPrefix: props.subnetAddressPrefix,
        virtualNetworkType: mode,
        sku,
        capacity: resolved.capacity,
        networkSecurityGroup: this.networkSecurityGroup,
        serviceEndpoints: this.serviceEndpoints,
        provider: props.provider,
      });
      this.subnetId = this.subnet.id;
      if (resolved.publicIp) {
        this.publicIp = new ApimPublicIp(this, 'public-ip', {
          resourceGroupName: props.resourceGroupName,
          location: resolved.location,
          apiManagementName: props.apiManagementName,
          domainNameLabel: resolved.dnsLabel,
          name: props.publicIp?.name,
          // Zone-redundant whenever APIM uses zones here: public IP zones cannot change later, APIM zones can.
          zones: resolved.zones.length > 0 ? ['1', '2', '3'] : undefined,
          protectFromDestroy: props.publicIp?.protectFromDestroy,
          provider: props.provider,
          tags: props.tags,
        });
        this.publicIpId = this.publicIp.id;
      }
    } catch (error) {
      throw failed(scope, id, this.node.path, error);
    }
  }
}
