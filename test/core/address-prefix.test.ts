import { coversEveryAddress, parseAddressPrefix, parsePortText, reservedOverlaps } from '../../lib/core/address-prefix';
import { parseIpv4Cidr, Ipv4Cidr } from '../../lib/core/cidr';
import { checkServiceTag, isRegionalServiceTag, knownServiceTags } from '../../lib/core/service-tags';

const cidr = (text: string) => (parseIpv4Cidr(text) as { cidr: Ipv4Cidr }).cidr;

describe('parseAddressPrefix: what Azure takes in an NSG rule', () => {
  test.each([
    ['*', 'any'],
    ['10.0.0.0/8', 'cidr'],
    ['0.0.0.0/0', 'cidr'],
    ['203.0.113.7', 'address'],
    ['2001:db8::/32', 'ipv6'],
    ['::/0', 'ipv6'],
    ['Internet', 'tag'],
    ['VirtualNetwork', 'tag'],
    ['AzureFrontDoor.Backend', 'tag'],
    ['Storage.WestEurope', 'tag'],
    ['AzureCloud.centralfrance', 'tag'],
  ])('accepts %s as %s', (text, kind) => {
    const read = parseAddressPrefix(text);
    expect(read.ok).toBe(true);
    expect(read.kind).toBe(kind);
  });

  test.each([
    ['Interent', /not an Azure service tag/, /did you mean "Internet"/],
    ['Storgae', /not an Azure service tag/, /did you mean "Storage"/],
    ['AzureFrontDoor.Backendd', /not an Azure service tag/, /did you mean "AzureFrontDoor.Backend"/],
    ['FrontDoor', /not an Azure service tag/, /AzureFrontDoor.Backend/],
    ['internet', /capitalisation/, /write it as "Internet"/],
    ['storage.westeurope', /capitalisation/, /write it as "Storage.WestEurope"/],
    ['10.0.0.5/24', /host bits are set/, /did you mean "10.0.0.0\/24"/],
    ['10.0.0.0/8 ', /whitespace/, /did you mean "10.0.0.0\/8"/],
    [' 203.0.113.0/24', /whitespace/, /did you mean "203.0.113.0\/24"/],
    ['10.0.0.0/33', /prefix length "33"/, undefined],
    ['300.0.0.0/8', /not an IPv4 address/, undefined],
    ['010.0.0.1', /leading zeros/, undefined],
    ['Any', /"\*"/, /did you mean "\*"/],
    ['front door', /whitespace/, undefined],
    ['', /empty/, undefined],
    ['2001:db8:::1', /not an IPv6/, undefined],
  ])('refuses %j', (text, problem, suggestion) => {
    const read = parseAddressPrefix(text);
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.problem).toMatch(problem);
      if (suggestion) {
        expect(read.suggestion).toMatch(suggestion);
      }
    }
  });

  test.each(['NewServiceTag2030', 'Storage.MarsCentral', 'AzureMonitor.WestEurope'])('accepts %s, a tag it does not know, with a note', (text) => {
    const read = parseAddressPrefix(text);
    expect(read).toMatchObject({ ok: true, kind: 'tag' });
    expect((read as { note?: string }).note).toMatch(/check the spelling/);
  });
});

describe('service tags', () => {
  test('every listed tag is known as spelled, and its regional variants in listed regions', () => {
    for (const tag of knownServiceTags()) {
      expect(checkServiceTag(tag)).toEqual({ ok: true, known: true });
      if (isRegionalServiceTag(tag)) {
        expect(checkServiceTag(`${tag}.NorthEurope`)).toEqual({ ok: true, known: true });
      }
    }
  });

  test('a close typo names the tag meant; an unrelated name is a note', () => {
    expect(checkServiceTag('ApiManagment')).toMatchObject({ ok: false, suggestion: expect.stringMatching(/"ApiManagement"/) });
    expect(checkServiceTag('Storage.WestEuropee')).toMatchObject({ ok: true, known: false, note: expect.stringMatching(/did you mean "Storage.WestEurope"/) });
    expect(checkServiceTag('Internet.WestEurope')).toMatchObject({ ok: true, known: false, note: expect.stringMatching(/without regional variants/) });
  });
});

describe('ports', () => {
  test.each([['*', [0, 65535]], ['443', [443, 443]], ['0', [0, 0]], ['8000-8080', [8000, 8080]], ['65535', [65535, 65535]]])('%s', (text, range) => {
    expect(parsePortText(text)).toEqual({ ok: true, range });
  });

  test.each([
    ['443 ', /whitespace/], [' 443', /whitespace/], ['65536', /above 65535/], ['9000-8000', /backwards/], ['0443', /leading zeros/],
    ['443,444', /not a port/], ['', /not a port/], ['any', /not a port/],
  ])('refuses %j', (text, problem) => {
    const read = parsePortText(text);
    expect(read.ok).toBe(false);
    expect((read as { problem: string }).problem).toMatch(problem);
  });
});

describe('address ranges Azure reserves', () => {
  test.each([
    ['224.0.0.0/8', 'multicast'], ['127.0.0.0/8', 'loopback'], ['169.254.0.0/16', 'link-local'], ['168.63.129.0/24', 'Azure DNS'],
    ['255.255.255.255/32', 'broadcast'], ['0.0.0.0/8', 'this network'], ['0.0.0.0/0', 'multicast'],
  ])('%s overlaps %s', (text, what) => {
    expect(reservedOverlaps(cidr(text)).map((r) => r.what).join(' ')).toContain(what);
  });

  test.each(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '20.0.0.0/16'])('%s is free', (text) => {
    expect(reservedOverlaps(cidr(text))).toEqual([]);
  });

  test('a list that covers every address is like 0.0.0.0/0', () => {
    expect(coversEveryAddress([cidr('0.0.0.0/1'), cidr('128.0.0.0/1')])).toBe(true);
    expect(coversEveryAddress([cidr('0.0.0.0/0')])).toBe(true);
    expect(coversEveryAddress([cidr('0.0.0.0/1'), cidr('128.0.0.0/2')])).toBe(false);
  });
});
