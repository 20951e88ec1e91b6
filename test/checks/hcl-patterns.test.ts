/**
 * Real-world shapes of APIM networks written in HCL (test/fixtures/hcl-patterns, written for this test after the
 * patterns public modules use), converted to Terraform JSON with @cdktf/hcl2json as a command-line checker would, and
 * evaluated. Each pattern lists the findings it must give and the ones it must not give.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from '@cdktf/hcl2json';
import { ApimCheckResult, ApimNetworkRules, ApimRuleLevel } from '../../lib';

const DIR = path.join(__dirname, '..', 'fixtures', 'hcl-patterns');

async function load(file: string): Promise<any> {
  const text = fs.readFileSync(path.join(DIR, file), 'utf8');
  return file.endsWith('.json') ? JSON.parse(text) : parse(file, text);
}

/** `RULE[detail]@level` of every finding; APIM-UNKNOWN findings as `APIM-UNKNOWN[RULE]@warning`. */
function found(result: ApimCheckResult): string[] {
  return result.findings.map((f) => `${f.ruleId}${f.detail ? `[${f.detail}]` : ''}@${f.level}`).sort();
}

const ERRORS = /@error$/;

interface Pattern {
  readonly file: string;
  /** Findings it must give (exact `RULE[detail]@level` strings). */
  readonly must: string[];
  /** Patterns no finding may match. */
  readonly mustNot: RegExp[];
  /** When set, the findings are exactly `must`. */
  readonly exactly?: boolean;
  readonly variables?: Record<string, unknown>;
}

