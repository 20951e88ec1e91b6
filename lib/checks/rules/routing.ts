/**
 * Routing rules: forced tunnelling, its management and client routes, and the service endpoints of an APIM subnet.
 *
 * A subnet is force-tunnelled when the routes of its route table that go to a VirtualAppliance, the
 * VirtualNetworkGateway or None cover the public IPv4 space together: `0.0.0.0/0`, or `0.0.0.0/1` + `128.0.0.0/1`, or
 * any set of prefixes whose union leaves no public address out (facts section 4; design/RULES.md revision 2).
 * Longer routes to Internet (the ApiManagement and client routes) do not undo it: they are the exceptions the docs ask
 * for. APIM-ROUTE-CLIENTS judges force-tunnelled subnets only: with part of the public space left to Internet, clients
 * outside the tunnelled ranges still reach the gateway. APIM-ROUTE-ENDPOINTS also judges a subnet whose table sends
 * `AzureCloud` to a tunnel hop (every dependency goes through it), not one that tunnels public CIDRs only (whether a
 * dependency lies in them cannot be known).
 *
 * APIM-ROUTE-MANAGEMENT follows ApiManagement's addresses as Azure routes them (virtual-networks-udr-overview: longest
 * prefix match; an explicit prefix wins an exact tie with a service tag; among tags, regional, top-level, AzureCloud
 * regional, AzureCloud): a route of `AzureCloud` or `ApiManagement` to a tunnel hop sends all of them through the
 * tunnel (an error, as forced tunnelling is); a regional tag (`ApiManagement.WestEurope`, `AzureCloud.westeurope`)
 * sends part of them one way and the rest the other, and which part the instance's control plane calls from is not
 * documented (a warning, as an NSG allow of 3443 from a regional ApiManagement tag is); a public CIDR to a tunnel hop
 * may or may not hold them (a warning naming both, design/RULES.md revision 2).
 */
import { Rule, RuleResult, Subject, defineRule, subjectOf, underCondition } from '../rule';
import { SOURCES } from '../sources';
import { ApimRuleLevel } from '../types';
import { PUBLIC_SPACE, tagPath } from '../../core/address-set';
import { Ipv4Cidr, parseIpv4CidrLenient } from '../../core/cidr';
import { IntervalSet } from '../../core/interval-set';
import { FORCED_TUNNELLING_ENDPOINTS, PRIMARY_ONLY_ENDPOINT } from '../../core/service-endpoints';
import { NOT_CLIENT_TAGS, SERVICE_TAG_SHAPE } from '../../core/service-tags';
import { Resource, Unknown, isUnknown } from '../model';
import { opaqueChange } from '../opaque';
import { SubnetTarget, Targets, ignoredChanges, outsideTerraform, writtenBlocks } from '../targets';

const TUNNEL_HOPS = ['virtualappliance', 'virtualnetworkgateway', 'none'];
const MANAGEMENT_TAG = 'apimanagement';
/**
 * Service tags that hold no client of the gateway (lower case, without a region): those the NSG's client prop refuses
 * (the platform's own and the services APIM depends on), and AzureCloud. A route of one of them to Internet exempts no
 * client from the tunnel.
 */
const NOT_CLIENT_ROUTE_TAGS = new Set([...NOT_CLIENT_TAGS.keys(), 'azurecloud']);

/** Whether the blocks together hold every public IPv4 address (exact interval arithmetic; private space may stay out). */
export function coversPublicSpace(blocks: readonly Ipv4Cidr[]): boolean {
  return IntervalSet.union(blocks.map((c) => [c.network, c.last] as const)).containsAll(PUBLIC_SPACE);
}

/** Whether a block holds public addresses. */
function holdsPublic(cidr: Ipv4Cidr): boolean {
  return IntervalSet.of(cidr.network, cidr.last).overlaps(PUBLIC_SPACE);
}

interface RouteView {
  readonly name: string;
  readonly prefix: string | Unknown | undefined;
  readonly hop: string | Unknown | undefined;
  /** Set when the route may or may not exist (`count`/`for_each` over a value not known at synth time). */
  readonly maybe?: Unknown;
}

