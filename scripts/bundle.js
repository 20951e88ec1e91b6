// Writes the package's entry point (package.json "main") after the jsii build: `npm run build` runs it.
//
// - dist/bundle.js: every module that `require('cdktf-apim-network')` loads, in one file.
// - dist/bundle-checks.js: the modules loaded later, the first time a check runs (the checks engine). It adds their
//   definitions to dist/bundle.js's table, so both files share one instance of every module.
//
// Why: Node.js resolves, reads and compiles each file it loads. For the 53 files the constructs load, that costs about
// 7 ms more than one file holding the same code (README, Performance: the constructs' gate at 10 regions).
//
// What stays as it was:
// - Each module keeps its own scope, `this`, `module`, `__filename` and `__dirname` (its file in dist/).
// - jsii's per-file output stays in dist/, unchanged: the command line (bin/) and the type declarations use it.
// - One instance of each module per process, whatever is loaded first:
//   - each module the bundle runs is registered in Node's `require.cache` under its own file, so a later deep
//     `require('cdktf-apim-network/dist/core/errors')` gets it;
//   - a module already in that cache (required deep first, or announced by an ES module import) is taken from Node,
//     not run again;
//   - where the cache refuses new entries (Jest's), the bundle loads jsii's per-file output instead.
// - `require` in the modules is the bundle file's own, called with a literal, so a bundler that packs a user's app
//   still sees the library's dependencies; a relative path the bundle does not hold (`package.json`) is rewritten
//   relative to dist/.
//
// The code is jsii's output, parsed and printed again by TypeScript's printer, with three changes:
// - comments left out, but for those on a throw statement's line (the type declarations keep them all);
// - `require('./relative')` of a bundled module becomes a lookup in the bundle; of any other file, a `require` of the
//   same file from dist/;
// - every module but the entry writes its exports through `__apimExports` instead of `exports`. Node.js finds the
//   named exports an ES module import sees by scanning the entry file's text for `exports.<name>`, so only the
//   entry's must be there.
//
// Which modules go in which file is read from the code: a relative `require` outside any function runs when its
// module loads, one inside a function (lib/checks/lazy.ts) runs later. test/packaging/bundle.test.ts checks the result.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const ts = require('typescript');

const DIST = path.join(__dirname, '..', 'dist');
const ENTRY = 'index.js';
const MAIN = 'bundle.js';
const NAME = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).name;
const LATER = 'bundle-checks.js';
// Names the bundle adds around the modules all start with RESERVED: no module may use it.
const RESERVED = '__apim';
const LOAD = `${RESERVED}Load`;
const EXPORTS = `${RESERVED}Exports`;

/** The bundle key of the module a relative `require` in `from` names: its path in dist/, with `.js`. */
function target(from, specifier) {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, `${base}.js`, path.join(base, 'index.js')];
  const file = candidates.find((c) => c.endsWith('.js') && fs.existsSync(c) && fs.statSync(c).isFile());
  if (!file) {
    throw new Error(`${path.relative(DIST, from)}: require('${specifier}') names no module in dist/`);
  }
  return path.relative(DIST, file).split(path.sep).join('/');
}

function isRelativeRequire(node) {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require'
    && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]) && node.arguments[0].text.startsWith('.');
}

/** A module of dist/ (not a data file such as `../../package.json`). */
function isModuleRequire(node) {
  return isRelativeRequire(node) && !node.arguments[0].text.endsWith('.json');
}

function insideFunction(node) {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) {
      return true;
    }
  }
  return false;
}

/** Each module reachable from the entry: its parsed source, and the modules it requires now and later. */
function readModules() {
  const modules = new Map();
  const visit = (key) => {
    if (modules.has(key)) {
      return;
    }
    const file = path.join(DIST, key);
    const text = fs.readFileSync(file, 'utf8');
    if (text.includes(RESERVED)) {
      throw new Error(`${key} uses ${RESERVED}, a prefix the bundle reserves for its own names`);
    }
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
    // `targets`: the key each `require` of a module names, read here once and used again by rewrite().
    const module = { key, file, source, now: new Set(), later: new Set(), targets: new Map() };
    modules.set(key, module);
    const walk = (node) => {
      if (isModuleRequire(node)) {
        const required = target(file, node.arguments[0].text);
        module.targets.set(node, required);
        (insideFunction(node) ? module.later : module.now).add(required);
      }
      ts.forEachChild(node, walk);
    };
    walk(source);
    [...module.now, ...module.later].forEach(visit);
  };
  visit(ENTRY);
  return modules;
}

