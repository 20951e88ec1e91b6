import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { ITerraformDependable, TerraformOutput, TerraformProvider, TerraformResource, TerraformStack, Token, dependable } from 'cdktf';
import { Construct } from 'constructs';
import { cidrOverlaps } from '../core/cidr';
import { ApimNetworkErrorCode, renderValue } from '../core/errors';
import { normalizeLocation } from '../core/locations';
import { compareCodeUnits } from '../core/order';
import { parseSkuName } from '../core/sku-name';
import { ApimSku, ApimVirtualNetworkType } from '../core/types';
import { ApimNetworkPrivateDnsOptions, ApimPrivateDns, checkNetworkPrivateDnsOptions } from './apim-private-dns';
import { ApimRegionalNetwork, RegionPlan, SharedRegionSettings, planRegion } from './apim-regional-network';
import { ApimNsgOptions, ApimRegionOptions } from './region-options';
import { addWarnings } from '../cdktf/annotate';
import { extendSuppressions } from '../cdktf/apim-network-checks';
import { registerDefaultChecks } from './private/checks-hook';
import { NameClaim, checkNames, claimNames } from './private/names';
import { RuleProblem, planNsgSettings, reportRefused } from './private/plan-nsg';
import { warnGlobalTags } from './private/placement';
import { PropChecker, attempt, checkedScope, failed, isReference, kindOf, raise, validate } from './private/props';
import { NETWORK_PRIVATE_DNS_OPTIONS, NETWORK_PROPS, NSG_OPTIONS, REGION_OPTIONS } from './private/structs';
import { CHECKS_NEED, MODE_NEED, SKU_NEED } from './apim-subnet';

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
   * Name of the APIM instance: the base of default resource names and the default DNS label of the public IPs. A
   * reference is fine when every public IP has a `domainNameLabel` (or is off).
   */
  readonly apiManagementName: string;

  /**
   * Resource group of the network resources (virtual networks, NSGs, public IPs). A reference is fine.
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
   * Tags for the resources that take tags. A reference is fine.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };

  /**
   * Add Terraform outputs named exactly `<location>-subnet-id` and `<location>-public-ip-id` (the latter only for a
   * location with a public IP), for platform repositories that create the APIM instance elsewhere and read them from
   * remote state. One network per stack can write them.
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

/** Everything a network is built from: the validated input of every location. */
interface NetworkPlan {
  readonly mode: ApimVirtualNetworkType;
  readonly sku: ApimSku;
  readonly regions: RegionPlan[];
  readonly outputs: boolean;
  readonly checks: boolean;
  /** Where resources the network adds later (private DNS) go. */
  readonly shared: SharedRegionSettings;
  readonly notes: readonly string[];
  /** The Azure names the network's resources take. */
  readonly claims: readonly NameClaim[];
}

/** Output names claimed per stack, so two networks never write the same output. */
const CLAIMED_OUTPUTS = new WeakMap<TerraformStack, Set<string>>();

/** The network each APIM instance is connected to (one network holds every location of an instance). */
const CONNECTED = new WeakMap<object, MultiRegionApimNetwork>();