/** What the rules know of an APIM subnet's route table. */
interface RouteTableState {
  readonly table: Resource;
  readonly routes: RouteView[];
  /** The tunnelling routes (known prefix and hop). */
  readonly tunnelRoutes: RouteView[];
  /** Whether the tunnelling routes cover the public IPv4 space. */
  readonly forced: boolean;
  /** Set when some route of the table cannot be read: a finding that depends on it cannot be decided. */
  readonly unknown?: Unknown;
}

const lower = (value: string | Unknown | undefined) => (typeof value === 'string' ? value.trim().toLowerCase() : undefined);

/** Standalone `azurerm_route` resources whose route table cannot be known: they may belong to any table. */
function unplacedRoutes(t: Targets): Resource[] {
  return t.memo(t.model, 'routes-unplaced', () => t.model.ofType('azurerm_route').filter((route) => {
    const table = t.model.byName(route.config.route_table_name, route.config.resource_group_name, 'azurerm_route_table', route);
    return isUnknown(table) && !table.reason.includes('not in this stack');
  }));
}

function readRoutes(t: Targets, table: Resource): { routes: RouteView[]; unknown?: Unknown } | Unknown {
  // Inline routes: a list, one object, or `dynamic` blocks (the model expands those over known collections and reports
  // the rest as unknown).
  // In a plan, a table whose configuration does not write route lists what Azure holds there, the azurerm_route
  // resources' routes included, as they are before the plan: those are judged as planned, from their resources; the
  // rest of the listing (routes made outside Terraform) stays.
  const standalone = t.model.standaloneRoutes(table);
  const inline = ignoredChanges(table, 'route') ?? (table.computed?.includes('route')
    ? outsideTerraform(t.model, t.model.blocks(table.config.route), standalone, table.deletedChildren ?? [])
    : t.model.blocks(table.config.route));
  if (isUnknown(inline)) {
    return new Unknown(`the routes of ${table.address}: ${inline.reason}`);
  }
  const routes: RouteView[] = inline.map((r) => ({
    name: String(t.model.str(r.name) ?? '?'), prefix: t.model.str(r.address_prefix), hop: t.model.str(r.next_hop_type),
  }));
  let unknown: Unknown | undefined;
  for (const route of standalone) {
    if (route.maybe) {
      unknown = new Unknown(`whether ${route.address} exists: ${route.maybe.reason}`);
    }
    routes.push({
      name: String(t.model.str(route.config.name) ?? route.name), prefix: t.model.str(route.config.address_prefix),
      hop: t.model.str(route.config.next_hop_type), maybe: route.maybe,
    });
  }
  const unplaced = unplacedRoutes(t);
  if (unplaced.length > 0) {
    unknown = new Unknown(`whether ${unplaced.map((r) => r.address).join(', ')} belongs to ${table.address}`);
  }
  const unreadable = routes.find((r) => isUnknown(r.prefix) || isUnknown(r.hop));
  if (unreadable) {
    unknown = new Unknown(`route "${unreadable.name}" of ${table.address}: ${((isUnknown(unreadable.prefix) ? unreadable.prefix : unreadable.hop) as Unknown).reason}`);
  }
  return { routes, unknown };
}

/** The route table state of an APIM subnet (once per evaluation), Unknown, or undefined when it has no route table. */
function routeTableState(t: Targets, target: SubnetTarget): RouteTableState | Unknown | undefined {
  return t.memo(target.subnet, 'route-table-state', () => {
    const table = t.model.routeTableOf(target.subnet);
    // A module or azapi resource that gets the subnet may associate a route table; one that gets the table may add routes.
    const opaque = opaqueChange(target.subnet, 'subnet') ?? (table && !isUnknown(table) ? opaqueChange(table, 'route-table') : undefined);
    if (opaque) {
      return opaque;
    }
    if (table === undefined || isUnknown(table)) {
      return table;
    }
    const read = readRoutes(t, table);
    if (isUnknown(read)) {
      return read;
    }
    // Only routes that certainly exist decide; one that may exist leaves the verdict unknown (read.unknown).
    const tunnelRoutes = read.routes.filter((r) => !r.maybe && TUNNEL_HOPS.includes(lower(r.hop) ?? '') && typeof r.prefix === 'string'
      && parseIpv4CidrLenient(r.prefix.trim()) !== undefined);
    const forced = coversPublicSpace(tunnelRoutes.map((r) => parseIpv4CidrLenient((r.prefix as string).trim()) as Ipv4Cidr));
    return { table, routes: read.routes, tunnelRoutes, forced, unknown: read.unknown };
  });
}

