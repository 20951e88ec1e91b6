/**
 * The checks engine, loaded the first time it is used. `require('cdktf-apim-network')` loads what the constructs need
 * and no more: a program that builds networks with the checks off, or that never synthesizes, never loads the engine,
 * its rules, the Terraform JSON model or the reports (a third of the library's own modules). Each export forwards to
 * the function of the same name in the module it is loaded from, with that function's signature.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as Arguments from './arguments';
import type * as Catalog from './catalog';
import type * as Engine from './engine';
import type * as Model from './model';
import type * as Report from './report';

let argumentsModule: typeof Arguments | undefined;
let catalogModule: typeof Catalog | undefined;
let engineModule: typeof Engine | undefined;
let modelModule: typeof Model | undefined;
let reportModule: typeof Report | undefined;

const args = () => (argumentsModule ??= require('./arguments') as typeof Arguments);
const catalog = () => (catalogModule ??= require('./catalog') as typeof Catalog);
const engine = () => (engineModule ??= require('./engine') as typeof Engine);
const model = () => (modelModule ??= require('./model') as typeof Model);
const report = () => (reportModule ??= require('./report') as typeof Report);

export const guard: typeof Arguments.guard = (where, prop, read) => args().guard(where, prop, read);
export const plainJson: typeof Arguments.plainJson = (where, prop, value) => args().plainJson(where, prop, value);
export const checkDocumentShape: typeof Arguments.checkDocumentShape = (where, prop, value) => args().checkDocumentShape(where, prop, value);
export const suppressionIdProblem: typeof Arguments.suppressionIdProblem = (ruleId) => args().suppressionIdProblem(ruleId);
export const readSuppressions: typeof Arguments.readSuppressions = (where, prop, value) => args().readSuppressions(where, prop, value);

/** Metadata of every rule (`catalog.RULES`). */
export const allRules = (): typeof Catalog.RULES => catalog().RULES;
export const renderRuleTable: typeof Catalog.renderRuleTable = () => catalog().renderRuleTable();

export const evaluateDocument: typeof Engine.evaluateDocument = (document, options) => engine().evaluateDocument(document, options);
export const namesFinding: typeof Engine.namesFinding = (suppression, finding) => engine().namesFinding(suppression, finding);
export const unusedSuppression: typeof Engine.unusedSuppression = (suppression, strict, elsewhere) =>
  engine().unusedSuppression(suppression, strict, elsewhere);

export const jsonSource: typeof Model.jsonSource = (document) => model().jsonSource(document);
/** `new UnsettledDocument(reason, current)`. */
export const unsettledDocument = (reason: string, current?: () => unknown): Model.UnsettledDocument => new (model().UnsettledDocument)(reason, current);

export const jsonReport: typeof Report.jsonReport = (result, stack, stackFile, timing) => report().jsonReport(result, stack, stackFile, timing);
export const markdownReport: typeof Report.markdownReport = (result, stack) => report().markdownReport(result, stack);
export const sarifReport: typeof Report.sarifReport = (result, stackFile) => report().sarifReport(result, stackFile);
