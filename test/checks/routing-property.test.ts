/**
 * Property tests (fast-check) for forced tunnelling:
 * - `coversPublicSpace` agrees with a brute-force reference that tests one address of every elementary segment
 *   between the blocks' boundaries;
 * - any partition of the IPv4 space into routes to an appliance is forced tunnelling, and the check then asks for the
 *   ApiManagement route (fails without it, passes with it); any set of CIDR routes to an appliance without that route
 *   is an error when it covers the public space, a warning when it holds public addresses (they may hold
 *   ApiManagement's), nothing otherwise;
 * - every valid ApimRouteTable passes the routing rules; every duplicate, overlap or appliance inside the subnet
 *   throws ApimNetworkError naming the prop.
 */
import { RouteTable } from '@cdktf/provider-azurerm/lib/route-table';
import { SubnetRouteTableAssociation } from '@cdktf/provider-azurerm/lib/subnet-route-table-association';
import * as fc from 'fast-check';
import { ApimNetworkError, ApimNextHopType, ApimRouteTable, ApimVirtualNetworkType } from '../../lib';
import { coversPublicSpace } from '../../lib/checks/rules/routing';
import { Ipv4Cidr, cidrOf, formatIpv4Address, parseIpv4Cidr } from '../../lib/core/cidr';
import { brownfield, evaluate, findingsOf } from './brownfield';

// Not public (written out here, independently of lib/core/address-set.ts): private, shared, this network, loopback,
// link-local, multicast and reserved.
const NOT_PUBLIC = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '0.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16',
  '224.0.0.0/4', '240.0.0.0/4'].map((t) => (parseIpv4Cidr(t) as { cidr: Ipv4Cidr }).cidr);

/** Reference: every elementary segment between boundaries is inside a block, or not public at all. */
function referenceCovers(blocks: Ipv4Cidr[]): boolean {
  const all = [...blocks, ...NOT_PUBLIC];
  const points = [...new Set([0, ...all.flatMap((c) => [c.network, c.last + 1])])].filter((p) => p <= 2 ** 32 - 1).sort((a, b) => a - b);
  return points.every((p) => all.some((c) => c.network <= p && p <= c.last));
}

const cidrArb = fc.record({ address: fc.nat({ max: 2 ** 32 - 1 }), length: fc.integer({ min: 0, max: 24 }) })
  .map(({ address, length }) => cidrOf(address, length));

/** A random partition of the whole IPv4 space into CIDR blocks (split a block in halves at random). */
const partitionArb = fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }).map((splits) => {
  let blocks = [cidrOf(0, 0)];
  splits.forEach((split, i) => {
    const index = i % blocks.length;
    const block = blocks[index];
    if (split && block.prefixLength < 24) {
      blocks = [...blocks.slice(0, index), cidrOf(block.network, block.prefixLength + 1), cidrOf(block.network + block.size / 2, block.prefixLength + 1), ...blocks.slice(index + 1)];
    }
  });
  return blocks;
});

/** The levels of the APIM-ROUTE-MANAGEMENT findings for routes of `blocks` to an appliance, with or without the ApiManagement route. */
function managementLevels(blocks: Ipv4Cidr[], withManagement: boolean): string[] {
  const b = brownfield();
  const route = blocks.map((c, i) => ({ name: `r${i}`, addressPrefix: c.text, nextHopType: 'VirtualAppliance', nextHopInIpAddress: '10.9.0.4' }));
  if (withManagement) {
    route.push({ name: 'm', addressPrefix: 'ApiManagement', nextHopType: 'Internet', nextHopInIpAddress: undefined as unknown as string });
  }
  const table = new RouteTable(b.stack, 'rt', { name: 'rt', location: 'westeurope', resourceGroupName: 'rg', route });
  new SubnetRouteTableAssociation(b.stack, 'assoc-rt', { subnetId: b.subnet.id, routeTableId: table.id });
  return findingsOf(evaluate(b.stack), 'APIM-ROUTE-MANAGEMENT').map((f) => f.level as string);
}

