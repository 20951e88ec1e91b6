import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { Annotations, TerraformOutput, TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import { cidrOverlaps } from '../core/cidr';
import { ApimNetworkErrorCode, renderValue } from '../core/errors';
import { normalizeLocation } from '../core/locations';
import { ApimSku, ApimVirtualNetworkType } from '../core/types';
import {
  ApimNsgOptions, ApimRegionOptions, ApimRegionalNetwork, ApimRegionalNetworkProps, CHECKED_BY_PARENT, ResolvedRegion, checkRegionProps,
} from './apim-regional-network';
import { PropChecker, checkedScope, failed, kindOf, validate } from './private/props';
import { registerDefaultChecks } from './private/checks-hook';

/**
 * Props of `MultiRegionApimNetwork`.
 */
export interface MultiRegionApimNetworkProps {
  /**
   * APIM virtual network mode, the same in every location.
   */
  readonly virtualNetworkType: ApimVirtualNetworkType;

  /**
   * APIM tier. Developer allows one location with capacity 1 and no zones.
   *
   * @default ApimSku.PREMIUM
   */
  readonly sku?: ApimSku;

  /**
   * Name of the APIM instance: used for default resource names and public IP DNS labels.
   */
  readonly apiManagementName: string;

  /**
   * Resource group of the network resources (virtual networks, NSGs, public IPs).
   */
  readonly resourceGroupName: string;

  /**
   * The locations, primary first. Each location gets its own virtual network (or uses an existing one), subnet, NSG,
   * service endpoints and public IP. Locations are keyed by their normalised name in construct ids, so reordering
   * them does not replace resources.
   */
  readonly regions: ApimRegionOptions[];

  /**
   * NSG options for every location.
   *
   * @default - the required rules for the mode only
   */
  readonly networkSecurityGroup?: ApimNsgOptions;

  /**
   * The azurerm provider for the resources (APIM, its virtual networks and public IPs share one subscription).
   *
   * @default - the stack's default azurerm provider
   */
  readonly provider?: TerraformProvider;

  /**
   * Tags for the resources that take tags.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Add a TerraformOutput of every location's subnet ID and public IP ID, for platform repositories that create the
   * APIM instance elsewhere (`<location>-subnet-id`, `<location>-public-ip-id`).
   *
   * @default false
   */
  readonly outputs?: boolean;

  /**
   * Register `ApimNetworkChecks` on this construct's stack, so `cdktf synth` fails on a broken APIM network anywhere
   * in the stack (the checks run once per stack, however many networks register them).
   *
   * @default true
   */
  readonly checks?: boolean;
}

/**
 * The network of an API Management instance in one or many locations, composed from one `ApimRegionalNetwork` per
 * location, validated across locations, and wired into an `ApiManagement` with `connect()`.
 *
 * @example
 * const network = new MultiRegionApimNetwork(this, 'network', {
 *   virtualNetworkType: ApimVirtualNetworkType.EXTERNAL,
 *   apiManagementName: 'contoso-apim',
 *   resourceGroupName: 'rg-apim',
 *   regions: [
 *     { location: 'westeurope', addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/27', capacity: 3, zones: ['1', '2', '3'] },
 *     { location: 'northeurope', addressSpace: ['10.20.0.0/16'], subnetAddressPrefix: '10.20.1.0/27' },
 *   ],
 * });
 * network.connect(apiManagement);
 */
export class MultiRegionApimNetwork extends Construct {
  /** The per-location networks, primary first. */
  public readonly regions: ApimRegionalNetwork[];
  /** The primary location's network. */
  public readonly primary: ApimRegionalNetwork;
  /** The APIM mode. */
  public readonly virtualNetworkType: ApimVirtualNetworkType;
  /** The APIM tier. */
  public readonly sku: ApimSku;

  private connected?: ApiManagement;

  public constructor(scope: Construct, id: string, props: MultiRegionApimNetworkProps) {
    super(checkedScope(scope, id), id);
    try {
      let resolved: ResolvedRegion[] = [];
      validate(this.node.path, (check) => {
        resolved = checkNetworkProps(check, props);
      });
      this.virtualNetworkType = props.virtualNetworkType;
      this.sku = props.sku ?? ApimSku.PREMIUM;
      const primaryLocation = resolved[0].location;
      const multiRegion = resolved.length > 1;
      this.regions = [];
      for (let index = 0; index < props.regions.length; index++) {
        const regionProps: ApimRegionalNetworkProps = {
          ...props.regions[index],
          resourceGroupName: props.resourceGroupName,
          apiManagementName: props.apiManagementName,
          virtualNetworkType: props.virtualNetworkType,
          sku: this.sku,
          primaryLocation,
          multiRegion,
          networkSecurityGroup: props.networkSecurityGroup,
          provider: props.provider,
          tags: props.tags,
        };
        Object.defineProperty(regionProps, CHECKED_BY_PARENT, { value: resolved[index] });
        this.regions.push(new ApimRegionalNetwork(this, resolved[index].location, regionProps));
      }
      this.primary = this.regions[0];
      warnAcrossRegions(this, resolved);
      if (props.outputs) {
        for (const region of this.regions) {
          new TerraformOutput(this, `${region.location}-subnet-id`, {
            value: region.subnetId,
            description: `ID of the APIM subnet in ${region.location}`,
          });
          if (region.publicIpId) {
            new TerraformOutput(this, `${region.location}-public-ip-id`, {
              value: region.publicIpId,
              description: `ID of the APIM public IP in ${region.location}`,
            });
          }
        }
      }
      if (props.checks ?? true) {
        registerDefaultChecks(this);
      }
    } catch (error) {
      throw failed(scope, id, this.node.path, error);
    }
  }

  /**
   * Wire an `ApiManagement` of the same stack into this network: `virtualNetworkType`, the primary location's subnet,
   * public IP and zones, and one `additionalLocation` per further location (location, capacity, zones, subnet, public
   * IP).
   *
   * It refuses an APIM whose location is not the primary location, whose SKU or capacity contradicts the network's,
   * whose `virtualNetworkType` differs, or that already sets its network or additional locations.
   */
  public connect(apim: ApiManagement): void {
    try {
      this.wire(apim);
    } catch (error) {
      throw failed(undefined, undefined, this.node.path, error);
    }
  }

  private wire(apim: ApiManagement): void {
    const check = new PropChecker(this.node.path);
    const prop = `connect(${apim?.node?.path ?? '?'})`;
    if (!apim || typeof apim.putAdditionalLocation !== 'function') {
      check.add(ApimNetworkErrorCode.INVALID_TYPE, prop, renderValue(typeof apim), 'it is not an ApiManagement resource',
        'pass the ApiManagement from @cdktf/provider-azurerm/lib/api-management');
      check.throwIfAny();
    }
    if (this.connected) {
      check.add(ApimNetworkErrorCode.APIM_MISMATCH, prop, this.connected.node.path, 'this network is already connected to an APIM instance',
        'use one MultiRegionApimNetwork per APIM instance');
    }
    const location = apim.locationInput;
    if (location !== undefined && !Token.isUnresolved(location) && normalizeLocation(location) !== this.primary.location) {
      check.add(ApimNetworkErrorCode.APIM_MISMATCH, `${prop}.location`, location,
        `the APIM instance is not in the primary location ${this.primary.location}`,
        `create the APIM in ${this.primary.location}, or list its location first in regions`);
    }
    const skuName = apim.skuNameInput;
    if (skuName !== undefined && !Token.isUnresolved(skuName)) {
      const match = /^([A-Za-z0-9]+)_(\d+)$/.exec(skuName);
      if (!match || match[1] !== this.sku) {
        check.add(ApimNetworkErrorCode.APIM_MISMATCH, `${prop}.skuName`, skuName, `the network was built for ${this.sku}`,
          `use skuName "${this.sku}_${this.primary.capacity}", or build the network with the APIM's SKU`);
      } else if (Number(match[2]) !== this.primary.capacity) {
        check.add(ApimNetworkErrorCode.APIM_MISMATCH, `${prop}.skuName`, skuName,
          `the primary location's subnet was sized for capacity ${this.primary.capacity}`,
          `use skuName "${this.sku}_${this.primary.capacity}", or set the primary region's capacity to ${match[2]}`);
      }
    }
    const mode = apim.virtualNetworkTypeInput;
    if (mode !== undefined && !Token.isUnresolved(mode) && mode !== this.virtualNetworkType) {
      check.add(ApimNetworkErrorCode.APIM_MISMATCH, `${prop}.virtualNetworkType`, mode, `the network is for ${this.virtualNetworkType} mode`,
        'leave virtualNetworkType unset (connect() sets it) or make it match');
    }
    for (const [field, value] of [
      ['virtualNetworkConfiguration', apim.virtualNetworkConfigurationInput],
      ['additionalLocation', apim.additionalLocationInput],
      ['publicIpAddressId', apim.publicIpAddressIdInput],
      ['zones', apim.zonesInput],
    ] as const) {
      if (value !== undefined) {
        check.add(ApimNetworkErrorCode.APIM_MISMATCH, `${prop}.${field}`, value, 'it is already set on the APIM instance',
          'leave it unset: connect() sets it from the network');
      }
    }
    check.throwIfAny();
    this.connected = apim;
    apim.virtualNetworkType = this.virtualNetworkType;
    apim.putVirtualNetworkConfiguration({ subnetId: this.primary.subnetId });
    if (this.primary.publicIpId) {
      apim.publicIpAddressId = this.primary.publicIpId;
    }
    if (this.primary.zones.length > 0) {
      apim.zones = [...this.primary.zones];
    }
    const additional = this.regions.slice(1).map((region) => ({
      location: region.location,
      capacity: region.capacity,
      zones: region.zones.length > 0 ? [...region.zones] : undefined,
      publicIpAddressId: region.publicIpId,
      virtualNetworkConfiguration: { subnetId: region.subnetId },
    }));
    if (additional.length > 0) {
      apim.putAdditionalLocation(additional);
    }
  }
}

function checkNetworkProps(check: PropChecker, props: MultiRegionApimNetworkProps): ResolvedRegion[] {
  if (!check.object('props', props, true)) {
    check.throwIfAny();
  }
  const mode = check.enumValue('virtualNetworkType', props.virtualNetworkType, ApimVirtualNetworkType, { enumName: 'ApimVirtualNetworkType' });
  const sku = check.enumValue('sku', props.sku, ApimSku, { enumName: 'ApimSku', default: ApimSku.PREMIUM });
  const apiManagementName = check.string('apiManagementName', props.apiManagementName, { required: true });
  if (apiManagementName !== undefined && !/^[a-zA-Z][a-zA-Z0-9-]{0,48}[a-zA-Z0-9]$/.test(apiManagementName)) {
    check.add(ApimNetworkErrorCode.INVALID_NAME, 'apiManagementName', apiManagementName, 'it is not a valid API Management name',
      '1-50 letters, digits and hyphens, starting with a letter and ending with a letter or digit');
  }
  check.string('resourceGroupName', props.resourceGroupName, { required: true, allowToken: true });
  check.boolean('outputs', props.outputs, false);
  check.boolean('checks', props.checks, true);
  check.provider('provider', props.provider);
  check.tags('tags', props.tags);
  const nsg = check.object('networkSecurityGroup', props.networkSecurityGroup, false);
  if (nsg) {
    check.boolean('networkSecurityGroup.regionalServiceTags', nsg.regionalServiceTags, false);
    check.boolean('networkSecurityGroup.hardening', nsg.hardening, false);
  }
  if (!Array.isArray(props.regions)) {
    check.add(props.regions === undefined || props.regions === null ? ApimNetworkErrorCode.MISSING_PROP : ApimNetworkErrorCode.INVALID_TYPE,
      'regions', props.regions, props.regions === undefined || props.regions === null ? 'it is required' : `it is ${kindOf(props.regions)}, not a list`,
      'give a list of regions, the primary first');
    check.throwIfAny();
  }
  if (props.regions.length === 0) {
    check.add(ApimNetworkErrorCode.MISSING_PROP, 'regions', props.regions, 'it is empty', 'give at least one region, the primary first');
    check.throwIfAny();
  }
  const shared = { apiManagementName, mode, sku };
  const resolved = props.regions.map((region, index) => checkRegionProps(check, `regions[${index}].`, region, shared));
  if (sku === ApimSku.DEVELOPER && resolved.length > 1) {
    check.add(ApimNetworkErrorCode.SKU_NOT_SUPPORTED, 'regions', resolved.map((r) => r.location),
      `the Developer tier has one location, ${resolved.length} are given`, 'give one region, or use ApimSku.PREMIUM for several');
  }
  const seen = new Map<string, number>();
  resolved.forEach((region, index) => {
    if (region.location === '') {
      return;
    }
    const first = seen.get(region.location);
    if (first !== undefined) {
      check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, `regions[${index}].location`, props.regions[index].location,
        `it is the same location as regions[${first}] ("${props.regions[first].location}")`, 'list each location once');
    } else {
      seen.set(region.location, index);
    }
  });
  const labels = new Map<string, number>();
  resolved.forEach((region, index) => {
    if (region.dnsLabel === undefined) {
      return;
    }
    const first = labels.get(region.dnsLabel);
    if (first !== undefined) {
      check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, `regions[${index}].publicIp.domainNameLabel (${region.location})`, region.dnsLabel,
        `regions[${first}] (${resolved[first].location}) has the same DNS label`, 'give every location its own label');
    } else {
      labels.set(region.dnsLabel, index);
    }
  });
  check.throwIfAny();
  return resolved;
}

function warnAcrossRegions(scope: Construct, resolved: ResolvedRegion[]): void {
  const annotations = Annotations.of(scope);
  resolved.forEach((region, index) => {
    if (region.zones.length > 0 && region.capacity % region.zones.length !== 0) {
      annotations.addWarning(`regions[${index}] (${region.location}): capacity ${region.capacity} is not a multiple of the ` +
        `${region.zones.length} zones ${region.zones.join(', ')}; Azure spreads units evenly across zones, so use ` +
        `${region.zones.length * Math.max(1, Math.round(region.capacity / region.zones.length))} units or change the zones`);
    }
    resolved.slice(index + 1).forEach((other, offset) => {
      for (const a of region.addressSpace ?? []) {
        for (const b of other.addressSpace ?? []) {
          if (cidrOverlaps(a, b)) {
            annotations.addWarning(`regions[${index}] (${region.location}) address space ${a.text} overlaps ` +
              `regions[${index + 1 + offset}] (${other.location}) address space ${b.text}: the two virtual networks could never be peered`);
          }
        }
      }
    });
  });
}