/** The modules loaded with the entry: the closure of the requires that run when a module loads. */
function loadedFirst(modules) {
  const first = new Set();
  const visit = (key) => {
    if (!first.has(key)) {
      first.add(key);
      modules.get(key).now.forEach(visit);
    }
  };
  visit(ENTRY);
  return first;
}

/** The module's code, printed again with the bundle's lookups (see the top of this file). */
function rewrite(module, bundled) {
  const entry = module.key === ENTRY;
  const transformer = (context) => (root) => {
    const { factory } = context;
    const visit = (node) => {
      const out = rewriteNode(node);
      // Comments are left out, but for those on a throw statement's line: `raise()` keeps one there, which Node.js
      // prints above an uncaught error.
      ts.setEmitFlags(out, ts.isThrowStatement(node) ? ts.EmitFlags.NoLeadingComments | ts.EmitFlags.NoNestedComments : ts.EmitFlags.NoComments);
      return out;
    };
    const rewriteNode = (node) => {
      if (isModuleRequire(node)) {
        const key = module.targets.get(node);
        if (bundled.has(key)) {
          return factory.createCallExpression(factory.createIdentifier(LOAD), undefined, [factory.createStringLiteral(key)]);
        }
      }
      if (isRelativeRequire(node)) {
        // The bundle file's `require` resolves from dist/: the same file, named from there.
        const file = path.resolve(path.dirname(module.file), node.arguments[0].text);
        const fromDist = path.relative(DIST, file).split(path.sep).join('/');
        return factory.updateCallExpression(node, node.expression, undefined, [factory.createStringLiteral(fromDist.startsWith('.') ? fromDist : `./${fromDist}`)]);
      }
      if (!entry && ts.isIdentifier(node) && node.text === 'exports' && isExportsReference(node)) {
        return factory.createIdentifier(EXPORTS);
      }
      return ts.visitEachChild(node, visit, context);
    };
    return ts.visitNode(root, visit);
  };
  const result = ts.transform(module.source, [transformer]);
  const printed = ts.createPrinter({ removeComments: false }).printFile(result.transformed[0]);
  result.dispose();
  return printed;
}

/** `exports` as the module's exports object, not a property name (`a.exports`, `{ exports: 1 }`). */
function isExportsReference(node) {
  const parent = node.parent;
  if ((ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node)) {
    return false;
  }
  if (ts.isShorthandPropertyAssignment(parent) || (parent.name === node && !ts.isPropertyAccessExpression(parent))) {
    // A declaration of its own `exports`: tsc never writes one.
    throw new Error(`unexpected use of \`exports\` in ${node.getSourceFile().fileName}: ${parent.getText()}`);
  }
  return true;
}

function definition(module, bundled) {
  const exportsName = module.key === ENTRY ? 'exports' : EXPORTS;
  return `__apimDefinitions[${JSON.stringify(module.key)}] = function (${exportsName}, module, __filename, __dirname) {\n`
    + `${rewrite(module, bundled)}};\n`;
}