describe('forced tunnelling properties', () => {
  test('coversPublicSpace agrees with the brute-force reference (1,000 random block sets, both outcomes)', () => {
    // Random blocks, and partitions of the space with some blocks dropped and random blocks added (near-covers).
    const nearCover = fc.tuple(partitionArb, fc.array(fc.boolean(), { maxLength: 40 }), fc.array(cidrArb, { maxLength: 4 }))
      .map(([blocks, keep, extra]) => [...blocks.filter((_, i) => keep[i] ?? true), ...extra]);
    const outcomes = new Set<boolean>();
    fc.assert(fc.property(fc.oneof(fc.array(cidrArb, { maxLength: 12 }), nearCover), (blocks) => {
      const covers = coversPublicSpace(blocks);
      outcomes.add(covers);
      return covers === referenceCovers(blocks);
    }), { numRuns: 1000 });
    expect([...outcomes].sort()).toEqual([false, true]);
  });

  test('any partition of the IPv4 space covers it; dropping one public block does not', () => {
    fc.assert(fc.property(partitionArb, fc.nat(), (blocks, pick) => {
      expect(coversPublicSpace(blocks)).toBe(true);
      // A block holds a public address when some boundary point inside it lies in no non-public range.
      const holdsPublic = (b: Ipv4Cidr) => [b.network, ...NOT_PUBLIC.map((n) => n.last + 1)]
        .some((p) => b.network <= p && p <= b.last && !NOT_PUBLIC.some((n) => n.network <= p && p <= n.last));
      const publicBlocks = blocks.filter(holdsPublic);
      const dropped = publicBlocks[pick % publicBlocks.length];
      expect(coversPublicSpace(blocks.filter((b) => b !== dropped))).toBe(false);
    }), { numRuns: 300 });
  });

  test('a partition routed to an appliance needs the ApiManagement route (APIM-ROUTE-MANAGEMENT)', () => {
    fc.assert(fc.property(partitionArb.filter((b) => b.length <= 12), fc.boolean(), (blocks, withManagement) => {
      expect(managementLevels(blocks, withManagement).length).toBe(withManagement ? 0 : 1);
    }), { numRuns: 60 });
  });

  test('any set of CIDR routes to an appliance: an error when they cover the public space, a warning when they hold public addresses, else nothing; the ApiManagement route clears both', () => {
    const holdsPublic = (blocks: Ipv4Cidr[]) => blocks.some((c) => [c.network, ...NOT_PUBLIC.map((n) => n.last + 1)]
      .some((p) => c.network <= p && p <= c.last && !NOT_PUBLIC.some((n) => n.network <= p && p <= n.last)));
    const blocksArb = fc.oneof(fc.array(cidrArb, { minLength: 1, maxLength: 8 }), partitionArb.filter((b) => b.length <= 12),
      fc.array(fc.constantFrom(...NOT_PUBLIC), { minLength: 1, maxLength: 4 }));
    const levels = new Set<string>();
    fc.assert(fc.property(blocksArb, fc.boolean(), (blocks, withManagement) => {
      const found = managementLevels(blocks, withManagement);
      const expected = withManagement ? [] : referenceCovers(blocks) ? ['error'] : holdsPublic(blocks) ? ['warning'] : [];
      expected.forEach((level) => levels.add(level));
      expect(found).toEqual(expected);
    }), { numRuns: 150 });
    expect([...levels].sort()).toEqual(['error', 'warning']);
  });
});

describe('ApimRouteTable properties', () => {
  /** Distinct public /24 client ranges (203.0.x.0/24 and 198.51.x.0/24 are public, outside the subnet). */
  const clientsArb = fc.uniqueArray(fc.integer({ min: 0, max: 511 }), { minLength: 1, maxLength: 30 })
    .map((ids) => ids.map((id) => `${id < 256 ? '203.0' : '198.51'}.${id % 256}.0/24`));

  test('every valid configuration passes the routing rules', () => {
    fc.assert(fc.property(fc.constantFrom(ApimVirtualNetworkType.EXTERNAL, ApimVirtualNetworkType.INTERNAL), fc.boolean(), clientsArb,
      fc.integer({ min: 0, max: 255 }), (mode, gateway, clients, host) => {
        const b = brownfield({ subnet: { serviceEndpoints: ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Sql', 'Microsoft.Storage'] }, apim: { virtualNetworkType: mode } });
        new ApimRouteTable(b.stack, 'routes', {
          resourceGroupName: 'rg', location: 'westeurope', subnetId: b.subnet.id, subnetAddressPrefix: '10.0.1.0/27', virtualNetworkType: mode,
          nextHopType: gateway ? ApimNextHopType.VIRTUAL_NETWORK_GATEWAY : ApimNextHopType.VIRTUAL_APPLIANCE,
          nextHopIpAddress: gateway ? undefined : `10.9.0.${host}`,
          clientAddressPrefixes: mode === ApimVirtualNetworkType.EXTERNAL ? clients : undefined,
        });
        const findings = evaluate(b.stack).findings.filter((f) => f.ruleId.startsWith('APIM-ROUTE') || (f.detail ?? '').startsWith('APIM-ROUTE'));
        expect(findings).toEqual([]);
      }), { numRuns: 80 });
  });

  test('a duplicate or overlapping client range, or an appliance inside the subnet, throws naming the prop', () => {
    fc.assert(fc.property(clientsArb, fc.integer({ min: 0, max: 2 }), fc.nat(), (clients, breakage, pick) => {
      const b = brownfield();
      let prop: string;
      let props: { clientAddressPrefixes: string[]; nextHopIpAddress: string };
      const index = pick % clients.length;
      if (breakage === 0) {
        props = { clientAddressPrefixes: [...clients, clients[index]], nextHopIpAddress: '10.9.0.4' };
        prop = `clientAddressPrefixes[${clients.length}]`;
      } else if (breakage === 1) {
        const inner = (parseIpv4Cidr(clients[index]) as { cidr: Ipv4Cidr }).cidr;
        props = { clientAddressPrefixes: [...clients, `${formatIpv4Address(inner.network + 128)}/25`], nextHopIpAddress: '10.9.0.4' };
        prop = `clientAddressPrefixes[${clients.length}]`;
      } else {
        props = { clientAddressPrefixes: clients, nextHopIpAddress: `10.0.1.${pick % 32}` };
        prop = 'nextHopIpAddress';
      }
      let error: unknown;
      try {
        new ApimRouteTable(b.stack, 'routes', {
          resourceGroupName: 'rg', location: 'westeurope', subnetId: b.subnet.id, subnetAddressPrefix: '10.0.1.0/27',
          virtualNetworkType: ApimVirtualNetworkType.EXTERNAL, nextHopType: ApimNextHopType.VIRTUAL_APPLIANCE, ...props,
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApimNetworkError);
      expect((error as ApimNetworkError).problems.map((p) => p.prop)).toContain(prop);
    }), { numRuns: 150 });
  });
});
