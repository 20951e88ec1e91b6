/**
 * Property: the NSG evaluator agrees with a brute-force reference that walks concrete packets through the rules.
 *
 * Each case is a random NSG (service tags, CIDRs, port ranges, priorities, allows and denies, both directions, values
 * unknown at synth time) and a random flow. The reference knows nothing of cells or sets: it draws concrete worlds (the
 * address ranges Azure gives each service tag, consistent with the known containment: AzureCloud holds the Azure
 * service tags, Storage holds its regional tags, Internet is the public space outside the virtual network; whether
 * 168.63.129.16 is on Internet and which private ranges are peered into VirtualNetwork are drawn too), instantiates the
 * unknown values, and walks every sample packet through the rules by priority, Azure's default rules last, the first
 * match deciding. Samples are the endpoints of every interval any prefix, tag range or port range of the case cuts, so
 * every kind of packet the world holds is walked.
 *
 * What agreement means:
 * 1. Sound: a verdict the engine claims holds in every world and every instantiation. `allowed`: every sample is
 *    allowed; `blocked`: every sample is denied; `partly-blocked`: some sample is denied (in every world).
 * 2. Not vague where the facts decide: when the case uses only CIDRs and `*` (no tag, no unknown value), or only
 *    service tags (with their known containment) and `*`, the answer is forced by known facts, so the engine must not
 *    say `maybe-blocked` or `unknown`, and its verdict must be the reference's (mixed = partly-blocked) in every world.
 * 3. A `maybe-blocked` is not empty talk: in the world that places every tag in every part of the public space (so every
 *    kind of packet the facts allow exists), some sample is denied.
 */
import * as fc from 'fast-check';
import { UNKNOWN_SUBNET } from '../../lib/core/address-set';
import { parseIpv4CidrLenient } from '../../lib/core/cidr';
import { IntervalSet } from '../../lib/core/interval-set';
import {
  CONNECTION_SOURCE_PORTS, DEFAULT_RULES, FlowEnd, NsgEvaluator, NsgFlow, PROTOCOLS, RuleView, Share, parsePortRange, prefixEnd,
} from '../../lib/core/nsg-evaluate';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 1000);
const SEED = 20261126;
const ip = (text: string) => parseIpv4CidrLenient(text)!;
const range = (text: string): [number, number] => [ip(text).network, ip(text).last];

const VNET: [number, number] = range('10.0.0.0/16');
const SUBNET: [number, number] = range('10.0.1.0/27');
const ALB = ip('168.63.129.16').network;
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map(range);
const SPECIAL = ['0.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4'].map(range);
const inRanges = (a: number, ranges: Array<[number, number]>) => ranges.some(([lo, hi]) => lo <= a && a <= hi);
const isPublic = (a: number) => !inRanges(a, PRIVATE) && !inRanges(a, SPECIAL);

/** Service tag classes (each address of a world has at most one), and the tags each class is inside. */
const CLASSES: Record<string, string[]> = {
  'azurecloud': ['azurecloud'],
  'apimanagement': ['apimanagement', 'azurecloud'],
  'azuretrafficmanager': ['azuretrafficmanager', 'azurecloud'],
  'sql': ['sql', 'azurecloud'],
  'storage': ['storage', 'azurecloud'],
  'storage.westeurope': ['storage.westeurope', 'storage', 'azurecloud'],
  'storage.northeurope': ['storage.northeurope', 'storage', 'azurecloud'],
  'azurefrontdoor.backend': ['azurefrontdoor.backend', 'azurecloud'],
};
const TAGS = ['ApiManagement', 'AzureTrafficManager', 'Sql', 'Storage', 'Storage.WestEurope', 'Storage.NorthEurope', 'AzureCloud', 'AzureFrontDoor.Backend'];
const SPECIAL_TAGS = ['Internet', 'VirtualNetwork', 'AzureLoadBalancer'];
const CIDRS = ['20.0.0.0/8', '20.1.0.0/16', '52.0.0.0/8', '0.0.0.0/1', '128.0.0.0/1', '10.0.0.0/16', '10.0.1.0/28', '10.50.0.0/16', '203.0.113.0/24',
  '1.2.3.0/24', '10.0.1.16/28', '168.63.129.16', '40.0.0.0/6'];
