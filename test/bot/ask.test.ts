import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type Harness } from '../support/bot-harness.ts';
import { snowflake, type InteractionHandle, type MessageBody } from '../support/fake-discord.ts';
import { bodyOf, expectEveryMessageSafe, expectVerbatimWholeWords, markdownArticle, plainQuote, recordingLog } from './helpers.ts';

const EPHEMERAL = 64;

/** A Markdown article with every citation field known. */
const STROMPREIS = markdownArticle(
  { title: 'Stadtwerke Musterstadt senken den Strompreis', outlet: 'Testblatt', date: '2024-03-05', url: 'https://testblatt.example/2024/strompreis' },
  [
    'Die Stadtwerke Musterstadt senken zum ersten April den Strompreis für Haushaltskunden um zwölf Prozent. Das teilte der Geschäftsführer am Dienstag mit.',
    'Grund für die Senkung seien gefallene Einkaufspreise an der Strombörse. Der Grundpreis bleibe unverändert, hieß es.',
  ],
);

const main = recordingLog();
const clocked = recordingLog();
let h: Harness;
/** RATE_LIMIT_PER_MINUTE=2 on a fake clock, and "more results" expiring after 200 ms. */
let limited: Harness;
let now = Date.UTC(2025, 0, 1);
let corpus: Map<string, string>;

beforeAll(async () => {
  [h, limited] = await Promise.all([
    startBot({ RATE_LIMIT_PER_MINUTE: '1000' }, { log: main.log, files: { 'testblatt-strompreis.md': STROMPREIS } }),
    startBot({ RATE_LIMIT_PER_MINUTE: '2' }, { log: clocked.log, now: () => now, pageTtlMs: 200 }),
  ]);
  const ids = ['000_040ffcb4de1e558d', '001_05284ddf7004647a', '002_5e7becd5a67536c2', '003_6f8db47b0f1d15ed', '004_ef3c49121fa61ece'];
  corpus = new Map(await Promise.all(ids.map(async (id) => [id, await readFile(path.join(h.config.corpusDir, `${id}.txt`), 'utf8')] as const)));
});
afterAll(async () => {
  await Promise.all([h?.close(), limited?.close()]);
});

/** Every piece of shown quote text between ellipses is verbatim in the article. */
function expectVerbatim(description: string, article: string) {
  for (const piece of plainQuote(description).split('…').map((p) => p.trim()).filter(Boolean)) expect(article).toContain(piece);
}

const ask = (harness: Harness, options: Record<string, string | number | boolean>, user?: { id: string }) =>
  harness.discord.interact(harness.discord.slashCommand({ name: 'ask', options, ...(user ? { user } : {}) }));

const hasEmbeds = (b: MessageBody) => (b.embeds?.length ?? 0) > 0;
const moreButtonId = (body: MessageBody): string | undefined =>
  (body.components as Array<{ components: Array<{ custom_id?: string }> }> | undefined)?.[0]?.components[0]?.custom_id;

/** The private error a bad request gets: the interaction callback itself (type 4, ephemeral), no defer. */
async function expectPrivateRefusal(i: InteractionHandle, message: RegExp) {
  const callback = await i.response();
  expect(callback.type).toBe(4);
  expect(callback.data?.flags).toBe(EPHEMERAL);
  expect(callback.data?.content).toMatch(message);
  expect(callback.data?.embeds ?? []).toEqual([]);
  expect(i.ackMs).toBeLessThan(3000);
  expect(i.edits).toEqual([]);
}

