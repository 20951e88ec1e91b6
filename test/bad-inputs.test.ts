import * as fs from 'fs';
import * as path from 'path';
import { ApimNetworkError, ApimNetworkErrors } from '../lib';
import { BAD_INPUTS, BadInput } from './fixtures/bad-inputs';
import { renderBadInputs } from '../scripts/bad-inputs';

function errorOf(row: BadInput): unknown {
  try {
    row.run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('the bad-input catalogue (docs/bad-inputs.md)', () => {
  test('has at least 40 rows with unique ids', () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(BAD_INPUTS.map((r) => r.id)).size).toBe(BAD_INPUTS.length);
  });

  test.each(BAD_INPUTS.map((r) => [`${r.id} ${r.api}: ${r.input}`, r] as [string, BadInput]))('%s', (_name, row) => {
    const error = errorOf(row) as ApimNetworkError;
    // Only this library's typed error escapes, recognisable from any jsii language.
    expect(error).toBeInstanceOf(ApimNetworkError);
    expect(ApimNetworkErrors.isApimNetworkError(error)).toBe(true);
    expect(error.name).toBe('ApimNetworkError');
    const problem = error.problems.find((p) => p.code === row.code && p.prop.includes(row.prop));
    expect(problem).toBeDefined();
    // It leads with the first problem's code (all that a caller in another jsii language receives is the message),
    // names the construct path and the prop, echoes the value, and says what is accepted.
    expect(error.message.startsWith(`[${error.code}] ${error.constructPath}: `)).toBe(true);
    const line = `${problem!.prop} ${problem!.value}: ${problem!.problem}; ${problem!.accepted}`;
    expect(error.message).toContain(error.problems.length === 1 ? line : `- [${row.code}] ${line}`);
    expect(problem!.value.length).toBeGreaterThan(0);
    expect(problem!.problem.length).toBeGreaterThan(5);
    expect(problem!.accepted.length).toBeGreaterThan(5);
  });

  test('docs/bad-inputs.md is current (regenerate with npm run docs)', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'bad-inputs.md'), 'utf8');
    expect(doc).toEqual(renderBadInputs());
  });
});
