/**
 * What the rules look at, derived once per document: the injected APIM locations, the subnets they (or this library's
 * constructs) use, those subnets' NSGs, and the public IPs.
 */
import { ApimInstance, ApimLocation, Resource, TerraformModel, Unknown, isUnknown } from './model';
import { RuleResult, Subject, subjectOf } from './rule';
import { RuleView } from '../core/nsg-evaluate';

/** The APIM context a subnet, NSG or public IP is checked in. */
export interface NetworkContext {
  /** `External` or `Internal`. */
  readonly mode: 'External' | 'Internal';
  /** `Developer` or `Premium`, or Unknown. */
  readonly sku: string | Unknown;
  readonly capacity: number | Unknown;
  readonly multiRegion: boolean;
  /** Normalised primary location, or Unknown. */
  readonly primaryLocation: string | Unknown;
  readonly isPrimary: boolean;
  /** Normalised location of the APIM location (or of the subnet's marker construct). */
  readonly location: string | Unknown;
  /** Zones of the APIM location. */
  readonly zones: string[] | Unknown | undefined;
  /** Where the context comes from: an APIM location, or a construct of this library. */
  readonly source: string;
}

export interface SubnetTarget extends NetworkContext {
  readonly subnet: Resource;
}

export interface NsgTarget extends NetworkContext {
  readonly nsg: Resource;
  readonly subnet: Resource;
}

export interface PublicIpTarget {
  readonly publicIp: Resource;
  readonly location?: ApimLocation;
}

/** An injected APIM location of a classic tier. */
export interface LocationTarget {
  readonly apim: ApimInstance;
  readonly location: ApimLocation;
  readonly mode: 'External' | 'Internal';
}

/** A location whose subnet or public IP cannot be read (a data source, remote state, an ID of a resource elsewhere). */
export interface UnreadableLocation {
  readonly apim: ApimInstance;
  readonly location: ApimLocation;
  readonly reason: Unknown;
}

/**
 * The sets of things the rules check, derived once per document, and a cache for what several rules derive from them
 * (an NSG's rules, its evaluated flows): per document, never shared between evaluations.
 */
export class Targets {
  private readonly memos = new WeakMap<object, Map<string, unknown>>();

  public constructor(
    public readonly model: TerraformModel,
    /** Injected APIM instances of classic tiers (or unknown tier). */
    public readonly instances: ApimInstance[],
    public readonly locations: LocationTarget[],
    public readonly subnets: SubnetTarget[],
    public readonly nsgs: NsgTarget[],
    /** APIM subnets whose NSG exists but cannot be read (an ID of an NSG managed elsewhere, a variable...). */
    public readonly unreadableNsgs: Array<{ readonly subnet: SubnetTarget; readonly reason: Unknown }>,
    public readonly publicIps: PublicIpTarget[],
    /** APIM instances of a v2 tier: every classic rule is not applicable to them. */
    public readonly v2Instances: ApimInstance[],
    /** APIM instances whose `virtual_network_type` is not known. */
    public readonly unknownModes: ApimInstance[],
    /** Locations whose subnet cannot be read. */
    public readonly unreadableSubnets: UnreadableLocation[],
    /** Locations whose public IP cannot be read. */
    public readonly unreadablePublicIps: UnreadableLocation[],
  ) {}

  /** A value derived from `owner` once per evaluation (`key` names what it is). */
  public memo<T>(owner: object, key: string, build: () => T): T {
    let byKey = this.memos.get(owner);
    if (!byKey) {
      byKey = new Map();
      this.memos.set(owner, byKey);
    }
    if (!byKey.has(key)) {
      byKey.set(key, build());
    }
    return byKey.get(key) as T;
  }

  /** The rules of an NSG (read once per evaluation). */
  public rulesOf(nsg: Resource): NsgRules {
    return this.memo(nsg, 'nsg-rules', () => nsgRules(this.model, nsg));
  }
}

/**
 * Report, for every location whose subnet cannot be read, that the rule cannot decide (it would have checked that
 * subnet): never a silent pass.
 */
export function unknownSubnets(t: Targets, r: RuleResult): void {
  for (const { apim, location, reason } of t.unreadableSubnets) {
    r.unknown(subjectOf(apim.resource), `the subnet of ${location.label}: ${reason.reason}`, location.label);
  }
}

