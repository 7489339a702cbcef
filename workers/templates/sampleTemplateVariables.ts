import { TEMPLATE_VARIABLES, type TemplateVariables } from '../../src/domain/notification/templateVariables.js';

/**
 * Values of every template variable for the save-time trial render: once all filled, once
 * all empty, so both branches of every `{{#if}}`/`{{#unless}}` run.
 */
export const SAMPLE_TEMPLATE_VARIABLES: readonly TemplateVariables[] = [
  {
    applicationName: 'Sample application',
    applicationId: '00000000-0000-4000-8000-000000000000',
    clientId: 'sample-client-id',
    organizationName: 'Sample organization',
    ownerName: 'sample.owner',
    ownerEmail: 'owner@example.com',
    createdAt: '2026-01-01T00:00:00.000Z',
    occurredAt: '2026-01-01T00:00:00.000Z',
    previousSecretValidUntil: '2026-01-02T00:00:00.000Z',
    link: 'https://tollgate.example/admin/oauth-applications/00000000-0000-4000-8000-000000000000',
  },
  Object.fromEntries(TEMPLATE_VARIABLES.map((name) => [name, ''])) as unknown as TemplateVariables,
];
