/**
 * NSG rules. Required flows come from the one catalog the NSG construct renders (lib/core/nsg-catalog.ts); every
 * flow is judged by the evaluator of lib/core/nsg-evaluate.ts, Azure's default rules included. One mistake gives one
 * finding: a flow that no explicit allow would let through is APIM-NSG-REQUIRED's, a deny ahead of an explicit allow is
 * APIM-NSG-SHADOWED's, a flow only Azure's default rules let through is APIM-NSG-IMPLICIT's.
 */
import { Unknown, isUnknown } from '../model';
import {
  EvaluatedFlow, IndexedView, NsgEvaluation, Result, View, acceptedRegions, counterpartPrefixes, evaluationOf, ruleName, ruleNames,
  ruleSubject,
} from '../nsg-flows';
import { Rule, RuleResult, Subject, defineRule, subjectOf, underCondition } from '../rule';
import { SOURCES } from '../sources';
import { NsgRules, NsgTarget, Targets, unknownSubnets, writtenBlocks } from '../targets';
import { ApimRuleLevel } from '../types';
import { isServiceTag } from '../../core/address-set';
import { REGIONAL_TAGS } from '../../core/nsg-catalog';
import { Share, clientsAllowed, isDefaultRule, splitTag } from '../../core/nsg-evaluate';
import { ExposingRule, exposingRules as exposingRulesOf, publicIpv6Allows } from '../../core/nsg-exposure';

const { ERROR, WARNING } = ApimRuleLevel;

/**
 * Run a per-security-rule check over one NSG: failures and unknowns are reported per rule; when every rule passes, one
 * pass outcome is recorded for the NSG (not one per rule), which keeps the report proportional to resources.
 */
function perRule(r: RuleResult, subject: Subject, fn: () => void): void {
  const before = r.recorded;
  fn();
  if (r.recorded === before) {
    r.pass(subject);
  }
}

/** Each NSG once (an NSG may serve several APIM subnets), with its rules. */
function eachNsg(t: Targets, fn: (target: NsgTarget, rules: NsgRules) => void): void {
  const seen = new Set<unknown>();
  for (const target of t.nsgs) {
    if (!seen.has(target.nsg)) {
      seen.add(target.nsg);
      fn(target, t.rulesOf(target.nsg));
    }
  }
}

/** Each NSG target whose rules can be read; the others are reported unknown by the rule. */
function eachReadable(t: Targets, r: RuleResult, fn: (target: NsgTarget, subject: Subject) => void): void {
  for (const target of t.nsgs) {
    const subject = subjectOf(target.nsg);
    const unknown = t.rulesOf(target.nsg).unknown;
    if (unknown) {
      r.unknown(subject, unknown);
    } else {
      fn(target, subject);
    }
  }
}

/** Judge every platform flow of every readable NSG target. */
function eachFlow(t: Targets, r: RuleResult, judge: (r: RuleResult, subject: Subject, flow: EvaluatedFlow, ev: NsgEvaluation) => void): void {
  eachReadable(t, r, (target, subject) => {
    const ev = evaluationOf(t, target);
    for (const flow of ev.flows) {
      judge(r, subject, flow, ev);
    }
  });
}

function modeText(target: NsgTarget): string {
  const modes = [...new Set(target.users.map((u) => u.mode ?? 'unknown'))].sort();
  const shared = target.users.length > 1 ? `; ${target.users.length} APIM locations use the subnet` : '';
  return `${modes.join(' and ')} mode${target.multiRegion ? ', several locations' : ''}${shared}`;
}

/** The outcomes of a flow that may or may not be required (the mode or the number of locations is not known). */
function flowUnderCondition(r: RuleResult, flow: EvaluatedFlow): RuleResult {
  const { condition, row, port } = flow.flow;
  return underCondition(r, condition === undefined ? undefined
    : `whether ${row.direction} ${row.protocol.toUpperCase()} ${port} ${row.direction === 'Inbound' ? `from ${row.source}` : `to ${row.destination}`} is required: ${condition}`);
}

/** The part of a flow a message names: `Sql.NorthEurope` for a regional part, nothing for a whole flow. */
function partOf(flow: EvaluatedFlow, label: string): string {
  const { row } = flow.flow;
  return label !== (row.direction === 'Inbound' ? row.source : row.destination) ? ` (${label})` : '';
}

