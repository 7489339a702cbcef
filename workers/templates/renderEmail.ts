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

/** HTML bodies are escaped; subject and text are not (they are not HTML). */
export function renderEmail(template: LocalizedEmailTemplate, variables: TemplateVariables): RenderedEmail {
  const options = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };
  return {
    // One line, however the variables look: a header must never be split.
    subject: compiled(template.subject, false)(variables, options).replace(/[\r\n]+/g, ' ').trim(),
    html: template.html === '' ? '' : compiled(template.html, true)(variables, options),
    text: template.text === '' ? '' : compiled(template.text, false)(variables, options),
  };
}
