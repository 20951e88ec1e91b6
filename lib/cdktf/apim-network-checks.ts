/**
 * The adapter between cdktf's synth and the pure checks: an Aspect that registers, once per stack, a validation that
 * resolves the stack's Terraform JSON after every aspect ran, evaluates the rules, turns findings into annotations
 * (error annotations fail `cdktf synth` and `app.synth()`), and writes the reports beside cdk.tf.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { App, IAspect, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import {
  evaluateDocument, guard, jsonReport, markdownReport, namesFinding, sarifReport, suppressionIdProblem, unusedSuppression,
} from '../checks/lazy';
import { ApimCheckResult, ApimFinding, ApimRuleLevel, ApimSuppression } from '../checks/types';
import { ApimNetworkError, ApimNetworkErrorCode, renderKind, renderValue } from '../core/errors';
import { visibleLength } from '../core/visible';
import { addError, addWarnings } from './annotate';
import { READ_ONLY_ASPECT, markSettled, otherStackDocuments, stackDocument } from './document';

/**
 * Options of `ApimNetworkChecks`.
 */
export interface ApimNetworkChecksOptions {
  /**
   * Turn every warning into an error, so warnings fail `cdktf synth` too.
   *
   * @default false
   */
  readonly strict?: boolean;

  /**
   * Write the JSON, Markdown and SARIF reports beside each stack's cdk.tf.json
   * (`cdktf.out/stacks/<stack>/apim-network-checks.{json,md,sarif}`).
   *
   * @default true
   */
  readonly reports?: boolean;
}

/** File name (without extension) of the reports. */
export const REPORT_BASENAME = 'apim-network-checks';
const REGISTRATION = Symbol.for('cdktf-apim-network/checks-registration');
const SUPPRESSION_METADATA = 'cdktf-apim-network/suppression';
const APP_GUARD = Symbol.for('cdktf-apim-network/checks-app-guard');

interface Registration {
  strict: boolean;
  reports: boolean;
  /** Annotation texts already emitted (validations may run more than once, e.g. under Testing.synth). */
  readonly emitted: Set<string>;
  /** How long the last run took: resolving the stack, the rules, and everything (with annotations and reports). */
  lastTiming?: { resolveMs: number; rulesMs: number; totalMs: number };
}

function registrationOf(stack: TerraformStack): Registration | undefined {
  return (stack as unknown as Record<symbol, Registration | undefined>)[REGISTRATION];
}

/**
 * Enforces every APIM network rule (design/RULES.md) at synth time, on this library's constructs and on resources
 * written by hand with the provider's classes.
 *
 * Add it to a stack: `Aspects.of(stack).add(new ApimNetworkChecks())`, or to every stack of an app with
 * `ApimNetworkChecks.applyTo(app)`. `Aspects.of(app).add(...)` alone does nothing: cdktf runs aspects per stack only,
 * never the App's.
 *
 * @example
 * const app = new App();
 * const stack = new TerraformStack(app, 'platform');
 * // ... resources ...
 * ApimNetworkChecks.applyTo(app, { strict: true });
 * app.synth();
 */
export class ApimNetworkChecks implements IAspect {
  /**
   * Register the checks on every stack under `scope` (an App, a stack, or a construct inside a stack). Call it after
   * the stacks exist: a stack created later is reported by an App-level validation.
   */
  public static applyTo(scope: IConstruct, options: ApimNetworkChecksOptions = {}): ApimNetworkChecks {
    requireConstruct('ApimNetworkChecks.applyTo', 'scope', scope);
    const checks = new ApimNetworkChecks(options);
    const stacks = guard('ApimNetworkChecks.applyTo', 'scope', () => scope.node.findAll().filter((c) => TerraformStack.isStack(c)) as TerraformStack[]);
    if (stacks.length === 0 && !App.isApp(scope)) {
      stacks.push(stackOf('ApimNetworkChecks.applyTo', 'scope', scope));
    }
    for (const stack of stacks) {
      checks.register(stack);
    }
    if (App.isApp(scope) && !(scope as unknown as Record<symbol, boolean>)[APP_GUARD]) {
      Object.defineProperty(scope, APP_GUARD, { value: true });
      scope.node.addValidation({
        validate: () => (scope.node.findAll().filter((c) => TerraformStack.isStack(c)) as TerraformStack[])
          .filter((stack) => !registrationOf(stack))
          .map((stack) => `[ApimNetworkChecks] stack "${stack.node.path}" was created after ApimNetworkChecks.applyTo(app) ` +
            'and is not checked; call applyTo after creating every stack, or add the aspect to that stack'),
      });
    }
    return checks;
  }

