/**
 * The marker this library's constructs leave in their resources' `"//"` metadata, so the checks (which read only
 * Terraform JSON) know a resource was built for API Management, and with which props, even when the
 * `azurerm_api_management` lives in another repository. Terraform ignores `"//"` keys.
 */
import { TerraformResource } from 'cdktf';
import { MARKER_KEY, NetworkMarker } from '../../core/marker';

/**
 * Add the marker to a resource's `"//"` metadata, through cdktf's public escape hatch (`addOverride`): cdktf merges
 * the override into the resource's JSON beside its own `"//".metadata`.
 */
export function mark(resource: TerraformResource, marker: () => NetworkMarker): void {
  resource.addOverride(`//.${MARKER_KEY}`, marker());
}
