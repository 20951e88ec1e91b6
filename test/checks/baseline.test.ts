import { brownfield, evaluate } from './brownfield';

test('the hand-written baseline is clean', () => {
  const result = evaluate(brownfield().stack);
  expect(result.findings).toEqual([]);
  expect(result.outcomes.length).toBeGreaterThan(30);
});