const PATTERNS: Pattern[] = [
  {
    file: '01-module-style-variables.tf',
    // Every name, location and prefix is a variable: what needs them is unknown, nothing is judged.
    must: ['APIM-UNKNOWN[APIM-SKU-VNET]@warning', 'APIM-UNKNOWN[APIM-SUBNET-SIZE]@warning', 'APIM-UNKNOWN[APIM-SUBNET-PREFIX]@warning', 'APIM-UNKNOWN[APIM-LOCATION]@warning'],
    mustNot: [ERRORS, /^APIM-NSG-/],
  },
  {
    file: '01-module-style-variables.tf',
    // ...and with the tfvars a checker reads, the module is clean.
    variables: { location: 'westeurope', resource_group_name: 'rg-apim', apim_subnet_prefix: '10.60.1.0/27', vnet_address_space: ['10.60.0.0/16'], sku: 'Premium_1' },
    must: [], mustNot: [/./], exactly: true,
  },
  { file: '02-dynamic-rules-locals.tf', must: [], mustNot: [/./], exactly: true },
  // An Internal instance without DNS for its host names: APIM-DNS-INTERNAL warns, nothing else.
  { file: '03-standalone-rules.tf', must: ['APIM-DNS-INTERNAL[primary]@warning'], mustNot: [ERRORS], exactly: true },
  {
    file: '04-data-source-subnet.tf',
    must: ['APIM-UNKNOWN[APIM-SUBNET-DELEGATION]@warning', 'APIM-UNKNOWN[APIM-SUBNET-NSG]@warning', 'APIM-UNKNOWN[APIM-SUBNET-SIZE]@warning', 'APIM-UNKNOWN[APIM-NSG-REQUIRED]@warning'],
    mustNot: [ERRORS],
  },
  { file: '05-numbers-in-ports.tf', must: [], mustNot: [/./], exactly: true },
  { file: '06-json-syntax.tf.json', must: [], mustNot: [/./], exactly: true },
  {
    file: '07-address-based-rules.tf',
    // Address ranges against Storage and Sql: undecidable, so warnings that name both, never an error or a silent pass.
    must: ['APIM-NSG-REQUIRED[Outbound:Storage:443]@warning', 'APIM-NSG-REQUIRED[Outbound:Sql:1433]@warning'],
    mustNot: [ERRORS, /APIM-NSG-REQUIRED\[Outbound:AzureKeyVault/],
    exactly: true,
  },
  // The split default route is forced tunnelling, kept right by the ApiManagement route; External mode without a route
  // for the clients gets the APIM-ROUTE-CLIENTS warning.
  { file: '08-split-default-route.tf', must: ['APIM-ROUTE-CLIENTS@warning'], mustNot: [ERRORS], exactly: true },
  { file: '09-deny-all-with-explicit-allows.tf', must: [], mustNot: [/./], exactly: true },
  {
    file: '10-typos-sql-1443-storage-433.tf',
    must: ['APIM-NSG-NEARMISS[Sql:port]@warning', 'APIM-NSG-NEARMISS[Storage:port]@warning', 'APIM-NSG-IMPLICIT[Outbound:Sql:1433]@warning', 'APIM-NSG-IMPLICIT[Outbound:Storage:443]@warning'],
    mustNot: [ERRORS], exactly: true,
  },
  {
    file: '11-deny-internet-before-80.tf',
    must: ['APIM-NSG-SHADOWED[Outbound:Internet:80]@error', 'APIM-NSG-SHADOWED[Outbound:Storage:443]@error', 'APIM-NSG-SHADOWED[Outbound:Sql:1433]@error',
      'APIM-NSG-SHADOWED[Outbound:AzureKeyVault:443]@error', 'APIM-NSG-SHADOWED[Outbound:AzureMonitor:1886]@error', 'APIM-NSG-SHADOWED[Outbound:AzureMonitor:443]@error'],
    // One mistake, one finding per flow: no APIM-NSG-REQUIRED twin.
    mustNot: [/^APIM-NSG-REQUIRED/], exactly: true,
  },
  { file: '12-delegated-subnet.tf', must: ['APIM-SUBNET-DELEGATION@error'], mustNot: [/^APIM-NSG-/], exactly: true },
  { file: '13-wildcard-3443.tf', must: ['APIM-NSG-EXPOSED[Inbound_3443]@error'], mustNot: [/^APIM-NSG-REQUIRED/], exactly: true },
  {
    file: '14-conditional-source.tf',
    // The client source is a conditional on a variable: whether clients get in is unknown, not an error.
    must: ['APIM-UNKNOWN[APIM-NSG-REQUIRED]@warning'],
    mustNot: [ERRORS],
  },
  { file: '15-count-subnets.tf', must: [], mustNot: [/./], exactly: true },
  { file: '16-front-door-only.tf', must: [], mustNot: [/./], exactly: true },
  { file: '17-internal-public.tf', must: ['APIM-NSG-INTERNAL-PUBLIC[clients]@warning', 'APIM-DNS-INTERNAL[primary]@warning'], mustNot: [ERRORS], exactly: true },
  { file: '18-internal-private-dns.tf', must: [], mustNot: [/./], exactly: true },
  { file: '19-gateway-tunnel-standalone-routes.tf', must: ['APIM-ROUTE-MANAGEMENT@error'], mustNot: [/^APIM-ROUTE-CLIENTS/, /^APIM-UNKNOWN/], exactly: true },
];

describe('HCL patterns, converted with @cdktf/hcl2json', () => {
  test('at least twelve patterns, and hcl2json writes every block as a list of one body (the shape that used to hide everything)', async () => {
    expect(new Set(PATTERNS.map((p) => p.file)).size).toBeGreaterThanOrEqual(12);
    const doc = await load('09-deny-all-with-explicit-allows.tf');
    expect(Array.isArray(doc.resource.azurerm_network_security_group.apim)).toBe(true);
    expect(Array.isArray(doc.resource.azurerm_api_management.apim[0].virtual_network_configuration)).toBe(true);
  });

  test.each(PATTERNS.map((p) => [`${p.file}${p.variables ? ' with tfvars' : ''}`, p] as const))('%s', async (_name, pattern) => {
    const doc = await load(pattern.file);
    const result = ApimNetworkRules.evaluateWith(doc, { variables: pattern.variables });
    const ids = found(result);
    expect(ids).toEqual(expect.arrayContaining(pattern.must));
    for (const forbidden of pattern.mustNot) {
      expect(ids.filter((id) => forbidden.test(id))).toEqual([]);
    }
    if (pattern.exactly) {
      expect(ids).toEqual([...pattern.must].sort());
    }
    expect(result.inventory?.apimInstances).toBe(1);
  });

  test('the undecidable overlap names both sides', async () => {
    const result = ApimNetworkRules.evaluate(await load('07-address-based-rules.tf'));
    expect(result.findings.map((f) => f.message)).toEqual(expect.arrayContaining([
      expect.stringMatching(/whether 20\.0\.0\.0\/8 overlaps Storage\.WestEurope cannot be known/),
    ]));
    expect(result.findings.every((f) => f.level === ApimRuleLevel.WARNING)).toBe(true);
  });
});
