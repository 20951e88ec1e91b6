import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import type * as ARecordModule from '@cdktf/provider-azurerm/lib/private-dns-a-record';
import type * as ZoneModule from '@cdktf/provider-azurerm/lib/private-dns-zone';
import type * as LinkModule from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { TerraformProvider, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import { ApimNetworkErrorCode, renderValue } from '../core/errors';
import { normalizeLocation } from '../core/locations';
import { ApimHostKind, ApimHostName, apimHostNames, hostNameProblem } from '../core/private-dns';
import { PropChecker, attempt, checkedScope, failed, isReference, kindOf, raise, validate } from './private/props';
import { PRIVATE_DNS_CUSTOM_DOMAIN, PRIVATE_DNS_PROPS, PRIVATE_DNS_VIRTUAL_NETWORK } from './private/structs';

/**
 * A virtual network the private DNS zones are linked to.
 */
export interface ApimPrivateDnsVirtualNetwork {
  /**
   * Stable key of the link, used in its construct id and name (`vnet-<key>`), e.g. the location `westeurope`: 1-76
   * letters, digits, "_", "." or "-".
   */
  readonly key: string;

  /**
   * ID of the virtual network. A reference such as `vnet.id` is fine.
   */
  readonly virtualNetworkId: string;
}

/**
 * A custom domain of the APIM instance that should resolve to its private address.
 */
export interface ApimPrivateDnsCustomDomain {
  /**
   * The host name, e.g. `api.contoso.com` (exact: a zone of that name is created with the record `@`).
   */
  readonly hostName: string;

  /**
   * The location whose private address the host resolves to (for a regional custom domain).
   *
   * @default - the primary location
   */
  readonly location?: string;
}

/**
 * Options of `MultiRegionApimNetwork.privateDns()`.
 */
export interface ApimNetworkPrivateDnsOptions {
  /**
   * Resource group of the private DNS zones.
   *
   * @default - the network's resource group
   */
  readonly resourceGroupName?: string;

  /**
   * More virtual networks to link every zone to, besides each location's network (a hub whose DNS resolver answers
   * for the spokes and on-premises, for example).
   *
   * @default - none
   */
  readonly additionalVirtualNetworks?: ApimPrivateDnsVirtualNetwork[];

  /**
   * Custom domains that should resolve to a private address too.
   *
   * @default - none
   */
  readonly customDomains?: ApimPrivateDnsCustomDomain[];

  /**
   * Time to live of the records, in seconds.
   *
   * @default 300
   */
  readonly ttl?: number;
}

/**
 * Props of `ApimPrivateDns`.
 */
export interface ApimPrivateDnsProps {
  /**
   * The APIM instance, in Internal mode and with its locations set (create this construct after `network.connect(apim)`).
   * Its name must be a literal: it decides the zone names.
   */
  readonly apiManagement: ApiManagement;

  /**
   * Resource group of the private DNS zones. A reference such as `resourceGroup.name` is fine.
   */
  readonly resourceGroupName: string;

  /**
   * The virtual networks every zone is linked to: at least each location's network, and any network whose clients
   * call the instance by name (a hub with a DNS resolver, for example).
   */
  readonly virtualNetworks: ApimPrivateDnsVirtualNetwork[];

  /**
   * Custom domains that should resolve to a private address too.
   *
   * @default - none
   */
  readonly customDomains?: ApimPrivateDnsCustomDomain[];

  /**
   * Time to live of the records, in seconds. The private address changes when the subnet, mode or zones change.
   *
   * @default 300
   */
  readonly ttl?: number;

  /**
   * The azurerm provider for the zones.
   *
   * @default - the stack's default azurerm provider
   */
  readonly provider?: TerraformProvider;

  /**
   * Tags for the zones.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };
}

const LINK_KEY = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,74}[A-Za-z0-9_])?$/;

interface ResolvedDns {
  readonly apim: ApiManagement;
  readonly resourceGroupName: string;
  readonly provider?: TerraformProvider;
  readonly tags?: { [key: string]: string };
  readonly hosts: ApimHostName[];
  readonly networks: ApimPrivateDnsVirtualNetwork[];
  readonly ttl: number;
  /** Normalised location -> index in additional_location (undefined for the primary). */
  readonly locationIndex: Map<string, number | undefined>;
}

/**
 * Private DNS for an Internal-mode APIM instance: one private DNS zone per exact host name, each with the record `@`,
 * linked to every given virtual network.
 *
 * - `<name>.azure-api.net` (gateway), `<name>.portal.`, `<name>.developer.`, `<name>.management.` and `<name>.scm.`
 *   resolve to the primary location's private address;
 * - each location's regional gateway `<name>-<location>-01.regional.azure-api.net` resolves to that location's private
 *   address;
 * - custom domains, when given, to the primary's (or the chosen location's) private address.
 *
 * The addresses are the APIM resource's `private_ip_addresses` (and each `additional_location`'s), known after apply.
 * It never creates a zone for `azure-api.net` itself: Azure refuses that name, and such a zone would answer for every
 * other APIM instance's host names too.
 *
 * @example
 * network.connect(apim);
 * new ApimPrivateDns(this, 'dns', {
 *   apiManagement: apim,
 *   resourceGroupName: 'rg-apim',
 *   virtualNetworks: network.regions.map((r) => ({ key: r.location, virtualNetworkId: r.virtualNetwork!.id })),
 * });
 */
export class ApimPrivateDns extends Construct {
  /** The host names that resolve privately, in zone order. */
  public readonly hostNames: string[];
  /** The `azurerm_private_dns_zone` resources, in the order of `hostNames`. */
  public readonly zones: ZoneModule.PrivateDnsZone[];

  public constructor(scope: Construct, id: string, props: ApimPrivateDnsProps) {
    super(checkedScope(scope, id), id);
    try {
      let resolved!: ResolvedDns;
      validate(this.node.path, (check) => {
        resolved = resolveDnsProps(check, scope, props);
      });
      const apim = resolved.apim;
      this.hostNames = resolved.hosts.map((h) => h.hostName);
      this.zones = resolved.hosts.map((host) => {
        const index = resolved.locationIndex.get(host.location);
        const addresses = index === undefined ? apim.privateIpAddresses : apim.additionalLocation.get(index).privateIpAddresses;
        return renderZone(new Construct(this, host.key), host.hostName, addresses, resolved);
      });
    } catch (error) {
      raise(failed(scope, id, this.node.path, error));
    }
  }
}

function renderZone(scope: Construct, hostName: string, addresses: string[], resolved: ResolvedDns): ZoneModule.PrivateDnsZone {
  const { resourceGroupName, provider, tags } = resolved;
  // The provider's modules load with the first zone (most networks have no private DNS).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { PrivateDnsZone } = require('@cdktf/provider-azurerm/lib/private-dns-zone') as typeof ZoneModule;
  const { PrivateDnsARecord } = require('@cdktf/provider-azurerm/lib/private-dns-a-record') as typeof ARecordModule;
  const { PrivateDnsZoneVirtualNetworkLink } = require('@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link') as typeof LinkModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const zone = new PrivateDnsZone(scope, 'zone', { name: hostName, resourceGroupName, tags, provider });
  new PrivateDnsARecord(scope, 'record', {
    name: '@', zoneName: zone.name, resourceGroupName, ttl: resolved.ttl, records: addresses, provider,
  });
  for (const network of resolved.networks) {
    new PrivateDnsZoneVirtualNetworkLink(scope, `link-${network.key}`, {
      name: `vnet-${network.key}`, resourceGroupName, privateDnsZoneName: zone.name,
      virtualNetworkId: network.virtualNetworkId, registrationEnabled: false, provider,
    });
  }
  return zone;
}

function resolveDnsProps(check: PropChecker, scope: Construct, input: ApimPrivateDnsProps): ResolvedDns {
  const props = check.struct('', input, PRIVATE_DNS_PROPS, true);
  if (!props) {
    return check.throwIfAny() as never;
  }
  const resourceGroupName = check.azureName('resource group', 'resourceGroupName', props.resourceGroupName, { required: true, allowToken: true }) ?? '';
  const provider = check.provider('provider', props.provider, scope);
  const tags = check.tags('tags', props.tags);
  const ttl = checkTtl(check, 'ttl', props.ttl);
  const apimInfo = checkApim(check, props.apiManagement);
  const networks = checkNetworks(check, 'virtualNetworks', props.virtualNetworks, []);
  const hosts = checkHosts(check, 'customDomains', props.customDomains, apimInfo);
  return { apim: props.apiManagement as ApiManagement, resourceGroupName, provider, tags, hosts, networks, ttl,
    locationIndex: new Map<string, number | undefined>((apimInfo?.locations ?? []).map((l, i) => [l, i === 0 ? undefined : i - 1])) };
}

/**
 * Check what `MultiRegionApimNetwork.privateDns(options)` adds to the network's own props for `ApimPrivateDns`, under
 * the names the user wrote (`privateDns(options).additionalVirtualNetworks[0]`): the extra networks (none may be one
 * of the network's own, `own`), the custom domains and the TTL.
 */
export function checkNetworkPrivateDnsOptions(check: PropChecker, given: Partial<Record<keyof ApimNetworkPrivateDnsOptions, unknown>>,
  apim: ApiManagement, own: readonly ApimPrivateDnsVirtualNetwork[]): { additionalVirtualNetworks: ApimPrivateDnsVirtualNetwork[]; customDomains?: ApimPrivateDnsCustomDomain[] } {
  const prefix = 'privateDns(options).';
  if (given.resourceGroupName !== undefined) {
    check.azureName('resource group', `${prefix}resourceGroupName`, given.resourceGroupName, { required: true, allowToken: true });
  }
  checkTtl(check, `${prefix}ttl`, given.ttl);
  const additionalVirtualNetworks = given.additionalVirtualNetworks === undefined ? []
    : checkNetworks(check, `${prefix}additionalVirtualNetworks`, given.additionalVirtualNetworks, own);
  const scratch = new PropChecker(check.path);
  const hosts = checkHosts(check, `${prefix}customDomains`, given.customDomains, checkApim(scratch, apim));
  // The copies, so that the child reads what was checked (each prop is read once).
  const customDomains = given.customDomains === undefined ? undefined
    : hosts.filter((h) => h.kind === ApimHostKind.CUSTOM).map((h) => ({ hostName: h.hostName, location: h.location }));
  return { additionalVirtualNetworks, customDomains };
}

function checkTtl(check: PropChecker, prop: string, value: unknown): number {
  return check.integer(prop, value, { min: 1, max: 2147483647, default: 300, need: 'it is checked against Azure\'s range at synth time' }) ?? 300;
}

/** The instance's host names and the custom domains (`prop`), each custom one refused when it is a default one. */
function checkHosts(check: PropChecker, prop: string, value: unknown, apimInfo: { name: string; locations: string[] } | undefined): ApimHostName[] {
  const custom = value === undefined ? [] : checkCustomDomains(check, prop, value, apimInfo?.locations);
  if (!apimInfo) {
    return [];
  }
  const hosts = apimHostNames(apimInfo.name, apimInfo.locations);
  const builtIn = new Set(hosts.map((h) => h.hostName));
  custom.forEach((domain) => {
    if (builtIn.has(domain.hostName)) {
      check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, `${prop}[${domain.index}].hostName`, domain.hostName,
        'it is one of the default host names, which get a zone already', 'remove it');
    }
  });
  return [...hosts, ...custom.map(({ index: _index, ...host }) => host)];
}

