import * as fs from 'fs';
import * as path from 'path';
import { CHECKS, renderRuleTable, RULES } from '../lib/checks/catalog';

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  test('holds the rule table generated from the catalog (npm run docs)', () => {
    const between = readme.slice(readme.indexOf('<!-- rules:start -->') + '<!-- rules:start -->'.length, readme.indexOf('<!-- rules:end -->'));
    expect(between.trim()).toEqual(renderRuleTable());
  });

  test('shows the two commands', () => {
    expect(readme).toMatch(/npm ci && npx cdktf synth/);
    expect(readme).toMatch(/npm test/);
  });
});

describe('rule catalog', () => {
  test('has exactly the ids of design/RULES.md, with their levels', () => {
    expect(RULES.map((r) => `${r.id}:${r.level}`)).toEqual([
      'APIM-SKU-VNET:error', 'APIM-SKU-PREMIUM-FEATURE:error', 'APIM-VNET-CONFIG:error', 'APIM-LOCATION:error',
      'APIM-LOCATION-UNIQUE:error', 'APIM-SUBSCRIPTION:error', 'APIM-ZONES-CAPACITY:warning',
      'APIM-SUBNET-DELEGATION:error', 'APIM-SUBNET-NSG:error', 'APIM-SUBNET-SIZE:error', 'APIM-SUBNET-HEADROOM:warning',
      'APIM-SUBNET-PREFIX:error',
      'APIM-NSG-REQUIRED:error', 'APIM-NSG-SHADOWED:error', 'APIM-NSG-NEARMISS:warning', 'APIM-NSG-EXPOSED:error',
      'APIM-NSG-INTERNAL-PUBLIC:warning', 'APIM-NSG-PRIORITY:error', 'APIM-NSG-MIXED:error', 'APIM-NSG-TAG-IN-LIST:error',
      'APIM-NSG-REGIONAL-TAG:warning',
      'APIM-PIP-SKU:error', 'APIM-PIP-ALLOCATION:error', 'APIM-PIP-VERSION:error', 'APIM-PIP-DNS-LABEL:error',
      'APIM-PIP-ZONES:error', 'APIM-PIP-ROUTING:warning', 'APIM-PIP-FOR-ZONES:warning',
      'APIM-ROUTE-MANAGEMENT:error', 'APIM-ROUTE-ENDPOINTS:warning', 'APIM-ROUTE-SQL-SECONDARY:warning', 'APIM-DNS-APEX:error',
      'APIM-UNKNOWN:warning', 'APIM-SUPPRESSION-UNUSED:warning',
    ]);
  });

  test('every rule but the meta rules has an implementation; no id contains "::"', () => {
    expect(CHECKS.filter((r) => r.check !== undefined).map((r) => r.id)).toEqual(RULES.filter((r) => r.area !== 'meta').map((r) => r.id));
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    expect(RULES.every((r) => !r.id.includes('::') && r.source.startsWith('https://'))).toBe(true);
  });
});
