import type { EmailTemplateState, LocalizedEmailTemplate } from '../../src/domain/notification/emailTemplate.js';
import { localeFallbacks } from '../../src/domain/notification/locale.js';
import type { TemplateName } from '../../src/domain/notification/notificationCatalog.js';
import { DEFAULT_TEMPLATES } from './defaultTemplates.js';

/**
 * Picks the version for a recipient's locale: `de_DE` → `de` → `en`, first among the edited
 * versions, then among the shipped ones. Edited versions win over shipped translations: an
 * administrator who edited only `en` meant every recipient to get that text.
 */
export function chooseTemplate(
  name: TemplateName,
  edited: EmailTemplateState,
  recipientLocale: string | null | undefined,
): { template: LocalizedEmailTemplate; locale: string; source: 'edited' | 'default' } {
  const chain = localeFallbacks(recipientLocale);
  if (edited.status === 'Defined') {
    for (const locale of chain) {
      const t = edited.locales[locale];
      if (t) return { template: t, locale, source: 'edited' };
    }
  }
  const defaults = DEFAULT_TEMPLATES[name];
  for (const locale of chain) {
    const t = defaults[locale];
    if (t) return { template: t, locale, source: 'default' };
  }
  throw new Error(`Shipped template ${name} has no default locale version`);
}