describe('/ask', () => {
  it('defers within the time limit, then answers with a verbatim quote and an honest citation', async () => {
    const i = ask(h, { question: 'Wie viele Drohnen hat die ukrainische Luftwaffe abgeschossen?' });
    expect((await i.response()).type).toBe(5);
    expect(i.ackMs).toBeLessThan(3000);
    const reply = await i.final({ match: hasEmbeds });
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
    const i = ask(h, { question: 'Wie wird das Wetter morgen in Hamburg?' });
    const reply = await i.final({ match: (b) => typeof b.content === 'string' && b.content.includes('No relevant coverage') });
    expect(reply.embeds ?? []).toEqual([]);
    expect(h.discord.violations).toEqual([]);
  });

  it('quotes an added Markdown article verbatim and cites its title, outlet, date and link', async () => {
    const i = ask(h, { question: 'Um wie viel senken die Stadtwerke Musterstadt den Strompreis?' });
    const reply = await i.final({ match: hasEmbeds });
    const embed = reply.embeds![0]!;
    expect(embed.title).toBe('1. Stadtwerke Musterstadt senken den Strompreis');
    expect(embed.url).toBe('https://testblatt.example/2024/strompreis');
    expect(embed.footer!.text.split('\n')[0]).toBe('Testblatt · Stadtwerke Musterstadt senken den Strompreis · 2024-03-05 · ¶ 1');
    expect(embed.description).toContain('**Die Stadtwerke Musterstadt senken zum ersten April den Strompreis für Haushaltskunden um zwölf Prozent.**');
    expectVerbatimWholeWords(embed.description!, bodyOf(STROMPREIS));
    expect(plainQuote(embed.description!).length).toBeGreaterThan(40);
    expect(h.discord.violations).toEqual([]);
  });

  it('only quotes the chosen outlet when asked to', async () => {
    const i = ask(h, { question: 'Strompreis Sicherheitsgarantien Ukraine', outlet: 'Testblatt' });
    const reply = await i.final({ match: (b) => b.content !== undefined });
    expect(reply.embeds!.length).toBeGreaterThan(0);
    for (const e of reply.embeds!) expect(e.footer!.text).toMatch(/^Testblatt · /);
    expect(h.discord.violations).toEqual([]);
  });

  it('suggests outlets present in the index when the outlet option is typed', async () => {
    const typing = h.discord.interact(h.discord.autocomplete({ name: 'ask', focused: 'outlet', options: { question: 'Strompreis', outlet: 'test' } }));
    expect(await typing.response()).toMatchObject({ type: 8, data: { choices: [{ name: 'Testblatt', value: 'Testblatt' }] } });
    const none = h.discord.interact(h.discord.autocomplete({ name: 'ask', focused: 'outlet', options: { outlet: 'Tagesspiegel' } }));
    expect((await none.response()).data?.choices).toEqual([]);
    expect(h.discord.violations).toEqual([]);
  });

  describe('refuses bad input privately, without deferring', () => {
    it('a question of white space only', async () => {
      await expectPrivateRefusal(ask(h, { question: ' \t \u200b ' }), /^Please ask a question: it is empty\.$/);
    });

    it('a question longer than MAX_QUESTION_CHARS', async () => {
      expect(h.config.retrieval.maxQuestionChars).toBe(500);
      const question = 'Sicherheitsgarantien '.repeat(40).slice(0, 600);
      await expectPrivateRefusal(ask(h, { question }), /^Your question is \d+ characters long; please keep it under 500\.$/);
    });

    it('a since date that is not a date', async () => {
      await expectPrivateRefusal(ask(h, { question: 'Sicherheitsgarantien', since: 'gestern' }), /^since must be a date like 2025-08-17, not "gestern"\.$/);
    });

    it('an until date before the since date', async () => {
      await expectPrivateRefusal(ask(h, { question: 'Sicherheitsgarantien', since: '2025-01-02', until: '2024-01-01' }), /since \(2025-01-02\) is after until \(2024-01-01\)/);
      expect(h.discord.violations).toEqual([]);
    });
  });

  it('defers privately (flags 64) when private is set', async () => {
    const i = ask(h, { question: 'Was sagte Peskow zu Sicherheitsgarantien?', private: true });
    expect(await i.response()).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    await i.final({ match: hasEmbeds });
    expect(i.message!.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(h.discord.violations).toEqual([]);
  });

  it('shows as many results as asked for', async () => {
    const i = ask(h, { question: 'Sicherheitsgarantien für die Ukraine', results: 2 });
    const reply = await i.final({ match: hasEmbeds });
    expect(reply.embeds!.map((e) => e.title!.split('.')[0])).toEqual(['1', '2']);
    expect(h.discord.violations).toEqual([]);
  });

  describe('the "More results" button', () => {
    let first: InteractionHandle;
    let total: number;
    let customId: string;

    beforeAll(async () => {
      first = ask(h, { question: 'Sicherheitsgarantien für die Ukraine', results: 2 });
      const reply = await first.final({ match: hasEmbeds });
      const range = /\(results 1–2 of (\d+)\)/.exec(reply.content ?? '');
      expect(range, reply.content ?? undefined).not.toBeNull();
      total = Number(range![1]);
      expect(total).toBeGreaterThan(4);
      customId = moreButtonId(reply)!;
      expect(customId).toMatch(/^more:/);
    });

    it('refuses anyone but the asker privately and leaves the message as it was', async () => {
      const before = structuredClone(first.message);
      const stranger = h.discord.interact(h.discord.button({ customId, message: first, user: { id: snowflake(), username: 'stranger' } }));
      await expectPrivateRefusal(stranger, /^Only the person who asked can page through these results\./);
      expect(first.message).toEqual(before);
      expect(h.discord.violations).toEqual([]);
    });

    it('pages to the next results by updating the message', async () => {
      const click = h.discord.interact(h.discord.button({ customId, message: first }));
      const callback = await click.response();
      expect(callback.type).toBe(7);
      expect(click.ackMs).toBeLessThan(3000);
      expect(callback.data!.content).toContain(`(results 3–4 of ${total})`);
      expect(callback.data!.embeds!.map((e) => e.title!.split('.')[0])).toEqual(['3', '4']);
      expect(first.message!.content).toContain(`(results 3–4 of ${total})`);
      expect(first.message!.embeds.map((e) => e.title!.split('.')[0])).toEqual(['3', '4']);
      expect(callback.data!.allowed_mentions).toEqual({ parse: [] });
      const remaining = total - 4;
      if (remaining > 0) expect(JSON.stringify(callback.data!.components)).toContain(`More results (${remaining})`);
      expect(h.discord.violations).toEqual([]);
    });

    it('disappears on the last page', async () => {
      let message = first.message!;
      for (let shown = 4; shown < total; shown += 2) {
        const click = h.discord.interact(h.discord.button({ customId, message }));
        expect((await click.response()).type).toBe(7);
        message = first.message!;
      }
      expect(message.content).toContain(`of ${total})`);
      expect(message.components).toEqual([]);
      expect(h.discord.violations).toEqual([]);
    });
  });

  it('never pings, stays within Discord\'s limits, and logs no errors in this file', () => {
    expect(expectEveryMessageSafe(h.discord)).toBeGreaterThan(10);
    expect(main.errors()).toEqual([]);
  });
});

describe('/ask with RATE_LIMIT_PER_MINUTE=2 and results expiring after 200 ms', () => {
  it('tells the third question in a minute to wait, privately, and lets it through a minute later', async () => {
    const user = { id: snowflake() };
    for (const question of ['Was sagte Peskow?', 'Was sagte Blinken?']) {
      const i = ask(limited, { question }, user);
      expect((await i.response()).type).toBe(5);
      await i.final({ match: (b) => b.content !== undefined });
    }
    await expectPrivateRefusal(ask(limited, { question: 'Was sagte Witkoff?' }, user), /^You are asking faster than 2 questions a minute\. Please wait 60 s\.$/);
    // Someone else is not held up by it.
    expect((await ask(limited, { question: 'Was sagte Witkoff?' }, { id: snowflake() }).response()).type).toBe(5);
    now += 30_000;
    await expectPrivateRefusal(ask(limited, { question: 'Was sagte Witkoff?' }, user), /Please wait 30 s\.$/);
    now += 30_000;
    expect((await ask(limited, { question: 'Was sagte Witkoff?' }, user).response()).type).toBe(5);
    expect(limited.discord.violations).toEqual([]);
  });

  it('removes the button when the results expire, and a late click is told so without an error being logged', async () => {
    now += 120_000; // a fresh minute for the rate limit
    const i = ask(limited, { question: 'Sicherheitsgarantien für die Ukraine', results: 1 });
    const reply = await i.final({ match: hasEmbeds });
    const customId = moreButtonId(reply)!;
    expect(customId).toMatch(/^more:/);
    const stale = structuredClone(i.message) as APIMessage; // what a client that did not refresh still shows

    const removal = await i.final({ match: (b) => Array.isArray(b.components) && b.components.length === 0 });
    expect(removal.content).toBeUndefined(); // only the button goes; the answer stays
    expect(removal.embeds).toBeUndefined();
    const edit = limited.discord.requests.filter((r) => r.method === 'PATCH' && r.route === '/webhooks/{webhook_id}/{webhook_token}/messages/@original' && r.path.includes(i.token));
    expect(edit).toHaveLength(2);
    expect(i.message!.components).toEqual([]);
    expect(i.message!.embeds).toHaveLength(1);

    const late = limited.discord.interact(limited.discord.button({ customId, message: stale }));
    await expectPrivateRefusal(late, /^These results have expired\. Please ask again\.$/);
    expect(clocked.errors()).toEqual([]);
    expect(clocked.entries.some((e) => e.msg === 'refused' && e.code === 'NOT_ALLOWED')).toBe(true);
    expect(limited.discord.violations).toEqual([]);
    expectEveryMessageSafe(limited.discord);
  });
});
