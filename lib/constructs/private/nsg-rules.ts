/**
 * The rules of an APIM NSG as the construct keeps them (the catalog's rendered rules plus the user's), the checks of a
 * user rule's fields, and the judgement of a user rule against the NSG: a deny that would block a flow APIM needs or
 * every client the NSG lets in, an allow that would expose the subnet. The judgement uses the evaluator and the flows
 * the checks use (lib/core/nsg-evaluate.ts, lib/core/nsg-exposure.ts), so what the construct accepts the checks accept.
 */
import { NetworkSecurityGroupSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-group';
import { addressTerm } from '../../core/address-set';
import { azureNameProblem, azureNameRule } from '../../core/azure-names';
import { Ipv4Cidr } from '../../core/cidr';
import { ApimNetworkErrorCode } from '../../core/errors';
import { IntervalSet } from '../../core/interval-set';
import { CatalogRule, LIBRARY_PRIORITY_BAND, PRIORITY_RANGE, RenderedRule } from '../../core/nsg-catalog';
import {
  CONNECTION_SOURCE_PORTS, EvaluationContext, FlowResult, NsgEvaluator, NsgFlow, PlatformSelection, RuleView, classifyRule, evaluateFlow, flowsOf, subnetEnd,
} from '../../core/nsg-evaluate';
import { exposingRules, exposureFlows, publicIpv6Allows } from '../../core/nsg-exposure';
import { ApimVirtualNetworkType, NsgAccess, NsgDirection, NsgProtocol } from '../../core/types';
import { RULE_NEED, checkPort, checkPortList, checkRulePrefix, checkRulePrefixList } from './prefix-props';
import { PropChecker, isReference } from './props';
import { NSG_RULE_OPTIONS } from './structs';

/** A rule of the NSG: one the catalog rendered, or one of the user's. Field names are the provider's (camelCase). */
export interface NsgRule extends Omit<RenderedRule, 'catalogId' | 'sourceAddressPrefix' | 'destinationAddressPrefix' | 'sourcePortRange' | 'description'> {
  /** Who wrote the rule. */
  readonly origin: 'library' | 'user';
  readonly sourcePortRange?: string;
  readonly sourceAddressPrefix?: string;
  readonly sourceAddressPrefixes?: string[];
  readonly destinationAddressPrefix?: string;
  readonly destinationAddressPrefixes?: string[];
  readonly description?: string;
}

/** What a user rule is checked against. */
export interface NsgRuleContext {
  /** The rules already in the NSG (library rules and user rules accepted so far). */
  readonly rules: readonly NsgRule[];
}

/** Which flows an NSG serves: what a user deny must not block, and what a user allow must not expose. */
export interface NsgFlowContext {
  /** The required flows, as the checks select them. */
  readonly selection: PlatformSelection;
  /** The catalog rows the NSG renders (the optional ones the user switched on must not be blocked either). */
  readonly catalogRows: readonly CatalogRule[];
  readonly evaluation: EvaluationContext;
  /** The sources of the client allows (`clientAddressPrefixes`, `['Internet']` by default). */
  readonly clientSources: readonly string[];
  /** The APIM subnet's prefix, when known (the networks know it; an NSG built on its own does not). */
  readonly subnet?: readonly Ipv4Cidr[];
  /** Addresses surely inside VirtualNetwork: the virtual network's address space, when known. */
  readonly virtualNetworkSpace?: IntervalSet;
}

/** The priorities a user rule may take, in words. */
export const USER_PRIORITY_BANDS = `${PRIORITY_RANGE[0]}-${LIBRARY_PRIORITY_BAND[0] - 1} or ${LIBRARY_PRIORITY_BAND[1] + 1}-${PRIORITY_RANGE[1]}`;

/**
 * Check the fields of one user rule; `prop` is how the user named it (`rules[0]`, `networkSecurityGroup.rules[2]`,
 * `addRule(allow-backends)`). Returns the rule when every field is valid and its name and priority fit beside
 * `context.rules`. Whether it blocks or exposes a flow is `judgeRule`'s.
 */
export function checkUserRule(check: PropChecker, prop: string, input: unknown, context: NsgRuleContext): NsgRule | undefined {
  const before = check.problems.length;
  const rule = check.struct(prop, input, NSG_RULE_OPTIONS, true);
  if (!rule) {
    return undefined;
  }
  const name = check.string(`${prop}.name`, rule.name, { required: true, need: 'rule names are checked at synth time against Azure\'s rules and the NSG\'s other rules' });
  if (name !== undefined) {
    const problem = azureNameProblem('security rule', name);
    if (problem) {
      check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, `${prop}.name`, name, `it is not a valid rule name: ${problem}`,
        `give ${azureNameRule('security rule')}`);
    } else if (name.toLowerCase().startsWith('apim-')) {
      check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, `${prop}.name`, name, 'names starting with "apim-" are held for this library\'s rules',
        'choose another name');
    } else if (context.rules.some((r) => r.name.toLowerCase() === name.toLowerCase())) {
      check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, `${prop}.name`, name, 'a rule of that name already exists in this NSG',
        'choose a unique name (Azure compares rule names case-insensitively)');
    }
  }
  const direction = check.enumValue(`${prop}.direction`, rule.direction, NsgDirection, { enumName: 'NsgDirection', need: RULE_NEED });
  const access = check.enumValue(`${prop}.access`, rule.access, NsgAccess, { enumName: 'NsgAccess', need: RULE_NEED });
  const protocol = check.enumValue(`${prop}.protocol`, rule.protocol, NsgProtocol, { enumName: 'NsgProtocol', need: RULE_NEED });
  const priority = check.integer(`${prop}.priority`, rule.priority, {
    min: PRIORITY_RANGE[0], max: PRIORITY_RANGE[1], code: ApimNetworkErrorCode.NSG_PRIORITY_OUT_OF_RANGE, need: RULE_NEED,
    hint: `give a whole number from ${PRIORITY_RANGE[0]} to ${PRIORITY_RANGE[1]} (Azure's range for custom rules)`,
  });
  if (priority !== undefined && direction !== undefined) {
    checkPriority(check, `${prop}.priority`, priority, direction, context.rules);
  }
  // An allow rule's destination may be a reference (a back-end subnet's prefix): the checks report what depends on it
  // as unknown. Everything else decides at synth time whether the rule blocks or exposes an APIM flow.
  const source = prefixes(check, prop, 'source', rule.sourceAddressPrefix, rule.sourceAddressPrefixes, false);
  const destination = prefixes(check, prop, 'destination', rule.destinationAddressPrefix, rule.destinationAddressPrefixes, access === NsgAccess.ALLOW);
  const sourcePort = rule.sourcePortRange === undefined ? '*' : checkPort(check, `${prop}.sourcePortRange`, rule.sourcePortRange, RULE_NEED);
  const ports = destinationPorts(check, prop, rule.destinationPortRange, rule.destinationPortRanges);
  let description: string | undefined;
  if (rule.description !== undefined) {
    description = check.string(`${prop}.description`, rule.description, { required: true, allowToken: true });
    if (description !== undefined && !isReference(description) && description.length > 140) {
      check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, `${prop}.description`, description, `it has ${description.length} characters`,
        'give at most 140 characters (Azure\'s limit)');
    }
  }
  if (check.problems.length > before || name === undefined || priority === undefined || direction === undefined ||
    access === undefined || protocol === undefined || !source || !destination || !ports || sourcePort === undefined) {
    return undefined;
  }
  return { origin: 'user', name, priority, direction, access, protocol, sourcePortRange: sourcePort, ...source, ...destination, ...ports, description };
}

