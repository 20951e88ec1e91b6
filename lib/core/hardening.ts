/**
 * Hardening rules: deny everything else at the end of the priority range, after the allows that keep APIM's other
 * documented dependencies working (facts section 1D, "Non-NSG outbound dependencies", and section 6).
 *
 * Without hardening, Azure's default rules (AllowVnetInBound, AllowInternetOutBound...) carry these flows silently.
 */

import { RenderedRule } from './nsg-catalog';

/** First and last priority held for hardening rules. */
export const HARDENING_PRIORITY_BAND: readonly [number, number] = [4000, 4096];

/** A hardening rule, in the same rendered form as the catalog's rules (it has no catalog row). */
export type HardeningRule = Omit<RenderedRule, 'catalogId'>;

function rule(name: string, priority: number, direction: 'Inbound' | 'Outbound', access: 'Allow' | 'Deny', protocol: string,
  source: string, destination: string, port: string, description: string): HardeningRule {
  return {
    name, priority, direction, access, protocol, sourcePortRange: '*', sourceAddressPrefix: source,
    destinationAddressPrefix: destination, destinationPortRange: port, description,
  };
}

/** The hardening rules, both directions. */
export function hardeningRules(): HardeningRule[] {
  return [
    rule('apim-hardening-clients-in-vnet', 4000, 'Inbound', 'Allow', 'Tcp', 'VirtualNetwork', 'VirtualNetwork', '443',
      'Clients inside the network reach the gateway (Internal mode) [APIM S8]'),
    rule('apim-hardening-deny-all-in', 4096, 'Inbound', 'Deny', '*', '*', '*', '*',
      'Hardening: deny all other inbound traffic'),
    rule('apim-hardening-dns', 4000, 'Outbound', 'Allow', '*', 'VirtualNetwork', 'VirtualNetwork', '53',
      'DNS to the network\'s DNS servers [APIM S1 1D]'),
    rule('apim-hardening-ntp', 4010, 'Outbound', 'Allow', 'Udp', 'VirtualNetwork', 'Internet', '123',
      'Time synchronisation (NTP) [APIM S1 1D]'),
    rule('apim-hardening-diagnostics', 4020, 'Outbound', 'Allow', 'Tcp', 'VirtualNetwork', 'AzureCloud', '12000',
      'Internal diagnostics [APIM S1 1D]'),
    rule('apim-hardening-https-out', 4030, 'Outbound', 'Allow', 'Tcp', 'VirtualNetwork', 'Internet', '443',
      'CRL/OCSP, Entra ID login, monitoring, update and Defender endpoints by FQDN [APIM S1 1D]'),
    rule('apim-hardening-deny-all-out', 4096, 'Outbound', 'Deny', '*', '*', '*', '*',
      'Hardening: deny all other outbound traffic'),
  ];
}
