/**
 * The bot's own latency: the real bot (discord.js client, dispatcher, desk, reindex worker) in a process of its
 * own, against the loopback Discord stand-in (test/support/fake-discord.ts) in the benchmark's process, which
 * dispatches `/ask` interactions and timestamps what comes back: interaction → acknowledgement (the deferral
 * reaching the stand-in) and interaction → final answer (the edit carrying it). The bot and the stand-in are in
 * different processes, as the bot and Discord are, so that the stand-in's own work never delays what it times.
 *
 * The index holds generated German articles with their real keyword index and synthetic vectors (as the reindex
 * section builds it); questions are hybrid, embedded by the compute twin's default file (model_quantized.onnx).
 * `duringReindex`: the same bursts while `/reindex` runs in the bot's worker process, a fresh one started (with new
 * articles to embed) whenever the previous one has finished, so that every burst starts during a reindex.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { createBot } from '../../bot/bot.ts';
import { reindex } from '../../index/build/reindex.ts';
import { loadConfig } from '../../index/config.ts';
import { startFakeDiscord, snowflake, type FakeDiscord, type InteractionHandle, type MessageBody } from '../../test/support/fake-discord.ts';
import { ROOT } from './config.ts';
import { syntheticEmbedder } from './reindex.ts';
import { quantile, round, since } from './stats.ts';
import { markdown, prng, type GermanText } from './text.ts';

const silent = pino({ level: 'silent' });
/** Manage Server: what `/reindex` asks of a member. */
const MANAGE_GUILD = 1n << 5n;
/** Generated articles are numbered from here on when a reindex needs new ones (the corpus holds 0…n−1). */
const NEW_ARTICLES_FROM = 10_000_000;

export interface BotRow {
  readonly concurrent: number;
  readonly ackP50Ms: number;
  readonly ackP95Ms: number;
  readonly answerP50Ms: number;
  readonly answerP95Ms: number;
  readonly duringReindex: boolean;
  readonly ackMaxMs: number;
  readonly answerMaxMs: number;
  /** Interactions measured (bursts × concurrent). */
  readonly samples: number;
  /** Interactions answered with something else than an answer (an apology, a refusal). */
  readonly failed: number;
}

export interface BotSetup {
  readonly passages: number;
  readonly articles: number;
  readonly indexBuildSec: number;
  readonly model: string;
  /** Reindexes started during the `duringReindex` rows, and how many passages each embedded (new articles). */
  readonly reindexes: number;
  readonly articlesPerReindex: number;
  /** Bursts that ended before their reindex did (the rest overlapped it for part of the burst). */
  readonly burstsWithinReindex: number;
  readonly bursts: number;
  /** CPU time of the benchmark's own process (the stand-in: HTTP, gateway, checking every request against the spec) per interaction, ms. */
  readonly standInCpuMsPerInteraction: number;
}

export interface BotOptions {
  readonly passages: number;
  /** Bursts per concurrency level, e.g. { 1: 30, 10: 6, 50: 3 }. */
  readonly bursts: Readonly<Record<number, number>>;
  readonly articlesPerReindex: number;
  readonly log: (line: string) => void;
}

/** The bot's configuration: the benchmark's model settings on the given folders, the default (quantized) file. */
export function botVariables(base: Record<string, string>, corpusDir: string, dataDir: string): Record<string, string> {
  return {
    ...base,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    CORPUS_DIR: corpusDir,
    DATA_DIR: dataDir,
    EMBEDDING_QUANTIZED: 'true',
    // The stand-in's token is passed to start(); the configuration only has to hold one.
    DISCORD_TOKEN: 'bench',
    // Fifty members asking again and again must not be turned away by the per-member limit.
    RATE_LIMIT_PER_MINUTE: '1000',
  };
}

