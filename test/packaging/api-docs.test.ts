import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT, run } from '../support/package';

// API.md is generated from the jsii assembly (.jsii) by jsii-docgen, the tool the construct hubs use. It must
// describe the API of this commit: a stale API.md would mislead every user who reads it.
describe('API.md', () => {
  test('is what jsii-docgen makes of the current assembly (refresh: npm run build && npm run api-docs)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-docs-'));
    try {
      run(path.join(ROOT, 'node_modules', '.bin', 'jsii-docgen'), ['--output', path.join(dir, 'API.md')], { what: 'jsii-docgen' });
      const fresh = fs.readFileSync(path.join(dir, 'API.md'), 'utf8');
      const committed = fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8');
      if (fresh !== committed) {
        const [a, b] = [committed.split('\n'), fresh.split('\n')];
        const line = a.findIndex((l, i) => l !== b[i]);
        throw new Error([
          'API.md is stale: it does not describe the current API. Refresh it with `npm run build && npm run api-docs`, read the diff, commit it.',
          `First difference at line ${line + 1}:`, `  API.md:    ${a[line] ?? '(end of file)'}`, `  generated: ${b[line] ?? '(end of file)'}`,
        ].join('\n'));
      }
      expect(committed).toMatch(/^# API Reference/);
      expect(committed).toContain('### MultiRegionApimNetwork');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
