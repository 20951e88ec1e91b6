/**
 * Renders docs/bad-inputs.md from test/fixtures/bad-inputs.ts: each row with the error it produces today.
 * Run: npx ts-node --transpile-only scripts/bad-inputs.ts (npm run docs does).
 */
import * as fs from 'fs';
import * as path from 'path';
import { BAD_INPUTS } from '../test/fixtures/bad-inputs';

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return '(no error: the row is wrong)';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n\s*/g, '<br>');
}

export function renderBadInputs(): string {
  const lines = [
    '# Bad inputs and the errors they give',
    '',
    'Every row is a test in `test/bad-inputs.test.ts` (the rows live in `test/fixtures/bad-inputs.ts`). Each error is an',
    '`ApimNetworkError` with a stable code, the construct path, the prop, the value as given, and what is accepted; the',
    'construct is not added to the tree. Regenerate this file with `npm run docs`.',
    '',
    'Normalised rather than refused: locations in any spelling ("West Europe", " westeurope ", "WestEurope" are one',
    'location); zones in any order (sorted); a prop set to `null` (it is a prop not given). Accepted with a warning: a',
    'location or a service tag this library does not list (Azure adds both; the warning names the closest known one).',
    'Not checked: values given as references (names, resource groups, tags, an allow rule\'s destination), known only',
    'at apply, where Azure checks them. Everything else that is not exactly right is refused: a key that is not a prop,',
    'a value of the wrong type, a value Azure would refuse, and a combination the checks would reject (README, "Safety").',
    '',
    '| # | API | bad input | code | the error the user sees |',
    '|---|---|---|---|---|',
  ];
  for (const row of BAD_INPUTS) {
    lines.push(`| ${row.id} | \`${row.api}\` | ${cell(row.input)} | \`${row.code}\` | ${cell(messageOf(row.run))} |`);
  }
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  const file = path.join(__dirname, '..', 'docs', 'bad-inputs.md');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, renderBadInputs());
  console.log(`${file} written (${BAD_INPUTS.length} rows)`);
}
