/**
 * Addresses as Azure NSGs see them: CIDRs and single addresses, `*`/`Any`, the `Internet`, `VirtualNetwork` and
 * `AzureLoadBalancer` tags, and service tags whose ranges are not known at synth time.
 *
 * The model. An address has a position (its place in the IPv4 space, known) and a class (which service tag holds it,
 * which only Azure knows). The IPv4 space is cut into positions at every boundary any prefix of the evaluation has,
 * so each CIDR holds a position entirely or not at all; each position is split into the classes its addresses may
 * have. A pair (position, class) is a cell. Whether a cell belongs to a prefix is then known for every prefix, so
 * evaluating rules cell by cell is exact, whatever ranges Azure gives its tags.
 *
 * Facts and assumptions (README, "What the checks cannot see"):
 * - `Internet` is the public IPv4 space outside the virtual network's known address space: every address that is not
 *   private (RFC 1918, RFC 6598) or special (0/8, 127/8, 169.254/16, 224/4, 240/4). Whether it holds
 *   `168.63.129.16` (`AzureLoadBalancer`) is left open.
 * - Service tags hold public addresses only; where in the public space is not known. `AzureCloud` holds the Azure
 *   service tags (Storage, Sql, AzureKeyVault, AzureMonitor, AzureTrafficManager, ApiManagement,
 *   AzureActiveDirectory, AzureConnectors, EventHub, AzureFrontDoor.*...); a regional tag (`Storage.WestEurope`) is
 *   inside its global tag. Distinct tags that no such fact relates are treated as disjoint, and every tag as a proper,
 *   non-empty part of its parent (Storage holds addresses outside any one region). `AzureCloud.<region>` may overlap
 *   any Azure service tag (it holds their ranges of that region), so it is treated as possibly overlapping them.
 * - `VirtualNetwork` is the virtual network's known address space (and the APIM subnet); other private addresses may
 *   belong to it through peering or on-premises routes, so for them it is left open.
 * - IPv6 prefixes hold no IPv4 address.
 * - `ApiManagement` holds at most 2^20 addresses (`SMALL_TAGS`): a larger public range cannot lie wholly inside it.
 */
import { BitSet } from './bitset';
import { parseIpv4CidrLenient } from './cidr';
import { IntervalSet } from './interval-set';
import { normalizeLocation } from './locations';

/**
 * Service tags assumed to be small, with a bound on their IPv4 addresses: `ApiManagement` lists the control plane's
 * addresses per region, far fewer than 2^20 (a /12), so it cannot fill a larger public range (README, "What the
 * checks cannot see"). A range that large, allowed to reach 3443, surely lets in public
 * addresses other than ApiManagement's, whatever ranges Azure gives the tag.
 */
export const SMALL_TAGS: ReadonlyMap<string, number> = new Map([['apimanagement', 2 ** 20]]);

function cidrSet(text: string): IntervalSet {
  const cidr = parseIpv4CidrLenient(text);
  if (!cidr) {
    throw new RangeError(`not a CIDR: ${text}`);
  }
  return IntervalSet.of(cidr.network, cidr.last);
}

/** Every IPv4 address. */
export const IPV4_SPACE = IntervalSet.of(0, 2 ** 32 - 1);
/** Private ranges: RFC 1918 and the shared address space of RFC 6598 (carrier-grade NAT). */
export const PRIVATE_RANGES: ReadonlyArray<{ readonly text: string; readonly what: string }> = [
  { text: '10.0.0.0/8', what: 'private (RFC 1918)' }, { text: '172.16.0.0/12', what: 'private (RFC 1918)' },
  { text: '192.168.0.0/16', what: 'private (RFC 1918)' }, { text: '100.64.0.0/10', what: 'shared address space (RFC 6598)' },
];
/** Private space: RFC 1918 and the shared address space of RFC 6598. */
export const PRIVATE_SPACE = IntervalSet.union(PRIVATE_RANGES.flatMap((range) => cidrSet(range.text).intervals));
/**
 * Ranges that are neither private nor public, from none of which a client on the internet calls (RFC 6890).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6890#section-2.2.2
 */
