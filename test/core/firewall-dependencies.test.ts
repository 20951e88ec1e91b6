import { ApimFirewallDependencies, ApimFirewallProtocol, ApimNetworkError, ApimNetworkErrorCode } from '../../lib';
import { firewallDependencies } from '../../lib/core/firewall-dependencies';
import { thrown } from '../support/stack';

const byName = (location: string, options: Partial<Parameters<typeof firewallDependencies>[0]> = {}) =>
  new Map(firewallDependencies({ location, ...options }).map((d) => [d.name, d]));

describe('firewallDependencies', () => {
  test('every entry names its destination one way (FQDNs or addresses), ports, protocols, purpose and an https source', () => {
    for (const options of [{ location: 'westeurope' }, { location: 'northeurope', primaryLocation: 'westeurope', serviceEndpoints: false, dnsServers: ['10.0.0.53'] }]) {
      const list = firewallDependencies(options);
      expect(new Set(list.map((d) => d.name)).size).toBe(list.length);
      for (const d of list) {
        expect(d.ports.length).toBeGreaterThan(0);
        expect(d.protocols.length).toBeGreaterThan(0);
        expect(d.purpose.length).toBeGreaterThan(5);
        expect(d.source).toMatch(/^https:\/\/learn\.microsoft\.com\//);
        expect(d.fqdns.length > 0 && d.addresses.length > 0).toBe(false);
        expect(d.required).toBe(d.condition === undefined);
      }
    }
  });

  // The documented facts, row by row (virtual-network-reference 06/2025 and the forced-tunnelling section).
  test.each([
    ['tls-chain', [80, 443], ['mscrl.microsoft.com', 'crl.microsoft.com', 'oneocsp.microsoft.com', 'cacerts.digicert.com', 'crl3.digicert.com', 'csp.digicert.com']],
    ['entra-id', [443], ['westeurope.login.microsoft.com', 'login.microsoftonline.com']],
    ['pki', [443], ['issuer.pki.azure.com']],
    ['windows-update', [80, 443], ['*.update.microsoft.com', '*.ctldl.windowsupdate.com', 'ctldl.windowsupdate.com', 'download.windowsupdate.com', 'go.microsoft.com']],
    ['defender', [443], ['wdcp.microsoft.com', 'wdcpalt.microsoft.com']],
    ['internal-diagnostics', [443], ['azurewatsonanalysis-prod.core.windows.net', '*.data.microsoft.com', 'azureprofiler.trafficmanager.net']],
    ['portal-diagnostics', [443], ['dc.services.visualstudio.com']],
    ['developer-portal-captcha', [443], ['client.hip.live.com', 'partner.hip.live.com']],
    ['kms', [1688], ['azkms.core.windows.net', 'kms.core.windows.net']],
    ['smtp-relay', [25, 587, 25028], ['smtpi-co1.msn.com', 'ies.global.microsoft.com']],
  ])('%s: ports %j, hosts include %j', (name, ports, hosts) => {
    const entry = byName('westeurope').get(name)!;
    expect(entry.ports).toEqual(ports);
    expect(entry.fqdns).toEqual(expect.arrayContaining(hosts));
    expect(entry.protocols).toEqual([ApimFirewallProtocol.TCP]);
  });

  test('NTP UDP 123, diagnostics TCP 12000, AzureMonitor TCP 1886 and 443, DNS 53 over UDP and TCP', () => {
    const list = byName('westeurope');
    expect([list.get('ntp')!.protocols, list.get('ntp')!.ports]).toEqual([[ApimFirewallProtocol.UDP], [123]]);
    expect([list.get('diagnostics-12000')!.protocols, list.get('diagnostics-12000')!.ports]).toEqual([[ApimFirewallProtocol.TCP], [12000]]);
    expect([list.get('azure-monitor')!.addresses, list.get('azure-monitor')!.ports]).toEqual([['AzureMonitor'], [1886, 443]]);
    expect(list.get('dns')!.protocols).toEqual([ApimFirewallProtocol.UDP, ApimFirewallProtocol.TCP]);
  });

  test('conditional entries say when they apply', () => {
    const conditional = firewallDependencies({ location: 'westeurope' }).filter((d) => !d.required).map((d) => d.name);
    expect(conditional).toEqual(['dns', 'portal-diagnostics', 'developer-portal-captcha', 'smtp-relay', 'kms']);
  });

  test('DNS: the custom DNS servers are its addresses; it stays conditional (a resolver in a peered hub is not routed through the firewall)', () => {
    const dns = byName('westeurope', { dnsServers: ['10.0.0.53', '10.0.0.54'] }).get('dns')!;
    expect([dns.addresses, dns.required]).toEqual([['10.0.0.53', '10.0.0.54'], false]);
    expect(dns.condition).toMatch(/reached through the firewall \(not directly through a peering\)/);
  });

  test('with the service endpoints (default), Storage, Key Vault, Event Hubs and the primary\'s Sql leave through the backbone', () => {
    const names = [...byName('westeurope').keys()];
    expect(names.filter((n) => ['storage', 'key-vault', 'event-hub', 'sql', 'sql-primary'].includes(n))).toEqual([]);
  });

  test('without service endpoints the firewall allows Storage, Key Vault, Event Hubs and Sql', () => {
    const list = byName('westeurope', { serviceEndpoints: false });
    expect(['storage', 'key-vault', 'event-hub', 'sql'].map((n) => list.get(n)!.addresses)).toEqual([['Storage'], ['AzureKeyVault'], ['EventHub'], ['Sql']]);
    expect(list.get('sql')!.ports).toEqual([1433]);
  });

  test('a secondary location reaches the primary region\'s SQL through the firewall, endpoints or not', () => {
    for (const serviceEndpoints of [true, false]) {
      const list = byName('North Europe', { primaryLocation: 'westeurope', serviceEndpoints });
      expect(list.get('sql-primary')).toMatchObject({ addresses: ['Sql.WestEurope'], ports: [1433], required: true });
      expect(list.has('sql')).toBe(false);
      expect(list.get('entra-id')!.fqdns[0]).toBe('northeurope.login.microsoft.com');
    }
  });

  test('an unlisted primary gets the global Sql tag, never a guessed regional one, and says so (review 6, finding 4b)', () => {
    for (const primaryLocation of ['denmarkeast', 'westeuropa']) {
      const sql = byName('northeurope', { primaryLocation }).get('sql-primary')!;
      expect(sql.addresses).toEqual(['Sql']);
      expect(sql.purpose).toContain(`"${primaryLocation}" is not a region this library lists, so this is the global Sql tag`);
    }
  });

  test('an unlisted location flags the Entra ID host built from it (review 6, finding 4b)', () => {
    const entra = ApimFirewallDependencies.forLocation({ location: 'westeuropa' }).find((d) => d.name === 'entra-id')!;
    expect(entra.purpose).toContain('"westeuropa" is not a region this library lists, and the regional host is built from it: check its spelling');
    expect(byName('westeurope').get('entra-id')!.purpose).toBe('Microsoft Entra ID sign-in');
  });
});

describe('ApimFirewallDependencies.forLocation', () => {
  test('returns the list of the pure function', () => {
    expect(ApimFirewallDependencies.forLocation({ location: 'westeurope', primaryLocation: 'westeurope' }))
      .toEqual(firewallDependencies({ location: 'westeurope' }));
  });

  test.each([
    ['a location that is not one', { location: 'west europe!' }, ApimNetworkErrorCode.INVALID_LOCATION, 'location'],
    ['a DNS server that is not an address', { location: 'westeurope', dnsServers: ['dns.contoso.com'] }, ApimNetworkErrorCode.INVALID_IP_ADDRESS, 'dnsServers[0]'],
    ['serviceEndpoints that is not a boolean', { location: 'westeurope', serviceEndpoints: 'no' }, ApimNetworkErrorCode.INVALID_TYPE, 'serviceEndpoints'],
    ['no options', undefined, ApimNetworkErrorCode.MISSING_PROP, 'options'],
  ])('throws for %s', (_name, options, code, prop) => {
    const error = thrown(() => ApimFirewallDependencies.forLocation(options as any)) as ApimNetworkError;
    expect(error).toBeInstanceOf(ApimNetworkError);
    expect(error.message).toMatch(/^\[[A-Z_]+\] ApimFirewallDependencies\.forLocation: /);
    expect(error.problems.map((p) => [p.code, p.prop])).toContainEqual([code, prop]);
  });
});
