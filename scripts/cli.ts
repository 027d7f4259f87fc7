/** What every command-line script shares: configuration, logging, progress, and one place for errors. */
import cliProgress from 'cli-progress';
import { loadConfig, type Config } from '../index/config.ts';
import { isQuotedeskError } from '../index/errors.ts';
import { createLogger, type Logger } from '../index/log.ts';
import type { ReindexSummary } from '../index/build/reindex.ts';

export async function runCli(main: (config: Config, log: Logger) => Promise<number | void>): Promise<void> {
  let log: Logger | undefined;
  try {
    const config = loadConfig();
    log = createLogger(config);
    process.exitCode = (await main(config, log)) ?? 0;
  } catch (err) {
    if (isQuotedeskError(err)) {
      // Our own errors carry a complete message; a stack trace would bury it.
      process.stderr.write(`${err.message}\n`);
      process.exitCode = err.code === 'CONFIG_INVALID' ? 2 : 1;
    } else {
      if (log) log.error({ err }, 'quotedesk failed unexpectedly');
      else process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  }
}

/** A progress bar on stderr for embedding; silent when stderr is not a terminal. */
export function embeddingProgress(): { update: (done: number, total: number) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    { format: 'embedding passages [{bar}] {value}/{total} {percentage}% eta {eta_formatted}', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, done);
      else bar.update(done);
      started = true;
    },
    stop: () => started && bar.stop(),
  };
}

export function formatSummary(s: ReindexSummary, model: string): string {
  const a = s.articles;
  const lines = [
    s.published ? 'Index updated.' : 'Index is up to date: nothing changed.',
    `Articles: ${a.added} added, ${a.changed} changed, ${a.removed} removed, ${a.unchanged} unchanged.`,
    `Passages: ${s.passages.total} in the index; ${s.passages.embedded} embedded, ${s.passages.reused} reused.`,
    `Semantic search: ${s.semantic ? `on (${model})` : 'off — keyword search only'}.`,
    ...(s.note && !s.semantic ? [`  ${s.note.split('\n').join('\n  ')}`] : []),
    ...(s.perArticle?.fewest && s.perArticle.most
      ? [`Passages per article: fewest ${s.perArticle.fewest.passages} (${s.perArticle.fewest.file}), most ${s.perArticle.most.passages} (${s.perArticle.most.file}).`]
      : []),
    ...(s.empty.length ? [`${s.empty.length} article(s) gave no passage and cannot be found:`] : []),
    ...s.empty.map((e) => `  No passages from ${e.file}: ${e.reason}`),
    ...s.skipped.map((f) => `Skipped ${f.file}: ${f.reason}`),
    `Took ${s.seconds.toFixed(2)} s.`,
  ];
  return lines.join('\n');
}