export const SPECIAL_RANGES: ReadonlyArray<{ readonly text: string; readonly what: string }> = [
  { text: '0.0.0.0/8', what: '"this network"' }, { text: '127.0.0.0/8', what: 'loopback' },
  { text: '169.254.0.0/16', what: 'link-local' }, { text: '224.0.0.0/4', what: 'multicast' }, { text: '240.0.0.0/4', what: 'reserved' },
];
/** Addresses that are neither private nor public: this network, loopback, link-local, multicast, reserved. */
export const SPECIAL_SPACE = IntervalSet.union(SPECIAL_RANGES.flatMap((range) => cidrSet(range.text).intervals));
/** `168.63.129.16`, the address of the `AzureLoadBalancer` tag. */
export const AZURE_LOAD_BALANCER = cidrSet('168.63.129.16/32');
/** The public IPv4 space. */
export const PUBLIC_SPACE = IPV4_SPACE.minus(PRIVATE_SPACE).minus(SPECIAL_SPACE);

/** One address prefix of a rule (or one end of a flow), as a set of addresses. */
export type AddressTerm =
  | { readonly kind: 'any'; readonly text: string }
  | { readonly kind: 'cidr'; readonly text: string; readonly set: IntervalSet }
  | { readonly kind: 'ipv6'; readonly text: string; readonly public: boolean }
  | { readonly kind: 'internet'; readonly text: string }
  | { readonly kind: 'vnet'; readonly text: string }
  | { readonly kind: 'alb'; readonly text: string }
  | { readonly kind: 'tag'; readonly text: string; readonly path: readonly string[]; readonly overlapsServices: boolean }
  | { readonly kind: 'unknown'; readonly text: string; readonly reason: string }
  /** The APIM subnet when its prefixes are not known: inside VirtualNetwork, somewhere. */
  | { readonly kind: 'subnet'; readonly text: string };

/** The APIM subnet whose prefixes are not known at synth time. */
export const UNKNOWN_SUBNET: AddressTerm = { kind: 'subnet', text: 'the APIM subnet' };

/** Base names of the Azure service tags `AzureCloud` holds (lower case). */
const AZURE_SERVICES = new Set([
  'storage', 'sql', 'azurekeyvault', 'azuremonitor', 'azuretrafficmanager', 'apimanagement', 'azureactivedirectory',
  'azureconnectors', 'eventhub', 'azurefrontdoor', 'appservice', 'servicebus', 'azurecosmosdb', 'azurecontainerregistry',
  'azurebackup', 'batchnodemanagement', 'datafactory', 'gatewaymanager', 'azurebotservice', 'logicapps',
]);
/** Names that group tags without being a tag themselves (`AzureFrontDoor.Backend` is a tag, `AzureFrontDoor` is not). */
const NOT_A_TAG = new Set(['azurefrontdoor']);
const WILDCARDS = new Set(['*', 'any', '0.0.0.0']);

/** The path of a service tag from its outermost known container: `Storage.WestEurope` -> azurecloud, storage, storage.westeurope. */
export function tagPath(text: string): string[] {
  const lower = text.trim().toLowerCase();
  const dot = lower.indexOf('.');
  const base = dot < 0 ? lower : lower.slice(0, dot);
  const suffix = dot < 0 ? undefined : lower.slice(dot + 1);
  const leaf = suffix === undefined ? undefined : `${base}.${base === 'azurefrontdoor' ? suffix : normalizeLocation(suffix)}`;
  if (base === 'azurecloud') {
    return leaf ? ['azurecloud', leaf] : ['azurecloud'];
  }
  const path = AZURE_SERVICES.has(base) ? ['azurecloud', base] : [base];
  return leaf ? [...path, leaf] : path;
}

/** Whether a text is an unresolved Terraform expression (`${...}`). */
export function isExpression(text: string): boolean {
  return text.includes('${');
}

const TERMS = new Map<string, AddressTerm>();