/**
 * The network of an API Management instance in one or many locations, composed from one `ApimRegionalNetwork` per
 * location, validated across locations in one pass, and wired into an `ApiManagement` with `connect()`.
 *
 * @see https://learn.microsoft.com/azure/api-management/api-management-howto-deploy-multi-region
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
  private readonly checks: boolean;
  private readonly shared: SharedRegionSettings;

  public constructor(scope: Construct, id: string, props: MultiRegionApimNetworkProps) {
    super(checkedScope(scope, id), id);
    try {
      const stack = TerraformStack.of(this);
      const claimed = CLAIMED_OUTPUTS.get(stack) ?? new Set<string>();
      const plan = validate(this.node.path, (check) => {
        const planned = planNetwork(check, this, props);
        if (planned.outputs) {
          const taken = planned.regions.map((r) => `${r.location}-subnet-id`).filter((name) => claimed.has(name));
          if (taken.length > 0) {
            check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, 'outputs', true, `another network in this stack already writes the outputs ${taken.join(', ')}`,
              'set outputs on one network per stack, or put the networks in separate stacks');
          }
        }
        return planned;
      });
      this.virtualNetworkType = plan.mode;
      this.sku = plan.sku;
      this.checks = plan.checks;
      this.shared = plan.shared;
      // A loop, not map(): each frame between here and the provider's constructors is recorded by every token they make.
      this.regions = [];
      for (const region of plan.regions) {
        this.regions.push(new ApimRegionalNetwork(this, region.location, ApimRegionalNetwork._handOff(region)));
      }
      this.primary = this.regions[0];
      if (plan.outputs) {
        for (const region of this.regions) {
          this.output(claimed, `${region.location}-subnet-id`, region.subnetId, `ID of the APIM subnet in ${region.location}`);
          if (region.publicIpId) {
            this.output(claimed, `${region.location}-public-ip-id`, region.publicIpId, `ID of the APIM public IP in ${region.location}`);
          }
        }
        CLAIMED_OUTPUTS.set(stack, claimed);
      }
      if (plan.checks) {
        registerDefaultChecks(this);
      }
      addWarnings(this, plan.notes);
      claimNames(stack, this.node.path, plan.claims);
    } catch (error) {
      raise(failed(scope, id, this.node.path, error));
    }
  }

  /**
   * Wire an `ApiManagement` into this network: `virtualNetworkType`, the primary location's subnet, public IP and
   * zones, and one `additionalLocation` per further location (location, capacity, zones, subnet, public IP). A location
   * without a public IP gets no `public_ip_address_id` (Azure then manages its address).
   *
   * When the APIM instance is in the same stack, it is made to depend on every location's NSG association, so
   * Terraform never creates or updates it before its subnets are protected (Terraform takes no dependency across
   * stacks; there the order is the stacks' order). When it is in another stack, the checks are registered on that
   * stack too (unless `checks` is off), so the instance is never left unchecked.
   *
   * It refuses an APIM whose name is not `apiManagementName` (the default names and DNS labels derive from it), whose
   * location is not the primary location, whose SKU or capacity contradicts the network's, whose `virtualNetworkType`
   * differs, that already sets its network or additional locations, that another network is connected to, or that
   * belongs to another App. It is atomic: everything is checked before anything is set, so a refused `connect()`
   * leaves both the network and the instance as they were.
   */
  public connect(apim: ApiManagement): void {
    try {
      this.wire(apim);
    } catch (error) {
      raise(failed(undefined, undefined, this.node.path, error));
    }
  }

  /**
   * Private DNS for the connected Internal-mode instance (call `connect()` first): one private DNS zone per APIM host
   * name (gateway, portal, developer portal, management, scm, and each location's regional gateway) with the record
   * `@` at the private address, each linked to every location's virtual network (see `ApimPrivateDns`). The zones go
   * under this network (`<network>/private-dns`), in the network's resource group unless another is given.
   */
  public privateDns(options: ApimNetworkPrivateDnsOptions = {}): ApimPrivateDns {
    try {
      const check = new PropChecker(this.node.path);
      if (!this.connected) {
        check.add(ApimNetworkErrorCode.APIM_MISMATCH, 'privateDns()', undefined, 'no APIM instance is connected to this network yet',
          'call network.connect(apim) first; the zones take the instance\'s name and private addresses');
      } else if (this.node.tryFindChild('private-dns')) {
        check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, 'privateDns()', this.node.path, 'the network already has its private DNS zones',
          'call privateDns() once; give every extra network or custom domain in that call');
      }
      const given = check.struct('privateDns(options)', options, NETWORK_PRIVATE_DNS_OPTIONS, false) ?? {};
      const own = this.regions.map((region) => ({ key: region.location, virtualNetworkId: region.virtualNetworkId }));
      // Checked here, under the names the user wrote, so that the child never reports them under its own props.
      const checked = this.connected ? checkNetworkPrivateDnsOptions(check, given, this.connected, own) : { additionalVirtualNetworks: [] };
      check.throwIfAny();
      return new ApimPrivateDns(this, 'private-dns', {
        apiManagement: this.connected!,
        resourceGroupName: (given.resourceGroupName as string | undefined) ?? this.shared.resourceGroupName,
        virtualNetworks: [...own, ...checked.additionalVirtualNetworks],
        customDomains: checked.customDomains,
        ttl: given.ttl as number | undefined,
        provider: this.shared.provider,
        tags: this.shared.tags,
      });
    } catch (error) {
      raise(failed(undefined, undefined, this.node.path, error));
    }
  }

  private output(claimed: Set<string>, name: string, value: string, description: string): void {
    const output = new TerraformOutput(this, name, { value, description });
    output.overrideLogicalId(name);
    claimed.add(name);
  }

  private wire(apim: ApiManagement): void {
    const check = new PropChecker(this.node.path);
    const isApim = attempt(() => apim instanceof ApiManagement || (TerraformResource.isTerraformResource(apim) &&
      (apim as TerraformResource).terraformResourceType === 'azurerm_api_management' && typeof (apim as ApiManagement).putVirtualNetworkConfiguration === 'function'));
    if (!isApim.ok || !isApim.value) {
      check.add(ApimNetworkErrorCode.INVALID_TYPE, 'connect(apim)', apim === undefined || apim === null ? apim : `(${isApim.ok ? kindOf(apim) : 'unreadable'})`,
        apim === undefined || apim === null ? 'no ApiManagement was given' : 'it is not an ApiManagement resource',
        'pass the ApiManagement from @cdktf/provider-azurerm/lib/api-management');
      check.throwIfAny();
    }
    const prop = `connect(${apim.node.path})`;
    if (apim.node.root !== this.node.root) {
      check.add(ApimNetworkErrorCode.APIM_MISMATCH, prop, '(an ApiManagement of another App)', 'a network and its instance must be synthesized in one App, where Terraform can reference one from the other',
        'create the ApiManagement in a stack of the network\'s App');
      check.throwIfAny();
    }
    const other = CONNECTED.get(apim);
    if (this.connected || other) {
      // Only this problem: the fields connect() set the first time would otherwise be reported as set by the user.
      check.add(ApimNetworkErrorCode.APIM_MISMATCH, prop, (this.connected ?? other!).node.path, this.connected
        ? `this network is already connected to ${this.connected.node.path}` : `the APIM instance is already connected to the network ${other!.node.path}`,
      this.connected ? 'use one MultiRegionApimNetwork per APIM instance' : 'connect an instance to one network: one MultiRegionApimNetwork holds all of its locations');
      check.throwIfAny();
    }
    const name = apim.nameInput;
    const expected = this.shared.apiManagementName;
    if (typeof name === 'string' && !isReference(name) && expected !== undefined && !isReference(expected) && name.toLowerCase() !== expected.toLowerCase()) {
      check.add(ApimNetworkErrorCode.APIM_MISMATCH, `${prop}.name`, name,
        `the network was built for the APIM instance "${expected}" (apiManagementName): its default resource names and public IP DNS labels derive from that name`,
        `name the instance "${expected}", or build the network with apiManagementName "${name}"`);
    }
    const location = apim.locationInput;
    if (location !== undefined && !Token.isUnresolved(location) && normalizeLocation(location) !== this.primary.location) {
      check.add(ApimNetworkErrorCode.APIM_MISMATCH, `${prop}.location`, location,
        `the APIM instance is not in the primary location ${this.primary.location}`,
        `create the APIM in ${this.primary.location}, or list its location first in regions`);
    }
    const skuName = apim.skuNameInput;
    if (skuName !== undefined && !Token.isUnresolved(skuName)) {
      const sku = parseSkuName(skuName);
      if (!sku || sku.tier !== this.sku) {
        check.add(ApimNetworkErrorCode.APIM_MISMATCH, `${prop}.skuName`, skuName, `the network was built for ${this.sku}`,
          `use skuName "${this.sku}_${this.primary.capacity}", or build the network with the APIM's SKU`);
      } else if (sku.capacity !== this.primary.capacity) {
        check.add(ApimNetworkErrorCode.APIM_MISMATCH, `${prop}.skuName`, skuName,
          `its capacity ${sku.capacity} differs from the capacity of the network's primary region (${this.primary.capacity}), which sizes the subnet and is checked against the zones`,
          `use skuName "${this.sku}_${this.primary.capacity}", or set the primary region's capacity to ${sku.capacity}`);
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
        check.add(ApimNetworkErrorCode.APIM_MISMATCH, `${prop}.${field}`, isReference(value) ? '(a reference)' : value, 'it is already set on the APIM instance',
          'leave it unset: connect() sets it from the network');
      }
    }
    check.throwIfAny();
    // Everything is checked; compute what is written, then write it. A failure while writing undoes what was written.
    const apimStack = TerraformStack.of(apim);
    const additional = this.regions.slice(1).map((region) => ({
      location: region.location,
      capacity: region.capacity,
      zones: region.zones.length > 0 ? [...region.zones] : undefined,
      publicIpAddressId: region.publicIpId,
      virtualNetworkConfiguration: { subnetId: region.subnetId },
    }));
    // Sorted by path, so reordering the regions does not reorder depends_on.
    // (Each path computed once: a construct computes its path anew on every read.)
    const waitFor = this.regions.flatMap((region) => region.apimDependencies).filter((resource) => TerraformStack.of(resource) === apimStack)
      .map((resource) => ({ resource, path: resource.node.path }))
      .sort((a, b) => compareCodeUnits(a.path, b.path))
      .map(({ resource }) => resource);
    const before = { mode, dependsOn: apim.dependsOn };
    try {
      apim.virtualNetworkType = this.virtualNetworkType;
      apim.putVirtualNetworkConfiguration({ subnetId: this.primary.subnetId });
      if (this.primary.publicIpId) {
        apim.publicIpAddressId = this.primary.publicIpId;
      }
      if (this.primary.zones.length > 0) {
        apim.zones = [...this.primary.zones];
      }
      if (additional.length > 0) {
        apim.putAdditionalLocation(additional);
      }
      if (waitFor.length > 0) {
        apim.dependsOn = [...(apim.dependsOn ?? []), ...waitFor.map((resource): string => dependable(resource as ITerraformDependable))];
      }
    } catch (error) {
      attempt(() => {
        apim.resetVirtualNetworkConfiguration();
        apim.resetPublicIpAddressId();
        apim.resetZones();
        apim.resetAdditionalLocation();
        if (before.mode === undefined) {
          apim.resetVirtualNetworkType();
        }
        apim.dependsOn = before.dependsOn;
      });
      throw error;
    }
    if (this.checks && apimStack !== TerraformStack.of(this)) {
      registerDefaultChecks(apim);
    }
    // A suppression set on this network (or above it) also covers the findings on the instance it serves.
    extendSuppressions(this, apim);
    this.connected = apim;
    CONNECTED.set(apim, this);
  }
}