const PORTS = ['*', '80', '443', '1433', '3443', '6390', '1000-2000', '440-450', '3000-4000'];
const UNKNOWN = '${var.x}';

/** A world: where Azure puts each tag class, whether Internet holds 168.63.129.16, which private ranges are peered. */
interface World {
  readonly classes: Map<string, Array<[number, number]>>;
  readonly albInInternet: boolean;
  readonly peered: Array<[number, number]>;
}

function classOf(world: World, a: number): string | undefined {
  for (const [cls, ranges] of world.classes) {
    if (inRanges(a, ranges)) {
      return cls;
    }
  }
  return undefined;
}

const memberships = new WeakMap<World, Map<string, boolean>>();

/** Whether address `a` is in the set a prefix text stands for, in a world. */
function member(world: World, text: string, a: number): boolean {
  let memo = memberships.get(world);
  if (!memo) {
    memo = new Map();
    memberships.set(world, memo);
  }
  const key = `${text}|${a}`;
  let found = memo.get(key);
  if (found === undefined) {
    found = computeMember(world, text, a);
    memo.set(key, found);
  }
  return found;
}

function computeMember(world: World, text: string, a: number): boolean {
  const t = text.trim().toLowerCase();
  if (t === '*' || t === 'any' || t === '0.0.0.0') {
    return true;
  }
  const cidr = parseIpv4CidrLenient(text);
  if (cidr) {
    return cidr.network <= a && a <= cidr.last;
  }
  if (t === 'internet') {
    return isPublic(a) && !inRanges(a, [VNET, SUBNET]) && (a !== ALB || world.albInInternet);
  }
  if (t === 'virtualnetwork') {
    return inRanges(a, [VNET, SUBNET, ...world.peered]);
  }
  if (t === 'azureloadbalancer') {
    return a === ALB;
  }
  const cls = classOf(world, a);
  return cls !== undefined && CLASSES[cls].includes(t);
}

/** The intervals a case cuts the address space at (for sample points). */
function cuts(world: World, texts: readonly string[]): Array<[number, number]> {
  const out: Array<[number, number]> = [VNET, SUBNET, [ALB, ALB], ...PRIVATE, ...SPECIAL, ...world.peered, [0, 2 ** 32 - 1]];
  for (const t of texts) {
    const c = parseIpv4CidrLenient(t);
    if (c) {
      out.push([c.network, c.last]);
    }
  }
  for (const ranges of world.classes.values()) {
    out.push(...ranges);
  }
  return out;
}

function points(intervals: Array<[number, number]>, max: number): number[] {
  const set = new Set<number>();
  for (const [lo, hi] of intervals) {
    for (const p of [lo, hi, lo - 1, hi + 1]) {
      if (p >= 0 && p <= max) {
        set.add(p);
      }
    }
  }
  return [...set];
}

interface Case {
  readonly rules: RuleView<number>[];
  readonly flow: { direction: 'Inbound' | 'Outbound'; protocol: string; source: string; destination: string; port: string };
  readonly seed: number;
}

const term = (allowUnknown: boolean) => fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TAGS) },
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_TAGS) },
  { weight: 4, arbitrary: fc.constantFrom(...CIDRS) },
  { weight: 2, arbitrary: fc.constant('*') },
  { weight: allowUnknown ? 1 : 0, arbitrary: fc.constant(UNKNOWN) },
);

