import { parseIpv4CidrLenient } from '../../lib/core/cidr';
import { IntervalSet } from '../../lib/core/interval-set';
import { CatalogRule, catalogRule, catalogRules, requiredRules } from '../../lib/core/nsg-catalog';
import {
  EvaluationContext, NsgEvaluator, clientsAllowed, NsgFlow, RuleView, classifyRule, evaluateFlow, flowsOf, isServiceTag, parsePortRange, platformFlows,
  prefixEnd, subnetEnd,
} from '../../lib/core/nsg-evaluate';
import { findNearMisses, isPortTypo } from '../../lib/core/nsg-near-miss';
import { ApimVirtualNetworkType } from '../../lib/core/types';

const subnet = [parseIpv4CidrLenient('10.0.1.0/27')!];
const vnetSpace = IntervalSet.of(parseIpv4CidrLenient('10.0.0.0/16')!.network, parseIpv4CidrLenient('10.0.0.0/16')!.last);

function rule(name: string, fields: Partial<RuleView<string>>): RuleView<string> {
  return {
    name, priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourcePrefixes: ['*'],
    destinationPrefixes: ['*'], sourcePorts: ['*'], destinationPorts: ['*'], origin: name, ...fields,
  };
}
const allow = (name: string, priority: number, source: string, destination: string, port: string, extra: Partial<RuleView<string>> = {}) =>
  rule(name, { priority, sourcePrefixes: [source], destinationPrefixes: [destination], destinationPorts: [port], ...extra });
const deny = (name: string, priority: number, source: string, destination: string, port: string, extra: Partial<RuleView<string>> = {}) =>
  allow(name, priority, source, destination, port, { access: 'Deny', protocol: '*', ...extra });

function flow(direction: 'Inbound' | 'Outbound', source: string | 'subnet', destination: string | 'subnet', port: number, protocol = 'Tcp'): NsgFlow {
  const end = (text: string) => (text === 'subnet' ? subnetEnd(subnet) : prefixEnd(text));
  return {
    direction, protocols: [protocol], source: end(source), destination: end(destination),
    sourcePorts: IntervalSet.of(0, 65535), destinationPorts: IntervalSet.of(port, port),
  };
}
const verdict = (rules: RuleView<string>[], f: NsgFlow) => new NsgEvaluator(rules, [f], { virtualNetworkSpace: vnetSpace }).evaluate(f).verdict;

const management = flow('Inbound', 'ApiManagement', 'subnet', 3443);
const loadBalancer = flow('Inbound', 'AzureLoadBalancer', 'subnet', 6390);
const storage = flow('Outbound', 'subnet', 'Storage', 443);
const certificates = flow('Outbound', 'subnet', 'Internet', 80);

describe('parsing', () => {
  test.each([['*', [0, 65535]], ['443', [443, 443]], ['6381-6383', [6381, 6383]], ['70000', undefined], ['10-5', undefined], ['ab', undefined]])(
    'parsePortRange(%s)', (text, range) => {
      expect(parsePortRange(text)).toEqual(range);
    });

  test.each([['Storage', true], ['Storage.WestEurope', true], ['10.0.0.0/8', false], ['*', false], ['Any', false], ['${var.x}', false], ['fd00::/8', false]])(
    'isServiceTag(%s) = %s', (prefix, tag) => {
      expect(isServiceTag(prefix)).toBe(tag);
    });
});

