/**
 * Security defaults: what the library opens. (The hardening mode of 0.1.0 was removed in 0.2.0: its deny-all rules
 * blocked flows APIM documents; see README "Upgrading to 0.2.0".)
 */
import * as fc from 'fast-check';
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
  groups: fc.subarray(GROUPS),
  inboundHttp: fc.boolean(),
});

function rulesFor(p: { mode: ApimVirtualNetworkType; multiRegion: boolean; regionalServiceTags: boolean; groups: string[]; inboundHttp: boolean }): any[] {
  const stack = getTestStack();
  const optionalRules: Record<string, boolean> = Object.fromEntries(p.groups.map((g) => [g, true]));
  if (p.inboundHttp && p.mode === ApimVirtualNetworkType.EXTERNAL) {
    optionalRules.inboundHttp = true;
  }
  new ApimNetworkSecurityGroup(stack, 'nsg', {
    // A secondary location of a multi-region instance, or the only location of a single-region one.
    resourceGroupName: 'rg', location: 'northeurope', primaryLocation: p.multiRegion ? 'westeurope' : 'northeurope', virtualNetworkType: p.mode,
    multiRegion: p.multiRegion, regionalServiceTags: p.regionalServiceTags, optionalRules,
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

describe('hardening (removed in 0.2.0)', () => {
  test('the library writes no deny rule', () => {
    fc.assert(fc.property(nsgProps, (p) => {
      expect(rulesFor(p).filter((r) => r.access === 'Deny')).toEqual([]);
    }), { numRuns: 20 });
  });

  test.each([
    ['the NSG', () => new ApimNetworkSecurityGroup(getTestStack(), 'nsg', {
      resourceGroupName: 'rg', location: 'westeurope', virtualNetworkType: ApimVirtualNetworkType.INTERNAL, hardening: true,
    }), 'hardening'],
    ['the network', () => new MultiRegionApimNetwork(getTestStack(), 'network', {
      virtualNetworkType: ApimVirtualNetworkType.INTERNAL, apiManagementName: 'contoso', resourceGroupName: 'rg',
      networkSecurityGroup: { hardening: true }, regions: [{ location: 'westeurope', addressSpace: ['10.1.0.0/16'], subnetAddressPrefix: '10.1.1.0/27' }],
    }), 'networkSecurityGroup.hardening'],
  ])('hardening: true on %s is refused with what to do instead', (_name, build, prop) => {
    const error = thrown(build);
    expect(error.problems.map((p: any) => `${p.code} ${p.prop}`)).toEqual([`${ApimNetworkErrorCode.CONFLICTING_PROPS} ${prop}`]);
    expect(error.message).toMatch(/hardening was removed in 0\.2\.0: its deny-all rules blocked flows APIM documents .*; remove it; add the deny rules you need with rules/);
  });

  test('hardening: false is accepted (and changes nothing)', () => {
    const stack = getTestStack();
    new ApimNetworkSecurityGroup(stack, 'nsg', { resourceGroupName: 'rg', location: 'westeurope', virtualNetworkType: ApimVirtualNetworkType.INTERNAL, hardening: false });
    expect(onlyResource(synthObject(stack), 'azurerm_network_security_group').security_rule).toHaveLength(7);
  });

  test('a late deny-all of your own goes after the APIM rules (400-4096); an early one that blocks an APIM flow is refused', () => {
    const stack = getTestStack();
    const nsg = new ApimNetworkSecurityGroup(stack, 'nsg', { resourceGroupName: 'rg', location: 'westeurope', virtualNetworkType: ApimVirtualNetworkType.INTERNAL });
    const denyAll = { name: 'deny-all-out', priority: 4096, direction: NsgDirection.OUTBOUND, access: NsgAccess.DENY, protocol: NsgProtocol.ANY,
      sourceAddressPrefix: '*', destinationAddressPrefix: '*', destinationPortRange: '*' };
    expect(() => nsg.addRule(denyAll)).not.toThrow();
    expect(thrown(() => nsg.addRule({ ...denyAll, name: 'deny-early', priority: 150 })).code).toBe(ApimNetworkErrorCode.NSG_RULE_SHADOWS_REQUIRED);
    expect(ApimNetworkTesting.errors(stack)).toEqual([]);
  });
});
