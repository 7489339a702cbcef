/**
 * OpenAPI 3.1 description of the whole HTTP surface, served at GET /openapi.json. A test
 * (test/http/openapi.test.ts) checks it against the router: every route documented, every
 * documented route exists.
 */
import { USER_ROLES } from '../domain/user/userEvents.js';
import { GRANTS } from '../domain/application/applicationEvents.js';

type Schema = Record<string, unknown>;
type Operation = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ 'application/json': { schema } });
const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
const oauthError = (description: string) => ({ description, content: json(ref('OAuthError')) });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const nameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  schema: { type: 'string' },
  description: 'W/"<revision>" from a previous ETag; a stale value answers 412.',
};
const minPosition = {
  name: 'X-Min-Position',
  in: 'header',
  required: false,
  schema: { type: 'string' },
  description: 'Wait (bounded) until the read model reflects this event position.',
};
const adminErrors = {
  '400': problemResponse('Invalid input (per-field errors)'),
  '401': problemResponse('Missing or invalid bearer token'),
  '403': problemResponse('Not allowed'),
};
const secured = { security: [{ bearer: [] }] };

function op(summary: string, responses: Record<string, unknown>, extra: Operation = {}): Operation {
  return { summary, ...extra, responses };
}

/** authorization_code fields and per-application token lifetimes (rules: src/domain/application). */
const authorizationCodeProperties: Record<string, Schema> = {
  redirectUris: { type: 'array', maxItems: 10, items: { type: 'string', format: 'uri', description: 'https, or http on 127.0.0.1, [::1], localhost; no fragment' } },
  confidential: { type: 'boolean', description: 'false: a public client (client_id only, PKCE); default true' },
  skipConsent: { type: 'boolean', description: 'grant at once without the consent page; default false' },
  accessTokenTtl: { type: ['integer', 'null'], minimum: 60, description: 'seconds, at most ACCESS_TOKEN_TTL; null: the server default' },
  refreshTokenTtl: { type: ['integer', 'null'], minimum: 60, description: 'seconds, at most REFRESH_TOKEN_TTL; null: the server default' },
};

const appSchema: Schema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    clientId: { type: 'string' },
    name: { type: 'string' },
    organizationId: { type: 'string' },
    ownerUserId: { type: ['string', 'null'] },
    active: { type: 'boolean' },
    deleted: { type: 'boolean' },
    grants: { type: 'array', items: { enum: [...GRANTS] } },
    frontend: { type: 'boolean' },
    ...authorizationCodeProperties,
    allApis: { type: 'boolean' },
    apis: { type: 'array', items: { type: 'string' } },
    scopes: { type: 'array', items: { type: 'string' } },
    applicationUrl: { type: ['string', 'null'] },
    description: { type: ['string', 'null'] },
    revision: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

