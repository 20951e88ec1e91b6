/**
 * HCL for Terraform configurations, in plain TypeScript: the native syntax (`.tf`), the JSON syntax (`.tf.json`), the
 * expression language and its evaluator with unknown values, and Terraform's type constraints. No cdktf, no I/O.
 */
export * from './ast';
export { HclSyntaxError, isIdentifier } from './lexer';
export type { SourceOptions } from './parser';
export { literalText, parseConfig, parseExpression, parseTemplate } from './parser';
export { escapeTemplateText, printExpression, printTemplateRaw } from './printer';
export * from './value';
export type { EvaluateOptions, Scope } from './evaluator';
export { ChildScope, PositionedEvalError, evaluate, getAttr, index, iterate, jsonOfExpression, scopeOf } from './evaluator';
export type { HclFunction } from './functions';
export { FUNCTIONS } from './functions';
export type { TypeConstraint, ObjectAttribute } from './types';
export { convert, parseType } from './types';
export type { JsonEntry, JsonNode } from './json';
export { jsonToExpr, jsonToValue, parseJson } from './json';
export { cidrhost, cidrnetmask, cidrsubnet, cidrsubnets, formatAddress, parseNetwork } from './cidr';
