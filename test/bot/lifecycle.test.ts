import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBot, type Harness } from '../support/bot-harness.ts';
import { runScript } from '../support/run-script.ts';

describe('bot lifecycle', () => {
  let h: Harness;
  const lines: string[] = [];
  beforeAll(async () => {
    const log = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    h = await startBot({ WATCH_CORPUS: 'true', RATE_LIMIT_PER_MINUTE: '1000' }, { log });
  });
  afterAll(() => h.close());

  const ask = (question: string) =>
    h.discord.interact(h.discord.slashCommand({ name: 'ask', options: { question } })).final({ match: (b) => typeof b.content === 'string' && b.content.length > 0 });

  it('reindexes by itself when an article is added to the watched corpus folder', async () => {
    expect((await ask('Gletscherschmelze am Matterhorn')).embeds ?? []).toEqual([]);
    await writeFile(
      path.join(h.config.corpusDir, 'gletscher.md'),
      '---\ntitle: Gletscherschmelze am Matterhorn\noutlet: Bergbote\ndate: 2025-07-01\n---\nDie Gletscherschmelze am Matterhorn beschleunigt sich, melden Forscher.\n',
    );
    await vi.waitFor(async () => expect((await ask('Gletscherschmelze am Matterhorn')).embeds?.[0]?.title).toMatch(/Gletscherschmelze/), { timeout: 20_000, interval: 500 });
    expect(h.discord.violations).toEqual([]);
  });

  it('never writes the Discord token to the log', () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(h.discord.botToken);
  });
});

describe('npm start', () => {
  it('refuses to start without DISCORD_TOKEN, saying what to set, with a non-zero exit', async () => {
    const r = await runScript('bot/main.ts', [], { DISCORD_TOKEN: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DISCORD_TOKEN is not set/);
  });
});
