/**
 * The real bot (discord.js client, dispatcher, desk, reindex worker) against the loopback Discord
 * stand-in, on a temporary copy of the corpus with the generated tiny model.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createBot, type Bot } from '../../bot/bot.ts';
import type { Config } from '../../index/config.ts';
import type { Logger } from '../../index/log.ts';
import { startFakeDiscord, type FakeDiscord } from './fake-discord.ts';
import { copyCorpus, makeTinyModel, silentLog, tempDir, testConfig } from './setup.ts';

export interface Harness {
  discord: FakeDiscord;
  bot: Bot;
  config: Config;
  dir: string;
  close(): Promise<void>;
}

export interface StartBotOptions {
  pageTtlMs?: number;
  now?: () => number;
  /** The bot's logger (default: silent), e.g. one that records errors. */
  log?: Logger;
  /** Extra corpus files (path relative to the corpus folder → content), written before the first index is built. */
  files?: Record<string, string>;
}

export async function startBot(vars: Record<string, string> = {}, { log = silentLog, files = {}, ...options }: StartBotOptions = {}): Promise<Harness> {
  const { dir, cleanup } = await tempDir('quotedesk-bot-');
  const modelsDir = await makeTinyModel(dir);
  const corpusDir = await copyCorpus(dir);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(corpusDir, file)), { recursive: true });
    await writeFile(path.join(corpusDir, file), content);
  }
  const config = testConfig({ CORPUS_DIR: corpusDir, DATA_DIR: path.join(dir, 'data'), MODELS_DIR: modelsDir, DISCORD_TOKEN: 'unused', ...vars });
  const discord = await startFakeDiscord();
  const bot = createBot(config, log, { rest: { api: discord.apiBase }, ...options });
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
