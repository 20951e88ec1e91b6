/**
 * `azurerm_api_management.sku_name`: `<tier>_<capacity>`, e.g. `Premium_3` or `Developer_1`.
 */

/** The parts of a SKU name, or undefined when the text is not `<tier>_<capacity>`. */
export function parseSkuName(skuName: string): { readonly tier: string; readonly capacity: number } | undefined {
  const match = /^([A-Za-z0-9]+)_(\d+)$/.exec(skuName);
  return match ? { tier: match[1], capacity: Number(match[2]) } : undefined;
}
