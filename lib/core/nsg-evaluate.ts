/**
 * Effective evaluation of network security rules against the flows API Management needs.
 *
 * Azure evaluates the rules of one direction in priority order (lower number first) and the first rule that matches a
 * packet decides. A required flow is "allowed" when an Allow rule covers all of it, and "shadowed" when a Deny rule
 * with a smaller priority number matches part of it. Values that are not known at synth time make the answer
 * "unknown", never a silent pass.
 *
 * Used by the NSG construct (to refuse user rules that would shadow a required flow) and by the APIM-NSG-* checks.
 */
import { Ipv4Cidr, cidrContains, cidrOverlaps, isPrivateCidr, looksLikeIpv6, parseIpv4CidrLenient } from './cidr';
import { CatalogRule, catalogRules } from './nsg-catalog';
import { normalizeLocation } from './locations';

/** How much of a flow a rule field matches. */
export type Relation = 'all' | 'part' | 'none' | 'unknown';

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
  /** Whatever the caller needs to report on the rule. */
  readonly origin: T;
}

/** One end of a flow: a service tag, or the APIM subnet (with its prefixes when known). */
export type Endpoint =
  | { readonly kind: 'tag'; readonly tag: string }
  | { readonly kind: 'subnet'; readonly cidrs: readonly Ipv4Cidr[] | undefined };

/** One destination port of one catalog row. */
export interface Flow {
  readonly rule: CatalogRule;
  readonly direction: 'Inbound' | 'Outbound';
  readonly protocol: 'Tcp' | 'Udp';
  readonly port: number;
  readonly source: Endpoint;
  readonly destination: Endpoint;
}

/** Where the NSG is evaluated. */
export interface EvaluationContext {
  /** Normalised locations whose regional tags count for the global tag: the NSG's own and the primary's. */
  readonly acceptedRegions: ReadonlySet<string>;
}

/** Tags whose address ranges are Azure public addresses, which the `Internet` tag covers. */
const AZURE_PUBLIC_TAGS = new Set(
  ['apimanagement', 'azuretrafficmanager', 'storage', 'sql', 'azurekeyvault', 'azuremonitor', 'eventhub',
    'azureactivedirectory', 'azureconnectors', 'azurecloud'],
);

const WILDCARDS = new Set(['*', 'any', '0.0.0.0/0', '0.0.0.0']);

/** Whether a prefix is unknown at synth time (an unresolved Terraform expression). */
export function isExpression(value: string): boolean {
  return value.includes('${');
}

/** Whether a prefix text is an address or CIDR (as opposed to a service tag or a wildcard). */
export function isAddressPrefix(prefix: string): boolean {
  return cidrOfPrefix(prefix) !== undefined || looksLikeIpv6(prefix);
}

/**
 * Memoise a pure function of a string: NSGs repeat the same few prefixes and ports thousands of times in a large
 * stack. The cache is bounded; it is cleared when full.
 */
function memoized<T>(fn: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text: string) => {
    let value = cache.get(text);
    if (value === undefined && !cache.has(text)) {
      if (cache.size > 10000) {
        cache.clear();
      }
      value = fn(text);
      cache.set(text, value);
    }
    return value as T;
  };
}

const cidrOfPrefix = memoized(parseIpv4CidrLenient);

/** Whether a prefix is a service tag: not a wildcard, not an address, not an expression. */
export const isServiceTag: (prefix: string) => boolean = memoized((prefix: string) => {
  const p = prefix.trim();
  return p !== '' && !WILDCARDS.has(p.toLowerCase()) && !isAddressPrefix(p) && !isExpression(p);
});

/** Split `Storage.WestEurope` into base tag and normalised region. */
export const splitTag: (tag: string) => { readonly base: string; readonly region?: string } = memoized((tag: string) => {
  const dot = tag.indexOf('.');
  if (dot < 0) {
    return { base: tag.toLowerCase() };
  }
  return { base: tag.slice(0, dot).toLowerCase(), region: normalizeLocation(tag.slice(dot + 1)) };
});