const paths: Record<string, Record<string, Operation>> = {
  '/oauth2-token': {
    post: op(
      'Token endpoint (client_credentials, password, authorization_code, refresh_token)',
      {
        '200': { description: 'Token issued', content: json(ref('TokenResponse')) },
        '400': oauthError('invalid_request, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope'),
        '401': oauthError('invalid_client'),
        '413': oauthError('Body too large'),
        '503': oauthError('temporarily_unavailable (signing keys missing)'),
      },
      {
        requestBody: {
          content: {
            'application/x-www-form-urlencoded': { schema: ref('TokenRequest') },
            'application/json': { schema: ref('TokenRequest') },
          },
        },
      },
    ),
    options: op('CORS preflight', { '204': { description: 'Preflight answer' } }),
  },
  '/oauth2-token/introspect': {
    post: op('RFC 7662 token introspection (client-authenticated)', {
      '200': { description: 'Introspection result', content: json({ type: 'object' }) },
      '401': oauthError('invalid_client'),
    }),
    options: op('CORS preflight', { '204': { description: 'Preflight answer' } }),
  },
  '/oauth2-token/authorize': {
    get: op('Authorization endpoint (RFC 6749 §4.1, PKCE S256 required, RFC 9207 iss): sign-in and consent pages, then a redirect to the registered redirect URI', {
      '303': { description: 'To the sign-in/consent page, or to the redirect URI with code or error, state and iss' },
      '400': { description: 'An HTML page: unknown or inactive client, unregistered or missing redirect URI (never redirected)' },
    }),
  },
  '/oauth2-token/revoke': {
    post: op('RFC 7009 token revocation (client-authenticated)', {
      '200': { description: 'Revoked (or unknown token)' },
      '401': oauthError('invalid_client'),
    }),
    options: op('CORS preflight', { '204': { description: 'Preflight answer' } }),
  },
  '/.well-known/oauth-authorization-server': {
    get: op('RFC 8414 authorization server metadata', { '200': { description: 'Metadata', content: json({ type: 'object' }) } }),
    options: op('CORS preflight', { '204': { description: 'Preflight answer' } }),
  },
  '/.well-known/jwks.json': {
    get: op('Public signing keys (JWKS)', { '200': { description: 'JWK set', content: json({ type: 'object' }) } }),
    options: op('CORS preflight', { '204': { description: 'Preflight answer' } }),
  },
  '/healthz': { get: op('Liveness', { '200': { description: 'Alive' } }) },
  '/readyz': {
    get: op('Readiness: stores reachable, token state caught up once, read model within READY_MAX_LAG_EVENTS / READY_MAX_LAG_MS; the lag in the body either way', {
      '200': { description: 'Ready' },
      '503': { description: 'Not ready (details in body)' },
    }),
  },
  '/openapi.json': { get: op('This document', { '200': { description: 'OpenAPI 3.1' } }) },
  '/admin/status': {
    get: op('Availability and warnings (no token needed)', { '200': { description: 'Status', content: json({ type: 'object' }) } }),
  },
  '/admin/me': {
    get: op('The caller', { '200': { description: 'User', content: json(ref('User')) }, ...adminErrors }, secured),
  },
  '/admin/organizations': {
    get: op('List organizations', { '200': { description: 'Page of organizations' }, ...adminErrors }, secured),
    post: op('Create an organization', { '201': { description: 'Created' }, ...adminErrors }, {
      ...secured,
      requestBody: { content: json(ref('OrganizationInput')) },
    }),
  },
  '/admin/organizations/{id}': {
    get: op('View an organization', { '200': { description: 'Organization' }, '404': problemResponse('Unknown'), ...adminErrors }, { ...secured, parameters: [idParam] }),
    patch: op('Rename, enable or disable an organization', { '200': { description: 'Updated' }, '404': problemResponse('Unknown'), '412': problemResponse('Stale revision'), ...adminErrors }, {
      ...secured,
      parameters: [idParam, ifMatch],
      requestBody: { content: json({ type: 'object', properties: { name: { type: 'string' }, enabled: { type: 'boolean' } }, additionalProperties: false }) },
    }),
  },
  '/admin/users': {
    get: op('List users', { '200': { description: 'Page of users' }, ...adminErrors }, secured),
    post: op('Create a user', { '201': { description: 'Created', content: json(ref('User')) }, ...adminErrors }, {
      ...secured,
      requestBody: { content: json(ref('UserInput')) },
    }),
  },
  '/admin/users/{id}': {
    get: op('View a user', { '200': { description: 'User', content: json(ref('User')) }, '404': problemResponse('Unknown'), ...adminErrors }, {
      ...secured,
      parameters: [idParam],
    }),
    patch: op('Edit a user (email, locale, organizations, roles, enabled, locked, password; one\'s own password needs currentPassword). Needs authority over every organization of the user', { '200': { description: 'Updated' }, '404': problemResponse('Unknown'), '412': problemResponse('Stale revision'), ...adminErrors }, {
      ...secured,
      parameters: [idParam, ifMatch],
    }),
  },
  '/admin/users/{id}/history': {
    get: op('A user\'s audit trail, paged (oneself, or with authority over every organization of the user)', { '200': { description: 'History page' }, '404': problemResponse('Unknown'), ...adminErrors }, {
      ...secured,
      parameters: [idParam],
    }),
  },
  '/admin/users/{id}/oauth-applications': {
    get: op('Applications owned by a user', { '200': { description: 'Grid page' }, '404': problemResponse('Unknown'), ...adminErrors }, {
      ...secured,
      parameters: [idParam],
    }),
  },
  '/admin/me/oauth-applications': {
    get: op('"My User": the caller\'s client-credentials applications', { '200': { description: 'Grid page' }, ...adminErrors }, secured),
    post: op('"My User": add a client-credentials application owned by the caller', { '201': { description: 'Created, with clientSecret (shown once)' }, ...adminErrors }, {
      ...secured,
      requestBody: { content: json({ type: 'object', properties: { name: { type: 'string' }, organizationId: { type: 'string' }, active: { type: 'boolean' } }, required: ['name'], additionalProperties: false }) },
    }),
  },
  '/admin/oauth-applications': {
    get: op('Applications grid', { '200': { description: 'Grid page', content: json(ref('GridPage')) }, ...adminErrors }, {
      ...secured,
      parameters: ['name', 'organizationId', 'active', 'grant', 'ownerUserId', 'sort', 'page', 'perPage', 'asOf']
        .map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' }, ...(name === 'asOf' && { description: 'the registry as it was then, from the event store (items add secrets valid then)' }) }))
        .concat([minPosition as never]),
    }),
    post: op('Create an application', { '201': { description: 'Created, with clientSecret (shown once)' }, '409': problemResponse('Duplicate name'), ...adminErrors }, {
      ...secured,
      requestBody: { content: json(ref('ApplicationInput')) },
    }),
  },
  '/admin/oauth-applications/{id}': {
    get: op('View an application (asOf: state at that time)', { '200': { description: 'Application', content: json(appSchema) }, '404': problemResponse('Unknown; with asOf, not yet created or outside your authority at that time'), ...adminErrors }, {
      ...secured,
      parameters: [idParam, { name: 'asOf', in: 'query', required: false, schema: { type: 'string', format: 'date-time' }, description: 'the application as it was then (names of then, lastUsedAt null), if you could see it then' }, minPosition],
    }),
    patch: op('Edit an application', { '200': { description: 'Updated' }, '404': problemResponse('Unknown'), '409': problemResponse('Duplicate name or conflict'), '412': problemResponse('Stale revision'), ...adminErrors }, {
      ...secured,
      parameters: [idParam, ifMatch],
    }),
    delete: op('Delete an application', { '204': { description: 'Deleted' }, '404': problemResponse('Unknown'), ...adminErrors }, {
      ...secured,
      parameters: [idParam, ifMatch],
    }),
  },
  '/admin/oauth-applications/{id}/activate': {
    post: op('Activate', { '200': { description: 'Active' }, '404': problemResponse('Unknown'), ...adminErrors }, { ...secured, parameters: [idParam, ifMatch] }),
  },
  '/admin/oauth-applications/{id}/deactivate': {
    post: op('Deactivate (outstanding tokens stop working at once)', { '200': { description: 'Inactive' }, '404': problemResponse('Unknown'), ...adminErrors }, { ...secured, parameters: [idParam, ifMatch] }),
  },
  '/admin/oauth-applications/{id}/rotate-secret': {
    post: op('Rotate the client secret (optional grace period for the previous one)', { '200': { description: 'New clientSecret (shown once)' }, '404': problemResponse('Unknown'), ...adminErrors }, {
      ...secured,
      parameters: [idParam, ifMatch],
      requestBody: { required: false, content: json({ type: 'object', properties: { graceSeconds: { type: 'integer', minimum: 0, maximum: 2592000 } }, additionalProperties: false }) },
    }),
  },
  '/admin/oauth-applications/{id}/history': {
    get: op('Audit trail: the application\'s events, newest first, in cursor pages (next links); format=jsonl|csv streams all of it', { '200': { description: 'Events page { items, next, perPage, order } (each item adds actorKind, actorName, via), or the export' }, '404': problemResponse('Unknown'), ...adminErrors }, {
      ...secured,
      parameters: [
        idParam,
        { name: 'perPage', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
        { name: 'include', in: 'query', schema: { enum: ['tokens'] }, description: 'tokens: also the token stream (TokenIssued, TokenRevoked, AuthorizationCodeGranted)' },
        { name: 'from', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'inclusive' },
        { name: 'to', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'exclusive' },
        { name: 'type', in: 'query', schema: { type: 'array', items: { type: 'string' } }, style: 'form', explode: true, description: 'event types; repeatable or comma-separated' },
        { name: 'order', in: 'query', schema: { enum: ['desc', 'asc'] } },
        { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'from a previous page\'s next link' },
        { name: 'format', in: 'query', schema: { enum: ['jsonl', 'csv'] }, description: 'stream the whole filtered history' },
      ],
    }),
  },
  '/admin/email-templates/{name}': {
    get: op('Email template (all locales)', { '200': { description: 'Template' }, '404': problemResponse('Unknown'), ...adminErrors }, { ...secured, parameters: [nameParam] }),
    put: op('Replace a template locale version', { '200': { description: 'Saved' }, '404': problemResponse('Unknown'), ...adminErrors }, { ...secured, parameters: [nameParam] }),
  },
  '/admin/notification-rules/{name}': {
    get: op('Notification rule', { '200': { description: 'Rule' }, '404': problemResponse('Unknown'), ...adminErrors }, { ...secured, parameters: [nameParam] }),
    put: op('Replace a notification rule', { '200': { description: 'Saved' }, '404': problemResponse('Unknown'), ...adminErrors }, { ...secured, parameters: [nameParam] }),
  },
  '/admin/notification-jobs': {
    get: op('Failed notification jobs of the applications the caller may see (for inspection)', { '200': { description: 'Failed jobs; queue counts only with global access' }, ...adminErrors }, secured),
  },
  '/admin/notification-jobs/{jobId}/retry': {
    post: op(
      'Send a failed notification again, with all its attempts afresh (an administrator who may see its application; not an auditor)',
      {
        '202': { description: '{ jobId, state }: queued again' },
        '404': problemResponse('No failed job of that id that the caller may see'),
        '409': problemResponse('No longer failed: retried meanwhile by someone else'),
        ...adminErrors,
      },
      { ...secured, parameters: [{ name: 'jobId', in: 'path', required: true, schema: { type: 'string' } }] },
    ),
  },
};

export function openApiDocument(issuer: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tollgate',
      version: '0.1.0',
      description:
        'OAuth 2.0 application registry and token service (event-sourced). A user with the `auditor` role reads what an administrator of the same organizations reads; every write (POST, PUT, PATCH, DELETE under /admin) answers 403 "Auditors have read-only access.", except changing their own password with the current one.',
    },
    servers: [{ url: issuer }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
        OAuthError: {
          type: 'object',
          properties: { error: { type: 'string' }, error_description: { type: 'string' } },
          required: ['error'],
        },
        TokenRequest: {
          type: 'object',
          properties: {
            grant_type: { enum: [...GRANTS] },
            code: { type: 'string' },
            redirect_uri: { type: 'string' },
            code_verifier: { type: 'string' },
            client_id: { type: 'string' },
            client_secret: { type: 'string' },
            username: { type: 'string' },
            password: { type: 'string' },
            refresh_token: { type: 'string' },
            scope: { type: 'string' },
          },
          required: ['grant_type'],
        },
        TokenResponse: {
          type: 'object',
          properties: {
            token_type: { const: 'Bearer' },
            expires_in: { type: 'integer' },
            access_token: { type: 'string' },
            refresh_token: { type: 'string' },
            scope: { type: 'string' },
          },
        },
        Application: appSchema,
        ApplicationInput: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'grants'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 255 },
            organizationId: { type: 'string' },
            active: { type: 'boolean' },
            grants: { type: 'array', items: { enum: [...GRANTS] } },
            ownerUserId: { type: 'string' },
            ...authorizationCodeProperties,
            frontend: { type: 'boolean' },
            allApis: { type: 'boolean' },
            apis: { type: 'array', items: { type: 'string' } },
            scopes: { type: 'array', items: { type: 'string' } },
            applicationUrl: { type: 'string' },
            description: { type: 'string' },
          },
        },
        GridPage: {
          type: 'object',
          properties: { items: { type: 'array', items: appSchema }, total: { type: 'integer' }, page: { type: 'integer' }, perPage: { type: 'integer' } },
        },
        OrganizationInput: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: { name: { type: 'string' }, globalAccess: { type: 'boolean' } },
        },
        UserInput: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'email', 'password', 'kind', 'roles', 'organizationIds'],
          properties: {
            username: { type: 'string' },
            email: { type: 'string', format: 'email' },
            password: { type: 'string', minLength: 8 },
            kind: { enum: ['backOffice', 'customer'] },
            roles: { type: 'array', items: { enum: [...USER_ROLES] }, description: 'auditor: reads what an administrator of the same organizations reads, changes nothing (only their own password); not combined with other roles' },
            organizationIds: { type: 'array', items: { type: 'string' } },
            locale: { type: 'string' },
          },
        },
        User: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            username: { type: 'string' },
            email: { type: 'string' },
            kind: { type: 'string' },
            roles: { type: 'array', items: { enum: [...USER_ROLES] } },
            organizationIds: { type: 'array', items: { type: 'string' } },
            locale: { type: 'string' },
            enabled: { type: 'boolean' },
            locked: { type: 'boolean' },
          },
        },
      },
    },
  };
}

/** Every (method, path) the document lists, in Koa path syntax (`:id`), for the route test. */
export function documentedRoutes(): { method: string; path: string }[] {
  return Object.entries(paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => ({
      method: method.toUpperCase(),
      path: path.replace(/\{(\w+)\}/g, ':$1'),
    })),
  );
}
