/**
 * The flows the NSG rules judge, evaluated once per NSG target and shared by the rules: the platform flows of the
 * catalog for the target's mode, and the exposure flows (public addresses other than ApiManagement, to 3443, to 80
 * and 443, to every port).
 */
import { Resource, Unknown, isUnknown } from './model';
import { Subject } from './rule';
import { NsgTarget, RuleOrigin, Targets } from './targets';
import { parseIpv4CidrLenient, Ipv4Cidr } from '../core/cidr';
import { IntervalSet } from '../core/interval-set';
import { ApimVirtualNetworkType } from '../core/types';
import {
  FlowResult, NsgEvaluator, NsgFlow, PlatformFlow, RuleView, UndecidedRow, isDefaultRule, platformFlows, prefixEnd, subnetEnd,
} from '../core/nsg-evaluate';

export type View = RuleView<RuleOrigin>;
export type Result = FlowResult<RuleOrigin>;

/** A platform flow and the result of each of its parts. */
export interface EvaluatedFlow {
  readonly flow: PlatformFlow;
  readonly parts: ReadonlyArray<{ readonly label: string; readonly result: Result }>;
}

/** What one NSG target's rules do to the flows the rules judge. */
export interface NsgEvaluation {
  readonly flows: EvaluatedFlow[];
  /** Catalog rows whose requirement depends on what is not known (the mode of an orphan NSG). */
  readonly undecided: UndecidedRow[];
  /** Public addresses other than ApiManagement and AzureLoadBalancer, to the subnet: on 3443, on 80 and 443, on every port. */
  readonly exposure: { readonly management: Result; readonly web: readonly Result[]; readonly everything: Result };
}

/** The public addresses that are not the platform's: a source that must not reach the management endpoint. */
const PUBLIC = prefixEnd('Internet', ['ApiManagement', 'AzureLoadBalancer']);
const ALL_PORTS = IntervalSet.of(0, 65535);

function subnetCidrs(target: NsgTarget): Ipv4Cidr[] | undefined {
  if (!target.subnet) {
    return undefined;
  }
  const model = target.subnet.model;
  const list = model.strings(target.subnet.config.address_prefixes ?? target.subnet.config.address_prefix);
  if (!Array.isArray(list) || list.length === 0) {
    return undefined;
  }
  const parsed = list.map(parseIpv4CidrLenient);
  return parsed.every((p) => p !== undefined) ? (parsed as Ipv4Cidr[]) : undefined;
}

/** The virtual network's known address space, with the subnet: the addresses surely inside VirtualNetwork. */
function virtualNetworkSpace(target: NsgTarget, subnet: readonly Ipv4Cidr[] | undefined): IntervalSet {
  const ranges: Array<[number, number]> = (subnet ?? []).map((c) => [c.network, c.last]);
  if (target.subnet) {
    const vnet = target.subnet.model.virtualNetworkOf(target.subnet);
    if (vnet && !isUnknown(vnet)) {
      const space = vnet.model.strings(vnet.config.address_space);
      for (const text of Array.isArray(space) ? space : []) {
        const cidr = parseIpv4CidrLenient(text);
        if (cidr) {
          ranges.push([cidr.network, cidr.last]);
        }
      }
    }
  }
  return IntervalSet.union(ranges);
}

/** The regions whose regional tags APIM needs from this NSG: its own and the primary region. */
export function acceptedRegions(t: Targets, target: NsgTarget): string[] {
  const regions: string[] = [];
  const own = t.model.location(target.nsg);
  if (typeof own === 'string') {
    regions.push(own);
  }
  if (typeof target.primaryLocation === 'string' && !regions.includes(target.primaryLocation)) {
    regions.push(target.primaryLocation);
  }
  return regions;
}

function modeOf(target: NsgTarget): ApimVirtualNetworkType | undefined {
  return target.mode === 'Internal' ? ApimVirtualNetworkType.INTERNAL : target.mode === 'External' ? ApimVirtualNetworkType.EXTERNAL : undefined;
}

function tcp(port: IntervalSet): Pick<NsgFlow, 'protocols' | 'sourcePorts' | 'destinationPorts'> {
  return { protocols: ['Tcp'], sourcePorts: ALL_PORTS, destinationPorts: port };
}

/** Evaluate a target's NSG once per evaluation. */
export function evaluationOf(t: Targets, target: NsgTarget): NsgEvaluation {
  return t.memo(target, 'nsg-evaluation', () => {
    const rules = t.rulesOf(target.nsg);
    const cidrs = subnetCidrs(target);
    const regions = acceptedRegions(t, target);
    const { flows, undecided } = platformFlows({ mode: modeOf(target), multiRegion: target.multiRegion, regions }, cidrs);
    const apim = subnetEnd(cidrs);
    const inbound = (ports: IntervalSet, protocols?: string[]): NsgFlow => ({
      direction: 'Inbound', ...tcp(ports), ...(protocols ? { protocols } : {}), source: PUBLIC, destination: apim,
    });
    const management = inbound(IntervalSet.of(3443, 3443));
    const web = [inbound(IntervalSet.of(80, 80)), inbound(IntervalSet.of(443, 443))];
    const everything = inbound(ALL_PORTS, ['*']);
    const all = [...flows.flatMap((f) => f.parts.map((p) => p.flow)), management, ...web, everything];
    const evaluator = new NsgEvaluator<RuleOrigin>(rules.views, all, { virtualNetworkSpace: virtualNetworkSpace(target, cidrs) });
    return {
      flows: flows.map((flow) => ({ flow, parts: flow.parts.map((p) => ({ label: p.label, result: evaluator.evaluate(p.flow) })) })),
      undecided,
      exposure: {
        management: evaluator.evaluate(management), web: web.map((f) => evaluator.evaluate(f)), everything: evaluator.evaluate(everything),
      },
    };
  });
}

/** Where a finding about one security rule points: the standalone rule resource, or the NSG of an inline rule. */
export function ruleSubject(rule: View): Subject {
  const { name: _name, ...subject } = rule.origin;
  return subject;
}

/** A rule as messages name it: `the rule "deny-all" (priority 4000)`, or Azure's default rule. */
export function ruleName(rule: View): string {
  return isDefaultRule(rule) ? `Azure's default rule ${rule.name} (${rule.priority})` : `the rule "${rule.name}" (priority ${rule.priority ?? 'unknown'})`;
}

/** The rules of a list, as messages name them. */
export function ruleNames(rules: readonly View[]): string {
  return rules.map(ruleName).join(', ');
}

/** The prefixes of a rule on the side of a flow's counterpart (inbound: sources; outbound: destinations). */
export function counterpartPrefixes(rule: View, direction: 'Inbound' | 'Outbound'): string {
  const prefixes = direction === 'Inbound' ? rule.sourcePrefixes : rule.destinationPrefixes;
  return prefixes === undefined ? 'an unknown prefix' : prefixes.join(', ');
}

/** Whether an NSG's whole rule set is unknown (reported once per rule). */
export function unknownRuleSet(t: Targets, nsg: Resource): Unknown | undefined {
  return t.rulesOf(nsg).unknown;
}