/** How a forced table sends the public space: `0.0.0.0/0 to VirtualAppliance (route "a")`, or with several routes `the public IPv4 space to ... (routes "a" 0.0.0.0/1, "b" 128.0.0.0/1)`. */
function tunnelText(state: RouteTableState): string {
  const hops = [...new Set(state.tunnelRoutes.map((r) => String(r.hop)))].join('/');
  if (state.tunnelRoutes.length === 1) {
    const [route] = state.tunnelRoutes;
    return `${String(route.prefix)} to ${hops} (route "${route.name}")`;
  }
  return `the public IPv4 space to ${hops} (${routeList(state.tunnelRoutes)})`;
}

/** `route "a" 0.0.0.0/1` or `routes "a" 0.0.0.0/1, "b" 128.0.0.0/1`; past `max` routes, `and 12 more`. */
function routeList(routes: readonly RouteView[], max = Infinity): string {
  const named = routes.slice(0, max).map((r) => `"${r.name}" ${String(r.prefix)}`);
  const more = routes.length > max ? ` and ${routes.length - max} more` : '';
  return `${routes.length === 1 ? 'route' : 'routes'} ${named.join(', ')}${more}`;
}

/** `azurerm_route_table.rt sends 0.0.0.0/0 to VirtualAppliance (route "a")`. */
function describeTunnel(state: RouteTableState): string {
  return `${state.table.address} sends ${tunnelText(state)}`;
}

/**
 * Run `judge` on each APIM subnet whose route table forces its traffic through a tunnel (or, with `alsoWhen`, meets
 * that condition); report what cannot be known. A subnet that is not force-tunnelled passes when `passOthers` is set.
 */
function forEachTunnel(t: Targets, r: RuleResult, targets: SubnetTarget[], passOthers: boolean,
  judge: (target: SubnetTarget, state: RouteTableState) => void, alsoWhen: (state: RouteTableState) => boolean = () => false): void {
  for (const target of targets) {
    const subject = subjectOf(target.subnet);
    const state = routeTableState(t, target);
    if (isUnknown(state)) {
      r.unknown(subject, state);
    } else if (state === undefined || !(state.forced || alsoWhen(state))) {
      if (state?.unknown) {
        r.unknown(subject, state.unknown);
      } else if (passOthers) {
        r.pass(subject);
      }
    } else {
      judge(target, state);
    }
  }
}

const { ERROR, WARNING } = ApimRuleLevel;

/**
 * A route whose prefix is a service tag holding ApiManagement addresses, ranked as Azure picks among tag routes with
 * matching prefixes (virtual-networks-udr-overview, "Exact Match"): 1 a regional tag (`ApiManagement.WestEurope`),
 * 2 the top-level tag (`ApiManagement`), 3 an AzureCloud regional tag (`AzureCloud.westeurope`), 4 `AzureCloud`. A
 * regional tag is also inside its global one (README, "Service tag ranges"), so the order holds address by address.
 */
interface ManagementTagRoute {
  readonly route: RouteView;
  readonly rank: 1 | 2 | 3 | 4;
  /** Normalised region of a regional tag. */
  readonly region?: string;
}

function managementTagRoute(route: RouteView): ManagementTagRoute | undefined {
  const prefix = typeof route.prefix === 'string' ? route.prefix.trim() : '';
  if (route.maybe || typeof route.hop !== 'string' || !SERVICE_TAG_SHAPE.test(prefix)) {
    return undefined;
  }
  const path = tagPath(prefix);
  const [base, region] = path[path.length - 1].split(/\.(.*)/);
  const top = base === MANAGEMENT_TAG ? 2 : base === 'azurecloud' ? 4 : undefined;
  if (top === undefined || region === '') {
    return undefined;
  }
  return region === undefined ? { route, rank: top } : { route, rank: top === 2 ? 1 : 3, region };
}

