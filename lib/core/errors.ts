import { showInvisible } from './visible';

/**
 * Stable codes of the errors this library throws.
 *
 * A code never changes meaning once released; match on it rather than on message text.
 */
export enum ApimNetworkErrorCode {
  /** A required prop is missing, `null` or empty. */
  MISSING_PROP = 'MISSING_PROP',
  /** A prop has the wrong JavaScript type (a string where a number belongs, NaN, a fraction...). */
  INVALID_TYPE = 'INVALID_TYPE',
  /** A prop takes an enum value and got something else. */
  INVALID_ENUM = 'INVALID_ENUM',
  /** A value must be known at synth time but is a token (a reference resolved only at apply time). */
  UNRESOLVED_TOKEN = 'UNRESOLVED_TOKEN',
  /** A name does not follow Azure's naming rules for that resource. */
  INVALID_NAME = 'INVALID_NAME',
  /** A location is empty or not a plausible Azure region name. */
  INVALID_LOCATION = 'INVALID_LOCATION',
  /** The text is not an IPv4 CIDR (`a.b.c.d/n`). */
  INVALID_CIDR = 'INVALID_CIDR',
  /** An IPv6 prefix where only IPv4 is supported. */
  IPV6_NOT_SUPPORTED = 'IPV6_NOT_SUPPORTED',
  /** A CIDR with host bits set (`10.0.1.5/27`), which Azure rejects. */
  CIDR_HOST_BITS = 'CIDR_HOST_BITS',
  /** A subnet prefix longer than /29. */
  SUBNET_TOO_SMALL = 'SUBNET_TOO_SMALL',
  /** A subnet that cannot hold the IP addresses the SKU, capacity and mode need. */
  SUBNET_TOO_SMALL_FOR_CAPACITY = 'SUBNET_TOO_SMALL_FOR_CAPACITY',
  /** A subnet prefix shorter than /2, the largest subnet Azure accepts. */
  SUBNET_TOO_LARGE = 'SUBNET_TOO_LARGE',
  /** A subnet prefix that lies outside the virtual network's address space. */
  SUBNET_OUTSIDE_ADDRESS_SPACE = 'SUBNET_OUTSIDE_ADDRESS_SPACE',
  /** Capacity (scale units) outside what the SKU allows. */
  CAPACITY_OUT_OF_RANGE = 'CAPACITY_OUT_OF_RANGE',
  /** A DNS name label that breaks Azure's label rules. */
  INVALID_DNS_LABEL = 'INVALID_DNS_LABEL',
  /** An availability zone other than "1", "2" or "3", or a zone listed twice. */
  INVALID_ZONE = 'INVALID_ZONE',
  /** A service endpoint name that Azure does not know. */
  UNKNOWN_SERVICE_ENDPOINT = 'UNKNOWN_SERVICE_ENDPOINT',
  /** The text is not one IPv4 address (`a.b.c.d`), e.g. a next hop address given as a prefix. */
  INVALID_IP_ADDRESS = 'INVALID_IP_ADDRESS',
  /** More routes than Azure allows in one route table (400). */
  TOO_MANY_ROUTES = 'TOO_MANY_ROUTES',
  /**
   * More entries than Azure allows: security rules in one NSG (1,000), DNS servers on one virtual network (20), or
   * addresses and ranges in the rules of one NSG (4,000 sources, 4,000 destinations).
   */
  LIMIT_EXCEEDED = 'LIMIT_EXCEEDED',
  /** A DNS host name that breaks DNS syntax, or one this library refuses to create a zone for (`azure-api.net`). */
  INVALID_HOST_NAME = 'INVALID_HOST_NAME',
  /** A network security rule priority outside 100-4096. */
  NSG_PRIORITY_OUT_OF_RANGE = 'NSG_PRIORITY_OUT_OF_RANGE',
  /** A network security rule priority already used in that direction, or held for this library's rules. */
  NSG_PRIORITY_TAKEN = 'NSG_PRIORITY_TAKEN',
  /** A deny rule that would block part of a flow API Management needs. */
  NSG_RULE_SHADOWS_REQUIRED = 'NSG_RULE_SHADOWS_REQUIRED',
  /** A network security rule with an invalid field (name, ports, prefixes, description). */
  NSG_RULE_INVALID = 'NSG_RULE_INVALID',
  /**
   * An allow rule that would let public addresses other than ApiManagement reach the management port 3443 or every
   * port (what the checks report as APIM-NSG-EXPOSED), or in Internal mode reach 80 or 443 (APIM-NSG-INTERNAL-PUBLIC).
   */
  NSG_RULE_EXPOSES = 'NSG_RULE_EXPOSES',
  /** A service tag in a plural prefix list, where Azure accepts only addresses. */
  NSG_TAG_IN_LIST = 'NSG_TAG_IN_LIST',
  /** Two props that must not be given together, or one of two that must be given. */
  CONFLICTING_PROPS = 'CONFLICTING_PROPS',
  /** A list entry given twice (locations, DNS labels, zones, endpoints). */
  DUPLICATE_VALUE = 'DUPLICATE_VALUE',
  /** A feature the chosen SKU does not have (zones or several regions on Developer). */
  SKU_NOT_SUPPORTED = 'SKU_NOT_SUPPORTED',
  /** An option that is not available in the chosen virtual network mode. */
  MODE_NOT_SUPPORTED = 'MODE_NOT_SUPPORTED',
  /** An `azurerm_api_management` that contradicts the network it is connected to. */
  APIM_MISMATCH = 'APIM_MISMATCH',
  /** A suppression without a reason of at least 10 characters, or with a malformed rule id. */
  INVALID_SUPPRESSION = 'INVALID_SUPPRESSION',
  /** A key that is not a prop of the struct it is given in (a misspelt or misplaced prop). */
  UNKNOWN_PROP = 'UNKNOWN_PROP',
  /**
   * Two constructs of this library in one stack would create resources with the same Azure name in the same scope (a
   * resource group, or a virtual network for subnets); Azure would refuse the second, or one would overwrite the other.
   */
  NAME_CONFLICT = 'NAME_CONFLICT',
  /** Building the resources failed for a reason the prop checks did not foresee; nothing was added to the tree. */
  CONSTRUCTION_FAILED = 'CONSTRUCTION_FAILED',
}

