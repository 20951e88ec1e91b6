import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { fitAzureName } from '../core/azure-names';
import { DNS_LABEL_RULES, defaultDnsLabel, dnsLabelProblem } from '../core/dns-label';
import { ApimNetworkErrorCode } from '../core/errors';
import { ALL_ZONES, zonesOf } from '../core/locations';
import { NetworkMarker } from '../core/marker';
import { ApimTaggedResourceProps } from './resource-props';
import { addWarnings } from '../cdktf/annotate';
import { mark } from './private/marker';
import { checkZones } from './private/network-props';
import { PlanHandOff, PropChecker, checkedScope, failed, isReference, validate } from './private/props';

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
   * Build a public IP from a plan its parent validated.
   *
   * @internal
   */
  public static _fromPlan(scope: Construct, id: string, plan: PublicIpPlan): ApimPublicIp {
    return HAND_OFF.build(plan, () => new ApimPublicIp(scope, id, undefined as unknown as ApimPublicIpProps));
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
      const plan = handed ?? validate(this.node.path, (check) => planStandalonePublicIp(check, props));
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
    } catch (error) {
      throw failed(scope, id, this.node.path, error);
    }
  }
}

function planStandalonePublicIp(check: PropChecker, props: ApimPublicIpProps): PublicIpPlan {
  if (!check.object('props', props, true)) {
    check.throwIfAny();
  }
  const resourceGroupName = check.azureName('resource group', 'resourceGroupName', props.resourceGroupName, { required: true, allowToken: true }) ?? '';
  const location = check.location('location', props.location) ?? '';
  const apiManagementName = check.azureName('API Management service', 'apiManagementName', props.apiManagementName, { required: false, allowToken: true });
  if (props.domainNameLabel === undefined && props.apiManagementName === undefined) {
    check.add(ApimNetworkErrorCode.MISSING_PROP, 'domainNameLabel/apiManagementName', undefined,
      'neither is given; APIM needs a DNS label on its public IP', 'give domainNameLabel, or apiManagementName to derive it');
  }
  const plan = planPublicIp(check, '', props, {
    location, resourceGroupName, apiManagementName, apimZones: [], tags: check.tags('tags', props.tags), provider: check.provider('provider', props.provider),
  });
  return { ...plan, notes: [...check.warnings] };
}

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
    const problem = label === '' || isReference(label) ? undefined : dnsLabelProblem(label);
    if (problem) {
      check.add(ApimNetworkErrorCode.INVALID_DNS_LABEL, labelProp, label, problem, DNS_LABEL_RULES);
    }
  } else if (apiManagementName !== undefined && isReference(apiManagementName)) {
    check.add(ApimNetworkErrorCode.UNRESOLVED_TOKEN, labelProp, undefined,
      'the default label is the APIM name, which is a reference resolved only at apply time here',
      'give domainNameLabel explicitly (a literal or a reference)');
  } else if (apiManagementName !== undefined) {
    label = defaultDnsLabel(apiManagementName);
    const problem = dnsLabelProblem(label);
    if (problem) {
      check.add(ApimNetworkErrorCode.INVALID_DNS_LABEL, labelProp, label, `the label derived from apiManagementName "${apiManagementName}" ${problem}`,
        `give domainNameLabel explicitly: ${DNS_LABEL_RULES}`);
    }
  }
  const base = apiManagementName ?? 'apim';
  const name = check.azureName('public IP', `${prefix}name`, options.name, { required: false, allowToken: true })
    ?? (isReference(base) ? `pip-${base}-${location}` : fitAzureName('public IP', 'pip-', base, `-${location}`));
  const regionZones = zonesOf(location);
  let zones: string[];
  if (options.zones !== undefined) {
    zones = checkZones(check, `${prefix}zones`, options.zones) ?? [];
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
  const protect = check.boolean(`${prefix}protectFromDestroy`, options.protectFromDestroy, true);
  return { name, location, resourceGroupName: where.resourceGroupName, label, zones, protect, provider: where.provider, tags: where.tags, notes: [] };
}