function prefixRelation(prefix: string, endpoint: Endpoint, context: EvaluationContext): Relation {
  const p = prefix.trim();
  if (isExpression(p)) {
    return 'unknown';
  }
  const lower = p.toLowerCase();
  if (WILDCARDS.has(lower) || lower === '::/0') {
    return 'all';
  }
  const cidr = cidrOfPrefix(p);
  if (endpoint.kind === 'subnet') {
    if (lower === 'virtualnetwork') {
      return 'all';
    }
    if (!cidr) {
      return 'none';
    }
    if (endpoint.cidrs === undefined) {
      return 'unknown';
    }
    if (endpoint.cidrs.every((c) => cidrContains(cidr, c))) {
      return 'all';
    }
    return endpoint.cidrs.some((c) => cidrOverlaps(cidr, c)) ? 'part' : 'none';
  }
  const wanted = splitTag(endpoint.tag);
  if (cidr) {
    // Ranges behind service tags change and are not known at synth time; only Internet is compared with addresses.
    return wanted.base === 'internet' && !isPrivateCidr(cidr) ? 'part' : 'none';
  }
  const given = splitTag(p);
  if (given.base === wanted.base) {
    if (given.region === undefined) {
      return 'all';
    }
    return context.acceptedRegions.has(given.region) ? 'all' : 'part';
  }
  if ((given.base === 'internet' || given.base === 'azurecloud') && AZURE_PUBLIC_TAGS.has(wanted.base)) {
    return 'part';
  }
  return 'none';
}

function listRelation(prefixes: readonly string[] | undefined, endpoint: Endpoint, context: EvaluationContext): Relation {
  if (prefixes === undefined) {
    return 'unknown';
  }
  const relations = prefixes.map((p) => prefixRelation(p, endpoint, context));
  if (relations.includes('all')) {
    return 'all';
  }
  if (relations.includes('part')) {
    return 'part';
  }
  return relations.includes('unknown') ? 'unknown' : 'none';
}

/** Parse a port text (`*`, `443`, `6381-6383`) into an inclusive range, or undefined when it is not one. */
export const parsePortRange: (text: string) => readonly [number, number] | undefined = memoized((text: string) => {
  const t = text.trim();
  if (t === '*') {
    return [0, 65535];
  }
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(t);
  if (!m) {
    return undefined;
  }
  const low = Number(m[1]);
  const high = m[2] === undefined ? low : Number(m[2]);
  return low <= high && high <= 65535 ? [low, high] as const : undefined;
});

function destinationPortRelation(ports: readonly string[] | undefined, port: number): Relation {
  if (ports === undefined || ports.some(isExpression)) {
    return ports === undefined || !ports.some((p) => covers(p, port)) ? 'unknown' : 'all';
  }
  return ports.some((p) => covers(p, port)) ? 'all' : 'none';
}

function covers(portText: string, port: number): boolean {
  const range = parsePortRange(portText);
  return range !== undefined && range[0] <= port && port <= range[1];
}

function sourcePortRelation(ports: readonly string[] | undefined): Relation {
  if (ports === undefined || ports.some(isExpression)) {
    return 'unknown';
  }
  if (ports.some((p) => { const r = parsePortRange(p); return r !== undefined && r[0] === 0 && r[1] === 65535; })) {
    return 'all';
  }
  return ports.some((p) => parsePortRange(p) !== undefined) ? 'part' : 'none';
}

function protocolRelation(protocol: string | undefined, wanted: string): Relation {
  if (protocol === undefined || isExpression(protocol)) {
    return 'unknown';
  }
  const p = protocol.toLowerCase();
  return p === '*' || p === 'any' || p === wanted.toLowerCase() ? 'all' : 'none';
}

function combine(relations: Relation[]): Relation {
  if (relations.includes('none')) {
    return 'none';
  }
  if (relations.includes('unknown')) {
    return 'unknown';
  }
  return relations.every((r) => r === 'all') ? 'all' : 'part';
}

function sameText(a: string | undefined, b: string): boolean | undefined {
  if (a === undefined || isExpression(a)) {
    return undefined;
  }
  return a.toLowerCase() === b.toLowerCase();
}

/** How much of the flow a rule matches (ignoring its access and priority). */
export function matchFlow(rule: RuleView, flow: Flow, context: EvaluationContext): Relation {
  const direction = sameText(rule.direction, flow.direction);
  if (direction === false) {
    return 'none';
  }
  return combine([
    direction === undefined ? 'unknown' : 'all',
    protocolRelation(rule.protocol, flow.protocol),
    destinationPortRelation(rule.destinationPorts, flow.port),
    sourcePortRelation(rule.sourcePorts),
    listRelation(rule.sourcePrefixes, flow.source, context),
    listRelation(rule.destinationPrefixes, flow.destination, context),
  ]);
}

