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
 */
import { BitSet } from './bitset';
import { parseIpv4CidrLenient } from './cidr';
import { IntervalSet } from './interval-set';
import { normalizeLocation } from './locations';

function cidrSet(text: string): IntervalSet {
  const cidr = parseIpv4CidrLenient(text);
  if (!cidr) {
    throw new RangeError(`not a CIDR: ${text}`);
  }
  return IntervalSet.of(cidr.network, cidr.last);
}

/** Every IPv4 address. */
export const IPV4_SPACE = IntervalSet.of(0, 2 ** 32 - 1);
/** Private space: RFC 1918 and the shared address space of RFC 6598. */
export const PRIVATE_SPACE = IntervalSet.union(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10']
  .flatMap((text) => cidrSet(text).intervals));
/** Addresses that are neither private nor public: this network, loopback, link-local, multicast, reserved. */
export const SPECIAL_SPACE = IntervalSet.union(['0.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '240.0.0.0/4']
  .flatMap((text) => cidrSet(text).intervals));
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

/** The cells of one evaluation, built from every address term it involves. */
export class AddressUniverse {
  public readonly positions: Position[] = [];
  public readonly cells: Cell[] = [];
  /** Service tag nodes present: name -> parent name. */
  private readonly parents = new Map<string, string | undefined>();
  private readonly realTags = new Set<string>(['azurecloud', ...[...AZURE_SERVICES].filter((t) => !NOT_A_TAG.has(t))]);
  private readonly memberships = new Map<AddressTerm, Membership>();
  private groupCache?: BitSet[];

  /**
   * @param terms every prefix of the rules and flows evaluated in this universe
   * @param vnetSpace addresses surely inside VirtualNetwork: the virtual network's known address space and the subnet
   */
  public constructor(terms: readonly AddressTerm[], public readonly vnetSpace: IntervalSet) {
    const cidrs = new Set<IntervalSet>();
    let symbolicSubnet = false;
    for (const term of terms) {
      symbolicSubnet = symbolicSubnet || term.kind === 'subnet';
      if (term.kind === 'cidr') {
        cidrs.add(term.set);
      } else if (term.kind === 'tag') {
        this.realTags.add(term.path[term.path.length - 1]);
        term.path.forEach((node, i) => this.parents.set(node, i === 0 ? undefined : term.path[i - 1]));
      }
    }
    // Cut the space at every boundary, then group the pieces by what holds them.
    const cuts = new Set<number>([0]);
    const addCuts = (set: IntervalSet) => {
      for (const [low, high] of set.intervals) {
        cuts.add(low);
        cuts.add(high + 1);
      }
    };
    [PRIVATE_SPACE, SPECIAL_SPACE, AZURE_LOAD_BALANCER, vnetSpace, ...cidrs].forEach(addCuts);
    const starts = [...cuts].filter((c) => c <= 2 ** 32 - 1).sort((a, b) => a - b);
    const cidrList = [...cidrs];
    const bySignature = new Map<string, { pieces: Array<[number, number]>; category: Position['category'] }>();
    starts.forEach((low, i) => {
      const high = (i + 1 < starts.length ? starts[i + 1] : 2 ** 32) - 1;
      const category: Position['category'] = vnetSpace.has(low) ? 'vnet' : AZURE_LOAD_BALANCER.has(low) ? 'alb'
        : PRIVATE_SPACE.has(low) ? 'private' : SPECIAL_SPACE.has(low) ? 'special' : 'public';
      const key = `${category}|${cidrList.map((set) => (set.has(low) ? '1' : '0')).join('')}`;
      const entry = bySignature.get(key) ?? { pieces: [], category };
      entry.pieces.push([low, high]);
      bySignature.set(key, entry);
    });
    const tagClasses = ['none', ...this.parents.keys()];
    const positions: Position[] = [...bySignature.values()].map(({ pieces, category }) => ({ set: IntervalSet.union(pieces), category }));
    if (symbolicSubnet) {
      positions.push({ set: IntervalSet.EMPTY, category: 'subnet' });
    }
    for (const { set, category } of positions) {
      const position = this.positions.length;
      this.positions.push({ set, category });
      const classes = category === 'vnet' || category === 'subnet' ? ['vnet'] : category === 'private' ? ['peered', 'outside']
        : category === 'alb' ? ['alb-internet', 'alb-outside'] : category === 'special' ? ['none'] : tagClasses;
      for (const cls of classes) {
        this.cells.push({ position, cls });
      }
    }
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

  /** The cells a term holds. */
  public membership(term: AddressTerm): Membership {
    let found = this.memberships.get(term);
    if (!found) {
      found = this.computeMembership(term);
      this.memberships.set(term, found);
    }
    return found;
  }

  private computeMembership(term: AddressTerm): Membership {
    const exact = (must: BitSet): Membership => ({ must, may: must, world: false });
    switch (term.kind) {
      case 'any':
        return exact(BitSet.all(this.size));
      case 'cidr': {
        // Exact for every CIDR the universe was built with; the APIM subnet of unknown prefixes may or may not be inside.
        const inside = (c: Cell) => this.category(c) !== 'subnet' && term.set.containsAll(this.positions[c.position].set);
        const must = this.where(inside);
        const may = this.where((c) => inside(c) || this.category(c) === 'subnet' || term.set.overlaps(this.positions[c.position].set));
        return { must, may, world: false };
      }
      case 'subnet':
        return exact(this.where((c) => this.category(c) === 'subnet'));
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

  /** The union of the cells of several terms; `world` when some uncertainty is Azure's knowledge only. */
  public union(terms: readonly AddressTerm[]): Membership {
    let must = BitSet.none(this.size);
    let may = BitSet.none(this.size);
    let world = false;
    let value = false;
    for (const term of terms) {
      const m = this.membership(term);
      must = must.or(m.must);
      may = may.or(m.may);
      world = world || m.world;
      value = value || (!m.world && !m.may.equals(m.must));
    }
    return { must, may, world: world && !value };
  }

  /**
   * Groups of cells that hold at least one address whatever ranges Azure gives its tags: each position (its
   * addresses have some class), and each service tag's own part across the public space (a tag is not empty).
   */
  public groups(): BitSet[] {
    if (this.groupCache) {
      return this.groupCache;
    }
    const out = this.positions.map((_, p) => this.where((c) => c.position === p));
    const classes = new Set(this.cells.filter((c) => this.category(c) === 'public').map((c) => c.cls));
    for (const cls of classes) {
      if (cls === 'none' || this.realTags.has(cls)) {
        out.push(this.where((c) => this.category(c) === 'public' && c.cls === cls));
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