/** How a message says that rules allow a flow from some source ports only. */
function sourcePortsOnly(rules: readonly unknown[]): string {
  return `${rules.length > 1 ? 'allow' : 'allows'} only some source ports (a connection comes from whichever port of 1024-65535 its system picks) of`;
}

/** Whether explicit rules allow part of a flow, but for no packet from every source port (and that is known). */
function onlySomeSourcePorts(result: Result): boolean {
  const whole = result.allowedFromEverySourcePort;
  return result.allowed.some && !whole.some && !whole.maybe;
}

/**
 * Why rules' answer is not known at synth time: the reason a rule may not exist as read (an unknown `count`, a stack
 * whose aspects have not run...), else why a field of theirs is not known (a variable, an application security group).
 */
function whyNotKnown(rules: readonly View[]): string {
  return rules.map((rule) => rule.maybe ?? rule.unknownWhy).find((why) => why !== undefined) ?? 'a field is known only at apply time';
}

/** The rules that may decide part of a share, for an undecidable overlap message. */
function overlapText(share: Share<number | undefined>, flow: EvaluatedFlow, label: string, ev: NsgEvaluation): string {
  // The rules whose match is in doubt (a deny of AzureCloud.WestEurope ahead of the ApiManagement allow), else the
  // rules that decide the part.
  const doubtful = share.uncertain.filter((rule) => rule.maybe === undefined && !isDefaultRule(rule));
  const denies = doubtful.filter((rule) => rule.access?.toLowerCase() === 'deny');
  const rules = (denies.length > 0 ? denies : doubtful.length > 0 ? doubtful : share.rules.filter((rule) => rule.maybe === undefined && !isDefaultRule(rule))).map(ev.actual);
  const prefixes = [...new Set(rules.map((rule) => counterpartPrefixes(rule, flow.flow.row.direction)))];
  return `whether ${prefixes.join(' / ') || 'a prefix'} overlaps ${label} cannot be known at synth time (Azure publishes the tag's ranges)`;
}

/**
 * What is off in a near miss, as the NSG's own rule writes it (the near miss was found on the NSG's canonical form,
 * shared with NSGs of other regions: its tags are in lower case, its regions renamed).
 */
function nearMissDetail(miss: ReturnType<NsgEvaluation['nearMisses']>[number], rule: View): string {
  const row = miss.resembles;
  if (miss.kind === 'tag') {
    const written = (rule.direction?.trim().toLowerCase() === 'inbound' ? rule.sourcePrefixes : rule.destinationPrefixes) ?? [];
    return `service tag ${written.filter(isServiceTag).join(', ')} where ${row.id} needs ${row.direction === 'Inbound' ? row.source : row.destination}`;
  }
  if (miss.kind === 'protocol') {
    return `protocol ${String(rule.protocol)} where ${row.id} needs ${row.protocol}`;
  }
  return miss.detail;
}

