import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Construct } from 'constructs';
import { defaultDnsLabel } from '../core/dns-label';
import { ApimNetworkErrorCode } from '../core/errors';
import { NetworkMarker } from '../core/marker';
import { ApimTaggedResourceProps } from './common';
import { mark } from './private/marker';
import { checkDnsLabel, checkZones } from './private/network-props';
import { PropChecker, checkedScope, failed, validate } from './private/props';

/**
 * Props of `ApimPublicIp`.
 */
export interface ApimPublicIpProps extends ApimTaggedResourceProps {
  /**
   * DNS name label (`<label>.<region>.cloudapp.azure.com`), which APIM's hostnames point to. Changing it later breaks
   * name resolution until the APIM instance is redeployed.
   *
   * @default - `<apiManagementName>-<location>`, lower case
   */
  readonly domainNameLabel?: string;

  /**
   * Name of the APIM instance, used for the default DNS label and name. Required when `domainNameLabel` is not given.
   *
   * @default - none
   */
  readonly apiManagementName?: string;

  /**
   * Public IP name.
   *
   * @default - `pip-<apiManagementName>-<location>`, or `pip-apim-<location>` without `apiManagementName`
   */
  readonly name?: string;

  /**
   * Availability zones ("1", "2", "3"). Give the zones when the APIM location uses zones: a Standard public IP without
   * zones is not zone-redundant, and zones cannot be changed once the address exists.
   *
   * @default - no zones
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

const PIP_NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;

/**
 * The Standard, static, IPv4 public IP address of one APIM location, with a DNS label and, when the location uses
 * them, availability zones. No routing-preference tag (the Microsoft network default), and protected from destruction
 * by default.
 *
 * @example
 * new ApimPublicIp(this, 'pip', {
 *   resourceGroupName: 'rg-apim',
 *   location: 'westeurope',
 *   apiManagementName: 'contoso-apim',
 *   zones: ['1', '2', '3'],
 * });
 */
export class ApimPublicIp extends Construct {
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
    super(checkedScope(scope, id), id);
    try {
      let resolved!: { location: string; label: string; name: string; zones: string[]; protect: boolean };
      validate(this.node.path, (check) => {
        resolved = resolvePublicIpProps(check, props);
      });
      this.location = resolved.location;
      this.domainNameLabel = resolved.label;
      this.zones = resolved.zones;
      const marker = (): NetworkMarker => ({ version: 1, role: 'public-ip' });
      this.publicIp = new PublicIp(this, 'public-ip', {
        name: resolved.name,
        location: resolved.location,
        resourceGroupName: props.resourceGroupName,
        sku: 'Standard',
        skuTier: 'Regional',
        allocationMethod: 'Static',
        ipVersion: 'IPv4',
        domainNameLabel: resolved.label,
        zones: resolved.zones.length > 0 ? resolved.zones : undefined,
        tags: props.tags,
        provider: props.provider,
        lifecycle: resolved.protect ? { preventDestroy: true } : undefined,
      });
      mark(this.publicIp, marker);
      this.id = this.publicIp.id;
    } catch (error) {
      throw failed(scope, id, this.node.path, error);
    }
  }
}

function resolvePublicIpProps(check: PropChecker, props: ApimPublicIpProps) {
  if (!check.object('props', props, true)) {
    check.throwIfAny();
  }
  check.string('resourceGroupName', props.resourceGroupName, { required: true, allowToken: true });
  const location = check.location('location', props.location) ?? '';
  const apimName = check.string('apiManagementName', props.apiManagementName, { required: false });
  let label = '';
  if (props.domainNameLabel !== undefined) {
    label = check.string('domainNameLabel', props.domainNameLabel, { required: true }) ?? '';
    if (label !== '') {
      checkDnsLabel(check, 'domainNameLabel', label);
    }
  } else if (apimName === undefined) {
    if (props.apiManagementName === undefined) {
      check.add(ApimNetworkErrorCode.MISSING_PROP, 'domainNameLabel/apiManagementName', undefined,
        'neither is given; APIM needs a DNS label on its public IP', 'give domainNameLabel, or apiManagementName to derive it');
    }
  } else if (location !== '') {
    label = defaultDnsLabel(apimName, location);
    checkDnsLabel(check, 'domainNameLabel', label, `apiManagementName "${apimName}" and location "${location}"`);
  }
  const name = check.string('name', props.name, { required: false }) ??
    (apimName ? `pip-${apimName}-${location}` : `pip-apim-${location}`);
  if (!PIP_NAME.test(name)) {
    check.add(ApimNetworkErrorCode.INVALID_NAME, 'name', name, 'it is not a valid public IP name',
      '1-80 letters, digits, "_", "." or "-", starting with a letter or digit and ending with a letter, digit or "_"');
  }
  const zones = checkZones(check, 'zones', props.zones) ?? [];
  const protect = check.boolean('protectFromDestroy', props.protectFromDestroy, true);
  check.tags('tags', props.tags);
  check.provider('provider', props.provider);
  return { location, label, name, zones, protect };
}
