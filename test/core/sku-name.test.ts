import { parseSkuName } from '../../lib/core/sku-name';

describe('SKU names', () => {
  test.each([
    ['Premium_3', { tier: 'Premium', capacity: 3 }], ['Developer_1', { tier: 'Developer', capacity: 1 }],
    ['StandardV2_2', { tier: 'StandardV2', capacity: 2 }], ['Premium', undefined], ['Premium_', undefined], ['_3', undefined],
    ['Premium_3 ', undefined],
  ])('%j is %j', (text, parsed) => {
    expect(parseSkuName(text)).toEqual(parsed);
  });
});
