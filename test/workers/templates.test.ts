import { expect } from 'chai';
import {
  TEMPLATE_NAMES,
  createEmailTemplateDecider,
  localeFallbacks,
  normalizeLocale,
  type EmailTemplateState,
  type TemplateVariables,
} from '../../src/domain/notification/index.js';
import { analyzeHandlebarsTemplate } from '../../workers/templates/analyzeHandlebarsTemplate.js';
import { chooseTemplate } from '../../workers/templates/chooseTemplate.js';
import { DEFAULT_TEMPLATES } from '../../workers/templates/defaultTemplates.js';
import { renderEmail } from '../../workers/templates/renderEmail.js';

const variables: TemplateVariables = {
  applicationName: 'Billing <script>alert(1)</script>',
  applicationId: 'app-1',
  clientId: 'cid-1',
  organizationName: 'ACME',
  ownerName: 'jdoe',
  ownerEmail: 'jdoe@example.com',
  createdAt: '2026-01-01T00:00:00.000Z',
  occurredAt: '2026-01-01T00:00:00.000Z',
  previousSecretValidUntil: '',
  link: 'https://admin.example.com/app-1',
};

describe('locale fallback', () => {
  it('given de_DE, then the chain is de_DE → de → en', () => {
    expect(localeFallbacks('de_DE')).to.deep.equal(['de_DE', 'de', 'en']);
    expect(localeFallbacks('de-de')).to.deep.equal(['de_DE', 'de', 'en']);
  });
  it('given en, none or garbage, then the chain is just en', () => {
    expect(localeFallbacks('en')).to.deep.equal(['en']);
    expect(localeFallbacks(undefined)).to.deep.equal(['en']);
    expect(localeFallbacks('../../etc')).to.deep.equal(['en']);
    expect(normalizeLocale('zh_hant')).to.equal('zh_Hant');
  });
});

describe('shipped default templates', () => {
  it('every template name has an en version that passes the same validation as an edited one', () => {
    const decider = createEmailTemplateDecider(analyzeHandlebarsTemplate);
    const metadata = { actor: 'test', actorKind: 'user' as const, now: new Date(), correlationId: 'c' };
    for (const name of TEMPLATE_NAMES) {
      for (const [locale, t] of Object.entries(DEFAULT_TEMPLATES[name])) {
        const events = decider.decide({ type: 'UpdateEmailTemplate', data: { name, locale, ...t }, metadata }, decider.initialState());
        expect(events, `${name}/${locale}`).to.have.length(1);
      }
      expect(DEFAULT_TEMPLATES[name].en, name).to.not.equal(undefined);
    }
  });
});

describe('choosing a template version', () => {
  const edited: EmailTemplateState = {
    status: 'Defined',
    name: 'user_oauth_application_created',
    locales: { de: { subject: 'edited de', html: '', text: 'x' }, fr_CA: { subject: 'edited fr_CA', html: '', text: 'x' } },
  };
  it('given an edited de version, when the recipient is de_AT, then the edited de version is used', () => {
    expect(chooseTemplate('user_oauth_application_created', edited, 'de_AT').template.subject).to.equal('edited de');
  });
  it('given no edited version for fr, when the recipient is fr_FR, then the shipped en version is used', () => {
    const chosen = chooseTemplate('user_oauth_application_created', edited, 'fr_FR');
    expect(chosen).to.include({ locale: 'en', source: 'default' });
    expect(chosen.template.subject).to.equal('OAuth application added to your account');
  });
  it('given nothing edited, when the recipient is de_DE, then the shipped de version is used', () => {
    const chosen = chooseTemplate('user_oauth_application_created', { status: 'Empty' }, 'de_DE');
    expect(chosen).to.include({ locale: 'de', source: 'default' });
  });
});

describe('rendering', () => {
  const template = { subject: 'New: {{applicationName}}', html: '<p>{{applicationName}}</p>', text: '{{applicationName}} by {{ownerName}}' };
  it('escapes variables in the HTML body but not in the text body', () => {
    const r = renderEmail(template, variables);
    expect(r.html).to.equal('<p>Billing &lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(r.text).to.equal('Billing <script>alert(1)</script> by jdoe');
  });
  it('keeps the subject on one line whatever the variables hold', () => {
    const r = renderEmail(template, { ...variables, applicationName: 'a\r\nBcc: evil@example.com' });
    expect(r.subject).to.equal('New: a Bcc: evil@example.com');
  });
  it('renders if/else on optional variables', () => {
    const t = { subject: 's', html: '', text: '{{#if previousSecretValidUntil}}until {{previousSecretValidUntil}}{{else}}now{{/if}}' };
    expect(renderEmail(t, variables).text).to.equal('now');
    expect(renderEmail(t, { ...variables, previousSecretValidUntil: 'tomorrow' }).text).to.equal('until tomorrow');
  });
});
