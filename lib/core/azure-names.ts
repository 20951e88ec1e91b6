/**
 * Azure's naming rules for the resources this library creates or refers to, and the deterministic shortening of
 * names it derives (Microsoft Learn, "Naming rules and restrictions for Azure resources"; "Use tags to organize your
 * Azure resources").
 *
 * Names are case-insensitive in Azure; these rules only decide what Azure accepts.
 */

/** The kinds of names this library checks. */
export type AzureNameKind =
  | 'API Management service'
  | 'virtual network'
  | 'subnet'
  | 'network security group'
  | 'security rule'
  | 'public IP'
  | 'route table'
  | 'virtual network link'
  | 'resource group';

interface NameRule {
  readonly min: number;
  readonly max: number;
  /** Every character must match. */
  readonly chars: RegExp;
  readonly first: RegExp;
  readonly last: RegExp;
  /** The rule in words, for error messages. */
  readonly text: string;
}

// Microsoft.Network names: alphanumerics, underscores, periods and hyphens; start with an alphanumeric; end with an
// alphanumeric or an underscore.
const NETWORK_CHARS = { chars: /^[A-Za-z0-9_.-]$/, first: /^[A-Za-z0-9]$/, last: /^[A-Za-z0-9_]$/ };
const NETWORK_TEXT = 'letters, digits, "_", "." and "-", starting with a letter or digit and ending with a letter, digit or "_"';

const RULES: Readonly<Record<AzureNameKind, NameRule>> = {
  'API Management service': {
    min: 1, max: 50, chars: /^[A-Za-z0-9-]$/, first: /^[A-Za-z]$/, last: /^[A-Za-z0-9]$/,
    text: '1-50 letters, digits and hyphens, starting with a letter and ending with a letter or digit',
  },
  'virtual network': { min: 2, max: 64, ...NETWORK_CHARS, text: `2-64 ${NETWORK_TEXT}` },
  'subnet': { min: 1, max: 80, ...NETWORK_CHARS, text: `1-80 ${NETWORK_TEXT}` },
  'network security group': { min: 1, max: 80, ...NETWORK_CHARS, text: `1-80 ${NETWORK_TEXT}` },
  'security rule': { min: 1, max: 80, ...NETWORK_CHARS, text: `1-80 ${NETWORK_TEXT}` },
  'public IP': { min: 1, max: 80, ...NETWORK_CHARS, text: `1-80 ${NETWORK_TEXT}` },
  'route table': { min: 1, max: 80, ...NETWORK_CHARS, text: `1-80 ${NETWORK_TEXT}` },
  'virtual network link': { min: 1, max: 80, ...NETWORK_CHARS, text: `1-80 ${NETWORK_TEXT}` },
  // Letters and digits of any script, "_", "-", ".", "(" and ")"; not ending with ".".
  'resource group': {
    min: 1, max: 90, chars: /^[\p{L}\p{Nd}_().-]$/u, first: /^[\p{L}\p{Nd}_().-]$/u, last: /^[\p{L}\p{Nd}_()-]$/u,
    text: '1-90 letters, digits, "_", "-", ".", "(" and ")", not ending with "."',
  },
};

/** Azure's rule for a kind of name, in words (for the "accepted" part of an error). */
export function azureNameRule(kind: AzureNameKind): string {
  return RULES[kind].text;
}

/** The longest name Azure accepts for a kind. */
export function azureNameMaxLength(kind: AzureNameKind): number {
  return RULES[kind].max;
}

/** Why Azure would refuse a name, or undefined when it accepts it. */
export function azureNameProblem(kind: AzureNameKind, name: string): string | undefined {
  const rule = RULES[kind];
  const characters = [...name];
  if (characters.length < rule.min || characters.length > rule.max) {
    return `it has ${characters.length} characters`;
  }
  const bad = [...new Set(characters.filter((c) => !rule.chars.test(c)))];
  if (bad.length > 0) {
    return `it has characters Azure does not accept in ${/^[AEIOUaeiou]/.test(kind) ? 'an' : 'a'} ${kind} name: ${bad.map((c) => JSON.stringify(c)).join(', ')}`;
  }
  if (!rule.first.test(characters[0])) {
    return `it starts with ${JSON.stringify(characters[0])}`;
  }
  if (!rule.last.test(characters[characters.length - 1])) {
    return `it ends with ${JSON.stringify(characters[characters.length - 1])}`;
  }
  return undefined;
}

/**
 * A name this library derives, `<prefix><base><suffix>` (e.g. `vnet-` + APIM name + `-westeurope`), made to fit the
 * kind's length limit deterministically: when it is too long, the base is cut and a 6-character hash of the whole
 * long name is put in its place's end (`vnet-<start of base>-<hash>-westeurope`), so two long bases that share their
 * start still give two names. The same input always gives the same name. Prefix, base and suffix must already consist
 * of characters the kind accepts.
 */
export function fitAzureName(kind: AzureNameKind, prefix: string, base: string, suffix: string): string {
  const whole = `${prefix}${base}${suffix}`;
  const max = RULES[kind].max;
  if (whole.length <= max) {
    return whole;
  }
  const hash = shortHash(whole);
  const room = max - prefix.length - suffix.length - hash.length - 1;
  // Never end the kept part of the base with a character Azure refuses before the hash's hyphen.
  const kept = base.slice(0, Math.max(0, room)).replace(/[-.]+$/, '');
  return `${prefix}${kept}${kept === '' ? '' : '-'}${hash}${suffix}`;
}

/** 6 lower-case hex characters of FNV-1a (32-bit) over the text's UTF-16 code units: short and stable everywhere. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0').slice(0, 6);
}

/** Azure's limits for tags (ARM; storage accounts have tighter key limits, which do not apply here). */
export const TAG_LIMITS = { maxTags: 50, maxKeyLength: 512, maxValueLength: 256, forbiddenKeyCharacters: ['<', '>', '%', '&', '\\', '?', '/'] } as const;

/** Why Azure would refuse a tag key, or undefined when it accepts it. */
export function tagKeyProblem(key: string): string | undefined {
  if (key.length === 0) {
    return 'a tag name is empty';
  }
  if (key.length > TAG_LIMITS.maxKeyLength) {
    return `the tag name has ${key.length} characters (at most ${TAG_LIMITS.maxKeyLength})`;
  }
  const bad = TAG_LIMITS.forbiddenKeyCharacters.filter((c) => key.includes(c));
  if (bad.length > 0) {
    return `the tag name has ${bad.map((c) => JSON.stringify(c)).join(', ')}, which Azure does not accept in tag names`;
  }
  return undefined;
}

/** Why Azure would refuse a tag value, or undefined when it accepts it. */
export function tagValueProblem(value: string): string | undefined {
  return value.length > TAG_LIMITS.maxValueLength
    ? `the tag value has ${value.length} characters (at most ${TAG_LIMITS.maxValueLength})` : undefined;
}
