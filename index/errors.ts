/**
 * One error type for everything quotedesk reports on purpose, with three audiences:
 * - `code` is stable, so tests and callers branch on it (and the bot picks its localized text by it);
 * - `message` is for logs and the command line, always starting with "quotedesk: ";
 * - `userMessage` is what a person may be shown: no prefix, no process ids, paths, stack traces or secrets.
 * `details` carries the values a localized text needs (a length, a date). Anything that is not a
 * QuotedeskError is a bug and gets logged.
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

export const PREFIX = 'quotedesk: ';

export type ErrorDetails = Readonly<Record<string, string | number>>;

export interface ErrorOptions {
  cause?: unknown;
  /** True when the person asking caused it (bad input, no permission) rather than the system. */
  isUserError?: boolean;
  /** Defaults to `message` without the prefix for user errors, else to a generic sentence. */
  userMessage?: string;
  details?: ErrorDetails;
}

const withPrefix = (text: string) => (text.startsWith(PREFIX) ? text : `${PREFIX}${text}`);
const withoutPrefix = (text: string) => (text.startsWith(PREFIX) ? text.slice(PREFIX.length) : text);

export class QuotedeskError extends Error {
  readonly code: ErrorCode;
  readonly isUserError: boolean;
  readonly userMessage: string;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(withPrefix(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'QuotedeskError';
    this.code = code;
    this.isUserError = options.isUserError ?? false;
    this.userMessage = options.userMessage ?? (this.isUserError ? withoutPrefix(message) : 'Something went wrong on our side.');
    this.details = options.details ?? {};
  }
}

export function userError(code: ErrorCode, message: string, details?: ErrorDetails): QuotedeskError {
  return new QuotedeskError(code, message, { isUserError: true, ...(details ? { details } : {}) });
}

export function isQuotedeskError(err: unknown, code?: ErrorCode): err is QuotedeskError {
  return err instanceof QuotedeskError && (code === undefined || err.code === code);
}
