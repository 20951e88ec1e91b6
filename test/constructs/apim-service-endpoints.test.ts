import { ApimNetworkErrorCode, ApimServiceEndpoints } from '../../lib';
import { thrown } from '../support/stack';

describe('ApimServiceEndpoints', () => {
  test.each([
    [{ location: 'westeurope', forcedTunnelling: true }, ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Sql', 'Microsoft.Storage']],
    [{ location: 'North Europe', primaryLocation: 'westeurope', forcedTunnelling: true }, ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Storage']],
    [{ location: 'westeurope' }, []],
    [{ location: 'westeurope', additionalEndpoints: ['Microsoft.ServiceBus'] }, ['Microsoft.ServiceBus']],
    // Allowed since 0.2.0: the docs require Sql in the primary only, they do not forbid it elsewhere (the checks warn).
    [{ location: 'northeurope', primaryLocation: 'westeurope', forcedTunnelling: true, additionalEndpoints: ['Microsoft.Sql'] },
      ['Microsoft.EventHub', 'Microsoft.KeyVault', 'Microsoft.Sql', 'Microsoft.Storage']],
  ])('%j gives %j', (props, expected) => {
    const endpoints = ApimServiceEndpoints.forLocation(props);
    expect(endpoints.endpoints).toEqual(expected);
    expect(endpoints.location).toBe(props.location.replace(' ', '').toLowerCase());
  });

  test.each<[object, ApimNetworkErrorCode, RegExp]>([
    [{ additionalEndpoints: ['Microsoft.Storge'] }, ApimNetworkErrorCode.UNKNOWN_SERVICE_ENDPOINT, /additionalEndpoints\[0\] "Microsoft.Storge": it is not a service endpoint Azure knows; give one of Microsoft.AzureActiveDirectory/],
    [{ additionalEndpoints: ['microsoft.storage'] }, ApimNetworkErrorCode.UNKNOWN_SERVICE_ENDPOINT, /write it as "Microsoft.Storage"/],
    [{ additionalEndpoints: ['Microsoft.Web', 'Microsoft.Web'] }, ApimNetworkErrorCode.DUPLICATE_VALUE, /additionalEndpoints\[1\] "Microsoft.Web": it is listed twice/],
    [{ additionalEndpoints: 'Microsoft.Web' }, ApimNetworkErrorCode.INVALID_TYPE, /additionalEndpoints "Microsoft.Web": it is a string, not a list/],
    [{ location: 'west-europe' }, ApimNetworkErrorCode.INVALID_LOCATION, /location "west-europe": it is not an Azure location name/],
  ])('refuses %j', (props, code, message) => {
    const error = thrown(() => ApimServiceEndpoints.forLocation({ location: 'westeurope', ...props } as any));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/^\[[A-Z0-9_]+\] ApimServiceEndpoints\.forLocation: /);
    expect(error.message).toMatch(message);
  });

  test('refuses no props at all', () => {
    expect(thrown(() => ApimServiceEndpoints.forLocation(undefined as any)).code).toBe(ApimNetworkErrorCode.MISSING_PROP);
  });
});
