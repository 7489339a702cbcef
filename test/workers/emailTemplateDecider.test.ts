import { expect } from 'chai';
import {
  BODY_MAX_BYTES,
  createEmailTemplateDecider,
  type UpdateEmailTemplate,
} from '../../src/domain/notification/index.js';
import type { EmailTemplateUpdated } from '../../src/domain/notification/notificationEvents.js';
import { analyzeHandlebarsTemplate } from '../../workers/templates/analyzeHandlebarsTemplate.js';
import { DeciderSpecification } from '../support/deciderSpecification.js';

const given = DeciderSpecification.for(createEmailTemplateDecider(analyzeHandlebarsTemplate));
const metadata = { actor: 'admin-1', actorKind: 'user' as const, now: new Date('2026-01-01T00:00:00Z'), correlationId: 'c-1' };
const update = (data: Partial<UpdateEmailTemplate['data']> = {}): UpdateEmailTemplate => ({
  type: 'UpdateEmailTemplate',
  data: {
    name: 'user_oauth_application_created',
    locale: 'en',
    subject: 'New app {{applicationName}}',
    html: '<p>Hi {{ownerName}}, {{#if link}}<a href="{{link}}">open</a>{{/if}}</p>',
    text: 'Hi {{ownerName}}, client {{clientId}}',
    ...data,
  },
  metadata,
});
const updated = (data: Partial<EmailTemplateUpdated['data']> = {}): EmailTemplateUpdated => ({
  type: 'EmailTemplateUpdated',
  data: { ...update().data, ...data },
});
const fieldMessages = (error: { errors: { field: string; message: string }[] }, field: string): string[] =>
  error.errors.filter((e) => e.field === field).map((e) => e.message);

describe('email template decider', () => {
  it('given no version, when a valid template is saved, then EmailTemplateUpdated is recorded', () => {
    given([]).when(update()).then([updated()]);
  });

  it('given a version, when the same template is saved again, then nothing happens', () => {
    given([updated()]).when(update()).thenNothingHappened();
  });

  it('given an en version, when a de_DE version is saved, then both locales are kept', () => {
    given([updated()])
      .when(update({ locale: 'de-de', subject: 'Neue Anwendung {{applicationName}}' }))
      .thenState((state) => {
        expect(state.status).to.equal('Defined');
        if (state.status === 'Defined') expect(Object.keys(state.locales)).to.have.members(['en', 'de_DE']);
      });
  });

  it('when a template has a syntax error, then it is refused with the compile error on its field', () => {
    const error = given([]).when(update({ html: '<p>{{ownerName</p>' })).thenThrows('VALIDATION');
    expect(fieldMessages(error, 'html')[0]).to.match(/^Template does not compile: Parse error on line 1/);
  });

  it('when a block is not closed properly, then the compile error is reported', () => {
    const error = given([]).when(update({ text: '{{#if link}}x{{/unless}}' })).thenThrows('VALIDATION');
    expect(fieldMessages(error, 'text')[0]).to.include("if doesn't match unless");
  });

  it('when a template references an unknown variable, then it is refused (not rendered empty)', () => {
    const error = given([]).when(update({ subject: 'App {{aplicationName}}' })).thenThrows('VALIDATION');
    expect(fieldMessages(error, 'subject')[0]).to.match(/^Unknown variable "aplicationName"; allowed: applicationName/);
  });

  it('when a template asks for the secret, then it is refused: no such variable exists', () => {
    for (const v of ['secret', 'secretHash', 'clientSecret', 'application.secretHash']) {
      const error = given([]).when(update({ text: `{{${v}}}` })).thenThrows('VALIDATION');
      expect(fieldMessages(error, 'text')[0]).to.include(`Unknown variable "${v}"`);
    }
  });

  it('when a template uses a helper other than if/unless, a partial or a context path, then it is refused', () => {
    for (const [text, message] of [
      ['{{#each x}}{{/each}}', 'Helper "each" is not allowed'],
      ['{{lookup applicationName 0}}', 'Helper "lookup" is not allowed'],
      ['{{> header}}', 'A partial is not allowed'],
      ['{{@root.applicationName}}', 'Data variable "@root.applicationName" is not allowed'],
      ['{{#if link}}{{../link}}{{/if}}', 'Context path "../link" is not allowed'],
      ['{{{applicationName}}}', 'Unescaped output'],
    ] as const) {
      const error = given([]).when(update({ html: text })).thenThrows('VALIDATION');
      expect(fieldMessages(error, 'html').join(' | ')).to.include(message);
    }
  });

  it('when a body is larger than 100 kB, then it is refused before compiling', () => {
    const huge = 'x'.repeat(BODY_MAX_BYTES + 1);
    const error = given([]).when(update({ html: huge })).thenThrows('VALIDATION');
    expect(fieldMessages(error, 'html')).to.deep.equal(['Body is larger than 100 kB']);
  });

  it('when a body is exactly 100 kB, then it is accepted', () => {
    given([]).when(update({ text: 'x'.repeat(BODY_MAX_BYTES) })).then([updated({ text: 'x'.repeat(BODY_MAX_BYTES) })]);
  });

  it('when the subject is too long, empty or has a line break, then it is refused', () => {
    for (const [subject, message] of [
      ['s'.repeat(999), 'Subject is longer than 998 characters'],
      ['  ', 'Subject is required'],
      ['a\r\nBcc: x@example.com', 'Subject must be a single line'],
    ] as const) {
      const error = given([]).when(update({ subject })).thenThrows('VALIDATION');
      expect(fieldMessages(error, 'subject')).to.include(message);
    }
  });

  it('when the name or locale is unknown, or both bodies are empty, then it is refused', () => {
    expect(fieldMessages(given([]).when(update({ name: 'nope' })).thenThrows('VALIDATION'), 'name')).to.have.length(1);
    expect(fieldMessages(given([]).when(update({ locale: 'german!' })).thenThrows('VALIDATION'), 'locale')).to.have.length(1);
    expect(fieldMessages(given([]).when(update({ html: '', text: ' ' })).thenThrows('VALIDATION'), 'text')).to.have.length(1);
  });
});