/** APIM-NSG-REQUIRED for one flow: blocked with no explicit allow for it. */
function required(r: RuleResult, target: NsgTarget, subject: Subject, flow: EvaluatedFlow, ev: NsgEvaluation): void {
  const names = (rules: readonly IndexedView[]) => ruleNames(rules.map(ev.actual));
  const { row, text, detail } = flow.flow;
  const need = () => `APIM needs it for: ${row.purpose}`;
  if (flow.flow.kind === 'client') {
    // Any client is enough: narrowing the sources (Front Door only, a block list) is the user's choice.
    const { result } = flow.parts[0];
    const allowed = clientsAllowed(result);
    if (allowed.some) {
      r.pass(subject, detail);
    } else if (result.shadowed.some || result.shadowed.maybe) {
      // An allow for clients exists (whatever its sources: narrowing them is the user's choice); what a deny ahead of
      // it leaves of the clients is APIM-NSG-SHADOWED's to judge, once.
      r.notApplicable(subject, 'the allow exists; the deny ahead of it is judged by APIM-NSG-SHADOWED', detail);
    } else if (allowed.maybe === 'value') {
      const uncertain = allowed.uncertain.filter((rule) => !isDefaultRule(rule));
      r.unknown(subject, `whether ${names(uncertain.length > 0 ? uncertain : allowed.rules)} lets any client reach the gateway: a value is known only at apply time`, detail);
    } else if (allowed.maybe === 'world') {
      r.fail(subject, `clients may not reach the gateway: ${names(allowed.rules)} allows only addresses that may or may not exist (${text})`, detail, WARNING);
    } else if (clientsAllowed(result, false).some) {
      // Allowed from some source ports only: a client's connection comes from whichever port its system picks.
      const allowing = clientsAllowed(result, false).rules.filter((rule) => !isDefaultRule(rule));
      r.fail(subject, `${names(allowing)} ${sourcePortsOnly(allowing)} ${text} (${modeText(target)}); ${need()}`, detail);
    } else {
      r.fail(subject, `no rule allows ${text} (${modeText(target)}); ${names(result.unallowed.rules)} denies it; ${need()}`, detail);
    }
    return;
  }
  const blocked: string[] = [];
  const partly: string[] = [];
  const maybe: string[] = [];
  let unknown: string | undefined;
  for (const { label, result } of flow.parts) {
    const unallowed = result.unallowed;
    // Messages are built only for what fails (most flows pass, on every NSG).
    const where = () => `${partOf(flow, label)}: ${names(unallowed.rules)} denies it`;
    if (unallowed.all) {
      blocked.push(where());
    } else if (unallowed.some && onlySomeSourcePorts(result)) {
      const allowing = result.allowed.rules.filter((rule) => !isDefaultRule(rule));
      blocked.push(`${partOf(flow, label)}: ${names(allowing)} ${sourcePortsOnly(allowing)} it, ${names(unallowed.rules)} denies the rest`);
    } else if (unallowed.some) {
      partly.push(where());
    } else if (unallowed.maybe === 'world') {
      maybe.push(`${partOf(flow, label)}: ${overlapText(result.allowed.some || result.allowed.maybe ? result.allowed : unallowed, flow, label, ev)}`);
    } else if (unallowed.maybe === 'value') {
      const uncertain = unallowed.uncertain.map(ev.actual);
      unknown = `whether ${uncertain.map((rule) => rule.name).join(', ')} allows ${text}${partOf(flow, label)}: ${whyNotKnown(uncertain)}`;
    }
  }
  if (blocked.length > 0) {
    r.fail(subject, `no rule allows ${text} (${modeText(target)})${blocked.join('; ')}; ${need()}`, detail);
  } else if (partly.length > 0) {
    r.fail(subject, `part of ${text} is denied with no rule allowing it (${modeText(target)})${partly.join('; ')}; ${need()}`, detail, WARNING);
  } else if (maybe.length > 0) {
    r.fail(subject, `${text} may be denied${maybe.join('; ')}; ${need()}`, detail, WARNING);
  } else if (unknown) {
    r.unknown(subject, unknown, detail);
  } else {
    r.pass(subject, detail);
  }
}

/** APIM-NSG-SHADOWED for one flow: a deny ahead of an explicit allow. */
function shadowed(r: RuleResult, subject: Subject, flow: EvaluatedFlow, ev: NsgEvaluation): void {
  const names = (rules: readonly IndexedView[]) => ruleNames(rules.map(ev.actual));
  const { text, detail } = flow.flow;
  const pairs = (result: Result) => result.shadowings.map((p) => `${ruleName(ev.actual(p.deny))} comes before ${ruleName(ev.actual(p.allow))}`).join('; ');
  if (flow.flow.kind === 'client') {
    const { result } = flow.parts[0];
    const share = result.shadowed;
    const clients = clientsAllowed(result);
    if (clients.some || (!share.some && !share.maybe)) {
      r.pass(subject, detail);
    } else if (share.some && !clients.maybe) {
      r.fail(subject, `no client can reach the gateway: ${pairs(result)} and denies every client of ${text}`, detail, WARNING);
    } else if (share.maybe === 'value' || clients.maybe === 'value') {
      r.unknown(subject, `whether any client can reach the gateway past ${names(share.rules)}: a value is known only at apply time`, detail);
    } else {
      // A deny of some addresses ahead of an allow of a service tag (or the reverse): it blocks every client only if
      // Azure put all of the tag's addresses inside the denied ones. Narrowing the clients is the user's choice
      // (RULES.md, Revision 2: a deny of some client ranges is not a finding; only a deny of all of them is).
      r.notApplicable(subject, `${pairs(result)}; it narrows the clients, and blocks all of them only if Azure put every address of a service tag ` +
        'inside the denied ones, which cannot be known at synth time: a block list is your choice', detail);
    }
    return;
  }
  const findings: Array<{ level: ApimRuleLevel; message: string }> = [];
  let unknown: string | undefined;
  for (const { label, result } of flow.parts) {
    const share = result.shadowed;
    const part = partOf(flow, label);
    if (share.all) {
      findings.push({ level: ERROR, message: `${pairs(result)} and blocks all of ${text}${part}` });
    } else if (share.some && onlySomeSourcePorts(result)) {
      findings.push({ level: ERROR, message: `${pairs(result)} and blocks ${text}${part} from some source ports, and a connection comes from whichever port of 1024-65535 its system picks` });
    } else if (share.some) {
      findings.push({ level: WARNING, message: `${pairs(result)} and blocks part of ${text}${part}` });
    } else if (share.maybe === 'world') {
      findings.push({ level: WARNING, message: `${pairs(result)} and may block part of ${text}${part}: ${overlapText(share, flow, label, ev)}` });
    } else if (share.maybe === 'value') {
      const denies = [...share.uncertain, ...share.rules].filter((rule, i, all) => all.indexOf(rule) === i && !isDefaultRule(rule) && rule.access?.toLowerCase() !== 'allow')
        .map(ev.actual);
      unknown = `whether ${denies.map((rule) => `"${rule.name}"`).join(', ')} blocks ${text}${part}: ${whyNotKnown(denies)}`;
    }
  }
  if (findings.length > 0) {
    const level = findings.some((f) => f.level === ERROR) ? ERROR : WARNING;
    r.fail(subject, findings.map((f) => f.message).join('; '), detail, level);
  } else if (unknown) {
    r.unknown(subject, unknown, detail);
  } else {
    r.pass(subject, detail);
  }
}