/** Check the whole input in one pass and plan every location; every problem is reported under the user's prop path. */
function planNetwork(check: PropChecker, self: Construct, input: MultiRegionApimNetworkProps): NetworkPlan {
  const props = check.struct('', input, NETWORK_PROPS, true);
  if (!props) {
    return check.throwIfAny() as never;
  }
  const mode = check.enumValue('virtualNetworkType', props.virtualNetworkType, ApimVirtualNetworkType, { enumName: 'ApimVirtualNetworkType', need: MODE_NEED });
  const sku = check.enumValue('sku', props.sku, ApimSku, { enumName: 'ApimSku', default: ApimSku.PREMIUM, need: SKU_NEED });
  const outputs = check.boolean('outputs', props.outputs, false, 'it decides at synth time whether the outputs are written');
  const checks = check.boolean('checks', props.checks, true, CHECKS_NEED);
  const nsgOptions = check.struct('networkSecurityGroup', props.networkSecurityGroup, NSG_OPTIONS, false) ?? {};
  const regions = checkRegionList(check, props.regions);
  const locations = regions.map((region, index) => region === undefined ? '' : check.location(`regions[${index}].location`, region.location) ?? '');
  const shared: SharedRegionSettings = {
    apiManagementName: check.azureName('API Management service', 'apiManagementName', props.apiManagementName, { required: true, allowToken: true }),
    resourceGroupName: check.azureName('resource group', 'resourceGroupName', props.resourceGroupName, { required: true, allowToken: true }) ?? '',
    mode,
    sku,
    primaryLocation: locations[0],
    multiRegion: regions.length > 1,
    nsg: planNsgSettings(check, 'networkSecurityGroup.', nsgOptions, mode),
    provider: check.provider('provider', props.provider, self),
    tags: check.tags('tags', props.tags),
    checks,
  };
  if (sku === ApimSku.DEVELOPER && regions.length > 1) {
    check.add(ApimNetworkErrorCode.SKU_NOT_SUPPORTED, 'regions', locations,
      `the Developer tier has one location, ${regions.length} are given`, 'give one region, or use ApimSku.PREMIUM for several');
  }
  const repeated = checkUniqueLocations(check, regions, locations);
  warnGlobalTags(check, 'networkSecurityGroup.regionalServiceTags', shared.nsg.regionalServiceTags, locations[0] ?? '', locations);
  const planned: Array<{ index: number; plan: RegionPlan }> = [];
  const refused: RuleProblem[] = [];
  regions.forEach((region, index) => {
    // A location given again is refused already: planning it again would only repeat (or pair up) its problems.
    if (region !== undefined && locations[index] !== '' && !repeated.has(index)) {
      const result = planRegion(check, `regions[${index}].`, region, locations[index], shared);
      planned.push({ index, plan: result.plan });
      refused.push(...result.refused);
    }
  });
  reportRefused(check, refused, shared.nsg.clientSources);
  warnOverlaps(check, planned);
  const claims = planned.flatMap((p) => p.plan.claims);
  checkNames(check, TerraformStack.of(self), self.node.path, claims);
  return {
    mode: mode ?? ApimVirtualNetworkType.EXTERNAL, sku: sku ?? ApimSku.PREMIUM, regions: planned.map((p) => p.plan), outputs, checks,
    shared, notes: [...check.warnings], claims,
  };
}