/** The set of addresses an address prefix text stands for (the same object for the same text). */
export function addressTerm(raw: string): AddressTerm {
  let term = TERMS.get(raw);
  if (!term) {
    if (TERMS.size > 10000) {
      TERMS.clear();
    }
    term = parseTerm(raw);
    TERMS.set(raw, term);
  }
  return term;
}

function parseTerm(raw: string): AddressTerm {
  const text = raw.trim();
  const lower = text.toLowerCase();
  if (text === '' || isExpression(text)) {
    return { kind: 'unknown', text, reason: text === '' ? 'an empty prefix' : `the expression "${text}"` };
  }
  if (WILDCARDS.has(lower)) {
    return { kind: 'any', text };
  }
  if (text.includes(':')) {
    const ula = /^f[cd]|^fe[89ab]|^::1?(\/|$)/.test(lower) && lower !== '::/0';
    return { kind: 'ipv6', text, public: !ula };
  }
  const cidr = parseIpv4CidrLenient(text);
  if (cidr) {
    return { kind: 'cidr', text, set: IntervalSet.of(cidr.network, cidr.last) };
  }
  if (/^[0-9./-]+$/.test(text)) {
    return { kind: 'unknown', text, reason: `"${text}", which is not an address prefix Azure accepts` };
  }
  if (lower === 'internet') {
    return { kind: 'internet', text };
  }
  if (lower === 'virtualnetwork') {
    return { kind: 'vnet', text };
  }
  if (lower === 'azureloadbalancer') {
    return { kind: 'alb', text };
  }
  const path = tagPath(text);
  return { kind: 'tag', text, path, overlapsServices: path[0] === 'azurecloud' && path.length === 2 && path[1].startsWith('azurecloud.') };
}

/** Whether a prefix text is a service tag (neither an address, a wildcard, nor an expression). */
export function isServiceTag(prefix: string): boolean {
  const kind = addressTerm(prefix).kind;
  return kind === 'tag' || kind === 'internet' || kind === 'vnet' || kind === 'alb';
}

/** Whether a prefix text is an IPv4 or IPv6 address or CIDR. */
export function isAddressPrefix(prefix: string): boolean {
  const kind = addressTerm(prefix).kind;
  return kind === 'cidr' || kind === 'ipv6';
}

/** A part of the IPv4 space that every CIDR of an evaluation holds entirely or not at all. */
export interface Position {
  readonly set: IntervalSet;
  /** `subnet`: the APIM subnet when its prefixes are not known (it overlaps the `vnet` positions in an unknown way). */
  readonly category: 'vnet' | 'private' | 'special' | 'alb' | 'public' | 'subnet';
}

/** A cell: the addresses of one position that have one class. */
export interface Cell {
  readonly position: number;
  /**
   * `vnet` (inside the known virtual network), `peered`/`outside` (private, in VirtualNetwork through peering or
   * not), `alb-internet`/`alb-outside` (168.63.129.16, inside Internet or not), `none` (no known tag), or the service
   * tag node whose own part holds it.
   */
  readonly cls: string;
}

/** Which cells a term holds: surely (`must`) and possibly (`may`); `world` when the difference is Azure's knowledge. */
export interface Membership {
  readonly must: BitSet;
  readonly may: BitSet;
  /** The difference between must and may comes from what only Azure knows (tag ranges), not from a value unknown at synth time. */
  readonly world: boolean;
}

/** The CIDRs of an address list, as one set of addresses (what a rule's prefix list holds), with a key for it. */
function cidrUnion(terms: readonly AddressTerm[]): { set: IntervalSet; key: string } | undefined {
  const intervals = terms.flatMap((t) => (t.kind === 'cidr' ? t.set.intervals : []));
  if (intervals.length === 0) {
    return undefined;
  }
  const set = intervals.length === 1 ? IntervalSet.of(intervals[0][0], intervals[0][1]) : IntervalSet.union(intervals);
  return { set, key: set.intervals.map(([low, high]) => `${low}-${high}`).join(',') };
}