function checkPriority(check: PropChecker, prop: string, priority: number, direction: string, rules: readonly NsgRule[]): void {
  const taken = rules.find((r) => r.direction === direction && r.priority === priority);
  if (taken) {
    check.add(ApimNetworkErrorCode.NSG_PRIORITY_TAKEN, prop, priority, `${direction} priority ${priority} is taken by rule "${taken.name}"`,
      `choose a free priority in ${USER_PRIORITY_BANDS}`);
  } else if (priority >= LIBRARY_PRIORITY_BAND[0] && priority <= LIBRARY_PRIORITY_BAND[1]) {
    check.add(ApimNetworkErrorCode.NSG_PRIORITY_TAKEN, prop, priority,
      `priorities ${LIBRARY_PRIORITY_BAND[0]}-${LIBRARY_PRIORITY_BAND[1]} are held for the APIM rules`,
      `choose a free priority in ${USER_PRIORITY_BANDS}`);
  }
}

const ALLOW_DESTINATION_NEED = 'only an allow rule\'s destination may be a reference (the checks then report what depends on it as unknown); '
  + 'a deny rule is evaluated at synth time against the flows APIM needs';

function prefixes(check: PropChecker, prop: string, side: 'source' | 'destination', one: unknown, many: unknown, allowToken: boolean): Partial<NsgRule> | undefined {
  const singular = `${prop}.${side}AddressPrefix`;
  const plural = `${prop}.${side}AddressPrefixes`;
  if ((one === undefined) === (many === undefined)) {
    check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, `${singular}/${side}AddressPrefixes`,
      { [`${side}AddressPrefix`]: one, [`${side}AddressPrefixes`]: many },
      one === undefined ? 'neither is given' : 'both are given', 'give exactly one of them');
    return undefined;
  }
  const need = side === 'destination' ? ALLOW_DESTINATION_NEED : RULE_NEED;
  if (one !== undefined) {
    const value = checkRulePrefix(check, singular, one, { allowToken, need });
    return value === undefined ? undefined : side === 'source' ? { sourceAddressPrefix: value } : { destinationAddressPrefix: value };
  }
  const list = checkRulePrefixList(check, plural, many, { side, allowToken, need });
  return list === undefined ? undefined : side === 'source' ? { sourceAddressPrefixes: list } : { destinationAddressPrefixes: list };
}

