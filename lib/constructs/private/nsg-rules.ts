/**
 * The rules of an APIM NSG as the construct keeps them (the catalog's rendered rules plus the user's), and the checks
 * of a user rule: its fields, its priority against the rules already there, and whether a deny would block an APIM flow.
 */
import { NetworkSecurityGroupSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-group';
import { azureNameProblem, azureNameRule } from '../../core/azure-names';
import { ApimNetworkErrorCode } from '../../core/errors';
import { CatalogRule, LIBRARY_PRIORITY_BAND, PRIORITY_RANGE, RenderedRule } from '../../core/nsg-catalog';
import {
  EvaluationContext, PlatformSelection, RuleView, classifyRule, evaluateFlow, flowsOf, isAddressPrefix, isServiceTag, parsePortRange,
} from '../../core/nsg-evaluate';
import { NsgAccess, NsgDirection, NsgProtocol } from '../../core/types';
import { PropChecker } from './props';

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
  /** Which flows the NSG serves (mode, locations, regional tags), for the deny check; undefined skips it. */
  readonly flows?: NsgFlowContext;
}

/** Which flows an NSG serves: what a user deny must not block. */
export interface NsgFlowContext {
  /** The required flows, as the checks select them. */
  readonly selection: PlatformSelection;
  /** The catalog rows the NSG renders (the optional ones the user switched on must not be blocked either). */
  readonly catalogRows: readonly CatalogRule[];
  readonly evaluation: EvaluationContext;
}

/** The priorities a user rule may take, in words. */
export const USER_PRIORITY_BANDS = `${PRIORITY_RANGE[0]}-${LIBRARY_PRIORITY_BAND[0] - 1} or ${LIBRARY_PRIORITY_BAND[1] + 1}-${PRIORITY_RANGE[1]}`;

/**
 * Check one user rule; `prop` is how the user named it (`rules[0]`, `networkSecurityGroup.rules[2]`,
 * `addRule(allow-backends)`). Returns the rule when every field is valid and it fits beside `context.rules`.
 */
export function checkUserRule(check: PropChecker, prop: string, input: unknown, context: NsgRuleContext): NsgRule | undefined {
  const before = check.problems.length;
  const rule = check.object(prop, input, true) as Partial<Record<keyof NsgRule, unknown>> | undefined;
  if (!rule) {
    return undefined;
  }
  const name = check.string(`${prop}.name`, rule.name, { required: true });
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
  const direction = check.enumValue(`${prop}.direction`, rule.direction, NsgDirection, { enumName: 'NsgDirection' });
  const access = check.enumValue(`${prop}.access`, rule.access, NsgAccess, { enumName: 'NsgAccess' });
  const protocol = check.enumValue(`${prop}.protocol`, rule.protocol, NsgProtocol, { enumName: 'NsgProtocol' });
  const priority = check.integer(`${prop}.priority`, rule.priority, {
    min: PRIORITY_RANGE[0], max: PRIORITY_RANGE[1], code: ApimNetworkErrorCode.NSG_PRIORITY_OUT_OF_RANGE,
    hint: `give a whole number from ${PRIORITY_RANGE[0]} to ${PRIORITY_RANGE[1]} (Azure's range for custom rules)`,
  });
  if (priority !== undefined && direction !== undefined) {
    checkPriority(check, `${prop}.priority`, priority, direction, context.rules);
  }
  const source = prefixes(check, prop, 'source', rule.sourceAddressPrefix, rule.sourceAddressPrefixes);
  const destination = prefixes(check, prop, 'destination', rule.destinationAddressPrefix, rule.destinationAddressPrefixes);
  const sourcePort = rule.sourcePortRange === undefined ? '*' : check.string(`${prop}.sourcePortRange`, rule.sourcePortRange, { required: true });
  if (sourcePort !== undefined && parsePortRange(sourcePort) === undefined) {
    check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, `${prop}.sourcePortRange`, sourcePort, 'it is not a port, a range or "*"',
      'give "*", a port such as "443" or a range such as "8000-8080"');
  }
  const ports = destinationPorts(check, prop, rule.destinationPortRange, rule.destinationPortRanges);
  let description: string | undefined;
  if (rule.description !== undefined) {
    description = check.string(`${prop}.description`, rule.description, { required: true });
    if (description !== undefined && description.length > 140) {
      check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, `${prop}.description`, description, `it has ${description.length} characters`,
        'give at most 140 characters (Azure\'s limit)');
    }
  }
  if (check.problems.length > before || name === undefined || priority === undefined || direction === undefined ||
    access === undefined || protocol === undefined || !source || !destination || !ports || sourcePort === undefined) {
    return undefined;
  }
  const candidate: NsgRule = {
    origin: 'user', name, priority, direction, access, protocol, sourcePortRange: sourcePort, ...source, ...destination, ...ports, description,
  };
  if (access === NsgAccess.DENY && context.flows) {
    const blocked = blockedFlows(context.rules, candidate, context.flows);
    if (blocked.length > 0) {
      shadowProblem(check, prop, candidate, blocked, []);
      return undefined;
    }
  }
  return candidate;
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

