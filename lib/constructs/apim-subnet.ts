import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { TerraformProvider, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Ipv4Cidr, cidrContains } from '../core/cidr';
import { ApimNetworkErrorCode } from '../core/errors';
import { NetworkMarker } from '../core/marker';
import { ApimSku, ApimVirtualNetworkType } from '../core/types';
import { ApimNetworkSecurityGroup } from './apim-network-security-group';
import { ApimServiceEndpoints } from './apim-service-endpoints';
import { ApimResourceProps } from './resource-props';
import { registerDefaultChecks } from './private/checks-hook';
import { addWarnings } from '../cdktf/annotate';
import { mark } from './private/marker';
import { NameClaim, checkNames, claimNames } from './private/names';
import { checkCapacity, checkSubnetPrefix } from './private/network-props';
import { checkAddressSpace } from './private/prefix-props';
import { PlanHandOff, PropChecker, checkedScope, failed, raise, validate } from './private/props';
import { SUBNET_PROPS } from './private/structs';

/**
 * Props of `ApimSubnet`.
 */
export interface ApimSubnetProps extends ApimResourceProps {
  /**
   * Name of the virtual network the subnet is created in. A reference such as `vnet.name` is fine.
   */
  readonly virtualNetworkName: string;

  /**
   * Address space of that virtual network, when it is not built in this stack (an existing network): the prefix is
   * checked to lie inside it, and the checks read it to decide the prefix rules instead of reporting them unknown.
   *
   * @default - unknown here (the checks read the address space of a virtual network in the same stack)
   */
  readonly virtualNetworkAddressSpace?: string[];

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
   * Subnet name (1-80 letters, digits, `_`, `.` and `-`, starting with a letter or digit and ending with a letter,
   * digit or `_`). A reference is fine.
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

  /**
   * Register `ApimNetworkChecks` on this construct's stack, so `cdktf synth` fails on a broken APIM network anywhere
   * in the stack (the checks run once per stack, however many constructs register them).
   *
   * @default true
   */
  readonly checks?: boolean;
}

/** Everything one APIM subnet is built from. */
export interface SubnetPlan {
  readonly name: string;
  readonly resourceGroupName: string;
  readonly virtualNetworkName: string;
  readonly virtualNetworkAddressSpace?: string[];
  readonly location: string;
  readonly mode: ApimVirtualNetworkType;
  readonly sku: ApimSku;
  readonly capacity: number;
  readonly prefix: string;
  readonly endpoints: readonly string[];
  readonly networkSecurityGroupId: string;
  readonly multiRegion: boolean;
  readonly primaryLocation: string;
  readonly provider?: TerraformProvider;
  readonly checks: boolean;
  /** Warnings the subnet shows when it is built on its own. */
  readonly notes: readonly string[];
  /** The names it takes, when it is built on its own. */
  readonly claims?: readonly NameClaim[];
}

const HAND_OFF = new PlanHandOff<SubnetPlan>();

/**
 * A subnet for API Management: no delegation (classic tiers refuse one), one IPv4 prefix checked for size, and
 * associated with an NSG.
 *
 * @see https://learn.microsoft.com/azure/api-management/virtual-network-injection-resources
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
  /**
   * Leave a plan its parent validated for the constructor call whose props this is:
   * `new ApimSubnet(scope, id, ApimSubnet._handOff(plan))`. The parent calls the constructor itself, so no frame of a factory
   * sits between it and the provider's constructors (every cdktf token they make records the whole call stack).
   *
   * @internal
   */
  public static _handOff(plan: SubnetPlan): ApimSubnetProps {
    HAND_OFF.give(plan);
    return undefined as unknown as ApimSubnetProps;
  }

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
    const handed = HAND_OFF.take();
    super(checkedScope(scope, id), id);
    try {
      const plan = handed ?? validate(this.node.path, (check) => planStandaloneSubnet(check, this, props));
      this.location = plan.location;
      this.addressPrefix = plan.prefix;
      this.subnet = new Subnet(this, 'subnet', {
        name: plan.name,
        resourceGroupName: plan.resourceGroupName,
        virtualNetworkName: plan.virtualNetworkName,
        addressPrefixes: [plan.prefix],
        serviceEndpoints: plan.endpoints.length > 0 ? [...plan.endpoints] : undefined,
        provider: plan.provider,
      });
      const marker: NetworkMarker = {
        version: 1,
        role: 'subnet',
        mode: plan.mode,
        sku: plan.sku,
        capacity: plan.capacity,
        multi_region: plan.multiRegion,
        primary_location: plan.primaryLocation,
        location: plan.location,
        ...(plan.virtualNetworkAddressSpace ? { virtual_network_address_space: [...plan.virtualNetworkAddressSpace] } : {}),
      };
      mark(this.subnet, () => marker);
      this.id = this.subnet.id;
      this.networkSecurityGroupAssociation = new SubnetNetworkSecurityGroupAssociation(this, 'nsg-association', {
        subnetId: this.id,
        networkSecurityGroupId: plan.networkSecurityGroupId,
        provider: plan.provider,
      });
      if (plan.checks) {
        registerDefaultChecks(this);
      }
      addWarnings(this, plan.notes);
      claimNames(TerraformStack.of(this), this.node.path, plan.claims ?? []);
    } catch (error) {
      raise(failed(scope, id, this.node.path, error));
    }
  }
}