function destinationPorts(check: PropChecker, prop: string, one: unknown, many: unknown): Partial<NsgRule> | undefined {
  if ((one === undefined) === (many === undefined)) {
    check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, `${prop}.destinationPortRange/destinationPortRanges`,
      { destinationPortRange: one, destinationPortRanges: many }, one === undefined ? 'neither is given' : 'both are given',
      'give exactly one of them');
    return undefined;
  }
  if (one !== undefined) {
    const port = checkPort(check, `${prop}.destinationPortRange`, one, RULE_NEED);
    return port === undefined ? undefined : { destinationPortRange: port };
  }
  const list = checkPortList(check, `${prop}.destinationPortRanges`, many, RULE_NEED);
  return list === undefined ? undefined : { destinationPortRanges: list };
}

/** What is wrong with a user rule in its NSG. */
export interface RuleVerdict {
  /** A deny: the platform flows it would block, wholly or in part (`Inbound:ApiManagement:3443`). */
  readonly blocked: string[];
  /** A deny: every client the NSG lets in on these ports would be blocked. */
  readonly clientPorts: number[];
  /** An allow: what it would open to public addresses other than the platform's, and the rule the checks report it under. */
  readonly exposes: Array<{ readonly what: string; readonly ruleId: string }>;
}

/** Whether a verdict finds nothing wrong. */
export function isClean(verdict: RuleVerdict): boolean {
  return verdict.blocked.length === 0 && verdict.clientPorts.length === 0 && verdict.exposes.length === 0;
}

/**
 * Judge a new user rule in an NSG that holds `rules`, as the checks would judge the NSG with it:
 * - a deny is refused when it surely blocks a platform flow or an optional flow the user switched on, wholly or in part
 *   (APIM-NSG-SHADOWED's error), or every client the NSG lets in (`clientSources`) on a client port: denying some
 *   clients (an IP block list) is the user's choice, and a deny that only may block part of a flow is left to the
 *   checks' warning;
 * - an allow is refused when it surely lets public addresses other than ApiManagement reach 3443 or every port
 *   (APIM-NSG-EXPOSED), or, in Internal mode, reach 80 or 443 (APIM-NSG-INTERNAL-PUBLIC). One that may do so (an
 *   overlap only Azure knows, a reference) is left to the checks, which warn or report it unknown.
 */
export function judgeRule(rules: readonly NsgRule[], candidate: NsgRule, flows: NsgFlowContext): RuleVerdict {
  if (candidate.access === NsgAccess.DENY) {
    return { blocked: blockedFlows(rules, candidate, flows), clientPorts: blockedClientPorts(rules, candidate, flows), exposes: [] };
  }
  return { blocked: [], clientPorts: [], exposes: candidate.direction === NsgDirection.INBOUND ? exposures(rules, candidate, flows) : [] };
}

/** The rows whose flows are the gateway's clients: judged against the NSG's client sources, not the row's `Internet`. */
const CLIENT_ROWS = new Set(['client-https', 'client-http']);

/**
 * The platform flows a new deny rule would surely block, wholly or in part, before the NSG lets them through: the
 * required flows as the checks classify them, and the optional rows the user switched on (the client rows aside).
 */
