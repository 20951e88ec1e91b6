/**
 * The only place the command calls the rule engine. It checks one document, maps each finding back to the resource
 * the user wrote (its address, file and line), counts the APIM networks found (none at all is exit code 2), and
 * handles APIM instances that live elsewhere: an NSG that carries the inbound ApiManagement 3443 allow on a subnet no
 * APIM of the input uses is checked as serving APIM in the mode `--mode` gives; without `--mode`, a rule whose outcome
 * depends on the mode is reported unknown.
 *
 * Until the engine takes these hooks itself, the adapter does it over today's `evaluateDocument`: it marks such a
 * subnet with the marker this library's constructs write (so the engine checks its NSG), evaluates once per mode
 * when none is given, and keeps what both modes agree on.
 */
import { evaluateDocument } from '../checks/engine';
import { ruleInfo } from '../checks/catalog';
import { ApimFinding, ApimRuleLevel } from '../checks/types';
import { MARKER_KEY } from '../core/marker';
import { WrittenResource } from './terraform/document';

/** A finding as the command reports it. */
export interface CliFinding {
  readonly ruleId: string;
  readonly detail?: string;
  readonly level: 'error' | 'warning';
  /** Terraform address as written in the configuration (`module.net.azurerm_subnet.apim`). */
  readonly address: string;
  readonly message: string;
  readonly fix: string;
  /** The file that declares the resource, relative to the working directory. */
  readonly file?: string;
  /** Its line, when known (a plan has no lines). */
  readonly line?: number;
  /** The input (root module, stack or plan) it was found in. */
  readonly input: string;
}

/** Options of a check. */
export interface AdapterOptions {
  readonly mode?: 'External' | 'Internal';
  readonly strict: boolean;
  /** Turn an absolute path into what reports show (relative to the working directory). */
  readonly display: (file: string) => string;
}

/** What one document gave. */
export interface DocumentResult {
  readonly findings: CliFinding[];
  /** APIM networks found: APIM instances injected into a virtual network, and subnets serving an APIM instance that is not in the document. */
  readonly apimNetworks: number;
  /** NSGs with the ApiManagement 3443 allow that no subnet of the input uses (not checked). */
  readonly unattachedApimNsgs: string[];
}

type Doc = Record<string, any>;

/** How to resolve an APIM-UNKNOWN finding from the command line. */
export const UNKNOWN_FIX = 'give the value (--var, --var-file, terraform.tfvars), or check the plan (terraform show -json), where Terraform has resolved it';

function asList(value: unknown): Record<string, any>[] {
  if (Array.isArray(value)) {
    return value.filter((v) => v !== null && typeof v === 'object');
  }
  return value !== null && typeof value === 'object' ? [value as Record<string, any>] : [];
}

function resourcesOf(doc: Doc, type: string): Array<[string, Record<string, any>]> {
  return Object.entries<Record<string, any>>(doc.resource?.[type] ?? {});
}

/** `${type.name.attr}` -> `type.name` */
function referenced(value: unknown, type: string): string | undefined {
  const match = typeof value === 'string' ? /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[A-Za-z_]/.exec(value) : null;
  return match && match[1] === type ? match[2] : undefined;
}