function checkApim(check: PropChecker, apim: unknown): { name: string; locations: string[] } | undefined {
  const prop = 'apiManagement';
  if (!(apim instanceof ApiManagement)) {
    check.add(apim === undefined ? ApimNetworkErrorCode.MISSING_PROP : ApimNetworkErrorCode.INVALID_TYPE, prop,
      apim === undefined ? apim : `(${kindOf(apim)})`, 'it is not an ApiManagement resource',
      'pass the ApiManagement from @cdktf/provider-azurerm/lib/api-management');
    return undefined;
  }
  const at = `${prop} (${apim.node.path})`;
  const before = check.problems.length;
  const name = apim.nameInput;
  if (name === undefined || isReference(name)) {
    check.add(ApimNetworkErrorCode.UNRESOLVED_TOKEN, `${at}.name`, name === undefined ? undefined : '(a token)',
      'the zone names are made from the instance name, which must be known at synth time', 'give the ApiManagement a literal name');
  }
  const mode = apim.virtualNetworkTypeInput;
  if (mode === undefined) {
    check.add(ApimNetworkErrorCode.APIM_MISMATCH, `${at}.virtualNetworkType`, mode,
      'the instance is not injected into a virtual network yet', 'call network.connect(apim) before creating ApimPrivateDns');
  } else if (isReference(mode)) {
    check.add(ApimNetworkErrorCode.UNRESOLVED_TOKEN, `${at}.virtualNetworkType`, '(a token)', 'the mode must be known at synth time',
      'set virtualNetworkType to the literal "Internal" (connect() does)');
  } else if (mode !== 'Internal') {
    check.add(ApimNetworkErrorCode.MODE_NOT_SUPPORTED, `${at}.virtualNetworkType`, mode,
      `in ${mode} mode APIM's host names are in public DNS; private zones would hide them from the virtual networks`,
      'use private DNS with Internal mode only');
  }
  const primary = apim.locationInput;
  if (primary === undefined || isReference(primary)) {
    check.add(ApimNetworkErrorCode.UNRESOLVED_TOKEN, `${at}.location`, primary === undefined ? undefined : '(a token)',
      'the regional host names are made from the locations, which must be known at synth time', 'give the ApiManagement a literal location');
  }
  const additional = apim.additionalLocationInput;
  const locations = typeof primary === 'string' ? [normalizeLocation(primary)] : [];
  if (additional !== undefined && !Array.isArray(additional)) {
    check.add(ApimNetworkErrorCode.UNRESOLVED_TOKEN, `${at}.additionalLocation`, '(a token)',
      'the additional locations must be known at synth time', 'set them as a literal list (connect() does)');
  }
  (Array.isArray(additional) ? additional : []).forEach((block, i) => {
    const location = block?.location;
    if (typeof location !== 'string' || isReference(location)) {
      check.add(ApimNetworkErrorCode.UNRESOLVED_TOKEN, `${at}.additionalLocation[${i}].location`, renderValue(location),
        'the regional host names are made from the locations, which must be known at synth time', 'give a literal location');
    } else {
      locations.push(normalizeLocation(location));
    }
  });
  return check.problems.length > before ? undefined : { name: (name as string).toLowerCase(), locations };
}

