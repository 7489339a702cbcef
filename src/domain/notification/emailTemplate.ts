import type { Command } from '../shared/event.js';
import type { EmailTemplateUpdated } from './notificationEvents.js';

export interface LocalizedEmailTemplate {
  subject: string;
  html: string;
  text: string;
}

/** Stream `emailTemplate-<name>`: one version per locale; the last update of a locale wins. */
export type EmailTemplateState =
  | { status: 'Empty' }
  | { status: 'Defined'; name: string; locales: Readonly<Record<string, LocalizedEmailTemplate>> };

export type UpdateEmailTemplate = Command<
  'UpdateEmailTemplate',
  { name: string; locale: string; subject: string; html: string; text: string }
>;

export const initialEmailTemplateState = (): EmailTemplateState => ({ status: 'Empty' });

export function evolveEmailTemplate(
  state: EmailTemplateState,
  event: EmailTemplateUpdated,
): EmailTemplateState {
  const { name, locale, subject, html, text } = event.data;
  const locales = state.status === 'Defined' ? state.locales : {};
  return { status: 'Defined', name, locales: { ...locales, [locale]: { subject, html, text } } };
}

/** Limits: RFC 5322 caps a header line at 998 characters; bodies at 100 kB each. */
export const SUBJECT_MAX_CHARS = 998;
export const BODY_MAX_BYTES = 100 * 1024;