function blockedFlows(rules: readonly NsgRule[], candidate: NsgRule, flows: NsgFlowContext): string[] {
  const views = rules.map(toRuleView);
  const view = toRuleView(candidate);
  const clientDetails = new Set(flows.catalogRows.filter((r) => CLIENT_ROWS.has(r.id)).flatMap((r) => r.ports.map((p) => `${r.direction}:${r.source}:${p}`)));
  const classified = classifyRule(views, view, flows.selection);
  const blocked = new Set([...classified.blocksAll, ...classified.blocksPart].filter((detail) => !clientDetails.has(detail)));
  for (const row of flows.catalogRows.filter((r) => r.requirement === 'optional' && !CLIENT_ROWS.has(r.id))) {
    for (const flow of flowsOf(row, undefined)) {
      if (evaluateFlow([...views, view], flow, flows.evaluation).shadowing.some((r) => r.origin === candidate)) {
        blocked.add(`${row.direction}:${row.direction === 'Inbound' ? row.source : row.destination}:${row.ports.join(',')}`);
      }
    }
  }
  return [...blocked];
}

/** The client ports (443, and 80 with inboundHttp) on which a new deny leaves no client of the NSG's clients through. */
function blockedClientPorts(rules: readonly NsgRule[], candidate: NsgRule, flows: NsgFlowContext): number[] {
  const clientRows = flows.catalogRows.filter((r) => CLIENT_ROWS.has(r.id));
  if (clientRows.length === 0) {
    return [];
  }
  const source = { terms: flows.clientSources.map(addressTerm), label: 'the clients' };
  const apim = subnetEnd(flows.subnet);
  const clientFlows = clientRows.flatMap((row) => row.ports.map((port): [number, NsgFlow] => [Number(port), {
    direction: 'Inbound', protocols: [row.protocol], sourcePorts: CONNECTION_SOURCE_PORTS, destinationPorts: IntervalSet.of(Number(port), Number(port)),
    source, destination: apim,
  }]));
  const all = clientFlows.map(([, flow]) => flow);
  const context = { virtualNetworkSpace: flows.virtualNetworkSpace };
  const before = new NsgEvaluator(rules.map(toRuleView), all, context);
  const after = new NsgEvaluator([...rules, candidate].map(toRuleView), all, context);
  // A client connects from whichever source port its system picks: a client gets in only where it may from every one.
  const letsIn = (result: FlowResult<unknown>) => result.allowedFromEverySourcePort.some || result.allowedFromEverySourcePort.maybe !== false;
  return clientFlows.filter(([, flow]) => !letsIn(after.evaluate(flow)) && letsIn(before.evaluate(flow))).map(([port]) => port);
}

/** What a new inbound allow would expose (empty when nothing surely). */
function exposures(rules: readonly NsgRule[], candidate: NsgRule, flows: NsgFlowContext): RuleVerdict['exposes'] {
  const views = [...rules, candidate].map(toRuleView);
  const index = views.length - 1;
  const exposure = exposureFlows(flows.subnet);
  const internal = flows.selection.mode === ApimVirtualNetworkType.INTERNAL;
  const all = [exposure.management, exposure.everything, ...(internal ? exposure.web : [])];
  const evaluator = new NsgEvaluator(views, all, { virtualNetworkSpace: flows.virtualNetworkSpace });
  const surely = (flow: NsgFlow, onlyAllPorts: boolean) =>
    exposingRules(evaluator.evaluate(flow), views, onlyAllPorts).some((e) => e.index === index && e.answer === 'yes');
  const out: Array<{ what: string; ruleId: string }> = [];
  if (surely(exposure.everything, true)) {
    out.push({ what: 'every port', ruleId: 'APIM-NSG-EXPOSED' });
  } else if (surely(exposure.management, false)) {
    out.push({ what: 'the management port 3443', ruleId: 'APIM-NSG-EXPOSED' });
  }
  // A public IPv6 source: it reaches no IPv4 flow APIM serves, but the checks judge such an allow as the exposure it
  // means (APIM-NSG-EXPOSED, APIM-NSG-INTERNAL-PUBLIC), so the construct refuses what synth would refuse.
  const ipv6 = (ports: number[]) => publicIpv6Allows(views, ports).find((a) => a.view === views[index])?.ports ?? [];
  if (out.length === 0 && ipv6([3443]).length > 0) {
    out.push({ what: 'the management port 3443', ruleId: 'APIM-NSG-EXPOSED' });
  }
  if (internal) {
    const v6 = ipv6([80, 443]);
    const ports = exposure.web.map((flow, i) => (surely(flow, false) || v6.includes([80, 443][i]) ? [80, 443][i] : undefined)).filter((p) => p !== undefined);
    if (ports.length > 0) {
      out.push({ what: `${ports.join(' and ')} of an Internal gateway`, ruleId: 'APIM-NSG-INTERNAL-PUBLIC' });
    }
  }
  return out;
}