/**
 * The cells of one evaluation, built from every address list it involves (each rule's source and destination
 * prefixes, each end of each flow).
 *
 * The CIDRs of a list are taken as one set (their union), and the IPv4 space is cut only at the boundaries of those
 * unions and of the fixed spaces (private, special, 168.63.129.16, the virtual network): two addresses that every list
 * holds alike, or every list leaves out alike, can never be told apart by a rule, so they share a position. A rule
 * with 4,000 prefixes therefore adds one set, and positions number about the lists that name addresses, not the
 * prefixes; building them is near-linear in the prefixes (a sweep over sorted boundaries).
 */
export class AddressUniverse {
  public readonly positions: Position[] = [];
  public readonly cells: Cell[] = [];
  /** Service tag nodes present: name -> parent name. */
  private readonly parents = new Map<string, string | undefined>();
  private readonly realTags = new Set<string>(['azurecloud', ...[...AZURE_SERVICES].filter((t) => !NOT_A_TAG.has(t))]);
  private readonly memberships = new Map<AddressTerm, Membership>();
  private readonly listMemberships = new Map<readonly AddressTerm[], Membership>();
  /** Union key -> the positions that union holds (every position lies wholly inside or outside it). */
  private readonly unionPositions = new Map<string, number[]>();
  /** First cell of each position (cells of one position are consecutive); one more entry: the number of cells. */
  private readonly cellStart: number[] = [];
  private groupCache?: BitSet[];