/** APIM-NSG-IMPLICIT for one flow: only Azure's default rules let (part of) it through. */
function implicit(r: RuleResult, subject: Subject, flow: EvaluatedFlow, ev: NsgEvaluation): void {
  const names = (rules: readonly IndexedView[]) => ruleNames(rules.map(ev.actual));
  const { text, detail, row } = flow.flow;
  if (flow.flow.kind === 'client') {
    r.pass(subject, detail);
    return;
  }
  const relying: string[] = [];
  let unknown = false;
  for (const { label, result } of flow.parts) {
    const share = result.allowedByDefault;
    if (share.some || share.maybe === 'world') {
      relying.push(`${partOf(flow, label)} ${share.some ? 'goes' : 'may go'} through ${names(share.rules)}`);
    } else if (share.maybe === 'value') {
      unknown = true;
    }
  }
  if (relying.length > 0) {
    r.fail(subject, `no explicit rule allows ${text}; it${relying.join(';')} only. The docs list an explicit allow (${row.purpose}), so that a later deny cannot break APIM`, detail);
  } else if (unknown) {
    r.unknown(subject, `whether ${text} relies on Azure's default rules: a field is known only at apply time`, detail);
  } else {
    r.pass(subject, detail);
  }
}

/** Rules that allow public addresses other than the platform's to reach the subnet (APIM-NSG-EXPOSED and -INTERNAL-PUBLIC). */
function exposingRules(result: Result, rules: readonly View[], onlyAllPorts: boolean): Array<ExposingRule<View>> {
  return exposingRulesOf(result, rules, onlyAllPorts, (view, index) => view.origin === index);
}


const REGIONAL_BASES = new Set(REGIONAL_TAGS.map((tag) => tag.toLowerCase()));

/** The regional service tags (`Storage.WestEurope`) a rule uses. */
function regionalTagsOf(view: View): string[] {
  return [...(view.sourcePrefixes ?? []), ...(view.destinationPrefixes ?? [])]
    .filter((p) => p.includes('.') && isServiceTag(p) && REGIONAL_BASES.has(splitTag(p).base));
}

