import * as flowsFixture from '../fixtures/apim-nsg-flows.json';
import {
  CatalogRule, LIBRARY_PRIORITY_BAND, catalogRules, renderRules, requiredRules, selectRules,
} from '../../lib/core/nsg-catalog';
import { ApimVirtualNetworkType } from '../../lib/core/types';

const { EXTERNAL, INTERNAL } = ApimVirtualNetworkType;

interface FixtureFlow {
  id: string; direction: string; source: string; destination: string; protocol: string; ports: string[];
  when: string; required: boolean; group?: string;
}
const fixture: FixtureFlow[] = (flowsFixture as { flows: FixtureFlow[] }).flows;
const byId = new Map(catalogRules().map((r) => [r.id, r]));

function modesOf(when: string): ApimVirtualNetworkType[] {
  return when.startsWith('External') ? [EXTERNAL] : [EXTERNAL, INTERNAL];
}

describe('the catalog, row by row against the facts (test/fixtures/apim-nsg-flows.json)', () => {
  test('has exactly the flows of the facts, no more, no fewer', () => {
    expect([...byId.keys()].sort()).toEqual(fixture.map((f) => f.id).sort());
  });

  describe.each(fixture.map((f) => [f.id, f] as [string, FixtureFlow]))('%s', (_id, flow) => {
    const row = byId.get(flow.id) as CatalogRule;
    test('direction, tags, protocol and ports', () => {
      expect({ direction: row.direction, source: row.source, destination: row.destination, protocol: row.protocol, ports: [...row.ports] })
        .toEqual({ direction: flow.direction, source: flow.source, destination: flow.destination, protocol: flow.protocol, ports: flow.ports });
    });
    test('modes and requirement', () => {
      expect([...row.modes]).toEqual(modesOf(flow.when));
      const requirement = !flow.required ? 'optional' : flow.when.includes('more than one location') ? 'multi-region' : 'required';
      expect(row.requirement).toBe(requirement);
      expect(row.group).toBe(flow.group);
    });
    test('cites a fact and has a purpose', () => {
      expect(row.facts.length).toBeGreaterThan(0);
      expect(row.purpose.length).toBeGreaterThan(10);
    });
  });
});

describe('required set per mode (RULES.md APIM-NSG-REQUIRED, written out independently)', () => {
  const summary = (rules: CatalogRule[]) => rules.map((r) => `${r.direction} ${r.source}>${r.destination} ${r.protocol} ${r.ports.join(',')}`).sort();
  const common = [
    'Inbound ApiManagement>VirtualNetwork Tcp 3443',
    'Inbound AzureLoadBalancer>VirtualNetwork Tcp 6390',
    'Outbound VirtualNetwork>Storage Tcp 443',
    'Outbound VirtualNetwork>Sql Tcp 1433',
    'Outbound VirtualNetwork>AzureKeyVault Tcp 443',
    'Outbound VirtualNetwork>AzureMonitor Tcp 1886,443',
    'Outbound VirtualNetwork>Internet Tcp 80',
  ];

  test('Internal mode, one or many locations', () => {
    expect(summary(requiredRules(INTERNAL, false))).toEqual([...common].sort());
    expect(summary(requiredRules(INTERNAL, true))).toEqual([...common].sort());
  });

  test('External mode, one location, adds inbound Internet 443', () => {
    expect(summary(requiredRules(EXTERNAL, false))).toEqual([...common, 'Inbound Internet>VirtualNetwork Tcp 443'].sort());
  });

  test('External mode, several locations, adds inbound AzureTrafficManager 443', () => {
    expect(summary(requiredRules(EXTERNAL, true))).toEqual([
      ...common, 'Inbound Internet>VirtualNetwork Tcp 443', 'Inbound AzureTrafficManager>VirtualNetwork Tcp 443',
    ].sort());
  });

  test('Internal mode has no inbound rule from Internet at all', () => {
    const all = selectRules({ mode: INTERNAL, multiRegion: true, groups: new Set(['http', 'machine-health', 'external-cache', 'internal-cache', 'rate-limit-sync', 'event-hub', 'entra-id', 'connectors']) });
    expect(all.filter((r) => r.direction === 'Inbound' && r.source === 'Internet')).toEqual([]);
    expect(all.some((r) => r.id === 'traffic-manager')).toBe(false);
  });

  test('never the known typos: SQL 1443, Storage 433, management 3433, AzureMonitor 1866', () => {
    const ports = catalogRules().flatMap((r) => r.ports);
    for (const typo of ['1443', '433', '3433', '1866', '6309']) {
      expect(ports).not.toContain(typo);
    }
  });
});