const ruleArb = (i: number) => fc.record({
  priority: fc.integer({ min: 100, max: 400 }),
  direction: fc.constantFrom('Inbound', 'Outbound'),
  access: fc.constantFrom('Allow', 'Deny'),
  protocol: fc.constantFrom('Tcp', 'Udp', '*', 'Esp', UNKNOWN),
  sources: fc.array(term(true), { minLength: 1, maxLength: 2 }),
  destinations: fc.array(term(true), { minLength: 1, maxLength: 2 }),
  sourcePorts: fc.constantFrom(['*'], ['*'], ['*'], ['1024-65535'], ['0-1023'], ['1024-30000'], ['443']),
  ports: fc.array(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...PORTS) }, { weight: 1, arbitrary: fc.constant(UNKNOWN) }), { minLength: 1, maxLength: 2 }),
}).map((r): RuleView<number> => ({
  name: `r${i}`, priority: r.priority, direction: r.direction, access: r.access, protocol: r.protocol === UNKNOWN ? undefined : r.protocol,
  sourcePrefixes: r.sources.includes(UNKNOWN) ? undefined : r.sources, destinationPrefixes: r.destinations.includes(UNKNOWN) ? undefined : r.destinations,
  sourcePorts: r.sourcePorts, destinationPorts: r.ports.includes(UNKNOWN) ? undefined : r.ports, origin: i,
}));

interface Drawn {
  readonly rules: RuleView<number>[];
  readonly direction: 'Inbound' | 'Outbound';
  readonly protocol: string;
  readonly other: string;
  readonly subnetSide: boolean;
  readonly port: string;
  readonly seed: number;
}

/** A case from what was drawn: the APIM subnet is one end of the flow (the destination of an inbound flow, the source of an outbound one). */
function toCase(c: Drawn): Case {
  const subnet = c.subnetSide ? 'subnet' : '10.0.1.0/28';
  return {
    rules: c.rules,
    flow: {
      direction: c.direction, protocol: c.protocol, port: c.port,
      source: c.direction === 'Inbound' ? c.other : subnet, destination: c.direction === 'Inbound' ? subnet : c.other,
    },
    seed: c.seed,
  };
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  rules: fc.integer({ min: 0, max: 5 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ruleArb(i)))),
  direction: fc.constantFrom('Inbound' as const, 'Outbound' as const),
  protocol: fc.constantFrom('Tcp', 'Udp'),
  other: term(false),
  subnetSide: fc.boolean(),
  port: fc.constantFrom('443', '3443', '1433', '80', '6390', '440-450', '1-65535'),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
}).map(toCase);

/** A small deterministic random generator (the worlds of a case depend on its seed only). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Public /28 blocks to give tags: near the case's CIDRs and elsewhere. */
const BLOCK_BASES = ['20.0.0.0', '20.1.0.0', '20.2.0.0', '52.0.0.0', '52.1.0.0', '1.2.3.0', '203.0.113.0', '40.1.0.0', '130.0.0.0', '4.4.4.0', '99.0.0.0', '150.0.0.0']
  .map((t) => ip(t).network);

function worlds(c: Case): World[] {
  const rnd = random(c.seed);
  const classes = Object.keys(CLASSES);
  const out: World[] = [];
  // Spread: every class in every block, so every kind of packet the facts allow exists (twice: ALB on Internet or not).
  for (const albInInternet of [true, false]) {
    const spread = new Map<string, Array<[number, number]>>();
    classes.forEach((cls, i) => spread.set(cls, BLOCK_BASES.map((b) => [b + i, b + i] as [number, number])));
    out.push({ classes: spread, albInInternet, peered: [range('10.50.0.0/17'), range('172.16.0.0/13')] });
  }
  // Random: each class in one or two blocks of its own.
  for (let w = 0; w < 2; w++) {
    const bases = [...BLOCK_BASES].sort(() => rnd() - 0.5);
    const map = new Map<string, Array<[number, number]>>();
    classes.forEach((cls, i) => {
      const base = bases[i % bases.length] + 16 * (1 + Math.floor(i / bases.length)) + Math.floor(rnd() * 8) * 256;
      map.set(cls, [[base, base + 15]]);
    });
    out.push({ classes: map, albInInternet: rnd() < 0.5, peered: rnd() < 0.5 ? [range('10.50.0.0/16')] : [] });
  }
  return out;
}

