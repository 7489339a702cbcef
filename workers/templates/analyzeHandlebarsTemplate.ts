import Handlebars from 'handlebars';
import type { TemplateAnalysis } from '../../src/domain/notification/templateAnalysis.js';
import { TEMPLATE_HELPERS } from '../../src/domain/notification/templateVariables.js';
import { renderTemplateSource } from './renderEmail.js';
import { SAMPLE_TEMPLATE_VARIABLES } from './sampleTemplateVariables.js';

type Node = hbs.AST.Node;

interface Findings {
  variables: string[];
  helpers: string[];
  unsupported: string[];
}

/** A path used as a value: `@root`/`@index` data, `this` and `../` are refused, not resolved. */
function visitPath(path: hbs.AST.PathExpression, found: Findings): void {
  if (path.data) found.unsupported.push(`Data variable "@${path.original.replace(/^@/, '')}"`);
  else if (path.depth > 0 || /^(this|\.)/.test(path.original) || path.parts.length === 0)
    found.unsupported.push(`Context path "${path.original}"`);
  else found.variables.push(path.parts.join('.'));
}

function visitExpression(node: Node, found: Findings): void {
  if (node.type === 'PathExpression') visitPath(node as hbs.AST.PathExpression, found);
  else if (node.type === 'SubExpression') visitCall(node as hbs.AST.SubExpression, found, true);
}

/** A mustache/block/subexpression: with params or a hash its path is a helper, else a value. */
function visitCall(
  node: { path: Node; params: Node[]; hash?: hbs.AST.Hash },
  found: Findings,
  isHelper: boolean,
): void {
  const path = node.path as hbs.AST.PathExpression;
  if (node.path.type !== 'PathExpression') found.unsupported.push('A literal in place of a value');
  else if (isHelper || node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0) found.helpers.push(path.original);
  else visitPath(path, found);
  for (const p of node.params) visitExpression(p, found);
  for (const pair of node.hash?.pairs ?? []) visitExpression(pair.value, found);
}

function visitProgram(program: hbs.AST.Program | undefined, found: Findings): void {
  if (!program) return;
  if (program.blockParams?.length) found.unsupported.push('Block parameters');
  for (const statement of program.body) {
    switch (statement.type) {
      case 'MustacheStatement': {
        const mustache = statement as hbs.AST.MustacheStatement;
        // {{{x}}} would let an application name inject HTML into the email.
        if (!mustache.escaped) found.unsupported.push('Unescaped output ({{{…}}} or {{&…}})');
        visitCall(mustache, found, false);
        break;
      }
      case 'BlockStatement': {
        const block = statement as hbs.AST.BlockStatement;
        visitCall(block, found, true);
        if (block.params.length !== 1) found.unsupported.push(`"#${block.path.original}" without exactly one argument`);
        visitProgram(block.program, found);
        visitProgram(block.inverse, found);
        break;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement':
        found.unsupported.push('A partial');
        break;
      case 'Decorator':
      case 'DecoratorBlock':
        found.unsupported.push('A decorator');
        break;
      default: // content and comments
        break;
    }
  }
}

/**
 * Whether the source renders, as sent emails render it (renderEmail), with sample values of
 * every variable: `{{if x}}` compiles but fails at render ("options.fn is not a function").
 * Answers the engine's message, or undefined.
 */
function trialRenderError(source: string): string | undefined {
  try {
    for (const variables of SAMPLE_TEMPLATE_VARIABLES) {
      for (const escape of [true, false]) renderTemplateSource(source, escape, variables);
    }
    return undefined;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return message.replace(/\s+/g, ' ').trim().slice(0, 500);
  }
}

/**
 * Compiles a Handlebars source (syntax and compile-time errors), lists the variables and
 * helpers it references by walking its AST, and renders it with sample values of every
 * variable (what would fail at send time fails here).
 */
export function analyzeHandlebarsTemplate(source: string): TemplateAnalysis {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
    Handlebars.precompile(ast, { strict: false, knownHelpersOnly: false });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: message.replace(/\s+/g, ' ').trim().slice(0, 500) };
  }
  const found: Findings = { variables: [], helpers: [], unsupported: [] };
  visitProgram(ast, found);
  // Only sources made of allowed parts are rendered: nothing refused ever runs.
  const allowed = found.unsupported.length === 0 && found.helpers.every((h) => TEMPLATE_HELPERS.includes(h));
  const renderError = allowed ? trialRenderError(source) : undefined;
  return { ok: true, ...found, ...(renderError !== undefined && { renderError }) };
}
