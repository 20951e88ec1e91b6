import * as childProcess from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApimNetworkError, ApimNetworkErrorCode, ApimNetworkErrors, ApimServiceEndpoints } from '../../lib';

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

describe('an uncaught ApimNetworkError prints compactly (defect 16: cdktf synth showed about 55 lines)', () => {
  test('code, constructPath and problems are there but not enumerable, so Node.js prints no dump of them', () => {
    const error = new ApimNetworkError('net', [zone, outside]);
    expect(Object.keys(error)).toEqual([]);
    expect([error.code, error.constructPath, error.problems.length]).toEqual(['INVALID_ZONE', 'net', 2]);
  });

  test('the stack starts at the caller: no frame of the library', () => {
    let error!: ApimNetworkError;
    try {
      ApimServiceEndpoints.forLocation({ location: 'west-europe' });
    } catch (e) {
      error = e as ApimNetworkError;
    }
    const frames = error.stack!.split('\n').filter((line) => /^\s+at /.test(line));
    expect(error.stack!.startsWith(`ApimNetworkError: ${error.message}\n`)).toBe(true);
    expect(frames[0]).toContain(path.join('test', 'core', 'errors.test.ts'));
    expect(frames.filter((line) => line.includes(`${path.sep}lib${path.sep}`))).toEqual([]);
  });

  test('a construction error under ts-node prints the message once, with the user\'s line above it and as the first frame', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-error-'));
    const app = path.join(dir, 'main.ts');
    fs.writeFileSync(app, [
      `import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';`,
      `import { App, TerraformStack } from 'cdktf';`,
      `import { ApimVirtualNetworkType, MultiRegionApimNetwork } from ${JSON.stringify(path.resolve(__dirname, '..', '..', 'lib'))};`,
      `const stack = new TerraformStack(new App(), 'platform');`,
      `new AzurermProvider(stack, 'azurerm', { features: [{}] });`,
      `new MultiRegionApimNetwork(stack, 'network', { virtualNetworkType: ApimVirtualNetworkType.EXTERNAL, apiManagementName: 'contoso-apim',`,
      `  resourceGroupName: 'rg', regions: [{ location: 'westeurope', addressSpace: ['10.10.0.0/16'], subnetAddressPrefix: '10.10.1.0/30' }] });`,
    ].join('\n'));
    const root = path.resolve(__dirname, '..', '..');
    const run = childProcess.spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', app], {
      cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json'), NODE_PATH: path.join(root, 'node_modules') },
    });
    fs.rmSync(dir, { recursive: true, force: true });
    const lines = run.stderr.trim().split('\n');
    expect(run.status).not.toBe(0);
    expect(lines.filter((line) => line.includes('[SUBNET_TOO_SMALL] platform/network'))).toHaveLength(1);
    // ts-node shows the line of the first frame above the message: the user's call, not the library's throw.
    expect(lines[0]).toBe(`${app}:6`);
    expect(lines.find((line) => /^\s+at /.test(line))).toContain(app);
    expect(run.stderr).not.toMatch(/problems: \[/);
    expect(lines.length).toBeLessThanOrEqual(6);
  });
});
