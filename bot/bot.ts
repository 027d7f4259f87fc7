/** The Discord client wired to the core. `main.ts` runs it; tests point it at a local Discord stand-in. */
import { Client, Events, GatewayIntentBits, type ClientOptions } from 'discord.js';
import type { Config } from '../index/config.ts';
import type { Logger } from '../index/log.ts';
import { createEmbedder } from '../index/setup.ts';
import { AckGate } from './ack-gate.ts';
import { Desk } from './desk.ts';
import { FeedbackStore } from './feedback.ts';
import { createDispatcher } from './dispatch.ts';
import { Pages } from './pages.ts';
import { RateLimiter } from './rate-limit.ts';
import { saveUpload } from '../index/corpus/upload.ts';
import type { SaveUpload } from './uploads.ts';
import { watchCorpus } from './watch.ts';

/** Paging, posting and feedback buttons stay usable this long; Discord's interaction tokens last 15 minutes. */
export const PAGE_TTL_MS = 10 * 60_000;

export interface Bot {
  readonly client: Client;
  readonly desk: Desk;
  start(token: string): Promise<void>;
  stop(): Promise<void>;
}

export interface BotOptions {
  rest?: ClientOptions['rest'];
  pageTtlMs?: number;
  now?: () => number;
  /** How `/add` saves a file (default: `saveUpload`, every format the reindex reads). */
  uploads?: SaveUpload;
}

export function createBot(config: Config, log: Logger, options: BotOptions = {}): Bot {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    // Quoted news text may contain @everyone or role mentions; nothing the bot sends may ping.
    allowedMentions: { parse: [] },
    ...(options.rest ? { rest: options.rest } : {}),
  });
  const gate = new AckGate();
  const desk = new Desk(config, log, createEmbedder(config), gate);
  const pages = new Pages(options.pageTtlMs ?? PAGE_TTL_MS);
  const limiter = new RateLimiter(config.discord.rateLimitPerMinute, options.now);
  const feedback = new FeedbackStore(config.dataDir);
  const dispatch = createDispatcher({ desk, config, limiter, pages, feedback, uploads: options.uploads ?? saveUpload }, log);
  let watcher: { close: () => void } | undefined;

  client.on(Events.InteractionCreate, (interaction) => {
    gate.received(interaction);
    void dispatch(interaction);
  });
  client.once(Events.ClientReady, (c) => log.info({ user: c.user.tag, guilds: c.guilds.cache.size }, 'connected to Discord'));
  client.on(Events.Error, (err) => log.error({ err }, 'discord client error'));

  return {
    client,
    desk,
    async start(token) {
      await desk.open();
      desk.warmUp();
      if (config.discord.watchCorpus) watcher = watchCorpus(config.corpusDir, desk, log);
      await client.login(token);
    },
    async stop() {
      watcher?.close();
      pages.clear();
      await client.destroy();
      await desk.close();
    },
  };
}
