/**
 * NSG rules. Required flows come from the one catalog the NSG construct renders (lib/core/nsg-catalog.ts).
 */
import { Rule, RuleResult, Subject, defineRule, subjectOf } from '../rule';
import { SOURCES } from '../sources';
import { ApimRuleLevel } from '../types';
import { Ipv4Cidr, parseIpv4CidrLenient } from '../../core/cidr';
import { REGIONAL_TAGS, catalogRules, isRequired } from '../../core/nsg-catalog';
import {
  EvaluationContext, RuleView, evaluateFlow, findNearMisses, flowsOf, isServiceTag, parsePortRange, splitTag,
} from '../../core/nsg-evaluate';
import { ApimVirtualNetworkType } from '../../core/types';
import { Resource, Unknown, isUnknown } from '../model';
import { NsgRules, NsgTarget, Targets, unknownSubnets } from '../targets';

type View = RuleView<Subject & { name: string }>;

const PUBLIC_SOURCES = new Set(['*', 'any', 'internet', '0.0.0.0/0', '::/0', '0.0.0.0']);

function rulesOf(t: Targets, nsg: Resource): NsgRules {
  return t.rulesOf(nsg);
}

function contextOf(t: Targets, target: NsgTarget): EvaluationContext {
  const regions = new Set<string>();
  const own = t.model.location(target.nsg);
  if (typeof own === 'string') {
    regions.add(own);
  }
  if (typeof target.primaryLocation === 'string') {
    regions.add(target.primaryLocation);
  }
  return { acceptedRegions: regions };
}

function subnetCidrs(t: Targets, target: NsgTarget): Ipv4Cidr[] | undefined {
  const list = t.model.strings(target.subnet.config.address_prefixes);
  if (!Array.isArray(list) || list.length === 0) {
    return undefined;
  }
  const parsed = list.map(parseIpv4CidrLenient);
  return parsed.every((p) => p !== undefined) ? (parsed as Ipv4Cidr[]) : undefined;
}

function modeOf(target: NsgTarget): ApimVirtualNetworkType {
  return target.mode === 'Internal' ? ApimVirtualNetworkType.INTERNAL : ApimVirtualNetworkType.EXTERNAL;
}

function ruleSubject(rule: View): Subject {
  return { address: rule.origin.address, path: rule.origin.path };
}

function describeFlow(direction: string, protocol: string, port: number, source: string, destination: string): string {
  return `${direction} ${protocol.toUpperCase()} ${port} from ${source} to ${destination}`;
}

function evaluateTarget(t: Targets, target: NsgTarget) {
  const rules = rulesOf(t, target.nsg);
  const context = contextOf(t, target);
  const cidrs = subnetCidrs(t, target);
  const results = [];
  // Only rules of the flow's direction (or of an unknown one) can match it.
  const byDirection = (direction: string) => rules.views.filter((v) => v.direction === undefined || v.direction.toLowerCase() === direction);
  const inbound = byDirection('inbound');
  const outbound = byDirection('outbound');
  for (const row of catalogRules().filter((r) => isRequired(r, modeOf(target), target.multiRegion))) {
    const views = row.direction === 'Inbound' ? inbound : outbound;
    for (const flow of flowsOf(row, cidrs)) {
      const counterpart = row.direction === 'Inbound' ? row.source : row.destination;
      results.push({
        row, flow, detail: `${row.direction}:${counterpart}:${flow.port}`,
        text: describeFlow(row.direction, row.protocol, flow.port, row.source, row.destination),
        result: evaluateFlow(views, flow, context),
      });
    }
  }
  return results;
}

/** Each target's required flows, evaluated once per evaluation and shared by REQUIRED, SHADOWED and NEARMISS. */
function evaluated(t: Targets, target: NsgTarget): ReturnType<typeof evaluateTarget> {
  return t.memo(target, 'required-flows', () => evaluateTarget(t, target));
}

