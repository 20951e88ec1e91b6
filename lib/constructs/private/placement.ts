/**
 * The primary location and location count the building blocks take (`primaryLocation`, `multiRegion`), checked the
 * way the composite checks its regions.
 */
import { ApimNetworkErrorCode } from '../../core/errors';
import { closestRegion, regionInfo } from '../../core/locations';
import { PropChecker } from './props';

/**
 * Check `primaryLocation` (default: `location`) and, when the construct takes it, `multiRegion`: a primary location
 * other than the construct's own means the instance has several locations, so `multiRegion: false` is refused and the
 * default is `true`. A primary location this library does not list is accepted with a warning naming the closest
 * listed one, as the checks warn about an unlisted location of the composite's regions (APIM-LOCATION-UNKNOWN): no
 * resource of the building block sits in it, so the checks would not see it.
 */
export function checkPrimaryLocation(check: PropChecker, prefix: string, props: { primaryLocation?: unknown; multiRegion?: unknown },
  location: string): { primaryLocation: string; multiRegion: boolean } {
  const primaryLocation = props.primaryLocation === undefined ? location : check.location(`${prefix}primaryLocation`, props.primaryLocation) ?? location;
  if (props.primaryLocation !== undefined && primaryLocation !== location && regionInfo(primaryLocation) === undefined) {
    const closest = closestRegion(primaryLocation);
    check.warn(`${prefix}primaryLocation`, props.primaryLocation, `"${primaryLocation}" is not a region this library lists` +
      `${closest ? ` (did you mean "${closest}"?)` : ''}; the rules use the global service tags for it. Azure adds regions, so this is a warning, not an error`);
  }
  const several = primaryLocation !== location;
  const multiRegion = check.boolean(`${prefix}multiRegion`, props.multiRegion, several,
    'it decides at synth time whether the NSG has the Traffic Manager rule of a multi-region instance');
  if (several && props.multiRegion === false) {
    check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, `${prefix}multiRegion`, false,
      `the primary location ${primaryLocation} is not this location (${location}), so the APIM instance has several locations`,
      'set multiRegion to true (or leave it out), or give primaryLocation only when it differs from location');
  }
  return { primaryLocation, multiRegion };
}

/**
 * Warn when `regionalServiceTags` was asked for but the NSG of a listed location gets the global tags because the
 * primary location is not a region this library lists (a regional tag needs the region's name as Azure spells it,
 * and the library never guesses one). An unlisted location of the NSG itself is reported by the checks
 * (APIM-LOCATION-UNKNOWN, "the global service tags there"); an unlisted primary has no resource the checks could see.
 * `locations` are the NSGs' own locations.
 */
export function warnGlobalTags(check: PropChecker, prop: string, requested: boolean, primaryLocation: string, locations: readonly string[]): void {
  if (!requested || primaryLocation === '' || regionInfo(primaryLocation) !== undefined) {
    return;
  }
  const affected = [...new Set(locations)].filter((l) => l !== '' && regionInfo(l) !== undefined);
  if (affected.length === 0) {
    return;
  }
  check.warn(prop, true, `the NSG${affected.length > 1 ? 's' : ''} of ${affected.join(', ')} use${affected.length > 1 ? '' : 's'} the global Storage and Sql tags, ` +
    `not regional ones: the primary location "${primaryLocation}" is not a region this library lists, and it never guesses a tag name. ` +
    'Check the spelling; for a region newer than this library, leave regionalServiceTags out or add the regional tags with rules');
}
