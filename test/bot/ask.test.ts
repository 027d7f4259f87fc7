import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type Harness } from '../support/bot-harness.ts';

let h: Harness;
let corpus: Map<string, string>;
beforeAll(async () => {
  h = await startBot({ RATE_LIMIT_PER_MINUTE: '1000' });
  const ids = ['000_040ffcb4de1e558d', '001_05284ddf7004647a', '002_5e7becd5a67536c2', '003_6f8db47b0f1d15ed', '004_ef3c49121fa61ece'];
  corpus = new Map(await Promise.all(ids.map(async (id) => [id, await readFile(path.join(h.config.corpusDir, `${id}.txt`), 'utf8')] as const)));
});
afterAll(() => h.close());

/** Undo Discord markdown so the shown quote can be compared with the article text. */
const plain = (markdown: string) =>
  markdown.split('\n').filter((l) => l.startsWith('>')).map((l) => l.replace(/^> ?/, '')).join('\n').replace(/\*\*/g, '').replace(/\\([\\*_~`|>#\-.[\]()])/g, '$1');

/** Every piece of shown quote text between ellipses is verbatim in the article. */
function expectVerbatim(description: string, article: string) {
  for (const piece of plain(description).split('…').map((p) => p.trim()).filter(Boolean)) expect(article).toContain(piece);
}

describe('/ask', () => {
  it('defers within the time limit, then answers with a verbatim quote and an honest citation', async () => {
    const i = h.discord.interact(h.discord.slashCommand({ name: 'ask', options: { question: 'Wie viele Drohnen hat die ukrainische Luftwaffe abgeschossen?' } }));
    expect((await i.response()).type).toBe(5);
    expect(i.ackMs).toBeLessThan(3000);
    const reply = await i.final({ match: (b) => (b.embeds?.length ?? 0) > 0 });
    const embed = reply.embeds![0]!;
    expect(embed.title).toMatch(/^1\. Ukraine-Krieg: US-Sicherheitsgarantien/);
    expect(embed.description).toContain('**Wie die ukrainische Luftwaffe auf Telegram mitteilte, seien 61 der Drohnen abgeschossen worden.**');
    expectVerbatim(embed.description!, corpus.get('002_5e7becd5a67536c2')!);
    expect(embed.footer!.text).toMatch(/Ukraine-Krieg: US-Sicherheitsgarantien nach Nato-Vorbild – Putins neues Kalkül\? · date unknown · ¶ \d+/);
    expect(embed.footer!.text).toMatch(/Matches 4 of 4 key words/);
    expect(embed.url).toBeUndefined(); // the seed has no known link, so none is invented
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    expect(h.discord.violations).toEqual([]);
  });

  it('says plainly when the coverage has no answer', async () => {
    const i = h.discord.interact(h.discord.slashCommand({ name: 'ask', options: { question: 'Wie wird das Wetter morgen in Hamburg?' } }));
    const reply = await i.final({ match: (b) => typeof b.content === 'string' && b.content.includes('No relevant coverage') });
    expect(reply.embeds ?? []).toEqual([]);
    expect(h.discord.violations).toEqual([]);
  });
});
