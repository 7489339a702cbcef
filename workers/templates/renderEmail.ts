import Handlebars from 'handlebars';
import type { LocalizedEmailTemplate } from '../../src/domain/notification/emailTemplate.js';
import type { TemplateVariables } from '../../src/domain/notification/templateVariables.js';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** An isolated Handlebars environment: nobody can register helpers or partials into it. */
const engine = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();
const MAX_CACHED = 500;

function compiled(source: string, escape: boolean): Handlebars.TemplateDelegate {
  const key = `${escape ? 'h' : 't'}:${source}`;
  let fn = cache.get(key);
  if (!fn) {
    fn = engine.compile(source, { noEscape: !escape, strict: false, knownHelpersOnly: true });
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(key, fn);
  }
  return fn;
}

const renderOptions = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };

/** Renders one template source exactly as a sent email does (the save-time check uses it too). */
export function renderTemplateSource(source: string, escape: boolean, variables: TemplateVariables): string {
  return compiled(source, escape)(variables, renderOptions);
}

/** HTML bodies are escaped; subject and text are not (they are not HTML). */
export function renderEmail(template: LocalizedEmailTemplate, variables: TemplateVariables): RenderedEmail {
  return {
    // One line, however the variables look: a header must never be split.
    subject: renderTemplateSource(template.subject, false, variables).replace(/[\r\n]+/g, ' ').trim(),
    html: template.html === '' ? '' : renderTemplateSource(template.html, true, variables),
    text: template.text === '' ? '' : renderTemplateSource(template.text, false, variables),
  };
}