/** In a child: a corpus of generated articles and its index, vectors synthetic (no model). */
export async function buildBotIndex(vars: Record<string, string>, articles: number, text: GermanText): Promise<{ passages: number; sec: number }> {
  const config = loadConfig(vars, ROOT);
  await mkdir(config.corpusDir, { recursive: true });
  for (let i = 0; i < articles; i++) {
    const a = text.article(i);
    await writeFile(path.join(config.corpusDir, `${a.id}.md`), markdown(a));
  }
  const start = performance.now();
  const built = await reindex({
    corpusDir: config.corpusDir,
    dataDir: config.dataDir,
    embedder: syntheticEmbedder(config.embedding.model, articles * 12),
    embedding: config.embedding,
    log: silent,
  });
  return { passages: built.passages.total, sec: since(start) };
}

/** In a child forked with IPC: runs the bot against the stand-in at `api` until told to stop. */
export async function serveBot(vars: Record<string, string>, api: string, token: string): Promise<void> {
  const bot = createBot(loadConfig(vars, ROOT), silent, { rest: { api } });
  await bot.start(token);
  process.send!('ready');
  await once(process, 'message');
  await bot.stop();
  // The reindex worker, the model's thread pool and the gateway's timers are gone or ending; do not wait for them.
  process.exit(0);
}

/** What the stand-in's `ask` answer starts with (bot/answer-view.ts), as opposed to an apology or a refusal. */
const isAnswer = (b: MessageBody) => typeof b.content === 'string' && b.content.startsWith('**Q:**');
const isFinal = (b: MessageBody) => typeof b.content === 'string';

