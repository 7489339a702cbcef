import { DomainError, type FieldError } from '../shared/domainError.js';
import type { Decider } from '../shared/event.js';
import { isTemplateName } from './notificationCatalog.js';
import type { EmailTemplateUpdated } from './notificationEvents.js';
import { normalizeLocale } from './locale.js';
import type { TemplateAnalyzer } from './templateAnalysis.js';
import { TEMPLATE_HELPERS, TEMPLATE_VARIABLES } from './templateVariables.js';
import {
  BODY_MAX_BYTES,
  SUBJECT_MAX_CHARS,
  evolveEmailTemplate,
  initialEmailTemplateState,
  type EmailTemplateState,
  type UpdateEmailTemplate,
} from './emailTemplate.js';

const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

/** Size and shape checks that need no template engine. */
function checkShape(data: UpdateEmailTemplate['data']): FieldError[] {
  const errors: FieldError[] = [];
  if (!isTemplateName(data.name)) errors.push({ field: 'name', message: `Unknown email template "${data.name}"` });
  if (normalizeLocale(data.locale) === null)
    errors.push({ field: 'locale', message: 'Locale must look like "en" or "de_DE"' });
  if (data.subject.trim() === '') errors.push({ field: 'subject', message: 'Subject is required' });
  if (data.subject.length > SUBJECT_MAX_CHARS)
    errors.push({ field: 'subject', message: `Subject is longer than ${SUBJECT_MAX_CHARS} characters` });
  if (/[\r\n]/.test(data.subject)) errors.push({ field: 'subject', message: 'Subject must be a single line' });
  for (const field of ['html', 'text'] as const) {
    if (utf8Length(data[field]) > BODY_MAX_BYTES)
      errors.push({ field, message: `Body is larger than ${BODY_MAX_BYTES / 1024} kB` });
  }
  if (data.html.trim() === '' && data.text.trim() === '')
    errors.push({ field: 'text', message: 'An HTML or a text body is required' });
  return errors;
}

/** Compile errors, unknown variables, refused helpers and constructs, per field. */
function checkTemplates(data: UpdateEmailTemplate['data'], analyze: TemplateAnalyzer): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['subject', 'html', 'text'] as const) {
    const analysis = analyze(data[field]);
    if (!analysis.ok) {
      errors.push({ field, message: `Template does not compile: ${analysis.error}` });
      continue;
    }
    const unknown = analysis.variables.filter((v) => !(TEMPLATE_VARIABLES as readonly string[]).includes(v));
    for (const v of new Set(unknown))
      errors.push({ field, message: `Unknown variable "${v}"; allowed: ${TEMPLATE_VARIABLES.join(', ')}` });
    for (const h of new Set(analysis.helpers.filter((h) => !TEMPLATE_HELPERS.includes(h))))
      errors.push({ field, message: `Helper "${h}" is not allowed; allowed: ${TEMPLATE_HELPERS.join(', ')}` });
    for (const u of new Set(analysis.unsupported)) errors.push({ field, message: `${u} is not allowed` });
    if (analysis.renderError !== undefined)
      errors.push({ field, message: `Template fails when rendered with sample values: ${analysis.renderError}` });
  }
  return errors;
}

/**
 * The email template decider. `analyze` compiles a template source and lists what it
 * references (pure, but engine-specific, so it is passed in).
 */
export function createEmailTemplateDecider(
  analyze: TemplateAnalyzer,
): Decider<EmailTemplateState, UpdateEmailTemplate, EmailTemplateUpdated> {
  return {
    initialState: initialEmailTemplateState,
    evolve: evolveEmailTemplate,
    decide(command, state) {
      const data = command.data;
      const shapeErrors = checkShape(data);
      // Do not hand a 5 MB body to the template engine: size errors stop the checks here.
      const errors = shapeErrors.length > 0 ? shapeErrors : checkTemplates(data, analyze);
      if (errors.length > 0) throw new DomainError('VALIDATION', 'Invalid email template', errors);
      const locale = normalizeLocale(data.locale)!;
      const current = state.status === 'Defined' ? state.locales[locale] : undefined;
      if (current && current.subject === data.subject && current.html === data.html && current.text === data.text)
        return [];
      return [
        {
          type: 'EmailTemplateUpdated',
          data: { name: data.name, locale, subject: data.subject, html: data.html, text: data.text },
        },
      ];
    },
  };
}