/** Report, for every location whose public IP cannot be read, that the rule cannot decide. */
export function unknownPublicIps(t: Targets, r: RuleResult, onlyWithZones = false): void {
  for (const { apim, location, reason } of t.unreadablePublicIps) {
    if (!onlyWithZones || location.zones) {
      r.unknown(subjectOf(apim.resource), `the public IP of ${location.label}: ${reason.reason}`, location.label);
    }
  }
}

/** Whether a tier is one of the v2 tiers, which classic rules do not apply to. */
export function isV2Tier(tier: string | Unknown): boolean {
  return typeof tier === 'string' && /v2$/i.test(tier);
}

/** `External`/`Internal` (any case) or undefined. */
export function injectedMode(mode: string | Unknown): 'External' | 'Internal' | undefined {
  if (typeof mode !== 'string') {
    return undefined;
  }
  const lower = mode.toLowerCase();
  return lower === 'external' ? 'External' : lower === 'internal' ? 'Internal' : undefined;
}


/** Derive the targets of a model. */
export function buildTargets(model: TerraformModel): Targets {
  const instances: ApimInstance[] = [];
  const v2Instances: ApimInstance[] = [];
  const unknownModes: ApimInstance[] = [];
  const unreadableSubnets: UnreadableLocation[] = [];
  const unreadablePublicIps: UnreadableLocation[] = [];
  const locations: LocationTarget[] = [];
  const subnets: SubnetTarget[] = [];
  const publicIps: PublicIpTarget[] = [];
  const seenSubnets = new Set<Resource>();
  const seenPips = new Set<Resource>();
  for (const apim of model.apimInstances()) {
    if (isV2Tier(apim.tier)) {
      v2Instances.push(apim);
      continue;
    }
    const mode = injectedMode(apim.mode);
    if (!mode) {
      if (isUnknown(apim.mode)) {
        unknownModes.push(apim);
      }
      continue;
    }
    instances.push(apim);
    const multiRegion = apim.locations.length > 1 || apim.additionalUnknown !== undefined;
    const primaryLocation = apim.locations[0].location;
    for (const location of apim.locations) {
      locations.push({ apim, location, mode });
      // A subnet or public IP that cannot be read (a data source, remote state of another stack, an ID of a resource
      // managed elsewhere) is reported as unknown by every rule that would have checked it: never a silent pass.
      if (isUnknown(location.subnet)) {
        unreadableSubnets.push({ apim, location, reason: location.subnet });
      }
      if (isUnknown(location.publicIp)) {
        unreadablePublicIps.push({ apim, location, reason: location.publicIp });
      }
      if (location.subnet && !isUnknown(location.subnet) && !seenSubnets.has(location.subnet)) {
        seenSubnets.add(location.subnet);
        subnets.push({
          subnet: location.subnet, mode, sku: apim.tier, capacity: location.capacity, multiRegion, primaryLocation,
          isPrimary: location.isPrimary, location: location.location, zones: location.zones,
          source: `${apim.resource.address} ${location.label}`,
        });
      }
      if (location.publicIp && !isUnknown(location.publicIp) && !seenPips.has(location.publicIp)) {
        seenPips.add(location.publicIp);
        publicIps.push({ publicIp: location.publicIp, location });
      }
    }
  }
  // Subnets and public IPs this library built for an APIM instance managed elsewhere.
  for (const subnet of model.ofType('azurerm_subnet')) {
    const marker = subnet.marker;
    if (!marker || marker.role !== 'subnet' || seenSubnets.has(subnet)) {
      continue;
    }
    const mode = injectedMode(marker.mode ?? '');
    if (!mode) {
      continue;
    }
    seenSubnets.add(subnet);
    const vnet = model.virtualNetworkOf(subnet);
    const location = vnet && !isUnknown(vnet) ? model.location(vnet) ?? new Unknown('location not set') : new Unknown('the subnet\'s virtual network is not in this stack');
    const primary = marker.primary_location ?? location;
    subnets.push({
      subnet, mode, sku: marker.sku ?? new Unknown('no SKU in the marker'), capacity: marker.capacity ?? new Unknown('no capacity in the marker'),
      multiRegion: marker.multi_region ?? false, primaryLocation: primary,
      isPrimary: typeof location === 'string' && location === primary, location, zones: undefined,
      source: `${subnet.path} (built by ApimSubnet, mode from its props)`,
    });
  }
  for (const pip of model.ofType('azurerm_public_ip')) {
    if (pip.marker?.role === 'public-ip' && !seenPips.has(pip)) {
      seenPips.add(pip);
      publicIps.push({ publicIp: pip });
    }
  }
  const nsgs: NsgTarget[] = [];
  const unreadableNsgs: Targets['unreadableNsgs'] = [];
  const seenNsgs = new Set<string>();
  for (const target of subnets) {
    const nsg = model.nsgOf(target.subnet);
    if (isUnknown(nsg)) {
      unreadableNsgs.push({ subnet: target, reason: nsg });
      continue;
    }
    if (!nsg) {
      continue;
    }
    const key = `${nsg.address}|${target.subnet.address}`;
    if (!seenNsgs.has(key)) {
      seenNsgs.add(key);
      nsgs.push({ ...target, nsg });
    }
  }
  return new Targets(model, instances, locations, subnets, nsgs, unreadableNsgs, publicIps, v2Instances, unknownModes,
    unreadableSubnets, unreadablePublicIps);
}

