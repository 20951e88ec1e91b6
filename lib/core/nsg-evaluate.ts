/**
 * Network security rules evaluated as Azure evaluates them, for the flows API Management needs.
 *
 * Azure takes the rules of one direction in priority order (lower number first), Azure's default rules last
 * (65000, 65001, 65500), and the first rule that matches a packet decides it. Here a flow (a set of packets: source
 * and destination addresses, protocols, source and destination ports) is walked through the rules as boxes of cells
 * (see `address-set.ts` for addresses; protocols and port ranges are cut the same way), so every packet is decided
 * exactly, whatever ranges Azure gives its service tags. A value unknown at synth time (a token, an expression) makes
 * a rule match "maybe"; so does a prefix that may or may not overlap a tag (`AzureCloud.WestEurope`). Nothing unknown
 * is ever counted as allowed or denied.
 *
 * The verdict of a flow:
 * - `allowed`: every packet is allowed, whatever Azure's tag ranges and whatever the unknown values;
 * - `blocked`: every packet is denied;
 * - `partly-blocked`: some packets are denied for certain (a part that is not empty whatever the tag ranges);
 * - `maybe-blocked`: packets may be denied, depending only on where Azure's tag ranges lie (known values);
 * - `unknown`: packets may be denied, depending on values not known at synth time.
 *
 * Used by the APIM-NSG-* checks and by the NSG construct (to refuse user rules that block a platform flow).
 */
import {
  AddressTerm, AddressUniverse, Membership, UNKNOWN_SUBNET, addressTerm, isAddressPrefix, isExpression, isServiceTag,
} from './address-set';
import { BitSet } from './bitset';
import { Ipv4Cidr } from './cidr';
import { IntervalSet } from './interval-set';
import { normalizeLocation, regionalTag } from './locations';
import { CatalogRule, catalogRules, isRequired } from './nsg-catalog';
import { ApimVirtualNetworkType } from './types';

export { isAddressPrefix, isExpression, isServiceTag };

/** A security rule as the evaluator sees it. `undefined` marks a value unknown at synth time. */
export interface RuleView<T = unknown> {
  readonly name: string;
  readonly priority: number | undefined;
  readonly direction: string | undefined;
  readonly access: string | undefined;
  readonly protocol: string | undefined;
  readonly sourcePrefixes: readonly string[] | undefined;
  readonly destinationPrefixes: readonly string[] | undefined;
  readonly sourcePorts: readonly string[] | undefined;
  readonly destinationPorts: readonly string[] | undefined;
  /**
   * Set when the rule may or may not exist (a `dynamic` block or a `count`/`for_each` over a value not known at
   * synth time): why.
   */
  readonly maybe?: string;
  /** Why a field left undefined above is not known at synth time, when the caller knows (for messages only). */
  readonly unknownWhy?: string;
  /** Whatever the caller needs to report on the rule. */
  readonly origin: T;
}

/** The protocols an NSG rule can name, in the order of the protocol dimension. */
export const PROTOCOLS = ['tcp', 'udp', 'icmp', 'esp', 'ah'] as const;

/**
 * The source ports of the connections APIM needs (its clients', the platform's and its own): the non-privileged
 * range 1024-65535. Operating systems and Azure's SNAT pick a connection's source port there (IANA reserves ports
 * under 1024, and no connection uses port 0), so an allow limited to source port 443, or a deny of source ports
 * 1-65535, decides every real connection. (What an attacker may send is judged over every port: nsg-exposure.)
 */
export const CONNECTION_SOURCE_PORTS = IntervalSet.of(1024, 65535);
const portMemo = new Map<string, readonly [number, number] | undefined>();

/** Parse a port text (`*`, `443`, `6381-6383`) into an inclusive range, or undefined when it is not one. */
export function parsePortRange(text: string): readonly [number, number] | undefined {
  if (portMemo.has(text)) {
    return portMemo.get(text);
  }
  const t = text.trim();
  let range: readonly [number, number] | undefined;
  const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(t);
  if (t === '*') {
    range = [0, 65535];
  } else if (m) {
    const low = Number(m[1]);
    const high = m[2] === undefined ? low : Number(m[2]);
    range = low <= high && high <= 65535 ? [low, high] : undefined;
  }
  if (portMemo.size > 10000) {
    portMemo.clear();
  }
  portMemo.set(text, range);
  return range;
}

const portSetMemo = new Map<string, IntervalSet | undefined>();

/** The ports a list of port texts stands for; undefined when one is unknown or invalid. */
export function portSet(texts: readonly string[] | undefined): IntervalSet | undefined {
  if (texts === undefined) {
    return undefined;
  }
  const key = texts.join('\u0000');
  if (!portSetMemo.has(key)) {
    const ranges = texts.map(parsePortRange);
    if (portSetMemo.size > 10000) {
      portSetMemo.clear();
    }
    portSetMemo.set(key, ranges.every((r) => r !== undefined) ? IntervalSet.union(ranges as Array<readonly [number, number]>) : undefined);
  }
  return portSetMemo.get(key);
}

/** The protocols (indexes into PROTOCOLS) a protocol text stands for; undefined when it is unknown or invalid. */
export function protocolSet(text: string | undefined): number[] | undefined {
  if (text === undefined) {
    return undefined;
  }
  const lower = text.trim().toLowerCase();
  if (lower === '*' || lower === 'any') {
    return PROTOCOLS.map((_, i) => i);
  }
  const index = (PROTOCOLS as readonly string[]).indexOf(lower);
  return index < 0 ? undefined : [index];
}

/** Split `Storage.WestEurope` into base tag and normalised region. */
export function splitTag(tag: string): { readonly base: string; readonly region?: string } {
  const dot = tag.indexOf('.');
  if (dot < 0) {
    return { base: tag.toLowerCase() };
  }
  return { base: tag.slice(0, dot).toLowerCase(), region: normalizeLocation(tag.slice(dot + 1)) };
}

// ------------------------------------------------------------------------------------------------------------------
// Azure's default rules

function defaultRule(name: string, priority: number, direction: string, access: string, source: string, destination: string): RuleView<undefined> {
  return {
    name, priority, direction, access, protocol: '*', sourcePrefixes: [source], destinationPrefixes: [destination],
    sourcePorts: ['*'], destinationPorts: ['*'], origin: undefined,
  };
}

