import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The benchmark must run from a fresh clone (it needs dist/, which the global setup of the jest project `package`
// builds). Timings are not asserted here: performance is measured by `npm run bench`, not by timed tests. This checks
// that each case runs and that the three cases build the same resources.
const root = path.join(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { REGIONS } = require('../bench/workload');

function runCase(variant: string, regions = 2): any {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
  const result = spawnSync(process.execPath, [path.join(root, 'bench', 'case.js'), variant, String(regions), outdir], { cwd: root, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const line = JSON.parse(result.stdout);
  const doc = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'bench', 'cdk.tf.json'), 'utf8'));
  line.types = Object.fromEntries(Object.entries<Record<string, unknown>>(doc.resource).map(([type, byName]) => [type, Object.keys(byName).length]));
  line.resources = comparable(doc);
  fs.rmSync(outdir, { recursive: true, force: true });
  return line;
}

// A document's resources as they deploy: without cdktf's "//" metadata (the library's marker lives there), each
// resource and each reference named by its type and region (the library nests its resources one level deeper, so the
// logical ids differ), and `depends_on` as the set it is.
function comparable(doc: any): Record<string, unknown> {
  const names = new Map<string, string>();
  for (const [type, byName] of Object.entries<Record<string, any>>(doc.resource)) {
    for (const [id, body] of Object.entries<any>(byName)) {
      const region = body['//'].metadata.path.split('/').find((part: string) => REGIONS.includes(part));
      const name = `${type}.${region ?? id}`;
      // One resource of a type per region: two would be compared as one.
      expect([...names.values()]).not.toContain(name);
      names.set(`${type}.${id}`, name);
    }
  }
  const rename = (text: string) => text.replace(/\b(azurerm_[a-z_]+)\.([A-Za-z0-9_-]+)/g, (whole) => names.get(whole) ?? whole);
  const walk = (value: any, key?: string): any => {
    if (typeof value === 'string') return rename(value);
    if (Array.isArray(value)) {
      const items = value.map((item) => walk(item));
      return key === 'depends_on' ? items.sort() : items;
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '//').map(([k, v]) => [k, walk(v, k)]));
    }
    return value;
  };
  const resources: Record<string, unknown> = {};
  for (const [type, byName] of Object.entries<Record<string, any>>(doc.resource)) {
    for (const [id, body] of Object.entries<any>(byName)) resources[names.get(`${type}.${id}`)!] = walk(body);
  }
  return resources;
}

describe('bench/case.js (needs dist/: the jest project `package` builds it first)', () => {
  test('the library, deep-import and barrel-import cases build the same resources, attribute by attribute', () => {
    const [library, constructs, deep, barrel] = ['library', 'constructs', 'deep', 'barrel'].map((variant) => runCase(variant));
    expect(library.types).toEqual({
      azurerm_api_management: 1, azurerm_network_security_group: 2, azurerm_public_ip: 2, azurerm_subnet: 2,
      azurerm_subnet_network_security_group_association: 2, azurerm_virtual_network: 2,
    });
    expect(deep.types).toEqual(library.types);
    expect(barrel.types).toEqual(library.types);
    // The ratios compare like with like: what the hand-written cases leave out (NSG rule descriptions, the APIM's
    // depends_on on the NSG associations) would be counted as the library's cost.
    expect(Object.keys(library.resources)).toContain('azurerm_subnet.westeurope');
    expect(constructs.resources).toEqual(library.resources);
    expect(deep.resources).toEqual(library.resources);
    expect(barrel.resources).toEqual(library.resources);
    // One location too (no Traffic Manager rule, no additional location).
    expect(runCase('deep', 1).resources).toEqual(runCase('constructs', 1).resources);
    for (const line of [library, constructs, deep, barrel]) {
      for (const field of ['loadMs', 'constructMs', 'synthMs', 'totalMs', 'peakRssMb', 'bytes']) {
        expect(line[field]).toBeGreaterThan(0);
      }
    }
    expect(library.checkTotalMs).toBeGreaterThan(0);
    expect(library.rulesMs).toBeGreaterThan(0);
  });
});

describe('bench/options.js', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { median, medianInterval, quantile, verdict } = require('../bench/options');

  test('median and quartiles, linear between the nearest ranks', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([1, 2, 3, 4], 0.75)).toBe(3.25);
    expect(quantile([5], 0.25)).toBe(5);
    expect(quantile([9, 1, 5], 0.5)).toBe(median([9, 1, 5]));
  });

  test('the 95% confidence interval of the median by order statistics, and the verdict on a gate', () => {
    const ranks = (n: number) => Array.from({ length: n }, (_, i) => n - i);
    // Ranks from the binomial distribution (the usual tables): n=6 -> 1st and 6th, 10 -> 2nd and 9th, 21 -> 6th and 16th.
    expect(medianInterval(ranks(6))).toMatchObject({ low: 1, high: 6 });
    expect(medianInterval(ranks(10))).toMatchObject({ low: 2, high: 9 });
    expect(medianInterval(ranks(21))).toMatchObject({ low: 6, high: 16 });
    expect(medianInterval(ranks(61))).toMatchObject({ low: 23, high: 39 });
    expect(medianInterval(ranks(61)).coverage).toBeCloseTo(0.9604, 4);
    // Exact coverage, and no underflow for many runs (0.5 ** n is 0 from about 1,075 runs on).
    for (const n of [6, 41, 161, 1075, 3000]) {
      const { low, high, coverage } = medianInterval(ranks(n));
      expect(low).toBeLessThan(high);
      expect(coverage).toBeGreaterThanOrEqual(0.95);
    }
    // Below 6 values no 95% interval exists: the whole range, with the coverage it has, and no verdict.
    expect(medianInterval([5, 1, 3, 2, 4])).toEqual({ low: 1, high: 5, coverage: 0.9375 });
    expect(verdict(medianInterval([0.1, 0.1, 0.1, 0.1, 0.1]), 0.25)).toMatch(/^undecided \(too few runs/);
    expect(verdict(medianInterval([]), 0.25)).toMatch(/^undecided/);
    expect(verdict({ low: 0.1, high: 0.2, coverage: 0.96 }, 0.25)).toBe('within');
    expect(verdict({ low: 0.26, high: 0.3, coverage: 0.96 }, 0.25)).toBe('over');
    expect(verdict({ low: 0.2, high: 0.3, coverage: 0.96 }, 0.25)).toMatch(/^undecided \(the interval spans/);
  });
});
