import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { TerraformProvider, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { fitAzureName } from '../core/azure-names';
import { defaultDnsLabel } from '../core/dns-label';
import { ApimNetworkErrorCode } from '../core/errors';
import { ALL_ZONES, zonesOf } from '../core/locations';
import { NetworkMarker } from '../core/marker';
import { ApimTaggedResourceProps } from './resource-props';
import { addWarnings } from '../cdktf/annotate';
import { mark } from './private/marker';
import { NameClaim, checkNames, claimNames } from './private/names';
import { checkDnsLabel, checkZones } from './private/network-props';
import { PlanHandOff, PropChecker, checkedScope, failed, isReference, raise, validate } from './private/props';
import { PUBLIC_IP_PROPS } from './private/structs';

/**
 * Props of `ApimPublicIp`.
 */
export interface ApimPublicIpProps extends ApimTaggedResourceProps {
  /**
   * DNS name label (`<label>.<region>.cloudapp.azure.com`), which APIM's host names point to. Labels are unique per
   * region, so the same label serves every region. Changing it later breaks name resolution until the APIM instance is
   * redeployed. A reference is fine.
   *
   * @default - `apiManagementName`, lower case
   */
  readonly domainNameLabel?: string;

  /**
   * Name of the APIM instance, used for the default DNS label and name. Required when `domainNameLabel` is not given.
   *
   * @default - none
   */
  readonly apiManagementName?: string;

  /**
   * Public IP name. A reference is fine.
   *
   * @default - `pip-<apiManagementName>-<location>`, or `pip-apim-<location>` without `apiManagementName`
   */
  readonly name?: string;

  /**
   * Availability zones ("1", "2", "3"). A Standard public IP without zones is not zone-redundant, and zones cannot be
   * changed once the address exists, so the default is zone-redundant wherever the region has zones. Give `[]` for no
   * zones.
   *
   * @default - `["1", "2", "3"]` in a region with availability zones; none elsewhere, and none in a location this library does not list
   */
  readonly zones?: string[];

  /**
   * Protect the address from `terraform destroy` and from replacement (lifecycle `prevent_destroy`). It is the
   * region's public VIP: losing it changes the address clients and firewalls know.
   *
   * @default true
   */
  readonly protectFromDestroy?: boolean;
}

/** Everything one public IP is built from. */
export interface PublicIpPlan {
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly label: string;
  readonly zones: string[];
  readonly protect: boolean;
  readonly provider?: TerraformProvider;
  readonly tags?: { [key: string]: string };
  /** Warnings the public IP shows when it is built on its own. */
  readonly notes: readonly string[];
  /** The names it takes, when it is built on its own. */
  readonly claims?: readonly NameClaim[];
}

const HAND_OFF = new PlanHandOff<PublicIpPlan>();

/**
 * The Standard, static, IPv4 public IP address of one APIM location, with a DNS label and, in a region with
 * availability zones, zone-redundant. No routing-preference tag (the Microsoft network default), and protected from
 * destruction by default.
 *
 * @see https://learn.microsoft.com/azure/api-management/virtual-network-injection-resources#public-ip-address
 * @example
 * new ApimPublicIp(this, 'pip', {
 *   resourceGroupName: 'rg-apim',
 *   location: 'westeurope',
 *   apiManagementName: 'contoso-apim',
 * });
 */
export class ApimPublicIp extends Construct {
  /**
   * Leave a plan its parent validated for the constructor call whose props this is:
   * `new ApimPublicIp(scope, id, ApimPublicIp._handOff(plan))`. The parent calls the constructor itself, so no frame of a factory
   * sits between it and the provider's constructors (every cdktf token they make records the whole call stack).
   *
   * @internal
   */
  public static _handOff(plan: PublicIpPlan): ApimPublicIpProps {
    HAND_OFF.give(plan);
    return undefined as unknown as ApimPublicIpProps;
  }

  /** The `azurerm_public_ip` resource. */
  public readonly publicIp: PublicIp;
  /** Its ID. */
  public readonly id: string;
  /** The DNS name label. */
  public readonly domainNameLabel: string;
  /** Normalised location. */
  public readonly location: string;
  /** Zones, sorted (empty when not zonal). */
  public readonly zones: string[];

  public constructor(scope: Construct, id: string, props: ApimPublicIpProps) {
    const handed = HAND_OFF.take();
    super(checkedScope(scope, id), id);
    try {
      const plan = handed ?? validate(this.node.path, (check) => planStandalonePublicIp(check, this, props));
      this.location = plan.location;
      this.domainNameLabel = plan.label;
      this.zones = plan.zones;
      this.publicIp = new PublicIp(this, 'public-ip', {
        name: plan.name,
        location: plan.location,
        resourceGroupName: plan.resourceGroupName,
        sku: 'Standard',
        skuTier: 'Regional',
        allocationMethod: 'Static',
        ipVersion: 'IPv4',
        domainNameLabel: plan.label,
        zones: plan.zones.length > 0 ? plan.zones : undefined,
        tags: plan.tags,
        provider: plan.provider,
        lifecycle: plan.protect ? { preventDestroy: true } : undefined,
      });
      const marker: NetworkMarker = { version: 1, role: 'public-ip', location: plan.location };
      mark(this.publicIp, () => marker);
      this.id = this.publicIp.id;
      addWarnings(this, plan.notes);
      claimNames(TerraformStack.of(this), this.node.path, plan.claims ?? []);
    } catch (error) {
      raise(failed(scope, id, this.node.path, error));
    }
  }
}

function planStandalonePublicIp(check: PropChecker, self: Construct, input: ApimPublicIpProps): PublicIpPlan {
  const props = check.struct('', input, PUBLIC_IP_PROPS, true);
  if (!props) {
    return check.throwIfAny() as never;
  }
  const resourceGroupName = check.azureName('resource group', 'resourceGroupName', props.resourceGroupName, { required: true, allowToken: true }) ?? '';
  const location = check.location('location', props.location) ?? '';
  const apiManagementName = check.azureName('API Management service', 'apiManagementName', props.apiManagementName, { required: false, allowToken: true });
  if (props.domainNameLabel === undefined && props.apiManagementName === undefined) {
    check.add(ApimNetworkErrorCode.MISSING_PROP, 'domainNameLabel/apiManagementName', undefined,
      'neither is given; APIM needs a DNS label on its public IP', 'give domainNameLabel, or apiManagementName to derive it');
  }
  const plan = planPublicIp(check, '', props, {
    location, resourceGroupName, apiManagementName, apimZones: [], tags: check.tags('tags', props.tags), provider: check.provider('provider', props.provider, self),
  });
  const from = (prop: 'name' | 'domainNameLabel') => (props[prop] === undefined
    ? { prop: props.apiManagementName === undefined ? 'location' : 'apiManagementName', value: props.apiManagementName ?? location, derived: true }
    : { prop, value: props[prop], derived: false });
  const claims = publicIpClaims(plan, from('name'), from('domainNameLabel'));
  checkNames(check, TerraformStack.of(self), self.node.path, claims);
  return { ...plan, notes: [...check.warnings], claims };
}

/** The names a public IP takes: its name in its resource group, and its DNS label in its region. */
export function publicIpClaims(plan: PublicIpPlan, name: Pick<NameClaim, 'prop' | 'value' | 'derived'>, label: Pick<NameClaim, 'prop' | 'value' | 'derived'>): NameClaim[] {
  return [
    { kind: 'public IP', scope: [{ what: 'resource group', name: plan.resourceGroupName }], name: plan.name, ...name },
    ...(plan.label === '' ? [] : [{ kind: 'public IP DNS label', scope: [{ what: 'region', name: plan.location }], name: plan.label, ...label }]),
  ];
}

/** Why public IP zones must be literals. */
const ZONES_NEED = 'the zones of a public IP cannot change once it exists, and are checked against the region and APIM\'s zones at synth time';

/**
 * Check a public IP's options and plan it; `prefix` is how the user reaches them (`regions[1].publicIp.`).
 * `apimZones` are the zones APIM uses in the location, which the public IP's zones must include.
 */
export function planPublicIp(check: PropChecker, prefix: string, options: {
  domainNameLabel?: unknown; name?: unknown; zones?: unknown; protectFromDestroy?: unknown;
}, where: {
  location: string; resourceGroupName: string; apiManagementName: string | undefined; apimZones: readonly string[];
  provider?: TerraformProvider; tags?: { [key: string]: string };
}): PublicIpPlan {
  const { location, apiManagementName } = where;
  const labelProp = `${prefix}domainNameLabel`;
  let label = '';
  if (options.domainNameLabel !== undefined) {
    label = check.string(labelProp, options.domainNameLabel, { required: true, allowToken: true }) ?? '';
    if (label !== '' && !isReference(label)) {
      checkDnsLabel(check, labelProp, label);
    }
  } else if (apiManagementName !== undefined && isReference(apiManagementName)) {
    check.add(ApimNetworkErrorCode.UNRESOLVED_TOKEN, labelProp, undefined,
      'the default label is the APIM name, which is a reference resolved only at apply time here',
      'give domainNameLabel explicitly (a literal or a reference)');
  } else if (apiManagementName !== undefined) {
    label = defaultDnsLabel(apiManagementName);
    checkDnsLabel(check, labelProp, label, `apiManagementName "${apiManagementName}"`);
  }
  const base = apiManagementName ?? 'apim';
  const name = check.azureName('public IP', `${prefix}name`, options.name, { required: false, allowToken: true })
    ?? (isReference(base) ? `pip-${base}-${location}` : fitAzureName('public IP', 'pip-', base, `-${location}`));
  const regionZones = zonesOf(location);
  let zones: string[];
  if (options.zones !== undefined) {
    zones = checkZones(check, `${prefix}zones`, options.zones, ZONES_NEED) ?? [];
    if (zones.length > 0 && regionZones !== undefined && regionZones.length === 0) {
      check.add(ApimNetworkErrorCode.INVALID_ZONE, `${prefix}zones`, options.zones, `${location} has no availability zones`,
        'remove the zones (give [] or leave them out)');
    }
    const missing = where.apimZones.filter((z) => !zones.includes(z));
    if (missing.length > 0) {
      check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, `${prefix}zones`, options.zones,
        `APIM uses zones ${where.apimZones.join(', ')} in ${location}, and its public IP must span them (it misses ${missing.join(', ')})`,
        'leave publicIp zones out (zone-redundant), or list every zone APIM uses');
    }
  } else {
    zones = [...(regionZones ?? (where.apimZones.length > 0 ? ALL_ZONES : []))];
  }
  const protect = check.boolean(`${prefix}protectFromDestroy`, options.protectFromDestroy, true,
    'it decides at synth time whether the public IP carries lifecycle prevent_destroy');
  return { name, location, resourceGroupName: where.resourceGroupName, label, zones, protect, provider: where.provider, tags: where.tags, notes: [] };
}