/** Azure's default rules, part of every NSG, by direction. */
export const DEFAULT_RULES: Readonly<Record<'Inbound' | 'Outbound', readonly RuleView<undefined>[]>> = {
  Inbound: [
    defaultRule('AllowVnetInBound', 65000, 'Inbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
    defaultRule('AllowAzureLoadBalancerInBound', 65001, 'Inbound', 'Allow', 'AzureLoadBalancer', '*'),
    defaultRule('DenyAllInBound', 65500, 'Inbound', 'Deny', '*', '*'),
  ],
  Outbound: [
    defaultRule('AllowVnetOutBound', 65000, 'Outbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
    defaultRule('AllowInternetOutBound', 65001, 'Outbound', 'Allow', '*', 'Internet'),
    defaultRule('DenyAllOutBound', 65500, 'Outbound', 'Deny', '*', '*'),
  ],
};

const DEFAULTS = new Set<RuleView<unknown>>([...DEFAULT_RULES.Inbound, ...DEFAULT_RULES.Outbound]);

/** Whether a rule is one of Azure's default rules. */
export function isDefaultRule(rule: RuleView<unknown>): boolean {
  return DEFAULTS.has(rule);
}

// ------------------------------------------------------------------------------------------------------------------
// Flows

/** One end of a flow: the addresses of its terms, except those of `except`. */
export interface FlowEnd {
  readonly terms: readonly AddressTerm[];
  /** Whether the end is the APIM subnet (its prefixes are then surely inside VirtualNetwork). */
  readonly subnet?: boolean;
  readonly except?: readonly AddressTerm[];
  /** How messages name it: `ApiManagement`, `VirtualNetwork`. */
  readonly label: string;
}

/** A set of packets. */
export interface NsgFlow {
  readonly direction: 'Inbound' | 'Outbound';
  /** Protocol texts (`Tcp`, `*`). */
  readonly protocols: readonly string[];
  readonly source: FlowEnd;
  readonly destination: FlowEnd;
  readonly sourcePorts: IntervalSet;
  readonly destinationPorts: IntervalSet;
}

/** The end of a flow that is the APIM subnet: its prefixes when known, else the subnet somewhere in VirtualNetwork. */
export function subnetEnd(cidrs: readonly Ipv4Cidr[] | undefined): FlowEnd {
  return {
    terms: cidrs && cidrs.length > 0 ? cidrs.map((c) => addressTerm(c.text)) : [UNKNOWN_SUBNET],
    label: 'VirtualNetwork',
    subnet: true,
  };
}

/** The end of a flow that is a prefix text (a tag, a CIDR, `*`). */
export function prefixEnd(text: string, except: readonly string[] = []): FlowEnd {
  return { terms: [addressTerm(text)], except: except.map(addressTerm), label: text };
}

// ------------------------------------------------------------------------------------------------------------------
// Evaluation

type Box = readonly [BitSet, BitSet, BitSet, BitSet, BitSet];

/** The source-port dimension of a Box (source, destination, protocol, source ports, destination ports). */
const SOURCE_PORTS = 3;

/** The dimensions in the order overlap checks try them: protocols and ports first (a few words), then addresses. */
const CHEAP_FIRST = [2, 3, 4, 0, 1] as const;

function intersect(a: Box, b: Box): Box | undefined {
  // Most boxes a rule is tried against do not meet it: find out without building anything.
  if (!overlaps(a, b)) {
    return undefined;
  }
  const out: BitSet[] = [];
  for (let d = 0; d < 5; d++) {
    const set = a[d].and(b[d]);
    if (set.isEmpty) {
      return undefined;
    }
    out.push(set);
  }
  return out as unknown as Box;
}

/** `a` minus `b`, as disjoint boxes. */
function subtract(a: Box, b: Box): Box[] {
  const out: Box[] = [];
  const prefix: BitSet[] = [];
  for (let d = 0; d < 5; d++) {
    const rest = a[d].minus(b[d]);
    if (!rest.isEmpty) {
      out.push([...prefix, rest, ...a.slice(d + 1)] as unknown as Box);
    }
    const common = a[d].and(b[d]);
    if (common.isEmpty) {
      break;
    }
    prefix.push(common);
  }
  return out;
}

function overlaps(a: Box, b: Box): boolean {
  for (const d of CHEAP_FIRST) {
    if (!a[d].overlaps(b[d])) {
      return false;
    }
  }
  return true;
}

/** A rule compiled into boxes: the packets it surely matches (`must`) and may match (`may`). */
interface Compiled<T> {
  readonly view: RuleView<T>;
  readonly index: number;
  readonly access: 'allow' | 'deny' | undefined;
  readonly must?: Box;
  readonly may: Box;
  /** may differs from must. */
  readonly uncertain: boolean;
  /** The difference comes only from what Azure knows (tag ranges), not from a value unknown at synth time. */
  readonly world: boolean;
  readonly isDefault: boolean;
}

/** Whether the rules that decide some parts all name the same sources and destinations. */
function oneAddressSet<T>(atoms: readonly Atom<T>[]): boolean {
  const key = (rule: RuleView<T>) => JSON.stringify([rule.sourcePrefixes, rule.destinationPrefixes]);
  return new Set(atoms.map((atom) => key(atom.decider))).size <= 1;
}

/** Whether an explicit (not a default) rule allows a part. */
function explicitlyAllowed<T>(a: Atom<T>): Answer {
  if (a.outcome === 'deny') {
    return 'no';
  }
  if (!isDefaultRule(a.decider)) {
    return a.outcome === 'allow' ? 'yes' : 'maybe';
  }
  return a.maybe.some((r) => sameAccess(r, 'deny') !== true) ? 'maybe' : 'no';
}

/** A part of a flow and how it is decided. */
export interface Atom<T> {
  readonly box: Box;
  /** `either` when a rule with an unknown value (or an uncertain overlap) may have decided otherwise. */
  readonly outcome: 'allow' | 'deny' | 'either';
  /** The rule that surely matches this part (the first that does). */
  readonly decider: RuleView<T>;
  /** Rules that may have matched before the decider. */
  readonly maybe: readonly RuleView<T>[];
  /** Whether those rules' uncertainty is a value unknown at synth time (else only Azure's tag ranges). */
  readonly valueTaint: boolean;
  /** For a denied part: an explicit allow after the decider that matches it (surely, or maybe). */
  readonly shadowed?: { readonly allow: RuleView<T>; readonly certain: boolean; readonly world: boolean };
}

/** Whether a part surely, maybe, or not has a property. */
export type Answer = 'yes' | 'maybe' | 'no';

/** How much of a flow has a property. */
export interface Share<T> {
  /** Every packet of the flow has it. */
  readonly all: boolean;
  /** Some packets have it, whatever Azure's tag ranges. */
  readonly some: boolean;
  /** When not `some`: packets may have it, because of values unknown at synth time (`value`) or Azure's tag ranges (`world`). */
  readonly maybe: false | 'value' | 'world';
  /** The rules that decide the packets that have it (or may). */
  readonly rules: RuleView<T>[];
  /** The rules whose unknown values (or uncertain overlaps) leave it open. */
  readonly uncertain: RuleView<T>[];
}

/** The outcome of evaluating one flow. */
export class FlowResult<T> {
  private readonly shares = new Map<string, Share<T>>();

  /** @internal */
  public constructor(
    public readonly flow: NsgFlow,
    public readonly atoms: readonly Atom<T>[],
    private readonly must: Box,
    private readonly groups: readonly [BitSet[], BitSet[], BitSet[], BitSet[], BitSet[]],
    private readonly flowValueUncertain: boolean,
  ) {}

  /**
   * How much of the flow has a property; `key` caches it. With `wholeSourcePorts`, `some` asks for packets that have
   * it from every source port of the flow (a connection takes whichever port its system picks, so an allow of some
   * source ports lets in no connection for sure); what has it from some source ports only is neither `some` nor `maybe`.
   */
  public share(key: string, property: (atom: Atom<T>) => Answer, wholeSourcePorts = false): Share<T> {
    const cacheKey = wholeSourcePorts ? `${key}\u0000whole-source-ports` : key;
    let found = this.shares.get(cacheKey);
    if (!found) {
      found = this.compute(property, wholeSourcePorts);
      this.shares.set(cacheKey, found);
    }
    return found;
  }

  private compute(property: (atom: Atom<T>) => Answer, wholeSourcePorts: boolean): Share<T> {
    const answers = this.atoms.map(property);
    const rules = new Set<RuleView<T>>();
    const uncertain = new Set<RuleView<T>>();
    const open: number[] = [];
    answers.forEach((a, i) => {
      if (a !== 'no') {
        const atom = this.atoms[i];
        rules.add(atom.decider);
        open.push(i);
        if (a === 'maybe') {
          atom.maybe.forEach((rule) => uncertain.add(rule));
          if (atom.shadowed && !atom.shadowed.certain) {
            uncertain.add(atom.shadowed.allow);
          }
          if (atom.outcome === 'either' && atom.maybe.length === 0) {
            uncertain.add(atom.decider);
          }
        }
      }
    });
    const all = answers.length > 0 && answers.every((a) => a === 'yes');
    const some = all || this.witness(answers, wholeSourcePorts);
    let maybe: Share<T>['maybe'] = false;
    if (!some && wholeSourcePorts && !answers.includes('maybe') && this.witness(answers, false) && oneAddressSet(this.atoms.filter((_, i) => answers[i] === 'yes'))) {
      // Surely from some source ports, from all of them nowhere, and what has it is decided by rules of one address set:
      // known, and not so. (Rules of different addresses, say a tag on some ports and a CIDR on the others, may cover
      // every port where Azure puts the tag's addresses inside the CIDR; that, or an unknown value, is the maybe below.)
      return { all, some, maybe, rules: [...rules], uncertain: [...uncertain] };
    }
    if (!some && open.length > 0) {
      // A surely-so part with no witness is open only because of Azure's tag ranges, unless it lies where the flow
      // itself is not known (a subnet of unknown prefixes); a maybe-so part is open because of the rules' values.
      const value = this.flowValueUncertain || open.every((i) => !overlaps(this.atoms[i].box, this.must)) || open.some((i) => {
        const atom = this.atoms[i];
        return answers[i] === 'maybe' && (atom.valueTaint || (atom.shadowed !== undefined && !atom.shadowed.certain && !atom.shadowed.world));
      });
      maybe = value ? 'value' : 'world';
    }
    return { all, some, maybe, rules: [...rules], uncertain: [...uncertain] };
  }

  /**
   * Whether some part of the flow that is not empty whatever Azure's tag ranges has the property surely: a product of
   * one group per dimension (see `witnessGroups`) that no part without the property overlaps. The dimension with the
   * most groups is left free: for each choice of the others, the parts without the property that meet it are merged in
   * the free dimension, and any group of the free dimension outside that merge is a witness. This is linear in the
   * parts and the groups, not in their product.
   */
  private witness(answers: readonly Answer[], wholeSourcePorts: boolean): boolean {
    const among = this.groups;
    if (!answers.includes('yes')) {
      return false;
    }
    const bad = this.atoms.filter((_, i) => answers[i] !== 'yes').map((a) => a.box);
    // The source-port groups as one: a witness then holds every source port of the flow.
    const groups = wholeSourcePorts && among[SOURCE_PORTS].length > 1
      ? among.map((g, d) => (d === SOURCE_PORTS ? [g.reduce((a, b) => a.or(b))] : g)) as unknown as typeof among
      : among;
    const free = [0, 1, 2, 3, 4].reduce((best, d) => (groups[d].length > groups[best].length ? d : best), 0);
    const others = [0, 1, 2, 3, 4].filter((d) => d !== free);
    if (groups.some((g) => g.length === 0)) {
      return false;
    }
    const choice = others.map(() => 0);
    for (;;) {
      let merged: BitSet | undefined;
      for (const box of bad) {
        if (others.every((d, i) => box[d].overlaps(groups[d][choice[i]]))) {
          merged = merged ? merged.or(box[free]) : box[free];
        }
      }
      if (groups[free].some((g) => !merged || !g.overlaps(merged))) {
        return true;
      }
      // The next choice of the other dimensions' groups.
      let i = 0;
      while (i < choice.length && ++choice[i] === groups[others[i]].length) {
        choice[i] = 0;
        i++;
      }
      if (i === choice.length) {
        return false;
      }
    }
  }

  /** Packets an explicit (not a default) rule allows. */
  public get allowed(): Share<T> {
    return this.share('allowed', explicitlyAllowed);
  }

  /** Packets an explicit rule allows from every source port of the flow (see `share`): what a connection can count on. */
  public get allowedFromEverySourcePort(): Share<T> {
    return this.share('allowed', explicitlyAllowed, true);
  }

  /** Packets that only Azure's default rules allow. */
  public get allowedByDefault(): Share<T> {
    return this.share('default', (a) => {
      if (!isDefaultRule(a.decider) || a.outcome === 'deny') {
        return 'no';
      }
      return a.outcome === 'allow' && a.maybe.every((r) => sameAccess(r, 'deny') === true) ? 'yes' : 'maybe';
    });
  }

  /** Denied packets that no explicit allow after the deny would match. */
  public get unallowed(): Share<T> {
    return this.share('unallowed', (a) => {
      if (a.outcome === 'allow') {
        return 'no';
      }
      if (a.shadowed?.allow === a.decider) {
        return 'no';
      }
      if (a.outcome === 'deny' && !a.shadowed) {
        return 'yes';
      }
      return a.outcome === 'deny' && a.shadowed?.certain ? 'no' : 'maybe';
    });
  }

  /** Denied packets that an explicit allow after the deny would match: the deny shadows the allow. */
  public get shadowed(): Share<T> {
    return this.share('shadowed', (a) => {
      if (a.outcome === 'allow' || !a.shadowed) {
        return 'no';
      }
      return a.outcome === 'deny' && a.shadowed.certain ? 'yes' : 'maybe';
    });
  }

  /** Denied packets. */
  public get denied(): Share<T> {
    return this.share('denied', (a) => (a.outcome === 'deny' ? 'yes' : a.outcome === 'either' ? 'maybe' : 'no'));
  }

  /** The verdict (see the file's comment). */
  public get verdict(): 'allowed' | 'blocked' | 'partly-blocked' | 'maybe-blocked' | 'unknown' {
    if (this.atoms.every((a) => a.outcome === 'allow')) {
      return 'allowed';
    }
    const denied = this.denied;
    if (denied.all) {
      return 'blocked';
    }
    if (denied.some) {
      return 'partly-blocked';
    }
    return denied.maybe === 'world' ? 'maybe-blocked' : 'unknown';
  }

  /** The (deny, allow) pairs where a deny decides packets an explicit allow after it would have allowed. */
  public get shadowings(): Array<{ readonly deny: RuleView<T>; readonly allow: RuleView<T>; readonly certain: boolean }> {
    const out = new Map<string, { deny: RuleView<T>; allow: RuleView<T>; certain: boolean }>();
    for (const a of this.atoms) {
      if (!a.shadowed || a.outcome === 'allow') {
        continue;
      }
      const denies = a.shadowed.allow === a.decider ? a.maybe.filter((r) => sameAccess(r, 'allow') !== true) : [a.decider];
      for (const deny of denies) {
        const key = `${deny.name}|${a.shadowed.allow.name}`;
        const certain = a.outcome === 'deny' && a.shadowed.certain;
        out.set(key, { deny, allow: a.shadowed.allow, certain: certain || (out.get(key)?.certain ?? false) });
      }
    }
    return [...out.values()];
  }
}

function sameAccess(rule: RuleView<unknown>, access: 'allow' | 'deny'): boolean | undefined {
  return rule.access === undefined || isExpression(rule.access) ? undefined : rule.access.trim().toLowerCase() === access;
}

function sameDirection(rule: RuleView<unknown>, direction: string): boolean | undefined {
  return rule.direction === undefined || isExpression(rule.direction) ? undefined : rule.direction.trim().toLowerCase() === direction.toLowerCase();
}

/** Where an NSG is evaluated. */
export interface NsgContext {
  /**
   * Addresses surely inside VirtualNetwork: the virtual network's known address space (and the APIM subnet). Other
   * private addresses may be inside it through peering.
   */
  readonly virtualNetworkSpace?: IntervalSet;
}

/** Cuts of one dimension of ports into pieces that every port set of the evaluation holds entirely or not at all. */
class Pieces {
  /** Start of each piece (piece i is [starts[i], starts[i+1] - 1], the last ends at 65535). */
  private readonly starts: number[];
  private readonly memo = new Map<IntervalSet, BitSet>();

  public constructor(sets: readonly IntervalSet[]) {
    const cuts = new Set<number>([0]);
    for (const set of sets) {
      for (const [low, high] of set.intervals) {
        cuts.add(low);
        if (high < 65535) {
          cuts.add(high + 1);
        }
      }
    }
    this.starts = [...cuts].sort((a, b) => a - b);
  }

  public get size(): number {
    return this.starts.length;
  }

  /** The pieces a port set holds (every cut of the set is a cut of the pieces). */
  public of(set: IntervalSet): BitSet {
    let found = this.memo.get(set);
    if (!found) {
      const members: number[] = [];
      for (const [low, high] of set.intervals) {
        for (let i = this.indexOf(low); i < this.starts.length && this.starts[i] <= high; i++) {
          members.push(i);
        }
      }
      found = BitSet.of(this.starts.length, members);
      this.memo.set(set, found);
    }
    return found;
  }

  private indexOf(value: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= value) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }
}

/** One direction of one NSG, compiled for a set of flows. */
class DirectionEvaluator<T> {
  private readonly universe: AddressUniverse;
  private readonly sourcePorts: Pieces;
  private readonly destinationPorts: Pieces;
  private readonly compiled: Compiled<T>[];

  /** The terms of each prefix list (the same list object each time: the universe computes a list once). */
  private readonly termLists = new Map<readonly string[], AddressTerm[]>();

  public constructor(rules: readonly RuleView<T>[], private readonly flows: readonly NsgFlow[], context: NsgContext) {
    const lists: Array<readonly AddressTerm[]> = [];
    const sourcePorts: IntervalSet[] = [];
    const destinationPorts: IntervalSet[] = [];
    for (const rule of rules) {
      for (const texts of [rule.sourcePrefixes, rule.destinationPrefixes]) {
        if (texts) {
          lists.push(this.termsOf(texts));
        }
      }
      [[rule.sourcePorts, sourcePorts], [rule.destinationPorts, destinationPorts]].forEach(([texts, into]) => {
        const set = portSet(texts as readonly string[] | undefined);
        if (set) {
          (into as IntervalSet[]).push(set);
        }
      });
    }
    for (const flow of flows) {
      lists.push(flow.source.terms, flow.source.except ?? [], flow.destination.terms, flow.destination.except ?? []);
      sourcePorts.push(flow.sourcePorts);
      destinationPorts.push(flow.destinationPorts);
    }
    // The APIM subnet is inside VirtualNetwork, whatever else is known of the virtual network.
    const subnets = flows.flatMap((f) => [f.source, f.destination]).filter((e) => e.subnet).flatMap((e) => e.terms)
      .flatMap((t) => (t.kind === 'cidr' ? t.set.intervals : []));
    this.universe = new AddressUniverse(lists, (context.virtualNetworkSpace ?? IntervalSet.EMPTY).or(IntervalSet.union(subnets)));
    this.sourcePorts = new Pieces(sourcePorts);
    this.destinationPorts = new Pieces(destinationPorts);
    const ordered = rules
      .map((view, i) => ({ view, i }))
      .sort((a, b) => (a.view.priority ?? -1) - (b.view.priority ?? -1) || a.i - b.i);
    this.compiled = ordered.map(({ view }, index) => this.compile(view, index));
  }

  /** Whether this evaluator was built for a flow (its terms and ports cut the space). */
  public knows(flow: NsgFlow): boolean {
    return this.flows.includes(flow);
  }

  private termsOf(texts: readonly string[]): AddressTerm[] {
    let terms = this.termLists.get(texts);
    if (!terms) {
      terms = texts.map(addressTerm);
      this.termLists.set(texts, terms);
    }
    return terms;
  }

  private addresses(texts: readonly string[] | undefined): Membership {
    if (texts === undefined) {
      return { must: BitSet.none(this.universe.size), may: BitSet.all(this.universe.size), world: false };
    }
    return this.universe.union(this.termsOf(texts));
  }

  private compile(view: RuleView<T>, index: number): Compiled<T> {
    const source = this.addresses(view.sourcePrefixes);
    const destination = this.addresses(view.destinationPrefixes);
    const protocols = protocolSet(view.protocol);
    const allProtocols = BitSet.all(PROTOCOLS.length);
    const protocol = protocols ? BitSet.of(PROTOCOLS.length, protocols) : undefined;
    const ports = (texts: readonly string[] | undefined, pieces: Pieces) => {
      const set = portSet(texts);
      return set ? pieces.of(set) : undefined;
    };
    const sourcePorts = ports(view.sourcePorts, this.sourcePorts);
    const destinationPorts = ports(view.destinationPorts, this.destinationPorts);
    const all = (pieces: Pieces) => BitSet.all(pieces.size);
    const may: Box = [source.may, destination.may, protocol ?? allProtocols, sourcePorts ?? all(this.sourcePorts), destinationPorts ?? all(this.destinationPorts)];
    const certain = view.maybe === undefined && view.priority !== undefined && protocol !== undefined && sourcePorts !== undefined && destinationPorts !== undefined;
    const mustBox: Box = [source.must, destination.must, protocol ?? allProtocols, sourcePorts ?? all(this.sourcePorts), destinationPorts ?? all(this.destinationPorts)];
    const must = certain && mustBox.every((set) => !set.isEmpty) ? mustBox : undefined;
    const uncertain = !must || !must.every((set, d) => set.equals(may[d]));
    const valueUnknown = !certain || (!source.world && !source.must.equals(source.may)) || (!destination.world && !destination.must.equals(destination.may));
    const access = sameAccess(view, 'allow') === true ? 'allow' : sameAccess(view, 'deny') === true ? 'deny' : undefined;
    return { view, index, access, must, may, uncertain, world: !valueUnknown && access !== undefined, isDefault: isDefaultRule(view) };
  }

  private flowBoxes(flow: NsgFlow): { must: Box; may: Box; valueUncertain: boolean } {
    const end = (e: FlowEnd) => {
      const m = this.universe.union(e.terms);
      const except = e.except && e.except.length > 0 ? this.universe.union(e.except) : undefined;
      return {
        must: except ? m.must.minus(except.may) : m.must,
        may: except ? m.may.minus(except.must) : m.may,
        value: !m.world && !m.must.equals(m.may),
      };
    };
    const source = end(flow.source);
    const destination = end(flow.destination);
    const protocols = BitSet.of(PROTOCOLS.length, flow.protocols.flatMap((p) => protocolSet(p) ?? []));
    const sourcePorts = this.sourcePorts.of(flow.sourcePorts);
    const destinationPorts = this.destinationPorts.of(flow.destinationPorts);
    return {
      must: [source.must, destination.must, protocols, sourcePorts, destinationPorts],
      may: [source.may, destination.may, protocols, sourcePorts, destinationPorts],
      valueUncertain: source.value || destination.value,
    };
  }

  public evaluate(flow: NsgFlow): FlowResult<T> {
    const { must, may, valueUncertain } = this.flowBoxes(flow);
    const atoms: Array<Atom<T> & { deciderIndex: number }> = [];
    interface Live { box: Box; possible: number; maybe: RuleView<T>[]; valueTaint: boolean }
    let live: Live[] = may.some((set) => set.isEmpty) ? [] : [{ box: may, possible: 0, maybe: [], valueTaint: false }];
    const bits = (access: Compiled<T>['access']) => (access === 'allow' ? 1 : access === 'deny' ? 2 : 3);
    for (const rule of this.compiled) {
      if (live.length === 0) {
        break;
      }
      const next: Live[] = [];
      for (const item of live) {
        let rest = [item.box];
        if (rule.must) {
          const hit = intersect(item.box, rule.must);
          if (hit) {
            const possible = item.possible | bits(rule.access);
            atoms.push({
              box: hit, outcome: possible === 1 ? 'allow' : possible === 2 ? 'deny' : 'either', decider: rule.view, maybe: item.maybe,
              valueTaint: item.valueTaint || rule.access === undefined, deciderIndex: rule.index,
            });
            rest = subtract(item.box, rule.must);
          }
        }
        for (const piece of rest) {
          const hit = rule.uncertain ? intersect(piece, rule.may) : undefined;
          if (!hit) {
            next.push({ ...item, box: piece });
            continue;
          }
          next.push({ box: hit, possible: item.possible | bits(rule.access), maybe: [...item.maybe, rule.view], valueTaint: item.valueTaint || !rule.world });
          next.push(...subtract(piece, rule.may).map((box) => ({ ...item, box })));
        }
      }
      live = next;
    }
    return new FlowResult(flow, this.withShadows(atoms), must, this.witnessGroups(must), valueUncertain);
  }

  /** Split each denied part by the explicit allows after its deny that would match it. */
  private withShadows(atoms: Array<Atom<T> & { deciderIndex: number }>): Atom<T>[] {
    const out: Atom<T>[] = [];
    for (const atom of atoms) {
      if (atom.outcome === 'allow') {
        out.push(atom);
        continue;
      }
      const decider = this.compiled[atom.deciderIndex];
      if (decider.access === 'allow' && !decider.isDefault) {
        // An explicit allow decides it, unless a rule before it (whose values are not all known) denies it first.
        out.push({ ...atom, shadowed: { allow: atom.decider, certain: false, world: !atom.valueTaint } });
        continue;
      }
      let remaining: Box[] = [atom.box];
      for (let later = atom.deciderIndex + 1; later < this.compiled.length && remaining.length > 0; later++) {
        const allow = this.compiled[later];
        if (allow.isDefault || allow.access === 'deny') {
          continue;
        }
        const next: Box[] = [];
        for (const piece of remaining) {
          const certainHit = allow.must && allow.access === 'allow' ? intersect(piece, allow.must) : undefined;
          const rest = certainHit ? subtract(piece, allow.must as Box) : [piece];
          if (certainHit) {
            out.push({ ...atom, box: certainHit, shadowed: { allow: allow.view, certain: true, world: false } });
          }
          for (const r of rest) {
            const maybeHit = intersect(r, allow.may);
            if (maybeHit) {
              out.push({ ...atom, box: maybeHit, shadowed: { allow: allow.view, certain: false, world: allow.world } });
              next.push(...subtract(r, allow.may));
            } else {
              next.push(r);
            }
          }
        }
        remaining = next;
      }
      out.push(...remaining.map((box) => ({ ...atom, box })));
    }
    return out;
  }

  /** For each dimension, the parts of the flow's sure packets that are not empty whatever Azure's tag ranges. */
  private witnessGroups(must: Box): [BitSet[], BitSet[], BitSet[], BitSet[], BitSet[]] {
    const addressGroups = (set: BitSet) => this.universe.groups().filter((g) => set.containsAll(g));
    const singles = (set: BitSet) => set.members().map((m) => BitSet.of(set.size, [m]));
    return [addressGroups(must[0]), addressGroups(must[1]), singles(must[2]), singles(must[3]), singles(must[4])];
  }
}

/**
 * An NSG's rules (explicit; Azure's default rules are added) compiled for the flows to evaluate. Compiling cuts the
 * address and port spaces at every boundary of the rules and the flows, so give every flow you will evaluate.
 */
export class NsgEvaluator<T> {
  private readonly directions = new Map<'Inbound' | 'Outbound', DirectionEvaluator<T>>();

  public constructor(private readonly rules: readonly RuleView<T>[], private flows: readonly NsgFlow[], private readonly context: NsgContext = {}) {}

  private forDirection(direction: 'Inbound' | 'Outbound', flow: NsgFlow): DirectionEvaluator<T> {
    let evaluator = this.directions.get(direction);
    if (!evaluator || !evaluator.knows(flow)) {
      if (!this.flows.includes(flow)) {
        this.flows = [...this.flows, flow];
      }
      // Rules of the flow's direction, and rules whose direction is unknown (they may or may not apply).
      const rules = this.rules.flatMap((rule) => {
        const same = sameDirection(rule, direction);
        if (same === false) {
          return [];
        }
        return same === undefined ? [{ ...rule, maybe: rule.maybe ?? 'its direction is not known at synth time' }] : [rule];
      });
      evaluator = new DirectionEvaluator<T>([...rules, ...(DEFAULT_RULES[direction] as readonly RuleView<unknown>[] as readonly RuleView<T>[])],
        this.flows.filter((f) => f.direction === direction), this.context);
      this.directions.set(direction, evaluator);
    }
    return evaluator;
  }

  /** Evaluate one flow. */
  public evaluate(flow: NsgFlow): FlowResult<T> {
    return this.forDirection(flow.direction, flow).evaluate(flow);
  }
}

// ------------------------------------------------------------------------------------------------------------------
// The flows API Management needs

/** One APIM location a subnet serves, as far as the catalog rows it needs go. */
export interface PlatformUser {
  /** `External` or `Internal`; undefined when not known. */
  readonly mode?: ApimVirtualNetworkType;
  /** Whether the instance has more than one location; undefined when not known. */
  readonly multiRegion?: boolean;
  /** Why the mode is not known (appended to the condition of the rows that depend on it). */
  readonly modeUnknown?: string;
  /** Why the number of locations is not known. */
  readonly multiRegionUnknown?: string;
}

/** Which catalog rows apply. */
export interface PlatformSelection {
  /** `External` or `Internal`; undefined when not known (the mode-dependent flows are then conditional). */
  readonly mode?: ApimVirtualNetworkType;
  /** Whether the instance has more than one location; undefined when not known. */
  readonly multiRegion?: boolean;
  /** Normalised regions whose regional tags (`Storage.<region>`) APIM needs: the NSG's own and each primary region. */
  readonly regions?: readonly string[];
  /**
   * Every APIM location the subnet serves (classic instances may share a subnet): a row is required when one of them
   * requires it. When given, `mode` and `multiRegion` are not read.
   */
  readonly users?: readonly PlatformUser[];
}

/** One destination port of one catalog row, as flows (one per region for the regional tags). */
export interface PlatformFlow {
  readonly row: CatalogRule;
  readonly port: number;
  /** `Inbound:ApiManagement:3443`. */
  readonly detail: string;
  /** `Inbound TCP 3443 from ApiManagement to VirtualNetwork`. */
  readonly text: string;
  /** `client` (any client is enough) or `platform` (every packet matters). */
  readonly kind: 'client' | 'platform';
  /** One flow per part APIM needs entirely: one per region for the regional tags, else one. */
  readonly parts: ReadonlyArray<{ readonly label: string; readonly flow: NsgFlow }>;
  /**
   * Set when the row may or may not be required (the mode or the number of locations is not known): why. A problem
   * with such a flow is unknown, not an error; a flow that passes passes either way.
   */
  readonly condition?: string;
}

/** Rows whose requirement depends on the mode or the number of locations, when those are not known. */
export interface UndecidedRow {
  readonly row: CatalogRule;
  readonly why: string;
}

/** Whether a row is surely, maybe, or not required by one user. */
function requiredBy(row: CatalogRule, user: PlatformUser): { answer: 'yes' | 'maybe' | 'no'; why?: string } {
  const modes = user.mode ? [user.mode] : [ApimVirtualNetworkType.EXTERNAL, ApimVirtualNetworkType.INTERNAL];
  const multi = user.multiRegion === undefined ? [false, true] : [user.multiRegion];
  const applies = modes.flatMap((mode) => multi.map((m) => isRequired(row, mode, m)));
  if (applies.every((a) => a)) {
    return { answer: 'yes' };
  }
  if (!applies.some((a) => a)) {
    return { answer: 'no' };
  }
  // Which unknown matters: the mode, when the row's answer changes with it for a known number of locations.
  const modeMatters = user.mode === undefined && multi.some((m) => isRequired(row, ApimVirtualNetworkType.EXTERNAL, m) !== isRequired(row, ApimVirtualNetworkType.INTERNAL, m));
  const why = modeMatters
    ? `the APIM mode (External or Internal) is not known${user.modeUnknown ? `: ${user.modeUnknown}` : ''}`
    : `whether the APIM instance has several locations is not known${user.multiRegionUnknown ? `: ${user.multiRegionUnknown}` : ''}`;
  return { answer: 'maybe', why };
}

/**
 * The flows of the catalog rows required for a selection, on a subnet (its prefixes, or undefined when not known).
 * Rows that apply only in a mode or with several locations, when those are not known, come with a `condition` (and are
 * listed in `undecided`).
 */
export function platformFlows(selection: PlatformSelection, subnet: readonly Ipv4Cidr[] | undefined): { flows: PlatformFlow[]; undecided: UndecidedRow[] } {
  const flows: PlatformFlow[] = [];
  const undecided: UndecidedRow[] = [];
  const apim = subnetEnd(subnet);
  const users = selection.users && selection.users.length > 0 ? selection.users : [{ mode: selection.mode, multiRegion: selection.multiRegion }];
  for (const row of catalogRules()) {
    if (row.requirement === 'optional') {
      continue;
    }
    const answers = users.map((user) => requiredBy(row, user));
    if (answers.every((a) => a.answer === 'no')) {
      continue;
    }
    const maybe = answers.some((a) => a.answer === 'yes') ? undefined : answers.find((a) => a.answer === 'maybe');
    const condition = maybe?.why;
    if (condition) {
      undecided.push({ row, why: condition });
    }
    const client = row.id === 'client-https';
    for (const text of row.ports) {
      const port = Number(text);
      const counterpart = row.direction === 'Inbound' ? row.source : row.destination;
      const regions = row.regional && selection.regions && selection.regions.length > 0 ? [...new Set(selection.regions)] : [undefined];
      const parts = regions.map((region) => {
        const tag = region ? regionalTag(counterpart, region) : counterpart;
        const other = client ? prefixEnd('*') : prefixEnd(tag);
        return {
          label: tag,
          flow: {
            direction: row.direction, protocols: [row.protocol], sourcePorts: CONNECTION_SOURCE_PORTS, destinationPorts: IntervalSet.of(port, port),
            source: row.direction === 'Inbound' ? other : apim, destination: row.direction === 'Inbound' ? apim : other,
          } as NsgFlow,
        };
      });
      flows.push({
        row, port, detail: `${row.direction}:${counterpart}:${port}`, kind: client ? 'client' : 'platform', parts,
        text: `${row.direction} ${row.protocol.toUpperCase()} ${port} from ${client ? 'any client' : row.source} to ${row.destination}`,
        ...(condition ? { condition } : {}),
      });
    }
  }
  return { flows, undecided };
}

const PLATFORM_TAGS = new Set(['apimanagement', 'azuretrafficmanager', 'azureloadbalancer']);

/** Whether a rule's sources are only platform tags (ApiManagement, AzureTrafficManager, AzureLoadBalancer): it lets no client in. */
export function isPlatformOnly(rule: RuleView<unknown>): boolean {
  const sources = rule.sourcePrefixes;
  return sources !== undefined && sources.length > 0 && sources.every((p) => PLATFORM_TAGS.has(p.trim().toLowerCase().split('.')[0]));
}

/**
 * How much of the client flow (External 443, from any source) explicit rules let in, not counting allows for the
 * platform's own tags: any client is enough, narrowing the sources is the user's choice.
 */
export function clientsAllowed<T>(result: FlowResult<T>, wholeSourcePorts = true): Share<T> {
  return result.share('clients', (a) => {
    const client = (r: RuleView<T>) => !isDefaultRule(r) && sameAccess(r, 'deny') !== true && !isPlatformOnly(r);
    if (a.outcome === 'deny') {
      return 'no';
    }
    if (client(a.decider)) {
      return a.outcome === 'allow' ? 'yes' : 'maybe';
    }
    return a.maybe.some(client) ? 'maybe' : 'no';
  }, wholeSourcePorts);
}

/** How a rule would change the platform flows of an NSG. */
export interface RuleClassification {
  /** Catalog flows (details) the rule would surely block entirely. */
  readonly blocksAll: string[];
  /** Catalog flows it would surely block in part. */
  readonly blocksPart: string[];
  /** Catalog flows it may block in part (an overlap only Azure knows, or a value unknown at synth time). */
  readonly mayBlock: string[];
}

/**
 * Classify a new rule against the platform flows of an NSG for a mode, using the same evaluator as the checks: which
 * flows the rule, added to `existing`, would decide as denied (with Azure's default rules in place). A client flow
 * (External 443) counts only when the rule blocks every client. The NSG construct refuses `blocksAll`/`blocksPart`
 * and can warn on `mayBlock`.
 */
export function classifyRule<T>(existing: readonly RuleView<T>[], candidate: RuleView<T>, selection: PlatformSelection,
  subnet?: readonly Ipv4Cidr[]): RuleClassification {
  // Only the rows surely required: a rule is refused for blocking what APIM surely needs.
  const flows = platformFlows(selection, subnet).flows.filter((f) => f.condition === undefined);
  const all = flows.flatMap((f) => f.parts.map((p) => p.flow));
  const evaluator = new NsgEvaluator<T>([...existing, candidate], all, {});
  const out: RuleClassification = { blocksAll: [], blocksPart: [], mayBlock: [] };
  for (const flow of flows) {
    const shares = flow.parts.map((part) => evaluator.evaluate(part.flow).share('candidate', (a) => (a.decider !== candidate ? 'no'
      : a.outcome === 'deny' ? 'yes' : a.outcome === 'either' ? 'maybe' : 'no')));
    const client = flow.kind === 'client';
    if (shares.some((s) => s.all)) {
      out.blocksAll.push(flow.detail);
    } else if (!client && shares.some((s) => s.some)) {
      out.blocksPart.push(flow.detail);
    } else if (!client && shares.some((s) => s.some || s.maybe)) {
      out.mayBlock.push(flow.detail);
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------------------------
// The view the NSG construct uses (one catalog row port at a time)

/** Where the NSG construct evaluates its rows. */
export interface EvaluationContext {
  /** Normalised locations whose regional tags count for the global tag: the NSG's own and the primary's. */
  readonly acceptedRegions: ReadonlySet<string>;
}

/** One destination port of one catalog row. */
export interface Flow {
  readonly rule: CatalogRule;
  readonly direction: 'Inbound' | 'Outbound';
  readonly protocol: 'Tcp' | 'Udp';
  readonly port: number;
  /** The APIM subnet's prefixes, when known. */
  readonly subnet?: readonly Ipv4Cidr[];
}

/** Expand the ports of a catalog row (`6381-6383` gives three flows); the APIM side is the subnet. */
export function flowsOf(rule: CatalogRule, subnetCidrs: readonly Ipv4Cidr[] | undefined): Flow[] {
  const flows: Flow[] = [];
  for (const text of rule.ports) {
    const range = parsePortRange(text);
    for (let port = range ? range[0] : 1; range && port <= range[1]; port++) {
      flows.push({ rule, direction: rule.direction, protocol: rule.protocol, port, subnet: subnetCidrs });
    }
  }
  return flows;
}

/** The outcome of evaluating one catalog flow. */
export interface FlowEvaluation<T> {
  readonly flow: Flow;
  /** `allowed`: an explicit Allow rule covers all of the flow; `missing`: none does; `unknown`: cannot tell at synth time. */
  readonly coverage: 'allowed' | 'missing' | 'unknown';
  /** The explicit Allow rule that covers the flow. */
  readonly covering?: RuleView<T>;
  /** Explicit deny rules that surely decide part or all of the flow. */
  readonly shadowing: RuleView<T>[];
  /** Deny rules that may decide part of the flow (an overlap only Azure knows, or a value unknown at synth time). */
  readonly maybeShadowing: RuleView<T>[];
}

function nsgFlowOf(flow: Flow, context: EvaluationContext): NsgFlow {
  const row = flow.rule;
  const counterpart = row.direction === 'Inbound' ? row.source : row.destination;
  const regions = row.regional ? [...context.acceptedRegions] : [];
  const other: FlowEnd = regions.length > 0
    ? { terms: regions.map((r) => addressTerm(regionalTag(counterpart, r))), label: counterpart }
    : prefixEnd(counterpart);
  const apim = subnetEnd(flow.subnet);
  return {
    direction: row.direction, protocols: [row.protocol], sourcePorts: CONNECTION_SOURCE_PORTS, destinationPorts: IntervalSet.of(flow.port, flow.port),
    source: row.direction === 'Inbound' ? other : apim, destination: row.direction === 'Inbound' ? apim : other,
  };
}

/** Evaluate one catalog flow against explicit rules (Azure's default rules are added). */
export function evaluateFlow<T>(rules: readonly RuleView<T>[], flow: Flow, context: EvaluationContext): FlowEvaluation<T> {
  const nsgFlow = nsgFlowOf(flow, context);
  const result = new NsgEvaluator(rules, [nsgFlow]).evaluate(nsgFlow);
  const withoutDenies = new NsgEvaluator(rules.filter((r) => sameAccess(r, 'deny') !== true), [nsgFlow]).evaluate(nsgFlow);
  const deciders = new Set(withoutDenies.atoms.map((a) => a.decider));
  const only = deciders.size === 1 ? [...deciders][0] : undefined;
  const covering = only && !isDefaultRule(only) && withoutDenies.atoms.every((a) => a.outcome === 'allow') ? only : undefined;
  const shadowing: RuleView<T>[] = [];
  const maybeShadowing: RuleView<T>[] = [];
  for (const rule of rules) {
    if (sameAccess(rule, 'allow') === true) {
      continue;
    }
    const share = result.share(`decided-by:${rules.indexOf(rule)}`, (a) => (a.decider !== rule || a.outcome === 'allow' ? 'no'
      : a.outcome === 'deny' ? 'yes' : 'maybe'));
    if (share.all || share.some) {
      shadowing.push(rule);
    } else if (share.maybe) {
      maybeShadowing.push(rule);
    }
  }
  const coverage = covering ? 'allowed' : withoutDenies.allowed.maybe === 'value' ? 'unknown' : 'missing';
  return { flow, coverage, covering, shadowing, maybeShadowing };
}
