/**
 * The flows the NSG rules judge, evaluated once per NSG target and shared by the rules: the platform flows of the
 * catalog for the target's mode, and the exposure flows (public addresses other than ApiManagement, to 3443, to 80
 * and 443, to every port).
 */
import { Resource, Unknown, isUnknown } from './model';
import { Subject } from './rule';
import { NsgTarget, RuleOrigin, Targets } from './targets';
import { addressTerm } from '../core/address-set';
import { parseIpv4CidrLenient, Ipv4Cidr } from '../core/cidr';
import { IntervalSet } from '../core/interval-set';
import { regionalTag } from '../core/locations';
import { ApimVirtualNetworkType } from '../core/types';
import {
  FlowResult, NsgEvaluator, NsgFlow, PlatformFlow, PlatformUser, RuleView, UndecidedRow, clientsAllowed, isDefaultRule, platformFlows, splitTag,
} from '../core/nsg-evaluate';
import { exposureFlows } from '../core/nsg-exposure';
import { NearMiss, findNearMisses } from '../core/nsg-near-miss';
import { catalogRules } from '../core/nsg-catalog';

export type View = RuleView<RuleOrigin>;
/**
 * A flow result of the shared (canonical) evaluation: its rules carry the index of the NSG's rule as origin (Azure's
 * default rules carry none); `NsgEvaluation.actual` maps them back to the NSG's own rules.
 */
export type Result = FlowResult<number | undefined>;
export type IndexedView = RuleView<number | undefined>;

/** A platform flow and the result of each of its parts. */
export interface EvaluatedFlow {
  readonly flow: PlatformFlow;
  readonly parts: ReadonlyArray<{ readonly label: string; readonly result: Result }>;
}

/** What one NSG target's rules do to the flows the rules judge. */
export interface NsgEvaluation {
  readonly flows: EvaluatedFlow[];
  /** Catalog rows whose requirement depends on what is not known (the mode of an orphan NSG). */
  readonly undecided: UndecidedRow[];
  /** Public addresses other than ApiManagement and AzureLoadBalancer, to the subnet: on 3443, on 80 and 443, on every port. */
  readonly exposure: { readonly management: Result; readonly web: readonly Result[]; readonly everything: Result };
  /** Rules of the NSG that look like a required rule but are off by a field (their `rule` is an indexed view). */
  nearMisses(): NearMiss<number | undefined>[];
  /** The NSG's own rule behind a rule of a result (Azure's default rules are returned as they are). */
  actual(rule: IndexedView): View;
  /** The index of one of the NSG's rules, as results carry it. */
  indexOf(rule: View): number;
}


function subnetCidrs(target: NsgTarget): Ipv4Cidr[] | undefined {
  if (!target.subnet) {
    return undefined;
  }
  const model = target.subnet.model;
  const list = model.strings(target.subnet.config.address_prefixes ?? target.subnet.config.address_prefix);
  if (!Array.isArray(list) || list.length === 0) {
    return undefined;
  }
  const parsed = list.map(parseIpv4CidrLenient);
  return parsed.every((p) => p !== undefined) ? (parsed as Ipv4Cidr[]) : undefined;
}

/** The virtual network's known address space, with the subnet: the addresses surely inside VirtualNetwork. */
function virtualNetworkSpace(target: NsgTarget, subnet: readonly Ipv4Cidr[] | undefined): IntervalSet {
  const ranges: Array<[number, number]> = (subnet ?? []).map((c) => [c.network, c.last]);
  if (target.subnet) {
    const vnet = target.subnet.model.virtualNetworkOf(target.subnet);
    if (vnet && !isUnknown(vnet)) {
      const space = vnet.model.strings(vnet.config.address_space);
      for (const text of Array.isArray(space) ? space : []) {
        const cidr = parseIpv4CidrLenient(text);
        if (cidr) {
          ranges.push([cidr.network, cidr.last]);
        }
      }
    }
  }
  return IntervalSet.union(ranges);
}

/** The regions whose regional tags APIM needs from this NSG: its own and the primary region of each instance it serves. */
export function acceptedRegions(t: Targets, target: NsgTarget): string[] {
  const regions: string[] = [];
  const own = t.model.location(target.nsg);
  if (typeof own === 'string') {
    regions.push(own);
  }
  for (const { primaryLocation } of target.users) {
    if (typeof primaryLocation === 'string' && !regions.includes(primaryLocation)) {
      regions.push(primaryLocation);
    }
  }
  return regions;
}

function modeOf(mode: 'External' | 'Internal' | undefined): ApimVirtualNetworkType | undefined {
  return mode === 'Internal' ? ApimVirtualNetworkType.INTERNAL : mode === 'External' ? ApimVirtualNetworkType.EXTERNAL : undefined;
}