/** The rules of an NSG (inline and standalone) as the evaluator sees them. */
export interface NsgRules {
  readonly views: RuleView<Subject & { name: string }>[];
  /** Inline `security_rule` blocks. */
  readonly inline: Record<string, unknown>[];
  /** Standalone rule resources. */
  readonly standalone: Resource[];
  /** Standalone rule resources that may belong to this NSG (their NSG name is unknown). */
  readonly maybeStandalone: Resource[];
  /** Set when the rule set itself cannot be known. */
  readonly unknown?: Unknown;
}

/** Read the rules of an NSG: inline blocks and standalone `azurerm_network_security_rule` resources. */
export function nsgRules(model: TerraformModel, nsg: Resource): NsgRules {
  const inlineRaw = model.blocks(nsg.config.security_rule);
  const { rules: standalone, unknown: maybe } = model.standaloneRules(nsg);
  const views: NsgRules['views'] = [];
  if (isUnknown(inlineRaw)) {
    return { views, inline: [], standalone, maybeStandalone: maybe, unknown: inlineRaw };
  }
  const inline = inlineRaw.map((block) => model.resolve(block) as Record<string, unknown>);
  for (const block of inline) {
    views.push(toView(block, { address: nsg.address, path: nsg.path }));
  }
  for (const rule of standalone) {
    views.push(toView(model.resolve(rule.config) as Record<string, unknown>, subjectOf(rule)));
  }
  const unknown = maybe.length > 0 ? new Unknown(`whether ${maybe.map((r) => r.address).join(', ')} belongs to this NSG`) : undefined;
  return { views, inline, standalone, maybeStandalone: maybe, unknown };
}

function toView(block: Record<string, unknown>, subject: Subject): RuleView<Subject & { name: string }> {
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const known = (v: unknown): boolean => !isUnknown(v) && !(typeof v === 'object' && v !== null && 'resource' in (v as object));
  const field = (v: unknown): string | undefined => (known(v) ? text(v) : undefined);
  const list = (one: unknown, many: unknown, asg?: unknown): string[] | undefined => {
    if (!known(one) || !known(many)) {
      return undefined;
    }
    if (typeof one === 'string' && one !== '') {
      return [one];
    }
    if (Array.isArray(many) && many.length > 0) {
      return many.every((m) => typeof m === 'string') ? (many as string[]) : undefined;
    }
    // Application security groups: membership is not known at synth time.
    if (Array.isArray(asg) && asg.length > 0) {
      return undefined;
    }
    return [];
  };
  const priority = known(block.priority) ? (typeof block.priority === 'number' ? block.priority : Number(block.priority)) : undefined;
  const name = field(block.name) ?? '(unnamed)';
  return {
    name,
    priority: priority !== undefined && Number.isFinite(priority) ? priority : undefined,
    direction: field(block.direction),
    access: field(block.access),
    protocol: field(block.protocol),
    sourcePrefixes: list(block.source_address_prefix, block.source_address_prefixes, block.source_application_security_group_ids),
    destinationPrefixes: list(block.destination_address_prefix, block.destination_address_prefixes, block.destination_application_security_group_ids),
    sourcePorts: list(block.source_port_range, block.source_port_ranges),
    destinationPorts: list(block.destination_port_range, block.destination_port_ranges),
    origin: { ...subject, name },
  };
}
