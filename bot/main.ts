/** `npm start`: runs the bot until SIGINT / SIGTERM. */
import { loadConfig } from '../index/config.ts';
import { isQuotedeskError } from '../index/errors.ts';
import { createLogger } from '../index/log.ts';
import { createBot } from './bot.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  process.stderr.write(`${isQuotedeskError(err) ? err.message : String(err)}\n`);
  process.exit(2);
}
if (!config.discord.token) {
  process.stderr.write('quotedesk: DISCORD_TOKEN is not set. Put the bot token in .env (see .env.example and the README section "Running the bot").\n');
  process.exit(2);
}
const log = createLogger(config);
const bot = createBot(config, log);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  await bot.stop().catch((err: unknown) => log.error({ err }, 'error during shutdown'));
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

try {
  await bot.start(config.discord.token);
} catch (err) {
  if (isQuotedeskError(err)) process.stderr.write(`${err.message}\n`);
  else log.fatal({ err }, 'could not start the bot');
  await bot.stop().catch(() => undefined);
  process.exit(1);
}
