/**
 * Routing rules: APIM-ROUTE-MANAGEMENT, APIM-ROUTE-ENDPOINTS, APIM-ROUTE-SQL-SECONDARY.
 */
import { FORCED_TUNNELLING_ENDPOINTS, PRIMARY_ONLY_ENDPOINT } from '../../core/service-endpoints';
import { Resource, Unknown, isUnknown } from '../model';
import { Collector, SubnetTarget, Targets, subjectOf } from '../targets';

const TUNNEL_HOPS = ['virtualappliance', 'virtualnetworkgateway', 'none'];

interface RouteView {
  readonly name: string;
  readonly prefix: string | Unknown | undefined;
  readonly hop: string | Unknown | undefined;
}

function routesOf(t: Targets, table: Resource): RouteView[] | Unknown {
  const inline = t.model.blocks(table.config.route);
  if (isUnknown(inline)) {
    return inline;
  }
  const views: RouteView[] = inline.map((r) => ({
    name: String(t.model.str(r.name) ?? '?'), prefix: t.model.str(r.address_prefix), hop: t.model.str(r.next_hop_type),
  }));
  for (const route of t.model.standaloneRoutes(table)) {
    views.push({ name: String(t.model.str(route.config.name) ?? route.name), prefix: t.model.str(route.config.address_prefix), hop: t.model.str(route.config.next_hop_type) });
  }
  return views;
}

/** Whether the subnet's traffic to 0.0.0.0/0 is forced through a tunnel: the route table and the tunnelling route. */
function tunnel(t: Targets, target: SubnetTarget): { table: Resource; routes: RouteView[]; route?: RouteView } | Unknown | undefined {
  const table = t.model.routeTableOf(target.subnet);
  if (table === undefined || isUnknown(table)) {
    return table;
  }
  const routes = routesOf(t, table);
  if (isUnknown(routes)) {
    return routes;
  }
  const unknown = routes.find((r) => isUnknown(r.prefix) || isUnknown(r.hop));
  const route = routes.find((r) => r.prefix === '0.0.0.0/0' && typeof r.hop === 'string' && TUNNEL_HOPS.includes(r.hop.toLowerCase()));
  if (!route && unknown) {
    return new Unknown(`route "${unknown.name}" of ${table.address} is known only at apply time`);
  }
  return { table, routes, route };
}

export function management(t: Targets, c: Collector): void {
  for (const target of t.subnets) {
    const subject = subjectOf(target.subnet);
    const forced = tunnel(t, target);
    if (forced === undefined) {
      c.pass('APIM-ROUTE-MANAGEMENT', subject);
      continue;
    }
    if (isUnknown(forced)) {
      c.unknown('APIM-ROUTE-MANAGEMENT', subject, forced);
      continue;
    }
    if (!forced.route) {
      c.pass('APIM-ROUTE-MANAGEMENT', subject);
      continue;
    }
    const bypass = forced.routes.some((r) => typeof r.prefix === 'string' && r.prefix.toLowerCase() === 'apimanagement' &&
      typeof r.hop === 'string' && r.hop.toLowerCase() === 'internet');
    c.check('APIM-ROUTE-MANAGEMENT', subject, bypass,
      () => `${forced.table.address} sends 0.0.0.0/0 to ${String(forced.route?.hop)} (route "${forced.route?.name}") but has no route ApiManagement -> Internet; replies to the management endpoint would go through the tunnel`);
  }
}

export function endpoints(t: Targets, c: Collector): void {
  for (const target of t.subnets) {
    const subject = subjectOf(target.subnet);
    const forced = tunnel(t, target);
    if (forced === undefined || (!isUnknown(forced) && !forced.route)) {
      continue;
    }
    if (isUnknown(forced)) {
      c.unknown('APIM-ROUTE-ENDPOINTS', subject, forced);
      continue;
    }
    const present = t.model.strings(target.subnet.config.service_endpoints) ?? [];
    if (isUnknown(present)) {
      c.unknown('APIM-ROUTE-ENDPOINTS', subject, present);
      continue;
    }
    const wanted = [...FORCED_TUNNELLING_ENDPOINTS, ...(target.isPrimary ? [PRIMARY_ONLY_ENDPOINT] : [])];
    const missing = wanted.filter((e) => !present.includes(e));
    c.check('APIM-ROUTE-ENDPOINTS', subject, missing.length === 0,
      () => `the subnet is force-tunnelled (${forced.table.address}) but lacks the service endpoints ${missing.join(', ')}`);
  }
}

export function sqlSecondary(t: Targets, c: Collector): void {
  for (const target of t.subnets) {
    if (target.isPrimary) {
      continue;
    }
    const subject = subjectOf(target.subnet);
    const present = t.model.strings(target.subnet.config.service_endpoints) ?? [];
    if (isUnknown(present)) {
      c.unknown('APIM-ROUTE-SQL-SECONDARY', subject, present);
      continue;
    }
    c.check('APIM-ROUTE-SQL-SECONDARY', subject, !present.includes(PRIMARY_ONLY_ENDPOINT),
      () => `the subnet of a secondary location (${target.source}) has the ${PRIMARY_ONLY_ENDPOINT} endpoint; APIM's SQL lives in the primary region and cannot be reached through it`);
  }
}
