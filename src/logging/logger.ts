import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Paths pino replaces with "[redacted]" wherever they appear in a log object. Secrets,
 * passwords, their hashes and bearer credentials never reach the log.
 */
export const REDACTED_PATHS = [
  'password',
  'clientSecret',
  'client_secret',
  'secret',
  'secretHash',
  'passwordHash',
  'refresh_token',
  'access_token',
  'token',
  'authorization',
  'code_verifier',
  'codeHash',
  '*.password',
  '*.clientSecret',
  '*.client_secret',
  '*.secret',
  '*.secretHash',
  '*.passwordHash',
  '*.refresh_token',
  '*.access_token',
  '*.token',
  '*.authorization',
  '*.code_verifier',
  '*.codeHash',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
];

export function createLogger(
  options: { level?: string; name?: string } = {},
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name: options.name ?? 'tollgate',
      level: options.level ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    destination,
  );
}
