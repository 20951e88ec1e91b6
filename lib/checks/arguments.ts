/**
 * The arguments of the checks' public functions, read safely: what a caller passes may be anything (a Proxy, an object
 * with getters that throw, a cyclic or half-parsed document). Every read of a caller's object happens here, inside a
 * guard that turns whatever it throws into an `ApimNetworkError` naming the argument; documents and options are copied
 * into plain data once, so the engine never touches the caller's objects again. Pure: no cdktf.
 */
import { ApimNetworkError, ApimNetworkErrorCode, ApimNetworkProblem, renderValue } from '../core/errors';
import { setOwn } from '../core/objects';
import { visibleLength } from '../core/visible';
import { RULES, UNKNOWN_RULE, UNUSED_SUPPRESSION_RULE, isRuleId } from './catalog';
import { editDistance } from '../core/locations';
import { ApimSuppression } from './types';

const { INVALID_TYPE, INVALID_SUPPRESSION } = ApimNetworkErrorCode;

function problem(prop: string, value: unknown, what: string, accepted: string, code = INVALID_TYPE): ApimNetworkProblem {
  return { code, prop, value: safeRender(value), problem: what, accepted };
}

/** `renderValue`, which never throws (a Proxy may throw from any trap). */
function safeRender(value: unknown): string {
  try {
    return renderValue(value);
  } catch {
    return '(unprintable value)';
  }
}

/**
 * Read a caller's argument: anything `read` throws (a getter, a Proxy trap) becomes an `ApimNetworkError` naming the
 * argument; this library's own errors pass through.
 */
export function guard<T>(where: string, prop: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ApimNetworkError) {
      throw error;
    }
    const message = (() => {
      try {
        return error instanceof Error ? error.message : String(error);
      } catch {
        return 'an error that cannot be printed';
      }
    })();
    throw new ApimNetworkError(where, [problem(prop, '(not readable)', `reading it threw: ${message.slice(0, 200)}`,
      'pass plain data (objects, lists, strings, numbers, booleans), without getters that throw or Proxies')]);
  }
}

const MAX_DEPTH = 200;

/**
 * A deep copy of parsed JSON as plain data, read once under a guard: objects (plain or without prototype), lists,
 * strings, finite numbers, booleans and null. Anything else (a function, a class instance, a cycle, NaN) is refused.
 */
export function plainJson(where: string, prop: string, value: unknown): unknown {
  const seen = new Set<object>();
  const copy = (v: unknown, path: string, depth: number): unknown => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') {
      return v;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) {
        throw new ApimNetworkError(where, [problem(path, v, 'it is not a finite number', 'JSON holds finite numbers only')]);
      }
      return v;
    }
    if (typeof v !== 'object' || depth > MAX_DEPTH) {
      throw new ApimNetworkError(where, [problem(path, v === undefined ? '(undefined)' : typeof v,
        depth > MAX_DEPTH ? 'it is nested too deeply' : `a ${typeof v} is not JSON`, 'pass parsed JSON (JSON.parse of a cdk.tf.json)')]);
    }
    if (seen.has(v)) {
      throw new ApimNetworkError(where, [problem(path, '(cycle)', 'it refers to itself', 'pass parsed JSON, which has no cycles')]);
    }
    seen.add(v);
    try {
      if (Array.isArray(v)) {
        return Array.from({ length: v.length }, (_, i) => copy(v[i], `${path}[${i}]`, depth + 1));
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        throw new ApimNetworkError(where, [problem(path, `(${(v as object).constructor?.name ?? 'object'})`, 'it is not a plain object',
          'pass parsed JSON: plain objects and lists')]);
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v)) {
        const item = (v as Record<string, unknown>)[key];
        if (item !== undefined) {
          setOwn(out, key, copy(item, `${path}.${key}`, depth + 1));
        }
      }
      return out;
    } finally {
      seen.delete(v);
    }
  };
  return guard(where, prop, () => copy(value, prop, 0));
}

/** Sections of Terraform JSON whose value is an object (or a list of objects) of named things, each an object or a list of objects. */
const NAMED_SECTIONS = ['output', 'variable', 'module', 'provider'];
/** Sections keyed by type, then by name (`resource.azurerm_subnet.apim`). */
const TYPED_SECTIONS = ['resource', 'data'];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The objects of a value that Terraform JSON allows as an object or a list of objects, or undefined when it is neither. */
function objects(v: unknown): Record<string, unknown>[] | undefined {
  if (isObject(v)) {
    return [v];
  }
  return Array.isArray(v) && v.every(isObject) ? v : undefined;
}