  /**
   * Suppress a rule (or one detail of it, `APIM-NSG-REQUIRED[Inbound:Internet:443]`) for a construct and everything
   * below it. The reason (at least 10 characters) goes into the reports. A suppression that matches nothing is
   * reported as APIM-SUPPRESSION-UNUSED.
   */
  public static suppress(construct: IConstruct, ruleId: string, reason: string): void {
    const problems = [];
    const wrongId = suppressionIdProblem(ruleId);
    if (wrongId) {
      problems.push({ code: ApimNetworkErrorCode.INVALID_SUPPRESSION, prop: 'ruleId', value: renderValue(ruleId), ...wrongId });
    }
    if (typeof reason !== 'string' || visibleLength(reason) < 10) {
      problems.push({
        code: ApimNetworkErrorCode.INVALID_SUPPRESSION, prop: 'reason', value: renderValue(reason),
        problem: 'a suppression needs a reason of at least 10 visible characters (spaces and invisible characters do not count)',
        accepted: 'say why the rule does not apply here',
      });
    }
    requireConstruct('ApimNetworkChecks.suppress', 'construct', construct);
    const node = guard('ApimNetworkChecks.suppress', 'construct', () => construct.node);
    if (problems.length > 0) {
      throw new ApimNetworkError(guard('ApimNetworkChecks.suppress', 'construct', () => node.path), problems);
    }
    guard('ApimNetworkChecks.suppress', 'construct', () => node.addMetadata(SUPPRESSION_METADATA, { ruleId, reason: reason.trim() }));
  }

  /**
   * The suppressions that may apply to a stack's findings: every suppression set in the app (on the App, on a
   * construct beside or above the stacks, in this stack or in another one: a stack's findings may be about constructs
   * of other stacks, through cross-stack references), each with the construct path it covers and the paths outside
   * that subtree it also covers (the APIM instances connected to the networks below it).
   */
  public static suppressionsOf(stack: TerraformStack): ApimSuppression[] {
    requireStack('ApimNetworkChecks.suppressionsOf', 'stack', stack);
    return suppressionsIn(stack.node.root);
  }

  /** Whether the checks are registered on a stack. */
  public static isRegistered(stack: TerraformStack): boolean {
    requireStack('ApimNetworkChecks.isRegistered', 'stack', stack);
    return registrationOf(stack) !== undefined;
  }

  private readonly strict: boolean;
  private readonly reports: boolean;


  public constructor(options: ApimNetworkChecksOptions = {}) {
    // Read once, under a guard: a getter or a Proxy trap that throws names the option.
    const read = guard('ApimNetworkChecks', 'options', () => {
      if (options === null || typeof options !== 'object' || Array.isArray(options)) {
        throw new ApimNetworkError('ApimNetworkChecks', [{
          code: ApimNetworkErrorCode.INVALID_TYPE, prop: 'options', value: renderValue(options), problem: 'it is not an options object',
          accepted: 'give { strict, reports }, or nothing',
        }]);
      }
      return { strict: options.strict, reports: options.reports };
    });
    const problems = (['strict', 'reports'] as const)
      .filter((key) => read[key] !== undefined && typeof read[key] !== 'boolean')
      .map((key) => ({
        code: ApimNetworkErrorCode.INVALID_TYPE, prop: `options.${key}`, value: renderValue(read[key]),
        problem: 'it is not a boolean', accepted: 'give true or false',
      }));
    if (problems.length > 0) {
      throw new ApimNetworkError('ApimNetworkChecks', problems);
    }
    this.strict = read.strict ?? false;
    this.reports = read.reports ?? true;
    // This aspect only registers validations: it never changes a stack's document (see document.ts).
    Object.defineProperty(this, READ_ONLY_ASPECT, { value: true });
  }