function isAllowInbound(view: View): boolean | undefined {
  if (view.direction === undefined || view.access === undefined) {
    return undefined;
  }
  return view.direction.toLowerCase() === 'inbound' && view.access.toLowerCase() === 'allow';
}

function publicSources(view: View): string[] | undefined {
  return view.sourcePrefixes?.filter((p) => PUBLIC_SOURCES.has(p.trim().toLowerCase()));
}

function portsCover(view: View, port: number): boolean | undefined {
  if (view.destinationPorts === undefined) {
    return undefined;
  }
  return view.destinationPorts.some((p) => {
    const range = parsePortRange(p);
    return range !== undefined && range[0] <= port && port <= range[1];
  });
}

function allPorts(view: View): boolean | undefined {
  if (view.destinationPorts === undefined) {
    return undefined;
  }
  return view.destinationPorts.some((p) => {
    const range = parsePortRange(p);
    return range !== undefined && range[0] === 0 && range[1] === 65535;
  });
}

/**
 * Run a per-security-rule check over one NSG: failures and unknowns are reported per rule; when every rule passes, one
 * pass outcome is recorded for the NSG (not one per rule), which keeps the report proportional to resources.
 */
function perRule(r: RuleResult, nsg: Resource, fn: () => void): void {
  const before = r.recorded;
  fn();
  if (r.recorded === before) {
    r.pass(subjectOf(nsg));
  }
}

function eachNsg(t: Targets, fn: (nsg: Resource, rules: NsgRules, target: NsgTarget) => void): void {
  const seen = new Set<Resource>();
  for (const target of t.nsgs) {
    if (!seen.has(target.nsg)) {
      seen.add(target.nsg);
      fn(target.nsg, rulesOf(t, target.nsg), target);
    }
  }
}

const REGIONAL_BASES = new Set(REGIONAL_TAGS.map((tag) => tag.toLowerCase()));

/** The regional service tags (`Storage.WestEurope`) a rule uses. */
function regionalTagsOf(view: View): string[] {
  return [...(view.sourcePrefixes ?? []), ...(view.destinationPrefixes ?? [])]
    .filter((p) => p.includes('.') && isServiceTag(p) && REGIONAL_BASES.has(splitTag(p).base));
}

const { ERROR, WARNING } = ApimRuleLevel;

