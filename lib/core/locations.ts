/**
 * Azure location names and what this library knows of each region. "West Europe", "westeurope" and " WestEurope "
 * are one location.
 */

/** What this library knows of an Azure region. */
export interface RegionInfo {
  /** Programmatic name, e.g. `westeurope`. */
  readonly name: string;
  /** Display name, e.g. `West Europe`. */
  readonly displayName: string;
  /** Whether the region offers availability zones. */
  readonly zonal: boolean;
}

// Public Azure regions and whether each offers availability zones (Azure's region list, 2025). The constructs read the
// zone flag: a zonal region gets a zone-redundant public IP by default, and zones listed for APIM in a region without
// availability zones are an error (Azure refuses them). A region missing here is not an error (Azure adds regions):
// the checks warn about it (APIM-LOCATION-UNKNOWN) with the closest listed name. When Azure adds zones to a region
// listed as non-zonal, this table needs an update.
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

/** The zones of a zonal region. */
export const ALL_ZONES: readonly string[] = ['1', '2', '3'];

/** A location already in normal form: lower-case letters and digits only. */
const NORMALISED = /^[a-z0-9]*$/;

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
  // Most locations arrive normalised already (the constructs and the checks normalise them once): returned as they are.
  return typeof location === 'string' && NORMALISED.test(location) ? location : location.replace(/\s+/g, '').toLowerCase();
}

/** Whether a normalised location is shaped like an Azure region name (letters then letters/digits). */
export function isPlausibleLocation(normalized: string): boolean {
  return /^[a-z][a-z0-9]{1,40}$/.test(normalized);
}

/** What this library knows of a location, or undefined for a region it does not list. */
export function regionInfo(location: string): RegionInfo | undefined {
  return BY_NAME.get(normalizeLocation(location));
}

/** Every region this library lists, by normalised name (the property and unit tests use it as their oracle). */
export function knownRegions(): string[] {
  return [...BY_NAME.keys()];
}

/**
 * The availability zones a location offers: `['1', '2', '3']` in a zonal region, `[]` in a region without zones, and
 * undefined for a region this library does not list (then nothing is decided from it).
 */
export function zonesOf(location: string): readonly string[] | undefined {
  const info = regionInfo(location);
  return info === undefined ? undefined : info.zonal ? ALL_ZONES : [];
}

/**
 * The listed region closest to an unlisted location ("northeurpoe" gives "northeurope"), or undefined when none is
 * close: at most two edits (insert, delete, replace, swap of neighbours), and one per four characters.
 */
export function closestRegion(location: string): string | undefined {
  const name = normalizeLocation(location);
  if (BY_NAME.has(name)) {
    return name;
  }
  const limit = Math.min(2, Math.max(1, Math.floor(name.length / 4)));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of BY_NAME.keys()) {
    // The distance is at least the difference in length: a candidate that cannot be within the limit, or beat the
    // best, is skipped.
    if (Math.abs(candidate.length - name.length) > Math.min(limit, best?.distance ?? limit)) {
      continue;
    }
    // Each edit changes the count of at most two letters by one (a swap none): a candidate whose letter counts differ
    // from the name's by more than twice the limit cannot be within it.
    if (letterCountDifference(name, candidate) > 2 * limit) {
      continue;
    }
    const distance = editDistanceWithin(name, candidate, limit);
    if (distance <= limit && (!best || distance < best.distance || (distance === best.distance && candidate < best.name))) {
      best = { name: candidate, distance };
    }
  }
  return best?.name;
}

/** The sum over characters of how much their counts in two strings differ. */
function letterCountDifference(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const c of a) {
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  for (const c of b) {
    counts.set(c, (counts.get(c) ?? 0) - 1);
  }
  let sum = 0;
  for (const n of counts.values()) {
    sum += Math.abs(n);
  }
  return sum;
}

/**
 * `editDistance(a, b)` when it is at most `max`, else `max + 1`. Only the cells within `max` of the diagonal are
 * computed (any other is more than `max` away): an unlisted location is compared with every listed region, in code
 * that runs once per process and so is never optimised.
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  const over = max + 1;
  if (Math.abs(a.length - b.length) > max) {
    return over;
  }
  const width = b.length + 1;
  // Rolling rows: the one before the previous one (for swaps), the previous one and the current one.
  let before = new Array<number>(width).fill(over);
  let previous = new Array<number>(width).fill(over);
  let current = new Array<number>(width).fill(over);
  for (let j = 0; j <= Math.min(max, b.length); j++) {
    previous[j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    current.fill(over);
    if (i <= max) {
      current[0] = i;
    }
    for (let j = Math.max(1, i - max); j <= Math.min(b.length, i + max); j++) {
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, before[j - 2] + 1);
      }
      current[j] = Math.min(d, over);
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length];
}

/** Optimal string alignment distance: insertions, deletions, replacements and swaps of neighbouring characters. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
  }
  for (let j = 1; j <= b.length; j++) {
    rows[0][j] = j;
  }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, rows[i - 2][j - 2] + 1);
      }
      rows[i][j] = d;
    }
  }
  return rows[a.length][b.length];
}

/**
 * The region suffix of a regional service tag: `WestEurope` in `Storage.WestEurope`.
 *
 * For a region this library does not list, the display form is rebuilt from what was given: "Mars Central" gives
 * "MarsCentral"; "marscentral" stays as it is. The constructs never write such a guess: for a location they do not
 * list they use the global tags instead.
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
