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
  /** Normalised location of the subnet (its virtual network's), for checks when the virtual network is elsewhere. */
  readonly location?: string;
}
