/**
 * What the rules look at, derived once per document: the injected APIM locations, the subnets they (or this library's
 * constructs) use, those subnets' NSGs, the public IPs, and, when asked, NSGs that look like APIM NSGs although no
 * APIM instance of the document uses them.
 */
import { ApimInstance, ApimLocation, MAYBE_BLOCK, NSG_ASSOCIATION, Resource, TerraformModel, Unknown, Value, isUnknown } from './model';
import { opaqueChange } from './opaque';
import { RuleResult, Subject, subjectOf } from './rule';
import { RuleView } from '../core/nsg-evaluate';
import { ApimOrphanNsgs } from './types';

/** What the targets are built from, beyond the document. */
export interface TargetOptions {
  readonly orphanNsgs?: ApimOrphanNsgs;
  /** The mode of the orphan NSGs; when not given, the rules that depend on the mode report unknown for them. */
  readonly orphanMode?: 'External' | 'Internal';
}

/**
 * One APIM location (or construct of this library) that uses a subnet. Several classic instances may share a subnet:
 * the subnet and its NSG are checked for every user.
 */
export interface SubnetUser {
  /** `External` or `Internal`; undefined when not known (then `modeUnknown` says why). */
  readonly mode: 'External' | 'Internal' | undefined;
  /** Why the mode is not known: `virtual_network_type` is a variable, or an NSG serves an instance outside the input. */
  readonly modeUnknown?: Unknown;
  /** `Developer` or `Premium`, or Unknown. */
  readonly sku: string | Unknown;
  readonly capacity: number | Unknown;
  /** Whether the instance has several locations; undefined when not known (then `multiRegionUnknown` says why). */
  readonly multiRegion: boolean | undefined;
  readonly multiRegionUnknown?: Unknown;
  /** Normalised primary location of the instance, or Unknown. */
  readonly primaryLocation: string | Unknown;
  /** Whether the subnet serves the instance's primary location. */
  readonly isPrimary: boolean;
  /** Normalised location of the APIM location (or of the subnet's marker construct). */
  readonly location: string | Unknown;
  /** Zones of the APIM location. */
  readonly zones: string[] | Unknown | undefined;
  /** Where it comes from: an APIM location, or a construct of this library. */
  readonly source: string;
}

/**
 * The APIM context a subnet or NSG is checked in: every location that uses it (`users`), and what they have in common.
 * Nothing here depends on the order in which the instances are declared.
 */
export interface NetworkContext {
  /** Every APIM location (or construct) that uses the subnet; at least one. */
  readonly users: readonly SubnetUser[];
  /** The mode when every user has the same known mode; undefined otherwise (look at `users`). */
  readonly mode: 'External' | 'Internal' | undefined;
  /** Whether a user has several locations (true), none has (false), or it is not known (undefined). */
  readonly multiRegion: boolean | undefined;
  /** Whether the subnet serves some instance's primary location. */
  readonly isPrimary: boolean;
  /** Normalised location of the APIM location (or of the subnet's marker construct); the users share it. */
  readonly location: string | Unknown;
  /** Zones of the (first) APIM location. */
  readonly zones: string[] | Unknown | undefined;
  /** Where the context comes from: the users, as messages name them. */
  readonly source: string;
}

export interface SubnetTarget extends NetworkContext {
  readonly subnet: Resource;
}

export interface NsgTarget extends NetworkContext {
  readonly nsg: Resource;
  /**
   * The APIM subnet; undefined for an orphan NSG associated with no subnet of the document, and for the NSG of a subnet
   * that is not known at synth time (a data source) but that an association names by the same reference.
   */
  readonly subnet?: Resource;
  /** Whether the NSG is checked because it looks like an APIM NSG (no APIM instance of the document uses it). */
  readonly orphan: boolean;
}

export interface PublicIpTarget {
  readonly publicIp: Resource;
  readonly location?: ApimLocation;
}

