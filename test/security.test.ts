/**
 * Security defaults: what the library opens, and the optional hardening mode.
 */
import * as fc from 'fast-check';
import { Testing } from 'cdktf';
import {
  ApimNetworkErrorCode, ApimNetworkSecurityGroup, ApimNetworkTesting, ApimVirtualNetworkType, MultiRegionApimNetwork,
  NsgAccess, NsgDirection, NsgProtocol,
} from '../lib';
import { parsePortRange } from '../lib/core/nsg-evaluate';
import { getTestStack, onlyResource, synthObject, thrown } from './support/stack';

const PUBLIC = ['*', 'any', 'internet', '0.0.0.0/0', '0.0.0.0', '::/0'];
const GROUPS = ['machineHealth', 'externalCache', 'internalCache', 'rateLimitSync', 'eventHub', 'entraId', 'managedConnectors'];

const nsgProps = fc.record({
  mode: fc.constantFrom(ApimVirtualNetworkType.EXTERNAL, ApimVirtualNetworkType.INTERNAL),
  multiRegion: fc.boolean(),
  regionalServiceTags: fc.boolean(),
  hardening: fc.boolean(),
  groups: fc.subarray(GROUPS),
  inboundHttp: fc.boolean(),
});

function rulesFor(p: { mode: ApimVirtualNetworkType; multiRegion: boolean; regionalServiceTags: boolean; hardening: boolean; groups: string[]; inboundHttp: boolean }): any[] {
  const stack = getTestStack();
  const optionalRules: Record<string, boolean> = Object.fromEntries(p.groups.map((g) => [g, true]));
  if (p.inboundHttp && p.mode === ApimVirtualNetworkType.EXTERNAL) {
    optionalRules.inboundHttp = true;
  }
  new ApimNetworkSecurityGroup(stack, 'nsg', {
    resourceGroupName: 'rg', location: 'northeurope', primaryLocation: 'westeurope', virtualNetworkType: p.mode,
    multiRegion: p.multiRegion, regionalServiceTags: p.regionalServiceTags, hardening: p.hardening, optionalRules,
  });
  return onlyResource(synthObject(stack), 'azurerm_network_security_group').security_rule;
}

const covers = (rule: any, port: number) => [rule.destination_port_range, ...(rule.destination_port_ranges ?? [])]
  .filter((p) => typeof p === 'string').some((p: string) => { const r = parsePortRange(p); return r !== undefined && r[0] <= port && port <= r[1]; });
const allPorts = (rule: any) => covers(rule, 0) && covers(rule, 65535);

describe('security defaults, for every combination of NSG options (property)', () => {
  test('no inbound allow from a public source reaches 3443 or all ports', () => {
    fc.assert(fc.property(nsgProps, (p) => {
      for (const rule of rulesFor(p).filter((r) => r.direction === 'Inbound' && r.access === 'Allow')) {
        if (PUBLIC.includes(String(rule.source_address_prefix).toLowerCase())) {
          expect(covers(rule, 3443)).toBe(false);
          expect(allPorts(rule)).toBe(false);
        }
      }
    }), { numRuns: 60 });
  });

  test('Internal mode opens nothing inbound from the internet', () => {
    fc.assert(fc.property(nsgProps, (p) => {
      const inbound = rulesFor({ ...p, mode: ApimVirtualNetworkType.INTERNAL }).filter((r) => r.direction === 'Inbound' && r.access === 'Allow');
      expect(inbound.filter((r) => PUBLIC.includes(String(r.source_address_prefix).toLowerCase()))).toEqual([]);
    }), { numRuns: 40 });
  });

  test('every allow rule the library writes uses service tags: never "*", a CIDR or a plural list', () => {
    fc.assert(fc.property(nsgProps, (p) => {
      for (const rule of rulesFor(p).filter((r) => r.access === 'Allow')) {
        for (const prefix of [rule.source_address_prefix, rule.destination_address_prefix]) {
          expect(prefix).toMatch(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)?$/);
        }
        expect(rule.source_address_prefixes).toBeNull();
        expect(rule.destination_address_prefixes).toBeNull();
      }
    }), { numRuns: 60 });
  });
});