/** Report what is wrong with a user rule (in the locations named, when the NSGs of several are meant). */
export function reportVerdict(check: PropChecker, prop: string, rule: NsgRule, verdict: RuleVerdict, where: readonly string[], clients: readonly string[]): void {
  const value = { name: rule.name, priority: rule.priority };
  const at = where.length > 0 ? ` (in ${where.join(', ')})` : '';
  if (verdict.blocked.length > 0) {
    check.add(ApimNetworkErrorCode.NSG_RULE_SHADOWS_REQUIRED, prop, value,
      `this deny would block APIM traffic before the NSG allows it: ${verdict.blocked.join(', ')}${at}`,
      `narrow the rule so it does not match that traffic (denying some client ranges is fine), or give it a priority above ${LIBRARY_PRIORITY_BAND[1]} so the APIM rules come first`);
  }
  if (verdict.clientPorts.length > 0) {
    check.add(ApimNetworkErrorCode.NSG_RULE_SHADOWS_REQUIRED, prop, value,
      `this deny blocks every client the NSG lets in (clientAddressPrefixes ${JSON.stringify(clients)}) on TCP ${verdict.clientPorts.join(' and ')}${at}: no client could reach the gateway`,
      'narrow the rule to the clients you mean to block (denying some client ranges is fine), or change clientAddressPrefixes');
  }
  const exposed = verdict.exposes.filter((e) => e.ruleId === 'APIM-NSG-EXPOSED');
  if (exposed.length > 0) {
    check.add(ApimNetworkErrorCode.NSG_RULE_EXPOSES, prop, value,
      `this allow lets public addresses other than ApiManagement reach ${exposed.map((e) => e.what).join(' and ')}${at}, which the checks report as APIM-NSG-EXPOSED`,
      'allow only the ports your gateway serves, from the sources you mean; 3443 is for the ApiManagement tag alone, which the APIM rules allow');
  }
  const internal = verdict.exposes.filter((e) => e.ruleId === 'APIM-NSG-INTERNAL-PUBLIC');
  if (internal.length > 0) {
    check.add(ApimNetworkErrorCode.NSG_RULE_EXPOSES, prop, value,
      `this allow lets public addresses reach ${internal.map((e) => e.what).join(' and ')}${at}, which the checks report as APIM-NSG-INTERNAL-PUBLIC`,
      'restrict the source to your own networks (an Internal gateway serves no public client), or use ApimVirtualNetworkType.EXTERNAL');
  }
}

/**
 * A rule as the evaluator sees it. A reference (an allow rule's destination) is a value not known at synth time: the
 * evaluator treats it as "maybe", never as a match or a miss.
 */
export function toRuleView(r: NsgRule): RuleView<NsgRule> {
  const known = (list: string[] | undefined) => (list === undefined || list.some((p) => isReference(p)) || isReference(list) ? undefined : list);
  return {
    name: r.name,
    priority: r.priority,
    direction: r.direction,
    access: r.access,
    protocol: r.protocol,
    sourcePrefixes: known(r.sourceAddressPrefix !== undefined ? [r.sourceAddressPrefix] : r.sourceAddressPrefixes),
    destinationPrefixes: known(r.destinationAddressPrefix !== undefined ? [r.destinationAddressPrefix] : r.destinationAddressPrefixes),
    sourcePorts: [r.sourcePortRange ?? '*'],
    destinationPorts: r.destinationPortRange !== undefined ? [r.destinationPortRange] : r.destinationPortRanges ?? [],
    origin: r,
  };
}

/** The rules in Azure's evaluation order per direction (inbound first). */
export function sortedRules(rules: readonly NsgRule[]): NsgRule[] {
  const order = (r: NsgRule) => (r.direction === 'Inbound' ? 0 : 100000) + r.priority;
  return [...rules].sort((a, b) => order(a) - order(b));
}

/** The rules in evaluation order, as the provider's inline `security_rule` blocks. */
export function renderSecurityRules(rules: readonly NsgRule[]): NetworkSecurityGroupSecurityRule[] {
  return sortedRules(rules).map((r) => ({
    name: r.name,
    priority: r.priority,
    direction: r.direction,
    access: r.access,
    protocol: r.protocol,
    sourcePortRange: r.sourcePortRange ?? '*',
    sourceAddressPrefix: r.sourceAddressPrefix,
    sourceAddressPrefixes: r.sourceAddressPrefixes,
    destinationAddressPrefix: r.destinationAddressPrefix,
    destinationAddressPrefixes: r.destinationAddressPrefixes,
    destinationPortRange: r.destinationPortRange,
    destinationPortRanges: r.destinationPortRanges,
    description: r.description,
  }));
}