/** An injected APIM location of a classic tier (or of an instance whose mode is not known). */
export interface LocationTarget {
  readonly apim: ApimInstance;
  readonly location: ApimLocation;
  /** undefined when `virtual_network_type` is not known at synth time. */
  readonly mode: 'External' | 'Internal' | undefined;
}

/** Where the NSG of an APIM subnet cannot be read, and why. */
export interface UnreadableNsg {
  readonly subject: Subject;
  readonly reason: Unknown;
}

/** A location whose subnet or public IP cannot be read (a data source, remote state, an ID of a resource elsewhere). */
export interface UnreadableLocation {
  readonly apim: ApimInstance;
  readonly location: ApimLocation;
  readonly reason: Unknown;
  /**
   * Set when an association names the same unknown subnet (the same reference): the NSG rules judge that NSG, so they
   * do not report the subnet as unknown.
   */
  readonly nsgKnown?: boolean;
}

/** What the evaluation found: the CLI exits 2 when an input holds no APIM network at all. */
export interface Inventory {
  readonly apimInstances: number;
  readonly apimSubnets: number;
  readonly networkSecurityGroups: number;
}

/** A rule of an NSG as the rules report it. */
export type RuleOrigin = Subject & { readonly name: string };

/** The rules of an NSG (inline and standalone) as the evaluator sees them. */
export interface NsgRules {
  readonly views: RuleView<RuleOrigin>[];
  /** Inline `security_rule` blocks (resolved). */
  readonly inline: Record<string, Value>[];
  /** Standalone rule resources of the NSG. */
  readonly standalone: Resource[];
  /** Standalone rule resources that may belong to this NSG (their NSG is not known at synth time). */
  readonly maybeStandalone: Resource[];
  /** Set when the rule set itself cannot be known. */
  readonly unknown?: Unknown;
  /**
   * Set when a module block the checks do not read, or an azapi resource, gets the NSG (opaque.ts): it may add any rule,
   * so every rule on the rule set is unknown, those that judge the rules as written included.
   */
  readonly opaque?: Unknown;
}

/**
 * The sets of things the rules check, derived once per document, and a cache for what several rules derive from them
 * (an NSG's rules, its evaluated flows): per document, never shared between evaluations.
 */
export class Targets {
  private readonly memos = new Map<object, Map<string, unknown>>();
  private readonly nsgRules = new Map<Resource, NsgRules>();

  public constructor(
    public readonly model: TerraformModel,
    /** Injected APIM instances of classic tiers (or unknown tier), and those whose mode is not known. */
    public readonly instances: ApimInstance[],
    public readonly locations: LocationTarget[],
    public readonly subnets: SubnetTarget[],
    public readonly nsgs: NsgTarget[],
    /** APIM subnets whose NSG exists but cannot be read (an ID of an NSG managed elsewhere, a variable...). */
    public readonly unreadableNsgs: UnreadableNsg[],
    public readonly publicIps: PublicIpTarget[],
    /** APIM instances of a v2 tier: every classic rule is not applicable to them. */
    public readonly v2Instances: ApimInstance[],
    /** APIM instances whose `virtual_network_type` is not known (also in `instances`: judged as injected). */
    public readonly unknownModes: ApimInstance[],
    /** Locations whose subnet cannot be read. */
    public readonly unreadableSubnets: UnreadableLocation[],
    /** Locations whose public IP cannot be read. */
    public readonly unreadablePublicIps: UnreadableLocation[],
  ) {}

  /** What was found. */
  public get inventory(): Inventory {
    return {
      apimInstances: this.model.ofType('azurerm_api_management').length,
      apimSubnets: this.subnets.length,
      networkSecurityGroups: new Set(this.nsgs.map((n) => n.nsg)).size,
    };
  }

  /** A value derived from `owner` once per evaluation (`key` names what it is). */
  public memo<T>(owner: object, key: string, build: () => T): T {
    let byKey = this.memos.get(owner);
    if (!byKey) {
      byKey = new Map();
      this.memos.set(owner, byKey);
    }
    let value = byKey.get(key) as T | undefined;
    if (value === undefined && !byKey.has(key)) {
      value = build();
      byKey.set(key, value);
    }
    return value as T;
  }