/** Instantiations of the unknown values of a case (each unknown field gets a concrete value). */
function instantiations(c: Case): RuleView<number>[][] {
  const rnd = random(c.seed ^ 0x5bd1e995);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const out: RuleView<number>[][] = [];
  const hasUnknown = c.rules.some((r) => r.protocol === undefined || r.sourcePrefixes === undefined || r.destinationPrefixes === undefined || r.destinationPorts === undefined);
  for (let i = 0; i < (hasUnknown ? 3 : 1); i++) {
    out.push(c.rules.map((r) => ({
      ...r,
      protocol: r.protocol ?? pick(['Tcp', 'Udp', '*']),
      sourcePrefixes: r.sourcePrefixes ?? [pick([...TAGS, ...CIDRS, '*'])],
      destinationPrefixes: r.destinationPrefixes ?? [pick([...TAGS, ...CIDRS, '*'])],
      destinationPorts: r.destinationPorts ?? [pick(PORTS)],
    })));
  }
  return out;
}

function ports(texts: readonly string[]): Array<[number, number]> {
  return texts.map((t) => parsePortRange(t)!).map(([a, b]) => [a, b] as [number, number]);
}

/**
 * Walk every sample packet of the flow through the rules of one world; count allowed and denied samples, and tell
 * whether some source, destination and port are allowed by an explicit rule from every connection source port
 * (1024-65535), as `allowedFromEverySourcePort` asks.
 */
function reference(c: Case, rules: RuleView<number>[], world: World): { allowed: number; denied: number; wholeSourcePorts: boolean } {
  const texts = [...rules.flatMap((r) => [...(r.sourcePrefixes ?? []), ...(r.destinationPrefixes ?? [])]), c.flow.source, c.flow.destination];
  const addressPoints = points(cuts(world, texts), 2 ** 32 - 1);
  const end = (text: string) => addressPoints.filter((a) => (text === 'subnet' ? a >= SUBNET[0] && a <= SUBNET[1] : member(world, text, a)));
  const sources = end(c.flow.source);
  const destinations = end(c.flow.destination);
  const flowPorts = ports([c.flow.port]);
  const portPoints = points([...flowPorts, ...rules.flatMap((r) => ports(r.destinationPorts ?? []))], 65535).filter((p) => inRanges(p, flowPorts));
  const sourcePortPoints = points([[0, 65535], [1024, 65535], ...rules.flatMap((r) => ports(r.sourcePorts ?? []))], 65535);
  const ordered = [...rules.map((r, i) => ({ r, i })).sort((a, b) => a.r.priority! - b.r.priority! || a.i - b.i).map((x) => x.r),
    ...(DEFAULT_RULES[c.flow.direction] as unknown as RuleView<number>[])];
  const explicit = new Set(rules);
  // Each rule's match, field by field, precomputed over the sample points (the walk below is then a table lookup).
  const compiled = ordered.map((r) => ({
    allow: r.access!.toLowerCase() === 'allow',
    explicit: explicit.has(r),
    applies: r.direction!.toLowerCase() === c.flow.direction.toLowerCase() && (r.protocol === '*' || r.protocol!.toLowerCase() === c.flow.protocol.toLowerCase()),
    source: sources.map((a) => r.sourcePrefixes!.some((t) => member(world, t, a))),
    destination: destinations.map((a) => r.destinationPrefixes!.some((t) => member(world, t, a))),
    sourcePort: sourcePortPoints.map((p) => inRanges(p, ports(r.sourcePorts!))),
    port: portPoints.map((p) => inRanges(p, ports(r.destinationPorts!))),
  })).filter((r) => r.applies);
  let allowed = 0;
  let denied = 0;
  let wholeSourcePorts = false;
  for (let s = 0; s < sources.length; s++) {
    for (let d = 0; d < destinations.length; d++) {
      const everySourcePort = portPoints.map(() => true);
      for (let sp = 0; sp < sourcePortPoints.length; sp++) {
        for (let dp = 0; dp < portPoints.length; dp++) {
          const rule = compiled.find((r) => r.source[s] && r.destination[d] && r.sourcePort[sp] && r.port[dp])!;
          if (rule.allow) {
            allowed++;
          } else {
            denied++;
          }
          if (sourcePortPoints[sp] >= 1024 && !(rule.allow && rule.explicit)) {
            everySourcePort[dp] = false;
          }
        }
      }
      wholeSourcePorts ||= everySourcePort.some((x) => x);
    }
  }
  return { allowed, denied, wholeSourcePorts };
}

