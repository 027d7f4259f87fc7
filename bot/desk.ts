/**
 * What the bot answers from: the live index and the embedder, a reindex that runs in a worker thread
 * while questions keep being answered, and the swap to the new version when it is done.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { answer, type Answer, type AskRequest } from '../index/answer/answer.ts';
import type { ReindexSummary } from '../index/build/reindex.ts';
import type { Config } from '../index/config.ts';
import type { Embedder } from '../index/embed/embedder.ts';
import { isQuotedeskError, QuotedeskError, type ErrorCode } from '../index/errors.ts';
import type { Logger } from '../index/log.ts';
import { answerLimits, hasIndex, openConfiguredIndex } from '../index/setup.ts';
import type { OpenIndex } from '../index/store/open.ts';

/** Results kept per answer for paging with the "more results" button. */
export const MAX_PAGED_RESULTS = 30;

export interface CorpusStats {
  articles: number;
  passages: number;
  outlets: string[];
  /** Articles without a known outlet. */
  unknownOutlet: number;
  firstDate?: string;
  lastDate?: string;
  semantic: boolean;
  builtAt: string;
}

export class Desk {
  private index: OpenIndex | undefined;
  private running: Promise<ReindexSummary> | undefined;
  private startedAt: number | undefined;
  private worker: ChildProcess | undefined;

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    private readonly embedder: Embedder | undefined,
  ) {}

  /** Opens the live index, building it first (in the worker) when there is none, repairing it when it is damaged. */
  async open(): Promise<void> {
    if (!(await hasIndex(this.config))) {
      this.log.info('no index yet; building it');
      await this.reindex();
      return;
    }
    try {
      this.index = await openConfiguredIndex(this.config);
    } catch (err) {
      if (!isQuotedeskError(err, 'INDEX_DAMAGED')) throw err;
      this.log.error({ err }, 'the index is damaged; repairing it from the corpus');
      await this.reindex();
    }
  }

  /**
   * Loads the embedding model in the background so the first question does not wait for it. A model
   * that cannot be had is reported once here; questions then use keyword search and say so.
   */
  warmUp(): void {
    if (!this.embedder || !this.index?.manifest.dense) return;
    const started = Date.now();
    this.embedder
      .embedQuery('warm-up')
      .then(() => this.log.info({ ms: Date.now() - started }, 'embedding model loaded'))
      .catch((err: unknown) => this.log.warn({ err }, 'embedding model unavailable; answering with keyword search'));
  }

  private current(): OpenIndex {
    if (!this.index) throw new QuotedeskError('INDEX_MISSING', 'The index is still being built. Please try again in a moment.', { isUserError: true });
    return this.index;
  }

  /** @param perArticle passages per article; compare and timeline views want one each. */
  async ask(request: AskRequest, perArticle = this.config.retrieval.maxPerArticle): Promise<Answer> {
    // Let waiting network events (other interactions' acknowledgements) go first: answering is CPU work
    // and Discord allows only 3 seconds to acknowledge.
    await new Promise((resolve) => setImmediate(resolve));
    return answer(this.current(), this.embedder, request, answerLimits(this.config, { maxPerArticle: perArticle, maxResults: MAX_PAGED_RESULTS }));
  }

  /** Articles of the live index, newest first (undated last). */
  articles() {
    return [...this.current().articles.values()].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.id.localeCompare(b.id));
  }

  outlets(): string[] {
    return [...new Set(this.articles().flatMap((a) => (a.outlet ? [a.outlet] : [])))].sort((a, b) => a.localeCompare(b));
  }

  stats(): CorpusStats {
    const index = this.current();
    const articles = this.articles();
    const dates = articles.flatMap((a) => (a.date ? [a.date.slice(0, 10)] : [])).sort();
    return {
      articles: articles.length,
      passages: index.passages.length,
      outlets: this.outlets(),
      unknownOutlet: articles.filter((a) => !a.outlet).length,
      ...(dates.length ? { firstDate: dates[0], lastDate: dates.at(-1) } : {}),
      semantic: index.manifest.dense !== null && this.embedder !== undefined,
      builtAt: index.manifest.builtAt,
    };
  }

  get reindexStartedAt(): number | undefined {
    return this.running ? this.startedAt : undefined;
  }

  /** Runs the incremental reindex in a child process and swaps the new version in. One at a time. */
  reindex(): Promise<ReindexSummary> {
    if (this.running) {
      return Promise.reject(new QuotedeskError('INDEX_BUSY', 'A reindex is already running; please wait for it to finish.', { isUserError: true }));
    }
    this.startedAt = Date.now();
    this.running = this.runWorker()
      .then(async (summary) => {
        if (summary.repaired) this.log.error({ damage: summary.repaired }, 'the live index was damaged on disk; the reindex rebuilt it from the corpus');
        if (summary.published || !this.index) {
          try {
            this.index = await openConfiguredIndex(this.config);
          } catch (err) {
            // Answers keep coming from the version loaded before; the reindex reply reports the error.
            if (this.index) this.log.error({ err }, 'the index on disk cannot be opened; answering from the copy in memory until an admin runs /reindex or npm run index');
            throw err;
          }
        }
        return summary;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Stops a running reindex. Safe at any point: an unpublished version never becomes live. */
  async close(): Promise<void> {
    this.worker?.kill();
    await this.running?.catch(() => undefined);
  }

  private runWorker(): Promise<ReindexSummary> {
    return new Promise((resolve, reject) => {
      // A child process, not a worker thread: tsx's loader reaches workers unreliably, and a separate
      // process also keeps the embedding model's memory out of the bot once the reindex is done.
      const child = fork(new URL('./reindex-worker.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced' });
      this.worker = child;
      let settled = false;
      child.once('message', (m: WorkerReply) => {
        settled = true;
        if (m.ok) return resolve(m.summary);
        const err = m.error.code ? new QuotedeskError(m.error.code, m.error.message, { isUserError: m.error.isUserError }) : new Error(m.error.message);
        if (m.error.stack) err.stack = m.error.stack;
        reject(err);
      });
      child.once('error', reject);
      // 'close', not 'exit': a child's exit can be reported before its last message has been read.
      child.once('close', (code, signal) => {
        this.worker = undefined;
        if (!settled) reject(new Error(`reindex process ended (${signal ?? `exit code ${code}`}) before reporting`));
      });
      child.send(this.config);
    });
  }
}

type WorkerReply =
  | { ok: true; summary: ReindexSummary }
  | { ok: false; error: { message: string; code?: ErrorCode; isUserError?: boolean; stack?: string } };
