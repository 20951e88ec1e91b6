/**
 * The only place the command calls the rule engine. It checks one document with the engine's own hooks: NSGs that
 * carry the inbound ApiManagement 3443 allow and that no APIM instance of the input uses are checked as serving an APIM
 * instance elsewhere, in the mode `--mode` gives (without it, a rule that depends on the mode reports unknown); the
 * other stacks of a cdktf app are handed over so cross-stack references are followed; findings carry the address,
 * file and line the document's `"//"` metadata gives; the inventory says whether the input holds any APIM network.
 */
import { evaluateDocument } from '../checks/engine';
import { ApimOrphanNsgs, ApimRuleLevel } from '../checks/types';
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
  /** The other documents of the same cdktf app, by stack name (cross-stack references are followed into them). */
  readonly stacks?: Readonly<Record<string, unknown>>;
}

/** What the input holds that the rules check. */
export interface ApimInventory {
  /** `azurerm_api_management` instances injected into a virtual network (External, Internal, or a mode not known). */
  readonly instances: number;
  /** Subnets of injected APIM locations, and subnets this library built for APIM. */
  readonly subnets: number;
  /** NSGs checked as APIM NSGs (those of APIM subnets, and those with the ApiManagement 3443 allow). */
  readonly nsgs: number;
}

/** What one document gave. */
export interface DocumentResult {
  readonly findings: CliFinding[];
  readonly inventory: ApimInventory;
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

/**
 * APIM instances injected into a virtual network. A subnet the engine cannot read (a data source) still makes the
 * instance an APIM network, so the count does not depend on it.
 */
function injectedInstances(doc: Doc): number {
  return Object.values<any>(doc.resource?.azurerm_api_management ?? {})
    .flatMap((body) => asList(body))
    .filter((apim) => String(apim.virtual_network_type ?? 'None').toLowerCase() !== 'none').length;
}

/** Check one document. */
export function checkDocument(doc: Doc, resources: readonly WrittenResource[], input: string, options: AdapterOptions): DocumentResult {
  const result = evaluateDocument(doc, {
    strict: options.strict,
    orphanNsgs: ApimOrphanNsgs.SIGNATURE,
    orphanMode: options.mode,
    documents: options.stacks,
  });
  // Messages may name other resources by their names in the document; show the addresses the user wrote.
  const renamed = resources
    .map((r) => [`${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.jsonName}`, r.address] as const)
    .filter(([json, address]) => json !== address);
  const findings = result.findings.map((f): CliFinding => {
    let message = f.message;
    for (const [json, address] of renamed) {
      if (message.includes(json)) {
        message = message.split(json).join(address);
      }
    }
    return {
      ruleId: f.ruleId,
      detail: f.detail,
      level: f.level === ApimRuleLevel.ERROR ? 'error' : 'warning',
      address: f.address,
      message,
      // Suppressions live in cdktf code, not here: the way out of an unknown on the command line is a value or a plan.
      fix: f.ruleId === 'APIM-UNKNOWN' ? UNKNOWN_FIX : f.fix,
      ...(f.file !== undefined ? { file: f.file } : {}),
      ...(f.line !== undefined ? { line: f.line } : {}),
      input,
    };
  });
  const inventory = result.inventory;
  return {
    findings,
    inventory: { instances: injectedInstances(doc), subnets: inventory?.apimSubnets ?? 0, nsgs: inventory?.networkSecurityGroups ?? 0 },
  };
}
