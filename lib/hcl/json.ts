/**
 * A JSON reader that keeps where every value starts (line and column) and keeps repeated keys (Terraform's JSON syntax
 * allows a block type to appear twice), and the bridge from JSON to the expression language: in Terraform's JSON
 * syntax every string is a template (`"${var.x}-nsg"`), numbers, bools and null are literals, arrays are tuples and
 * objects are object constructors.
 */
import { Expr, Pos } from './ast';
import { HclSyntaxError } from './lexer';
import { parseTemplate } from './parser';
import { Value, makeObject } from './value';

/** A JSON value with its position. */
export type JsonNode =
  | { readonly kind: 'object'; readonly entries: readonly JsonEntry[]; readonly pos: Pos }
  | { readonly kind: 'array'; readonly items: readonly JsonNode[]; readonly pos: Pos }
  | { readonly kind: 'string'; readonly value: string; readonly pos: Pos }
  | { readonly kind: 'number'; readonly value: number; readonly pos: Pos }
  | { readonly kind: 'bool'; readonly value: boolean; readonly pos: Pos }
  | { readonly kind: 'null'; readonly pos: Pos };

/** A key of an object with its value. */
export interface JsonEntry {
  readonly key: string;
  readonly keyPos: Pos;
  readonly value: JsonNode;
}

/** How deeply arrays and objects may nest (configurations nest a few levels): deeper is an error, not a stack overflow. */
const MAX_JSON_NESTING = 100;

class JsonReader {
  private depth = 0;
  private i = 0;
  private line = 1;
  private lineStart = 0;

  public constructor(private readonly src: string, private readonly file: string) {}

  private pos(): Pos {
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  private error(reason: string): HclSyntaxError {
    return new HclSyntaxError(reason, this.file, this.pos());
  }

  private skip(): void {
    for (;;) {
      const c = this.src[this.i];
      if (c === '\n') {
        this.i++;
        this.line++;
        this.lineStart = this.i;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
        this.i++;
      } else {
        return;
      }
    }
  }

  public document(): JsonNode {
    const value = this.value();
    this.skip();
    if (this.i < this.src.length) {
      throw this.error('unexpected content after the JSON value');
    }
    return value;
  }

  private value(): JsonNode {
    if (this.depth >= MAX_JSON_NESTING) {
      throw this.error(`the JSON nests more than ${MAX_JSON_NESTING} levels of arrays and objects, too deeply for this command to read`);
    }
    this.depth++;
    try {
      return this.nestedValue();
    } finally {
      this.depth--;
    }
  }

  private nestedValue(): JsonNode {
    this.skip();
    const pos = this.pos();
    const c = this.src[this.i];
    if (c === '{') {
      this.i++;
      const entries: JsonEntry[] = [];
      this.skip();
      if (this.src[this.i] === '}') {
        this.i++;
        return { kind: 'object', entries, pos };
      }
      for (;;) {
        this.skip();
        const keyPos = this.pos();
        if (this.src[this.i] !== '"') {
          throw this.error('expected a quoted key');
        }
        const key = this.string();
        this.skip();
        if (this.src[this.i] !== ':') {
          throw this.error(`expected ":" after the key ${JSON.stringify(key)}`);
        }
        this.i++;
        entries.push({ key, keyPos, value: this.value() });
        this.skip();
        if (this.src[this.i] === ',') {
          this.i++;
          continue;
        }
        if (this.src[this.i] === '}') {
          this.i++;
          return { kind: 'object', entries, pos };
        }
        throw this.error('expected "," or "}" in an object');
      }
    }
    if (c === '[') {
      this.i++;
      const items: JsonNode[] = [];
      this.skip();
      if (this.src[this.i] === ']') {
        this.i++;
        return { kind: 'array', items, pos };
      }
      for (;;) {
        items.push(this.value());
        this.skip();
        if (this.src[this.i] === ',') {
          this.i++;
          continue;
        }
        if (this.src[this.i] === ']') {
          this.i++;
          return { kind: 'array', items, pos };
        }
        throw this.error('expected "," or "]" in an array');
      }
    }
    if (c === '"') {
      return { kind: 'string', value: this.string(), pos };
    }
    const literal = /^(true|false|null|-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)/.exec(this.src.slice(this.i, this.i + 400));
    if (!literal) {
      throw this.error(c === undefined ? 'unexpected end of the JSON text' : `unexpected character ${JSON.stringify(c)}`);
    }
    this.i += literal[0].length;
    if (literal[0] === 'true' || literal[0] === 'false') {
      return { kind: 'bool', value: literal[0] === 'true', pos };
    }
    if (literal[0] === 'null') {
      return { kind: 'null', pos };
    }
    return { kind: 'number', value: Number(literal[0]), pos };
  }

  private string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined || c === '\n') {
        throw this.error('unterminated string');
      }
      if (c === '\\') {
        this.i += 2;
        continue;
      }
      this.i++;
      if (c === '"') {
        break;
      }
    }
    try {
      return JSON.parse(this.src.slice(start, this.i)) as string;
    } catch {
      throw this.error('invalid escape in a string');
    }
  }
}

/** Parse JSON text, keeping positions. */
export function parseJson(src: string, file: string): JsonNode {
  return new JsonReader(src, file).document();
}

/** A JSON node as a plain value (no templates: what tfvars files and `default` hold). Repeated keys: the last wins. */
export function jsonToValue(node: JsonNode): Value {
  switch (node.kind) {
    case 'object':
      return makeObject(node.entries.map((e) => [e.key, jsonToValue(e.value)]));
    case 'array':
      return node.items.map(jsonToValue);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

/** A JSON node as an expression, as Terraform's JSON syntax reads attribute values: every string is a template. */
export function jsonToExpr(node: JsonNode, file: string): Expr {
  switch (node.kind) {
    case 'string':
      // +1: the template starts after the opening quote.
      return node.value.includes('${') || node.value.includes('%{')
        ? parseTemplate(node.value, { file, line: node.pos.line, column: node.pos.column + 1 })
        : { kind: 'template', parts: node.value === '' ? [] : [{ kind: 'text', value: node.value }], pos: node.pos };
    case 'number':
    case 'bool':
      return { kind: 'literal', value: node.value, pos: node.pos };
    case 'null':
      return { kind: 'literal', value: null, pos: node.pos };
    case 'array':
      return { kind: 'tuple', items: node.items.map((i) => jsonToExpr(i, file)), pos: node.pos };
    case 'object':
      return {
        kind: 'object',
        items: node.entries.map((e) => ({
          key: e.key.includes('${') ? parseTemplate(e.key, { file, line: e.keyPos.line, column: e.keyPos.column + 1 }) : { kind: 'literal', value: e.key, pos: e.keyPos },
          value: jsonToExpr(e.value, file),
        })),
        pos: node.pos,
      };
  }
}