/**
 * Where a part of ApiManagement's addresses goes: `exempt` (a tag route to Internet), `tunnel` (surely through the
 * tunnel), `maybe` (public CIDRs to a tunnel hop that may or may not hold them), `open` (nothing diverts it).
 */
interface Fate {
  readonly kind: 'exempt' | 'tunnel' | 'maybe' | 'open';
  /** The tag route that decides, if one does. */
  readonly tag?: ManagementTagRoute;
  /** For `maybe`: the CIDR routes to a tunnel hop that are the longest match for some public address. */
  readonly cidrs?: readonly RouteView[];
}

/**
 * Where the CIDR routes send public addresses: all of them through the tunnel when the table is force-tunnelled;
 * else the routes to a tunnel hop that stay the longest match for some public address (longer routes to Internet may
 * carve a range out again) may hold ApiManagement addresses, which only Azure knows.
 */
function cidrFate(state: RouteTableState): Fate {
  if (state.forced) {
    return { kind: 'tunnel' };
  }
  const parsed = state.routes.flatMap((route) => {
    const cidr = !route.maybe && typeof route.prefix === 'string' && typeof route.hop === 'string' ? parseIpv4CidrLenient(route.prefix.trim()) : undefined;
    return cidr ? [{ route, cidr }] : [];
  }).sort((a, b) => b.cidr.prefixLength - a.cidr.prefixLength);
  let claimed = IntervalSet.EMPTY;
  const through = new Set<RouteView>();
  for (const { route, cidr } of parsed) {
    const block = IntervalSet.of(cidr.network, cidr.last);
    if (TUNNEL_HOPS.includes(lower(route.hop) ?? '') && block.minus(claimed).overlaps(PUBLIC_SPACE)) {
      through.add(route);
    }
    claimed = claimed.or(block);
  }
  return through.size > 0 ? { kind: 'maybe', cidrs: state.routes.filter((route) => through.has(route)) } : { kind: 'open' };
}

/**
 * The fate of ApiManagement's addresses in `region` (undefined: those of every region no route names). The first tag
 * route in Azure's order decides; a tag route is taken to win over the CIDR routes of a tunnel (the tag's prefixes are
 * longer than `0.0.0.0/0` and its halves, as the ApiManagement route has always been taken to); else the CIDR routes do.
 */
function fateOf(region: string | undefined, tags: readonly ManagementTagRoute[], cidrs: Fate): Fate {
  const decider = (region === undefined ? [] : [tags.find((t) => t.rank === 1 && t.region === region)])
    .concat(tags.find((t) => t.rank === 2), region === undefined ? undefined : tags.find((t) => t.rank === 3 && t.region === region), tags.find((t) => t.rank === 4))
    .find((t) => t !== undefined);
  if (decider) {
    return { kind: lower(decider.route.hop) === 'internet' ? 'exempt' : 'tunnel', tag: decider };
  }
  return cidrs;
}

/**
 * A route that sends the whole `AzureCloud` tag to a tunnel hop: every Azure dependency of APIM (Storage, Sql, Key
 * Vault, Event Hubs, all inside AzureCloud) then goes through the tunnel, as with forced tunnelling.
 */
function azureCloudTunnel(state: RouteTableState): ManagementTagRoute | undefined {
  return state.routes.map(managementTagRoute).find((t) => t?.rank === 4 && TUNNEL_HOPS.includes(lower(t.route.hop) ?? ''));
}

/** `ApiManagement.WestEurope to VirtualAppliance (route "r")`. */
function tagText(tag: ManagementTagRoute, holds = ''): string {
  return `${String(tag.route.prefix).trim()}${holds} to ${String(tag.route.hop)} (route "${tag.route.name}")`;
}

/**
 * APIM-ROUTE-MANAGEMENT on one subnet's route table. ApiManagement's addresses are cut into one part per region a
 * regional tag route names and the rest; each part's fate is decided as Azure routes (fateOf). All of them through the
 * tunnel: an error. Only some, or maybe: a warning, for which of ApiManagement's addresses the control plane of this
 * instance calls from is not documented (the docs name the whole tag), nor which a public CIDR holds.
 */
