import { parseIpv4CidrLenient } from '../../lib/core/cidr';
import { catalogRule, requiredRules } from '../../lib/core/nsg-catalog';
import {
  EvaluationContext, RuleView, evaluateFlow, findNearMisses, flowsOf, isPortTypo, isServiceTag, matchFlow, parsePortRange,
} from '../../lib/core/nsg-evaluate';
import { ApimVirtualNetworkType } from '../../lib/core/types';

const context: EvaluationContext = { acceptedRegions: new Set(['westeurope', 'northeurope']) };
const subnet = [parseIpv4CidrLenient('10.0.1.0/27')!];

function rule(name: string, fields: Partial<RuleView<string>>): RuleView<string> {
  return {
    name, priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourcePrefixes: ['*'],
    destinationPrefixes: ['*'], sourcePorts: ['*'], destinationPorts: ['*'], origin: name, ...fields,
  };
}

const management = flowsOf(catalogRule('management'), subnet)[0];
const storage = flowsOf(catalogRule('storage'), subnet)[0];
const certificates = flowsOf(catalogRule('certificates'), subnet)[0];

describe('parsePortRange and tags', () => {
  test.each([['*', [0, 65535]], ['443', [443, 443]], ['6381-6383', [6381, 6383]], ['70000', undefined], ['10-5', undefined], ['ab', undefined]])(
    '%s', (text, range) => {
      expect(parsePortRange(text)).toEqual(range);
    });

  test.each([['Storage', true], ['Storage.WestEurope', true], ['10.0.0.0/8', false], ['*', false], ['Any', false], ['${var.x}', false], ['fd00::/8', false]])(
    'isServiceTag(%s) = %s', (prefix, tag) => {
      expect(isServiceTag(prefix)).toBe(tag);
    });
});

describe('matchFlow', () => {
  test.each<[string, Partial<RuleView<string>>, string]>([
    ['exact rule', { sourcePrefixes: ['ApiManagement'], destinationPrefixes: ['VirtualNetwork'], destinationPorts: ['3443'] }, 'all'],
    ['tags are case-insensitive', { sourcePrefixes: ['apimanagement'], destinationPrefixes: ['virtualnetwork'], destinationPorts: ['3443'], protocol: 'TCP' }, 'all'],
    ['wildcards everywhere', {}, 'all'],
    ['subnet CIDR as destination', { sourcePrefixes: ['ApiManagement'], destinationPrefixes: ['10.0.1.0/27'], destinationPorts: ['3443'] }, 'all'],
    ['a CIDR holding the subnet', { sourcePrefixes: ['ApiManagement'], destinationPrefixes: ['10.0.0.0/16'], destinationPorts: ['3443'] }, 'all'],
    ['half the subnet', { sourcePrefixes: ['ApiManagement'], destinationPrefixes: ['10.0.1.0/28'], destinationPorts: ['3443'] }, 'part'],
    ['another subnet', { sourcePrefixes: ['ApiManagement'], destinationPrefixes: ['10.0.2.0/27'], destinationPorts: ['3443'] }, 'none'],
    ['wrong port', { sourcePrefixes: ['ApiManagement'], destinationPorts: ['3433'] }, 'none'],
    ['port range', { sourcePrefixes: ['ApiManagement'], destinationPorts: ['3000-4000'] }, 'all'],
    ['UDP only', { protocol: 'Udp' }, 'none'],
    ['outbound rule', { direction: 'Outbound' }, 'none'],
    ['restricted source port', { sourcePorts: ['1024-65535'] }, 'part'],
    ['unknown source', { sourcePrefixes: ['${var.mgmt}'] }, 'unknown'],
    ['unknown direction', { direction: undefined }, 'unknown'],
  ])('%s -> %s', (_name, fields, expected) => {
    expect(matchFlow(rule('r', fields), management, context)).toBe(expected);
  });

  test('the subnet side is unknown when the subnet prefix is unknown', () => {
    const flow = flowsOf(catalogRule('management'), undefined)[0];
    expect(matchFlow(rule('r', { destinationPrefixes: ['10.0.0.0/16'] }), flow, context)).toBe('unknown');
    expect(matchFlow(rule('r', { destinationPrefixes: ['VirtualNetwork'] }), flow, context)).toBe('all');
  });

  test.each<[string, string]>([
    ['Storage', 'all'], ['Storage.WestEurope', 'all'], ['Storage.NorthEurope', 'all'], ['Storage.EastUS', 'part'],
    ['Internet', 'part'], ['AzureCloud', 'part'], ['Sql', 'none'], ['10.0.0.0/8', 'none'], ['20.0.0.0/8', 'none'],
  ])('outbound destination %s for the Storage flow -> %s', (prefix, expected) => {
    expect(matchFlow(rule('r', { direction: 'Outbound', sourcePrefixes: ['VirtualNetwork'], destinationPrefixes: [prefix], destinationPorts: ['443'] }), storage, context))
      .toBe(expected);
  });

  test('a public CIDR is part of Internet, a private one is not', () => {
    const out = (prefix: string) => rule('r', { direction: 'Outbound', destinationPrefixes: [prefix], destinationPorts: ['80'] });
    expect(matchFlow(out('203.0.113.0/24'), certificates, context)).toBe('part');
    expect(matchFlow(out('10.0.0.0/8'), certificates, context)).toBe('none');
  });
});