/** Whether the engine finds part of the flow allowed by an explicit rule from every source port 1024-65535. */
function engineWholeSourcePorts(c: Case): Share<number> {
  const end = (text: string): FlowEnd => (text === 'subnet' ? { terms: [parseTerm('10.0.1.0/27')], label: 'subnet', subnet: true } : prefixEnd(text));
  const flow: NsgFlow = {
    direction: c.flow.direction, protocols: [c.flow.protocol], source: end(c.flow.source), destination: end(c.flow.destination),
    sourcePorts: CONNECTION_SOURCE_PORTS, destinationPorts: IntervalSet.union(ports([c.flow.port])),
  };
  return new NsgEvaluator(c.rules, [flow], { virtualNetworkSpace: IntervalSet.of(VNET[0], VNET[1]) }).evaluate(flow).allowedFromEverySourcePort;
}

function engine(c: Case): string {
  const end = (text: string): FlowEnd => (text === 'subnet' ? { terms: [parseTerm('10.0.1.0/27')], label: 'subnet', subnet: true } : prefixEnd(text));
  const flow: NsgFlow = {
    direction: c.flow.direction, protocols: [c.flow.protocol], source: end(c.flow.source), destination: end(c.flow.destination),
    sourcePorts: IntervalSet.of(0, 65535), destinationPorts: IntervalSet.union(ports([c.flow.port])),
  };
  return new NsgEvaluator(c.rules, [flow], { virtualNetworkSpace: IntervalSet.of(VNET[0], VNET[1]) }).evaluate(flow).verdict;
}

function parseTerm(text: string) {
  return prefixEnd(text).terms[0];
}

/** Whether the facts alone decide the case (no unknown value; only CIDRs and `*`, or only service tags and `*`). */
function decidable(c: Case): boolean {
  const texts = [...c.rules.flatMap((r) => [...(r.sourcePrefixes ?? [UNKNOWN]), ...(r.destinationPrefixes ?? [UNKNOWN])]), c.flow.source, c.flow.destination]
    .filter((t) => t !== 'subnet' && t !== '*');
  if (c.rules.some((r) => r.protocol === undefined || r.destinationPorts === undefined) || texts.includes(UNKNOWN)) {
    return false;
  }
  const cidrOnly = texts.every((t) => parseIpv4CidrLenient(t) !== undefined && t !== '168.63.129.16' && !t.startsWith('10.50'));
  const tagsOnly = texts.every((t) => TAGS.includes(t));
  return cidrOnly || tagsOnly;
}

/** What one case checks; counts what kinds of answers it saw. */
interface Tally {
  decided: number;
  checkedDecidable: number;
  maybes: number;
}

/** The worlds that hold every kind of packet the facts allow (a maybe must show a denied packet in one of them). */
type SpreadWorlds = (c: Case) => World[];

const blockSpread: SpreadWorlds = (c) => worlds(c).slice(0, 2);