function judgeManagement(r: RuleResult, subject: Subject, state: RouteTableState): void {
  const tags = state.routes.map(managementTagRoute).filter((t): t is ManagementTagRoute => t !== undefined);
  const cidrs = cidrFate(state);
  const regions = [...new Set(tags.flatMap((t) => (t.region === undefined ? [] : [t.region])))];
  const rest = fateOf(undefined, tags, cidrs);
  const parts = regions.map((region) => ({ region, fate: fateOf(region, tags, cidrs) }));
  const fates = [...parts.map((p) => p.fate), rest];
  const diverted = fates.filter((f) => f.kind === 'tunnel' || f.kind === 'maybe');
  if (diverted.length === 0) {
    // A route that cannot be read could divert them, unless the documented route (or a whole tag's) exempts them.
    if (state.unknown && rest.kind !== 'exempt') {
      r.unknown(subject, state.unknown);
    } else {
      r.pass(subject);
    }
    return;
  }
  if (state.unknown) {
    r.unknown(subject, state.unknown);
    return;
  }
  const table = state.table.address;
  const consequence = 'replies to the management endpoint would go through the tunnel';
  if (diverted.length === fates.length && diverted.every((f) => f.kind === 'tunnel')) {
    if (state.forced) {
      const management = state.routes.find((route) => !route.maybe && lower(route.prefix) === MANAGEMENT_TAG);
      const elsewhere = management ? ` (route "${management.name}" sends ApiManagement to ${String(management.hop)})` : '';
      r.fail(subject, `${describeTunnel(state)} but has no route ApiManagement -> Internet${elsewhere}; ${consequence}`);
    } else {
      const tag = rest.tag as ManagementTagRoute;
      r.fail(subject, `${table} sends ${tagText(tag, tag.rank === 4 ? ', which holds every ApiManagement address,' : '')} but has no route ApiManagement -> Internet; ${consequence}`);
    }
    return;
  }
  // Some parts go through the tunnel, or may: say what goes where, and what the checks cannot know.
  const go = consequence.replace('would go', 'go');
  const sent: string[] = [];
  const reasons: string[] = [];
  const tunnelled = parts.filter((p) => p.fate.kind === 'tunnel' && p.fate.tag);
  const restDiverted = rest.kind === 'tunnel' || rest.kind === 'maybe';
  const exempted = restDiverted ? parts.filter((p) => p.fate.kind === 'exempt') : [];
  if (rest.kind === 'tunnel') {
    sent.push(rest.tag ? tagText(rest.tag) : tunnelText(state));
  }
  sent.push(...new Set(tunnelled.map((p) => tagText(p.fate.tag as ManagementTagRoute))));
  const maybe = [...new Set(fates.flatMap((f) => f.cidrs ?? []))];
  if (maybe.length > 0) {
    const hops = [...new Set(maybe.map((route) => String(route.hop)))].join('/');
    sent.push(`public ranges (${routeList(maybe, 10)}) to ${hops}`);
    reasons.push(`whether ${maybe.length === 1 ? 'it holds' : 'they hold'} addresses of the ApiManagement service tag cannot be known at synth time; if ${maybe.length === 1 ? 'it does' : 'they do'}, ${go}`);
  }
  let head = `${table} sends ${sent.join(', ')}`;
  if (rest.kind === 'exempt') {
    head += `; for those addresses ${tunnelled.length === 1 ? 'it wins' : 'they win'} over route "${rest.tag?.route.name}" ${String(rest.tag?.route.prefix).trim()} -> Internet (a regional tag comes first)`;
  } else if (exempted.length > 0) {
    head += ` and only ${[...new Set(exempted.map((p) => tagText(p.fate.tag as ManagementTagRoute)))].join(', ')}, not ApiManagement`;
  } else {
    head += ' but has no route ApiManagement -> Internet';
  }
  if (tunnelled.length > 0) {
    reasons.push(`whether the control plane of this instance calls from the ApiManagement addresses of ${tunnelled.map((p) => p.region).join(', ')} is not documented (the docs name the ApiManagement tag); if it does, ${go}`);
  }
  if (exempted.length > 0) {
    reasons.push(`whether the control plane of this instance calls only from the ApiManagement addresses of ${exempted.map((p) => p.region).join(', ')} is not documented (the docs name the ApiManagement tag); if not, ${go}`);
  }
  r.fail(subject, `${head}; ${reasons.join('; ')}`, undefined, WARNING);
}

