import { Testing } from 'cdktf';
import { ApimNetworkErrorCode, ApimServiceEndpoints } from '../../lib';
import { getTestStack, thrown } from '../support/stack';

describe('ApimServiceEndpoints', () => {
  test('creates no resource', () => {
    const stack = getTestStack();
    new ApimServiceEndpoints(stack, 'endpoints', { location: 'westeurope', forcedTunnelling: true });
    expect(JSON.parse(Testing.synth(stack)).resource).toBeUndefined();
    expect(Testing.synth(stack)).toMatchSnapshot();
  });

  test.each([
    [{ location: 'westeurope', forcedTunnelling: true }, ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Sql', 'Microsoft.Storage']],
    [{ location: 'North Europe', primaryLocation: 'westeurope', forcedTunnelling: true }, ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Storage']],
    [{ location: 'westeurope' }, []],
    [{ location: 'westeurope', additionalEndpoints: ['Microsoft.ServiceBus'] }, ['Microsoft.ServiceBus']],
  ])('%j gives %j', (props, expected) => {
    expect(new ApimServiceEndpoints(getTestStack(), 'e', props).endpoints).toEqual(expected);
  });

  test.each<[object, ApimNetworkErrorCode, RegExp]>([
    [{ additionalEndpoints: ['Microsoft.Storge'] }, ApimNetworkErrorCode.UNKNOWN_SERVICE_ENDPOINT, /additionalEndpoints\[0\] "Microsoft.Storge": it is not a service endpoint Azure knows; give one of Microsoft.AzureActiveDirectory/],
    [{ additionalEndpoints: ['microsoft.storage'] }, ApimNetworkErrorCode.UNKNOWN_SERVICE_ENDPOINT, /write it as "Microsoft.Storage"/],
    [{ additionalEndpoints: ['Microsoft.Web', 'Microsoft.Web'] }, ApimNetworkErrorCode.DUPLICATE_VALUE, /additionalEndpoints\[1\] "Microsoft.Web": it is listed twice/],
    [{ location: 'northeurope', primaryLocation: 'westeurope', forcedTunnelling: true, additionalEndpoints: ['Microsoft.Sql'] }, ApimNetworkErrorCode.CONFLICTING_PROPS, /Microsoft.Sql on a secondary location/],
    [{ additionalEndpoints: 'Microsoft.Web' }, ApimNetworkErrorCode.INVALID_TYPE, /additionalEndpoints "Microsoft.Web": it is a string, not a list/],
  ])('refuses %j', (props, code, message) => {
    const error = thrown(() => new ApimServiceEndpoints(getTestStack(), 'e', { location: 'westeurope', ...props } as any));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^\[[A-Z0-9_]+\] test\/e: /);
    expect(error.message).toMatch(message);
  });
});