  /** The rules of an NSG (read once per evaluation; every NSG rule asks for them, for every NSG). */
  public rulesOf(nsg: Resource): NsgRules {
    let rules = this.nsgRules.get(nsg);
    if (!rules) {
      rules = nsgRules(nsg);
      this.nsgRules.set(nsg, rules);
    }
    return rules;
  }
}

/**
 * Report, for every location whose subnet cannot be read, that the rule cannot decide (it would have checked that
 * subnet): never a silent pass.
 */
export function unknownSubnets(t: Targets, r: RuleResult, which: (location: UnreadableLocation) => boolean = () => true): void {
  for (const { apim, location, reason } of t.unreadableSubnets.filter(which)) {
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

/** `External`/`Internal` (any case, blanks around) or undefined. */
export function injectedMode(mode: string | Unknown): 'External' | 'Internal' | undefined {
  if (typeof mode !== 'string') {
    return undefined;
  }
  const lower = mode.trim().toLowerCase();
  return lower === 'external' ? 'External' : lower === 'internal' ? 'Internal' : undefined;
}

/** What the users of a subnet have in common (independent of their order). */
export function contextOf(users: readonly SubnetUser[]): NetworkContext {
  const modes = new Set(users.map((u) => u.mode));
  const [first] = users;
  return {
    users,
    mode: modes.size === 1 ? first.mode : undefined,
    multiRegion: users.some((u) => u.multiRegion === true) ? true : users.every((u) => u.multiRegion === false) ? false : undefined,
    isPrimary: users.some((u) => u.isPrimary),
    location: users.find((u) => typeof u.location === 'string')?.location ?? first.location,
    zones: first.zones,
    source: users.map((u) => u.source).join(', '),
  };
}

/** Derive the targets of a model. */
export function buildTargets(model: TerraformModel, options: TargetOptions = {}): Targets {
  const instances: ApimInstance[] = [];
  const v2Instances: ApimInstance[] = [];
  const unknownModes: ApimInstance[] = [];
  const unreadableSubnets: UnreadableLocation[] = [];
  const unreadablePublicIps: UnreadableLocation[] = [];
  const locations: LocationTarget[] = [];
  const usersBySubnet = new Map<Resource, SubnetUser[]>();
  // Subnets not known at synth time that are exactly one reference (a data source...), by that reference.
  const usersByKey = new Map<string, { users: SubnetUser[]; unreadable: UnreadableLocation[] }>();
  const publicIps: PublicIpTarget[] = [];
  const seenPips = new Set<Resource>();
  for (const apim of model.apimInstances()) {
    if (isV2Tier(apim.tier)) {
      v2Instances.push(apim);
      continue;
    }
    const mode = injectedMode(apim.mode);
    // A value that is none of None, External and Internal (a typo: the provider refuses it at plan) may have meant
    // either mode: judged as injected, with the mode unknown, never skipped as not injected.
    const unrecognized = typeof apim.mode === 'string' && mode === undefined && apim.mode.trim().toLowerCase() !== 'none';
    if (!mode && !isUnknown(apim.mode) && !unrecognized) {
      continue;
    }
    if (!mode) {
      // Not known at synth time: judged as injected (External or Internal); what depends on the mode is unknown.
      unknownModes.push(apim);
    }
    instances.push(apim);
    const modeUnknown = isUnknown(apim.mode) ? new Unknown(`virtual_network_type of ${apim.resource.address} is ${apim.mode.reason}`)
      : unrecognized ? new Unknown(`virtual_network_type of ${apim.resource.address} is ${JSON.stringify(apim.mode)}, which is none of None, External and Internal (the provider refuses it)`) : undefined;
    const known = apim.locations.filter((l) => !l.maybe);
    const multiRegion = known.length > 1 ? true : apim.additionalUnknown ? undefined : false;
    const primaryLocation = apim.locations[0].location;
    for (const location of apim.locations) {
      locations.push({ apim, location, mode });
      const user: SubnetUser = {
        mode, modeUnknown, sku: apim.tier, capacity: location.capacity, multiRegion, multiRegionUnknown: multiRegion === undefined ? apim.additionalUnknown : undefined,
        primaryLocation, isPrimary: location.isPrimary, location: location.location, zones: location.zones, source: `${apim.resource.address} ${location.label}`,
      };
      // A subnet or public IP that cannot be read (a data source, remote state of another stack, an ID of a resource
      // managed elsewhere) is reported as unknown by every rule that would have checked it: never a silent pass.
      if (isUnknown(location.subnet)) {
        const unreadable = { apim, location, reason: location.subnet };
        unreadableSubnets.push(unreadable);
        if (location.subnet.key !== undefined && !location.maybe) {
          const entry = usersByKey.get(location.subnet.key) ?? { users: [], unreadable: [] };
          entry.users.push(user);
          entry.unreadable.push(unreadable);
          usersByKey.set(location.subnet.key, entry);
        }
      } else if (location.subnet) {
        usersBySubnet.set(location.subnet, [...(usersBySubnet.get(location.subnet) ?? []), user]);
      }
      if (isUnknown(location.publicIp)) {
        unreadablePublicIps.push({ apim, location, reason: location.publicIp });
      }
      if (location.publicIp && !isUnknown(location.publicIp) && !seenPips.has(location.publicIp)) {
        seenPips.add(location.publicIp);
        publicIps.push({ publicIp: location.publicIp, location });
      }
    }
  }
  const subnets = new Map<Resource, SubnetTarget>();
  for (const [subnet, users] of usersBySubnet) {
    subnets.set(subnet, { subnet, ...contextOf(users) });
  }
  // Subnets and public IPs this library built for an APIM instance managed elsewhere.
  for (const subnet of model.ofType('azurerm_subnet')) {
    const marker = subnet.marker;
    if (!marker || marker.role !== 'subnet' || subnets.has(subnet)) {
      continue;
    }
    const mode = injectedMode(marker.mode ?? '');
    if (!mode) {
      continue;
    }
    const vnet = model.virtualNetworkOf(subnet);
    const vnetLocation = vnet && !isUnknown(vnet) ? model.location(vnet) ?? new Unknown('location not set') : new Unknown('the subnet\'s virtual network is not in this stack');
    const location = typeof vnetLocation === 'string' ? vnetLocation : marker.location ?? vnetLocation;
    const primary = marker.primary_location ?? location;
    const user: SubnetUser = {
      mode, sku: marker.sku ?? new Unknown('no SKU in the marker'), capacity: marker.capacity ?? new Unknown('no capacity in the marker'),
      multiRegion: marker.multi_region ?? false, primaryLocation: primary, isPrimary: typeof location === 'string' && location === primary,
      location, zones: undefined, source: `${subnet.path} (built by ApimSubnet, mode from its props)`,
    };
    subnets.set(subnet, { subnet, ...contextOf([user]) });
  }
  for (const pip of model.ofType('azurerm_public_ip')) {
    if (pip.marker?.role === 'public-ip' && !seenPips.has(pip)) {
      seenPips.add(pip);
      publicIps.push({ publicIp: pip });
    }
  }
  const nsgs: NsgTarget[] = [];
  const unreadableNsgs: UnreadableNsg[] = [];
  const seenNsgs = new Set<string>();
  const addNsgs = (subnet: Resource | Unknown, context: NetworkContext, subject: Subject): boolean => {
    const { associations, unknown } = model.associationsOf(subnet, NSG_ASSOCIATION.type, NSG_ASSOCIATION.field, NSG_ASSOCIATION.target);
    if (associations.length === 0 && unknown && !isUnknown(subnet)) {
      unreadableNsgs.push({ subject, reason: unknown });
    }
    // Every NSG associated with the subnet is judged (APIM-SUBNET-NSG reports that a subnet has several).
    for (const { target } of associations) {
      if (isUnknown(target)) {
        unreadableNsgs.push({ subject, reason: target });
        continue;
      }
      const key = `${target.address}|${isUnknown(subnet) ? subnet.key : subnet.address}`;
      if (!seenNsgs.has(key)) {
        seenNsgs.add(key);
        nsgs.push({ ...context, nsg: target, subnet: isUnknown(subnet) ? undefined : subnet, orphan: false });
      }
    }
    return associations.length > 0;
  };
  for (const target of subnets.values()) {
    addNsgs(target.subnet, target, subjectOf(target.subnet));
  }
  for (const [key, { users, unreadable }] of usersByKey) {
    const subnet = unreadable[0].reason;
    if (addNsgs(new Unknown(subnet.reason, key), contextOf(users), subjectOf(unreadable[0].apim.resource))) {
      for (const entry of unreadable) {
        unreadableSubnets[unreadableSubnets.indexOf(entry)] = { ...entry, nsgKnown: true };
      }
    }
  }
  const targets = new Targets(model, instances, locations, [...subnets.values()], nsgs, unreadableNsgs, publicIps, v2Instances,
    unknownModes, unreadableSubnets, unreadablePublicIps);
  if (options.orphanNsgs && options.orphanNsgs !== ApimOrphanNsgs.NONE) {
    nsgs.push(...orphanNsgs(targets, options));
  }
  return targets;
}

/** NSGs that no APIM subnet of the document uses, selected as options ask, checked as APIM NSGs. */
function orphanNsgs(t: Targets, options: TargetOptions): NsgTarget[] {
  const used = new Set(t.nsgs.map((n) => n.nsg));
  const attached = new Map<Resource, Resource>();
  for (const subnet of t.model.ofType('azurerm_subnet')) {
    const nsg = t.model.nsgOf(subnet);
    if (nsg && !isUnknown(nsg) && !attached.has(nsg)) {
      attached.set(nsg, subnet);
    }
  }
  const out: NsgTarget[] = [];
  for (const nsg of t.model.ofType('azurerm_network_security_group')) {
    if (used.has(nsg) || (options.orphanNsgs === ApimOrphanNsgs.SIGNATURE && !hasManagementAllow(t.rulesOf(nsg).views))) {
      continue;
    }
    const location = t.model.location(nsg) ?? new Unknown(`${nsg.address} has no location`);
    const elsewhere = new Unknown('no APIM instance uses this NSG');
    const onSubnet = attached.get(nsg);
    const user: SubnetUser = {
      mode: options.orphanMode, modeUnknown: options.orphanMode ? undefined : new Unknown(onSubnet
        ? `the NSG is on ${onSubnet.address}, which no APIM instance of the input uses; the mode of an APIM instance outside the input that uses it was not given`
        : 'the NSG serves an APIM instance outside the input, whose mode was not given'),
      sku: elsewhere, capacity: elsewhere, multiRegion: undefined,
      primaryLocation: new Unknown('the APIM instance (and its primary location) is not in this document'), isPrimary: false,
      location, zones: undefined, source: `${nsg.address} (an NSG that no APIM instance of the document uses)`,
    };
    out.push({ ...contextOf([user]), nsg, subnet: attached.get(nsg), orphan: true });
  }
  return out;
}

/** Whether a rule set has an inbound allow from ApiManagement to 3443 (the signature of an APIM NSG). */
function hasManagementAllow(views: readonly RuleView<unknown>[]): boolean {
  return views.some((v) => v.direction?.toLowerCase() === 'inbound' && v.access?.toLowerCase() === 'allow' &&
    (v.sourcePrefixes ?? []).some((p) => p.trim().toLowerCase() === 'apimanagement') &&
    (v.destinationPorts ?? []).some((p) => p.trim() === '3443'));
}

/**
 * Unknown when `lifecycle.ignore_changes` names an attribute of a resource (or is `all`): after the first apply,
 * Terraform no longer writes what the configuration says there, so Azure holds whatever was set outside Terraform.
 */
export function ignoredChanges(resource: Resource, attribute: string): Unknown | undefined {
  const model = resource.model;
  const lifecycle = model.block(resource.config.lifecycle);
  if (lifecycle === undefined) {
    return undefined;
  }
  const why = `what Azure holds in ${resource.address}.${attribute}`;
  if (isUnknown(lifecycle)) {
    return new Unknown(`${why}: its lifecycle is ${lifecycle.reason}`);
  }
  const ignore = lifecycle.ignore_changes;
  const names = typeof ignore === 'string' ? [ignore] : model.strings(ignore);
  if (isUnknown(names)) {
    return new Unknown(`${why}: its lifecycle.ignore_changes is ${names.reason}`);
  }
  const ignored = (names ?? []).map((name) => name.trim().replace(/^\$\{(.*)\}$/, '$1').toLowerCase()).find((name) => name === 'all' || name === attribute);
  return ignored === undefined ? undefined
    : new Unknown(`${why}: lifecycle.ignore_changes = ${ignored === 'all' ? 'all' : `[${attribute}]`} keeps what is changed outside Terraform, so the configuration decides it only when the resource is created`);
}

/**
 * An "attributes as blocks" argument of the provider (an NSG's `security_rule`, a route table's `route`, a network's
 * `subnet`) as the provider takes it. Zero blocks (no block, or a `dynamic` block over an empty collection) leave it
 * not set, and the standalone resources stand; blocks, or the argument syntax (`route = []`, or a list in JSON), set
 * it, and the provider then writes the list as given on every apply
 * (https://developer.hashicorp.com/terraform/language/attr-as-blocks). In a plan, the list Azure holds is computed,
 * not written (`computed`, see lib/cli/plan.ts). Returns 'unset', the blocks that surely exist, or Unknown when the
 * value is not known or every block is one a `dynamic` block may or may not produce.
 */
export function writtenBlocks(resource: Resource, attribute: string): 'unset' | Record<string, Value>[] | Unknown {
  const value = resource.config[attribute];
  if (value === undefined || value === null || resource.computed?.includes(attribute)) {
    return 'unset';
  }
  const all = resource.model.blocksWithMaybe(value);
  if (isUnknown(all)) {
    return all;
  }
  const known = all.filter((block) => block[MAYBE_BLOCK] === undefined);
  return known.length === 0 && all.length > 0 ? all[0][MAYBE_BLOCK] as Unknown : known;
}

/**
 * The entries of a plan's listing of an NSG's rules or a table's routes that no standalone resource manages: not one
 * of `standalone` (by name), nor one the plan deletes.
 */
export function outsideTerraform<B extends Record<string, Value>>(model: TerraformModel, listing: B[] | Unknown, standalone: readonly Resource[], deleted: readonly string[]): B[] | Unknown {
  if (isUnknown(listing)) {
    return listing;
  }
  const standaloneNames = standalone.map((r) => model.str(r.config.name));
  const unnamed = standalone.find((_r, i) => typeof standaloneNames[i] !== 'string');
  if (unnamed) {
    // Which listed entry is that resource is not known: each could be counted twice.
    return new Unknown(`which of what Azure lists is ${unnamed.address}, whose name is not known`);
  }
  const names = new Set([...standaloneNames, ...deleted].filter((n): n is string => typeof n === 'string').map((n) => n.trim().toLowerCase()));
  return listing.filter((block) => {
    const name = model.str(block.name);
    return !(typeof name === 'string' && names.has(name.trim().toLowerCase()));
  });
}

/** Read the rules of an NSG: inline blocks (`dynamic` ones included) and standalone `azurerm_network_security_rule` resources. */
export function nsgRules(nsg: Resource): NsgRules {
  const model = nsg.model;
  // A module or azapi resource that gets the NSG may add rules: the rule set is not known.
  const opaque = opaqueChange(nsg, 'nsg');
  const { rules: standalone, unknown: maybe } = model.standaloneRules(nsg);
  // In a plan, an NSG whose configuration does not write security_rule lists what Azure holds there, the rules of
  // azurerm_network_security_rule resources included, as they are before the plan (one it deletes is still listed).
  // Those are judged as planned, from their resources; the rest of the listing (rules made outside Terraform) stays.
  const inlineRaw = opaque ?? ignoredChanges(nsg, 'security_rule') ?? (nsg.computed?.includes('security_rule')
    ? outsideTerraform(model, model.blocksWithMaybe(nsg.config.security_rule), [...standalone, ...maybe], nsg.deletedChildren ?? [])
    : model.blocksWithMaybe(nsg.config.security_rule));
  const views: RuleView<RuleOrigin>[] = [];
  if (isUnknown(inlineRaw)) {
    return { views, inline: [], standalone, maybeStandalone: maybe, unknown: inlineRaw, opaque };
  }
  for (const block of inlineRaw) {
    const maybeBlock = block[MAYBE_BLOCK];
    views.push(toView(model, block, subjectOf(nsg), isUnknown(maybeBlock) ? maybeBlock.reason : undefined));
  }
  for (const rule of standalone) {
    views.push(toView(model, rule.config, subjectOf(rule), rule.maybe?.reason));
  }
  for (const rule of maybe) {
    views.push(toView(model, rule.config, subjectOf(rule), rule.maybe?.reason ?? `whether ${rule.address} belongs to ${nsg.address}`));
  }
  return { views, inline: inlineRaw, standalone, maybeStandalone: maybe };
}

function toView(model: TerraformModel, block: Record<string, Value>, subject: Subject, maybe: string | undefined): RuleView<RuleOrigin> {
  // Why a field is not known (the first one found), for messages.
  let unknownWhy: string | undefined;
  const why = (value: Unknown) => {
    unknownWhy ??= value.reason;
    return undefined;
  };
  const field = (v: Value): string | undefined => {
    const text = model.str(v);
    return typeof text === 'string' ? text : isUnknown(text) ? why(text) : undefined;
  };
  const list = (one: Value, many: Value, groups?: Value): string[] | undefined => {
    const single = model.str(one);
    const plural = model.strings(many);
    if (isUnknown(single) || isUnknown(plural)) {
      return why(isUnknown(single) ? single : plural as Unknown);
    }
    const all = [...(single !== undefined && single !== '' ? [single] : []), ...(plural ?? [])];
    if (all.length > 0) {
      return all;
    }
    // Application security groups: their members (which network interfaces join them) are not known at synth time,
    // whether their IDs are references or literal.
    const asg = model.strings(groups);
    return isUnknown(asg) || (asg !== undefined && asg.length > 0)
      ? why(new Unknown('the members of an application security group, which are not in the configuration')) : [];
  };
  const priority = model.num(block.priority);
  if (isUnknown(priority)) {
    why(priority);
  }
  const name = field(block.name) ?? '(unnamed)';
  const view = {
    name,
    priority: typeof priority === 'number' && Number.isFinite(priority) ? priority : undefined,
    direction: field(block.direction),
    access: field(block.access),
    protocol: field(block.protocol),
    sourcePrefixes: list(block.source_address_prefix, block.source_address_prefixes, block.source_application_security_group_ids),
    destinationPrefixes: list(block.destination_address_prefix, block.destination_address_prefixes, block.destination_application_security_group_ids),
    sourcePorts: list(block.source_port_range, block.source_port_ranges),
    destinationPorts: list(block.destination_port_range, block.destination_port_ranges),
    maybe,
    origin: { ...subject, name },
  };
  return unknownWhy === undefined ? view : { ...view, unknownWhy };
}