  /** Registers the stack validation the first time it sees a stack. */
  public visit(node: IConstruct): void {
    // Under a guard: a Proxy or a getter that throws names the argument instead of escaping as its own error.
    guard('ApimNetworkChecks.visit', 'node', () => {
      if (TerraformStack.isStack(node)) {
        this.register(node);
      }
    });
  }

  /**
   * Register the checks on one stack; several registrations on one stack run the checks once (strict and reports
   * when any registration asks for them).
   */
  public register(stack: TerraformStack): void {
    requireStack('ApimNetworkChecks.register', 'stack', stack);
    const existing = registrationOf(stack);
    if (existing) {
      existing.strict = existing.strict || this.strict;
      existing.reports = existing.reports || this.reports;
      return;
    }
    const registration: Registration = { strict: this.strict, reports: this.reports, emitted: new Set() };
    sharedOf(stack).stacks.add(stack);
    markStacksWhenSettled(stack.node.root);
    Object.defineProperty(stack, REGISTRATION, { value: registration, configurable: true });
    stack.node.addValidation({ validate: () => runChecks(stack, registration) });
  }
}

const SETTLED_MARKER = Symbol.for('cdktf-apim-network/settled-marker');

/** The order numbers of the last two runs of each stack's marker validation in this process (see `inOwnTurn`). */
const MARKER_RUNS = new WeakMap<TerraformStack, { readonly previous?: number; readonly last: number }>();
let markerRuns = 0;

/**
 * Give every stack of the app a validation that records that its aspects have run (cdktf runs a stack's validations
 * just after its aspects), so another stack's checks know whether its document may still change. It runs before the
 * checks' validation of its stack (it is added first), and records when it ran.
 */
function markStacksWhenSettled(root: IConstruct): void {
  for (const stack of root.node.findAll().filter((c) => TerraformStack.isStack(c)) as TerraformStack[]) {
    if (!(stack as unknown as Record<symbol, boolean>)[SETTLED_MARKER]) {
      Object.defineProperty(stack, SETTLED_MARKER, { value: true });
      stack.node.addValidation({ validate: () => {
        markSettled(stack);
        MARKER_RUNS.set(stack, { previous: MARKER_RUNS.get(stack)?.last, last: ++markerRuns });
        return [];
      } });
    }
  }
}

/** The nearest stack above a stack, when it was created inside another one. */
function parentStack(stack: TerraformStack): TerraformStack | undefined {
  const scopes = stack.node.scopes;
  for (let i = scopes.length - 2; i >= 0; i--) {
    if (TerraformStack.isStack(scopes[i])) {
      return scopes[i] as TerraformStack;
    }
  }
  return undefined;
}

/**
 * Whether a stack's validations run in its own turn of synth. cdktf validates a stack created inside another one twice:
 * first with its parent (the parent's validation runs every construct's below it, the nested stack's too), then in its
 * own turn, after its aspects ran again, just before its cdk.tf.json is written. Only the second judges what is
 * written, and each stack's checks must run once per synth (the reports, the annotations and the suppressions
 * shared by the stacks count on it). Each stack's marker validation runs at the start of each of those: the nested
 * stack is in its own turn when its marker ran twice since its parent's marker last ran. A stack with no stack above
 * it, or whose parent's marker never ran (its validations called on their own, as `Testing.synth` does), is always in
 * its own turn.
 */
function inOwnTurn(stack: TerraformStack): boolean {
  const parent = parentStack(stack);
  const theirs = parent ? MARKER_RUNS.get(parent) : undefined;
  if (!theirs) {
    return true;
  }
  const previous = MARKER_RUNS.get(stack)?.previous;
  return previous !== undefined && previous > theirs.last;
}

/** Refuse a value that is not a TerraformStack with this library's error. */
export function requireStack(where: string, prop: string, value: unknown): asserts value is TerraformStack {
  if (!guard(where, prop, () => TerraformStack.isStack(value))) {
    throw new ApimNetworkError(where, [{
      code: ApimNetworkErrorCode.INVALID_TYPE, prop, value: renderKind(value), problem: 'it is not a TerraformStack',
      accepted: 'pass a TerraformStack',
    }]);
  }
}