/** APIM-ROUTE-MIXED for one route table: `route` is an "attributes as blocks" argument (see writtenBlocks). */
function judgeMixedRoutes(t: Targets, r: RuleResult, table: Resource): void {
  const subject = subjectOf(table);
  const written = writtenBlocks(table, 'route');
  const standalone = t.model.standaloneRoutes(table);
  const sure = standalone.filter((route) => route.maybe === undefined);
  const unplaced = unplacedRoutes(t);
  const names = (routes: readonly Resource[]) => routes.map((route) => route.address).join(', ');
  if (written === 'unset') {
    r.pass(subject);
    return;
  }
  if (standalone.length === 0 && unplaced.length === 0) {
    // A module or azapi resource that gets the table may add azurerm_route resources beside its inline routes.
    const opaque = opaqueChange(table, 'route-table');
    if (opaque) {
      r.unknown(subject, opaque);
    } else {
      r.pass(subject);
    }
    return;
  }
  // Set only if a `dynamic` block over a collection not known at synth time produces a block, or the value is unknown;
  // one block that surely exists sets it.
  if (isUnknown(written)) {
    r.unknown(subject, `whether route is set beside ${names([...standalone, ...unplaced])}: ${written.reason}`);
  } else if (sure.length > 0) {
    r.fail(subject, `the route table has inline route blocks and is also the target of ${names(sure)}; the provider overwrites one with the other on every apply`);
  } else {
    const maybe = [...standalone, ...unplaced];
    r.unknown(subject, `whether ${names(maybe)} targets this route table, which has inline route blocks: ${maybe[0].maybe?.reason ?? 'its route table is not known at synth time'}`);
  }
}

