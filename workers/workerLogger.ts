/** The slice of pino the workers use; tests pass a silent one. */
export interface WorkerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: WorkerLogger = { info() {}, warn() {}, error() {} };

/** A message for logs and failed-job records: never a stack trace. */
export const describeError = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 1000);