/** The stack a construct is in, or this library's error when it is in none. */
function stackOf(where: string, prop: string, construct: IConstruct): TerraformStack {
  try {
    return TerraformStack.of(construct);
  } catch {
    throw new ApimNetworkError(where, [{
      code: ApimNetworkErrorCode.INVALID_TYPE, prop, value: guard(where, prop, () => renderValue(construct.node.path)), problem: 'it is neither an App nor inside a TerraformStack',
      accepted: 'pass the App, a TerraformStack, or a construct inside a stack',
    }]);
  }
}

/** Refuse a value that is not a construct with this library's error. */
export function requireConstruct(where: string, prop: string, value: unknown): void {
  const isConstruct = guard(where, prop, () => {
    const node = (value as IConstruct | undefined)?.node;
    return !!node && typeof node.addMetadata === 'function';
  });
  if (!isConstruct) {
    throw new ApimNetworkError(where, [{
      code: ApimNetworkErrorCode.INVALID_TYPE, prop, value: renderKind(value), problem: 'it is not a construct',
      accepted: 'pass an App, a TerraformStack or a construct inside one',
    }]);
  }
}

/**
 * Suppressions tracked across the stacks of an app: one set above the stacks, beside them, or in a stack whose
 * constructs other stacks' findings may name (a stack another one references) is unused only if no stack used it,
 * and is reported once, when every stack has run, with where it was set.
 */
export interface SharedSuppressions {
  /** The stacks of the app the checks are registered on. */
  readonly stacks: Set<TerraformStack>;
  /** The stacks whose checks ran in this synth. */
  readonly done: Set<TerraformStack>;
  /** Keys of the suppressions some stack used. */
  readonly used: Set<string>;
  /** Keys of the suppressions a stack judged alone (used there, or reported unused there). */
  readonly handled: Set<string>;
  /** The findings of the stacks that ran, for "a matching finding is on ...". */
  readonly findings: ApimFinding[];
}

const SHARED = new WeakMap<IConstruct, SharedSuppressions>();

function sharedOf(stack: TerraformStack): SharedSuppressions {
  const root = stack.node.root;
  let shared = SHARED.get(root);
  if (!shared) {
    shared = newSharedSuppressions([]);
    SHARED.set(root, shared);
  }
  return shared;
}

const suppressionKey = (s: ApimSuppression) => `${s.constructPath}\u0000${s.ruleId}\u0000${s.reason}`;

const COVERAGE_METADATA = 'cdktf-apim-network/covers';

/**
 * Record that suppressions on `owner` (or above it) also cover `covered`, which lies outside its subtree: a network
 * and the APIM instance it was connected to.
 */
export function extendSuppressions(owner: IConstruct, covered: IConstruct): void {
  owner.node.addMetadata(COVERAGE_METADATA, { path: covered.node.path });
}

/** Every suppression set in an app, in tree order, each once. */
function suppressionsIn(root: IConstruct): ApimSuppression[] {
  // One walk of the tree, reading each construct's metadata once (constructs copies the list on every read).
  const coverage: Array<{ owner: string; covered: string }> = [];
  const entries: Array<{ path: string; data: { ruleId: string; reason: string } }> = [];
  for (const construct of root.node.findAll()) {
    const metadata = construct.node.metadata;
    if (metadata.length === 0) {
      continue;
    }
    let path: string | undefined;
    for (const entry of metadata) {
      if (entry.type === COVERAGE_METADATA) {
        // What a suppression on a construct also covers: the APIM instances connected to the networks below it.
        coverage.push({ owner: (path ??= construct.node.path), covered: (entry.data as { path: string }).path });
      } else if (entry.type === SUPPRESSION_METADATA) {
        entries.push({ path: (path ??= construct.node.path), data: entry.data as { ruleId: string; reason: string } });
      }
    }
  }
  const out: ApimSuppression[] = [];
  const seen = new Set<string>();
  for (const { path, data } of entries) {
    const covers = [...new Set(coverage.filter((c) => within(c.owner, path) && !within(c.covered, path)).map((c) => c.covered))];
    const suppression = { ruleId: data.ruleId, reason: data.reason, constructPath: path, ...(covers.length > 0 ? { alsoCovers: covers } : {}) };
    if (!seen.has(suppressionKey(suppression))) {
      seen.add(suppressionKey(suppression));
      out.push(suppression);
    }
  }
  return out;
}

