/**
 * Domain errors carry a code, never an HTTP status: the HTTP edge maps codes to statuses
 * (src/http/problem.ts). `field` names the offending input for validation errors.
 */
export type DomainErrorCode =
  | 'VALIDATION'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'DUPLICATE_NAME'
  | 'ILLEGAL_STATE'
  | 'IMMUTABLE_FIELD'
  | 'FORBIDDEN'
  | 'STALE_REVISION'
  | 'CONFLICT';

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const validationError = (field: string, message: string): DomainError =>
  new DomainError('VALIDATION', message, [{ field, message }]);

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
