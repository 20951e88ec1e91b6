import { NetworkSecurityGroup, NetworkSecurityGroupSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-group';
import { Construct } from 'constructs';
import { ApimNetworkErrorCode } from '../core/errors';
import {
  CatalogRule, LIBRARY_PRIORITY_BAND, OptionalRuleGroup, PRIORITY_RANGE, renderRules, selectRules,
} from '../core/nsg-catalog';
import { EvaluationContext, RuleView, evaluateFlow, flowsOf, isAddressPrefix, isServiceTag, parsePortRange } from '../core/nsg-evaluate';
import { ApimVirtualNetworkType, NsgAccess, NsgDirection, NsgProtocol } from '../core/types';
import { hardeningRules, HARDENING_PRIORITY_BAND } from '../core/hardening';
import { ApimTaggedResourceProps } from './common';
import { PropChecker, checkedScope, failed, kindOf, validate } from './private/props';

/**
 * Optional rule groups of the APIM rule catalog. Each switch adds the rules one APIM feature needs
 * (reference: Microsoft Learn "Virtual network configuration reference: API Management").
 */
export interface ApimOptionalRules {
  /**
   * Inbound Internet to VirtualNetwork TCP 80, for clients calling the gateway over plain HTTP. External mode only.
   *
   * @default false
   */
  readonly inboundHttp?: boolean;

  /**
   * Inbound AzureLoadBalancer to VirtualNetwork TCP 6391: health monitoring of individual machines.
   *
   * @default false
   */
  readonly machineHealth?: boolean;

  /**
   * Inbound and outbound VirtualNetwork TCP 6380: an external Azure Cache for Redis for caching policies.
   *
   * @default false
   */
  readonly externalCache?: boolean;

  /**
   * Inbound and outbound VirtualNetwork TCP 6381-6383: the internal cache shared between machines.
   *
   * @default false
   */
  readonly internalCache?: boolean;

  /**
   * Inbound and outbound VirtualNetwork UDP 4290: syncing rate-limit counters between machines.
   *
   * @default false
   */
  readonly rateLimitSync?: boolean;

  /**
   * Outbound EventHub TCP 5671, 5672 and 443: the log-to-eventhub policy.
   *
   * @default false
   */
  readonly eventHub?: boolean;

  /**
   * Outbound AzureActiveDirectory TCP 443: Microsoft Entra ID and Microsoft Graph.
   *
   * @default false
   */
  readonly entraId?: boolean;

  /**
   * Outbound AzureConnectors TCP 443: managed connections (credential manager).
   *
   * @default false
   */
  readonly managedConnectors?: boolean;
}

/**
 * A security rule of your own, added beside the APIM rules.
 *
 * Priorities 200-399 are held for the APIM rules; use 100-199 for rules that must come first (a deny there must not
 * touch any flow APIM needs) and 400-4096 for the rest (400-3999 when `hardening` is on).
 */
export interface ApimNsgRuleOptions {
  /**
   * Rule name, unique in the NSG (1-80 characters; names starting with `apim-` are held for this library).
   */
  readonly name: string;

  /**
   * Priority, 100-4096, unique per direction; lower numbers are evaluated first.
   */
  readonly priority: number;

  /** Traffic direction. */
  readonly direction: NsgDirection;

  /** Allow or deny. */
  readonly access: NsgAccess;

  /** Protocol. */
  readonly protocol: NsgProtocol;

  /**
   * One source: a CIDR, an IP address, `*` or a service tag. Give exactly one of this and `sourceAddressPrefixes`.
   *
   * @default - `sourceAddressPrefixes` is used
   */
  readonly sourceAddressPrefix?: string;

  /**
   * Several source CIDRs or IP addresses (no service tags: Azure takes tags only in the singular field).
   *
   * @default - `sourceAddressPrefix` is used
   */
  readonly sourceAddressPrefixes?: string[];

  /**
   * One destination: a CIDR, an IP address, `*` or a service tag. Give exactly one of this and
   * `destinationAddressPrefixes`.
   *
   * @default - `destinationAddressPrefixes` is used
   */
  readonly destinationAddressPrefix?: string;

  /**
   * Several destination CIDRs or IP addresses (no service tags).
   *
   * @default - `destinationAddressPrefix` is used
   */
  readonly destinationAddressPrefixes?: string[];

  /**
   * Source port or range.
   *
   * @default '*'
   */
  readonly sourcePortRange?: string;

  /**
   * One destination port, range (`8000-8080`) or `*`. Give exactly one of this and `destinationPortRanges`.
   *
   * @default - `destinationPortRanges` is used
   */
  readonly destinationPortRange?: string;

  /**
   * Several destination ports or ranges.
   *
   * @default - `destinationPortRange` is used
   */
  readonly destinationPortRanges?: string[];

  /**
   * Description, at most 140 characters.
   *
   * @default - none
   */
  readonly description?: string;
}

/**
 * Props of `ApimNetworkSecurityGroup`.
 */
export interface ApimNetworkSecurityGroupProps extends ApimTaggedResourceProps {
  /**
   * The APIM virtual network mode the rules are for.
   */
  readonly virtualNetworkType: ApimVirtualNetworkType;

  /**
   * NSG name (1-80 characters: letters, digits, `_`, `.`, `-`; starts with a letter or digit, ends with a letter, digit
   * or `_`).
   *
   * @default - `nsg-apim-<location>`
   */
  readonly name?: string;

  /**
   * Whether the APIM instance has more than one location. In External mode this adds the inbound
   * AzureTrafficManager rule that multi-region routing needs.
   *
   * @default false
   */
  readonly multiRegion?: boolean;

  /**
   * The APIM instance's primary location, for regional service tags.
   *
   * @default - this NSG's location
   */
  readonly primaryLocation?: string;

  /**
   * Use regional service tags (`Storage.WestEurope`) for the Storage, Sql and EventHub rules: one rule for this NSG's
   * region and one for the primary region, as multi-region deployments need.
   *
   * @default false - the global tags (`Storage`, `Sql`, `EventHub`)
   */
  readonly regionalServiceTags?: boolean;

  /**
   * Optional rule groups to switch on.
   *
   * @default - none: only the rules APIM requires for the mode
   */
  readonly optionalRules?: ApimOptionalRules;

  /**
   * Rules of your own, checked as `addRule` checks them.
   *
   * @default - none
   */
  readonly rules?: ApimNsgRuleOptions[];

  /**
   * End the NSG with deny-all rules in both directions (priority 4096), preceded by the allows that keep APIM's other
   * documented dependencies working (DNS, NTP, diagnostics, certificate and update endpoints). User rules then take
   * 100-199 and 400-3999.
   *
   * @default false
   */
  readonly hardening?: boolean;
}

const GROUP_PROPS: ReadonlyArray<[keyof ApimOptionalRules, OptionalRuleGroup]> = [
  ['inboundHttp', 'http'],
  ['machineHealth', 'machine-health'],
  ['externalCache', 'external-cache'],
  ['internalCache', 'internal-cache'],
  ['rateLimitSync', 'rate-limit-sync'],
  ['eventHub', 'event-hub'],
  ['entraId', 'entra-id'],
  ['managedConnectors', 'connectors'],
];

const NSG_NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;
const RULE_NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$/;

interface NsgRule extends RenderedRuleLike {
  readonly source: 'library' | 'user' | 'hardening';
}

interface RenderedRuleLike {
  readonly name: string;
  readonly priority: number;
  readonly direction: string;
  readonly access: string;
  readonly protocol: string;
  readonly sourcePortRange?: string;
  readonly sourceAddressPrefix?: string;
  readonly sourceAddressPrefixes?: string[];
  readonly destinationAddressPrefix?: string;
  readonly destinationAddressPrefixes?: string[];
  readonly destinationPortRange?: string;
  readonly destinationPortRanges?: string[];
  readonly description?: string;
}

/**
 * A network security group carrying exactly the rules API Management needs on its subnet for the mode, rendered from
 * the library's rule catalog, plus rules of your own.
 *
 * Required rules (both modes): inbound ApiManagement 3443 and AzureLoadBalancer 6390; outbound Storage 443, Sql 1433,
 * AzureKeyVault 443, AzureMonitor 1886 and 443, Internet 80. External mode adds inbound Internet 443, and with more
 * than one location inbound AzureTrafficManager 443. Service tags always go in the singular prefix fields.
 *
 * @example
 * const nsg = new ApimNetworkSecurityGroup(this, 'nsg', {
 *   resourceGroupName: 'rg-apim',
 *   location: 'westeurope',
 *   virtualNetworkType: ApimVirtualNetworkType.EXTERNAL,
 *   optionalRules: { inboundHttp: true },
 * });
 * nsg.addRule({
 *   name: 'allow-backend-8443', priority: 1000, direction: NsgDirection.OUTBOUND, access: NsgAccess.ALLOW,
 *   protocol: NsgProtocol.TCP, sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: '10.20.0.0/16',
 *   destinationPortRange: '8443',
 * });
 */
export class ApimNetworkSecurityGroup extends Construct {
  /** The priorities held for the APIM rules (200-399). */
  public static readonly LIBRARY_PRIORITY_FIRST = LIBRARY_PRIORITY_BAND[0];
  /** Last priority held for the APIM rules. */
  public static readonly LIBRARY_PRIORITY_LAST = LIBRARY_PRIORITY_BAND[1];

  /** The `azurerm_network_security_group` resource. */
  public readonly networkSecurityGroup: NetworkSecurityGroup;
  /** Its ID. */
  public readonly id: string;
  /** Its name. */
  public readonly name: string;
  /** Normalised location. */
  public readonly location: string;
  /** The mode the rules are for. */
  public readonly virtualNetworkType: ApimVirtualNetworkType;
  /** Whether the rules are for an APIM instance with more than one location. */
  public readonly multiRegion: boolean;
  /** Normalised primary location of the APIM instance. */
  public readonly primaryLocation: string;

  private readonly rules: NsgRule[] = [];
  private readonly catalogRows: CatalogRule[];
  private readonly context: EvaluationContext;
  private readonly hardening: boolean;

  public constructor(scope: Construct, id: string, props: ApimNetworkSecurityGroupProps) {
    super(checkedScope(scope, id), id);
    try {
      let resolved!: ResolvedNsgProps;
      validate(this.node.path, (check) => {
        resolved = resolveNsgProps(check, props);
      });
      this.location = resolved.location;
      this.name = resolved.name;
      this.virtualNetworkType = resolved.mode;
      this.multiRegion = resolved.multiRegion;
      this.primaryLocation = resolved.primaryLocation;
      this.hardening = resolved.hardening;
      this.catalogRows = selectRules({ mode: resolved.mode, multiRegion: resolved.multiRegion, groups: resolved.groups });
      this.context = { acceptedRegions: new Set([resolved.location, resolved.primaryLocation]) };
      const rendered = renderRules(this.catalogRows, {
        location: resolved.location,
        primaryLocation: resolved.primaryLocation,
        regionalServiceTags: resolved.regionalServiceTags,
      });
      this.rules.push(...rendered.map((r) => ({ ...r, source: 'library' as const })));
      if (resolved.hardening) {
        this.rules.push(...hardeningRules().map((r) => ({ ...r, source: 'hardening' as const })));
      }
      // User rules given as props are checked before the resource exists, like every other prop.
      validate(this.node.path, (check) => {
        if (props.rules !== undefined && !Array.isArray(props.rules)) {
          check.add(ApimNetworkErrorCode.INVALID_TYPE, 'rules', props.rules, `it is ${kindOf(props.rules)}, not a list`, 'give a list of rules');
          return;
        }
        (props.rules ?? []).forEach((rule, index) => this.checkAndAdd(check, `rules[${index}]`, rule));
      });

      this.networkSecurityGroup = new NetworkSecurityGroup(this, 'nsg', {
        name: resolved.name,
        location: resolved.location,
        resourceGroupName: props.resourceGroupName,
        provider: props.provider,
        tags: props.tags,
        securityRule: this.renderSecurityRules(),
      });
      this.id = this.networkSecurityGroup.id;
    } catch (error) {
      throw failed(scope, id, this.node.path, error);
    }
  }

  /**
   * Add a rule of your own. It is refused, with an error naming the rule and the field, when its priority is outside
   * 100-4096, taken in that direction or held for the APIM rules, when a field is invalid, or when it is a deny that
   * would block part of a flow APIM needs.
   */
  public addRule(rule: ApimNsgRuleOptions): void {
    try {
      const checker = new PropChecker(this.node.path);
      this.checkAndAdd(checker, `addRule(${typeof rule?.name === 'string' ? rule.name : '?'})`, rule);
      checker.throwIfAny();
      this.networkSecurityGroup.putSecurityRule(this.renderSecurityRules());
    } catch (error) {
      throw failed(undefined, undefined, this.node.path, error);
    }
  }

  /** Names of the rules of this NSG, in priority order per direction (inbound first). */
  public get ruleNames(): string[] {
    return this.sortedRules().map((r) => r.name);
  }

  private sortedRules(): NsgRule[] {
    const order = (r: NsgRule) => (r.direction === 'Inbound' ? 0 : 100000) + r.priority;
    return [...this.rules].sort((a, b) => order(a) - order(b));
  }

  private renderSecurityRules(): NetworkSecurityGroupSecurityRule[] {
    return this.sortedRules().map((r) => ({
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

  private checkAndAdd(check: PropChecker, prop: string, input: ApimNsgRuleOptions): void {
    const before = check.problems.length;
    const rule = check.object(prop, input, true) as Partial<ApimNsgRuleOptions> | undefined;
    if (!rule) {
      return;
    }
    const name = check.string(`${prop}.name`, rule.name, { required: true });
    if (name !== undefined) {
      if (!RULE_NAME.test(name)) {
        check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, `${prop}.name`, name, 'it is not a valid rule name',
          '1-80 letters, digits, "_", "." or "-", starting with a letter or digit');
      } else if (name.toLowerCase().startsWith('apim-')) {
        check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, `${prop}.name`, name, 'names starting with "apim-" are held for this library\'s rules',
          'choose another name');
      } else if (this.rules.some((r) => r.name.toLowerCase() === name.toLowerCase())) {
        check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, `${prop}.name`, name, 'a rule of that name already exists in this NSG',
          'choose a unique name');
      }
    }
    const direction = check.enumValue(`${prop}.direction`, rule.direction, NsgDirection, { enumName: 'NsgDirection' });
    const access = check.enumValue(`${prop}.access`, rule.access, NsgAccess, { enumName: 'NsgAccess' });
    const protocol = check.enumValue(`${prop}.protocol`, rule.protocol, NsgProtocol, { enumName: 'NsgProtocol' });
    const priority = check.integer(`${prop}.priority`, rule.priority, {
      min: PRIORITY_RANGE[0], max: PRIORITY_RANGE[1], code: ApimNetworkErrorCode.NSG_PRIORITY_OUT_OF_RANGE,
      hint: 'give a whole number from 100 to 4096 (Azure\'s range for custom rules)',
    });
    if (priority !== undefined && direction !== undefined) {
      this.checkPriority(check, `${prop}.priority`, priority, direction);
    }
    const source = this.prefixes(check, prop, 'source', rule.sourceAddressPrefix, rule.sourceAddressPrefixes);
    const destination = this.prefixes(check, prop, 'destination', rule.destinationAddressPrefix, rule.destinationAddressPrefixes);
    const sourcePort = rule.sourcePortRange === undefined ? '*' : check.string(`${prop}.sourcePortRange`, rule.sourcePortRange, { required: true });
    if (sourcePort !== undefined && parsePortRange(sourcePort) === undefined) {
      check.add(ApimNetworkErrorCode.NSG_RULE_INVALID, `${prop}.sourcePortRange`, sourcePort, 'it is not a port, a range or "*"',
        'give "*", a port such as "443" or a range such as "8000-8080"');
    }
    const ports = this.ports(check, prop, rule.destinationPortRange, rule.destinationPortRanges);
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
      return;
    }
    const candidate: NsgRule = {
      source: 'user', name, priority, direction, access, protocol, sourcePortRange: sourcePort,
      ...source, ...destination, ...ports, description,
    };
    if (access === NsgAccess.DENY) {
      const blocked = this.blockedFlows(candidate);
      if (blocked.length > 0) {
        check.add(ApimNetworkErrorCode.NSG_RULE_SHADOWS_REQUIRED, prop, { name, priority },
          `this deny comes before the APIM rule(s) ${blocked.join(', ')} and would block part of the traffic they allow`,
          'narrow the rule so it does not match that traffic, or give it a priority above 399 so the APIM rules come first');
        return;
      }
    }
    this.rules.push(candidate);
  }

  private checkPriority(check: PropChecker, prop: string, priority: number, direction: string): void {
    const taken = this.rules.find((r) => r.direction === direction && r.priority === priority);
    const hardeningBand = this.hardening && priority >= HARDENING_PRIORITY_BAND[0];
    if (taken) {
      check.add(ApimNetworkErrorCode.NSG_PRIORITY_TAKEN, prop, priority, `${direction} priority ${priority} is taken by rule "${taken.name}"`,
        `choose a free priority in ${this.userBands()}`);
    } else if (priority >= LIBRARY_PRIORITY_BAND[0] && priority <= LIBRARY_PRIORITY_BAND[1]) {
      check.add(ApimNetworkErrorCode.NSG_PRIORITY_TAKEN, prop, priority, `priorities ${LIBRARY_PRIORITY_BAND[0]}-${LIBRARY_PRIORITY_BAND[1]} are held for the APIM rules`,
        `choose a free priority in ${this.userBands()}`);
    } else if (hardeningBand) {
      check.add(ApimNetworkErrorCode.NSG_PRIORITY_TAKEN, prop, priority,
        `priorities ${HARDENING_PRIORITY_BAND[0]}-${HARDENING_PRIORITY_BAND[1]} are held for the hardening rules`,
        `choose a free priority in ${this.userBands()}`);
    }
  }

  private userBands(): string {
    return this.hardening ? '100-199 or 400-3999' : '100-199 or 400-4096';
  }

  private prefixes(check: PropChecker, prop: string, side: 'source' | 'destination', one: unknown, many: unknown):
  Partial<RenderedRuleLike> | undefined {
    const singular = `${prop}.${side}AddressPrefix`;
    const plural = `${prop}.${side}AddressPrefixes`;
    if ((one === undefined) === (many === undefined)) {
      check.add(ApimNetworkErrorCode.CONFLICTING_PROPS, `${singular}/${side}AddressPrefixes`, { [`${side}AddressPrefix`]: one, [`${side}AddressPrefixes`]: many },
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
      check.add(ApimNetworkErrorCode.NSG_TAG_IN_LIST, plural, list, `it holds ${tags.map((t) => `"${t}"`).join(', ')}, which Azure accepts only in the singular field`,
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

  private ports(check: PropChecker, prop: string, one: unknown, many: unknown): Partial<RenderedRuleLike> | undefined {
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
        one ?? many, `${bad.map((b) => `"${b}"`).join(', ')} is not a port, a range or "*"`, 'give ports 0-65535 such as "443", ranges such as "8000-8080", or "*"');
      return undefined;
    }
    return one !== undefined ? { destinationPortRange: list[0] as string } : { destinationPortRanges: list as string[] };
  }

  /** Catalog rows (ids) whose traffic a new deny rule would block before this NSG's APIM rule allows it. */
  private blockedFlows(candidate: NsgRule): string[] {
    const views = [...this.rules, candidate].map(toRuleView);
    const blocked = new Set<string>();
    for (const row of this.catalogRows) {
      for (const flow of flowsOf(row, undefined)) {
        const result = evaluateFlow(views, flow, this.context);
        if (result.shadowing.some((r) => r.origin === candidate)) {
          blocked.add(row.id);
        }
      }
    }
    return [...blocked];
  }
}

interface ResolvedNsgProps {
  readonly location: string;
  readonly name: string;
  readonly mode: ApimVirtualNetworkType;
  readonly multiRegion: boolean;
  readonly primaryLocation: string;
  readonly regionalServiceTags: boolean;
  readonly groups: Set<OptionalRuleGroup>;
  readonly hardening: boolean;
}

function resolveNsgProps(check: PropChecker, props: ApimNetworkSecurityGroupProps): ResolvedNsgProps {
  if (!check.object('props', props, true)) {
    check.throwIfAny();
  }
  check.string('resourceGroupName', props.resourceGroupName, { required: true, allowToken: true });
  const location = check.location('location', props.location) ?? '';
  const mode = check.enumValue('virtualNetworkType', props.virtualNetworkType, ApimVirtualNetworkType, { enumName: 'ApimVirtualNetworkType' })
    ?? ApimVirtualNetworkType.EXTERNAL;
  const name = check.string('name', props.name, { required: false }) ?? `nsg-apim-${location}`;
  if (props.name !== undefined && typeof props.name === 'string' && !NSG_NAME.test(props.name)) {
    check.add(ApimNetworkErrorCode.INVALID_NAME, 'name', props.name, 'it is not a valid NSG name',
      '1-80 letters, digits, "_", "." or "-", starting with a letter or digit and ending with a letter, digit or "_"');
  }
  const multiRegion = check.boolean('multiRegion', props.multiRegion, false);
  const primaryLocation = props.primaryLocation === undefined ? location : check.location('primaryLocation', props.primaryLocation) ?? location;
  const regionalServiceTags = check.boolean('regionalServiceTags', props.regionalServiceTags, false);
  const hardening = check.boolean('hardening', props.hardening, false);
  const groups = new Set<OptionalRuleGroup>();
  const optional = check.object('optionalRules', props.optionalRules, false);
  if (optional) {
    for (const [prop, group] of GROUP_PROPS) {
      if (check.boolean(`optionalRules.${prop}`, optional[prop], false)) {
        groups.add(group);
      }
    }
    const unknown = Object.keys(optional).filter((k) => !GROUP_PROPS.some(([p]) => p === k));
    if (unknown.length > 0) {
      check.add(ApimNetworkErrorCode.INVALID_TYPE, `optionalRules.${unknown[0]}`, optional[unknown[0]], 'it is not an optional rule group',
        `give any of ${GROUP_PROPS.map(([p]) => p).join(', ')}`);
    }
  }
  if (groups.has('http') && mode === ApimVirtualNetworkType.INTERNAL) {
    check.add(ApimNetworkErrorCode.MODE_NOT_SUPPORTED, 'optionalRules.inboundHttp', true,
      'inbound HTTP from the internet applies to External mode only; an Internal gateway is not reachable from the internet',
      'remove inboundHttp, or use ApimVirtualNetworkType.EXTERNAL');
  }
  check.tags('tags', props.tags);
  check.provider('provider', props.provider);
  return { location, name, mode, multiRegion, primaryLocation, regionalServiceTags, groups, hardening };
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
