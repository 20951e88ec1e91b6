/**
 * Routing rules: forced tunnelling and service endpoints of an APIM subnet.
 */
import { Rule, defineRule, subjectOf } from '../rule';
import { SOURCES } from '../sources';
import { ApimRuleLevel } from '../types';
import { FORCED_TUNNELLING_ENDPOINTS, PRIMARY_ONLY_ENDPOINT } from '../../core/service-endpoints';
import { Resource, Unknown, isUnknown } from '../model';
import { SubnetTarget, Targets } from '../targets';

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

const { ERROR, WARNING } = ApimRuleLevel;

/** The routing rules, in the order of the README table (the catalog concatenates the area lists). */
export const ROUTING_RULES: readonly Rule[] = [
  defineRule({
    id: 'APIM-ROUTE-MANAGEMENT', level: ERROR, area: 'routing', source: SOURCES.reference,
    title: 'forced tunnelling keeps a route ApiManagement -> Internet',
    why: 'Without it replies on 3443 go through the tunnel and the management endpoint is lost',
    fix: 'add a route with address_prefix "ApiManagement" and next_hop_type "Internet"',
    check(t, r) {
      for (const target of t.subnets) {
        const subject = subjectOf(target.subnet);
        const forced = tunnel(t, target);
        if (forced === undefined) {
          r.pass(subject);
          continue;
        }
        if (isUnknown(forced)) {
          r.unknown(subject, forced);
          continue;
        }
        if (!forced.route) {
          r.pass(subject);
          continue;
        }
        const bypass = forced.routes.some((r) => typeof r.prefix === 'string' && r.prefix.toLowerCase() === 'apimanagement' &&
          typeof r.hop === 'string' && r.hop.toLowerCase() === 'internet');
        r.check(subject, bypass,
          () => `${forced.table.address} sends 0.0.0.0/0 to ${String(forced.route?.hop)} (route "${forced.route?.name}") but has no route ApiManagement -> Internet; replies to the management endpoint would go through the tunnel`);
      }
    },
  }),
  defineRule({
    id: 'APIM-ROUTE-ENDPOINTS', level: WARNING, area: 'routing', source: SOURCES.reference,
    title: 'forced tunnelling: service endpoints Storage, Sql (primary), EventHub, KeyVault',
    why: 'Dependencies then leave through the Azure backbone, not the tunnel',
    fix: 'add the service endpoints to the subnet (ApimServiceEndpoints forcedTunnelling)',
    check(t, r) {
      for (const target of t.subnets) {
        const subject = subjectOf(target.subnet);
        const forced = tunnel(t, target);
        if (forced === undefined || (!isUnknown(forced) && !forced.route)) {
          continue;
        }
        if (isUnknown(forced)) {
          r.unknown(subject, forced);
          continue;
        }
        const present = t.model.strings(target.subnet.config.service_endpoints) ?? [];
        if (isUnknown(present)) {
          r.unknown(subject, present);
          continue;
        }
        const wanted = [...FORCED_TUNNELLING_ENDPOINTS, ...(target.isPrimary ? [PRIMARY_ONLY_ENDPOINT] : [])];
        const missing = wanted.filter((e) => !present.includes(e));
        r.check(subject, missing.length === 0,
          () => `the subnet is force-tunnelled (${forced.table.address}) but lacks the service endpoints ${missing.join(', ')}`);
      }
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