describe('verdicts: every packet of the flow, first match wins, Azure\'s default rules included', () => {
  test.each<[string, RuleView<string>[], NsgFlow, string]>([
    ['no rule: DenyAllInBound blocks 3443', [], management, 'blocked'],
    ['no rule: AllowAzureLoadBalancerInBound lets 6390 through', [], loadBalancer, 'allowed'],
    ['no rule: AllowInternetOutBound lets Storage 443 through (Storage is inside Internet)', [], storage, 'allowed'],
    ['the exact allow', [allow('m', 100, 'ApiManagement', 'VirtualNetwork', '3443')], management, 'allowed'],
    ['tags and protocols are case-insensitive', [allow('m', 100, 'apimanagement', 'virtualnetwork', '3443', { protocol: 'TCP' })], management, 'allowed'],
    ['a superset tag: AzureCloud holds ApiManagement (V17)', [allow('m', 100, 'AzureCloud', 'VirtualNetwork', '3443')], management, 'allowed'],
    ['a superset tag: Internet holds Storage (V5)', [deny('d', 4000, '*', '*', '*'), allow('i', 100, 'VirtualNetwork', 'Internet', '443')].map((r) => ({ ...r, direction: 'Outbound' })), storage, 'allowed'],
    ['the subnet CIDR as destination', [allow('m', 100, 'ApiManagement', '10.0.1.0/27', '3443')], management, 'allowed'],
    ['half the subnet', [allow('m', 100, 'ApiManagement', '10.0.1.0/28', '3443')], management, 'partly-blocked'],
    ['another subnet', [allow('m', 100, 'ApiManagement', '10.0.2.0/27', '3443')], management, 'blocked'],
    ['a port range', [allow('m', 100, 'ApiManagement', 'VirtualNetwork', '3000-4000')], management, 'allowed'],
    ['UDP only', [allow('m', 100, 'ApiManagement', 'VirtualNetwork', '3443', { protocol: 'Udp' })], management, 'blocked'],
    ['Esp and Ah rules do not touch TCP (V22)', [deny('esp', 100, '*', '*', '*', { protocol: 'Esp' }), allow('m', 200, 'ApiManagement', 'VirtualNetwork', '3443')], management, 'allowed'],
    ['a restricted source port lets part through', [allow('m', 100, 'ApiManagement', 'VirtualNetwork', '3443', { sourcePorts: ['1024-65535'] })], management, 'partly-blocked'],
    ['a deny of all before the allow', [deny('d', 100, '*', '*', '*'), allow('m', 200, 'ApiManagement', 'VirtualNetwork', '3443')], management, 'blocked'],
    ['a deny after the allow does nothing', [allow('m', 100, 'ApiManagement', 'VirtualNetwork', '3443'), deny('d', 200, '*', '*', '*')], management, 'allowed'],
    ['a public CIDR deny ahead of a tag allow: may block part (Azure publishes the tag)', [deny('d', 100, '203.0.113.0/24', '*', '*'), allow('m', 200, 'ApiManagement', 'VirtualNetwork', '3443')], management, 'maybe-blocked'],
    ['a private CIDR deny never touches a service tag', [deny('d', 100, '10.0.0.0/8', '*', '*'), allow('m', 200, 'ApiManagement', 'VirtualNetwork', '3443')], management, 'allowed'],
    ['deny Internet before the LB allow: whether Internet holds 168.63.129.16 is open', [deny('d', 100, 'Internet', '*', '*'), allow('lb', 200, 'AzureLoadBalancer', 'VirtualNetwork', '6390')], loadBalancer, 'maybe-blocked'],
    ['168.63.129.16/32 is AzureLoadBalancer', [deny('d', 100, '168.63.129.16', '*', '*')], loadBalancer, 'blocked'],
    ['0.0.0.0/1 + 128.0.0.0/1 deny all of Internet', [{ ...deny('d', 100, '*', '*', '*'), direction: 'Outbound', destinationPrefixes: ['0.0.0.0/1', '128.0.0.0/1'] }], certificates, 'blocked'],
    ['a deny of a public range blocks part of Internet:80 for certain', [{ ...deny('d', 100, '*', '1.0.0.0/8', '*'), direction: 'Outbound' }], certificates, 'partly-blocked'],
    ['an unknown source (a variable) leaves it open', [allow('m', 100, '${var.src}', 'VirtualNetwork', '3443')], management, 'unknown'],
    ['an unknown deny ahead of the allow leaves it open', [deny('d', 100, '${var.src}', '*', '*'), allow('m', 200, 'ApiManagement', 'VirtualNetwork', '3443')], management, 'unknown'],
    ['an unknown priority is ordered nowhere', [deny('d', undefined as unknown as number, '*', '*', '*'), allow('m', 200, 'ApiManagement', 'VirtualNetwork', '3443')], management, 'unknown'],
    ['a rule that may not exist (dynamic over a variable)', [{ ...deny('d', 100, '*', '*', '*'), maybe: 'a dynamic block' }, allow('m', 200, 'ApiManagement', 'VirtualNetwork', '3443')], management, 'unknown'],
    ['an unknown direction', [{ ...deny('d', 100, '*', '*', '*'), direction: undefined }, allow('m', 200, 'ApiManagement', 'VirtualNetwork', '3443')], management, 'unknown'],
    ['an ASG (members unknown) as destination', [allow('m', 100, 'ApiManagement', '*', '3443', { destinationPrefixes: undefined })], management, 'unknown'],
    ['AzureCloud.WestEurope may or may not hold ApiManagement', [allow('m', 100, 'AzureCloud.WestEurope', 'VirtualNetwork', '3443')], management, 'maybe-blocked'],
  ])('%s -> %s', (_name, rules, f, expected) => {
    expect(verdict(rules, f)).toBe(expected);
  });

  test('VirtualNetwork holds the known address space; other private ranges may be peered', () => {
    const fromPeer = flow('Inbound', '10.50.0.0/16', 'subnet', 8080);
    expect(verdict([allow('v', 100, 'VirtualNetwork', 'VirtualNetwork', '8080')], fromPeer)).toBe('maybe-blocked');
    expect(verdict([deny('d', 100, 'VirtualNetwork', '*', '*')], fromPeer)).toBe('blocked');
    const fromVnet = flow('Inbound', '10.0.5.0/24', 'subnet', 8080);
    expect(verdict([deny('d', 100, 'VirtualNetwork', '*', '*')], fromVnet)).toBe('blocked');
    expect(verdict([], fromVnet)).toBe('allowed');
  });

  test('the subnet of unknown prefixes: VirtualNetwork holds it, a CIDR may or may not', () => {
    const unknownSubnet: NsgFlow = { ...management, destination: subnetEnd(undefined) };
    expect(verdict([allow('m', 100, 'ApiManagement', 'VirtualNetwork', '3443')], unknownSubnet)).toBe('allowed');
    expect(verdict([allow('m', 100, 'ApiManagement', '10.0.0.0/16', '3443')], unknownSubnet)).toBe('unknown');
  });
});

