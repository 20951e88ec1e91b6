import * as fs from 'fs';
import * as path from 'path';
import { USAGE } from '../../lib/cli/args';
import { ROOT, cli, jsonOf } from './support';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function block(name: string): string {
  const start = `<!-- ${name}:start -->`;
  const text = readme.slice(readme.indexOf(start) + start.length, readme.indexOf(`<!-- ${name}:end -->`)).trim();
  return text.replace(/^```\n/, '').replace(/\n```$/, '');
}

describe('README: Check any Terraform from the command line', () => {
  test('shows the options exactly as --help prints them', () => {
    expect(block('cli-usage')).toBe(USAGE);
  });

  test('shows the output the command prints today (duration aside)', () => {
    const lines = block('cli-example').split('\n');
    const args = lines[0].replace(/^\$ npx cdktf-apim-network /, '').split(' ');
    const { stdout } = cli(args);
    const normalise = (text: string) => text.trim().replace(/, \d+\.\d\d s$/, ', N s');
    expect(normalise(stdout)).toBe(normalise(lines.slice(1).join('\n')));
  });

  test('documents every field of the JSON report and of a finding', () => {
    const { report } = jsonOf(['check', 'test/fixtures/terraform/internal-sql-1443']);
    const table = readme.slice(readme.indexOf('### The JSON report (public API)'), readme.indexOf('### The command in CI'));
    for (const key of [...Object.keys(report), 'error']) {
      expect(table).toContain(`\`${key}`);
    }
    for (const key of [...Object.keys(report.summary), ...Object.keys(report.inputs[0]), ...Object.keys(report.findings[0]), ...Object.keys(report.unresolved)]) {
      expect(table).toMatch(new RegExp(`\\b${key}\\b`));
    }
  });
});