/**
 * One thing wrong with one prop.
 */
export interface ApimNetworkProblem {
  /** Stable code of the problem. */
  readonly code: ApimNetworkErrorCode;
  /** Dotted path of the prop inside the construct's props, e.g. `regions[1].subnetAddressPrefix`. */
  readonly prop: string;
  /** What was passed, rendered for the message. */
  readonly value: string;
  /** What is wrong with the value. */
  readonly problem: string;
  /** What would be accepted, or how to fix it. */
  readonly accepted: string;
}

/**
 * The error every public entry point of this library throws for bad input.
 *
 * It names the construct path, the prop, echoes the value and says what is accepted. Its message starts with
 * `[<code>]`, the code of the first problem. TypeScript callers can use `instanceof` and `code`; callers in other jsii
 * languages receive only the message (Python raises `RuntimeError(message)`) and match its leading `[<code>]`
 * (jsii cannot export subclasses of `Error`, see aws/jsii#50).
 *
 * The message is self-contained, and the stack trace starts at the caller's code: the library's own frames (and
 * Node.js internals) are left out, and `code`, `constructPath` and `problems` are not enumerable, so an uncaught error
 * under `cdktf synth` prints the message and where the user called the library, not a dump of the problems again.
 *
 * @jsii ignore
 */
export class ApimNetworkError extends Error {
  /** Code of the first problem. */
  public declare readonly code: ApimNetworkErrorCode;
  /** Construct path the error is about (the construct being created). */
  public declare readonly constructPath: string;
  /** Every problem found, in the order they were found. */
  public declare readonly problems: ApimNetworkProblem[];

  public constructor(constructPath: string, problems: ApimNetworkProblem[]) {
    super(formatProblems(constructPath, problems));
    Object.setPrototypeOf(this, ApimNetworkError.prototype);
    hidden(this, 'name', 'ApimNetworkError');
    hidden(this, 'code', firstCode(problems));
    hidden(this, 'constructPath', constructPath);
    hidden(this, 'problems', problems);
    hidden(this, 'stack', callerStack(`${this.name}: ${this.message}`));
  }

  /** Prop of the first problem. */
  public get prop(): string {
    return this.problems[0]?.prop ?? '';
  }
}

function hidden(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, writable: key === 'stack' || key === 'name', configurable: true });
}

/** This library's root folder (`lib/` in the sources, `dist/` in the package): its frames are left out of stacks. */
const LIBRARY_ROOT = dirname(dirname(__filename));

function dirname(file: string): string {
  return file.replace(/[\\/][^\\/]*$/, '');
}

/**
 * A stack trace that starts at the code that called the library: frames of this library's files and of Node.js
 * internals are dropped (they say nothing to the user), and so are the frames of the runtime below the user's last
 * frame (ts-node's bootstrap, a test runner: packages in node_modules); at most ten frames are kept. When every frame
 * is the library's (an error raised inside a cdktf callback), the others are kept as they are.
 */
