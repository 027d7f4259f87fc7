import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Locale, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type Harness } from '../support/bot-harness.ts';
import { snowflake, type InteractionHandle, type MessageBody } from '../support/fake-discord.ts';
import { bodyOf, buttonIds, customIdStarting, expectEveryMessageSafe, expectVerbatimWholeWords, markdownArticle, plainQuote, recordingLog } from './helpers.ts';

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
/** RATE_LIMIT_PER_MINUTE=2 on a fake clock, and buttons expiring after 200 ms. */
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
  for (const piece of plainQuote(description)
    .split('…')
    .map((p) => p.trim())
    .filter(Boolean))
    expect(article).toContain(piece);
}

const ask = (harness: Harness, options: Record<string, string | number | boolean>, user?: { id: string }, locale?: Locale) =>
  harness.discord.interact(harness.discord.slashCommand({ name: 'ask', options, ...(user ? { user } : {}), ...(locale ? { locale } : {}) }));

const hasEmbeds = (b: MessageBody) => (b.embeds?.length ?? 0) > 0;

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
  it('defers privately within the time limit, then answers with a verbatim quote and an honest citation', async () => {
    const i = ask(h, { question: 'Wie viele Drohnen hat die ukrainische Luftwaffe abgeschossen?', results: 3 });
    expect(await i.response()).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(i.ackMs).toBeLessThan(3000);
    const reply = await i.final({ match: hasEmbeds });
    expect(i.message!.flags! & EPHEMERAL).toBe(EPHEMERAL);
    const embed = reply.embeds![0]!;
    expect(embed.title).toMatch(/^1\. Ukraine-Krieg: US-Sicherheitsgarantien/);
    expect(embed.description).toContain('**Wie die ukrainische Luftwaffe auf Telegram mitteilte, seien 61 der Drohnen abgeschossen worden.**');
    expectVerbatim(embed.description!, corpus.get('002_5e7becd5a67536c2')!);
    // The headline is the title only; the footer keeps what is shown nowhere else.
    expect(embed.footer!.text).toMatch(/^¶ \d+ · date unknown\nMatches all 4 key words: /);
    expect(embed.footer!.text).not.toContain('Ukraine-Krieg: US-Sicherheitsgarantien');
    expect(embed.author).toEqual({ name: 'Outlet unknown' });
    expect(embed.timestamp).toBeUndefined();
    expect(embed.url).toBeUndefined(); // the seed has no known link, so none is invented
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    expect(h.discord.violations).toEqual([]);
  });

  it('says plainly, and privately, when the coverage has no answer', async () => {
    const i = ask(h, { question: 'Wie wird das Wetter morgen in Hamburg?' });
    const reply = await i.final({ match: (b) => typeof b.content === 'string' && b.content.includes('No relevant coverage') });
    expect(reply.embeds ?? []).toEqual([]);
    expect(i.message!.flags! & EPHEMERAL).toBe(EPHEMERAL);
    expect(h.discord.violations).toEqual([]);
  });

  it('cites outlet as author, the day as timestamp and the headline once, linked; a link button opens the article at the quote', async () => {
    const i = ask(h, { question: 'Um wie viel senken die Stadtwerke Musterstadt den Strompreis?', results: 2 });
    const reply = await i.final({ match: hasEmbeds });
    const embed = reply.embeds![0]!;
    expect(embed.author).toEqual({ name: 'Testblatt' });
    expect(embed.title).toBe('1. Stadtwerke Musterstadt senken den Strompreis');
    expect(embed.url).toBe('https://testblatt.example/2024/strompreis');
    expect(embed.timestamp).toBe('2024-03-05T12:00:00.000Z');
    expect(embed.footer!.text.split('\n')[0]).toBe('¶ 1');
    expect(embed.description).toContain('**Die Stadtwerke Musterstadt senken zum ersten April den Strompreis für Haushaltskunden um zwölf Prozent.**');
    expectVerbatimWholeWords(embed.description!, bodyOf(STROMPREIS));
    const links = JSON.stringify(reply.components).match(/"url":"([^"]+)"/g) ?? [];
    expect(links[0]).toContain(
      'https://testblatt.example/2024/strompreis#:~:text=Die%20Stadtwerke%20Musterstadt%20senken%20zum%20ersten%20April%20den%20Strompreis%20f%C3%BCr%20Haushaltskunden%20um%20zw%C3%B6lf%20Prozent%2E',
    );
    expect(h.discord.violations).toEqual([]);
  });

  it('shows one passage and "n more" when it clearly answers the question', async () => {
    const i = ask(h, { question: 'Peskow Eckpunkte Sicherheitsgarantien' });
    const reply = await i.final({ match: hasEmbeds });
    expect(reply.embeds).toHaveLength(1);
    const more = customIdStarting(reply, 'page:');
    expect(more).toBeDefined();
    expect(JSON.stringify(reply.components)).toMatch(/Show \d+ more/);
    const click = h.discord.interact(h.discord.button({ customId: more!, message: i }));
    expect((await click.response()).type).toBe(7);
    expect(i.message!.embeds.length).toBeGreaterThan(1);
    expect(h.discord.violations).toEqual([]);
  });

  it('only quotes the chosen outlet when asked to', async () => {
    const i = ask(h, { question: 'Strompreis Sicherheitsgarantien Ukraine', outlet: 'Testblatt', results: 5 });
    const reply = await i.final({ match: (b) => b.content !== undefined });
    expect(reply.embeds!.length).toBeGreaterThan(0);
    for (const e of reply.embeds!) expect(e.author).toEqual({ name: 'Testblatt' });
    expect(h.discord.violations).toEqual([]);
  });

  it('accepts dates as 2024-03-05 and as 05.03.2024', async () => {
    for (const since of ['2024-03-05', '05.03.2024', '5.3.2024']) {
      const i = ask(h, { question: 'Strompreis Stadtwerke', since, until: '31.12.2024', results: 5 });
      const reply = await i.final({ match: (b) => b.content !== undefined });
      const outlets = reply.embeds!.map((e) => e.author?.name);
      expect(outlets.length).toBeGreaterThan(0);
      expect(new Set(outlets)).toEqual(new Set(['Testblatt']));
    }
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
      await expectPrivateRefusal(ask(h, { question: 'Sicherheitsgarantien', since: 'gestern' }), /^since must be a date like 2025-08-17 or 17\.08\.2025, not "gestern"\.$/);
      await expectPrivateRefusal(ask(h, { question: 'Sicherheitsgarantien', since: '30.02.2025' }), /not "30\.02\.2025"/);
    });

    it('an until date before the since date', async () => {
      await expectPrivateRefusal(ask(h, { question: 'Sicherheitsgarantien', since: '02.01.2025', until: '2024-01-01' }), /since \(2025-01-02\) is after until \(2024-01-01\)/);
      expect(h.discord.violations).toEqual([]);
    });
  });

  it('answers publicly only when private is set to false', async () => {
    const i = ask(h, { question: 'Was sagte Peskow zu Sicherheitsgarantien?', private: false });
    const callback = await i.response();
    expect(callback.type).toBe(5);
    expect((callback.data?.flags ?? 0) & EPHEMERAL).toBe(0);
    await i.final({ match: hasEmbeds });
    expect(i.message!.flags! & EPHEMERAL).toBe(0);
    expect(h.discord.violations).toEqual([]);
  });

  it('shows as many results as asked for', async () => {
    const i = ask(h, { question: 'Sicherheitsgarantien für die Ukraine', results: 2 });
    const reply = await i.final({ match: hasEmbeds });
    expect(reply.embeds!.map((e) => e.title!.split('.')[0])).toEqual(['1', '2']);
    expect(h.discord.violations).toEqual([]);
  });

  it('bolds at most two sentences of a quote', async () => {
    const i = ask(h, { question: 'Sicherheitsgarantien für die Ukraine', results: 10 });
    const reply = await i.final({ match: hasEmbeds });
    for (const e of reply.embeds!) {
      const bold = (e.description!.match(/\*\*[^*]+\*\*/g) ?? []).join(' ').replace(/\*\*/g, '');
      const sentences = bold.split(/(?<=[.!?])\s+(?=[A-ZÄÖÜ])/).filter((s) => s.trim());
      expect(sentences.length, bold).toBeLessThanOrEqual(2);
    }
  });

  describe('Previous / Next on a private answer', () => {
    let first: InteractionHandle;
    let total: number;

    beforeAll(async () => {
      first = ask(h, { question: 'Sicherheitsgarantien für die Ukraine', results: 2 });
      const reply = await first.final({ match: hasEmbeds });
      const range = /\(results 1–2 of (\d+)\)/.exec(reply.content ?? '');
      expect(range, reply.content ?? undefined).not.toBeNull();
      total = Number(range![1]);
      expect(total).toBeGreaterThan(4);
    });

    it('refuses anyone but the asker privately and leaves the message as it was', async () => {
      const before = structuredClone(first.message);
      const next = customIdStarting(first.message!, 'page:', 'n')!;
      const stranger = h.discord.interact(h.discord.button({ customId: next, message: first, user: { id: snowflake(), username: 'stranger' } }));
      await expectPrivateRefusal(stranger, /^Only the person who asked can do this\./);
      expect(first.message).toEqual(before);
      expect(h.discord.violations).toEqual([]);
    });

    it("pages forwards and back by updating the asker's own message", async () => {
      const click = h.discord.interact(h.discord.button({ customId: customIdStarting(first.message!, 'page:', 'n')!, message: first }));
      const callback = await click.response();
      expect(callback.type).toBe(7);
      expect(click.ackMs).toBeLessThan(3000);
      expect(callback.data!.content).toContain(`(results 3–4 of ${total})`);
      expect(first.message!.embeds.map((e) => e.title!.split('.')[0])).toEqual(['3', '4']);
      expect(callback.data!.allowed_mentions).toEqual({ parse: [] });
      const back = h.discord.interact(h.discord.button({ customId: customIdStarting(first.message!, 'page:', 'p')!, message: first }));
      expect((await back.response()).type).toBe(7);
      expect(first.message!.embeds.map((e) => e.title!.split('.')[0])).toEqual(['1', '2']);
      expect(h.discord.violations).toEqual([]);
    });

    it('disables Next on the last page', async () => {
      for (let shown = 2; shown < total; shown += 2) {
        const click = h.discord.interact(h.discord.button({ customId: customIdStarting(first.message!, 'page:', 'n')!, message: first }));
        expect((await click.response()).type).toBe(7);
      }
      expect(first.message!.content).toContain(`of ${total})`);
      expect(() => h.discord.button({ customId: customIdStarting(first.message!, 'page:', 'n')!, message: first })).toThrow(/disabled/);
      expect(h.discord.violations).toEqual([]);
    });
  });

  it("never pings, stays within Discord's limits, and logs no errors in this file", () => {
    expect(expectEveryMessageSafe(h.discord)).toBeGreaterThan(10);
    expect(main.errors()).toEqual([]);
  });
});

