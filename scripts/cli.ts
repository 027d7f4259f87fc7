/** What every command-line script shares: configuration, logging, progress, and one place for errors. */
import cliProgress from 'cli-progress';
import { loadConfig, type Config } from '../index/config.ts';
import { isQuotedeskError } from '../index/errors.ts';
import { createLogger, type Logger } from '../index/log.ts';
import type { ReindexSummary } from '../index/build/reindex.ts';
import { formatReindexSummary } from '../bot/i18n/summary.ts';

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

/** The reindex summary for the terminal (the same formatter as /reindex, in plain text, naming the model). */
export function formatSummary(s: ReindexSummary, model: string): string {
  return formatReindexSummary(s, 'en', { model, note: true });
}
