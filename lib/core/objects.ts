/**
 * Reading and writing keys that come from data (Terraform JSON attribute names, block types, construct ids) as own
 * properties only. A JSON key may be `__proto__`, `constructor` or `toString`: assigning `out[key]` with `__proto__`
 * sets the object's prototype instead of adding a key, and `key in obj` or `obj[key]` finds what Object's prototype
 * holds for a key the data never set.
 */

/** Set `key` on `target` as an own, enumerable property, whatever its name (`__proto__` included). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Whether `target` has `key` as its own property (never an inherited one). */
export function hasOwn(target: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(target, key);
}
