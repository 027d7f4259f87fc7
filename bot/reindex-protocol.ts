/**
 * The one message each way between the bot and its reindex process. A project error crosses as its
 * code and texts and becomes a QuotedeskError again; anything else (a bug, Node's ENOENT…) crosses only
 * as text for the log, so a system error's code can never pass for one of ours.
 */
import type { ReindexSummary } from '../index/build/reindex.ts';
import type { Config } from '../index/config.ts';
import { isQuotedeskError, QuotedeskError, type ErrorCode, type ErrorDetails } from '../index/errors.ts';

export interface ReindexRequest {
  readonly type: 'reindex';
  readonly config: Config;
}

export type ReindexReply =
  | { readonly type: 'done'; readonly summary: ReindexSummary }
  | {
      readonly type: 'refused';
      readonly code: ErrorCode;
      readonly message: string;
      readonly userMessage: string;
      readonly isUserError: boolean;
      readonly details: ErrorDetails;
      readonly stack?: string;
    }
  | { readonly type: 'failed'; readonly message: string; readonly stack?: string };

export function errorReply(err: unknown): ReindexReply {
  if (isQuotedeskError(err)) {
    const { code, message, userMessage, isUserError, details, stack } = err;
    return { type: 'refused', code, message, userMessage, isUserError, details, ...(stack ? { stack } : {}) };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { type: 'failed', message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
}

/** The summary, or the error to reject with. */
export function fromReply(reply: ReindexReply): ReindexSummary | Error {
  if (reply.type === 'done') return reply.summary;
  const err =
    reply.type === 'refused'
      ? new QuotedeskError(reply.code, reply.message, { isUserError: reply.isUserError, userMessage: reply.userMessage, details: reply.details })
      : new Error(`reindex process failed: ${reply.message}`);
  if (reply.stack) err.stack = reply.stack;
  return err;
}
