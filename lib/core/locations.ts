/**
 * Azure location names. "West Europe", "westeurope" and " WestEurope " are one location.
 */

/** What this library knows of an Azure region. */
export interface RegionInfo {
  /** Programmatic name, e.g. `westeurope`. */
  readonly name: string;
  /** Display name, e.g. `West Europe`. */
  readonly displayName: string;
  /** Whether the region offers availability zones (public knowledge as of 2025; used for warnings only). */
  readonly zonal: boolean;
}

// Public Azure regions. Availability-zone support is general knowledge (Azure's region list, 2025), not one of the
// facts in reference/apim-vnet-facts.md, so it only ever drives warnings, never errors: regions gain zones over time.
const REGIONS: ReadonlyArray<[string, boolean]> = [
  ['East US', true], ['East US 2', true], ['South Central US', true], ['West US 2', true], ['West US 3', true],
  ['Central US', true], ['North Central US', false], ['West US', false], ['West Central US', false],
  ['Canada Central', true], ['Canada East', false], ['Brazil South', true], ['Brazil Southeast', false],
  ['Mexico Central', true], ['Chile Central', true],
  ['North Europe', true], ['West Europe', true], ['UK South', true], ['UK West', false], ['France Central', true],
  ['France South', false], ['Germany West Central', true], ['Germany North', false], ['Norway East', true],
  ['Norway West', false], ['Sweden Central', true], ['Sweden South', false], ['Switzerland North', true],
  ['Switzerland West', false], ['Italy North', true], ['Poland Central', true], ['Spain Central', true],
  ['Austria East', true], ['Belgium Central', true],
  ['Australia East', true], ['Australia Southeast', false], ['Australia Central', false],
  ['Australia Central 2', false], ['New Zealand North', true], ['Southeast Asia', true], ['East Asia', true],
  ['Japan East', true], ['Japan West', true], ['Korea Central', true], ['Korea South', false],
  ['Central India', true], ['South India', false], ['West India', false], ['Jio India West', false],
  ['Jio India Central', false], ['Indonesia Central', true], ['Malaysia West', true],
  ['UAE North', true], ['UAE Central', false], ['Qatar Central', true], ['Israel Central', true],
  ['South Africa North', true], ['South Africa West', false],
];

const BY_NAME: ReadonlyMap<string, RegionInfo> = new Map(
  REGIONS.map(([displayName, zonal]) => {
    const name = normalizeLocation(displayName);
    return [name, { name, displayName, zonal }];
  }),
);

/**
 * Normalise a location: lower case, without whitespace. "West Europe" becomes "westeurope".
 */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}

/** Whether a normalised location is shaped like an Azure region name (letters then letters/digits). */
export function isPlausibleLocation(normalized: string): boolean {
  return /^[a-z][a-z0-9]{1,40}$/.test(normalized);
}

/** What this library knows of a location, or undefined for a region it does not list. */
export function regionInfo(location: string): RegionInfo | undefined {
  return BY_NAME.get(normalizeLocation(location));
}

/** Every region this library lists, by normalised name. */
export function knownRegions(): string[] {
  return [...BY_NAME.keys()];
}

/**
 * The region suffix of a regional service tag: `WestEurope` in `Storage.WestEurope`.
 *
 * For a region this library does not list, the display form is rebuilt from what was given: "Mars Central" gives
 * "MarsCentral"; "marscentral" stays as it is.
 */
export function regionalTagSuffix(location: string): string {
  const known = regionInfo(location);
  if (known) {
    return known.displayName.replace(/\s+/g, '');
  }
  return location
    .trim()
    .split(/\s+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** A regional service tag, e.g. `regionalTag('Storage', 'West Europe')` is `Storage.WestEurope`. */
export function regionalTag(tag: string, location: string): string {
  return `${tag}.${regionalTagSuffix(location)}`;
}

/** Whether two location spellings name the same location. */
export function sameLocation(a: string, b: string): boolean {
  return normalizeLocation(a) === normalizeLocation(b);
}