export async function benchBot(
  base: Record<string, string>,
  text: GermanText,
  root: string,
  o: BotOptions,
  runChild: <T>(task: string, args: object, heapMB?: number) => Promise<T>,
): Promise<{ rows: BotRow[]; setup: BotSetup }> {
  const corpusDir = path.join(root, 'corpus');
  const vars = botVariables(base, corpusDir, path.join(root, 'data'));
  // Generated articles hold about 11 passages each (the reindex section: 10k articles, 110k passages).
  const articles = Math.ceil(o.passages / 11);
  o.log(`  building the index: ${articles} generated articles, synthetic vectors`);
  const built = await runChild<{ passages: number; sec: number }>('bot-index', { vars, articles, corpusDir: path.join(ROOT, 'corpus') }, 8192);
  o.log(`  ${built.passages} passages in ${built.sec.toFixed(0)} s`);

  const discord = await startFakeDiscord();
  const bot: ChildProcess = fork(path.join(ROOT, 'scripts', 'bench', 'child.ts'), ['bot-serve', JSON.stringify({ vars, api: discord.apiBase, token: discord.botToken })], {
    cwd: ROOT,
    execArgv: ['--max-old-space-size=8192', '--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    const exited = once(bot, 'exit').then(([code]) => {
      throw new Error(`bench: the bot process ended (exit ${String(code)})`);
    });
    await Promise.race([once(bot, 'message'), exited]);
    await discord.waitForReady({ timeoutMs: 60_000 });

    const members = Array.from({ length: Math.max(...Object.keys(o.bursts).map(Number)) }, () => snowflake());
    const random = prng(2026);
    const question = () => {
      const a = text.article(Math.floor(random() * articles));
      return text.question(random, a.paragraphs[Math.floor(random() * a.paragraphs.length)]!);
    };
    const burst = async (concurrent: number) => {
      const handles = members.slice(0, concurrent).map((id) => discord.interact(discord.slashCommand({ name: 'ask', options: { question: question() }, user: { id } })));
      const finals = await Promise.all(
        handles.map(async (h) => {
          const body = await h.final({ match: isFinal, timeoutMs: 300_000 });
          return { body, answerMs: Date.now() - h.dispatchedAt };
        }),
      );
      return { handles, finals };
    };
    // The model loads in the background at start (Desk.warmUp); the first questions also warm the caches.
    for (let i = 0; i < 5; i++) await burst(1);

    const rows: BotRow[] = [];
    const reindexing = new ReindexLoop(discord, corpusDir, text, o.articlesPerReindex);
    let within = 0;
    let bursts = 0;
    let asked = 0;
    const cpu = process.cpuUsage();
    for (const duringReindex of [false, true]) {
      for (const [concurrentText, count] of Object.entries(o.bursts)) {
        const concurrent = Number(concurrentText);
        const ack: number[] = [];
        const answer: number[] = [];
        let failed = 0;
        for (let b = 0; b < count; b++) {
          if (duringReindex) await reindexing.ensureRunning();
          const { handles, finals } = await burst(concurrent);
          if (duringReindex) {
            bursts++;
            if (reindexing.running()) within++;
          }
          asked += handles.length;
          handles.forEach((h, k) => {
            ack.push(h.ackMs ?? Number.NaN);
            answer.push(finals[k]!.answerMs);
            if (!isAnswer(finals[k]!.body)) failed++;
          });
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const row: BotRow = {
          concurrent,
          ackP50Ms: round(quantile(ack, 0.5), 1),
          ackP95Ms: round(quantile(ack, 0.95), 1),
          answerP50Ms: round(quantile(answer, 0.5), 1),
          answerP95Ms: round(quantile(answer, 0.95), 1),
          duringReindex,
          ackMaxMs: Math.max(...ack),
          answerMaxMs: Math.max(...answer),
          samples: ack.length,
          failed,
        };
        o.log(
          `  ${String(concurrent).padStart(2)} at once${duringReindex ? ', reindex running' : ''}: ack p50 ${row.ackP50Ms} / p95 ${row.ackP95Ms} ms, answer p50 ${row.answerP50Ms} / p95 ${row.answerP95Ms} ms (${row.samples} asked${failed ? `, ${failed} not answered` : ''})`,
        );
        rows.push(row);
      }
    }
    const { user, system } = process.cpuUsage(cpu);
    await reindexing.finish();
    if (discord.violations.length > 0) throw new Error(`bench: the bot sent requests Discord would refuse: ${discord.violations.map((v) => v.message).join(' | ')}`);
    return {
      rows,
      setup: {
        passages: built.passages,
        articles,
        indexBuildSec: round(built.sec, 1),
        model: `${vars.EMBEDDING_MODEL ?? 'configured model'} (model_quantized.onnx)`,
        reindexes: reindexing.started,
        articlesPerReindex: o.articlesPerReindex,
        burstsWithinReindex: within,
        bursts,
        standInCpuMsPerInteraction: round((user + system) / 1000 / asked, 1),
      },
    };
  } finally {
    if (bot.exitCode === null) {
      bot.send('stop');
      await once(bot, 'exit');
    }
    await discord.close();
  }
}

/** Keeps a `/reindex` running: when the last one has answered, adds new articles and asks for another. */
class ReindexLoop {
  started = 0;
  private current: InteractionHandle | undefined;

  constructor(
    private readonly discord: FakeDiscord,
    private readonly corpusDir: string,
    private readonly text: GermanText,
    private readonly articles: number,
  ) {}

  running(): boolean {
    return this.current !== undefined && this.current.edits.length === 0;
  }

  async ensureRunning(): Promise<void> {
    if (this.running()) return;
    if (this.current) await this.check(this.current);
    for (let k = 0; k < this.articles; k++) {
      const a = this.text.article(NEW_ARTICLES_FROM + this.started * this.articles + k);
      await writeFile(path.join(this.corpusDir, `${a.id}.md`), markdown(a));
    }
    this.current = this.discord.interact(this.discord.slashCommand({ name: 'reindex', permissions: MANAGE_GUILD }));
    this.started++;
    await this.current.response();
  }

  async finish(): Promise<void> {
    if (this.current) await this.check(this.current);
  }

  private async check(handle: InteractionHandle): Promise<void> {
    const summary = (await handle.final({ match: isFinal, timeoutMs: 600_000 })).content ?? '';
    if (!/added/.test(summary)) throw new Error(`bench: a reindex from Discord failed: ${summary.slice(0, 300)}`);
  }
}
