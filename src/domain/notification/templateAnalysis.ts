/**
 * What a template engine found in one template source. The decider stays pure: the HTTP
 * layer passes an analyzer (workers/templates/analyzeHandlebarsTemplate.ts) that compiles the
 * source and lists what it references; the decider only judges the result.
 */
export type TemplateAnalysis =
  | {
      ok: true;
      /** Variable paths referenced, as written (`applicationName`, `owner.name`). */
      variables: string[];
      /** Helpers called, block or inline (`if`, `each`, `lookup`). */
      helpers: string[];
      /** Constructs refused outright (partials, decorators, `@root`, `this`, `../`). */
      unsupported: string[];
      /** The engine's message when rendering with sample values of every variable failed. */
      renderError?: string;
    }
  | { ok: false; error: string };

export type TemplateAnalyzer = (source: string) => TemplateAnalysis;
