/**
 * The real bot (discord.js client, dispatcher, desk, reindex worker) against the loopback Discord
 * stand-in, on a temporary copy of the corpus with the generated tiny model.
 */
import path from 'node:path';
import { createBot, type Bot } from '../../bot/bot.ts';
import type { Config } from '../../index/config.ts';
import { startFakeDiscord, type FakeDiscord } from './fake-discord.ts';
import { copyCorpus, makeTinyModel, silentLog, tempDir, testConfig } from './setup.ts';

export interface Harness {
  discord: FakeDiscord;
  bot: Bot;
  config: Config;
  dir: string;
  close(): Promise<void>;
}

export async function startBot(vars: Record<string, string> = {}, options: { pageTtlMs?: number; now?: () => number } = {}): Promise<Harness> {
  const { dir, cleanup } = await tempDir('quotedesk-bot-');
  const modelsDir = await makeTinyModel(dir);
  const config = testConfig({ CORPUS_DIR: await copyCorpus(dir), DATA_DIR: path.join(dir, 'data'), MODELS_DIR: modelsDir, DISCORD_TOKEN: 'unused', ...vars });
  const discord = await startFakeDiscord();
  const bot = createBot(config, silentLog, { rest: { api: discord.apiBase }, ...options });
  await bot.start(discord.botToken);
  await discord.waitForReady();
  return {
    discord,
    bot,
    config,
    dir,
    async close() {
      await bot.stop();
      await discord.close();
      await cleanup();
    },
  };
}
