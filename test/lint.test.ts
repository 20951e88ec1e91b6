import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');

function lint(source: string, file = 'lib/probe.ts') {
  return spawnSync(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--stdin', '--stdin-filename', file], {
    cwd: root, input: source, encoding: 'utf8',
  });
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === 'node_modules' || entry.name === '__snapshots__' ? [] : sourceFiles(rel);
    }
    return /\.(ts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [rel] : [];
  });
}

describe('the barrel import of @cdktf/provider-azurerm', () => {
  test('fails lint as an import', () => {
    const result = lint("import { Subnet } from '@cdktf/provider-azurerm';\nexport const s = Subnet;\n");
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/Import the resource deeply/);
  });

  test('fails lint as a require, also in examples', () => {
    const result = lint("const azurerm = require('@cdktf/provider-azurerm');\nexport const s = azurerm;\n", 'examples/probe.ts');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/Require the resource deeply/);
  });

  test('a deep import passes lint', () => {
    const result = lint("import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';\nexport const s = Subnet;\n");
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  test('is used nowhere in the repository, except the benchmark case that measures it on purpose', () => {
    const offenders = ['lib', 'test', 'examples', 'bench'].filter((d) => fs.existsSync(path.join(root, d)))
      .flatMap(sourceFiles)
      .filter((file) => !file.endsWith('lint.test.ts'))
      .filter((file) => /(from\s+|require\()\s*['"]@cdktf\/provider-azurerm['"]/.test(fs.readFileSync(path.join(root, file), 'utf8')));
    expect(offenders).toEqual([path.join('bench', 'case.js')]);
    const benchCase = fs.readFileSync(path.join(root, 'bench', 'case.js'), 'utf8');
    expect(benchCase).toMatch(/\(c\) on purpose[^\n]*\n\s*\/\/ eslint-disable-next-line no-restricted-syntax\n\s*az = require\('@cdktf\/provider-azurerm'\);/);
  });
});
