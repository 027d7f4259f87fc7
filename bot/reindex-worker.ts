/**
 * Runs one reindex outside the bot's process. Embedding is CPU-bound for seconds to minutes; in the
 * bot's event loop it would stall every interaction, including Discord's 3-second acknowledgements.
 */
import type { Config } from '../index/config.ts';
import { createLogger } from '../index/log.ts';
import { createEmbedder, reindexFromConfig } from '../index/setup.ts';
import { cleanUpOnSignals } from '../index/store/interrupt.ts';

// The bot stops a running reindex with SIGTERM (Desk.close): its lock and temporary folder go with it.
cleanUpOnSignals();

process.once('message', async (config: Config) => {
  const log = createLogger(config).child({ process: 'reindex' });
  try {
    const summary = await reindexFromConfig(config, log, createEmbedder(config));
    process.send!({ ok: true, summary }, () => process.exit(0));
  } catch (err) {
    const e = err as Error & { code?: string; isUserError?: boolean };
    process.send!({ ok: false, error: { message: e.message, code: e.code, isUserError: e.isUserError, stack: e.stack } }, () => process.exit(0));
  }
});
