import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, run } from '../support/package';

// The package's entry is a bundle of jsii's output (scripts/bundle.js): dist/bundle.js holds the modules
// `require('cdktf-apim-network')` loads, dist/bundle-checks.js those loaded the first time a check runs. It must behave
// as the per-file output it is built from: the same exports (CommonJS and ES module), one instance of each module
// whatever is required first, each module's own `__filename`, the checks engine loaded only when used.

const DIST = path.join(ROOT, 'dist');

/** Runs `code` in a fresh Node.js process (not Jest's module loader) from the package root; returns its stdout. */
function node(code: string): string {
  return run(process.execPath, ['-e', code], { what: 'a fresh Node.js process loading the built package' }).stdout.trim();
}

function json<T>(code: string): T {
  return JSON.parse(node(code).split('\n').pop()!);
}

/** Runs `body` with a fresh folder `cdktf.out/<name>` of the repository (below it, `cdktf` and the peers resolve), then
 * removes the folder. */
function inScratch(name: string, body: (dir: string) => void): void {
  const dir = path.join(ROOT, 'cdktf.out', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  try {
    body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The keys of the modules a bundle file defines, in order. */
function definedIn(file: string): string[] {
  const text = fs.readFileSync(path.join(DIST, file), 'utf8');
  return [...text.matchAll(/^__apimDefinitions\["([^"]+)"\] = function /gm)].map((m) => m[1]);
}

/** Every module of dist/ the entry reaches through relative requires, now or later, read from jsii's output. */
function reachable(): string[] {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) {
      return;
    }
    seen.add(key);
    const text = fs.readFileSync(path.join(DIST, key), 'utf8');
    for (const [, spec] of text.matchAll(/require\(["'](\.[^"']+)["']\)/g)) {
      if (spec.endsWith('.json')) {
        continue;
      }
      const base = path.resolve(path.dirname(path.join(DIST, key)), spec);
      const file = fs.existsSync(`${base}.js`) ? `${base}.js` : path.join(base, 'index.js');
      visit(path.relative(DIST, file).split(path.sep).join('/'));
    }
  };
  visit('index.js');
  return [...seen].sort();
}

describe('the bundle (package.json "main")', () => {
  test('defines each module the entry reaches exactly once, the ones loaded later in bundle-checks.js', () => {
    const now = definedIn('bundle.js');
    const later = definedIn('bundle-checks.js');
    expect([...now, ...later].sort()).toEqual(reachable());
    expect(new Set([...now, ...later]).size).toBe(now.length + later.length);
    expect(now).toContain('index.js');
    // The checks engine (lib/checks/lazy.ts loads it on first use) and the command line are not loaded with the entry.
    expect(later).toEqual(expect.arrayContaining(['checks/engine.js', 'checks/model.js', 'checks/report.js']));
    expect(now.filter((key) => key.startsWith('cli/'))).toEqual([]);
  });

  test('exports what the per-file entry (dist/index.js) exports, as the same kinds of values', () => {
    const shape = (entry: string) => json<Record<string, string>>(
      `const m = require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.fromEntries(Object.keys(m).sort().map((k) => [k, typeof m[k]]))))`);
    const bundled = shape(ROOT);
    expect(bundled).toEqual(shape(path.join(DIST, 'index.js')));
    expect(Object.keys(bundled).length).toBeGreaterThan(20);
  });

  test('gives an ES module import the same named exports, and no names of inner modules', () => {
    const names = (specifier: string) => json<string[]>(
      `import(${JSON.stringify(specifier)}).then((m) => console.log(JSON.stringify(Object.keys(m).filter((k) => k !== 'default').sort())))`);
    const esm = names(path.join(DIST, 'bundle.js'));
    const cjs = json<string[]>(`console.log(JSON.stringify(Object.keys(require(${JSON.stringify(ROOT)})).sort()))`);
    expect(esm).toEqual(names(path.join(DIST, 'index.js')));
    // `__esModule` (tsc's marker, not enumerable) is the one name an import sees beside the exports.
    expect(esm.filter((name) => name !== '__esModule')).toEqual(cjs);
  });

  test('shares each module with a deep ES module import of its file (Node.js announces both before running either)', () => {
    inScratch('bundle-esm', (dir) => {
      const script = path.join(dir, 'bundle-esm-test.mjs');
      fs.writeFileSync(script, [
      `import * as root from ${JSON.stringify(path.join(DIST, 'bundle.js'))};`,
      `import * as deep from ${JSON.stringify(path.join(DIST, 'core', 'errors.js'))};`,
      `import * as index from ${JSON.stringify(path.join(DIST, 'index.js'))};`,
      'console.log(JSON.stringify([root.ApimNetworkError === deep.ApimNetworkError, root.ApimSubnet === index.ApimSubnet]));',
      ].join('\n'));
      expect(run(process.execPath, [script], { what: 'an ES module importing the package and a deep file' }).stdout.trim()).toBe('[true,true]');
    });
  });

  test('calls require only with a literal, so a bundler packing a user\'s app sees the library\'s dependencies', () => {
    for (const file of ['bundle.js', 'bundle-checks.js']) {
      const text = fs.readFileSync(path.join(DIST, file), 'utf8');
      const calls = [...text.matchAll(/\brequire\(([^)]*)\)/g)].map((m) => m[1]);
      // Two on purpose, which bundlers leave alone: Node.js's own module when it is already loaded, and jsii's per-file
      // output under Jest. Neither runs where a bundler packed the library into an app.
      const computed = ['filename', "__apimJoin(__dirname, 'index.js'"];
      expect(calls.filter((arg) => !/^(['"])[^'"]+\1$/.test(arg) && !computed.includes(arg))).toEqual([]);
      // Relative requires resolve from dist/, where both files are.
      for (const arg of calls.filter((a) => /^['"]\./.test(a))) {
        expect(fs.existsSync(path.join(DIST, arg.slice(1, -1)))).toBe(true);
      }
    }
  });

  test('shares each module with a deep require of its file, whichever is required first', () => {
    const errors = JSON.stringify(path.join(DIST, 'core', 'errors.js'));
    const root = JSON.stringify(ROOT);
    expect(node(`const a = require(${root}); const b = require(${errors}); console.log(a.ApimNetworkError === b.ApimNetworkError)`)).toBe('true');
    expect(node(`const b = require(${errors}); const a = require(${root}); console.log(a.ApimNetworkError === b.ApimNetworkError)`)).toBe('true');
    const index = JSON.stringify(path.join(DIST, 'index.js'));
    expect(node(`const a = require(${root}); console.log(require(${index}) === a)`)).toBe('true');
  });

  test('loads bundle-checks.js only when a check runs; its errors are the exported ApimNetworkError', () => {
    const out = json<{ before: boolean; after: boolean; same: boolean; code: string }>(`
      const lib = require(${JSON.stringify(ROOT)});
      const later = () => Object.keys(require.cache).some((f) => f.endsWith('bundle-checks.js'));
      const before = later();
      let same = false, code = '';
      try { lib.ApimNetworkRules.evaluate('not a Terraform JSON document'); } catch (e) { same = e instanceof lib.ApimNetworkError; code = e.code; }
      const result = lib.ApimNetworkRules.evaluate({ resource: {} });
      console.log(JSON.stringify({ before, after: later() && Array.isArray(result.findings), same, code }));`);
    expect(out).toEqual({ before: false, after: true, same: true, code: expect.any(String) });
  });

  test('keeps each module\'s own __filename: the library\'s frames are still left out of an error\'s stack', () => {
    inScratch('bundle-stack', (dir) => {
      const script = path.join(dir, 'bundle-stack-test.js');
      fs.writeFileSync(script, `
      const { App, TerraformStack } = require('cdktf');
      const lib = require(${JSON.stringify(ROOT)});
      const stack = new TerraformStack(new App({ outdir: ${JSON.stringify(path.join(dir, 'out'))} }), 'stack');
      try {
        new lib.ApimSubnet(stack, 'subnet', { addressPrefix: 'not a CIDR' });
      } catch (e) {
        console.log(JSON.stringify({ error: e instanceof lib.ApimNetworkError, first: e.stack.split('\\n').find((l) => /^\\s+at /.test(l)) }));
      }`);
      const out = JSON.parse(run(process.execPath, [script], { what: 'a bad input to the built package' }).stdout.trim());
      expect(out.error).toBe(true);
      expect(out.first).toContain('bundle-stack-test.js');
      expect(out.first).not.toContain(`${path.sep}dist${path.sep}`);
    });
  });

  test('refuses a bundle-checks.js of another build with a clear error, on every check', () => {
    inScratch('bundle-copy', (copy) => {
      fs.copyFileSync(path.join(DIST, 'bundle.js'), path.join(copy, 'bundle.js'));
      const later = fs.readFileSync(path.join(DIST, 'bundle-checks.js'), 'utf8');
      const id = /build !== '([0-9a-f]+)'/.exec(later)![1];
      fs.writeFileSync(path.join(copy, 'bundle-checks.js'), later.split(id).join('0000000000000000'));
      const out = json<string[]>(`
        const lib = require(${JSON.stringify(path.join(copy, 'bundle.js'))});
        const messages = [];
        for (let i = 0; i < 2; i++) {
          try { lib.ApimNetworkRules.evaluate({ resource: {} }); messages.push('no error'); } catch (e) { messages.push(e.message); }
        }
        console.log(JSON.stringify(messages));`);
      expect(out).toEqual([0, 1].map(() => `cdktf-apim-network: dist/bundle-checks.js is from another build than dist/bundle.js (${id}, not 0000000000000000): reinstall the package`));
    });
  });

  test('an uncaught error still shows the comment on the library\'s throw line', () => {
    const result = spawnSync(process.execPath, ['-e', `
      const { App, TerraformStack } = require('cdktf');
      const lib = require(${JSON.stringify(ROOT)});
      new lib.ApimSubnet(new TerraformStack(new App(), 'stack'), 'subnet', { addressPrefix: 'not a CIDR' });`], { encoding: 'utf8', cwd: ROOT });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/throw error; \/\/ cdktf-apim-network refused the input/);
    expect(result.stderr).toContain('[INVALID_CIDR]');
  });

  test('in a checkout of the sources, a bundle older than the jsii build refuses to load, saying how to rebuild', () => {
    inScratch('bundle-stale', (copy) => {
      fs.mkdirSync(path.join(copy, 'dist'));
      fs.mkdirSync(path.join(copy, 'lib'));
      for (const file of ['bundle.js', 'bundle-checks.js']) {
        fs.copyFileSync(path.join(DIST, file), path.join(copy, 'dist', file));
      }
      fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(copy, 'package.json'));
      const load = () => spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(copy, 'dist', 'bundle.js'))})`], { encoding: 'utf8', cwd: ROOT });
      const old = new Date(Date.now() - 60_000);
      const stale = 'cdktf-apim-network: dist/bundle.js is older than the last jsii build: run `npm run build`';
      // Newer than .jsii (a jsii build without the bundle step) or than dist/tsconfig.tsbuildinfo (an emit jsii then
      // refused, which leaves .jsii as it was).
      for (const newer of [path.join(copy, '.jsii'), path.join(copy, 'dist', 'tsconfig.tsbuildinfo')]) {
        fs.writeFileSync(newer, '{}');
        fs.utimesSync(path.join(copy, 'dist', 'bundle.js'), old, old);
        expect(load().stderr).toContain(stale);
        fs.rmSync(newer);
        expect(load().stderr).not.toContain(stale);
      }
      fs.writeFileSync(path.join(copy, '.jsii'), '{}');
      expect(load().stderr).toContain(stale);
      // Without lib/ (an installed package), no check.
      fs.rmSync(path.join(copy, 'lib'), { recursive: true });
      expect(load().stderr).not.toContain(stale);
    });
  });

  test('packed into a user\'s app (another package.json above it): keeps to its own table, even beside an index.js being loaded', () => {
    // What a bundler does: the bundle's code runs from the app's folder, where index.js is the app's own entry, still
    // loading. Taken from Node.js's cache, it handed the app's empty exports back as the library.
    inScratch('bundle-inlined', (app) => {
      fs.mkdirSync(path.join(app, 'out'));
      fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'user-app' }));
      fs.copyFileSync(path.join(DIST, 'bundle.js'), path.join(app, 'out', 'library.js'));
      fs.copyFileSync(path.join(DIST, 'bundle-checks.js'), path.join(app, 'out', 'bundle-checks.js'));
      fs.writeFileSync(path.join(app, 'out', 'index.js'), [
        "const lib = require('./library.js');",
        'const checked = lib.ApimNetworkRules.evaluate({ resource: {} });',
        "console.log(JSON.stringify([typeof lib.MultiRegionApimNetwork, Array.isArray(checked.findings), Object.keys(require.cache).filter((f) => f.startsWith(__dirname) && !/(index|library|bundle-checks)\\.js$/.test(f))]));",
      ].join('\n'));
      expect(run(process.execPath, [path.join(app, 'out', 'index.js')], { what: 'the bundle inlined in an app' }).stdout.trim()).toBe('["function",true,[]]');
    });
  });

  test('a require of the package while it loads (a cycle through a peer) gets the exports object being filled', () => {
    const out = json<{ same: boolean; keys: number }>(`
      const Module = require('module');
      const load = Module._load;
      let early;
      Module._load = function (request, parent, isMain) {
        if (request === 'cdktf' && early === undefined && parent && parent.filename.endsWith('bundle.js')) {
          early = load.call(this, ${JSON.stringify(ROOT)}, parent, false);
        }
        return load.apply(this, arguments);
      };
      const lib = require(${JSON.stringify(ROOT)});
      Module._load = load;
      console.log(JSON.stringify({ same: early === lib, keys: Object.keys(early).length }));`);
    expect(out).toEqual({ same: true, keys: expect.any(Number) });
    expect(out.keys).toBeGreaterThan(20);
  });

  test('under Jest\'s module loader, whose require.cache refuses new entries, loads jsii\'s per-file output: one instance', () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const lib = require(ROOT);
    expect(require(path.join(DIST, 'core', 'errors.js')).ApimNetworkError).toBe(lib.ApimNetworkError);
    expect(require(path.join(DIST, 'index.js'))).toBe(lib);
    /* eslint-enable @typescript-eslint/no-require-imports */
    let caught: unknown;
    try {
      lib.ApimNetworkRules.evaluate(42);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(lib.ApimNetworkError);
    expect(lib.ApimNetworkRules.all().length).toBeGreaterThan(40);
  });
});
