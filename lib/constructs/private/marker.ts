/**
 * The marker this library's constructs leave in their resources' `"//"` metadata, so the checks (which read only
 * Terraform JSON) know a resource was built for API Management, and with which props, even when the
 * `azurerm_api_management` lives in another repository. Terraform ignores `"//"` keys.
 */
import { TerraformResource } from 'cdktf';
import { MARKER_KEY, NetworkMarker } from '../../core/marker';

/**
 * Add the marker to a resource's `"//"` metadata. An own getter on the instance (rather than a subclass of each
 * provider class) keeps the construction call stack shallow: cdktf captures a full stack trace for every token a
 * resource creates, and its cost grows with the depth.
 */
export function mark(resource: TerraformResource, marker: () => NetworkMarker): void {
  let prototypeGetter: (() => unknown) | undefined;
  for (let proto = Object.getPrototypeOf(resource); proto && !prototypeGetter; proto = Object.getPrototypeOf(proto)) {
    prototypeGetter = Object.getOwnPropertyDescriptor(proto, 'constructNodeMetadata')?.get;
  }
  Object.defineProperty(resource, 'constructNodeMetadata', {
    configurable: true,
    get: () => ({ ...(prototypeGetter?.call(resource) as Record<string, unknown>), [MARKER_KEY]: marker() }),
  });
}
