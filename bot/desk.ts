/**
 * What the bot answers from: the live index and the embedder, a reindex that runs in a child process
 * while questions keep being answered, and the swap to the new version when it is done.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants, setPriority } from 'node:os';
import { answer, type Answer, type AskRequest } from '../index/answer/answer.ts';
import type { ReindexSummary } from '../index/build/reindex.ts';
import type { Config } from '../index/config.ts';
import type { Embedder } from '../index/embed/embedder.ts';
import { isQuotedeskError, userError } from '../index/errors.ts';
import type { Logger } from '../index/log.ts';
import { answerLimits, hasIndex, openConfiguredIndex } from '../index/setup.ts';
import type { StoredArticle, StoredPassage } from '../index/store/format.ts';
import type { OpenIndex } from '../index/store/open.ts';
import type { AckGate } from './ack-gate.ts';
import { fromReply, type ReindexReply, type ReindexRequest } from './reindex-protocol.ts';

/**
 * The reindex process's CPU priority (nice 19). Embedding keeps every core busy for as long as it runs; at the
 * bot's own priority the two processes' ONNX Runtime thread pools fight over the cores and each answer's many
 * short parallel steps wait for a descheduled thread (measured: answers at 50 at once during a reindex took
 * tens of seconds). At the lowest priority the reindex gets what the bot leaves idle.
 */
export const REINDEX_PRIORITY = constants.priority.PRIORITY_LOW;

/** Results kept per answer for paging with the Previous / Next buttons. */
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

export interface Span {
  readonly text: string;
  /** Offset in the article text. */
  readonly start: number;
  readonly paragraph: number;
}

export interface Neighbours {
  readonly article: StoredArticle;
  readonly before?: Span;
  readonly passage: Span;
  readonly after?: Span;
}

/** How a button names an article: its id when short enough for a custom id, else a hash of it. */
export function articleKey(id: string): string {
  return id.length <= 48 && !id.includes(':') ? id : `#${createHash('sha256').update(id).digest('base64url').slice(0, 22)}`;
}

export class Desk {
  private index: OpenIndex | undefined;
  private running: Promise<ReindexSummary> | undefined;
  private startedAt: number | undefined;
  private worker: ChildProcess | undefined;
  /** The end of the queue of questions being answered, one at a time. */
  private turns: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    private readonly embedder: Embedder | undefined,
    /** Answers wait until pending acknowledgements are out (see ack-gate.ts). */
    private readonly gate?: AckGate,
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
    if (!this.index) throw userError('INDEX_MISSING', 'The index is still being built. Please try again in a moment.');
    return this.index;
  }

  /** @param perArticle passages per article; compare and timeline views want one each. */
  ask(request: AskRequest, perArticle = this.config.retrieval.maxPerArticle): Promise<Answer> {
    // Answering is CPU work and Discord allows only 3 seconds to acknowledge. Questions take turns, each
    // after a fresh setImmediate: an immediate queued while others run waits for the next loop turn, so
    // network events (other interactions' acknowledgements) get through between two answers even when
    // a burst of questions arrives at once.
    const turn = this.turns.then(async () => {
      await this.gate?.clear();
      await new Promise((resolve) => setImmediate(resolve));
      return answer(this.current(), this.embedder, request, answerLimits(this.config, { maxPerArticle: perArticle, maxResults: MAX_PAGED_RESULTS }));
    });
    this.turns = turn.catch(() => undefined);
    return turn;
  }

  /**
   * The passage of an article that holds [start, end), with the passages before and after it, verbatim.
   * Undefined when the article is gone or has changed so that no passage holds the range any more.
   */
  neighbours(key: string, start: number, end: number): Neighbours | undefined {
    const index = this.current();
    const article = [...index.articles.values()].find((a) => articleKey(a.id) === key);
    if (!article || !(start >= 0 && end > start && end <= article.text.length)) return undefined;
    const own = index.passages.filter((p) => p.articleId === article.id).sort((a, b) => a.start - b.start);
    const at = own.findIndex((p) => p.start <= start && end <= p.end);
    if (at < 0) return undefined;
    const span = (p: StoredPassage | undefined) => p && { text: article.text.slice(p.start, p.end), start: p.start, paragraph: p.paragraph };
    const before = span(own[at - 1]);
    const after = span(own[at + 1]);
    return { article, passage: span(own[at])!, ...(before ? { before } : {}), ...(after ? { after } : {}) };
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

  /** The running reindex's process id (for monitoring), undefined when none runs. */
  get reindexProcessId(): number | undefined {
    return this.worker?.pid;
  }

  /** Runs the incremental reindex in a child process and swaps the new version in. One at a time. */
  reindex(): Promise<ReindexSummary> {
    if (this.running) {
      return Promise.reject(userError('INDEX_BUSY', 'A reindex is already running; please wait for it to finish.'));
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
      // Set before the child creates the model's threads, which inherit it; a failure only costs answer latency.
      if (child.pid !== undefined) {
        try {
          setPriority(child.pid, REINDEX_PRIORITY);
        } catch (err) {
          this.log.warn({ err }, 'could not lower the reindex process priority; answers may slow down while it runs');
        }
      }
      let settled = false;
      child.once('message', (reply: ReindexReply) => {
        settled = true;
        const result = fromReply(reply);
        if (result instanceof Error) reject(result);
        else resolve(result);
      });
      child.once('error', reject);
      // 'close', not 'exit': a child's exit can be reported before its last message has been read.
      child.once('close', (code, signal) => {
        this.worker = undefined;
        if (!settled) reject(new Error(`reindex process ended (${signal ?? `exit code ${code}`}) before reporting`));
      });
      child.send({ type: 'reindex', config: this.config } satisfies ReindexRequest);
    });
  }
}
