/**
 * The shape of the marker this library writes into a resource's `"//"` metadata (`"//": {"apim_network": {...}}`).
 * It is part of the contract between the constructs and the checks: the checks read it from any cdk.tf.json.
 */

/** Key of the marker inside `"//"`. */
export const MARKER_KEY = 'apim_network';

/** Marker of a resource built by this library. */
export interface NetworkMarker {
  /** Marker format version. */
  readonly version: 1;
  /** Which part of the APIM network the resource is. */
  readonly role: 'subnet' | 'public-ip';
  /** `External` or `Internal`. */
  readonly mode?: string;
  /** `Developer` or `Premium`. */
  readonly sku?: string;
  /** Scale units of the location. */
  readonly capacity?: number;
  /** Whether the APIM instance has more than one location. */
  readonly multi_region?: boolean;
  /** Normalised primary location of the APIM instance. */
  readonly primary_location?: string;
  /** Normalised location of the resource (an `azurerm_subnet` has no location of its own). Since 0.2.0. */
  readonly location?: string;
  /**
   * Address space of the subnet's virtual network, when that network is not in the stack (`existingAddressSpace` of a
   * region, `virtualNetworkAddressSpace` of `ApimSubnet`): what the user's IPAM says it is. Since 0.2.0.
   */
  readonly virtual_network_address_space?: string[];
}