describe('/ask in German', () => {
  it("answers in the reader's language, the quotes unchanged", async () => {
    const question = 'Sicherheitsgarantien für die Ukraine';
    const [en, de] = await Promise.all([Locale.EnglishGB, Locale.German].map((locale) => ask(h, { question, results: 5 }, undefined, locale).final({ match: hasEmbeds })));
    expect(en!.content).toMatch(/^\*\*Q:\*\* /);
    expect(de!.content).toMatch(/^\*\*F:\*\* .*\(Treffer 1–5 von \d+\)/);
    expect(de!.embeds![0]!.footer!.text).toMatch(/^Abs\. \d+( · Datum unbekannt)?\nEnthält alle 2 Stichwörter: /);
    // A seed article names neither outlet nor date: both are said to be unknown, in German.
    const undated = de!.embeds!.find((e) => !e.timestamp);
    expect(undated?.footer!.text).toMatch(/^Abs\. \d+ · Datum unbekannt\n/);
    expect(undated?.author).toEqual({ name: 'Medium unbekannt' });
    expect(de!.embeds!.map((e) => e.description)).toEqual(en!.embeds!.map((e) => e.description));
    expect(buttonLabels(de!)).toEqual(expect.arrayContaining(['Kontext 1', 'Weiter', 'Im Kanal posten', 'Hilfreich', 'Falsche Passage']));
    expect(buttonLabels(en!)).toEqual(expect.arrayContaining(['Context 1', 'Next', 'Post to channel', 'Helpful', 'Wrong passage']));
  });

  it('refuses in German', async () => {
    await expectPrivateRefusal(ask(h, { question: ' ' }, undefined, Locale.German), /^Bitte stellen Sie eine Frage: sie ist leer\.$/);
    await expectPrivateRefusal(
      ask(h, { question: 'Strompreis', since: 'gestern' }, undefined, Locale.German),
      /^seit muss ein Datum wie 17\.08\.2025 oder 2025-08-17 sein, nicht „gestern“\.$/,
    );
  });

  it('falls back to English for other languages', async () => {
    await expectPrivateRefusal(ask(h, { question: ' ' }, undefined, Locale.French), /^Please ask a question/);
  });
});

