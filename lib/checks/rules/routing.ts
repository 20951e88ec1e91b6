/**
 * Routing rules: forced tunnelling, its management and client routes, and the service endpoints of an APIM subnet.
 *
 * A subnet is force-tunnelled when the routes of its route table that go to a VirtualAppliance, the
 * VirtualNetworkGateway or None cover the public IPv4 space together: `0.0.0.0/0`, or `0.0.0.0/1` + `128.0.0.0/1`, or
 * any set of prefixes whose union leaves no public address out (facts section 4; design/RULES.md revision 2).
 * Longer routes to Internet (the ApiManagement and client routes) do not undo it: they are the exceptions the docs ask
 * for.
 */
import { Rule, RuleResult, defineRule, subjectOf, underCondition } from '../rule';
import { SOURCES } from '../sources';
import { ApimRuleLevel } from '../types';
import { PUBLIC_SPACE } from '../../core/address-set';
import { Ipv4Cidr, parseIpv4CidrLenient } from '../../core/cidr';
import { IntervalSet } from '../../core/interval-set';
import { FORCED_TUNNELLING_ENDPOINTS, PRIMARY_ONLY_ENDPOINT } from '../../core/service-endpoints';
import { Resource, Unknown, isUnknown } from '../model';
import { SubnetTarget, Targets } from '../targets';

const TUNNEL_HOPS = ['virtualappliance', 'virtualnetworkgateway', 'none'];
const MANAGEMENT_TAG = 'apimanagement';

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
    const table = t.model.byName(route.config.route_table_name, route.config.resource_group_name, 'azurerm_route_table');
    return isUnknown(table) && !table.reason.includes('not in this stack');
  }));
}

function readRoutes(t: Targets, table: Resource): { routes: RouteView[]; unknown?: Unknown } | Unknown {
  // Inline routes: a list, one object, or `dynamic` blocks (the model expands those over known collections and reports
  // the rest as unknown).
  const inline = t.model.blocks(table.config.route);
  if (isUnknown(inline)) {
    return new Unknown(`the routes of ${table.address}: ${inline.reason}`);
  }
  const routes: RouteView[] = inline.map((r) => ({
    name: String(t.model.str(r.name) ?? '?'), prefix: t.model.str(r.address_prefix), hop: t.model.str(r.next_hop_type),
  }));
  let unknown: Unknown | undefined;
  for (const route of t.model.standaloneRoutes(table)) {
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
function describeTunnel(state: RouteTableState): string {
  const hops = [...new Set(state.tunnelRoutes.map((r) => String(r.hop)))].join('/');
  if (state.tunnelRoutes.length === 1) {
    const [route] = state.tunnelRoutes;
    return `${state.table.address} sends ${String(route.prefix)} to ${hops} (route "${route.name}")`;
  }
  const routes = state.tunnelRoutes.map((r) => `"${r.name}" ${String(r.prefix)}`).join(', ');
  return `${state.table.address} sends the public IPv4 space to ${hops} (routes ${routes})`;
}

/**
 * Run `judge` on each APIM subnet whose route table forces its traffic through a tunnel; report what cannot be known.
 * A subnet that is not force-tunnelled passes when `passOthers` is set.
 */
function forEachTunnel(t: Targets, r: RuleResult, targets: SubnetTarget[], passOthers: boolean,
  judge: (target: SubnetTarget, state: RouteTableState) => void): void {
  for (const target of targets) {
    const subject = subjectOf(target.subnet);
    const state = routeTableState(t, target);
    if (isUnknown(state)) {
      r.unknown(subject, state);
    } else if (state === undefined || !state.forced) {
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

/** The routing rules, in the order of the README table (the catalog concatenates the area lists). */
export const ROUTING_RULES: readonly Rule[] = [
  defineRule({
    id: 'APIM-ROUTE-MANAGEMENT', level: ERROR, area: 'routing', source: SOURCES.forcedTunnelling,
    title: 'forced tunnelling (routes to an appliance, gateway or None covering the public IPv4 space) keeps a route ApiManagement -> Internet',
    why: 'Without it replies on 3443 go through the tunnel and the management endpoint is lost',
    fix: 'add a route with address_prefix "ApiManagement" and next_hop_type "Internet" (ApimRouteTable adds it)',
    check(t, r) {
      forEachTunnel(t, r, t.subnets, true, (target, state) => {
        const subject = subjectOf(target.subnet);
        const management = state.routes.filter((route) => !route.maybe && lower(route.prefix) === MANAGEMENT_TAG);
        if (management.some((route) => lower(route.hop) === 'internet')) {
          r.pass(subject);
        } else if (state.unknown) {
          r.unknown(subject, state.unknown);
        } else {
          const elsewhere = management.length > 0 ? ` (route "${management[0].name}" sends ApiManagement to ${String(management[0].hop)})` : '';
          r.fail(subject, `${describeTunnel(state)} but has no route ApiManagement -> Internet${elsewhere}; replies to the management endpoint would go through the tunnel`);
        }
      });
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
          if (route.maybe || prefix === undefined || lower(route.hop) !== 'internet' || prefix === MANAGEMENT_TAG) {
            return false;
          }
          const cidr = parseIpv4CidrLenient(prefix);
          // A CIDR that holds public addresses, or a service tag (for example AzureFrontDoor.Backend).
          return cidr ? holdsPublic(cidr) : /^[a-z]/.test(prefix);
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
    title: 'forced tunnelling: service endpoints Storage, Sql (primary), EventHub, KeyVault',
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
        r.check(subject, missing.length === 0,
          () => `the subnet is force-tunnelled (${state.table.address}) but lacks the service endpoints ${missing.join(', ')}`);
      });
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
