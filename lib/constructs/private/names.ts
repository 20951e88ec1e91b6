/**
 * The Azure names this library's constructs create, per stack, so that two of them never create two resources with
 * the same name in the same scope (Azure would refuse the second at apply, or one would take over the other): two
 * networks for the same APIM name on the same existing virtual network would otherwise both create
 * `snet-<apim name>` in it, with the same NSG and public IP names.
 *
 * Scopes, as Azure has them: a resource group for virtual networks, NSGs, public IPs and route tables; a virtual
 * network for subnets; a region for public IP DNS labels (`<label>.<region>.cloudapp.azure.com`). Azure compares names
 * case-insensitively. A name or scope given as a reference is compared as its text: the same reference is the same
 * value; two different references are not compared (their values are known only at apply).
 */
import { TerraformStack } from 'cdktf';
import { ApimNetworkErrorCode } from '../../core/errors';
import { PropChecker } from './props';

/** A name a construct will create. */
export interface NameClaim {
  /** What the resource is (`subnet`, `public IP DNS label`). */
  readonly kind: string;
  /** The scope, outermost first (`['rg-hub', 'vnet-hub']`), as the message names it. */
  readonly scope: ReadonlyArray<{ readonly what: string; readonly name: string }>;
  readonly name: string;
  /** The prop that decides the name, as the user wrote it, and its value. */
  readonly prop: string;
  readonly value: unknown;
  /** Whether the name is derived from `prop` (a default name) rather than given in it. */
  readonly derived: boolean;
}

interface Claimed {
  readonly path: string;
  readonly prop: string;
}

const CLAIMED = new WeakMap<TerraformStack, Map<string, Claimed>>();

function keyOf(claim: NameClaim): string {
  return [claim.kind, ...claim.scope.map((s) => s.name.toLowerCase()), claim.name.toLowerCase()].join('\u0000');
}

function describe(claim: NameClaim): string {
  const derived = claim.prop === 'name' ? ' (the default name)' : ` (a default name, from ${claim.prop})`;
  return `the ${claim.kind} "${claim.name}"${claim.derived ? derived : ''}` +
    `${claim.scope.length > 0 ? ` in ${claim.scope.map((s) => `${s.what} "${s.name}"`).join(', ')}` : ''}`;
}

function fixOf(claim: NameClaim): string {
  return claim.kind === 'public IP DNS label'
    ? 'give one of them another label (publicIp.domainNameLabel, or another apiManagementName): a label is unique in its region'
    : 'give one of them another name (another apiManagementName, or the name prop), or put it in another resource group or virtual network';
}

/**
 * Report every claim that an earlier construct of the stack holds, or that another claim of the same construct holds;
 * `path` is the construct being created.
 */
export function checkNames(check: PropChecker, stack: TerraformStack, path: string, claims: readonly NameClaim[]): void {
  const taken = CLAIMED.get(stack) ?? new Map<string, Claimed>();
  const mine = new Map<string, NameClaim>();
  for (const claim of claims) {
    const key = keyOf(claim);
    const earlier = taken.get(key);
    const own = mine.get(key);
    if (earlier) {
      check.add(ApimNetworkErrorCode.NAME_CONFLICT, claim.prop, claim.value,
        `${describe(claim)} is already created by ${earlier.path} (from its ${earlier.prop}); Azure would refuse the second`, fixOf(claim));
    } else if (own && own.prop !== claim.prop) {
      check.add(ApimNetworkErrorCode.NAME_CONFLICT, claim.prop, claim.value,
        `${describe(claim)} is also created for ${own.prop} of ${path}; Azure would refuse the second`, fixOf(claim));
    }
    mine.set(key, claim);
  }
}

/** Record the names of a construct that was created (call after it exists, so a refused one claims nothing). */
export function claimNames(stack: TerraformStack, path: string, claims: readonly NameClaim[]): void {
  const taken = CLAIMED.get(stack) ?? new Map<string, Claimed>();
  for (const claim of claims) {
    const key = keyOf(claim);
    if (!taken.has(key)) {
      taken.set(key, { path, prop: claim.prop });
    }
  }
  CLAIMED.set(stack, taken);
}
