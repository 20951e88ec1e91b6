/**
 * Subnet sizing for classic-tier API Management (facts section 2, source S2).
 *
 *   usable(prefix)             = 2^(32 - prefix) - 5        (Azure reserves 5 addresses in every subnet)
 *   required(sku, units, mode) = (Developer ? 1 : 2 * units) + (Internal ? 1 : 0)
 *   valid                     <=> prefix <= 29 and required <= usable
 */
import { blockSize } from './cidr';
import { ApimSku, ApimVirtualNetworkType } from './types';

/** Addresses Azure keeps in every subnet: network, broadcast and three for its own services. */
export const AZURE_RESERVED_ADDRESSES = 5;
/** The longest prefix APIM accepts for its subnet. */
export const LONGEST_SUBNET_PREFIX = 29;
/** Premium scale units per location that the sizing note of S2 covers. */
export const MAX_PREMIUM_CAPACITY = 31;
/** The Developer tier has exactly one unit. */
export const DEVELOPER_CAPACITY = 1;

/** Addresses of a subnet that API Management can use. */
export function usableAddresses(prefixLength: number): number {
  return Math.max(0, blockSize(prefixLength) - AZURE_RESERVED_ADDRESSES);
}

/** Addresses API Management takes in one location's subnet. */
export function requiredAddresses(sku: ApimSku, capacity: number, mode: ApimVirtualNetworkType): number {
  const units = sku === ApimSku.DEVELOPER ? 1 : 2 * capacity;
  return units + (mode === ApimVirtualNetworkType.INTERNAL ? 1 : 0);
}

/** The longest prefix (smallest subnet) that holds the addresses for this SKU, capacity and mode. */
export function smallestPrefixFor(sku: ApimSku, capacity: number, mode: ApimVirtualNetworkType): number {
  const needed = requiredAddresses(sku, capacity, mode);
  let prefix = LONGEST_SUBNET_PREFIX;
  while (prefix > 0 && usableAddresses(prefix) < needed) {
    prefix -= 1;
  }
  return prefix;
}

/** The largest capacity a subnet of this prefix length holds for this SKU and mode (0 when none fits). */
export function maxCapacityFor(prefixLength: number, sku: ApimSku, mode: ApimVirtualNetworkType): number {
  if (prefixLength > LONGEST_SUBNET_PREFIX) {
    return 0;
  }
  const free = usableAddresses(prefixLength) - (mode === ApimVirtualNetworkType.INTERNAL ? 1 : 0);
  if (sku === ApimSku.DEVELOPER) {
    return free >= 1 ? DEVELOPER_CAPACITY : 0;
  }
  return Math.max(0, Math.floor(free / 2));
}

/** Whether a subnet of this prefix length is valid for the SKU, capacity and mode (the sizing tests' oracle). */
export function subnetFits(prefixLength: number, sku: ApimSku, capacity: number, mode: ApimVirtualNetworkType): boolean {
  return prefixLength <= LONGEST_SUBNET_PREFIX && requiredAddresses(sku, capacity, mode) <= usableAddresses(prefixLength);
}

/** The capacities a SKU accepts, as [min, max] (the sizing tests' oracle). */
export function capacityRange(sku: ApimSku): [number, number] {
  return sku === ApimSku.DEVELOPER ? [DEVELOPER_CAPACITY, DEVELOPER_CAPACITY] : [1, MAX_PREMIUM_CAPACITY];
}