/**
 * Refuse a value that is not a Terraform JSON document: not an object, or a section of the wrong shape (`resource: 5`,
 * `resource: [1]`, a resource type that is a string...). Every shape Terraform JSON allows is accepted: a section as an
 * object or a list of objects at each level, `{}` (a document with nothing in it), and sections this library does not
 * read. `value` must be plain data (see `plainJson`).
 */
export function checkDocumentShape(where: string, prop: string, value: unknown): void {
  const accepted = 'pass the parsed JSON object of a cdk.tf.json (JSON.parse(text)), or of HCL converted to JSON';
  if (!isObject(value)) {
    throw new ApimNetworkError(where, [problem(prop, typeof value === 'string' ? value.slice(0, 40) : value,
      `it is ${value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not parsed Terraform JSON`, accepted)]);
  }
  const problems: ApimNetworkProblem[] = [];
  const expectObjects = (v: unknown, path: string, what: string): Record<string, unknown>[] => {
    const found = objects(v);
    if (!found) {
      problems.push(problem(path, v, `it is not ${what} (an object, or a list of objects)`, accepted));
    }
    return found ?? [];
  };
  for (const section of TYPED_SECTIONS) {
    if (value[section] === undefined) {
      continue;
    }
    for (const [i, holder] of expectObjects(value[section], `${prop}.${section}`, `a ${section} section`).entries()) {
      for (const [type, byName] of Object.entries(holder)) {
        const at = `${prop}.${section}${Array.isArray(value[section]) ? `[${i}]` : ''}.${type}`;
        for (const names of expectObjects(byName, at, 'a map of names to blocks')) {
          for (const [name, body] of Object.entries(names)) {
            expectObjects(body, `${at}.${name}`, 'a block');
          }
        }
      }
    }
  }
  for (const section of NAMED_SECTIONS) {
    if (value[section] === undefined) {
      continue;
    }
    for (const holder of expectObjects(value[section], `${prop}.${section}`, `a ${section} section`)) {
      for (const [name, body] of Object.entries(holder)) {
        expectObjects(body, `${prop}.${section}.${name}`, 'a block');
      }
    }
  }
  if (value.locals !== undefined) {
    expectObjects(value.locals, `${prop}.locals`, 'a locals section');
  }
  if (problems.length > 0) {
    throw new ApimNetworkError(where, problems.slice(0, 5));
  }
}

const SUPPRESSION_FORMAT = 'give an id of the rule table, optionally with a detail: APIM-NSG-REQUIRED[Inbound:Internet:443], ' +
  'or APIM-UNKNOWN[<the rule it names>]';

/** The rule id closest to a misspelt one (a few edits), or undefined. */
function closestRuleId(given: string, ids: readonly string[]): string | undefined {
  const upper = given.toUpperCase();
  let best: { id: string; distance: number } | undefined;
  for (const id of ids) {
    const distance = editDistance(upper, id);
    if (!best || distance < best.distance) {
      best = { id, distance };
    }
  }
  return best && best.distance <= Math.max(1, Math.min(3, Math.floor(given.length / 6))) ? best.id : undefined;
}

/**
 * What is wrong with a suppression's rule id, or undefined when it is one: a rule id of the table with an optional
 * detail (`APIM-NSG-REQUIRED[Inbound:Internet:443]`); for APIM-UNKNOWN the detail is the id of a rule that judges
 * resources (`APIM-UNKNOWN[APIM-LOCATION]`), as its findings name it. A misspelt id, outer or inner, gets the id meant.
 */