/** What the catalog needs to know of the users of an NSG's subnet (each distinct need once, in a stable order). */
function platformUsers(target: NsgTarget): PlatformUser[] {
  const users = target.users.map((u): PlatformUser => ({
    mode: modeOf(u.mode), multiRegion: u.multiRegion, modeUnknown: u.modeUnknown?.reason, multiRegionUnknown: u.multiRegionUnknown?.reason,
  }));
  const byKey = new Map(users.map((u) => [JSON.stringify([u.mode ?? null, u.multiRegion ?? null, u.modeUnknown ?? null, u.multiRegionUnknown ?? null]), u]));
  return [...byKey.keys()].sort().map((key) => byKey.get(key) as PlatformUser);
}

/** The shared part of an evaluation: what every NSG with the same canonical form gets. */
interface Shared {
  readonly flows: Array<{ readonly flow: PlatformFlow; readonly results: Array<() => Result> }>;
  readonly nearMisses: () => NearMiss<number | undefined>[];
  readonly undecided: UndecidedRow[];
  readonly exposure: { readonly management: () => Result; readonly web: Array<() => Result>; readonly everything: () => Result };
}

/** The stand-in for the i-th accepted region (the NSG's own, then each primary region) in a canonical form. */
const placeholder = (i: number) => `$region${i}`;

/**
 * The canonical form of a target's NSG: its rules without names and origins, the names of its own and its primary
 * region replaced by placeholders in regional tags, and, when no rule names an address, the subnet and virtual network
 * replaced by a stand-in of the same shape. NSGs with the same canonical form (the regions of a multi-region network)
 * share one evaluation: every verdict is the same under such a renaming, since no rule can tell the difference.
 */
function canonical(t: Targets, target: NsgTarget): { key: string; rules: () => IndexedView[]; cidrs?: Ipv4Cidr[]; space: IntervalSet; regions: string[]; users: PlatformUser[] } {
  const views = t.rulesOf(target.nsg).views;
  const regions = acceptedRegions(t, target);
  const rename = (prefix: string): string => {
    const term = addressTerm(prefix);
    if (term.kind !== 'tag' || !prefix.includes('.')) {
      return prefix;
    }
    const { base, region } = splitTag(prefix);
    const i = region === undefined ? -1 : regions.indexOf(region);
    return i >= 0 ? `${base}.${placeholder(i)}` : prefix.toLowerCase();
  };
  // What the key holds of each rule; the rules themselves are built only for the first NSG of a form.
  const fields = views.map((v) => [v.priority, v.direction?.toLowerCase(), v.access?.toLowerCase(), v.protocol, v.sourcePrefixes?.map(rename),
    v.destinationPrefixes?.map(rename), v.sourcePorts, v.destinationPorts, v.maybe === undefined ? undefined : 'maybe'] as const);
  const rules = (): IndexedView[] => fields.map(([priority, direction, access, protocol, sourcePrefixes, destinationPrefixes, sourcePorts, destinationPorts, maybe], i) => ({
    name: `rule${i}`, priority, direction, access, protocol, sourcePrefixes, destinationPrefixes, sourcePorts, destinationPorts, maybe, origin: i,
  }));
  const cidrs = subnetCidrs(target);
  const space = virtualNetworkSpace(target, cidrs);
  const namesAddresses = views.some((v) => [...(v.sourcePrefixes ?? []), ...(v.destinationPrefixes ?? [])].some((p) => addressTerm(p).kind === 'cidr'));
  let subnet: Ipv4Cidr[] | undefined = cidrs;
  let vnet = space;
  if (!namesAddresses) {
    // A stand-in of the same shape: whether the subnet is known, and whether the virtual network has more than the subnet.
    const hasRest = cidrs !== undefined && !IntervalSet.union(cidrs.map((c) => [c.network, c.last] as [number, number])).containsAll(space);
    subnet = cidrs ? [STAND_IN_SUBNET] : undefined;
    vnet = IntervalSet.union([[STAND_IN_SUBNET.network, STAND_IN_SUBNET.last], ...(hasRest || !cidrs ? [[STAND_IN_NETWORK.network, STAND_IN_NETWORK.last] as [number, number]] : [])]);
    if (!cidrs && space.isEmpty) {
      vnet = IntervalSet.EMPTY;
    }
  }
  const canonicalRegions = regions.map((_, i) => placeholder(i));
  const users = platformUsers(target);
  const key = JSON.stringify([fields, subnet?.map((c) => c.text) ?? null, vnet.intervals, canonicalRegions, users]);
  return { key, rules, cidrs: subnet, space: vnet, regions: canonicalRegions, users };
}

const STAND_IN_NETWORK = parseIpv4CidrLenient('10.255.0.0/16') as Ipv4Cidr;
const STAND_IN_SUBNET = parseIpv4CidrLenient('10.255.255.0/27') as Ipv4Cidr;