/**
 * Spread worlds for cases with many CIDRs: every piece of the public space between the case's boundaries holds an
 * address of every tag class in one of the worlds (class k at the piece's k-th address, rotated from world to world,
 * so a piece of one address holds each class in some world), with 168.63.129.16 on Internet or not.
 */
const pieceSpread: SpreadWorlds = (c) => {
  const texts = [...c.rules.flatMap((r) => [...(r.sourcePrefixes ?? []), ...(r.destinationPrefixes ?? [])]), c.flow.source, c.flow.destination];
  const bounds = new Set<number>([0]);
  for (const [lo, hi] of cuts({ classes: new Map(), albInInternet: false, peered: [] }, texts)) {
    bounds.add(lo);
    bounds.add(hi + 1);
  }
  const starts = [...bounds].filter((b) => b <= 2 ** 32 - 1).sort((a, b) => a - b);
  const classes = Object.keys(CLASSES);
  const out: World[] = [];
  for (let turn = 0; turn < classes.length; turn++) {
    const map = new Map<string, Array<[number, number]>>(classes.map((cls) => [cls, [] as Array<[number, number]>]));
    starts.forEach((low, i) => {
      const high = (i + 1 < starts.length ? starts[i + 1] : 2 ** 32) - 1;
      for (let k = 0; k < classes.length && low + k <= high; k++) {
        if (isPublic(low + k) && low + k !== ALB) {
          map.get(classes[(k + turn) % classes.length])!.push([low + k, low + k]);
        }
      }
    });
    for (const albInInternet of [true, false]) {
      out.push({ classes: map, albInInternet, peered: [range('10.50.0.0/17'), range('172.16.0.0/13')] });
    }
  }
  return out;
};

function checkCase(c: Case, tally: Tally, spreadWorlds: SpreadWorlds = blockSpread): void {
  const verdict = engine(c);
  const ws = worlds(c);
  const results = instantiations(c).flatMap((rules) => ws.map((w) => reference(c, rules, w)));
  if (verdict === 'allowed') {
    expect(results.every((r) => r.denied === 0)).toBe(true);
  } else if (verdict === 'blocked') {
    expect(results.every((r) => r.allowed === 0)).toBe(true);
  } else if (verdict === 'partly-blocked') {
    expect(results.every((r) => r.denied > 0)).toBe(true);
  }
  if (verdict !== 'maybe-blocked' && verdict !== 'unknown') {
    tally.decided++;
  }
  if (decidable(c)) {
    tally.checkedDecidable++;
    // From every connection source port: decided by the facts too, and the same in every world.
    const whole = engineWholeSourcePorts(c);
    expect(whole.maybe).toBe(false);
    expect(results.map((r) => r.wholeSourcePorts)).toEqual(results.map(() => whole.some));

    expect(['allowed', 'blocked', 'partly-blocked']).toContain(verdict);
    const expected = (r: { allowed: number; denied: number }) => (r.denied === 0 ? 'allowed' : r.allowed === 0 ? 'blocked' : 'partly-blocked');
    expect(results.map(expected)).toEqual(results.map(() => verdict));
  }
  if (verdict === 'maybe-blocked') {
    tally.maybes++;
    // The spread worlds hold every kind of packet: a maybe must show a denied one there.
    const spread = instantiations(c)[0];
    expect(spreadWorlds(c).some((w) => reference(c, spread, w).denied > 0)).toBe(true);
  }
}