/** Expand ports (`6381-6383` gives three flows) of a catalog row into flows; the APIM side is the subnet. */
export function flowsOf(rule: CatalogRule, subnetCidrs: readonly Ipv4Cidr[] | undefined): Flow[] {
  const subnet: Endpoint = { kind: 'subnet', cidrs: subnetCidrs };
  const source: Endpoint = rule.direction === 'Outbound' ? subnet : { kind: 'tag', tag: rule.source };
  const destination: Endpoint = rule.direction === 'Inbound' ? subnet : { kind: 'tag', tag: rule.destination };
  const flows: Flow[] = [];
  for (const text of rule.ports) {
    const range = parsePortRange(text);
    if (!range) {
      continue;
    }
    for (let port = range[0]; port <= range[1]; port++) {
      flows.push({ rule, direction: rule.direction, protocol: rule.protocol, port, source, destination });
    }
  }
  return flows;
}

/** The outcome of evaluating one flow. */
export interface FlowEvaluation<T> {
  readonly flow: Flow;
  /** `allowed`: an Allow rule covers all of the flow; `missing`: none does; `unknown`: cannot tell at synth time. */
  readonly coverage: 'allowed' | 'missing' | 'unknown';
  /** The first Allow rule that covers the flow. */
  readonly covering?: RuleView<T>;
  /** Deny rules before the covering rule (or anywhere, when none covers) that match part or all of the flow. */
  readonly shadowing: RuleView<T>[];
  /** Deny rules that may match the flow before it is allowed, but whose values are unknown. */
  readonly maybeShadowing: RuleView<T>[];
  /** Rules whose values are unknown and that might have covered the flow. */
  readonly maybeCovering: RuleView<T>[];
}

function isAccess(rule: RuleView, access: 'allow' | 'deny'): boolean | undefined {
  return sameText(rule.access, access);
}

/** Evaluate one flow against a set of rules (all directions; the evaluator filters). */
export function evaluateFlow<T>(rules: readonly RuleView<T>[], flow: Flow, context: EvaluationContext): FlowEvaluation<T> {
  const ordered = rules
    .filter((r) => r.priority !== undefined)
    .sort((a, b) => (a.priority as number) - (b.priority as number));
  const unordered = rules.filter((r) => r.priority === undefined);
  const matches = new Map<RuleView<T>, Relation>();
  for (const rule of rules) {
    matches.set(rule, matchFlow(rule, flow, context));
  }
  const covering = ordered.find((r) => isAccess(r, 'allow') === true && matches.get(r) === 'all');
  const limit = covering?.priority ?? Number.POSITIVE_INFINITY;
  const before = ordered.filter((r) => (r.priority as number) < limit);
  const shadowing = before.filter((r) => {
    const m = matches.get(r);
    return isAccess(r, 'deny') === true && (m === 'all' || m === 'part');
  });
  const maybeShadowing = [
    ...before.filter((r) => {
      const m = matches.get(r);
      const deny = isAccess(r, 'deny');
      return (deny === true && m === 'unknown') || (deny === undefined && m !== 'none');
    }),
    ...unordered.filter((r) => isAccess(r, 'allow') !== true && matches.get(r) !== 'none'),
  ];
  const maybeCovering = [...before, ...unordered].filter((r) => {
    const m = matches.get(r);
    const allow = isAccess(r, 'allow');
    return (allow !== false && m === 'unknown') || (allow === undefined && m === 'all') ||
      (r.priority === undefined && allow === true && m === 'all');
  });
  let coverage: FlowEvaluation<T>['coverage'];
  if (covering) {
    coverage = 'allowed';
  } else {
    coverage = maybeCovering.length > 0 ? 'unknown' : 'missing';
  }
  return { flow, coverage, covering, shadowing, maybeShadowing, maybeCovering };
}

/** A rule that looks like a catalog row but is off by one field. */
export interface NearMiss<T> {
  readonly rule: RuleView<T>;
  /** The catalog row it resembles. */
  readonly resembles: CatalogRule;
  /** Which field is off. */
  readonly kind: 'port' | 'direction' | 'protocol' | 'tag';
  /** What is off, in words. */
  readonly detail: string;
}

/** One substitution or one swap of neighbouring digits: 1443 and 1433, 6309 and 6390. */
export function isPortTypo(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) {
    return false;
  }
  const diff: number[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      diff.push(i);
    }
  }
  if (diff.length === 1) {
    return true;
  }
  return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
}

function counterpartOf(direction: string, sources: readonly string[], destinations: readonly string[]): readonly string[] {
  return direction.toLowerCase() === 'inbound' ? sources : destinations;
}

function tagBases(prefixes: readonly string[]): Set<string> {
  return new Set(prefixes.filter(isServiceTag).map((p) => splitTag(p).base));
}

