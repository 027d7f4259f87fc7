/**
 * One error type for everything quotedesk reports on purpose. `code` is stable so tests and callers can
 * branch on it; `userMessage` is what a person may be shown (CLI output, a Discord reply) — it never
 * contains a stack trace or a secret. Anything that is not a QuotedeskError is a bug and gets logged.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'QUESTION_EMPTY'
  | 'QUESTION_TOO_LONG'
  | 'BAD_OPTION'
  | 'MODEL_UNAVAILABLE'
  | 'INDEX_MISSING'
  | 'INDEX_INCOMPATIBLE'
  | 'INDEX_BUSY'
  | 'RATE_LIMITED'
  | 'NOT_ALLOWED'
  | 'UPLOAD_REFUSED'
  | 'UPLOAD_EXISTS';

export class QuotedeskError extends Error {
  readonly code: ErrorCode;
  /** True when the person asking caused it (bad input, no permission) rather than the system. */
  readonly isUserError: boolean;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; isUserError?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'QuotedeskError';
    this.code = code;
    this.isUserError = options.isUserError ?? false;
  }
}

export function userError(code: ErrorCode, message: string): QuotedeskError {
  return new QuotedeskError(code, message, { isUserError: true });
}

export function isQuotedeskError(err: unknown, code?: ErrorCode): err is QuotedeskError {
  return err instanceof QuotedeskError && (code === undefined || err.code === code);
}
