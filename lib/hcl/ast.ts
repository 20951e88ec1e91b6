/**
 * The syntax tree of HCL's native syntax (the language of `.tf` files) as this package reads it: bodies of attributes
 * and blocks, and the expression language (literals, templates, traversals, splats, operators, conditionals, function
 * calls, tuple and object constructors, `for` expressions). Every node keeps where it starts, so a finding can point at
 * a file and line. Pure data: no I/O, no cdktf.
 */

/** Where a node starts: 1-based line and column (columns count UTF-16 code units). */
export interface Pos {
  readonly line: number;
  readonly column: number;
}

/** A literal: number, string (a quoted string without interpolation is a template, not a literal), bool or null. */
export interface LiteralExpr {
  readonly kind: 'literal';
  readonly value: null | boolean | number | string;
  readonly pos: Pos;
  /** A number literal's text when the number read from it is not exactly what it says (more digits than it holds). */
  readonly inexact?: string;
}

/** A piece of a template. */
export type TemplatePart =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'interp'; readonly expr: Expr }
  | { readonly kind: 'if'; readonly cond: Expr; readonly then: readonly TemplatePart[]; readonly else: readonly TemplatePart[] }
  | { readonly kind: 'for'; readonly keyVar?: string; readonly valueVar: string; readonly collection: Expr; readonly body: readonly TemplatePart[] };

/**
 * A quoted string or heredoc. A template made of one interpolation and nothing else (`"${x}"`) yields the value of
 * that interpolation unchanged (HCL's "template wrap"), not its string form.
 */
export interface TemplateExpr {
  readonly kind: 'template';
  readonly parts: readonly TemplatePart[];
  readonly pos: Pos;
}

/** The root name of a traversal: `var`, `local`, `azurerm_subnet`, `each`, an iterator... */
export interface VariableExpr {
  readonly kind: 'variable';
  readonly name: string;
  readonly pos: Pos;
}

/** `target.name` */
export interface GetAttrExpr {
  readonly kind: 'getattr';
  readonly target: Expr;
  readonly name: string;
  readonly pos: Pos;
}

/** `target[key]` (and the legacy `target.0`). */
export interface IndexExpr {
  readonly kind: 'index';
  readonly target: Expr;
  readonly key: Expr;
  readonly pos: Pos;
}

/**
 * A splat: `source[*].a.b` or `source.*.a`. `each` is the traversal applied to every element, rooted at a
 * `splat-item` node.
 */
export interface SplatExpr {
  readonly kind: 'splat';
  readonly source: Expr;
  readonly each: Expr;
  /** `.*` (attribute-only, legacy) rather than `[*]`. */
  readonly legacy: boolean;
  readonly pos: Pos;
}

/** The element a splat's traversal starts from. */
export interface SplatItemExpr {
  readonly kind: 'splat-item';
  readonly pos: Pos;
}

/** `name(args...)`; `expandFinal` when the last argument ends with `...`. */
export interface CallExpr {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly Expr[];
  readonly expandFinal: boolean;
  readonly pos: Pos;
}

/** `cond ? then : else` */
export interface ConditionalExpr {
  readonly kind: 'conditional';
  readonly cond: Expr;
  readonly then: Expr;
  readonly else: Expr;
  readonly pos: Pos;
}

/** Binary operators, lowest precedence first. */
export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%';

/** `left op right` */
export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly pos: Pos;
}

/** `!x` or `-x` */
export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: '!' | '-';
  readonly operand: Expr;
  readonly pos: Pos;
}

/** `[a, b]` */
export interface TupleExpr {
  readonly kind: 'tuple';
  readonly items: readonly Expr[];
  readonly pos: Pos;
}

/** One item of an object constructor. A bare identifier key is a literal string. */
export interface ObjectItem {
  readonly key: Expr;
  readonly value: Expr;
}

/** `{ a = 1, (k) = 2 }` */
export interface ObjectExpr {
  readonly kind: 'object';
  readonly items: readonly ObjectItem[];
  readonly pos: Pos;
}

/** `[for k, v in coll : v if cond]` or `{for k, v in coll : k => v... if cond}` */
export interface ForExpr {
  readonly kind: 'for';
  readonly keyVar?: string;
  readonly valueVar: string;
  readonly collection: Expr;
  /** Present for object results (`k => v`). */
  readonly keyExpr?: Expr;
  readonly valueExpr: Expr;
  readonly cond?: Expr;
  /** `...` after the value: group values by key. */
  readonly group: boolean;
  readonly pos: Pos;
}

/** `(expr)`: kept so printing and object keys behave as written. */
export interface ParensExpr {
  readonly kind: 'parens';
  readonly expr: Expr;
  readonly pos: Pos;
}

/** Any expression. */
export type Expr =
  | LiteralExpr | TemplateExpr | VariableExpr | GetAttrExpr | IndexExpr | SplatExpr | SplatItemExpr | CallExpr
  | ConditionalExpr | BinaryExpr | UnaryExpr | TupleExpr | ObjectExpr | ForExpr | ParensExpr;

/** `name = expr` in a body. */
export interface Attribute {
  readonly name: string;
  readonly expr: Expr;
  readonly pos: Pos;
}

/** `type "label" ... { body }` */
export interface Block {
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: Body;
  readonly pos: Pos;
}

/** The content of a file or a block: attributes and blocks, in source order. */
export interface Body {
  readonly attributes: readonly Attribute[];
  readonly blocks: readonly Block[];
  /** The file the body comes from. */
  readonly file: string;
}
