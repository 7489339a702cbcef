import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * Configuration from environment variables (DESIGN §5). Every value is validated at start;
 * a bad value stops the start with a message naming the variable (ConfigError).
 */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

const positiveInt = (max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(max));

const wholeNumber = (max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number (0 = off)')
    .transform(Number)
    .pipe(z.number().int().min(0).max(max));

const onOff = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .pipe(z.enum(['on', 'off', 'true', 'false', '1', '0', 'yes', 'no']))
  .transform((v) => ['on', 'true', '1', 'yes'].includes(v));

const url = (protocols: string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a URL (${protocols.join(' or ')})`);

const durationSeconds = z
  .string()
  .regex(/^\d+\s*(s|m|h|d)?$/, 'must be seconds or a number with s, m, h or d (e.g. 90d)')
  .transform((v) => {
    const m = /^(\d+)\s*(s|m|h|d)?$/.exec(v)!;
    const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
    return Number(m[1]) * unit;
  })
  .pipe(z.number().int().min(1));

const shape = {
    PORT: positiveInt(65535).default(8080),
    HOST: z.string().min(1).default('127.0.0.1'),
    ISSUER: url(['http:', 'https:']).optional(),
    DATA_DIR: z.string().min(1).default('./var'),
    KEYS_DIR: z.string().min(1).default('./keys'),
    EVENTSTORE_URL: url(['esdb:', 'esdb+discover:', 'kurrentdb:', 'kurrent:', 'postgres:', 'postgresql:']).optional(),
    MONGO_URL: url(['mongodb:', 'mongodb+srv:']).optional(),
    REDIS_URL: url(['redis:', 'rediss:']).optional(),
    SMTP_URL: url(['smtp:', 'smtps:']).optional(),
    MAIL_FROM: z.string().min(3).default('Tollgate <no-reply@tollgate.local>'),
    ACCESS_TOKEN_TTL: positiveInt(86400 * 7).default(3600),
    REFRESH_TOKEN_TTL: positiveInt(86400 * 365).default(2592000),
    AUTH_CODE_TTL: positiveInt(3600).default(600),
    REFRESH_TOKENS: onOff.default(true),
    LOGIN_FAILURE_LIMIT: positiveInt(1000).default(10),
    LOGIN_LOCKOUT_WAIT: durationSeconds.default(60),
    LOGIN_LOCKOUT_MAX_WAIT: durationSeconds.default(15 * 60),
    LOGIN_FAILURE_RESET_AFTER: durationSeconds.default(12 * 3600),
    TOKEN_EVENT_RETENTION: durationSeconds.default(90 * 86400),
    TOKEN_SIGNING_ALG: z.enum(['RS256', 'ES256', 'EdDSA']).default('RS256'),
    API_CATALOG: z.string().min(1).optional(),
    CORS_ALLOWED_ORIGINS: z.string().default(''),
    READ_YOUR_WRITES_TIMEOUT_MS: positiveInt(60000).default(2000),
    READY_MAX_LAG_EVENTS: wholeNumber(1_000_000).default(1000),
    READY_MAX_LAG_MS: wholeNumber(3_600_000).default(5000),
    TRUST_PROXY: wholeNumber(10).default(0),
    EVENTSTORE_POOL_SIZE: positiveInt(200).default(8),
  NOTIFICATIONS_IN_PROCESS: onOff.default(true),
  SIGNING_THREADS: z.string().regex(/^\d{1,2}$/, 'must be a whole number from 0 to 99').transform(Number).optional(),
  HEAP_GROWING_PERCENT: wholeNumber(1000).default(50),
    RATE_LIMIT_PER_CLIENT: wholeNumber(100_000_000).default(0),
    RATE_LIMIT_PER_IP: wholeNumber(100_000_000).default(0),
    RATE_LIMIT_WINDOW: positiveInt(86400).default(60),
    ADMIN_USERNAME: z.string().regex(/^[A-Za-z0-9._@-]{1,255}$/, 'letters, digits and ._@- only').default('admin'),
    ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
    ADMIN_EMAIL: z.email('must be an email address').default('admin@tollgate.local'),
    BOOTSTRAP_CLIENT_ID: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '8–64 URL-safe characters').refine((v) => v !== 'tollgate-console', 'tollgate-console is the console\'s own client').optional(),
    CONSOLE_SESSION_IDLE_TIMEOUT: durationSeconds.default(1800),
    CONSOLE_SESSION_MAX_AGE: durationSeconds.default(8 * 3600),
    BOOTSTRAP_CLIENT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

const schema = z.object(shape).superRefine((env, ctx) => {
    if (env.TOKEN_EVENT_RETENTION < env.REFRESH_TOKEN_TTL) {
      ctx.addIssue({
        code: 'custom',
        path: ['TOKEN_EVENT_RETENTION'],
        message: 'must not be shorter than REFRESH_TOKEN_TTL',
      });
    }
    if (env.LOGIN_LOCKOUT_MAX_WAIT < env.LOGIN_LOCKOUT_WAIT) {
      ctx.addIssue({ code: 'custom', path: ['LOGIN_LOCKOUT_MAX_WAIT'], message: 'must not be shorter than LOGIN_LOCKOUT_WAIT' });
    }
    // Otherwise the counts would be forgotten during a lockout and the wait could never grow.
    if (env.LOGIN_FAILURE_RESET_AFTER < env.LOGIN_LOCKOUT_MAX_WAIT) {
      ctx.addIssue({ code: 'custom', path: ['LOGIN_FAILURE_RESET_AFTER'], message: 'must not be shorter than LOGIN_LOCKOUT_MAX_WAIT' });
    }
  });

export type Env = z.infer<typeof schema>;

export interface Config {
  port: number;
  host: string;
  issuer: string;
  dataDir: string;
  keysDir: string;
  eventStoreUrl?: string;
  /** EVENTSTORE_POOL_SIZE: connections per process to a PostgreSQL event store. */
  eventStorePoolSize: number;
  mongoUrl?: string;
  redisUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  /** Seconds an authorization code may be redeemed (AUTH_CODE_TTL). */
  authorizationCodeTtl: number;
  refreshTokens: boolean;
  loginFailureLimit: number;
  /** Brute-force lockout (seconds): first wait, longest wait, quiet period that forgets failures. */
  loginLockout: { waitSeconds: number; maxWaitSeconds: number; failureResetSeconds: number };
  tokenEventRetention: number;
  signingAlg: 'RS256' | 'ES256' | 'EdDSA';
  apiCatalogFile?: string;
  corsAllowedOrigins: string[];
  readYourWritesTimeoutMs: number;
  /** /readyz: the read model may be this far behind (events it needs, age of the oldest). */
  readiness: { maxLagEvents: number; maxLagMs: number };
  /** Proxy hops in front whose X-Forwarded-For entries name the client (0: none, the socket's peer). */
  trustProxyHops: number;
  /** Run the notification worker inside the server (off when `npm run worker` runs it). */
  notificationsInProcess: boolean;
  /** Threads that sign access tokens; 0: node:crypto's thread pool. Default: one per core. */
  signingThreads: number;
  /** V8's old-generation growth between full collections, in percent (0: V8's own policy); src/app/heapPolicy.ts. */
  heapGrowingPercent: number;
  /** OAuth endpoint rate limits: requests per window (0 = off), window in seconds. */
  rateLimit: { perClient: number; perIp: number; windowSeconds: number };
  admin: { username: string; password?: string; email: string };
  bootstrapClient: { clientId?: string; clientSecret?: string };
  /** Back-office console sessions: seconds without a request, and seconds since sign-in. */
  consoleSession: { idleSeconds: number; maxAgeSeconds: number };
  production: boolean;
  nodeEnv: 'development' | 'production' | 'test';
  logLevel: Env['LOG_LEVEL'];
}

/** Reads only the variables Config knows; empty strings count as unset. */
export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(shape)) {
    const v = environment[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({
        variable: String(i.path[0] ?? 'environment'),
        message: i.message,
      })),
    );
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    issuer: (env.ISSUER ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    dataDir: env.DATA_DIR,
    keysDir: env.KEYS_DIR,
    eventStoreUrl: env.EVENTSTORE_URL,
    eventStorePoolSize: env.EVENTSTORE_POOL_SIZE,
    mongoUrl: env.MONGO_URL,
    redisUrl: env.REDIS_URL,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    accessTokenTtl: env.ACCESS_TOKEN_TTL,
    refreshTokenTtl: env.REFRESH_TOKEN_TTL,
    authorizationCodeTtl: env.AUTH_CODE_TTL,
    refreshTokens: env.REFRESH_TOKENS,
    loginFailureLimit: env.LOGIN_FAILURE_LIMIT,
    loginLockout: {
      waitSeconds: env.LOGIN_LOCKOUT_WAIT,
      maxWaitSeconds: env.LOGIN_LOCKOUT_MAX_WAIT,
      failureResetSeconds: env.LOGIN_FAILURE_RESET_AFTER,
    },
    tokenEventRetention: env.TOKEN_EVENT_RETENTION,
    signingAlg: env.TOKEN_SIGNING_ALG,
    apiCatalogFile: env.API_CATALOG,
    corsAllowedOrigins: env.CORS_ALLOWED_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    readYourWritesTimeoutMs: env.READ_YOUR_WRITES_TIMEOUT_MS,
    readiness: { maxLagEvents: env.READY_MAX_LAG_EVENTS, maxLagMs: env.READY_MAX_LAG_MS },
    trustProxyHops: env.TRUST_PROXY,
    notificationsInProcess: env.NOTIFICATIONS_IN_PROCESS,
    signingThreads: env.SIGNING_THREADS ?? availableParallelism(),
    heapGrowingPercent: env.HEAP_GROWING_PERCENT,
    rateLimit: {
      perClient: env.RATE_LIMIT_PER_CLIENT,
      perIp: env.RATE_LIMIT_PER_IP,
      windowSeconds: env.RATE_LIMIT_WINDOW,
    },
    admin: { username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD, email: env.ADMIN_EMAIL },
    bootstrapClient: {
      clientId: env.BOOTSTRAP_CLIENT_ID,
      clientSecret: env.BOOTSTRAP_CLIENT_SECRET,
    },
    consoleSession: { idleSeconds: env.CONSOLE_SESSION_IDLE_TIMEOUT, maxAgeSeconds: env.CONSOLE_SESSION_MAX_AGE },
    production: env.NODE_ENV === 'production',
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
  };
}
