/**
 * Runs one reindex outside the bot's process. Embedding is CPU-bound for seconds to minutes; in the
 * bot's event loop it would stall every interaction, including Discord's 3-second acknowledgements.
 */
import { createLogger } from '../index/log.ts';
import { createEmbedder, reindexFromConfig } from '../index/setup.ts';
import { errorReply, type ReindexReply, type ReindexRequest } from './reindex-protocol.ts';
import { cleanUpOnSignals } from '../index/store/interrupt.ts';

// The bot stops a running reindex with SIGTERM (Desk.close): its lock and temporary folder go with it.
cleanUpOnSignals();

const reply = (message: ReindexReply) => process.send!(message, () => process.exit(0));

async function run({ config }: ReindexRequest): Promise<void> {
  const log = createLogger(config).child({ process: 'reindex' });
  try {
    reply({ type: 'done', summary: await reindexFromConfig(config, log, createEmbedder(config)) });
  } catch (err) {
    reply(errorReply(err));
  }
}

// run() answers every outcome itself (its catch replies with the error), so nothing is left to await here.
process.once('message', (request: ReindexRequest) => void run(request));