export function suppressionIdProblem(ruleId: unknown): { problem: string; accepted: string } | undefined {
  const problem = idProblem(ruleId);
  if (problem === undefined || typeof ruleId !== 'string') {
    return problem;
  }
  // Spaces, invisible characters, typographic dashes or lower case in the id itself: the id meant, if that is one.
  const bracket = ruleId.indexOf('[');
  const outer = (bracket < 0 ? ruleId : ruleId.slice(0, bracket)).replace(/[\s\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g, '-').toUpperCase();
  const cleaned = outer + (bracket < 0 ? '' : ruleId.slice(bracket).trimEnd());
  if (cleaned !== ruleId && idProblem(cleaned) === undefined) {
    return { ...problem, accepted: `did you mean "${cleaned}"? (the id in upper case with ASCII hyphens, without spaces or invisible characters)` };
  }
  return problem;
}

function idProblem(ruleId: unknown): { problem: string; accepted: string } | undefined {
  const notAnId = { problem: 'it is not a rule id of ApimNetworkChecks', accepted: SUPPRESSION_FORMAT };
  if (typeof ruleId !== 'string') {
    return notAnId;
  }
  const m = /^([A-Za-z0-9-]+)(?:\[(.+)\])?$/.exec(ruleId);
  if (!m) {
    return notAnId;
  }
  const [, outer, detail] = m;
  const ids = RULES.map((r) => r.id);
  if (!isRuleId(outer)) {
    const meant = closestRuleId(outer, ids);
    return meant ? { ...notAnId, accepted: `did you mean "${meant}${detail !== undefined ? `[${detail}]` : ''}"?` } : notAnId;
  }
  if (outer === UNKNOWN_RULE.id && detail !== undefined) {
    const judging = RULES.filter((r) => r.area !== 'meta').map((r) => r.id);
    if (judging.includes(detail)) {
      return undefined;
    }
    const inner = detail.replace(/\[.*$/, '');
    const meant = judging.includes(inner) ? inner : closestRuleId(inner, judging);
    return {
      problem: `APIM-UNKNOWN findings name the rule that could not decide (APIM-UNKNOWN[APIM-LOCATION]), and "${detail}" is not one`,
      accepted: meant ? `did you mean "${UNKNOWN_RULE.id}[${meant}]"?` : `give APIM-UNKNOWN[<rule id>], a rule id of the table, or APIM-UNKNOWN alone`,
    };
  }
  if (detail !== undefined && (/[[\]]/.test(detail) && outer !== UNUSED_SUPPRESSION_RULE.id)) {
    return notAnId;
  }
  return undefined;
}

/** A rule id with an optional detail, as suppressions name it: `APIM-NSG-REQUIRED[Inbound:Internet:443]`. */
export function isSuppressionRuleId(ruleId: unknown): boolean {
  return suppressionIdProblem(ruleId) === undefined;
}

/**
 * The suppressions a caller passes, copied and checked field by field: `ruleId` a rule id (with an optional detail),
 * `reason` at least 10 visible characters, `constructPath` a string, `alsoCovers` a list of strings (optional).
 */
export function readSuppressions(where: string, prop: string, value: unknown): { suppressions: ApimSuppression[]; problems: ApimNetworkProblem[] } {
  if (value === undefined) {
    return { suppressions: [], problems: [] };
  }
  const copied = plainJson(where, prop, value);
  if (!Array.isArray(copied)) {
    return { suppressions: [], problems: [problem(prop, copied, 'it is not a list', 'give a list of { ruleId, reason, constructPath, alsoCovers? }, or nothing')] };
  }
  const problems: ApimNetworkProblem[] = [];
  const suppressions: ApimSuppression[] = [];
  copied.forEach((s, i) => {
    const at = `${prop}[${i}]`;
    if (!isObject(s)) {
      problems.push(problem(at, s, 'it is not a suppression', 'give { ruleId, reason, constructPath, alsoCovers? }'));
      return;
    }
    const before = problems.length;
    const wrongId = suppressionIdProblem(s.ruleId);
    if (wrongId) {
      problems.push(problem(`${at}.ruleId`, s.ruleId, wrongId.problem, wrongId.accepted, INVALID_SUPPRESSION));
    }
    if (typeof s.reason !== 'string' || visibleLength(s.reason) < 10) {
      problems.push(problem(`${at}.reason`, s.reason, 'a suppression needs a reason of at least 10 visible characters',
        'say why the rule does not apply here', INVALID_SUPPRESSION));
    }
    if (typeof s.constructPath !== 'string') {
      problems.push(problem(`${at}.constructPath`, s.constructPath, 'it is not a string', 'give the construct path the suppression covers (\'\' for the whole app)'));
    }
    if (s.alsoCovers !== undefined && !(Array.isArray(s.alsoCovers) && s.alsoCovers.every((p) => typeof p === 'string'))) {
      problems.push(problem(`${at}.alsoCovers`, s.alsoCovers, 'it is not a list of strings', 'give the construct paths it also covers, or nothing'));
    }
    if (problems.length === before) {
      suppressions.push({
        ruleId: s.ruleId as string, reason: s.reason as string, constructPath: s.constructPath as string,
        ...(s.alsoCovers !== undefined ? { alsoCovers: s.alsoCovers as string[] } : {}),
      });
    }
  });
  return { suppressions, problems };
}