describe('optional groups', () => {
  test.each([
    ['http', ['client-http'], EXTERNAL],
    ['machine-health', ['machine-health'], INTERNAL],
    ['external-cache', ['cache-external-in', 'cache-external-out'], INTERNAL],
    ['internal-cache', ['cache-internal-in', 'cache-internal-out'], EXTERNAL],
    ['rate-limit-sync', ['rate-limit-in', 'rate-limit-out'], EXTERNAL],
    ['event-hub', ['event-hub'], INTERNAL],
    ['entra-id', ['entra-id'], EXTERNAL],
    ['connectors', ['connectors'], INTERNAL],
  ] as const)('%s adds %j', (group, ids, mode) => {
    const without = selectRules({ mode, multiRegion: false }).map((r) => r.id);
    const withGroup = selectRules({ mode, multiRegion: false, groups: new Set([group]) }).map((r) => r.id);
    expect(withGroup.filter((id) => !without.includes(id)).sort()).toEqual([...ids].sort());
  });

  test('the HTTP group adds nothing in Internal mode', () => {
    expect(selectRules({ mode: INTERNAL, multiRegion: false, groups: new Set(['http']) }).some((r) => r.id === 'client-http')).toBe(false);
  });

  test('rate-limit sync is UDP (peer templates ship TCP)', () => {
    expect(byId.get('rate-limit-in')?.protocol).toBe('Udp');
    expect(byId.get('rate-limit-out')?.protocol).toBe('Udp');
  });
});

describe('priorities', () => {
  test('are unique per direction and inside the library band, with room for the primary-region variant', () => {
    for (const direction of ['Inbound', 'Outbound']) {
      const rows = catalogRules().filter((r) => r.direction === direction);
      const taken = rows.flatMap((r) => (r.regional ? [r.priority, r.priority + 1] : [r.priority]));
      expect(new Set(taken).size).toBe(taken.length);
      for (const p of taken) {
        expect(p).toBeGreaterThanOrEqual(LIBRARY_PRIORITY_BAND[0]);
        expect(p).toBeLessThanOrEqual(LIBRARY_PRIORITY_BAND[1]);
      }
    }
  });
});

describe('renderRules', () => {
  const rows = selectRules({ mode: EXTERNAL, multiRegion: true, groups: new Set(['event-hub']) });

  test('puts every service tag in the singular prefix fields', () => {
    for (const r of renderRules(rows, { location: 'westeurope', primaryLocation: 'westeurope', regionalServiceTags: true })) {
      expect(typeof r.sourceAddressPrefix).toBe('string');
      expect(typeof r.destinationAddressPrefix).toBe('string');
      expect(r.access).toBe('Allow');
      expect(r.sourcePortRange).toBe('*');
      expect(r.description.length).toBeLessThanOrEqual(140);
    }
  });

  test('regional tags: own region and primary region for Storage, Sql and EventHub', () => {
    const rendered = renderRules(rows, { location: 'North Europe', primaryLocation: 'westeurope', regionalServiceTags: true });
    const regional = rendered.filter((r) => r.destinationAddressPrefix.includes('.'))
      .map((r) => `${r.name} ${r.priority} ${r.destinationAddressPrefix}`);
    expect(regional).toEqual([
      'apim-storage-northeurope 200 Storage.NorthEurope',
      'apim-storage-westeurope 201 Storage.WestEurope',
      'apim-sql-northeurope 210 Sql.NorthEurope',
      'apim-sql-westeurope 211 Sql.WestEurope',
      'apim-event-hub-northeurope 270 EventHub.NorthEurope',
      'apim-event-hub-westeurope 271 EventHub.WestEurope',
    ]);
  });

  test('regional tags in the primary region give one rule per tag', () => {
    const rendered = renderRules(rows, { location: 'westeurope', primaryLocation: 'West Europe', regionalServiceTags: true });
    expect(rendered.filter((r) => r.destinationAddressPrefix.startsWith('Storage')).map((r) => r.destinationAddressPrefix))
      .toEqual(['Storage.WestEurope']);
  });

  test('global tags by default', () => {
    const rendered = renderRules(rows, { location: 'westeurope', primaryLocation: 'northeurope', regionalServiceTags: false });
    expect(rendered.find((r) => r.catalogId === 'sql')?.destinationAddressPrefix).toBe('Sql');
    expect(rendered.find((r) => r.catalogId === 'monitor')?.destinationPortRanges).toEqual(['1886', '443']);
  });
});
