'use strict';
// npm run bench:nsg [-- --runs 5]
//
// How the checks scale with IP block lists (Azure takes up to 4,000 prefixes per rule): one compliant External APIM
// network as raw Terraform JSON, plus rules with random public prefixes, evaluated with ApimNetworkRules.evaluate
// (built code, dist/). Two shapes:
//   deny-after:  deny rules after the documented allows (what the outside review measured: 1 x 4,000 took 64 s)
//   mixed-ahead: allows and denies in both directions, on various ports, ahead of the documented allows (every rule
//                decides part of some flow: the hard case)
// Prints the median time of each case (ms) and the process's peak RSS. Not a test: machines differ.
const path = require('path');
const fs = require('fs');

const { median, option } = require('./options');

const runs = Math.max(1, Number(option('runs', '5')));
const root = path.join(__dirname, '..');
if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) {
  throw new Error('dist/ is missing: run `npm run build` first (npm run bench:nsg does)');
}
const { ApimNetworkRules } = require('..');

/** A deterministic random generator (the same prefixes on every machine). */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PRIVATE_OR_SPECIAL_FIRST_OCTETS = new Set([0, 10, 100, 127, 169, 172, 192]);

function publicPrefix(next) {
  for (;;) {
    const first = 1 + Math.floor(next() * 222);
    if (PRIVATE_OR_SPECIAL_FIRST_OCTETS.has(first)) {
      continue;
    }
    const length = 12 + Math.floor(next() * 21);
    const address = first * 2 ** 24 + Math.floor(next() * 2 ** 24);
    const size = 2 ** (32 - length);
    const network = Math.floor(address / size) * size;
    return `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.')}/${length}`;
  }
}

function rule(name, priority, direction, access, source, destination, port, extra = {}) {
  return {
    name, priority, direction, access, protocol: 'Tcp', source_port_range: '*', source_address_prefix: source,
    destination_address_prefix: destination, destination_port_range: port, ...extra,
  };
}

/** The allows an External single-region instance requires, from the library's own catalog (dist/). */
const DOCUMENTED = require('../dist/core/nsg-catalog').requiredRules('External', false)
  .flatMap((row, i) => row.ports.map((port, j) => [`${row.id}-${port}`, 100 + 10 * i + j, row.direction, row.source, row.destination, port]));

function document(rules, prefixes, shape) {
  const next = random(rules * 100003 + prefixes);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const offset = shape === 'mixed-ahead' ? 3900 : 0;
  const documented = DOCUMENTED.map(([name, priority, direction, source, destination, port]) =>
    rule(name, priority + offset, direction, 'Allow', source, destination, port));
  const extra = Array.from({ length: rules }, (_, i) => {
    const list = Array.from({ length: prefixes }, () => publicPrefix(next));
    const direction = shape === 'mixed-ahead' ? pick(['Inbound', 'Outbound']) : i % 2 ? 'Inbound' : 'Outbound';
    const access = shape === 'mixed-ahead' ? pick(['Allow', 'Deny']) : 'Deny';
    const port = shape === 'mixed-ahead' ? pick(['*', '443', '80', '1433', '3443', '1000-5000']) : '*';
    const priority = shape === 'mixed-ahead' ? 100 + i : 200 + i;
    const ends = direction === 'Inbound'
      ? { source_address_prefix: undefined, source_address_prefixes: list, destination_address_prefix: shape === 'mixed-ahead' ? pick(['*', 'VirtualNetwork', '10.0.1.0/27']) : '*' }
      : { destination_address_prefix: undefined, destination_address_prefixes: list, source_address_prefix: shape === 'mixed-ahead' ? pick(['*', 'VirtualNetwork']) : '*' };
    return rule(`r${i}`, priority, direction, access, '*', '*', port, { protocol: shape === 'mixed-ahead' ? pick(['*', 'Tcp']) : '*', ...ends });
  });
  return {
    provider: { azurerm: [{ features: {} }] },
    resource: {
      azurerm_virtual_network: { vnet: { name: 'vnet', location: 'westeurope', resource_group_name: 'rg', address_space: ['10.0.0.0/16'] } },
      azurerm_subnet: { apim: { name: 'snet', resource_group_name: 'rg', virtual_network_name: '${azurerm_virtual_network.vnet.name}', address_prefixes: ['10.0.1.0/27'] } },
      azurerm_network_security_group: { nsg: { name: 'nsg', location: 'westeurope', resource_group_name: 'rg', security_rule: [...documented, ...extra] } },
      azurerm_subnet_network_security_group_association: { apim: { subnet_id: '${azurerm_subnet.apim.id}', network_security_group_id: '${azurerm_network_security_group.nsg.id}' } },
      azurerm_public_ip: { apim: { name: 'pip', location: 'westeurope', resource_group_name: 'rg', sku: 'Standard', allocation_method: 'Static', domain_name_label: 'contoso' } },
      azurerm_api_management: {
        apim: {
          name: 'contoso', location: 'westeurope', resource_group_name: 'rg', publisher_name: 'C', publisher_email: 'a@contoso.example', sku_name: 'Premium_1',
          virtual_network_type: 'External', virtual_network_configuration: { subnet_id: '${azurerm_subnet.apim.id}' }, public_ip_address_id: '${azurerm_public_ip.apim.id}',
        },
      },
    },
  };
}

const CASES = [
  ['deny-after', 1, 1000], ['deny-after', 1, 4000], ['deny-after', 50, 100], ['deny-after', 400, 10],
  ['mixed-ahead', 1, 4000], ['mixed-ahead', 50, 100], ['mixed-ahead', 400, 10], ['mixed-ahead', 1000, 4],
];

console.log(`NSG evaluation with IP block lists: ${runs} runs per case, medians; node ${process.version}\n`);
console.log('| shape | rules x prefixes | evaluate ms | findings |');
console.log('|---|---|---|---|');
for (const [shape, rules, prefixes] of CASES) {
  const doc = document(rules, prefixes, shape);
  const times = [];
  let findings = 0;
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint();
    findings = ApimNetworkRules.evaluate(doc).findings.length;
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  console.log(`| ${shape} | ${rules} x ${prefixes} | ${median(times).toFixed(0)} | ${findings} |`);
}
console.log(`\npeak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