function planStandaloneSubnet(check: PropChecker, self: Construct, input: ApimSubnetProps): SubnetPlan {
  const props = check.struct('', input, SUBNET_PROPS, true);
  if (!props) {
    return check.throwIfAny() as never;
  }
  const resourceGroupName = check.azureName('resource group', 'resourceGroupName', props.resourceGroupName, { required: true, allowToken: true }) ?? '';
  const virtualNetworkName = check.azureName('virtual network', 'virtualNetworkName', props.virtualNetworkName, { required: true, allowToken: true }) ?? '';
  const location = check.location('location', props.location) ?? '';
  const mode = check.enumValue('virtualNetworkType', props.virtualNetworkType, ApimVirtualNetworkType, { enumName: 'ApimVirtualNetworkType', need: MODE_NEED });
  const sku = check.enumValue('sku', props.sku, ApimSku, { enumName: 'ApimSku', default: ApimSku.PREMIUM, need: SKU_NEED });
  const capacity = sku ? checkCapacity(check, 'capacity', props.capacity, sku) : undefined;
  const name = check.azureName('subnet', 'name', props.name, { required: false, allowToken: true }) ?? 'snet-apim';
  const cidr = checkSubnetPrefix(check, 'addressPrefix', props.addressPrefix,
    sku && mode && capacity !== undefined ? { sku, capacity, mode } : undefined);
  const space = props.virtualNetworkAddressSpace === undefined ? undefined
    : checkAddressSpace(check, 'virtualNetworkAddressSpace', props.virtualNetworkAddressSpace);
  checkInside(check, 'addressPrefix', cidr, space);
  let networkSecurityGroupId = '';
  let multiRegion = false;
  let primaryLocation = location;
  const hasNsg = props.networkSecurityGroup !== undefined;
  const hasNsgId = props.networkSecurityGroupId !== undefined;
  if (hasNsg === hasNsgId) {
    check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, 'networkSecurityGroup/networkSecurityGroupId',
      hasNsg ? '(both given)' : undefined, hasNsg ? 'both are given' : 'neither is given: APIM requires an NSG on its subnet',
      'give exactly one of them');
  } else if (hasNsg) {
    const nsg = props.networkSecurityGroup as ApimNetworkSecurityGroup;
    if (!(nsg instanceof ApimNetworkSecurityGroup)) {
      check.add(ApimNetworkErrorCode.INVALID_TYPE, 'networkSecurityGroup', '(object)', 'it is not an ApimNetworkSecurityGroup',
        'pass an ApimNetworkSecurityGroup, or the ID of your own NSG as networkSecurityGroupId');
    } else {
      if (mode && nsg.virtualNetworkType !== mode) {
        check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, 'networkSecurityGroup', nsg.node.path,
          `the NSG carries the rules for ${nsg.virtualNetworkType} mode, the subnet is for ${mode} mode`,
          'build the NSG with the same virtualNetworkType as the subnet');
      } else if (location !== '' && nsg.location !== location) {
        check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, 'networkSecurityGroup', nsg.node.path,
          `the NSG is in ${nsg.location}, the subnet in ${location}; Azure associates only NSGs of the subnet's region`,
          'use an NSG of the same location');
      }
      networkSecurityGroupId = nsg.id;
      multiRegion = nsg.multiRegion;
      primaryLocation = nsg.primaryLocation;
    }
  } else {
    networkSecurityGroupId = check.string('networkSecurityGroupId', props.networkSecurityGroupId, { required: true, allowToken: true }) ?? '';
  }
  let endpoints: readonly string[] = [];
  const given = props.serviceEndpoints;
  if (given !== undefined) {
    if (!(given instanceof ApimServiceEndpoints)) {
      check.add(ApimNetworkErrorCode.INVALID_TYPE, 'serviceEndpoints', '(object)', 'it is not an ApimServiceEndpoints',
        'pass ApimServiceEndpoints.forLocation({...})');
    } else if (location !== '' && given.location !== location) {
      check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, 'serviceEndpoints', given.location,
        `the endpoints were decided for ${given.location}, the subnet is in ${location}`,
        'make the service endpoints for the subnet\'s location');
    } else {
      endpoints = given.endpoints;
    }
  }
  const provider = check.provider('provider', props.provider, self);
  const checks = check.boolean('checks', props.checks, true, CHECKS_NEED);
  const claims: NameClaim[] = [{
    kind: 'subnet', scope: [{ what: 'resource group', name: resourceGroupName }, { what: 'virtual network', name: virtualNetworkName }], name,
    ...(props.name === undefined ? { prop: 'name', value: undefined, derived: true } : { prop: 'name', value: props.name, derived: false }),
  }];
  checkNames(check, TerraformStack.of(self), self.node.path, claims);
  return {
    name, resourceGroupName, virtualNetworkName, virtualNetworkAddressSpace: space?.map((c) => c.text), location,
    mode: mode ?? ApimVirtualNetworkType.EXTERNAL, sku: sku ?? ApimSku.PREMIUM, capacity: capacity ?? 1, prefix: cidr?.text ?? '',
    endpoints, networkSecurityGroupId, multiRegion, primaryLocation, provider, checks, notes: [...check.warnings], claims,
  };
}

/** Why the mode must be a literal. */
export const MODE_NEED = 'the mode decides the NSG rules and the addresses the subnet needs at synth time';
/** Why the SKU must be a literal. */
export const SKU_NEED = 'the tier decides the capacity range, zones, locations and the addresses the subnet needs at synth time';
/** Why `checks` must be a literal. */
export const CHECKS_NEED = 'it decides at synth time whether the checks are registered on the stack';

/** Report a subnet prefix outside the virtual network's address space. */
export function checkInside(check: PropChecker, prop: string, subnet: Ipv4Cidr | undefined, space: readonly Ipv4Cidr[] | undefined): void {
  if (subnet && space && !space.some((range) => cidrContains(range, subnet))) {
    check.add(ApimNetworkErrorCode.SUBNET_OUTSIDE_ADDRESS_SPACE, prop, subnet.text,
      `it is not inside the address space ${space.map((a) => a.text).join(', ')}`,
      'pick a prefix inside the address space, or widen the address space');
  }
}