describe(`the evaluator against a brute-force reference (${RUNS} random NSGs and flows, seed ${SEED})`, () => {
  const tally: Tally = { decided: 0, checkedDecidable: 0, maybes: 0 };

  afterAll(() => {
    // The generator must exercise every kind of answer, or the property says little.
    expect(tally.decided).toBeGreaterThan(RUNS / 4);
    expect(tally.checkedDecidable).toBeGreaterThan(RUNS / 10);
    expect(tally.maybes).toBeGreaterThan(RUNS / 50);
  });

  test('sound everywhere, exact where the facts decide, never an empty maybe', () => {
    fc.assert(fc.property(caseArb, (c) => checkCase(c, tally)), { numRuns: RUNS, seed: SEED });
  });

  test('the unknown-prefix subnet behaves as a part of VirtualNetwork', () => {
    const flow: NsgFlow = {
      direction: 'Inbound', protocols: ['Tcp'], source: prefixEnd('ApiManagement'), destination: { terms: [UNKNOWN_SUBNET], label: 'subnet', subnet: true },
      sourcePorts: IntervalSet.of(0, 65535), destinationPorts: IntervalSet.of(3443, 3443),
    };
    const allow = (destination: string): RuleView<number> => ({
      name: 'a', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourcePrefixes: ['ApiManagement'], destinationPrefixes: [destination],
      sourcePorts: ['*'], destinationPorts: ['3443'], origin: 0,
    });
    expect(new NsgEvaluator([allow('VirtualNetwork')], [flow]).evaluate(flow).verdict).toBe('allowed');
    expect(new NsgEvaluator([allow('Internet')], [flow]).evaluate(flow).verdict).toBe('blocked');
    expect(new NsgEvaluator([allow('10.0.0.0/8')], [flow]).evaluate(flow).verdict).toBe('unknown');
    expect(PROTOCOLS).toEqual(['tcp', 'udp', 'icmp', 'esp', 'ah']);
  });
});

/**
 * The same property with long prefix lists (IP block lists: Azure takes up to 4,000 prefixes per rule), where the
 * evaluator takes each list's CIDRs as one set and cuts the address space only at those sets' boundaries.
 */
const MANY_RUNS = Number(process.env.PROPERTY_RUNS_MANY ?? 150);

/** A random CIDR outside 168.63.129.16 and the ranges the worlds peer (where the facts alone do not decide). */
const randomCidr = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 6, max: 32 })).map(([address, length]) => {
  const size = 2 ** (32 - length);
  const network = Math.floor(address / size) * size;
  return { network, last: network + size - 1, length };
}).filter(({ network, last }) => !(network <= ALB && ALB <= last) && ![range('10.50.0.0/16'), range('172.16.0.0/13')].some(([lo, hi]) => network <= hi && lo <= last))
  .map(({ network, length }) => `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.')}/${length}`);

const manyTerms = fc.oneof(
  { weight: 3, arbitrary: fc.array(randomCidr, { minLength: 10, maxLength: 60 }) },
  { weight: 1, arbitrary: fc.tuple(fc.array(randomCidr, { minLength: 10, maxLength: 40 }), fc.array(term(false), { minLength: 1, maxLength: 2 })).map(([a, b]) => [...a, ...b]) },
  { weight: 1, arbitrary: fc.array(term(true), { minLength: 1, maxLength: 2 }) },
);

const manyRuleArb = (i: number) => fc.record({
  priority: fc.integer({ min: 100, max: 400 }),
  direction: fc.constantFrom('Inbound', 'Outbound'),
  access: fc.constantFrom('Allow', 'Deny'),
  protocol: fc.constantFrom('Tcp', 'Udp', '*'),
  sources: manyTerms,
  destinations: manyTerms,
  ports: fc.array(fc.constantFrom(...PORTS), { minLength: 1, maxLength: 2 }),
}).map((r): RuleView<number> => ({
  name: `r${i}`, priority: r.priority, direction: r.direction, access: r.access, protocol: r.protocol,
  sourcePrefixes: r.sources.includes(UNKNOWN) ? undefined : r.sources, destinationPrefixes: r.destinations.includes(UNKNOWN) ? undefined : r.destinations,
  sourcePorts: ['*'], destinationPorts: r.ports, origin: i,
}));