/** The nsg rules, in the order of the README table (the catalog concatenates the area lists). */
export const NSG_RULES: readonly Rule[] = [
  defineRule({
    id: 'APIM-NSG-REQUIRED', level: ERROR, area: 'nsg', source: SOURCES.reference,
    title: 'every rule APIM requires for the mode exists and is effective',
    why: 'Without them the deployment fails, or management, monitoring or certificate checks break',
    fix: 'add an Allow rule for the flow (ApimNetworkSecurityGroup renders all of them)',
    check(t, r) {
      unknownSubnets(t, r);
      for (const { subnet, reason } of t.unreadableNsgs) {
        r.unknown(subjectOf(subnet.subnet), new Unknown(`the subnet's NSG: ${reason.reason}; its rules cannot be checked`));
      }
      for (const target of t.nsgs) {
        const subject = subjectOf(target.nsg);
        const rules = rulesOf(t, target.nsg);
        if (rules.unknown && rules.views.length === 0) {
          r.unknown(subject, rules.unknown);
          continue;
        }
        for (const item of evaluated(t, target)) {
          const { result } = item;
          if (result.coverage === 'allowed') {
            r.pass(subject, item.detail);
          } else if (result.coverage === 'unknown' || rules.unknown) {
            const names = result.maybeCovering.map((r) => r.name);
            r.unknown(subject,
              rules.unknown ?? new Unknown(`whether ${names.join(', ')} allows ${item.text}: a field is known only at apply time`), item.detail);
          } else {
            const denied = result.shadowing.length > 0 ? `; the deny rule "${result.shadowing[0].name}" (priority ${result.shadowing[0].priority}) matches it` : '';
            r.fail(subject,
              `no rule allows ${item.text} (${target.mode} mode${target.multiRegion ? ', several locations' : ''}); APIM needs it for: ${item.row.purpose}${denied}`,
              item.detail);
          }
        }
      }
    },
  }),
  defineRule({
    id: 'APIM-NSG-SHADOWED', level: ERROR, area: 'nsg', source: SOURCES.reference,
    title: 'no deny rule with a smaller priority number blocks part of a required flow',
    why: 'The first matching rule wins: an earlier deny disables the required allow',
    fix: 'give the deny a larger priority number than the allow, or narrow it',
    check(t, r) {
      for (const target of t.nsgs) {
        const subject = subjectOf(target.nsg);
        if (rulesOf(t, target.nsg).unknown && rulesOf(t, target.nsg).views.length === 0) {
          r.unknown(subject, rulesOf(t, target.nsg).unknown as Unknown);
          continue;
        }
        for (const item of evaluated(t, target)) {
          const { result } = item;
          if (result.coverage !== 'allowed' || !result.covering) {
            continue;
          }
          if (result.shadowing.length > 0) {
            const deny = result.shadowing[0];
            r.fail(subject,
              `the deny rule "${deny.name}" (priority ${deny.priority}) comes before "${result.covering.name}" (priority ${result.covering.priority}) and blocks part of ${item.text}`,
              item.detail);
          } else if (result.maybeShadowing.length > 0) {
            r.unknown(subject,
              `whether ${result.maybeShadowing.map((r) => `"${r.name}"`).join(', ')} blocks ${item.text}: a field is known only at apply time`, item.detail);
          } else {
            r.pass(subject, item.detail);
          }
        }
      }
    },
  }),
  defineRule({
    id: 'APIM-NSG-NEARMISS', level: WARNING, area: 'nsg', source: SOURCES.nearMisses,
    title: 'no rule that looks like a required one but is off by a typo or a field',
    why: 'Port typos (1443, 433, 3433) and wrong directions pass review and break later',
    fix: 'correct the field the finding names',
    check(t, r) {
      for (const target of t.nsgs) {
        const rules = rulesOf(t, target.nsg);
        const satisfied = new Set(evaluated(t, target).filter((e) => e.result.coverage === 'allowed').map((e) => e.row.id));
        perRule(r, target.nsg, () => {
          for (const view of rules.views) {
            const fields = [view.direction, view.access, view.protocol, view.sourcePrefixes, view.destinationPrefixes, view.destinationPorts];
            if (fields.some((f) => f === undefined)) {
              r.unknown(ruleSubject(view), `a field of rule "${view.name}" is known only at apply time`, view.name);
            }
          }
          for (const miss of findNearMisses(rules.views, (row) => satisfied.has(row.id))) {
            r.fail(ruleSubject(miss.rule),
              `rule "${miss.rule.name}" looks like the APIM rule ${miss.resembles.id} (${miss.resembles.direction} ${miss.resembles.protocol} ${miss.resembles.ports.join(',')} ${miss.resembles.direction === 'Inbound' ? `from ${miss.resembles.source}` : `to ${miss.resembles.destination}`}) but has ${miss.detail}`,
              `${miss.rule.name}:${miss.kind}`);
          }
        });
      }
    },
  }),
  defineRule({
    id: 'APIM-NSG-EXPOSED', level: ERROR, area: 'nsg', source: SOURCES.reference,
    title: 'no inbound allow from a public source to port 3443 or to all ports',
    why: 'The management endpoint must only be reachable from the ApiManagement service tag',
    fix: 'restrict the source to ApiManagement (3443) or to the ports the gateway serves',
    check(t, r) {
      eachNsg(t, (nsg, rules) => {
        if (rules.unknown && rules.views.length === 0) {
          r.unknown(subjectOf(nsg), rules.unknown);
          return;
        }
        perRule(r, nsg, () => {
          for (const view of rules.views) {
            const inbound = isAllowInbound(view);
            const sources = publicSources(view);
            if (inbound === false || (sources !== undefined && sources.length === 0) || view.protocol?.toLowerCase() === 'icmp') {
              continue;
            }
            const management = portsCover(view, 3443);
            const everything = allPorts(view);
            if (inbound === undefined || sources === undefined || management === undefined) {
              r.unknown(ruleSubject(view), `whether rule "${view.name}" opens 3443 to the internet: a field is known only at apply time`, view.name);
            } else if (management || everything) {
              r.fail(ruleSubject(view),
                `rule "${view.name}" allows inbound from ${sources.join(', ')} to ${everything ? 'all ports' : 'the management port 3443'}`, view.name);
            }
          }
        });
      });
    },
  }),
  defineRule({
    id: 'APIM-NSG-INTERNAL-PUBLIC', level: WARNING, area: 'nsg', source: SOURCES.internal,
    title: 'Internal mode: no inbound allow from a public source to 80 or 443',
    why: 'An Internal gateway is meant to be private',
    fix: 'restrict the source to your networks, or use External mode',
    check(t, r) {
      for (const target of t.nsgs.filter((n) => n.mode === 'Internal')) {
        perRule(r, target.nsg, () => {
          for (const view of rulesOf(t, target.nsg).views) {
            const inbound = isAllowInbound(view);
            const sources = publicSources(view);
            if (inbound === false || (sources !== undefined && sources.length === 0)) {
              continue;
            }
            const web = [80, 443].filter((p) => portsCover(view, p));
            if (inbound === undefined || sources === undefined || view.destinationPorts === undefined) {
              r.unknown(ruleSubject(view), `whether rule "${view.name}" opens the gateway to the internet`, view.name);
            } else if (web.length > 0) {
              r.fail(ruleSubject(view),
                `Internal mode, but rule "${view.name}" allows inbound from ${sources.join(', ')} to ${web.join(' and ')}`, view.name);
            }
          }
        });
      }
    },
  }),
  defineRule({
    id: 'APIM-NSG-PRIORITY', level: ERROR, area: 'nsg', source: SOURCES.azurermNsgRule,
    title: 'priorities are 100-4096 and unique per direction',
    why: 'Azure rejects duplicates and out-of-range priorities at apply time',
    fix: 'give each rule its own priority from 100 to 4096',
    check(t, r) {
      eachNsg(t, (nsg, rules) => perRule(r, nsg, () => {
        const taken = new Map<string, View>();
        for (const view of rules.views) {
          const subject = ruleSubject(view);
          if (view.priority === undefined || view.direction === undefined) {
            r.unknown(subject, `the priority or direction of rule "${view.name}" is known only at apply time`, view.name);
            continue;
          }
          const p = view.priority;
          if (!Number.isInteger(p) || p < 100 || p > 4096) {
            r.fail(subject, `rule "${view.name}" has priority ${p}, outside 100-4096`, view.name);
            continue;
          }
          const key = `${view.direction.toLowerCase()}:${p}`;
          const first = taken.get(key);
          if (first) {
            r.fail(subject, `rules "${first.name}" and "${view.name}" both have ${view.direction} priority ${p}`, view.name);
          } else {
            taken.set(key, view);
          }
        }
      }));
    },
  }),
  defineRule({
    id: 'APIM-NSG-MIXED', level: ERROR, area: 'nsg', source: SOURCES.azurermNsg,
    title: 'an NSG has inline rules or standalone rules, not both',
    why: 'The provider overwrites one set with the other on every apply',
    fix: 'move every rule inline, or every rule to azurerm_network_security_rule',
    check(t, r) {
      eachNsg(t, (nsg, rules) => {
        const inlineSet = nsg.config.security_rule !== undefined && nsg.config.security_rule !== null;
        if (inlineSet && rules.standalone.length === 0 && rules.maybeStandalone.length > 0) {
          r.unknown(subjectOf(nsg), `whether ${rules.maybeStandalone.map((r) => r.address).join(', ')} targets this NSG`);
          return;
        }
        r.check(subjectOf(nsg), !(inlineSet && rules.standalone.length > 0),
          () => `the NSG has inline security_rule blocks and is also the target of ${rules.standalone.map((r) => r.address).join(', ')}; the provider overwrites one with the other`);
      });
    },
  }),
  defineRule({
    id: 'APIM-NSG-TAG-IN-LIST', level: ERROR, area: 'nsg', source: SOURCES.azurermNsgRule,
    title: 'no service tag in the plural prefix lists',
    why: 'Only the singular source/destination_address_prefix fields take service tags',
    fix: 'put the tag in the singular field (one rule per tag)',
    check(t, r) {
      eachNsg(t, (nsg, rules) => perRule(r, nsg, () => {
        const blocks: Array<[Subject, Record<string, unknown>, string]> = [
          ...rules.inline.map((b) => [subjectOf(nsg), b, String(b.name ?? '?')] as [Subject, Record<string, unknown>, string]),
          ...rules.standalone.map((r) => [subjectOf(r), t.model.resolve(r.config) as Record<string, unknown>, String(t.model.str(r.config.name) ?? r.name)] as [Subject, Record<string, unknown>, string]),
        ];
        for (const [subject, block, name] of blocks) {
          const lists = ['source_address_prefixes', 'destination_address_prefixes'].map((field) => block[field]);
          const unknown = lists.find((list) => isUnknown(list) || (Array.isArray(list) && list.some(isUnknown)));
          if (unknown) {
            r.unknown(subject, `a prefix list of rule "${name}" is known only at apply time`, name);
            continue;
          }
          const tags = ['source_address_prefixes', 'destination_address_prefixes'].flatMap((field) => {
            const list = block[field];
            return Array.isArray(list)
              ? list.filter((p): p is string => typeof p === 'string' && (isServiceTag(p) || p.trim() === '*')).map((p) => `${field} "${p}"`)
              : [];
          });
          if (tags.length > 0) {
            r.fail(subject, `rule "${name}" has a service tag in a plural list: ${tags.join(', ')}; only the singular *_address_prefix fields take tags`, name);
          }
        }
      }));
    },
  }),
  defineRule({
    id: 'APIM-NSG-REGIONAL-TAG', level: WARNING, area: 'nsg', source: SOURCES.reference,
    title: 'regional tags name the NSG\'s region or the primary region',
    why: 'A regional tag of another region does not cover APIM\'s dependencies',
    fix: 'use Storage.<own region> and Storage.<primary region>, or the global tag',
    check(t, r) {
      for (const target of t.nsgs) {
        const regional = rulesOf(t, target.nsg).views.map((view) => ({ view, tags: regionalTagsOf(view) })).filter((r) => r.tags.length > 0);
        if (regional.length === 0) {
          continue;
        }
        const context = contextOf(t, target);
        const own = t.model.location(target.nsg);
        perRule(r, target.nsg, () => {
          for (const { view, tags } of regional) {
            if (typeof own !== 'string' || typeof target.primaryLocation !== 'string') {
              r.unknown(ruleSubject(view),
                isUnknown(own) ? own : isUnknown(target.primaryLocation) ? target.primaryLocation : 'the NSG\'s location', view.name);
              continue;
            }
            const foreign = tags.filter((p) => !context.acceptedRegions.has(splitTag(p).region as string));
            if (foreign.length > 0) {
              r.fail(ruleSubject(view),
                `rule "${view.name}" uses ${foreign.join(', ')}, which names neither the NSG's region ${own} nor the primary region ${String(target.primaryLocation)}`, view.name);
            }
          }
        });
      }
    },
  }),
];
