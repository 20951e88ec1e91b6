/** The attributes that decide a resource's identity in Azure: changing one replaces the resource (or breaks DNS). */
const IDENTITY: Record<string, string[]> = {
  azurerm_virtual_network: ['name', 'location', 'resource_group_name', 'address_space'],
  azurerm_subnet: ['name', 'resource_group_name', 'virtual_network_name', 'address_prefixes'],
  azurerm_network_security_group: ['name', 'location', 'resource_group_name'],
  azurerm_subnet_network_security_group_association: ['subnet_id', 'network_security_group_id'],
  azurerm_public_ip: ['name', 'location', 'resource_group_name', 'domain_name_label', 'zones', 'sku', 'allocation_method'],
  azurerm_api_management: ['name', 'location', 'virtual_network_type', 'virtual_network_configuration', 'public_ip_address_id', 'zones', 'additional_location'],
  azurerm_resource_group: ['name', 'location'],
  azurerm_route_table: ['name', 'location', 'resource_group_name'],
  azurerm_subnet_route_table_association: ['subnet_id', 'route_table_id'],
  azurerm_private_dns_zone: ['name', 'resource_group_name'],
  azurerm_private_dns_a_record: ['name', 'zone_name', 'resource_group_name'],
  azurerm_private_dns_zone_virtual_network_link: ['name', 'private_dns_zone_name', 'virtual_network_id'],
};

/** Address -> identity attributes of every resource and output of a synthesized document. */
export function identityOf(doc: any): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [type, byName] of Object.entries<Record<string, any>>(doc.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) {
      const fields = IDENTITY[type] ?? ['name'];
      out[`${type}.${name}`] = Object.fromEntries(fields.filter((f) => config[f] !== undefined).map((f) => [f, config[f]]));
    }
  }
  for (const [name, output] of Object.entries<any>(doc.output ?? {})) {
    out[`output.${name}`] = { value: output.value };
  }
  return out;
}