  /**
   * @param lists every address list of the rules and flows evaluated in this universe (a list of one term is fine)
   * @param vnetSpace addresses surely inside VirtualNetwork: the virtual network's known address space and the subnet
   */
  public constructor(lists: ReadonlyArray<readonly AddressTerm[]>, public readonly vnetSpace: IntervalSet) {
    let symbolicSubnet = false;
    const unions = new Map<string, IntervalSet>();
    for (const list of lists) {
      for (const term of list) {
        symbolicSubnet = symbolicSubnet || term.kind === 'subnet';
        if (term.kind === 'tag') {
          this.realTags.add(term.path[term.path.length - 1]);
          term.path.forEach((node, i) => this.parents.set(node, i === 0 ? undefined : term.path[i - 1]));
        }
      }
      const union = cidrUnion(list);
      if (union) {
        unions.set(union.key, union.set);
      }
    }
    // Cut the space at every boundary of the unions and the fixed spaces.
    const fixed = [PRIVATE_SPACE, SPECIAL_SPACE, AZURE_LOAD_BALANCER, vnetSpace];
    const cuts = new Set<number>([0]);
    for (const set of [...fixed, ...unions.values()]) {
      for (const [low, high] of set.intervals) {
        cuts.add(low);
        if (high < 2 ** 32 - 1) {
          cuts.add(high + 1);
        }
      }
    }
    const starts = Float64Array.from(cuts).sort();
    const pieceOf = (address: number): number => {
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (starts[mid] <= address) {
          low = mid;
        } else {
          high = mid - 1;
        }
      }
      return low;
    };
    // Which unions hold each piece (every boundary of a union is a cut, so a union holds a piece wholly or not at all).
    const holders: number[][] = Array.from({ length: starts.length }, () => []);
    const unionKeys = [...unions.keys()];
    unionKeys.forEach((key, id) => {
      for (const [low, high] of (unions.get(key) as IntervalSet).intervals) {
        for (let piece = pieceOf(low); piece < starts.length && starts[piece] <= high; piece++) {
          holders[piece].push(id);
        }
      }
    });
    // Group the pieces by what holds them: the category of their addresses, and the unions.
    const bySignature = new Map<string, { pieces: Array<[number, number]>; category: Position['category']; unions: number[] }>();
    const categoryOf = (low: number): Position['category'] => (vnetSpace.has(low) ? 'vnet' : AZURE_LOAD_BALANCER.has(low) ? 'alb'
      : PRIVATE_SPACE.has(low) ? 'private' : SPECIAL_SPACE.has(low) ? 'special' : 'public');
    for (let i = 0; i < starts.length; i++) {
      const low = starts[i];
      const high = (i + 1 < starts.length ? starts[i + 1] : 2 ** 32) - 1;
      const category = categoryOf(low);
      const key = `${category}|${holders[i].join(',')}`;
      let entry = bySignature.get(key);
      if (!entry) {
        entry = { pieces: [], category, unions: holders[i] };
        bySignature.set(key, entry);
      }
      entry.pieces.push([low, high]);
    }
    const tagClasses = ['none', ...this.parents.keys()];
    const positions: Array<Position & { unions: number[] }> = [...bySignature.values()]
      .map(({ pieces, category, unions: held }) => ({ set: IntervalSet.union(pieces), category, unions: held }));
    if (symbolicSubnet) {
      positions.push({ set: IntervalSet.EMPTY, category: 'subnet', unions: [] });
    }
    const positionsOfUnion: number[][] = unionKeys.map(() => []);
    for (const { set, category, unions: held } of positions) {
      const position = this.positions.length;
      this.positions.push({ set, category });
      this.cellStart.push(this.cells.length);
      held.forEach((id) => positionsOfUnion[id].push(position));
      const classes = category === 'vnet' || category === 'subnet' ? ['vnet'] : category === 'private' ? ['peered', 'outside']
        : category === 'alb' ? ['alb-internet', 'alb-outside'] : category === 'special' ? ['none'] : tagClasses;
      for (const cls of classes) {
        this.cells.push({ position, cls });
      }
    }
    this.cellStart.push(this.cells.length);
    unionKeys.forEach((key, id) => this.unionPositions.set(key, positionsOfUnion[id]));
  }

  /** Number of cells. */
  public get size(): number {
    return this.cells.length;
  }

  private where(predicate: (cell: Cell) => boolean): BitSet {
    const members: number[] = [];
    this.cells.forEach((cell, i) => {
      if (predicate(cell)) {
        members.push(i);
      }
    });
    return BitSet.of(this.size, members);
  }

  private isUnder(cls: string, node: string): boolean {
    for (let current: string | undefined = cls; current !== undefined; current = this.parents.get(current)) {
      if (current === node) {
        return true;
      }
    }
    return false;
  }

  private category(cell: Cell): Position['category'] {
    return this.positions[cell.position].category;
  }

  /** The cells of some positions (each position's cells are consecutive). */
  private cellsOf(positions: readonly number[]): BitSet {
    return BitSet.ofRanges(this.size, positions.map((p) => [this.cellStart[p], this.cellStart[p + 1]] as [number, number]));
  }

  /** The cells of the symbolic subnet position (the APIM subnet of unknown prefixes), if there is one. */
  private subnetCells(): BitSet {
    const subnet = this.positions.findIndex((p) => p.category === 'subnet');
    return subnet < 0 ? BitSet.none(this.size) : this.cellsOf([subnet]);
  }

  /** The cells a term holds (a CIDR is read as a list of one). */
  public membership(term: AddressTerm): Membership {
    let found = this.memberships.get(term);
    if (!found) {
      found = term.kind === 'cidr' ? this.union([term]) : this.computeMembership(term);
      this.memberships.set(term, found);
    }
    return found;
  }

  /** The cells the CIDRs of a list hold together: exact for every list the universe was built with. */
  private cidrMembership(union: { set: IntervalSet; key: string }): Membership {
    // The APIM subnet of unknown prefixes may or may not be inside any CIDR.
    const subnet = this.subnetCells();
    const known = this.unionPositions.get(union.key);
    if (known) {
      const must = this.cellsOf(known);
      return { must, may: must.or(subnet), world: false };
    }
    // A list the universe was not built with: positions wholly inside are surely in, those it overlaps maybe.
    const inside: number[] = [];
    const overlapping: number[] = [];
    this.positions.forEach((p, i) => {
      if (p.category === 'subnet') {
        return;
      }
      if (union.set.containsAll(p.set)) {
        inside.push(i);
      } else if (union.set.overlaps(p.set)) {
        overlapping.push(i);
      }
    });
    return { must: this.cellsOf(inside), may: this.cellsOf([...inside, ...overlapping]).or(subnet), world: false };
  }

  private computeMembership(term: AddressTerm): Membership {
    const exact = (must: BitSet): Membership => ({ must, may: must, world: false });
    switch (term.kind) {
      case 'any':
        return exact(BitSet.all(this.size));
      case 'cidr':
        return this.union([term]);
      case 'subnet':
        return exact(this.subnetCells());
      case 'ipv6':
        return exact(BitSet.none(this.size));
      case 'internet':
        return exact(this.where((c) => this.category(c) === 'public' || c.cls === 'alb-internet'));
      case 'vnet':
        return exact(this.where((c) => c.cls === 'vnet' || c.cls === 'peered'));
      // The APIM subnet of unknown prefixes is in no other term: VirtualNetwork is disjoint from Internet and the tags.
      case 'alb':
        return exact(this.where((c) => this.category(c) === 'alb'));
      case 'tag': {
        const leaf = term.path[term.path.length - 1];
        const must = this.where((c) => this.category(c) === 'public' && this.isUnder(c.cls, leaf));
        if (!term.overlapsServices) {
          return exact(must);
        }
        const may = must.or(this.where((c) => this.category(c) === 'public' && c.cls !== 'azurecloud' && this.isUnder(c.cls, 'azurecloud')));
        return { must, may, world: true };
      }
      case 'unknown':
        return { must: BitSet.none(this.size), may: BitSet.all(this.size), world: false };
      default:
        return exact(BitSet.none(this.size));
    }
  }

  /**
   * The union of the cells of a list of terms (its CIDRs taken together); `world` when some uncertainty is Azure's
   * knowledge only. The same list object is computed once.
   */
  public union(terms: readonly AddressTerm[]): Membership {
    const cached = this.listMemberships.get(terms);
    if (cached) {
      return cached;
    }
    const union = cidrUnion(terms);
    let must = BitSet.none(this.size);
    let may = BitSet.none(this.size);
    let world = false;
    let value = false;
    const parts = [...(union ? [this.cidrMembership(union)] : []), ...terms.filter((t) => t.kind !== 'cidr').map((t) => this.membership(t))];
    for (const m of parts) {
      must = must.or(m.must);
      may = may.or(m.may);
      world = world || m.world;
      value = value || (!m.world && !m.may.equals(m.must));
    }
    const found = { must, may, world: world && !value };
    this.listMemberships.set(terms, found);
    return found;
  }

  /**
   * Groups of cells that hold at least one address whatever ranges Azure gives its tags: each position (its
   * addresses have some class), and each service tag's own part across the public space (a tag is not empty).
   */
  public groups(): BitSet[] {
    if (this.groupCache) {
      return this.groupCache;
    }
    const out = this.positions.map((_, p) => this.cellsOf([p]));
    const classes = new Set(this.cells.filter((c) => this.category(c) === 'public').map((c) => c.cls));
    for (const cls of classes) {
      if (cls === 'none' || this.realTags.has(cls)) {
        out.push(this.where((c) => this.category(c) === 'public' && c.cls === cls));
      }
    }
    // A public position larger than a small tag can be holds addresses outside that tag.
    for (const [tag, bound] of SMALL_TAGS) {
      if (!this.parents.has(tag)) {
        continue;
      }
      this.positions.forEach((position, p) => {
        if (position.category === 'public' && position.set.size > bound) {
          out.push(this.where((c) => c.position === p && !this.isUnder(c.cls, tag)));
        }
      });
      // The same for the public part of each address list, which other lists may have cut into smaller positions.
      for (const positions of this.unionPositions.values()) {
        const publicOnes = new Set(positions.filter((p) => this.positions[p].category === 'public'));
        const size = [...publicOnes].reduce((n, p) => n + this.positions[p].set.size, 0);
        if (publicOnes.size > 1 && size > bound) {
          out.push(this.where((c) => publicOnes.has(c.position) && !this.isUnder(c.cls, tag)));
        }
      }
    }
    this.groupCache = out;
    return out;
  }

  /** A short description of a cell, for messages. */
  public describe(cell: number): string {
    const { position, cls } = this.cells[cell];
    const where = this.positions[position].category;
    return cls === 'none' || cls === 'vnet' ? `${where} addresses` : `${cls} (${where})`;
  }
}
