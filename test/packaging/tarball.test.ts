import * as fs from 'fs';
import * as path from 'path';
import { ROOT, run } from '../support/package';

// What `npm publish` would upload: exactly the built library (dist/ JavaScript and declarations), the jsii assembly,
// and the documents a user needs. No tests, benches, examples, TypeScript sources or source maps.
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const DOCUMENTS = ['.jsii', 'API.md', 'CHANGELOG.md', 'LICENSE', 'README.md', 'package.json'];

function sourcesUnder(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(rel, entry.name);
    if (entry.isDirectory()) {
      return sourcesUnder(dir, file);
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [file.replace(/\.ts$/, '')] : [];
  });
}

describe('the npm tarball (npm pack --dry-run)', () => {
  let files: string[];
  let packed: { size: number; unpackedSize: number };

  beforeAll(() => {
    const { stdout } = run('npm', ['pack', '--dry-run', '--json'], { what: 'npm pack --dry-run' });
    const [report] = JSON.parse(stdout);
    files = report.files.map((f: { path: string }) => f.path).sort();
    packed = report;
  });

  test('holds exactly dist (js + d.ts), .jsii, README.md, API.md, LICENSE, CHANGELOG.md and package.json', () => {
    // Executables a later `bin` entry names are packed by npm whatever `files` says; they are part of the package.
    const bins = Object.values<string>(pkg.bin ?? {}).map((b) => path.posix.normalize(b));
    const unexpected = files.filter((f) => !DOCUMENTS.includes(f) && !bins.includes(f) && !/^dist\/.+(?<!\.d)\.js$|^dist\/.+\.d\.ts$/.test(f));
    expect(unexpected).toEqual([]);
    expect(DOCUMENTS.filter((f) => !files.includes(f))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(test|bench|examples|scripts|lib)\/|\.map$|\.tsbuildinfo$|(?<!\.d)\.ts$/.test(f))).toEqual([]);
  });

  test('dist holds one .js and one .d.ts per source file of lib/, the bundle, and nothing stale', () => {
    const modules = sourcesUnder(path.join(ROOT, 'lib')).sort();
    // The bundle (scripts/bundle.js, test/packaging/bundle.test.ts): the package's entry and the modules it loads later.
    expect(pkg.main).toBe('dist/bundle.js');
    expect(files).toEqual(expect.arrayContaining(['dist/bundle.js', 'dist/bundle-checks.js']));
    const jsFiles = files.filter((f) => f.startsWith('dist/') && f.endsWith('.js') && !f.endsWith('.d.js') && !/^dist\/bundle(-checks)?\.js$/.test(f));
    const dtsFiles = files.filter((f) => f.startsWith('dist/') && f.endsWith('.d.ts'));
    const stale = jsFiles.map((f) => f.slice('dist/'.length, -'.js'.length)).filter((m) => !modules.includes(m));
    if (stale.length > 0) {
      // jsii does not clean dist/: a module renamed or deleted since the last build leaves its output behind.
      throw new Error(`dist/ holds output of no source in lib/: ${stale.join(', ')}. Rebuild from scratch: rm -rf dist && npm run build`);
    }
    expect(jsFiles.map((f) => f.slice('dist/'.length, -'.js'.length)).sort()).toEqual(modules);
    expect(dtsFiles.map((f) => f.slice('dist/'.length, -'.d.ts'.length)).sort()).toEqual(modules);
  });

  test('the JavaScript carries no source maps of sources the package does not ship', () => {
    const withMaps = files.filter((f) => f.endsWith('.js') && fs.readFileSync(path.join(ROOT, f), 'utf8').includes('sourceMappingURL'));
    expect(withMaps).toEqual([]);
    // A guard against shipping something large by mistake, not a budget: 0.1.0 is 175 kB packed and 893 kB unpacked
    // (.jsii 293 kB, API.md 168 kB, dist 370 kB); with the inline source maps dist alone was 1.15 MB.
    expect(packed.unpackedSize).toBeLessThan(3_000_000);
  });

  test('LICENSE is the full Apache-2.0 text package.json names', () => {
    const license = fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
    expect(pkg.license).toBe('Apache-2.0');
    expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(license).toContain('END OF TERMS AND CONDITIONS');
  });

  test('CHANGELOG.md has the versioning policy, an Unreleased section and an entry for the current version', () => {
    const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
    const headings = changelog.split('\n').filter((l) => l.startsWith('## '));
    expect(headings[0]).toBe('## Versioning policy');
    expect(headings[1]).toBe('## Unreleased');
    expect(headings).toContain(`## ${pkg.version}`);
    for (const publicApi of ['Terraform addresses', 'Rule ids', 'Report formats', 'Error codes', 'moved']) {
      expect(changelog).toContain(publicApi);
    }
  });
});

describe('package.json', () => {
  test('declares the supported Node.js lines (22, 24, 26), which the README names', () => {
    expect(pkg.engines).toEqual({ node: '>=22' });
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(/Requirements: Node\.js [^.]*\./.exec(readme)?.[0]).toBe('Requirements: Node.js 22, 24 or 26, the LTS lines (`engines: >=22`).');
  });

  test('has jsii targets for Python, .NET, Java and Go', () => {
    expect(pkg.jsii.targets).toEqual({
      python: { distName: 'cdktf-apim-network', module: 'cdktf_apim_network' },
      dotnet: { namespace: 'CdktfApimNetwork', packageId: 'CdktfApimNetwork' },
      java: { package: 'io.github.cdktfapimnetwork', maven: { groupId: 'io.github.cdktf-apim-network', artifactId: 'cdktf-apim-network' } },
      go: { moduleName: 'github.com/cdktf-apim-network/cdktf-apim-network-go', packageName: 'cdktfapimnetwork' },
    });
  });
});