const manyCaseArb: fc.Arbitrary<Case> = fc.record({
  rules: fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => manyRuleArb(i)))),
  direction: fc.constantFrom('Inbound' as const, 'Outbound' as const),
  protocol: fc.constantFrom('Tcp', 'Udp'),
  other: fc.oneof(term(false), randomCidr),
  subnetSide: fc.boolean(),
  port: fc.constantFrom('443', '3443', '80', '440-450', '1-65535'),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
}).map(toCase);

describe(`the evaluator against the reference with long prefix lists (${MANY_RUNS} cases, 10-60 random CIDRs per list)`, () => {
  const tally: Tally = { decided: 0, checkedDecidable: 0, maybes: 0 };

  afterAll(() => {
    expect(tally.decided).toBeGreaterThan(MANY_RUNS / 4);
    expect(tally.checkedDecidable).toBeGreaterThan(MANY_RUNS / 10);
  });

  test('sound everywhere, exact where the facts decide, never an empty maybe', () => {
    fc.assert(fc.property(manyCaseArb, (c) => checkCase(c, tally, pieceSpread)), { numRuns: MANY_RUNS, seed: SEED });
  });
});

describe(`allowed from every connection source port (1024-65535), against the reference (${RUNS} NSGs of source-port rules)`, () => {
  // Rules that split the source ports and the clients' addresses every way, on one inbound flow: explicit allows decide
  // often, so both answers (some source and port allowed from every source port, or from some source ports only) occur.
  const rule = fc.record({
    priority: fc.integer({ min: 100, max: 110 }),
    access: fc.constantFrom('Allow', 'Allow', 'Deny'),
    protocol: fc.constantFrom('Tcp', '*'),
    sources: fc.constantFrom(['10.0.0.0/8'], ['10.0.0.0/16'], ['10.1.0.0/16'], ['*'], ['10.0.0.0/9', '10.128.0.0/9']),
    sourcePorts: fc.constantFrom(['*'], ['1024-65535'], ['0-1023'], ['1024-30000'], ['30001-65535'], ['443'], ['65535'], ['1024-65534'], ['0-65535']),
    ports: fc.constantFrom(['443'], ['*'], ['440-450']),
  });
  const nsg = fc.array(rule, { minLength: 1, maxLength: 4 }).map((rules) => rules.map((r, i): RuleView<number> => ({
    name: `r${i}`, priority: r.priority + i * 11, direction: 'Inbound', access: r.access, protocol: r.protocol, sourcePrefixes: r.sources,
    destinationPrefixes: ['*'], sourcePorts: r.sourcePorts, destinationPorts: r.ports, origin: i,
  })));

  test('the engine finds such a part exactly when the reference does (or says maybe when rules of different addresses decide)', () => {
    const seen = { whole: 0, partial: 0, maybe: 0 };
    fc.assert(fc.property(nsg, (rules) => {
      const c: Case = { rules, flow: { direction: 'Inbound', protocol: 'Tcp', source: '10.0.0.0/8', destination: 'subnet', port: '443' }, seed: 1 };
      const expected = reference(c, rules, worlds(c)[0]);
      const whole = engineWholeSourcePorts(c);
      // Decided answers are exact; where rules of different addresses decide, the engine may say "maybe" (a tag's
      // ranges could put them together), which is never a wrong verdict.
      if (whole.maybe === false) {
        expect(whole.some).toBe(expected.wholeSourcePorts);
      } else {
        expect(whole.some).toBe(false);
        seen.maybe++;
      }
      seen.whole += whole.some ? 1 : 0;
      seen.partial += !whole.some && !whole.maybe && expected.allowed > 0 ? 1 : 0;
    }), { numRuns: RUNS, seed: SEED });
    expect(seen.whole).toBeGreaterThan(RUNS / 10);
    expect(seen.partial).toBeGreaterThan(RUNS / 20);
    expect(seen.maybe).toBeLessThan(seen.partial);
  });
});