/** The regions list: a non-empty list of objects (an entry that is not an object is reported and left out). */
function checkRegionList(check: PropChecker, value: unknown): Array<Partial<Record<keyof ApimRegionOptions, unknown>> | undefined> {
  if (value === undefined) {
    check.add(ApimNetworkErrorCode.MISSING_PROP, 'regions', value, 'it is required', 'give a list of regions, the primary first');
  }
  const list = check.list('regions', value, { nonEmpty: true, what: 'give a list of regions, the primary first', empty: 'give at least one region, the primary first',
    need: 'the regions decide the virtual networks, subnets, NSGs and their names at synth time' });
  if (!list) {
    return check.throwIfAny() as never;
  }
  return list.map((region, index) => check.struct(`regions[${index}]`, region, REGION_OPTIONS, true));
}

function checkUniqueLocations(check: PropChecker, regions: ReadonlyArray<Partial<Record<string, unknown>> | undefined>, locations: string[]): Set<number> {
  const where = new Map<string, number[]>();
  locations.forEach((location, index) => {
    if (location !== '') {
      where.set(location, [...(where.get(location) ?? []), index]);
    }
  });
  // Each location given again is one problem, however often it is repeated (a generated list may repeat one n times).
  const repeated = new Set<number>();
  for (const [first, ...again] of where.values()) {
    if (again.length === 0) {
      continue;
    }
    again.forEach((index) => repeated.add(index));
    const more = again.length > 1 ? `; it is listed ${again.length + 1} times (also ${again.slice(1, 5).map((i) => `regions[${i}]`).join(', ')}${again.length > 5 ? ', ...' : ''})` : '';
    check.add(ApimNetworkErrorCode.DUPLICATE_VALUE, `regions[${again[0]}].location`, regions[again[0]]?.location,
      `it is the same location as regions[${first}] (${renderValue(regions[first]?.location)})${more}`, 'list each location once');
  }
  return repeated;
}

/** Warn when two locations' address spaces overlap: their virtual networks could never be peered. */
function warnOverlaps(check: PropChecker, regions: ReadonlyArray<{ index: number; plan: RegionPlan }>): void {
  const spaceProp = (r: { index: number; plan: RegionPlan }) => `regions[${r.index}].${r.plan.virtualNetwork ? 'addressSpace' : 'existingAddressSpace'}`;
  regions.forEach((first, position) => {
    regions.slice(position + 1).forEach((second) => {
      for (const a of first.plan.addressSpace ?? []) {
        for (const b of second.plan.addressSpace ?? []) {
          if (cidrOverlaps(a, b)) {
            check.warn(spaceProp(second), b.text, `it overlaps ${a.text} of ${spaceProp(first)} (${first.plan.location}), so the virtual ` +
              `networks of ${first.plan.location} and ${second.plan.location} could never be peered`);
          }
        }
      }
    });
  });
}