describe('shares: who decides which part', () => {
  test('a flow only the default rules allow', () => {
    const result = new NsgEvaluator([], [storage]).evaluate(storage);
    expect(result.allowedByDefault.all).toBe(true);
    expect(result.allowedByDefault.rules.map((r) => r.name)).toEqual(['AllowInternetOutBound']);
    expect(result.allowed.some || result.allowed.maybe).toBe(false);
  });

  test('a deny ahead of an explicit allow shadows it; without an allow the flow is unallowed', () => {
    const shadowing = new NsgEvaluator([deny('d', 100, '*', '*', '*'), allow('m', 200, 'ApiManagement', 'VirtualNetwork', '3443')], [management]).evaluate(management);
    expect(shadowing.shadowed.all).toBe(true);
    expect(shadowing.unallowed.some || shadowing.unallowed.maybe).toBe(false);
    expect(shadowing.shadowings.map((p) => [p.deny.name, p.allow.name, p.certain])).toEqual([['d', 'm', true]]);
    const unallowed = new NsgEvaluator([deny('d', 100, '*', '*', '*')], [management]).evaluate(management);
    expect(unallowed.unallowed.all).toBe(true);
    expect(unallowed.unallowed.rules.map((r) => r.name)).toEqual(['d']);
  });

  test('regional parts: a secondary region NSG that allows only its own Sql leaves the primary region\'s part unallowed (V24)', () => {
    const { flows } = platformFlows({ mode: ApimVirtualNetworkType.INTERNAL, multiRegion: true, regions: ['northeurope', 'westeurope'] }, subnet);
    const sql = flows.find((f) => f.row.id === 'sql')!;
    expect(sql.parts.map((p) => p.label)).toEqual(['Sql.NorthEurope', 'Sql.WestEurope']);
    const rules = [
      { ...allow('sql', 100, 'VirtualNetwork', 'Sql.NorthEurope', '1433'), direction: 'Outbound' },
      { ...deny('deny-internet', 4000, '*', 'Internet', '*'), direction: 'Outbound' },
    ];
    const evaluator = new NsgEvaluator(rules, sql.parts.map((p) => p.flow));
    expect(sql.parts.map((p) => evaluator.evaluate(p.flow).verdict)).toEqual(['allowed', 'blocked']);
  });
});

