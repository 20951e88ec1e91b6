/**
 * Azure public IP DNS name labels: `<label>.<region>.cloudapp.azure.com`. A label is unique per region, so one label
 * may serve every region of an APIM instance.
 *
 * Rules (azurerm `domain_name_label` validation and Azure's naming rules): 3 to 63 characters, lower-case letters,
 * digits and hyphens, starting with a letter and ending with a letter or digit.
 */

/** The pattern a label must match (the unit tests use it as the oracle of `dnsLabelProblem`). */
export const DNS_LABEL_PATTERN = /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/;

/** What is accepted, for error messages. */
export const DNS_LABEL_RULES =
  '3-63 characters: lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit';

/** Why a label is invalid, or undefined when it is valid. */
export function dnsLabelProblem(label: string): string | undefined {
  if (label.length < 3 || label.length > 63) {
    return `it has ${label.length} character${label.length === 1 ? '' : 's'}, and a label has 3-63`;
  }
  if (/[A-Z]/.test(label)) {
    return 'it has upper-case letters';
  }
  if (/[^a-z0-9-]/.test(label)) {
    const bad = [...new Set(label.replace(/[a-z0-9-]/g, '').split(''))].map((c) => JSON.stringify(c)).join(', ');
    return `it has characters outside a-z, 0-9 and "-": ${bad}`;
  }
  if (!/^[a-z]/.test(label)) {
    return 'it does not start with a letter';
  }
  if (!/[a-z0-9]$/.test(label)) {
    return 'it ends with a hyphen';
  }
  return undefined;
}

/**
 * The default label: the APIM instance's name, lower-cased (`Contoso-APIM` gives `contoso-apim`), as Microsoft
 * advises ("use the same DNS name as your API Management instance"). The same in every region.
 *
 * Not shortened or rewritten beyond lower-casing: a name that cannot be a label (one or two characters) is reported,
 * so the user picks a label.
 */
export function defaultDnsLabel(apiManagementName: string): string {
  return apiManagementName.toLowerCase();
}
