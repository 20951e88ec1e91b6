/**
 * Exposure: which explicit allow rules let public addresses other than the platform's reach the APIM subnet on the
 * management port 3443, on every port, or (what matters in Internal mode) on 80 and 443. The checks report these as
 * APIM-NSG-EXPOSED and APIM-NSG-INTERNAL-PUBLIC; the NSG construct refuses the same rules when they are certain. Both
 * use these flows and this classification, so they cannot disagree.
 */
import { Ipv4Cidr } from './cidr';
import { IntervalSet } from './interval-set';
import { FlowResult, NsgFlow, RuleView, isDefaultRule, portSet, prefixEnd, subnetEnd } from './nsg-evaluate';

/** The public addresses that are not the platform's: a source that must not reach the management endpoint. */
const PUBLIC = prefixEnd('Internet', ['ApiManagement', 'AzureLoadBalancer']);
const ALL_PORTS = IntervalSet.of(0, 65535);

/** The exposure flows of one APIM subnet. */
export interface ExposureFlows {
  /** Public addresses other than ApiManagement and AzureLoadBalancer, to TCP 3443. */
  readonly management: NsgFlow;
  /** The same sources to TCP 80 and to TCP 443, in that order (what an Internal gateway must not serve). */
  readonly web: readonly NsgFlow[];
  /**
   * The same sources to every port of TCP and UDP, the protocols that have ports (an ICMP, ESP or AH allow reaches
   * no port: a ping allowed from the internet is not "every port").
   */
  readonly everything: NsgFlow;
}

/** The exposure flows of a subnet (its prefixes, or undefined when they are not known). */
export function exposureFlows(subnet: readonly Ipv4Cidr[] | undefined): ExposureFlows {
  const apim = subnetEnd(subnet);
  const inbound = (ports: IntervalSet, protocols = ['Tcp']): NsgFlow => ({
    direction: 'Inbound', protocols, sourcePorts: ALL_PORTS, destinationPorts: ports, source: PUBLIC, destination: apim,
  });
  return {
    management: inbound(IntervalSet.of(3443, 3443)),
    web: [inbound(IntervalSet.of(80, 80)), inbound(IntervalSet.of(443, 443))],
    everything: inbound(ALL_PORTS, ['Tcp', 'Udp']),
  };
}

/** How surely a rule exposes a flow: surely (`yes`), depending on Azure's tag ranges (`world`), or on unknown values. */
export type Exposure = 'yes' | 'world' | 'value';

/** A rule that lets (part of) an exposure flow through, and how surely. */
export interface ExposingRule<R> {
  readonly rule: R;
  readonly index: number;
  readonly answer: Exposure;
}

/**
 * The rules that let (part of) an exposure flow through: each rule that decides an allowed part of `result`, surely
 * or maybe. `onlyAllPorts` keeps only rules whose destination ports are every port (for the `everything` flow: a rule
 * that opens one port is judged by the port's own flow). `decides(view, index)` tells whether a view of the result is
 * `rules[index]` (by default, the same object).
 *
 * A rule is `yes` when the part it lets through surely holds a public address other than ApiManagement's: a tag or
 * range that cannot be ApiManagement's, or a public range larger than the tag can be (see `SMALL_TAGS` in
 * address-set.ts), whatever earlier rules carved out of it.
 */
export function exposingRules<T, R extends Pick<RuleView<unknown>, 'access' | 'destinationPorts'>>(result: FlowResult<T>, rules: readonly R[],
  onlyAllPorts: boolean, decides: (view: RuleView<T>, index: number) => boolean = (view, index) => (view as unknown) === rules[index]): Array<ExposingRule<R>> {
  const out: Array<ExposingRule<R>> = [];
  rules.forEach((rule, index) => {
    if (onlyAllPorts && !portSet(rule.destinationPorts)?.containsAll(ALL_PORTS)) {
      return;
    }
    const share = result.share(`exposed-by:${index}`, (a) => {
      if (decides(a.decider, index) && !isDefaultRule(a.decider)) {
        return a.outcome === 'allow' ? 'yes' : a.outcome === 'either' ? 'maybe' : 'no';
      }
      return a.maybe.some((m) => decides(m, index)) && rule.access?.toLowerCase() !== 'deny' ? 'maybe' : 'no';
    });
    if (share.some) {
      out.push({ rule, index, answer: 'yes' });
    } else if (share.maybe) {
      out.push({ rule, index, answer: share.maybe });
    }
  });
  return out;
}

/**
 * Inbound TCP allows from public IPv6 sources to any of `ports`, toward a destination that would hold the APIM subnet
 * (`*`, `Any`, `VirtualNetwork`), and not denied first by an inbound deny of every IPv6 source on those ports. IPv6
 * addresses never reach the IPv4 flows APIM serves, but such a rule is an exposure in intent, judged like an IPv4
 * one. Not public: unique-local fc00::/7, link-local fe80::/10, loopback ::1, unspecified ::, IPv4-mapped ::ffff:*.
 */
export function publicIpv6Allows<V extends RuleView<unknown>>(views: readonly V[], ports: readonly number[]): Array<{ view: V; ipv6: string[]; ports: number[] }> {
  const inbound = (v: V) => v.direction?.toLowerCase() === 'inbound';
  const tcp = (v: V) => ['tcp', '*'].includes(v.protocol?.toLowerCase() ?? '');
  const towardApim = (v: V) => (v.destinationPrefixes ?? []).some((p) => ['*', 'any', 'virtualnetwork'].includes(p.trim().toLowerCase()));
  const everyIpv6 = (v: V) => (v.sourcePrefixes ?? []).some((p) => ['*', 'any', '::/0'].includes(p.trim().toLowerCase()));
  const denies = views.filter((v) => inbound(v) && tcp(v) && v.access?.toLowerCase() === 'deny' && everyIpv6(v) && v.priority !== undefined);
  return views.flatMap((view) => {
    if (view.access?.toLowerCase() !== 'allow' || !inbound(view) || !tcp(view) || !towardApim(view)) {
      return [];
    }
    const ipv6 = (view.sourcePrefixes ?? []).filter((p) => p.includes(':') && !/^\s*(f[cd]|fe[89ab]|::1?(\/128)?\s*$|::ffff:)/i.test(p));
    const open = portSet(view.destinationPorts);
    const hit = open ? ports.filter((port) => open.has(port) && !denies.some((d) => d.priority! < (view.priority ?? Infinity) && portSet(d.destinationPorts)?.has(port))) : [];
    return ipv6.length > 0 && hit.length > 0 ? [{ view, ipv6, ports: hit }] : [];
  });
}
