/**
 * The only place the command calls the rule engine. It checks the documents of one input with the engine's own hooks:
 * NSGs that carry the inbound ApiManagement 3443 allow and that no APIM instance of the input uses are checked as
 * serving an APIM instance elsewhere, in the mode `--mode` gives (without it, a rule that depends on the mode reports
 * unknown, and its fix says to give `--mode`); the stacks of a cdktf app are handed to each other so cross-stack
 * references are followed, and an NSG one stack's APIM uses is not checked again as an orphan of its own stack;
 * findings carry the address, file and line the document's `"//"` metadata gives; the inventory (each subnet and NSG
 * once) says whether the input holds any APIM network.
 */
import { evaluateDocument } from '../checks/engine';
import { hasOwn } from '../core/objects';
import { TerraformModel } from '../checks/model';
import { Targets, buildTargets } from '../checks/targets';
import { AZAPI_FIX, MODULE_FIX } from '../checks/opaque';
import { ApimFinding, ApimOrphanNsgs, ApimRuleLevel } from '../checks/types';
import { CheckedDocument } from './inputs';
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

/** What the documents of one input gave. */
export interface DocumentResult {
  readonly findings: CliFinding[];
  readonly inventory: ApimInventory;
}

type Doc = Record<string, any>;

/** How to resolve an APIM-UNKNOWN finding from the command line. */
export const UNKNOWN_FIX = 'give the value (--var, --var-file, terraform.tfvars), or check the plan (terraform show -json), where Terraform has resolved it';

/** How to resolve an APIM-UNKNOWN that a module call this command cannot read gives (a remote source not installed). */
export const MODULE_NOT_READ_FIX = 'run terraform init, and this command reads the module; or check the plan (terraform show -json), which holds the module\'s resources';

/** The command line's fix for an APIM-UNKNOWN finding: the engine's, when it names a way out that is no value. */
function unknownFixOf(fix: string): string {
  return fix === MODULE_FIX ? MODULE_NOT_READ_FIX : fix === AZAPI_FIX ? fix : UNKNOWN_FIX;
}

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

/** How to resolve an unknown that only the mode of an APIM instance outside the input would decide. */
export const MODE_FIX = 'give the mode of the APIM instance that uses this NSG, which is not in the input: --mode external|internal (or, if the NSG is meant for an APIM subnet of the input, associate it with that subnet)';

/** A resource (or a finding's subject) across the documents of one input: the file its metadata names, and its address. */
function identity(r: { readonly file?: string; readonly address: string }): string {
  return `${r.file ?? ''}|${r.address}`;
}

/** One document, evaluated, with the targets the engine derived from it. */
interface Evaluated {
  readonly document: Doc;
  readonly resources: readonly WrittenResource[];
  readonly input: string;
  readonly targets: Targets;
  readonly findings: readonly ApimFinding[];
}

function evaluate(doc: CheckedDocument, options: AdapterOptions): Evaluated {
  // A stack of a cdktf.out is one of `stacks` itself: named, so the other stacks' references back to it read this model.
  const self = options.stacks && hasOwn(options.stacks, doc.name) ? doc.name : undefined;
  const evaluation = {
    strict: options.strict, orphanNsgs: ApimOrphanNsgs.SIGNATURE, orphanMode: options.mode, documents: options.stacks, self,
  };
  const result = evaluateDocument(doc.document, evaluation);
  // The same derivation the engine made, to know which NSGs it checked, and which of them as orphans.
  const targets = buildTargets(new TerraformModel(doc.document, { documents: options.stacks, self }), evaluation);
  return { document: doc.document, resources: doc.resources, input: doc.name, targets, findings: result.findings };
}

function cliFinding(f: ApimFinding, e: Evaluated, fix: string): CliFinding {
  // Messages may name other resources by their names in the document; show the addresses the user wrote.
  let message = f.message;
  for (const r of e.resources) {
    const json = `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.jsonName}`;
    if (json !== r.address && message.includes(json)) {
      message = message.split(json).join(r.address);
    }
  }
  return {
    ruleId: f.ruleId,
    detail: f.detail,
    level: f.level === ApimRuleLevel.ERROR ? 'error' : 'warning',
    address: f.address,
    message,
    fix,
    ...(f.file !== undefined ? { file: f.file } : {}),
    ...(f.line !== undefined ? { line: f.line } : {}),
    input: e.input,
  };
}

/**
 * Check the documents of one input (one root module or plan; every stack of a cdktf.out). An NSG that an APIM instance
 * of another stack uses is checked there, in that instance's mode: its own stack does not check it again as an orphan
 * (whose mode is not known). The same finding reached from two stacks (two instances on one subnet) is reported once;
 * the inventory counts each subnet and NSG once.
 */
export function checkInput(documents: readonly CheckedDocument[], options: AdapterOptions): DocumentResult {
  const evaluated = documents.map((d) => evaluate(d, options));
  const used = new Set(evaluated.flatMap((e) => e.targets.nsgs.filter((n) => !n.orphan).map((n) => identity(n.nsg))));
  const findings: CliFinding[] = [];
  const seen = new Set<string>();
  const subnets = new Set<string>();
  const nsgs = new Set<string>();
  let instances = 0;
  for (const e of evaluated) {
    const elsewhere = new Set<string>();
    const orphans = new Set<string>();
    for (const target of e.targets.nsgs.filter((n) => n.orphan)) {
      const rules = e.targets.rulesOf(target.nsg);
      const subjects = [target.nsg, ...rules.standalone, ...(target.subnet ? [target.subnet] : [])].map(identity);
      subjects.forEach((s) => (used.has(identity(target.nsg)) ? elsewhere : orphans).add(s));
    }
    for (const f of e.findings) {
      const subject = identity(f);
      if (elsewhere.has(subject)) {
        continue;
      }
      const modeOnly = f.ruleId === 'APIM-UNKNOWN' && options.mode === undefined && orphans.has(subject) && /\bmode\b.*\bnot known\b/i.test(f.message);
      // Suppressions live in cdktf code, not here: the way out of an unknown on the command line is a value or a plan.
      const finding = cliFinding(f, e, modeOnly ? MODE_FIX : f.ruleId === 'APIM-UNKNOWN' ? unknownFixOf(f.fix) : f.fix);
      const key = JSON.stringify([finding.ruleId, finding.detail, finding.level, finding.address, finding.file, finding.line, finding.message]);
      if (!seen.has(key)) {
        seen.add(key);
        findings.push(finding);
      }
    }
    instances += injectedInstances(e.document);
    e.targets.subnets.forEach((t) => subnets.add(identity(t.subnet)));
    e.targets.nsgs.forEach((t) => nsgs.add(identity(t.nsg)));
  }
  return { findings, inventory: { instances, subnets: subnets.size, nsgs: nsgs.size } };
}