const buttonLabels = (body: MessageBody | APIMessage) => buttonIds(body).map((b) => b.label);

describe('/ask with RATE_LIMIT_PER_MINUTE=2 and buttons expiring after 200 ms', () => {
  it('tells the third question in a minute when to retry, privately, with a relative timestamp, and lets it through a minute later', async () => {
    const user = { id: snowflake() };
    for (const question of ['Was sagte Peskow?', 'Was sagte Blinken?']) {
      const i = ask(limited, { question }, user);
      expect((await i.response()).type).toBe(5);
      await i.final({ match: (b) => b.content !== undefined });
    }
    const retry = `<t:${Math.floor((now + 60_000) / 1000)}:R>`;
    await expectPrivateRefusal(
      ask(limited, { question: 'Was sagte Witkoff?' }, user),
      new RegExp(`^You are asking faster than 2 questions a minute\\. Please try again ${retry}\\.$`),
    );
    // Someone else is not held up by it.
    expect((await ask(limited, { question: 'Was sagte Witkoff?' }, { id: snowflake() }).response()).type).toBe(5);
    now += 30_000;
    await expectPrivateRefusal(ask(limited, { question: 'Was sagte Witkoff?' }, user), new RegExp(`Please try again ${retry}\\.$`));
    await expectPrivateRefusal(ask(limited, { question: 'Was sagte Witkoff?' }, user, Locale.German), new RegExp(`Bitte versuchen Sie es ${retry} erneut\\.$`));
    now += 30_000;
    expect((await ask(limited, { question: 'Was sagte Witkoff?' }, user).response()).type).toBe(5);
    expect(limited.discord.violations).toEqual([]);
  });

  it('removes the paging buttons when they expire (Context stays), and a late click is told so without an error being logged', async () => {
    now += 120_000; // a fresh minute for the rate limit
    const i = ask(limited, { question: 'Sicherheitsgarantien für die Ukraine', results: 1 });
    const reply = await i.final({ match: hasEmbeds });
    const customId = customIdStarting(reply, 'page:', 'n')!;
    expect(customId).toBeDefined();
    const stale = structuredClone(i.message) as APIMessage; // what a client that did not refresh still shows

    const removal = await i.final({ match: (b) => Array.isArray(b.components) && b.content === undefined });
    expect(removal.embeds).toBeUndefined(); // only buttons go; the answer stays
    expect(buttonIds(i.message!).map((b) => b.custom_id?.split(':')[0])).toEqual(['ctx']);
    expect(i.message!.embeds).toHaveLength(1);

    const late = limited.discord.interact(limited.discord.button({ customId, message: stale }));
    await expectPrivateRefusal(late, /^These results have expired\. Please ask again\.$/);
    expect(clocked.errors()).toEqual([]);
    expect(clocked.entries.some((e) => e.msg === 'refused' && e.code === 'NOT_ALLOWED')).toBe(true);
    expect(limited.discord.violations).toEqual([]);
    expectEveryMessageSafe(limited.discord);
  });
});