describe('hardening mode', () => {
  const base = { mode: ApimVirtualNetworkType.EXTERNAL, multiRegion: false, regionalServiceTags: false, groups: [], inboundHttp: false };

  test('off (the default): no deny rule at all', () => {
    expect(rulesFor({ ...base, hardening: false }).filter((r) => r.access === 'Deny')).toEqual([]);
  });

  test('on: deny-all inbound and outbound at 4096, the last rule of each direction, after the allows that keep APIM working', () => {
    const rules = rulesFor({ ...base, hardening: true });
    for (const direction of ['Inbound', 'Outbound']) {
      const own = rules.filter((r) => r.direction === direction).sort((a, b) => a.priority - b.priority);
      const last = own[own.length - 1];
      expect(last).toMatchObject({ access: 'Deny', priority: 4096, protocol: '*', source_address_prefix: '*', destination_address_prefix: '*', destination_port_range: '*' });
      expect(own.filter((r) => r.access === 'Deny')).toHaveLength(1);
    }
    expect(rules.filter((r) => r.name.startsWith('apim-hardening-') && r.access === 'Allow').map((r) => `${r.direction} ${r.destination_address_prefix} ${r.protocol} ${r.destination_port_range}`).sort())
      .toEqual(['Inbound VirtualNetwork Tcp 443', 'Outbound AzureCloud Tcp 12000', 'Outbound Internet Tcp 443', 'Outbound Internet Udp 123', 'Outbound VirtualNetwork * 53']);
  });

  test.each([ApimVirtualNetworkType.EXTERNAL, ApimVirtualNetworkType.INTERNAL])('on: every APIM check passes in %s mode with several regions', (mode) => {
    const stack = getTestStack();
    new MultiRegionApimNetwork(stack, 'network', {
      virtualNetworkType: mode, apiManagementName: 'contoso', resourceGroupName: 'rg',
      networkSecurityGroup: { hardening: true, regionalServiceTags: true, optionalRules: { eventHub: true, rateLimitSync: true } },
      regions: [
        { location: 'westeurope', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' },
        { location: 'northeurope', addressSpace: ['10.2.0.0/16'], subnetAddressPrefix: '10.2.1.0/27' },
      ],
    });
    const result = ApimNetworkTesting.evaluate(stack, { strict: true });
    expect(result.findings).toEqual([]);
    const nsgOutcomes = result.outcomes.filter((o) => o.ruleId === 'APIM-NSG-REQUIRED' || o.ruleId === 'APIM-NSG-SHADOWED');
    expect(nsgOutcomes.length).toBeGreaterThan(20);
    expect(nsgOutcomes.every((o) => o.outcome === 'pass')).toBe(true);
  });

  test('on: priorities 4000-4096 are held; user rules go to 100-199 or 400-3999', () => {
    const stack = getTestStack();
    const nsg = new ApimNetworkSecurityGroup(stack, 'nsg', { resourceGroupName: 'rg', location: 'westeurope', virtualNetworkType: ApimVirtualNetworkType.INTERNAL, hardening: true });
    const rule = { name: 'mine', priority: 4050, direction: NsgDirection.INBOUND, access: NsgAccess.ALLOW, protocol: NsgProtocol.TCP,
      sourceAddressPrefix: '10.0.0.0/8', destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '8080' };
    const error = thrown(() => nsg.addRule(rule));
    expect(error.code).toBe(ApimNetworkErrorCode.NSG_PRIORITY_TAKEN);
    expect(error.message).toMatch(/priorities 4000-4096 are held for the hardening rules; choose a free priority in 100-199 or 400-3999/);
    expect(() => nsg.addRule({ ...rule, priority: 3999 })).not.toThrow();
    expect(Testing.synth(stack)).toContain('"mine"');
  });
});
