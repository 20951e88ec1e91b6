import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { Construct } from 'constructs';
import { ApimNetworkErrorCode } from '../core/errors';
import { NetworkMarker } from '../core/marker';
import { ApimSku, ApimVirtualNetworkType } from '../core/types';
import { ApimNetworkSecurityGroup } from './apim-network-security-group';
import { ApimServiceEndpoints } from './apim-service-endpoints';
import { ApimResourceProps } from './common';
import { mark } from './private/marker';
import { checkCapacity, checkSubnetPrefix } from './private/network-props';
import { PropChecker, checkedScope, failed, validate } from './private/props';

/**
 * Props of `ApimSubnet`.
 */
export interface ApimSubnetProps extends ApimResourceProps {
  /**
   * Name of the virtual network the subnet is created in. A reference such as `vnet.name` is fine.
   */
  readonly virtualNetworkName: string;

  /**
   * The subnet's IPv4 prefix, e.g. `10.0.1.0/27`: /29 or larger, without host bits, and big enough for the SKU,
   * capacity and mode (5 addresses Azure keeps + 2 per Premium unit or 1 for Developer + 1 in Internal mode).
   */
  readonly addressPrefix: string;

  /**
   * The APIM virtual network mode (Internal mode takes one more address).
   */
  readonly virtualNetworkType: ApimVirtualNetworkType;

  /**
   * The NSG to associate with the subnet (APIM requires one). Give exactly one of this and `networkSecurityGroupId`.
   *
   * @default - `networkSecurityGroupId` is used
   */
  readonly networkSecurityGroup?: ApimNetworkSecurityGroup;

  /**
   * ID of an NSG to associate, e.g. one you manage yourself. Give exactly one of this and `networkSecurityGroup`.
   *
   * @default - `networkSecurityGroup` is used
   */
  readonly networkSecurityGroupId?: string;

  /**
   * Subnet name.
   *
   * @default 'snet-apim'
   */
  readonly name?: string;

  /**
   * APIM tier.
   *
   * @default ApimSku.PREMIUM
   */
  readonly sku?: ApimSku;

  /**
   * APIM scale units in this location: 1-31 on Premium, 1 on Developer.
   *
   * @default 1
   */
  readonly capacity?: number;

  /**
   * Service endpoints of the subnet.
   *
   * @default - none
   */
  readonly serviceEndpoints?: ApimServiceEndpoints;
}

const SUBNET_NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;

/**
 * A subnet for API Management: no delegation (classic tiers refuse one), one IPv4 prefix checked for size, and
 * associated with an NSG.
 *
 * @example
 * new ApimSubnet(this, 'subnet', {
 *   resourceGroupName: 'rg-apim',
 *   location: 'westeurope',
 *   virtualNetworkName: 'vnet-apim',
 *   addressPrefix: '10.0.1.0/27',
 *   virtualNetworkType: ApimVirtualNetworkType.EXTERNAL,
 *   capacity: 2,
 *   networkSecurityGroup: nsg,
 * });
 */
export class ApimSubnet extends Construct {
  /** The `azurerm_subnet` resource. */
  public readonly subnet: Subnet;
  /** The `azurerm_subnet_network_security_group_association` resource. */
  public readonly networkSecurityGroupAssociation: SubnetNetworkSecurityGroupAssociation;
  /** The subnet's ID. */
  public readonly id: string;
  /** The subnet's prefix. */
  public readonly addressPrefix: string;
  /** Normalised location. */
  public readonly location: string;

  public constructor(scope: Construct, id: string, props: ApimSubnetProps) {
    super(checkedScope(scope, id), id);
    try {
      let resolved!: { location: string; name: string; mode: ApimVirtualNetworkType; sku: ApimSku; capacity: number; prefix: string };
      validate(this.node.path, (check) => {
        resolved = resolveSubnetProps(check, props);
      });
      this.location = resolved.location;
      this.addressPrefix = resolved.prefix;
      const nsg = props.networkSecurityGroup;
      const marker = (): NetworkMarker => ({
        version: 1,
        role: 'subnet',
        mode: resolved.mode,
        sku: resolved.sku,
        capacity: resolved.capacity,
        multi_region: nsg ? nsg.multiRegion : false,
        primary_location: nsg ? nsg.primaryLocation : resolved.location,
        location: resolved.location,
      });
      this.subnet = new Subnet(this, 'subnet', {
        name: resolved.name,
        resourceGroupName: props.resourceGroupName,
        virtualNetworkName: props.virtualNetworkName,
        addressPrefixes: [resolved.prefix],
        serviceEndpoints: props.serviceEndpoints && props.serviceEndpoints.endpoints.length > 0
          ? [...props.serviceEndpoints.endpoints] : undefined,
        provider: props.provider,
      });
      mark(this.subnet, marker);
      this.id = this.subnet.id;
      this.networkSecurityGroupAssociation = new SubnetNetworkSecurityGroupAssociation(this, 'nsg-association', {
        subnetId: this.id,
        networkSecurityGroupId: nsg ? nsg.id : (props.networkSecurityGroupId as string),
        provider: props.provider,
      });
    } catch (error) {
      throw failed(scope, id, this.node.path, error);
    }
  }
}