/** What a literal virtual network ID looks like (Azure compares IDs case-insensitively). */
const VNET_ID = /^\/subscriptions\/[^/\s]+\/resourceGroups\/[^/\s]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/\s]+$/i;

/**
 * Which virtual network an ID names, to find one linked twice: a literal ID case-insensitively, a reference by the
 * attribute it reads (`vnet.id` read twice gives two tokens of one reference), anything else as written.
 */
function networkIdentity(id: string): string {
  if (!isReference(id)) {
    return `id:${id.trim().toLowerCase()}`;
  }
  const reference = attempt(() => {
    const tokens = Tokenization.reverseString(id);
    const first = tokens.firstToken as { identifier?: unknown; originStack?: { node?: { path?: unknown } } } | undefined;
    // One token and nothing around it (`a${vnet.id}` is another text): the reference it is.
    return tokens.length === 1 && tokens.literals.length === 0 && first && typeof first.identifier === 'string'
      ? `ref:${String(first.originStack?.node?.path ?? '')}:${first.identifier}` : undefined;
  });
  return (reference.ok ? reference.value : undefined) ?? `token:${id}`;
}

/**
 * The virtual networks to link (`prop`), each once, by key and by network; `own` are networks linked already (the
 * network's own, when `privateDns()` checks its extra ones), which no entry may repeat.
 */