/** The NSG rules, in the order of the README table (the catalog concatenates the area lists). */
export const NSG_RULES: readonly Rule[] = [
  defineRule({
    id: 'APIM-NSG-REQUIRED', level: ERROR, area: 'nsg', source: SOURCES.reference,
    title: 'no flow APIM requires for the mode is blocked: with Azure\'s default rules, something allows each of them',
    why: 'A blocked flow fails the deployment, or breaks management, monitoring or certificate checks',
    fix: 'add an Allow rule for the flow (ApimNetworkSecurityGroup renders all of them)',
    check(t, r) {
      // A subnet that cannot be read leaves its NSG unknown, unless an association names it by the same reference.
      unknownSubnets(t, r, (u) => !u.nsgKnown);
      for (const { subject, reason } of t.unreadableNsgs) {
        r.unknown(subject, new Unknown(`the subnet's NSG: ${reason.reason}; its rules cannot be checked`));
      }
      eachReadable(t, r, (target, subject) => {
        const ev = evaluationOf(t, target);
        for (const flow of ev.flows) {
          required(flowUnderCondition(r, flow), target, subject, flow, ev);
        }
      });
    },
  }),
  defineRule({
    id: 'APIM-NSG-SHADOWED', level: ERROR, area: 'nsg', source: SOURCES.reference,
    title: 'no deny rule ahead of an allow blocks a flow APIM requires (warning when it blocks or may block only part of it)',
    why: 'The first matching rule wins: an earlier deny disables the required allow',
    fix: 'give the deny a larger priority number than the allow, or narrow it',
    check(t, r) {
      eachFlow(t, r, (result, subject, flow, ev) => shadowed(flowUnderCondition(result, flow), subject, flow, ev));
    },
  }),
  defineRule({
    id: 'APIM-NSG-IMPLICIT', level: WARNING, area: 'nsg', source: SOURCES.reference,
    title: 'each flow APIM requires has the explicit allow the docs list, not only Azure\'s default rules',
    why: 'A flow that only AllowInternetOutBound or AllowAzureLoadBalancerInBound lets through breaks as soon as someone adds a deny',
    fix: 'add the documented Allow rule for the flow (ApimNetworkSecurityGroup renders all of them)',
    check(t, r) {
      eachFlow(t, r, (result, subject, flow, ev) => implicit(flowUnderCondition(result, flow), subject, flow, ev));
    },
  }),
  defineRule({
    id: 'APIM-NSG-NEARMISS', level: WARNING, area: 'nsg', source: SOURCES.nearMisses,
    title: 'no rule that looks like a required one but is off by a typo or a field',
    why: 'Port typos (1443, 433, 3433) and wrong directions pass review and break later',
    fix: 'correct the field the finding names',
    check(t, r) {
      for (const target of t.nsgs) {
        const rules = t.rulesOf(target.nsg);
        if (rules.unknown) {
          r.unknown(subjectOf(target.nsg), rules.unknown);
          continue;
        }
        const evaluation = evaluationOf(t, target);
        perRule(r, subjectOf(target.nsg), () => {
          for (const view of rules.views) {
            const fields = [view.direction, view.access, view.protocol, view.sourcePrefixes, view.destinationPrefixes, view.destinationPorts];
            if (fields.some((f) => f === undefined)) {
              r.unknown(ruleSubject(view), `a field of rule "${view.name}" is known only at apply time`, view.name);
            }
          }
          for (const miss of evaluation.nearMisses()) {
            const row = miss.resembles;
            const rule = evaluation.actual(miss.rule);
            r.fail(ruleSubject(rule),
              `rule "${rule.name}" looks like the APIM rule ${row.id} (${row.direction} ${row.protocol} ${row.ports.join(',')} ${row.direction === 'Inbound' ? `from ${row.source}` : `to ${row.destination}`}) but has ${nearMissDetail(miss, rule)}`,
              `${rule.name}:${miss.kind}`);
          }
        });
      }
    },
  }),
  defineRule({
    id: 'APIM-NSG-EXPOSED', level: ERROR, area: 'nsg', source: SOURCES.reference,
    title: 'no inbound allow from public addresses other than ApiManagement reaches port 3443 or every port',
    why: 'The management endpoint must only be reachable from the ApiManagement service tag',
    fix: 'restrict the source to ApiManagement (3443) or to the ports the gateway serves',
    check(t, r) {
      eachNsg(t, (target, rules) => {
        if (rules.unknown) {
          r.unknown(subjectOf(target.nsg), rules.unknown);
          return;
        }
        const { exposure } = evaluationOf(t, target);
        perRule(r, subjectOf(target.nsg), () => {
          const reported = new Set<View>();
          const report = (found: ReturnType<typeof exposingRules>, what: string) => {
            for (const { rule, answer } of found.filter((e) => !reported.has(e.rule))) {
              reported.add(rule);
              const sources = rule.sourcePrefixes?.join(', ') ?? 'an unknown source';
              if (answer === 'yes') {
                r.fail(ruleSubject(rule), `rule "${rule.name}" allows inbound from ${sources} to ${what}`, rule.name);
              } else if (answer === 'world') {
                r.fail(ruleSubject(rule), `rule "${rule.name}" may allow inbound from public addresses other than ApiManagement to ${what}: whether ${sources} holds only ApiManagement addresses cannot be known at synth time`, rule.name, WARNING);
              } else {
                r.unknown(ruleSubject(rule), `whether rule "${rule.name}" opens ${what} to the internet: ${whyNotKnown([rule])}`, rule.name);
              }
            }
          };
          report(exposingRules(exposure.everything, rules.views, true), 'all ports');
          report(exposingRules(exposure.management, rules.views, false), 'the management port 3443');
          for (const { view, ipv6 } of publicIpv6Allows(rules.views, [3443]).filter((a) => !reported.has(a.view))) {
            r.fail(ruleSubject(view), `rule "${view.name}" allows inbound from ${ipv6.join(', ')} to the management port 3443`, view.name);
          }
        });
      });
    },
  }),
  defineRule({
    id: 'APIM-NSG-INTERNAL-PUBLIC', level: WARNING, area: 'nsg', source: SOURCES.internal,
    title: 'Internal mode: no inbound allow from public addresses reaches 80 or 443',
    why: 'An Internal gateway is meant to be private',
    fix: 'restrict the source to your networks, or use External mode',
    check(t, r) {
      // Only where no user of the subnet runs in External mode (an External gateway must let clients in).
      for (const target of t.nsgs.filter((n) => !n.users.some((u) => u.mode === 'External'))) {
        const rules = t.rulesOf(target.nsg);
        if (rules.unknown) {
          r.unknown(subjectOf(target.nsg), rules.unknown);
          continue;
        }
        const { exposure } = evaluationOf(t, target);
        perRule(r, subjectOf(target.nsg), () => {
          const found = new Map<View, { answer: string; ports: number[]; sources?: string }>();
          exposure.web.forEach((result, i) => {
            for (const { rule, answer } of exposingRules(result, rules.views, false)) {
              const entry = found.get(rule) ?? { answer, ports: [] };
              entry.ports.push([80, 443][i]);
              found.set(rule, entry);
            }
          });
          for (const { view, ipv6, ports } of publicIpv6Allows(rules.views, [80, 443]).filter((a) => !found.has(a.view))) {
            found.set(view, { answer: 'yes', ports, sources: ipv6.join(', ') });
          }
          for (const [rule, { answer, ports, sources: ipv6Sources }] of found) {
            const sources = ipv6Sources ?? rule.sourcePrefixes?.join(', ') ?? 'an unknown source';
            const unknownMode = target.users.find((u) => u.mode === undefined);
            if (unknownMode) {
              const why = unknownMode.modeUnknown ? ` (${unknownMode.modeUnknown.reason})` : '';
              r.unknown(ruleSubject(rule), `rule "${rule.name}" allows inbound from ${sources} to ${ports.join(' and ')}, which matters only in Internal mode, and the mode is not known${why}`, rule.name);
            } else if (answer === 'value') {
              r.unknown(ruleSubject(rule), `whether rule "${rule.name}" opens the gateway to the internet: ${whyNotKnown([rule])}`, rule.name);
            } else {
              r.fail(ruleSubject(rule), `Internal mode, but rule "${rule.name}" ${answer === 'yes' ? 'allows' : 'may allow'} inbound from ${sources} to ${ports.join(' and ')}`, rule.name);
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
      eachNsg(t, (target, rules) => perRule(r, subjectOf(target.nsg), () => {
        if (rules.opaque) {
          r.unknown(subjectOf(target.nsg), rules.opaque);
        }
        const taken = new Map<string, View>();
        for (const view of rules.views.filter((v) => v.maybe === undefined)) {
          const subject = ruleSubject(view);
          if (view.priority === undefined || view.direction === undefined) {
            r.unknown(subject, `the priority or direction of rule "${view.name}" is known only at apply time`, view.name);
            continue;
          }
          const p = view.priority;
          if (!Number.isInteger(p) || p < 100 || p > 4096) {
            r.fail(subject, `rule "${view.name}" has priority ${p}, ${Number.isInteger(p) ? 'outside 100-4096' : 'which is not a whole number'}`, view.name);
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
        for (const view of rules.views.filter((v) => v.maybe !== undefined)) {
          r.unknown(ruleSubject(view), `the priorities of rule "${view.name}": ${view.maybe}`, view.name);
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
      eachNsg(t, ({ nsg }, rules) => {
        if (rules.opaque) {
          r.unknown(subjectOf(nsg), rules.opaque);
          return;
        }
        // `security_rule` is an "attributes as blocks" argument (see writtenBlocks; the azurerm docs of
        // network_security_group): set, the provider removes every rule it does not list.
        const written = writtenBlocks(nsg, 'security_rule');
        const inlineSet = written !== 'unset';
        const standalone = rules.standalone.filter((s) => s.maybe === undefined);
        const anyStandalone = rules.maybeStandalone.length > 0 || rules.standalone.length > 0;
        // Set only if a `dynamic` block over a collection not known at synth time produces a block (or the value itself is unknown).
        const maybeSet = isUnknown(written) ? written : undefined;
        if (maybeSet && anyStandalone) {
          r.unknown(subjectOf(nsg), `whether security_rule is set beside ${[...rules.standalone, ...rules.maybeStandalone].map((s) => s.address).join(', ')}: ${maybeSet.reason}`);
          return;
        }
        if (inlineSet && standalone.length === 0 && anyStandalone) {
          r.unknown(subjectOf(nsg), `whether ${[...rules.maybeStandalone, ...rules.standalone].map((s) => s.address).join(', ')} targets this NSG`);
          return;
        }
        r.check(subjectOf(nsg), !(inlineSet && standalone.length > 0),
          () => `the NSG has inline security_rule blocks and is also the target of ${standalone.map((s) => s.address).join(', ')}; the provider overwrites one with the other`);
      });
    },
  }),
  defineRule({
    id: 'APIM-NSG-TAG-IN-LIST', level: ERROR, area: 'nsg', source: SOURCES.azurermNsgRule,
    title: 'no service tag in the plural prefix lists',
    why: 'Only the singular source/destination_address_prefix fields take service tags',
    fix: 'put the tag in the singular field (one rule per tag)',
    check(t, r) {
      eachNsg(t, ({ nsg }, rules) => perRule(r, subjectOf(nsg), () => {
        if (rules.opaque) {
          r.unknown(subjectOf(nsg), rules.opaque);
        }
        const blocks = [
          ...rules.inline.map((block) => ({ subject: subjectOf(nsg), block })),
          ...rules.standalone.map((rule) => ({ subject: subjectOf(rule), block: rule.config })),
        ];
        for (const { subject, block } of blocks) {
          const name = String(nsg.model.str(block.name) ?? '?');
          const tags: string[] = [];
          let unknown = false;
          for (const field of ['source_address_prefixes', 'destination_address_prefixes']) {
            const list = nsg.model.strings(block[field]);
            if (isUnknown(list)) {
              unknown = true;
            } else {
              tags.push(...(list ?? []).filter((p) => isServiceTag(p) || p.trim() === '*').map((p) => `${field} "${p}"`));
            }
          }
          if (tags.length > 0) {
            r.fail(subject, `rule "${name}" has a service tag in a plural list: ${tags.join(', ')}; only the singular *_address_prefix fields take tags`, name);
          } else if (unknown) {
            r.unknown(subject, `a prefix list of rule "${name}" is known only at apply time`, name);
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
        const opaque = t.rulesOf(target.nsg).opaque;
        if (opaque) {
          r.unknown(subjectOf(target.nsg), opaque);
          continue;
        }
        const regional = t.rulesOf(target.nsg).views.map((view) => ({ view, tags: regionalTagsOf(view) })).filter((v) => v.tags.length > 0);
        if (regional.length === 0) {
          continue;
        }
        const accepted = new Set(acceptedRegions(t, target));
        const own = t.model.location(target.nsg);
        perRule(r, subjectOf(target.nsg), () => {
          for (const { view, tags } of regional) {
            const primaries = target.users.map((u) => u.primaryLocation);
            const unknownPrimary = primaries.find((p) => isUnknown(p)) as Unknown | undefined;
            if (typeof own !== 'string' || unknownPrimary) {
              r.unknown(ruleSubject(view), isUnknown(own) ? own : unknownPrimary ?? 'the NSG\'s location', view.name);
              continue;
            }
            const foreign = tags.filter((p) => !accepted.has(splitTag(p).region as string));
            if (foreign.length > 0) {
              const named = [...new Set(primaries as string[])];
              r.fail(ruleSubject(view),
                `rule "${view.name}" uses ${foreign.join(', ')}, which names neither the NSG's region ${own} nor the primary region ${named.join(' or ')}`, view.name);
            }
          }
        });
      }
    },
  }),
];
