/**
 * The host names of an Internal-mode APIM instance that need private DNS records (facts sections 5 and 6): none of
 * them is in public DNS, and the service answers only on its host names, never on bare addresses.
 *
 * - `<name>.azure-api.net` (gateway), `<name>.portal.azure-api.net`, `<name>.developer.azure-api.net`,
 *   `<name>.management.azure-api.net`, `<name>.scm.azure-api.net`: the primary location's private address (the
 *   management plane and the portals stay in the primary region);
 * - `<name>-<location>-01.regional.azure-api.net`: each location's regional gateway, at that location's address.
 *
 * Records are made for the exact host names only: a zone for the apex `azure-api.net` is refused by Azure and would
 * answer for every other APIM instance's names (the Internal-mode article, 2026 text).
 *
 * Pure: no cdktf.
 */

/** The apex domain of APIM's default host names. */
export const APIM_DOMAIN = 'azure-api.net';

/** What a host name is for. */
export enum ApimHostKind {
  GATEWAY = 'gateway',
  PORTAL = 'portal',
  DEVELOPER = 'developer',
  MANAGEMENT = 'management',
  SCM = 'scm',
  REGIONAL = 'regional',
  CUSTOM = 'custom',
}

/** A host name that gets its own private DNS zone. */
export interface ApimHostName {
  /** Stable key (construct id of the zone's scope). */
  readonly key: string;
  /** The exact host name, lower case. */
  readonly hostName: string;
  /** Normalised location whose private address the host resolves to. */
  readonly location: string;
  readonly kind: ApimHostKind;
}

/** The gateway host name of an instance: `<name>.azure-api.net`. */
export function gatewayHostName(apiManagementName: string): string {
  return `${apiManagementName.toLowerCase()}.${APIM_DOMAIN}`;
}

/** The regional gateway host name of a location: `<name>-<location>-01.regional.azure-api.net`. */
export function regionalHostName(apiManagementName: string, location: string): string {
  return `${apiManagementName.toLowerCase()}-${location}-01.regional.${APIM_DOMAIN}`;
}

/**
 * The default host names of an instance: the five primary ones, then one regional gateway per location.
 *
 * @param locations normalised locations, the primary first
 */
export function apimHostNames(apiManagementName: string, locations: readonly string[]): ApimHostName[] {
  const name = apiManagementName.toLowerCase();
  const primary = locations[0];
  const sub = (kind: ApimHostKind) => ({ key: kind, hostName: `${name}.${kind}.${APIM_DOMAIN}`, location: primary, kind });
  return [
    { key: ApimHostKind.GATEWAY, hostName: gatewayHostName(name), location: primary, kind: ApimHostKind.GATEWAY },
    sub(ApimHostKind.PORTAL),
    sub(ApimHostKind.DEVELOPER),
    sub(ApimHostKind.MANAGEMENT),
    sub(ApimHostKind.SCM),
    ...locations.map((location) => ({
      key: `regional-${location}`, hostName: regionalHostName(name, location), location, kind: ApimHostKind.REGIONAL,
    })),
  ];
}

/** Why a (lower-case) host name cannot get its own private DNS zone, or undefined when it can. */
export function hostNameProblem(hostName: string): { problem: string; accepted: string } | undefined {
  const accepted = 'give a full host name such as "api.contoso.com": labels of 1-63 letters, digits and "-" (not at either end), 253 characters at most';
  if (hostName === APIM_DOMAIN) {
    return {
      problem: 'a zone for azure-api.net would answer for every APIM instance\'s host names, and Azure refuses the name',
      accepted: 'give the exact host name, e.g. "contoso.azure-api.net"',
    };
  }
  if (hostName.length > 253) {
    return { problem: `it has ${hostName.length} characters`, accepted };
  }
  const labels = hostName.split('.');
  if (labels.length < 2) {
    return { problem: 'it is a single label, not a host name', accepted };
  }
  const bad = labels.find((label) => !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label));
  if (bad !== undefined) {
    return { problem: bad === '' ? 'it has an empty label' : `the label "${bad}" is not a DNS label${bad.includes('*') ? ' (wildcards cannot name a zone)' : ''}`, accepted };
  }
  return undefined;
}