function checkNetworks(check: PropChecker, prop: string, value: unknown, own: readonly ApimPrivateDnsVirtualNetwork[]): ApimPrivateDnsVirtualNetwork[] {
  const what = own.length > 0 ? 'give a list of { key, virtualNetworkId }' : 'give every location\'s virtual network, as { key, virtualNetworkId }';
  if (value === undefined) {
    check.add(ApimNetworkErrorCode.MISSING_PROP, prop, value, 'it is required', what);
    return [];
  }
  const list = check.list(prop, value, { nonEmpty: own.length === 0, what }) ?? [];
  const keys = new Map<string, string>(own.map((n) => [n.key.toLowerCase(), `the network's own virtual network in ${n.key}`]));
  const ids = new Map<string, string>(own.map((n) => [networkIdentity(n.virtualNetworkId), `the network's own virtual network in ${n.key}`]));
  const out: ApimPrivateDnsVirtualNetwork[] = [];
  list.forEach((entry, index) => {
    const at = `${prop}[${index}]`;
    const network = check.struct(at, entry, PRIVATE_DNS_VIRTUAL_NETWORK, true);
    if (!network) {
      return;
    }
    const key = check.string(`${at}.key`, network.key, { required: true, need: 'the key is part of the link\'s construct id and name' });
    const id = check.string(`${at}.virtualNetworkId`, network.virtualNetworkId, { required: true, allowToken: true });
    let ok = key !== undefined && id !== undefined;
    if (key !== undefined && !LINK_KEY.test(key)) {
      check.add(ApimNetworkErrorCode.INVALID_NAME, `${at}.key`, key, 'it cannot be part of a link name',
        '1-76 letters, digits, "_", "." or "-", starting with a letter or digit and ending with a letter, digit or "_"');
      ok = false;
    } else if (key !== undefined && keys.has(key.toLowerCase())) {
      const other = keys.get(key.toLowerCase())!;
      check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, `${at}.key`, key, `${other} has the same key`, 'give every virtual network its own key');
      ok = false;
    }
    if (id !== undefined && !isReference(id) && !VNET_ID.test(id.trim())) {
      check.add(ApimNetworkErrorCode.INVALID_TYPE, `${at}.virtualNetworkId`, id, 'it is not a virtual network ID',
        'give the ID as "/subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>", or a reference such as vnet.id');
      ok = false;
    } else if (id !== undefined && ids.has(networkIdentity(id))) {
      check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, `${at}.virtualNetworkId`, isReference(id) ? '(a reference)' : id,
        `it names the same virtual network as ${ids.get(networkIdentity(id))}; Azure refuses a second link of one virtual network to a zone (Conflict)`,
        own.length > 0 ? 'link each virtual network once: the network\'s own virtual networks are linked already' : 'link each virtual network once');
      ok = false;
    }
    if (ok) {
      keys.set(key!.toLowerCase(), `${prop}[${index}]`);
      ids.set(networkIdentity(id!), `${prop}[${index}]`);
      out.push({ key: key!, virtualNetworkId: id! });
    }
  });
  return out;
}