describe('platform flows', () => {
  test('External, one location: the client flow, management, load balancer and the outbound dependencies', () => {
    const { flows, undecided } = platformFlows({ mode: ApimVirtualNetworkType.EXTERNAL, multiRegion: false }, subnet);
    expect(flows.map((f) => f.detail)).toEqual([
      'Inbound:Internet:443', 'Inbound:ApiManagement:3443', 'Inbound:AzureLoadBalancer:6390', 'Outbound:Storage:443', 'Outbound:Sql:1433',
      'Outbound:AzureKeyVault:443', 'Outbound:AzureMonitor:1886', 'Outbound:AzureMonitor:443', 'Outbound:Internet:80',
    ]);
    expect(flows[0].kind).toBe('client');
    expect(undecided).toEqual([]);
  });

  test('an unknown mode leaves the client and Traffic Manager rows undecided', () => {
    const { flows, undecided } = platformFlows({}, subnet);
    expect(undecided.map((u) => u.row.id)).toEqual(['client-https', 'traffic-manager']);
    // Their flows are evaluated, with the condition: a problem with them is unknown, a pass passes either way.
    expect(flows.filter((f) => f.condition !== undefined).map((f) => f.row.id)).toEqual(['client-https', 'traffic-manager']);
    expect(flows.find((f) => f.row.id === 'client-https')?.condition).toMatch(/the APIM mode \(External or Internal\) is not known/);
  });

  test('the client flow is satisfied by an allow from any client source, not by a platform tag', () => {
    const client = platformFlows({ mode: ApimVirtualNetworkType.EXTERNAL, multiRegion: false }, subnet).flows[0].parts[0].flow;
    const explicit = (rules: RuleView<string>[]) => clientsAllowed(new NsgEvaluator(rules, [client]).evaluate(client)).some;
    expect(explicit([allow('fd', 100, 'AzureFrontDoor.Backend', 'VirtualNetwork', '443')])).toBe(true);
    expect(explicit([allow('cidr', 100, '203.0.113.0/24', 'VirtualNetwork', '443')])).toBe(true);
    expect(explicit([allow('tm', 100, 'AzureTrafficManager', 'VirtualNetwork', '443')])).toBe(false);
    expect(explicit([])).toBe(false);
  });
});

describe('classifyRule (for the NSG construct)', () => {
  const selection = { mode: ApimVirtualNetworkType.EXTERNAL, multiRegion: false };
  const rendered = requiredRules(ApimVirtualNetworkType.EXTERNAL, false).map((row) => rule(row.id, {
    priority: row.priority, direction: row.direction, protocol: row.protocol, sourcePrefixes: [row.source],
    destinationPrefixes: [row.destination], destinationPorts: [...row.ports],
  }));

  test('a deny-all ahead of the APIM rules blocks every platform flow', () => {
    const c = classifyRule(rendered, deny('deny-all-in', 150, '*', '*', '*'), selection);
    expect(c.blocksAll).toEqual(['Inbound:Internet:443', 'Inbound:ApiManagement:3443', 'Inbound:AzureLoadBalancer:6390']);
  });

  test('a block list of client ranges blocks no platform flow for certain; against ApiManagement it may', () => {
    const c = classifyRule(rendered, deny('blocklist', 150, '203.0.113.0/24', '*', '*'), selection);
    expect(c.blocksAll).toEqual([]);
    expect(c.blocksPart).toEqual([]);
    expect(c.mayBlock).toEqual(['Inbound:ApiManagement:3443']);
  });

  test('a deny of a public range outbound blocks part of Internet:80 for certain', () => {
    const c = classifyRule(rendered, { ...deny('bad-ranges', 150, '*', '1.0.0.0/8', '*'), direction: 'Outbound' }, selection);
    expect(c.blocksPart).toEqual(['Outbound:Internet:80']);
  });
});