function portsCover(rule: Record<string, any>, port: number): boolean {
  const ranges = [rule.destination_port_range, ...asArray(rule.destination_port_ranges)].filter((r) => r !== undefined && r !== null && r !== '');
  return ranges.some((r) => {
    const text = String(r).trim();
    if (text === '*') {
      return true;
    }
    const [low, high] = text.split('-').map(Number);
    return low === port || (high !== undefined && low <= port && port <= high);
  });
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Whether a rule is the inbound ApiManagement 3443 allow. */
function isManagementAllow(rule: Record<string, any>): boolean {
  const sources = [rule.source_address_prefix, ...asArray(rule.source_address_prefixes)].map((s) => String(s ?? '').toLowerCase());
  return String(rule.direction ?? '').toLowerCase() === 'inbound' && String(rule.access ?? '').toLowerCase() === 'allow'
    && sources.some((s) => s === 'apimanagement' || s.startsWith('apimanagement.')) && portsCover(rule, 3443);
}

/** NSG names (in the document) that carry the management allow, inline or as standalone rules. */
function managementNsgs(doc: Doc): Set<string> {
  const out = new Set<string>();
  for (const [name, nsg] of resourcesOf(doc, 'azurerm_network_security_group')) {
    if (asList(nsg.security_rule).some(isManagementAllow)) {
      out.add(name);
    }
  }
  const byNsgName = new Map(resourcesOf(doc, 'azurerm_network_security_group').map(([n, c]) => [String(c.name).toLowerCase(), n]));
  for (const [, rule] of resourcesOf(doc, 'azurerm_network_security_rule')) {
    if (!isManagementAllow(rule)) {
      continue;
    }
    const target = referenced(rule.network_security_group_name, 'azurerm_network_security_group')
      ?? byNsgName.get(String(rule.network_security_group_name).toLowerCase());
    if (target) {
      out.add(target);
    }
  }
  return out;
}

/** Subnets (document names) an injected APIM of the document uses. */
function apimSubnets(doc: Doc): { subnets: Set<string>; injected: number } {
  const subnets = new Set<string>();
  let injected = 0;
  for (const [, apim] of resourcesOf(doc, 'azurerm_api_management')) {
    const mode = String(apim.virtual_network_type ?? 'None');
    if (mode.toLowerCase() === 'none') {
      continue;
    }
    injected++;
    for (const location of [apim, ...asList(apim.additional_location)]) {
      for (const config of asList(location.virtual_network_configuration)) {
        const subnet = referenced(config.subnet_id, 'azurerm_subnet');
        if (subnet) {
          subnets.add(subnet);
        }
      }
    }
  }
  return { subnets, injected };
}

/** Mark the subnets whose NSG serves an APIM managed elsewhere; returns the document to evaluate and what it found. */
function markExternalSubnets(doc: Doc, mode: 'External' | 'Internal'): { doc: Doc; marked: number; unattached: string[] } {
  const nsgs = managementNsgs(doc);
  const used = apimSubnets(doc).subnets;
  const copy: Doc = JSON.parse(JSON.stringify(doc));
  const attached = new Set<string>();
  let marked = 0;
  for (const [, association] of resourcesOf(copy, 'azurerm_subnet_network_security_group_association')) {
    const nsg = referenced(association.network_security_group_id, 'azurerm_network_security_group');
    const subnet = referenced(association.subnet_id, 'azurerm_subnet');
    if (!nsg || !subnet || !nsgs.has(nsg)) {
      continue;
    }
    attached.add(nsg);
    const config = copy.resource?.azurerm_subnet?.[subnet];
    if (!config || used.has(subnet) || config['//']?.[MARKER_KEY]) {
      continue;
    }
    config['//'] = { ...(config['//'] ?? {}), [MARKER_KEY]: { version: 1, role: 'subnet', mode } };
    marked++;
  }
  const unattached = [...nsgs].filter((n) => !attached.has(n));
  return { doc: copy, marked, unattached };
}

/** Subnets this library built for an APIM instance that is not in the document. */
function libraryNetworks(doc: Doc, used: ReadonlySet<string>): number {
  return resourcesOf(doc, 'azurerm_subnet').filter(([name, c]) => c['//']?.[MARKER_KEY]?.role === 'subnet' && !used.has(name)).length;
}

function keyOf(f: ApimFinding): string {
  return `${f.ruleId}|${f.detail ?? ''}|${f.address}|${f.message}`;
}

/** Check one document. */
export function checkDocument(doc: Doc, resources: readonly WrittenResource[], input: string, options: AdapterOptions): DocumentResult {
  const byJsonAddress = new Map(resources.map((r) => [`${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.jsonName}`, r]));
  const { injected, subnets } = apimSubnets(doc);
  const library = libraryNetworks(doc, subnets);
  let findings: ApimFinding[];
  let marked: number;
  let unattached: string[];
  if (options.mode) {
    const prepared = markExternalSubnets(doc, options.mode);
    ({ marked, unattached } = prepared);
    findings = evaluateDocument(prepared.doc, { strict: options.strict }).findings;
  } else {
    const external = markExternalSubnets(doc, 'External');
    ({ marked, unattached } = external);
    const first = evaluateDocument(external.doc, { strict: options.strict }).findings;
    findings = marked === 0 ? first : agreeOnModes(first, evaluateDocument(markExternalSubnets(doc, 'Internal').doc, { strict: options.strict }).findings, options.strict);
  }
  return {
    findings: findings.map((f) => toCliFinding(f, byJsonAddress, input, options.display)),
    apimNetworks: injected + library + marked,
    unattachedApimNsgs: unattached.map((n) => byJsonAddress.get(`azurerm_network_security_group.${n}`)?.address ?? `azurerm_network_security_group.${n}`),
  };
}

/**
 * Findings of the two modes: what both report stands; a rule that fails in one mode only depends on the mode, and is
 * reported unknown once per rule and resource.
 */
function agreeOnModes(external: ApimFinding[], internal: ApimFinding[], strict: boolean): ApimFinding[] {
  const inInternal = new Set(internal.map(keyOf));
  const inExternal = new Set(external.map(keyOf));
  const out = external.filter((f) => inInternal.has(keyOf(f)));
  const seen = new Set<string>();
  for (const f of [...external.filter((x) => !inInternal.has(keyOf(x))), ...internal.filter((x) => !inExternal.has(keyOf(x)))]) {
    const rule = f.ruleId === 'APIM-UNKNOWN' && f.detail ? f.detail : f.ruleId;
    const key = `${rule}|${f.address}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    const info = ruleInfo('APIM-UNKNOWN');
    const message = `${rule} cannot decide: its outcome depends on the APIM mode, and no APIM instance in the input uses this subnet (pass --mode external or --mode internal)`;
    out.push({
      ruleId: 'APIM-UNKNOWN', detail: rule, level: strict ? ApimRuleLevel.ERROR : info.level, address: f.address, constructPath: f.constructPath,
      message, fix: info.fix, text: `[APIM-UNKNOWN[${rule}]] ${f.address}: ${message}. Fix: ${info.fix}`,
    });
  }
  return out;
}

function toCliFinding(f: ApimFinding, resources: ReadonlyMap<string, WrittenResource>, input: string, display: (file: string) => string): CliFinding {
  const written = resources.get(f.address);
  const address = written?.address ?? f.address;
  // Messages name resources by their document names; show the addresses the user wrote.
  let message = f.message;
  for (const [jsonAddress, r] of resources) {
    if (jsonAddress !== r.address && message.includes(jsonAddress)) {
      message = message.split(jsonAddress).join(r.address);
    }
  }
  // Suppressions live in cdktf code, not here: the way out of an unknown on the command line is a value or a plan.
  const fix = f.ruleId === 'APIM-UNKNOWN' ? UNKNOWN_FIX : f.fix;
  return {
    ruleId: f.ruleId, detail: f.detail, level: f.level === ApimRuleLevel.ERROR ? 'error' : 'warning', address, message, fix,
    file: written ? display(written.file) : undefined, line: written && written.line > 0 ? written.line : undefined, input,
  };
}