function resolveSubnetProps(check: PropChecker, props: ApimSubnetProps) {
  if (!check.object('props', props, true)) {
    check.throwIfAny();
  }
  check.string('resourceGroupName', props.resourceGroupName, { required: true, allowToken: true });
  check.string('virtualNetworkName', props.virtualNetworkName, { required: true, allowToken: true });
  const location = check.location('location', props.location) ?? '';
  const mode = check.enumValue('virtualNetworkType', props.virtualNetworkType, ApimVirtualNetworkType, { enumName: 'ApimVirtualNetworkType' });
  const sku = check.enumValue('sku', props.sku, ApimSku, { enumName: 'ApimSku', default: ApimSku.PREMIUM });
  const capacity = sku ? checkCapacity(check, 'capacity', props.capacity, sku) : undefined;
  const name = check.string('name', props.name, { required: false }) ?? 'snet-apim';
  if (typeof props.name === 'string' && !SUBNET_NAME.test(props.name)) {
    check.add(ApimNetworkErrorCode.INVALID_NAME, 'name', props.name, 'it is not a valid subnet name',
      '1-80 letters, digits, "_", "." or "-", starting with a letter or digit and ending with a letter, digit or "_"');
  }
  const cidr = checkSubnetPrefix(check, 'addressPrefix', props.addressPrefix,
    sku && mode && capacity !== undefined ? { sku, capacity, mode } : undefined);
  const hasNsg = props.networkSecurityGroup !== undefined;
  const hasNsgId = props.networkSecurityGroupId !== undefined;
  if (hasNsg === hasNsgId) {
    check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, 'networkSecurityGroup/networkSecurityGroupId',
      hasNsg ? '(both given)' : undefined, hasNsg ? 'both are given' : 'neither is given: APIM requires an NSG on its subnet',
      'give exactly one of them');
  } else if (hasNsg) {
    const nsg = props.networkSecurityGroup;
    if (!(nsg instanceof ApimNetworkSecurityGroup)) {
      check.add(ApimNetworkErrorCode.INVALID_TYPE, 'networkSecurityGroup', '(object)', 'it is not an ApimNetworkSecurityGroup',
        'pass an ApimNetworkSecurityGroup, or the ID of your own NSG as networkSecurityGroupId');
    } else if (mode && nsg.virtualNetworkType !== mode) {
      check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, 'networkSecurityGroup', nsg.node.path,
        `the NSG carries the rules for ${nsg.virtualNetworkType} mode, the subnet is for ${mode} mode`,
        'build the NSG with the same virtualNetworkType as the subnet');
    } else if (location !== '' && nsg.location !== location) {
      check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, 'networkSecurityGroup', nsg.node.path,
        `the NSG is in ${nsg.location}, the subnet in ${location}; Azure associates only NSGs of the subnet's region`,
        'use an NSG of the same location');
    }
  } else {
    check.string('networkSecurityGroupId', props.networkSecurityGroupId, { required: true, allowToken: true });
  }
  if (props.serviceEndpoints !== undefined) {
    if (!(props.serviceEndpoints instanceof ApimServiceEndpoints)) {
      check.add(ApimNetworkErrorCode.INVALID_TYPE, 'serviceEndpoints', '(object)', 'it is not an ApimServiceEndpoints',
        'pass an ApimServiceEndpoints construct');
    } else if (location !== '' && props.serviceEndpoints.location !== location) {
      check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, 'serviceEndpoints', props.serviceEndpoints.node.path,
        `the endpoints were decided for ${props.serviceEndpoints.location}, the subnet is in ${location}`,
        'build ApimServiceEndpoints with the subnet\'s location');
    }
  }
  check.provider('provider', props.provider);
  return {
    location,
    name,
    mode: mode ?? ApimVirtualNetworkType.EXTERNAL,
    sku: sku ?? ApimSku.PREMIUM,
    capacity: capacity ?? 1,
    prefix: cidr?.text ?? '',
  };
}