describe('the NSG construct\'s view (evaluateFlow)', () => {
  const context: EvaluationContext = { acceptedRegions: new Set(['westeurope']) };
  const mgmt = flowsOf(catalogRule('management'), undefined)[0];

  test('the covering rule and the denies ahead of it', () => {
    const allowMgmt = allow('allow-mgmt', 210, 'ApiManagement', 'VirtualNetwork', '3443');
    expect(evaluateFlow([allowMgmt], mgmt, context)).toMatchObject({ coverage: 'allowed', covering: allowMgmt, shadowing: [] });
    const result = evaluateFlow([deny('late', 4000, '*', '*', '*'), allowMgmt, deny('early', 150, '*', '*', '*')], mgmt, context);
    expect(result.shadowing.map((r) => r.name)).toEqual(['early']);
    expect(evaluateFlow([allow('x', 100, '*', '*', '443')], mgmt, context).coverage).toBe('missing');
  });

  test('every required flow of the catalog, rendered, is covered', () => {
    const rows = requiredRules(ApimVirtualNetworkType.EXTERNAL, true);
    const rules = rows.map((row) => rule(row.id, {
      priority: row.priority, direction: row.direction, protocol: row.protocol, sourcePrefixes: [row.source],
      destinationPrefixes: [row.destination], destinationPorts: [...row.ports],
    }));
    for (const row of rows) {
      for (const f of flowsOf(row, subnet)) {
        expect(evaluateFlow(rules, f, context).coverage).toBe('allowed');
      }
    }
  });
});

describe('near misses', () => {
  const none = () => false;
  const rows = requiredRules(ApimVirtualNetworkType.EXTERNAL, false);
  const misses = (rules: RuleView<string>[], satisfied: (row: CatalogRule) => boolean = none, applying = rows) => findNearMisses(rules, applying, catalogRules(), satisfied);
  const out = (name: string, destination: string, port: string, extra: Partial<RuleView<string>> = {}) =>
    rule(name, { direction: 'Outbound', sourcePrefixes: ['VirtualNetwork'], destinationPrefixes: [destination], destinationPorts: [port], ...extra });
  const inbound = (name: string, source: string, port: string, extra: Partial<RuleView<string>> = {}) =>
    rule(name, { sourcePrefixes: [source], destinationPrefixes: ['VirtualNetwork'], destinationPorts: [port], ...extra });

  test.each([
    ['1443', out('sql-typo', 'Sql', '1443'), 'sql', 'port'],
    ['433', out('storage-typo', 'Storage', '433'), 'storage', 'port'],
    ['3433', inbound('mgmt-typo', 'ApiManagement', '3433'), 'management', 'port'],
    ['6309', inbound('lb-typo', 'AzureLoadBalancer', '6309'), 'load-balancer', 'port'],
    ['1866', out('monitor-typo', 'AzureMonitor', '1866'), 'monitor', 'port'],
  ])('port %s', (_port, r, resembles, kind) => {
    expect(misses([r]).map((f) => [f.resembles.id, f.kind])).toContainEqual([resembles, kind]);
  });

  test('wrong direction, UDP for TCP, wrong tag', () => {
    expect(misses([rule('m', { direction: 'inbound', sourcePrefixes: ['VirtualNetwork'], destinationPrefixes: ['AzureMonitor'], destinationPorts: ['1886'] })])
      .map((f) => [f.resembles.id, f.kind])).toContainEqual(['monitor', 'direction']);
    expect(misses([inbound('mgmt-udp', 'ApiManagement', '3443', { protocol: 'Udp' })]).map((f) => [f.resembles.id, f.kind])).toContainEqual(['management', 'protocol']);
    expect(misses([out('sql-as-storage', 'Storage', '1433')]).map((f) => [f.resembles.id, f.kind])).toContainEqual(['sql', 'tag']);
  });

  test('documented optional rows and rows whose condition does not hold are never resembled', () => {
    // AzureActiveDirectory 443 and EventHub match optional rows exactly; Front Door 443 on one location is not Traffic Manager.
    expect(misses([out('aad', 'AzureActiveDirectory', '443'), out('eh', 'EventHub', '5671'), out('git', 'Storage', '445')])).toEqual([]);
    expect(misses([inbound('fd', 'AzureFrontDoor.Backend', '443')], (row) => row.id === 'client-https')).toEqual([]);
  });

  test('direction, protocol and tag near misses are only reported while the row is unsatisfied', () => {
    expect(misses([inbound('mgmt-udp', 'ApiManagement', '3443', { protocol: 'Udp' })], () => true)).toEqual([]);
  });

  test('isPortTypo: one substitution or one swap of neighbours', () => {
    expect(isPortTypo('1443', '1433')).toBe(true);
    expect(isPortTypo('6309', '6390')).toBe(true);
    expect(isPortTypo('8443', '443')).toBe(false);
    expect(isPortTypo('443', '443')).toBe(false);
    expect(isPortTypo('1234', '4321')).toBe(false);
  });
});