/**
 * Whether a suppression may serve other stacks than this one: set outside this stack, in a stack created inside it or
 * above one, covering an APIM instance outside it, or set in a stack that another stack references (whose findings may
 * name its constructs). Such a suppression is unused only if no stack used it.
 */
export function sharedSuppressions(stack: TerraformStack): (suppression: ApimSuppression) => boolean {
  const referenced = isReferenced(stack);
  let nested: string[] | undefined;
  // Set in a stack created inside this one, or on a construct that holds one (this stack itself included): that
  // stack's findings may use it.
  const inNestedStack = (suppression: ApimSuppression): boolean => {
    nested ??= stack.node.findAll().filter((c) => c !== stack && TerraformStack.isStack(c)).map((c) => c.node.path);
    return nested.some((p) => within(suppression.constructPath, p) || within(p, suppression.constructPath));
  };
  return (suppression) => referenced || isAboveStack(suppression, stack) || inNestedStack(suppression) ||
    (suppression.alsoCovers ?? []).some((p) => !within(p, stack.node.path));
}

/** Whether another stack of the app depends on this one (a cross-stack reference). */
function isReferenced(stack: TerraformStack): boolean {
  return stack.node.root.node.findAll().some((c) => TerraformStack.isStack(c) && c !== stack && c.dependencies.includes(stack));
}

/** Whether a construct path lies in a subtree (the App's path, '', holds everything). */
function within(path: string, scope: string): boolean {
  return scope === '' || path === scope || path.startsWith(`${scope}/`);
}

/** Whether a suppression was set above a stack (and may cover other stacks too). */
export function isAboveStack(suppression: ApimSuppression, stack: TerraformStack): boolean {
  const path = stack.node.path;
  return !(suppression.constructPath === path || suppression.constructPath.startsWith(`${path}/`));
}

/**
 * Evaluate one stack as synth does, in its turn: its document (read lazily), every suppression of the app, the documents
 * of the other stacks (`settled` tells whose aspects have run: those are read, the others give unknowns), and the
 * bookkeeping of suppressions shared by the stacks of `shared` (one no stack used is reported once, by the last stack
 * that runs). The synth validation and the test helper (`ApimNetworkTesting`) both evaluate through this function.
 */
export function evaluateStack(stack: TerraformStack, strict: boolean, shared: SharedSuppressions,
  settled?: (other: TerraformStack) => boolean): { result: ApimCheckResult; resolveMs: number } {
  const started = process.hrtime.bigint();
  // Resolved lazily: the rules resolve only what they read (resolution is most of what synth costs).
  const document = stackDocument(stack);
  const resolveMs = Number(process.hrtime.bigint() - started) / 1e6;
  const suppressions = ApimNetworkChecks.suppressionsOf(stack);
  const sharedHere = new Set(suppressions.filter(sharedSuppressions(stack)));
  const result = evaluateDocument(document, {
    suppressions,
    strict,
    documents: otherStackDocuments(stack, settled),
    self: stack.node.path,
    shared: (s) => sharedHere.has(s),
    onUsed: (s) => shared.used.add(suppressionKey(s)),
  });
  // A suppression only this stack can use was judged here (used, or reported unused by the evaluation).
  suppressions.filter((s) => !sharedHere.has(s)).forEach((s) => shared.handled.add(suppressionKey(s)));
  // Any other is unused only if no stack used it: reported once, when every stack has run, with where it was set and
  // where the matching findings are.
  shared.done.add(stack);
  shared.findings.push(...result.findings);
  if ([...shared.stacks].every((s) => shared.done.has(s))) {
    for (const suppression of suppressions.filter((s) => !shared.used.has(suppressionKey(s)) && !shared.handled.has(suppressionKey(s)))) {
      const elsewhere = shared.findings.filter((f) => namesFinding(suppression, f)).map((f) => f.constructPath);
      result.findings.push(unusedSuppression(suppression, strict, elsewhere));
    }
    shared.done.clear();
    shared.used.clear();
    shared.handled.clear();
    shared.findings.length = 0;
  }
  return { result, resolveMs };
}