const LOADER = `const { Module: __apimModule } = require('module');
const { dirname: __apimDirname, join: __apimJoin } = require('path');
const __apimDefinitions = Object.create(null);
const __apimLoaded = Object.create(null);
let __apimLater = false;
// Whether this file runs as this package's dist/bundle.js. Not when a bundler packed it into a user's app: there
// \`__dirname\` is the app's folder, whose files are the app's, so the bundle keeps to its own table (a deep import
// of dist/ is then a second copy, as with any bundled package).
const __apimPackaged = (() => {
  const fs = require('fs');
  try {
    return JSON.parse(fs.readFileSync(__apimJoin(__dirname, '..', 'package.json'), 'utf8')).name === ${JSON.stringify(NAME)}
      && fs.existsSync(__apimJoin(__dirname, '${LATER}'));
  } catch {
    return false;
  }
})();
function ${LOAD}(key, early) {
  const done = __apimLoaded[key];
  if (done !== undefined) {
    return done.exports;
  }
  const filename = __apimJoin(__dirname, key);
  if (__apimPackaged && require.cache[filename] !== undefined) {
    // Required deep first, or announced by an ES module import that has not run it yet: Node.js's own.
    return require(filename);
  }
  if (__apimDefinitions[key] === undefined && !__apimLater) {
    require('./${LATER}')(__apimDefinitions, ${LOAD}, __apimBuild);
    __apimLater = true;
  }
  const define = __apimDefinitions[key];
  if (define === undefined) {
    throw new Error(\`cdktf-apim-network: dist/\${key} is not in the bundle; rebuild the package (npm run build)\`);
  }
  const m = new __apimModule(filename, module);
  m.filename = filename;
  m.paths = module.paths;
  __apimLoaded[key] = m;
  if (__apimPackaged) {
    require.cache[filename] = m;
  }
  if (early !== undefined) {
    early(m);
  }
  let threw = true;
  try {
    define.call(m.exports, m.exports, m, filename, __apimDirname(filename));
    threw = false;
  } finally {
    if (threw) {
      // As Node.js does: a module whose code threw is forgotten, and loaded again by the next require.
      delete __apimLoaded[key];
      if (__apimPackaged) {
        delete require.cache[filename];
      }
    }
  }
  m.loaded = true;
  return m.exports;
}
// Whether this loader's module cache takes the bundle's modules (Node.js's does; Jest's refuses new entries).
function __apimCacheTakesEntries() {
  const probe = __apimJoin(__dirname, '.bundle-probe');
  try {
    require.cache[probe] = module;
    const taken = require.cache[probe] === module;
    delete require.cache[probe];
    return taken;
  } catch {
    return false;
  }
}
// In a checkout of the sources (lib/ beside dist/, never in the package), a bundle older than the last jsii or tsc
// build (.jsii, or dist/tsconfig.tsbuildinfo, which an emit that jsii then refuses still rewrites) is stale.
function __apimCheckNotStale() {
  const fs = require('fs');
  const root = __apimDirname(__dirname);
  if (!fs.existsSync(__apimJoin(root, 'lib'))) {
    return;
  }
  const built = fs.statSync(__filename).mtimeMs;
  for (const file of [__apimJoin(root, '.jsii'), __apimJoin(__dirname, 'tsconfig.tsbuildinfo')]) {
    if (fs.existsSync(file) && built < fs.statSync(file).mtimeMs) {
      throw new Error('cdktf-apim-network: dist/bundle.js is older than the last jsii build: run \`npm run build\`, or \`node scripts/bundle.js\` after jsii');
    }
  }
}
`;

function main() {
  const modules = readModules();
  const bundled = new Set(modules.keys());
  const first = loadedFirst(modules);
  const header = '// Built by scripts/bundle.js from the jsii build in dist/: do not edit.\n';
  const now = [...modules.values()].filter((m) => first.has(m.key)).map((m) => definition(m, bundled));
  const later = [...modules.values()].filter((m) => !first.has(m.key)).map((m) => definition(m, bundled));
  // Both files carry the same build id: a bundle-checks.js of another build (a half-updated install) is refused with
  // a clear error the first time a check runs, instead of mixing modules of two versions.
  const build = crypto.createHash('sha256').update([...now, ...later].join('')).digest('hex').slice(0, 16);
  const mainText = `'use strict';\n${header}const __apimBuild = '${build}';\n${LOADER}${now.join('')}`
    + `if (__apimPackaged) {\n  __apimCheckNotStale();\n}\n`
    // Under Jest, jsii's per-file output, through a require a bundler leaves alone. \`module.exports\` is the entry's
    // exports object before the entry runs, so a require of the package while it loads gets the object being filled.
    + `module.exports = !__apimPackaged || __apimCacheTakesEntries() ? ${LOAD}(${JSON.stringify(ENTRY)}, (m) => { module.exports = m.exports; })\n`
    + `  : require(__apimJoin(__dirname, '${ENTRY}'));\n`;
  const laterText = `'use strict';\n${header}module.exports = function (__apimDefinitions, ${LOAD}, build) {\n`
    + `  if (build !== '${build}') {\n`
    + `    throw new Error(\`cdktf-apim-network: dist/${LATER} is from another build than dist/${MAIN} (\${build}, not ${build}): reinstall the package\`);\n`
    + `  }\n${later.join('')}};\n`;
  fs.writeFileSync(path.join(DIST, MAIN), mainText);
  fs.writeFileSync(path.join(DIST, LATER), laterText);
  const kb = (text) => `${(Buffer.byteLength(text) / 1024).toFixed(0)} kB`;
  console.log(`dist/${MAIN}: ${now.length} modules, ${kb(mainText)}; dist/${LATER}: ${later.length} modules, ${kb(laterText)}; build ${build}`);
}

main();
