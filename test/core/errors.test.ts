import { ApimNetworkError, ApimNetworkErrorCode, ApimNetworkErrors } from '../../lib';

// What another jsii language sees of an error is its message alone (Python: RuntimeError(message)); the code must
// be readable from the text with the pattern the README gives.
const CODE_AT_START = /^\[([A-Z0-9_]+)\] /;

const outside = {
  code: ApimNetworkErrorCode.SUBNET_OUTSIDE_ADDRESS_SPACE, prop: 'regions[0].subnetAddressPrefix', value: '"10.99.1.0/27"',
  problem: 'it is not inside the address space 10.1.0.0/16', accepted: 'pick a prefix inside the address space',
};
const zone = {
  code: ApimNetworkErrorCode.INVALID_ZONE, prop: 'regions[0].zones[0]', value: '"4"',
  problem: 'it is not an availability zone', accepted: 'give "1", "2" or "3"',
};

describe('ApimNetworkError message', () => {
  test('one problem: [code] path: prop value: problem; accepted', () => {
    const error = new ApimNetworkError('net/westeurope', [outside]);
    expect(error.message).toBe('[SUBNET_OUTSIDE_ADDRESS_SPACE] net/westeurope: regions[0].subnetAddressPrefix "10.99.1.0/27": '
      + 'it is not inside the address space 10.1.0.0/16; pick a prefix inside the address space');
    expect(CODE_AT_START.exec(error.message)?.[1]).toBe(error.code);
  });

  test('several problems: the first code leads, then every problem with its own code', () => {
    const error = new ApimNetworkError('net', [zone, outside]);
    expect(error.message).toBe([
      '[INVALID_ZONE] net: 2 problems:',
      '  - [INVALID_ZONE] regions[0].zones[0] "4": it is not an availability zone; give "1", "2" or "3"',
      '  - [SUBNET_OUTSIDE_ADDRESS_SPACE] regions[0].subnetAddressPrefix "10.99.1.0/27": it is not inside the address '
        + 'space 10.1.0.0/16; pick a prefix inside the address space',
    ].join('\n'));
    expect(CODE_AT_START.exec(error.message)?.[1]).toBe(error.code);
    expect(ApimNetworkErrors.codesOf(error)).toEqual(['INVALID_ZONE', 'SUBNET_OUTSIDE_ADDRESS_SPACE']);
  });

  test('an error about the root names it', () => {
    expect(new ApimNetworkError('', [zone]).message).toMatch(/^\[INVALID_ZONE\] \(root\): regions\[0\]\.zones\[0\] /);
  });

  test('every code fits the pattern a caller in another language matches', () => {
    for (const code of Object.values(ApimNetworkErrorCode)) {
      const error = new ApimNetworkError('x', [{ ...zone, code }]);
      expect(CODE_AT_START.exec(error.message)?.[1]).toBe(code);
    }
  });
});
