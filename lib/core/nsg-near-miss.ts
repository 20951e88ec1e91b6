/**
 * Near misses: Allow rules that look like a catalog row of API Management but are off by one field (a port typo such
 * as 1443 for 1433, the wrong direction, UDP for TCP, another service tag). Pure: no cdktf.
 */
import { isServiceTag } from './address-set';
import { CatalogRule } from './nsg-catalog';
import { CONNECTION_SOURCE_PORTS, RuleView, parsePortRange, portSet as portsOf, splitTag } from './nsg-evaluate';

/**
 * Flows the docs list as optional although the catalog does not render them: Storage 445 (Git, in the 2023 table) and
 * AzureActiveDirectory 80. A rule for them is documented, never a typo.
 */
const DOCUMENTED_EXTRAS: ReadonlyArray<{ readonly direction: string; readonly tag: string; readonly port: number }> = [
  { direction: 'Outbound', tag: 'storage', port: 445 },
  { direction: 'Outbound', tag: 'azureactivedirectory', port: 80 },
];

/** The catalog rows of the gateway's clients (External mode), whose source the user chooses (`clientAddressPrefixes`). */
const CLIENT_ROWS = new Set(['client-https', 'client-http']);

function isAccess(rule: RuleView, access: 'allow' | 'deny'): boolean | undefined {
  return rule.access === undefined || rule.access.includes('${') ? undefined : rule.access.trim().toLowerCase() === access;
}

/** A rule that looks like a catalog row but is off by one field. */
export interface NearMiss<T> {
  readonly rule: RuleView<T>;
  /** The catalog row it resembles. */
  readonly resembles: CatalogRule;
  /** Which field is off. */
  readonly kind: 'port' | 'direction' | 'protocol' | 'tag' | 'sourcePort';
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
 * Find Allow rules that resemble a required catalog row but are off by one field: a port typo (1443 for 1433), the
 * wrong direction, UDP for TCP, another service tag, or source ports that leave out part of 1024-65535 (where
 * connections come from: an allow of source port 443 matches the row in every other field and lets none in). Rules that match some catalog row exactly (an optional one
 * included) are never near misses, and only the rows that apply (`rows`: the required ones for the mode and the
 * number of locations) are resembled: a documented optional row, or a row whose condition does not hold (Traffic
 * Manager on a single location), never makes a near miss.
 *
 * @param rows the catalog rows that apply
 * @param allRows every catalog row (a rule matching any of them exactly is not a near miss)
 * @param isSatisfied tells whether a row's flow is already allowed; direction, protocol and tag near misses are only
 *        reported for rows that are not (a port typo is reported always: such a port is never what APIM needs).
 */
export function findNearMisses<T>(
  rules: readonly RuleView<T>[],
  rows: readonly CatalogRule[],
  allRows: readonly CatalogRule[],
  isSatisfied: (row: CatalogRule) => boolean,
): NearMiss<T>[] {
  const out: NearMiss<T>[] = [];
  for (const rule of rules) {
    const known = rule.direction !== undefined && rule.protocol !== undefined && rule.sourcePrefixes !== undefined &&
      rule.destinationPrefixes !== undefined && rule.destinationPorts !== undefined && isAccess(rule, 'allow') === true;
    if (!known) {
      continue;
    }
    const direction = (rule.direction as string).trim().toLowerCase() === 'inbound' ? 'Inbound' : 'Outbound';
    const protocol = (rule.protocol as string).toLowerCase();
    const ports = rule.destinationPorts as readonly string[];
    const counterpart = tagBases(counterpartOf(direction, rule.sourcePrefixes as string[], rule.destinationPrefixes as string[]));
    const mirrored = tagBases(counterpartOf(direction === 'Inbound' ? 'Outbound' : 'Inbound',
      rule.sourcePrefixes as string[], rule.destinationPrefixes as string[]));
    const portSet = new Set(expandedPorts(ports));
    const protoOk = (row: CatalogRule): boolean => protocol === '*' || protocol === row.protocol.toLowerCase();
    const rowTag = (row: CatalogRule): string => (row.direction === 'Inbound' ? row.source : row.destination).toLowerCase();
    const rowPorts = (row: CatalogRule): number[] => expandedPorts(row.ports);
    const exact = allRows.some((row) => row.direction.toLowerCase() === direction.toLowerCase() && protoOk(row) &&
      counterpart.has(rowTag(row)) && rowPorts(row).some((p) => portSet.has(p)));
    if (exact) {
      // It matches a row but for the source ports: the row's flow is not allowed, and the source ports are why.
      const sources = portsOf(rule.sourcePorts);
      const missing = sources === undefined ? undefined : CONNECTION_SOURCE_PORTS.minus(sources);
      const row = missing === undefined || missing.isEmpty ? undefined : rows.find((r) => r.direction.toLowerCase() === direction.toLowerCase() &&
        protoOk(r) && counterpart.has(rowTag(r)) && rowPorts(r).some((p) => portSet.has(p)) && !isSatisfied(r));
      if (row) {
        out.push({ rule, resembles: row, kind: 'sourcePort', detail: `source ports ${(rule.sourcePorts as readonly string[]).join(',')}, where a connection comes from whichever port of 1024-65535 its system picks (use "*")` });
      }
      continue;
    }
    if (counterpart.size === 0 && mirrored.size === 0) {
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
          const legit = allRows.some((other) => other.direction === row.direction && rowTag(other) === rowTag(row) &&
            expandedPorts(other.ports).includes(Number(given))) ||
            DOCUMENTED_EXTRAS.some((e) => e.direction === row.direction && e.tag === rowTag(row) && e.port === Number(given));
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
      // The client rows take any source (Front Door, CIDRs: narrowing the clients is the user's choice): another
      // source there is a choice, never a typo.
      if (sameDirection && !tagMatches && portsMatch && protoOk(row) && counterpart.size > 0 && !CLIENT_ROWS.has(row.id) &&
        rowTag(row) !== 'virtualnetwork' && ![...counterpart].includes('virtualnetwork')) {
        add(row, 'tag', `service tag ${[...counterpart].join(', ')} where ${row.id} needs ${row.direction === 'Inbound' ? row.source : row.destination}`);
      }
    }
  }
  return out;
}