describe('evaluateFlow', () => {
  const allowMgmt = rule('allow-mgmt', { priority: 210, sourcePrefixes: ['ApiManagement'], destinationPrefixes: ['VirtualNetwork'], destinationPorts: ['3443'] });

  test('allowed by the covering rule', () => {
    const result = evaluateFlow([allowMgmt], management, context);
    expect(result.coverage).toBe('allowed');
    expect(result.covering?.name).toBe('allow-mgmt');
    expect(result.shadowing).toEqual([]);
  });

  test('missing without a covering rule', () => {
    expect(evaluateFlow([rule('x', { destinationPorts: ['443'] })], management, context).coverage).toBe('missing');
  });

  test('a deny before the allow shadows it; a deny after does not', () => {
    const denyEarly = rule('deny-all', { priority: 150, access: 'Deny' });
    const denyLate = rule('deny-late', { priority: 4096, access: 'Deny' });
    const result = evaluateFlow([denyLate, allowMgmt, denyEarly], management, context);
    expect(result.coverage).toBe('allowed');
    expect(result.shadowing.map((r) => r.name)).toEqual(['deny-all']);
  });

  test('QS template bug: deny Internet outbound at 999 before an allow at 1000 blocks certificate validation', () => {
    const deny = rule('Deny_All_Internet_Outbound', { priority: 999, direction: 'Outbound', access: 'Deny', sourcePrefixes: ['VirtualNetwork'], destinationPrefixes: ['Internet'] });
    const allow = rule('allow-80', { priority: 1000, direction: 'Outbound', sourcePrefixes: ['VirtualNetwork'], destinationPrefixes: ['Internet'], destinationPorts: ['80'] });
    expect(evaluateFlow([deny, allow], certificates, context).shadowing.map((r) => r.name)).toEqual(['Deny_All_Internet_Outbound']);
    // ...and blocks part of Storage, since Azure's public addresses are on the Internet tag.
    const allowStorage = rule('allow-storage', { priority: 1010, direction: 'Outbound', destinationPrefixes: ['Storage'], destinationPorts: ['443'] });
    expect(evaluateFlow([deny, allowStorage], storage, context).shadowing.map((r) => r.name)).toEqual(['Deny_All_Internet_Outbound']);
  });

  test('unknown when the only candidate has unknown values; unknown priority is never ordered', () => {
    const unknownPort = rule('maybe', { priority: 210, sourcePrefixes: ['ApiManagement'], destinationPorts: ['${var.port}'] });
    expect(evaluateFlow([unknownPort], management, context).coverage).toBe('unknown');
    const unknownPriority = rule('deny', { priority: undefined, access: 'Deny' });
    const result = evaluateFlow([allowMgmt, unknownPriority], management, context);
    expect(result.coverage).toBe('allowed');
    expect(result.maybeShadowing.map((r) => r.name)).toEqual(['deny']);
  });

  test('every required flow of a catalog-rendered set is allowed', () => {
    const rows = requiredRules(ApimVirtualNetworkType.EXTERNAL, true);
    const rules = rows.map((row) => rule(row.id, {
      priority: row.priority, direction: row.direction, protocol: row.protocol, sourcePrefixes: [row.source],
      destinationPrefixes: [row.destination], destinationPorts: [...row.ports],
    }));
    for (const row of rows) {
      for (const flow of flowsOf(row, subnet)) {
        expect(evaluateFlow(rules, flow, context).coverage).toBe('allowed');
      }
    }
  });
});

describe('near misses', () => {
  const none = () => false;
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
    const found = findNearMisses([r], none);
    expect(found.map((f) => [f.resembles.id, f.kind])).toContainEqual([resembles, kind]);
  });

  test('wrong direction: AzureMonitor declared Inbound with the outbound fields', () => {
    const r = rule('monitor-in', { direction: 'Inbound', sourcePrefixes: ['VirtualNetwork'], destinationPrefixes: ['AzureMonitor'], destinationPorts: ['1886'] });
    expect(findNearMisses([r], none).map((f) => [f.resembles.id, f.kind])).toContainEqual(['monitor', 'direction']);
  });

  test('UDP for a TCP requirement', () => {
    const r = inbound('mgmt-udp', 'ApiManagement', '3443', { protocol: 'Udp' });
    expect(findNearMisses([r], none).map((f) => [f.resembles.id, f.kind])).toContainEqual(['management', 'protocol']);
  });

  test('wrong tag', () => {
    const r = out('sql-as-storage', 'Storage', '1433');
    expect(findNearMisses([r], none).map((f) => [f.resembles.id, f.kind])).toContainEqual(['sql', 'tag']);
  });

  test('rules that match a catalog row exactly are never near misses (Traffic Manager 443, machine health 6391)', () => {
    const rules = [inbound('tm', 'AzureTrafficManager', '443'), inbound('health', 'AzureLoadBalancer', '6391'), out('sql', 'Sql', '1433')];
    expect(findNearMisses(rules, none)).toEqual([]);
  });

  test('direction, protocol and tag near misses are only reported while the row is unsatisfied', () => {
    const r = inbound('mgmt-udp', 'ApiManagement', '3443', { protocol: 'Udp' });
    expect(findNearMisses([r], () => true)).toEqual([]);
  });

  test('isPortTypo: one substitution or one swap of neighbours', () => {
    expect(isPortTypo('1443', '1433')).toBe(true);
    expect(isPortTypo('6309', '6390')).toBe(true);
    expect(isPortTypo('8443', '443')).toBe(false);
    expect(isPortTypo('443', '443')).toBe(false);
    expect(isPortTypo('1234', '4321')).toBe(false);
  });
});