function checkCustomDomains(check: PropChecker, prop: string, value: unknown, locations: string[] | undefined): Array<ApimHostName & { index: number }> {
  const list = check.list(prop, value, { what: 'give a list of { hostName, location? }' }) ?? [];
  const out: Array<ApimHostName & { index: number }> = [];
  list.forEach((entry, index) => {
    const at = `${prop}[${index}]`;
    const domain = check.struct(at, entry, PRIVATE_DNS_CUSTOM_DOMAIN, true);
    const host = domain ? check.string(`${at}.hostName`, domain.hostName, { required: true, need: 'the zone is named after the host name' }) : undefined;
    if (!domain || host === undefined) {
      return;
    }
    const hostName = host.trim().toLowerCase().replace(/\.$/, '');
    const problem = hostNameProblem(hostName);
    if (problem) {
      check.add(ApimNetworkErrorCode.INVALID_HOST_NAME, `${at}.hostName`, host, problem.problem, problem.accepted);
      return;
    }
    if (out.some((h) => h.hostName === hostName)) {
      check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, `${at}.hostName`, host, 'it is listed twice', 'list each host name once');
      return;
    }
    let location = locations?.[0] ?? '';
    if (domain.location !== undefined) {
      const given = check.location(`${at}.location`, domain.location);
      if (given !== undefined && locations && !locations.includes(given)) {
        check.add(ApimNetworkErrorCode.APIM_MISMATCH, `${at}.location`, domain.location, 'the APIM instance has no such location',
          `give one of ${locations.join(', ')}`);
        return;
      }
      location = given ?? location;
    }
    out.push({ key: `custom-${hostName}`, hostName, location, kind: ApimHostKind.CUSTOM, index });
  });
  return out;
}