function singlePorts(ports: readonly string[]): string[] {
  return ports.map((p) => p.trim()).filter((p) => /^\d{1,5}$/.test(p));
}

function expandedPorts(ports: readonly string[]): number[] {
  const out: number[] = [];
  for (const text of ports) {
    const range = parsePortRange(text);
    if (range && range[1] - range[0] < 16) {
      for (let p = range[0]; p <= range[1]; p++) {
        out.push(p);
      }
    }
  }
  return out;
}

/**
 * Find Allow rules that resemble a catalog row but are off by one field: a port typo (1443 for 1433), the wrong
 * direction, UDP for TCP, or another service tag. Rules that match some catalog row exactly are never near misses.
 *
 * @param isSatisfied tells whether a catalog row is already allowed; direction, protocol and tag near misses are only
 *        reported for rows that are not (a port typo is reported always: such a port is never what APIM needs).
 */
export function findNearMisses<T>(
  rules: readonly RuleView<T>[],
  isSatisfied: (row: CatalogRule) => boolean,
): NearMiss<T>[] {
  const out: NearMiss<T>[] = [];
  const rows = catalogRules();
  for (const rule of rules) {
    const known = rule.direction !== undefined && rule.protocol !== undefined && rule.sourcePrefixes !== undefined &&
      rule.destinationPrefixes !== undefined && rule.destinationPorts !== undefined && isAccess(rule, 'allow') === true;
    if (!known) {
      continue;
    }
    const direction = rule.direction as string;
    const protocol = (rule.protocol as string).toLowerCase();
    const ports = rule.destinationPorts as readonly string[];
    const counterpart = tagBases(counterpartOf(direction, rule.sourcePrefixes as string[], rule.destinationPrefixes as string[]));
    const mirrored = tagBases(counterpartOf(direction === 'Inbound' ? 'Outbound' : 'Inbound',
      rule.sourcePrefixes as string[], rule.destinationPrefixes as string[]));
    const portSet = new Set(expandedPorts(ports));
    const protoOk = (row: CatalogRule): boolean => protocol === '*' || protocol === row.protocol.toLowerCase();
    const rowTag = (row: CatalogRule): string => (row.direction === 'Inbound' ? row.source : row.destination).toLowerCase();
    const rowPorts = (row: CatalogRule): number[] => expandedPorts(row.ports);
    const exact = rows.some((row) => row.direction.toLowerCase() === direction.toLowerCase() && protoOk(row) &&
      counterpart.has(rowTag(row)) && rowPorts(row).some((p) => portSet.has(p)));
    if (exact || counterpart.size === 0 && mirrored.size === 0) {
      continue;
    }
    const found = new Set<string>();
    const add = (row: CatalogRule, kind: NearMiss<T>['kind'], detail: string): void => {
      const key = `${row.id}/${kind}`;
      if (!found.has(key)) {
        found.add(key);
        out.push({ rule, resembles: row, kind, detail });
      }
    };
    for (const row of rows) {
      const sameDirection = row.direction.toLowerCase() === direction.toLowerCase();
      const tagMatches = counterpart.has(rowTag(row));
      const portsMatch = rowPorts(row).some((p) => portSet.has(p));
      if (sameDirection && tagMatches && protoOk(row)) {
        for (const given of singlePorts(ports)) {
          const typoOf = row.ports.find((wanted) => isPortTypo(given, wanted));
          const legit = rows.some((other) => other.direction === row.direction && rowTag(other) === rowTag(row) &&
            expandedPorts(other.ports).includes(Number(given)));
          if (typoOf && !legit) {
            add(row, 'port', `port ${given} where ${row.id} needs ${typoOf}`);
          }
        }
      }
      if (isSatisfied(row)) {
        continue;
      }
      if (!sameDirection && mirrored.has(rowTag(row)) && portsMatch && protoOk(row)) {
        add(row, 'direction', `direction ${direction} where ${row.id} is ${row.direction}`);
      }
      if (sameDirection && tagMatches && portsMatch && !protoOk(row)) {
        add(row, 'protocol', `protocol ${rule.protocol} where ${row.id} needs ${row.protocol}`);
      }
      if (row.requirement !== 'optional' && sameDirection && !tagMatches && portsMatch && protoOk(row) && counterpart.size > 0 &&
        rowTag(row) !== 'virtualnetwork' && ![...counterpart].includes('virtualnetwork')) {
        add(row, 'tag', `service tag ${[...counterpart].join(', ')} where ${row.id} needs ${row.direction === 'Inbound' ? row.source : row.destination}`);
      }
    }
  }
  return out;
}
