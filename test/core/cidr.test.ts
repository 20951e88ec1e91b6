import * as fc from 'fast-check';
import {
  cidrContains, cidrOf, cidrOverlaps, formatIpv4Address, isPrivateCidr, parseIpv4Address, parseIpv4Cidr,
  parseIpv4CidrLenient,
} from '../../lib/core/cidr';

const ip = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const prefixLength = fc.integer({ min: 0, max: 32 });
const block = fc.tuple(ip, prefixLength).map(([a, p]) => cidrOf(a, p));

describe('parseIpv4Address', () => {
  test.each([
    ['0.0.0.0', 0],
    ['10.0.0.1', 167772161],
    ['255.255.255.255', 2 ** 32 - 1],
    ['192.168.1.10', 3232235786],
  ])('parses %s', (text, value) => {
    expect(parseIpv4Address(text)).toBe(value);
  });

  test.each(['', '10.0.0', '10.0.0.0.1', '256.0.0.1', '010.0.0.1', '10.0.0.-1', 'a.b.c.d', '10..0.1', ' 10.0.0.1'])(
    'refuses %j', (text) => {
      expect(parseIpv4Address(text)).toBeUndefined();
    });
});

describe('parseIpv4Cidr', () => {
  test.each([
    ['10.0.1.0/27', 167772416, 27, 32],
    ['0.0.0.0/0', 0, 0, 2 ** 32],
    ['10.0.0.7/32', 167772167, 32, 1],
    ['172.16.0.0/12', 2886729728, 12, 2 ** 20],
  ])('parses %s', (text, network, length, size) => {
    const result = parseIpv4Cidr(text);
    expect(result).toEqual({ ok: true, cidr: { text, network, prefixLength: length, size, last: network + size - 1 } });
  });

  test.each([
    ['', 'empty', undefined],
    ['   ', 'empty', undefined],
    ['10.0.1.0', 'malformed', '10.0.1.0/32'],
    ['10.0.1.0/33', 'malformed', undefined],
    ['10.0.1.0/', 'malformed', undefined],
    ['10.0.1.0/027', 'malformed', undefined],
    ['10.0.1/24', 'malformed', undefined],
    ['not-a-cidr', 'malformed', undefined],
    [' 10.0.1.0/27', 'malformed', '10.0.1.0/27'],
    ['fd00::/64', 'ipv6', undefined],
    ['10.0.1.5/27', 'host-bits', '10.0.1.0/27'],
    ['11.0.0.0/7', 'host-bits', '10.0.0.0/7'],
  ])('refuses %j as %s', (text, kind, suggestion) => {
    const result = parseIpv4Cidr(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.kind).toBe(kind);
      if (suggestion !== undefined) {
        expect(result.suggestion).toBe(suggestion);
      }
    }
  });

  test('suggests the network address when host bits are set', () => {
    const result = parseIpv4Cidr('10.0.1.5/27');
    expect(result).toMatchObject({ ok: false, kind: 'host-bits', suggestion: '10.0.1.0/27' });
  });

  test('property: any block prints and parses back to itself', () => {
    fc.assert(fc.property(block, (b) => {
      const parsed = parseIpv4Cidr(b.text);
      expect(parsed).toEqual({ ok: true, cidr: b });
    }));
  });

  test('property: an address with host bits set is refused with the network as suggestion', () => {
    fc.assert(fc.property(ip, fc.integer({ min: 0, max: 31 }), (address, length) => {
      const network = cidrOf(address, length);
      fc.pre(network.network !== address);
      const result = parseIpv4Cidr(`${formatIpv4Address(address)}/${length}`);
      expect(result).toMatchObject({ ok: false, kind: 'host-bits', suggestion: network.text });
    }));
  });
});

describe('containment and overlap', () => {
  const c = (text: string) => parseIpv4CidrLenient(text)!;
  test.each([
    ['10.0.0.0/16', '10.0.1.0/27', true, true],
    ['10.0.1.0/27', '10.0.0.0/16', false, true],
    ['10.0.0.0/16', '10.1.0.0/16', false, false],
    ['10.0.0.0/24', '10.0.0.128/25', true, true],
    ['10.0.0.0/25', '10.0.0.128/25', false, false],
    ['0.0.0.0/0', '192.168.0.0/16', true, true],
  ])('%s vs %s: contains=%s overlaps=%s', (a, b, contains, overlaps) => {
    expect(cidrContains(c(a), c(b))).toBe(contains);
    expect(cidrOverlaps(c(a), c(b))).toBe(overlaps);
  });

  test('property: overlap is symmetric, containment implies overlap, every block contains itself', () => {
    fc.assert(fc.property(block, block, (a, b) => {
      expect(cidrOverlaps(a, b)).toBe(cidrOverlaps(b, a));
      if (cidrContains(a, b)) {
        expect(cidrOverlaps(a, b)).toBe(true);
      }
      expect(cidrContains(a, a)).toBe(true);
    }));
  });

  test('property: two aligned blocks either nest or are disjoint', () => {
    fc.assert(fc.property(block, block, (a, b) => {
      const nested = cidrContains(a, b) || cidrContains(b, a);
      expect(cidrOverlaps(a, b)).toBe(nested);
    }));
  });

  test('property: a block contains exactly the addresses network..last', () => {
    fc.assert(fc.property(block, ip, (b, address) => {
      const inside = b.network <= address && address <= b.last;
      expect(cidrContains(b, cidrOf(address, 32))).toBe(inside);
    }));
  });

  test('private ranges', () => {
    expect(isPrivateCidr(c('10.1.0.0/16'))).toBe(true);
    expect(isPrivateCidr(c('192.168.1.0/24'))).toBe(true);
    expect(isPrivateCidr(c('172.20.0.0/16'))).toBe(true);
    expect(isPrivateCidr(c('8.8.8.0/24'))).toBe(false);
    expect(isPrivateCidr(c('0.0.0.0/0'))).toBe(false);
  });
});

describe('parseIpv4CidrLenient', () => {
  test('takes a bare address as /32 and clears host bits', () => {
    expect(parseIpv4CidrLenient('10.0.0.5')?.text).toBe('10.0.0.5/32');
    expect(parseIpv4CidrLenient('10.0.0.5/24')?.text).toBe('10.0.0.0/24');
    expect(parseIpv4CidrLenient('Internet')).toBeUndefined();
    expect(parseIpv4CidrLenient('10.0.0.0/40')).toBeUndefined();
  });
});