function prefixes(check: PropChecker, prop: string, side: 'source' | 'destination', one: unknown, many: unknown): Partial<NsgRule> | undefined {
  const singular = `${prop}.${side}AddressPrefix`;
  const plural = `${prop}.${side}AddressPrefixes`;
  if ((one === undefined) === (many === undefined)) {
    check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, `${singular}/${side}AddressPrefixes`,
      { [`${side}AddressPrefix`]: one, [`${side}AddressPrefixes`]: many },
      one === undefined ? 'neither is given' : 'both are given', 'give exactly one of them');
    return undefined;
  }
  if (one !== undefined) {
    const value = check.string(singular, one, { required: true });
    return value === undefined ? undefined : side === 'source' ? { sourceAddressPrefix: value } : { destinationAddressPrefix: value };
  }
  const list = check.stringList(plural, many, { nonEmpty: true });
  if (!list) {
    return undefined;
  }
  const tags = list.filter((p) => isServiceTag(p) || p === '*');
  if (tags.length > 0) {
    check.add(ApimNetworkErrorCode.NSG_TAG_IN_LIST, plural, list,
      `it holds ${tags.map((t) => `"${t}"`).join(', ')}, which Azure accepts only in the singular field`,
      `put a service tag or "*" in ${side}AddressPrefix (one per rule); keep CIDRs and IP addresses in the list`);
    return undefined;
  }
  const bad = list.filter((p) => !isAddressPrefix(p));
  if (bad.length > 0) {
    check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, plural, list, `${bad.join(', ')} is not a CIDR or IP address`, 'give CIDRs or IP addresses');
    return undefined;
  }
  return side === 'source' ? { sourceAddressPrefixes: list } : { destinationAddressPrefixes: list };
}

function destinationPorts(check: PropChecker, prop: string, one: unknown, many: unknown): Partial<NsgRule> | undefined {
  if ((one === undefined) === (many === undefined)) {
    check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, `${prop}.destinationPortRange/destinationPortRanges`,
      { destinationPortRange: one, destinationPortRanges: many }, one === undefined ? 'neither is given' : 'both are given',
      'give exactly one of them');
    return undefined;
  }
  const list = one !== undefined
    ? [check.string(`${prop}.destinationPortRange`, one, { required: true })]
    : check.stringList(`${prop}.destinationPortRanges`, many, { nonEmpty: true });
  if (!list || list.some((p) => p === undefined)) {
    return undefined;
  }
  const bad = (list as string[]).filter((p) => parsePortRange(p) === undefined);
  if (bad.length > 0) {
    check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, one !== undefined ? `${prop}.destinationPortRange` : `${prop}.destinationPortRanges`,
      one ?? many, `${bad.map((b) => `"${b}"`).join(', ')} is not a port, a range or "*"`,
      'give ports 0-65535 such as "443", ranges such as "8000-8080", or "*"');
    return undefined;
  }
  return one !== undefined ? { destinationPortRange: list[0] as string } : { destinationPortRanges: list as string[] };
}

/** Report a user deny that would block APIM flows (in the locations named, when the NSGs of several are meant). */
export function shadowProblem(check: PropChecker, prop: string, rule: NsgRule, blocked: readonly string[], where: readonly string[]): void {
  check.add(ApimNetworkErrorCode.NSG_RULE_SHADOWS_REQUIRED, prop, { name: rule.name, priority: rule.priority },
    `this deny would block APIM traffic before the NSG allows it: ${blocked.join(', ')}${where.length > 0 ? ` (in ${where.join(', ')})` : ''}`,
    `narrow the rule so it does not match that traffic (denying some client ranges is fine), or give it a priority above ${LIBRARY_PRIORITY_BAND[1]} so the APIM rules come first`);
}

/**
 * The flows a new deny rule would surely block, wholly or in part, before the NSG lets them through: the required
 * flows as the checks classify them (a client flow only when the rule blocks every client: denying some client ranges
 * is the user's choice, and a rule that only may block part of a flow is left to the checks' warning), and the optional
 * rows the user switched on.
 */
export function blockedFlows(rules: readonly NsgRule[], candidate: NsgRule, flows: NsgFlowContext): string[] {
  const views = rules.map(toRuleView);
  const view = toRuleView(candidate);
  const classified = classifyRule(views, view, flows.selection);
  const blocked = new Set([...classified.blocksAll, ...classified.blocksPart]);
  for (const row of flows.catalogRows.filter((r) => r.requirement === 'optional')) {
    for (const flow of flowsOf(row, undefined)) {
      if (evaluateFlow([...views, view], flow, flows.evaluation).shadowing.some((r) => r.origin === candidate)) {
        blocked.add(`${row.direction}:${row.direction === 'Inbound' ? row.source : row.destination}:${row.ports.join(',')}`);
      }
    }
  }
  return [...blocked];
}

function toRuleView(r: NsgRule): RuleView<NsgRule> {
  return {
    name: r.name,
    priority: r.priority,
    direction: r.direction,
    access: r.access,
    protocol: r.protocol,
    sourcePrefixes: r.sourceAddressPrefix !== undefined ? [r.sourceAddressPrefix] : r.sourceAddressPrefixes ?? [],
    destinationPrefixes: r.destinationAddressPrefix !== undefined ? [r.destinationAddressPrefix] : r.destinationAddressPrefixes ?? [],
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