/** The routing rules, in the order of the README table (the catalog concatenates the area lists). */
export const ROUTING_RULES: readonly Rule[] = [
  defineRule({
    id: 'APIM-ROUTE-MANAGEMENT', level: ERROR, area: 'routing', source: SOURCES.forcedTunnelling,
    title: 'routes that send ApiManagement\'s addresses to an appliance, gateway or None (forced tunnelling, AzureCloud) keep a route ApiManagement -> Internet; a public CIDR or a regional tag that may hold them is a warning',
    why: 'Without it replies on 3443 go through the tunnel and the management endpoint is lost',
    fix: 'add a route with address_prefix "ApiManagement" and next_hop_type "Internet" (ApimRouteTable adds it)',
    check(t, r) {
      for (const target of t.subnets) {
        const subject = subjectOf(target.subnet);
        const state = routeTableState(t, target);
        if (state === undefined) {
          r.pass(subject);
        } else if (isUnknown(state)) {
          r.unknown(subject, state);
        } else {
          judgeManagement(r, subject, state);
        }
      }
    },
  }),
  defineRule({
    id: 'APIM-ROUTE-MIXED', level: ERROR, area: 'routing', source: SOURCES.azurermRouteTable,
    title: 'the route table of an APIM subnet has inline routes or azurerm_route resources, not both',
    why: 'The provider overwrites one set with the other on every apply: the route ApiManagement -> Internet comes and goes',
    fix: 'move every route inline, or every route to azurerm_route (ApimRouteTable writes them inline)',
    check(t, r) {
      const tables = new Set<Resource>();
      for (const target of t.subnets) {
        const table = t.model.routeTableOf(target.subnet);
        if (table === undefined || tables.has(table as Resource)) {
          continue;
        }
        if (isUnknown(table)) {
          r.unknown(subjectOf(target.subnet), table);
          continue;
        }
        tables.add(table);
        judgeMixedRoutes(t, r, table);
      }
    },
  }),
  defineRule({
    id: 'APIM-ROUTE-CLIENTS', level: WARNING, area: 'routing', source: SOURCES.forcedTunnelling,
    title: 'External mode with forced tunnelling: a route to Internet for the client ranges',
    why: 'Replies to clients of the gateway and developer portal would go through the appliance and be dropped (asymmetric routing)',
    fix: 'add a route with next_hop_type "Internet" for each client range (ApimRouteTable clientAddressPrefixes)',
    check(t, outcomes) {
      // Every subnet with an External user; one whose users' modes are not known is judged, a problem being unknown.
      const external = (target: SubnetTarget) => target.users.some((u) => u.mode === 'External');
      const maybeExternal = (target: SubnetTarget) => target.users.find((u) => u.mode === undefined);
      forEachTunnel(t, outcomes, t.subnets.filter((target) => external(target) || maybeExternal(target)), true, (target, state) => {
        const unknownMode = external(target) ? undefined : maybeExternal(target)?.modeUnknown;
        const r = underCondition(outcomes, unknownMode && `whether the instance runs in External mode: ${unknownMode.reason}`);
        const subject = subjectOf(target.subnet);
        const toClients = state.routes.some((route) => {
          const prefix = lower(route.prefix);
          if (route.maybe || prefix === undefined || lower(route.hop) !== 'internet') {
            return false;
          }
          const cidr = parseIpv4CidrLenient(prefix);
          // A CIDR that holds public addresses, or a service tag of clients (for example AzureFrontDoor.Backend).
          return cidr ? holdsPublic(cidr) : /^[a-z]/.test(prefix) && !NOT_CLIENT_ROUTE_TAGS.has(prefix.split('.')[0]);
        });
        if (toClients) {
          r.pass(subject);
        } else if (state.unknown) {
          r.unknown(subject, state.unknown);
        } else {
          r.fail(subject, `${describeTunnel(state)} but has no route to Internet for any client range; in External mode replies to the gateway's clients would go through the tunnel and be dropped`);
        }
      });
    },
  }),
  defineRule({
    id: 'APIM-ROUTE-ENDPOINTS', level: WARNING, area: 'routing', source: SOURCES.forcedTunnelling,
    title: 'forced tunnelling, or AzureCloud sent to an appliance, gateway or None: service endpoints Storage, Sql (primary), EventHub, KeyVault',
    why: 'Dependencies then leave through the Azure backbone, not the tunnel',
    fix: 'add the service endpoints to the subnet (ApimServiceEndpoints forcedTunnelling)',
    check(t, r) {
      forEachTunnel(t, r, t.subnets, false, (target, state) => {
        const subject = subjectOf(target.subnet);
        const present = t.model.strings(target.subnet.config.service_endpoints) ?? [];
        if (isUnknown(present)) {
          r.unknown(subject, present);
          return;
        }
        const wanted = [...FORCED_TUNNELLING_ENDPOINTS, ...(target.isPrimary ? [PRIMARY_ONLY_ENDPOINT] : [])];
        const missing = wanted.filter((e) => !present.includes(e));
        const azure = state.forced ? undefined : azureCloudTunnel(state);
        const why = azure ? `the subnet's Azure traffic goes through the tunnel (${state.table.address} sends ${tagText(azure)})` : `the subnet is force-tunnelled (${state.table.address})`;
        r.check(subject, missing.length === 0, () => `${why} but lacks the service endpoints ${missing.join(', ')}`);
      }, (state) => azureCloudTunnel(state) !== undefined);
    },
  }),
  defineRule({
    id: 'APIM-ROUTE-SQL-SECONDARY', level: WARNING, area: 'routing', source: SOURCES.multiRegion,
    title: 'no Microsoft.Sql service endpoint on a secondary location\'s subnet',
    why: 'The SQL dependency lives in the primary region and cannot go through the endpoint',
    fix: 'remove Microsoft.Sql from the secondary subnets',
    check(t, r) {
      for (const target of t.subnets) {
        if (target.isPrimary) {
          continue;
        }
        const subject = subjectOf(target.subnet);
        const present = t.model.strings(target.subnet.config.service_endpoints) ?? [];
        if (isUnknown(present)) {
          r.unknown(subject, present);
          continue;
        }
        r.check(subject, !present.includes(PRIMARY_ONLY_ENDPOINT),
          () => `the subnet of a secondary location (${target.source}) has the ${PRIMARY_ONLY_ENDPOINT} endpoint; APIM's SQL lives in the primary region and cannot be reached through it`);
      }
    },
  }),
];