function callerStack(header: string): string {
  const limit = Error.stackTraceLimit;
  const holder: { stack?: string } = {};
  try {
    Error.stackTraceLimit = 60;
    Error.captureStackTrace(holder, ApimNetworkError);
  } finally {
    Error.stackTraceLimit = limit;
  }
  const frames = (holder.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  const foreign = frames.filter((line) => !line.includes(LIBRARY_ROOT + '/') && !line.includes(LIBRARY_ROOT + '\\') && !/\(node:|at node:/.test(line));
  const inPackage = (line: string) => /[\\/]node_modules[\\/]/.test(line);
  const lastOwn = foreign.map((line) => !inPackage(line)).lastIndexOf(true);
  const kept = lastOwn >= 0 ? foreign.slice(0, lastOwn + 1) : foreign;
  return [header, ...(kept.length > 0 ? kept : frames).slice(0, 10)].join('\n');
}

/**
 * Throw an error of this library. Every throw goes through here, so an uncaught error under `cdktf synth` (which shows
 * the line that threw above the message) shows the line below, which says what happened.
 *
 * @internal
 */
export function raise(error: unknown): never {
  throw error; // cdktf-apim-network refused the input: the message below names the construct, the prop and the fix
}

const ERROR_MARKER = Symbol.for('cdktf-apim-network/ApimNetworkError');
Object.defineProperty(ApimNetworkError.prototype, ERROR_MARKER, { value: true });

/**
 * Recognise this library's errors in JavaScript and TypeScript, also across copies of the package.
 *
 * Other jsii languages never hold the JavaScript error object, only its message: match the message's leading
 * `[<code>]` there.
 */
export class ApimNetworkErrors {
  /**
   * Whether `x` is an error thrown by this library (works across copies of the package). Never throws, whatever `x`
   * is (a Proxy that throws on every access is simply not such an error).
   */
  public static isApimNetworkError(x: any): boolean {
    try {
      return x !== null && typeof x === 'object' && (x as Record<symbol, unknown>)[ERROR_MARKER] === true;
    } catch {
      return false;
    }
  }

  /**
   * The stable code of an error thrown by this library, or undefined for any other value.
   */
  public static codeOf(x: any): string | undefined {
    return ApimNetworkErrors.isApimNetworkError(x) ? (x as ApimNetworkError).code : undefined;
  }

  /**
   * Every code of an error thrown by this library, in order (an empty list for any other value).
   */
  public static codesOf(x: any): string[] {
    return ApimNetworkErrors.isApimNetworkError(x) ? (x as ApimNetworkError).problems.map((p) => p.code) : [];
  }

  private constructor() {}
}

function firstCode(problems: ApimNetworkProblem[]): ApimNetworkErrorCode {
  return problems[0]?.code ?? ApimNetworkErrorCode.INVALID_TYPE;
}

function formatProblem(p: ApimNetworkProblem): string {
  return `${p.prop} ${p.value}: ${p.problem}; ${p.accepted}`;
}

/**
 * The message starts with `[<code>]`, the code of the first problem: callers in other jsii languages receive only the
 * message (the Python runtime raises `RuntimeError(message)`), so the code must be readable from the text. Several
 * problems follow as a list, each with its own code.
 */
function formatProblems(constructPath: string, problems: ApimNetworkProblem[]): string {
  const where = constructPath === '' ? '(root)' : constructPath;
  const code = firstCode(problems);
  if (problems.length === 1) {
    return `[${code}] ${where}: ${formatProblem(problems[0])}`;
  }
  return `[${code}] ${where}: ${problems.length} problems:\n${problems.map((p) => `  - [${p.code}] ${formatProblem(p)}`).join('\n')}`;
}

/**
 * Render a value for an error message: strings quoted, long values shortened, functions and symbols named.
 *
 * @internal
 */
export function renderValue(value: unknown): string {
  if (value === undefined) {
    return '(missing)';
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    return `(${typeof value})`;
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = '(unprintable value)';
  }
  text = showInvisible(text);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** What kind of object a value is, for a message: `a Map`, `an instance of Foo`, `an object`. Never throws. */
export function describeObject(value: unknown): string {
  let name: string | undefined;
  try {
    const proto = Object.getPrototypeOf(value);
    name = proto === null || Object.getPrototypeOf(proto) === null ? undefined : (proto.constructor?.name as string | undefined);
  } catch {
    return 'an unreadable object';
  }
  if (name === undefined || name === '') {
    return 'an object';
  }
  return ['Map', 'Set', 'Date', 'RegExp', 'Promise', 'WeakMap', 'WeakSet'].includes(name) ? `a ${name}` : `an instance of ${name}`;
}

/**
 * A value given where a construct or a stack was expected, for a message: a primitive as it is (`5`, `null`,
 * `"platform"`), an object by its kind (`(an instance of ApiManagement)`, `(an object)`, `(an array)`). Never throws.
 */
export function renderKind(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return value === null ? 'null' : renderValue(value);
  }
  return Array.isArray(value) ? '(an array)' : `(${describeObject(value)})`;
}