/** Fresh bookkeeping of shared suppressions for a set of stacks (the test helper replays synth with its own). */
export function newSharedSuppressions(stacks: Iterable<TerraformStack>): SharedSuppressions {
  return { stacks: new Set(stacks), done: new Set(), used: new Set(), handled: new Set(), findings: [] };
}

function runChecks(stack: TerraformStack, registration: Registration): string[] {
  if (!inOwnTurn(stack)) {
    return [];
  }
  const started = process.hrtime.bigint();
  const { result, resolveMs: resolvedMs } = evaluateStack(stack, registration.strict, sharedOf(stack));
  const fresh = result.findings.filter((finding) => !registration.emitted.has(finding.text));
  if (fresh.length > 0) {
    for (const finding of fresh) {
      registration.emitted.add(finding.text);
      // Without a stack trace: cdktf synth then prints each finding on one line.
      const scope = constructAt(stack, finding.constructPath) ?? stack;
      if (finding.level === ApimRuleLevel.ERROR) {
        addError(scope, finding.text);
      } else {
        addWarnings(scope, [finding.text]);
      }
    }
  }
  if (registration.reports) {
    writeReports(stack, result, { resolveMs: resolvedMs, totalMs: Number(process.hrtime.bigint() - started) / 1e6 });
  }
  registration.lastTiming = { resolveMs: resolvedMs, rulesMs: result.durationMs, totalMs: Number(process.hrtime.bigint() - started) / 1e6 };
  return [];
}

/**
 * The construct of the stack at a construct path, or undefined. Ids never hold a slash (constructs replaces it), so the
 * path is walked one id at a time from the root: no path is computed for the constructs that are not on it.
 */
function constructAt(stack: TerraformStack, path: string): IConstruct | undefined {
  const prefix = `${stack.node.path}/`;
  if (path !== stack.node.path && !path.startsWith(prefix)) {
    return undefined;
  }
  let node: IConstruct = stack;
  for (const id of path === stack.node.path ? [] : path.slice(prefix.length).split('/')) {
    // tryFindChild reads a plain object: an id such as `constructor` or `__proto__` would return what Object's
    // prototype holds. Only a construct whose parent is this node and whose id is this id is the child.
    const child = node.node.tryFindChild(id) as IConstruct | undefined;
    // A construct of a stack created inside this one is that stack's: its annotations go to that stack's manifest.
    if (!Construct.isConstruct(child) || child.node.scope !== node || child.node.id !== id || TerraformStack.isStack(child)) {
      return undefined;
    }
    node = child;
  }
  return node;
}

function writeReports(stack: TerraformStack, result: ApimCheckResult, timing: { resolveMs: number; totalMs: number }): void {
  const outdir = App.of(stack).outdir;
  const relative = path.join('stacks', stack.node.id);
  const directory = path.join(outdir, relative);
  fs.mkdirSync(directory, { recursive: true });
  // SARIF locations are relative to the directory synth runs in (where code scanning uploads from): cdktf.out/stacks/...
  const fromCwd = path.relative(process.cwd(), path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'));
  const stackFile = fromCwd.startsWith('..') || path.isAbsolute(fromCwd)
    ? pathToFileURL(path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json')).href : fromCwd.split(path.sep).join('/');
  const base = path.join(directory, REPORT_BASENAME);
  fs.writeFileSync(`${base}.json`, jsonReport(result, stack.node.path, stackFile, timing));
  fs.writeFileSync(`${base}.md`, markdownReport(result, stack.node.path));
  fs.writeFileSync(`${base}.sarif`, sarifReport(result, stackFile));
}

/**
 * Timing of the last run of a stack's checks (for the benchmark), or undefined.
 *
 * @internal
 */
export function _lastTiming(stack: TerraformStack): { resolveMs: number; rulesMs: number; totalMs: number } | undefined {
  return registrationOf(stack)?.lastTiming;
}