/** Evaluate the canonical form once per document. */
function shared(t: Targets, form: ReturnType<typeof canonical>): Shared {
  return t.memo(t, `nsg:${form.key}`, () => {
    const { flows, undecided } = platformFlows({ users: form.users, regions: form.regions }, form.cidrs);
    // The exposure flows the NSG construct judges too (one definition: the two cannot disagree).
    const { management, web, everything } = exposureFlows(form.cidrs);
    const all = [...flows.flatMap((f) => f.parts.map((p) => p.flow)), management, ...web, everything];
    const rules = form.rules();
    const evaluator = new NsgEvaluator<number | undefined>(rules, all, { virtualNetworkSpace: form.space });
    // Each flow is evaluated the first time a rule asks for it.
    const lazily = (flow: NsgFlow) => {
      let result: Result | undefined;
      return () => (result ??= evaluator.evaluate(flow));
    };
    const evaluated = flows.map((flow) => ({ flow, results: flow.parts.map((p) => lazily(p.flow)) }));
    let misses: NearMiss<number | undefined>[] | undefined;
    const nearMisses = () => {
      if (!misses) {
        // Rows that may not be required are no reference for near misses.
        const rows = [...new Set(flows.filter((f) => f.condition === undefined).map((f) => f.row))];
        // A row is satisfied when explicit rules allow its flow (a flow only Azure's defaults allow still lacks its rule).
        const satisfied = new Set(rows.filter((row) => evaluated.filter((f) => f.flow.row === row).every((f) =>
          f.flow.kind === 'client' ? clientsAllowed(f.results[0]()).some : f.results.every((result) => result().allowed.all))));
        misses = findNearMisses(rules.filter((v) => v.maybe === undefined), rows, catalogRules(), (row) => satisfied.has(row));
      }
      return misses;
    };
    return {
      flows: evaluated,
      nearMisses,
      undecided,
      exposure: { management: lazily(management), web: web.map(lazily), everything: lazily(everything) },
    };
  });
}

/** Evaluate a target's NSG (once per canonical form and document). */
export function evaluationOf(t: Targets, target: NsgTarget): NsgEvaluation {
  return t.memo(target, 'nsg-evaluation', () => {
    const views = t.rulesOf(target.nsg).views;
    const form = canonical(t, target);
    const evaluation = shared(t, form);
    const regions = acceptedRegions(t, target);
    const labelOf = (flow: PlatformFlow, i: number): string => {
      const counterpart = flow.row.direction === 'Inbound' ? flow.row.source : flow.row.destination;
      return flow.parts.length === regions.length && flow.row.regional && regions[i] ? regionalTagOf(counterpart, regions[i]) : flow.parts[i].label;
    };
    return {
      flows: evaluation.flows.map(({ flow, results }) => ({
        flow,
        parts: results.map((result, i) => ({ label: labelOf(flow, i), get result() {
          return result();
        } })),
      })),
      undecided: evaluation.undecided,
      exposure: {
        get management() {
          return evaluation.exposure.management();
        },
        get web() {
          return evaluation.exposure.web.map((f) => f());
        },
        get everything() {
          return evaluation.exposure.everything();
        },
      },
      nearMisses: evaluation.nearMisses,
      actual: (rule: IndexedView) => (rule.origin === undefined ? rule as unknown as View : views[rule.origin]),
      indexOf: (rule: View) => views.indexOf(rule),
    };
  });
}

const REGIONAL_TAGS_SEEN = new Map<string, string>();

/** `regionalTag`, once per tag and region (every NSG of a multi-region network asks for the same few). */
function regionalTagOf(tag: string, region: string): string {
  const key = `${tag}|${region}`;
  let found = REGIONAL_TAGS_SEEN.get(key);
  if (found === undefined) {
    found = regionalTag(tag, region);
    if (REGIONAL_TAGS_SEEN.size > 10000) {
      REGIONAL_TAGS_SEEN.clear();
    }
    REGIONAL_TAGS_SEEN.set(key, found);
  }
  return found;
}

/** Where a finding about one security rule points: the standalone rule resource, or the NSG of an inline rule. */
export function ruleSubject(rule: View): Subject {
  const { name: _name, ...subject } = rule.origin;
  return subject;
}

/** A rule as messages name it: `the rule "deny-all" (priority 4000)`, or Azure's default rule. */
export function ruleName(rule: View): string {
  return isDefaultRule(rule) ? `Azure's default rule ${rule.name} (${rule.priority})` : `the rule "${rule.name}" (priority ${rule.priority ?? 'unknown'})`;
}

/** The rules of a list, as messages name them. */
export function ruleNames(rules: readonly View[]): string {
  return rules.map(ruleName).join(', ');
}

/** The prefixes of a rule on the side of a flow's counterpart (inbound: sources; outbound: destinations). */
export function counterpartPrefixes(rule: View, direction: 'Inbound' | 'Outbound'): string {
  const prefixes = direction === 'Inbound' ? rule.sourcePrefixes : rule.destinationPrefixes;
  return prefixes === undefined ? 'an unknown prefix' : prefixes.join(', ');
}

/** Whether an NSG's whole rule set is unknown (reported once per rule). */
export function unknownRuleSet(t: Targets, nsg: Resource): Unknown | undefined {
  return t.rulesOf(nsg).unknown;
}
