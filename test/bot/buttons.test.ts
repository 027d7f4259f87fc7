/**
 * The buttons under an answer and what stays private: Context, Post to channel, feedback, paging a
 * public answer, errors after the defer, and the "Find coverage" message command.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Locale } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../bot/i18n/i18n.ts';
import { startBot, type Harness } from '../support/bot-harness.ts';
import { snowflake, type InteractionHandle, type MessageBody } from '../support/fake-discord.ts';
import { runScript } from '../support/run-script.ts';
import { buttonIds, customIdStarting, expectEveryMessageSafe, markdownArticle, recordingLog } from './helpers.ts';

const EPHEMERAL = 64;

const PARAGRAPHS = [
  'Der Gemeinderat von Birkenfelde tagte am Montag im alten Rathaus. Auf der Tagesordnung standen der Haushalt und der Winterdienst.',
  'Die Gemeinde Birkenfelde baut eine neue Grundschule für 240 Kinder. Der Bau soll im Frühjahr beginnen und 9,5 Millionen Euro kosten.',
  'Die Opposition im Rat hält die Kosten für zu hoch. Sie verlangt einen zweiten Kostenvoranschlag bis zum Sommer.',
];
const SCHULE = markdownArticle(
  { title: 'Birkenfelde baut eine Grundschule', outlet: 'Kreisbote', date: '2025-02-03', url: 'https://kreisbote.example/birkenfelde-schule' },
  PARAGRAPHS,
);
const QUESTION = 'Wie viel kostet die neue Grundschule in Birkenfelde?';

const recorded = recordingLog();
let h: Harness;
/** PUBLIC_ANSWERS=true and FEEDBACK_STORE_USERS=true. */
let pub: Harness;

beforeAll(async () => {
  [h, pub] = await Promise.all([
    startBot({ RATE_LIMIT_PER_MINUTE: '1000' }, { log: recorded.log, files: { 'kreisbote-schule.md': SCHULE } }),
    startBot({ RATE_LIMIT_PER_MINUTE: '1000', PUBLIC_ANSWERS: 'true', FEEDBACK_STORE_USERS: 'true' }, { files: { 'kreisbote-schule.md': SCHULE } }),
  ]);
});
afterAll(async () => {
  await Promise.all([h?.close(), pub?.close()]);
});

const hasEmbeds = (b: MessageBody) => (b.embeds?.length ?? 0) > 0;
const ask = (harness: Harness, options: Record<string, string | number | boolean>, extra: { user?: { id: string }; locale?: Locale } = {}) =>
  harness.discord.interact(harness.discord.slashCommand({ name: 'ask', options, ...extra }));
const click = (harness: Harness, customId: string, message: InteractionHandle, extra: { user?: { id: string; username?: string }; locale?: Locale } = {}) =>
  harness.discord.interact(harness.discord.button({ customId, message, ...extra }));

describe('the Context button', () => {
  it('shows privately the paragraphs before and after, the quote marked', async () => {
    const i = ask(h, { question: QUESTION, results: 1 });
    const reply = await i.final({ match: hasEmbeds });
    expect(reply.embeds![0]!.title).toBe('1. Birkenfelde baut eine Grundschule');
    const context = click(h, customIdStarting(reply, 'ctx:')!, i);
    const callback = await context.response();
    expect(callback.type).toBe(4);
    expect(callback.data!.flags).toBe(EPHEMERAL);
    const embed = callback.data!.embeds![0]!;
    expect(embed.title).toBe('Context: Birkenfelde baut eine Grundschule');
    expect(embed.url).toBe('https://kreisbote.example/birkenfelde-schule');
    const text = embed.description!;
    expect(text).toContain('**Paragraph before**\n> Der Gemeinderat von Birkenfelde tagte am Montag im alten Rathaus.');
    expect(text).toContain(
      '**The quoted passage** (¶ 2)\n> **Die Gemeinde Birkenfelde baut eine neue Grundschule für 240 Kinder. Der Bau soll im Frühjahr beginnen und 9,5 Millionen Euro kosten.**',
    );
    expect(text).toContain('**Paragraph after**\n> Die Opposition im Rat hält die Kosten für zu hoch.');
    expect(text.indexOf('Gemeinderat')).toBeLessThan(text.indexOf('9,5 Millionen')); // in the article's order
    expect(text.indexOf('9,5 Millionen')).toBeLessThan(text.indexOf('Opposition'));
    expect(h.discord.violations).toEqual([]);
  });

  it('says where the article starts, in German for a German reader', async () => {
    const i = ask(h, { question: 'Wann tagte der Gemeinderat von Birkenfelde im alten Rathaus?', results: 1 }, { locale: Locale.German });
    const reply = await i.final({ match: hasEmbeds });
    const callback = await click(h, customIdStarting(reply, 'ctx:')!, i, { locale: Locale.German }).response();
    const text = callback.data!.embeds![0]!.description!;
    expect(text).toMatch(/^\*\*Absatz davor\*\*\n-# \(Anfang des Artikels\)/);
    expect(text).toContain('**Absatz danach**\n> Die Gemeinde Birkenfelde baut eine neue Grundschule');
  });
});

describe('Post to channel', () => {
  let i: InteractionHandle;
  let owner: { id: string };
  let reply: MessageBody;
  beforeAll(async () => {
    owner = { id: snowflake() };
    i = ask(h, { question: QUESTION, results: 1 }, { user: owner });
    reply = await i.final({ match: hasEmbeds });
  });

  it('is refused to anyone but the asker', async () => {
    const stranger = click(h, customIdStarting(reply, 'post:')!, i, { user: { id: snowflake(), username: 'stranger' } });
    const callback = await stranger.response();
    expect(callback).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(callback.data!.content).toMatch(/^Only the person who asked can do this\./);
  });

  it('posts the answer publicly for the asker, crediting them without pinging', async () => {
    const post = click(h, customIdStarting(reply, 'post:')!, i, { user: owner });
    const callback = await post.response();
    expect(callback.type).toBe(4);
    expect((callback.data!.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(callback.data!.content).toMatch(new RegExp(`^-# Asked by <@${owner.id}>\\n\\*\\*Q:\\*\\* `));
    expect(callback.data!.allowed_mentions).toEqual({ parse: [] });
    expect(callback.data!.embeds).toEqual(reply.embeds);
    expect(customIdStarting(callback.data!, 'post:')).toBeUndefined();
    expect(h.discord.violations).toEqual([]);
  });
});

describe('feedback', () => {
  it('is appended to DATA_DIR/feedback.jsonl with nothing personal by default', async () => {
    const user = { id: snowflake(), username: 'leserin' };
    const i = ask(h, { question: QUESTION, results: 1 }, { user, locale: Locale.German });
    const reply = await i.final({ match: hasEmbeds });
    const up = await click(h, customIdStarting(reply, 'fb:', '')!.replace(/:wrong:/, ':helpful:'), i, { user, locale: Locale.German }).response();
    expect(up).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: 'Danke — Ihre Rückmeldung wurde gespeichert.' } });
    const down = await click(h, buttonIds(reply).find((b) => b.custom_id?.includes(':wrong:'))!.custom_id!, i, { user, locale: Locale.German }).response();
    expect(down.data!.flags).toBe(EPHEMERAL);

    const file = path.join(h.config.dataDir, 'feedback.jsonl');
    const text = await readFile(file, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.verdict)).toEqual(['helpful', 'wrong']);
    expect(lines[0]).toMatchObject({ format: 1, command: 'ask', question: QUESTION, locale: 'de', passages: [{ articleId: 'kreisbote-schule', paragraph: 2, rank: 1 }] });
    expect(typeof lines[0]!.time).toBe('string');
    expect(text).not.toContain(user.id);
    expect(text).not.toContain('leserin');
    expect(lines.every((l) => !('user' in l))).toBe(true);
  });

  it('names the user only with FEEDBACK_STORE_USERS=true', async () => {
    const user = { id: snowflake(), username: 'leser' };
    const i = ask(pub, { question: QUESTION, results: 1 }, { user });
    const reply = await i.final({ match: hasEmbeds });
    await click(pub, buttonIds(reply).find((b) => b.custom_id?.includes(':helpful:'))!.custom_id!, i, { user }).response();
    const line = JSON.parse((await readFile(path.join(pub.config.dataDir, 'feedback.jsonl'), 'utf8')).trim().split('\n').at(-1)!);
    expect(line.user).toEqual({ id: user.id, name: 'leser' });
  });

  it('is summarised by npm run feedback and exported in the eval question format', async () => {
    const out = path.join(h.dir, 'feedback-questions.json');
    const r = await runScript('scripts/feedback.ts', ['--export', out], { DATA_DIR: h.config.dataDir, CORPUS_DIR: h.config.corpusDir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2 clicks on 1 questions — 1 helpful, 1 wrong passage\./);
    expect(r.stdout).toContain('By language: de 2.');
    expect(r.stdout).toContain('1× kreisbote-schule ¶ 2');
    expect(existsSync(out)).toBe(true);
    const exported = JSON.parse(await readFile(out, 'utf8'));
    // The latest verdict on a question wins: it was called wrong last, so it waits for review.
    expect(exported.questions).toEqual([]);
    expect(exported.review).toEqual([{ id: 'R001', lang: 'de', q: QUESTION, wrong: [{ doc: 'kreisbote-schule', contains: [expect.stringContaining('240 Kinder')] }] }]);
  });
});

describe('with PUBLIC_ANSWERS=true', () => {
  it('answers in the channel, and paging gives the clicker a private page instead of rewriting it', async () => {
    const i = ask(pub, { question: 'Sicherheitsgarantien für die Ukraine', results: 2 });
    expect((await i.response()).type).toBe(5);
    await i.final({ match: hasEmbeds });
    expect((i.message!.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(customIdStarting(i.message!, 'post:')).toBeUndefined(); // it is public already
    const before = structuredClone(i.message);
    for (const user of [undefined, { id: snowflake() }]) {
      const next = click(pub, customIdStarting(i.message!, 'page:', 'n')!, i, user ? { user } : {});
      const callback = await next.response();
      expect(callback.type).toBe(4);
      expect(callback.data!.flags).toBe(EPHEMERAL);
      expect(callback.data!.content).toMatch(/\(results 3–4 of \d+\)/);
    }
    expect(i.message).toEqual(before);
    expect(pub.discord.violations).toEqual([]);
  });
});

describe('an error after the defer', () => {
  const failing = async (harness: Harness, run: () => Promise<void>) => {
    const desk = harness.bot.desk as unknown as { ask: () => Promise<never> };
    desk.ask = () => Promise.reject(new Error('injected failure after the defer'));
    try {
      await run();
    } finally {
      delete (desk as { ask?: unknown }).ask; // the class's own method again
    }
  };
  const apology = translate('en', 'error.apology');

  it('edits the private deferred reply into the apology', async () => {
    await failing(h, async () => {
      const i = ask(h, { question: QUESTION });
      expect(await i.response()).toEqual({ type: 5, data: { flags: EPHEMERAL } });
      expect((await i.final({ match: (b) => b.content !== undefined })).content).toBe(apology);
      expect(i.message!.flags! & EPHEMERAL).toBe(EPHEMERAL);
    });
  });

  it('removes a public deferred reply and tells the asker privately', async () => {
    await failing(pub, async () => {
      const i = ask(pub, { question: QUESTION, private: false }, { locale: Locale.German });
      expect((await i.response()).type).toBe(5);
      const original = i.message!.id;
      await Promise.resolve(); // let the failure play out
      await new Promise<void>((resolve) => {
        const check = () => (i.followUps.length > 0 ? resolve() : setTimeout(check, 20));
        check();
      });
      expect(i.followUps[0]).toMatchObject({ content: translate('de', 'error.apology'), flags: EPHEMERAL });
      expect(pub.discord.messages.has(original)).toBe(false);
      expect([...pub.discord.messages.values()].filter((m) => m.content === translate('de', 'error.apology') && !((m.flags ?? 0) & EPHEMERAL))).toEqual([]);
    });
    expect(pub.discord.violations).toEqual([]);
  });
});

describe('Find coverage (right-click a message)', () => {
  it('checks a message with mentions, links and code privately, quoting the coverage', async () => {
    const content = '<@123456789012345678> schau mal: **Birkenfelde** zahlt für die neue Grundschule angeblich 20 Millionen Euro https://gerücht.example/x\n```\nrm -rf /\n```';
    const i = h.discord.interact(h.discord.messageCommand({ name: 'Find coverage', content }));
    expect(await i.response()).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const reply = await i.final({ match: (b) => b.content !== undefined });
    expect(reply.content).toMatch(/^\*\*Q:\*\* schau mal: Birkenfelde zahlt für die neue Grundschule angeblich 20 Millionen Euro$/m);
    expect(reply.content).not.toMatch(/gerücht|rm -rf|<@/);
    expect(reply.embeds![0]!.title).toBe('1. Birkenfelde baut eine Grundschule');
    expect(h.discord.violations).toEqual([]);
  });

  it('refuses, privately and in German, a message without text', async () => {
    const i = h.discord.interact(h.discord.messageCommand({ name: 'Find coverage', content: '<@123456789012345678> https://x.example', locale: Locale.German }));
    expect(await i.response()).toMatchObject({ type: 4, data: { flags: EPHEMERAL, content: 'Diese Nachricht hat keinen Text zum Prüfen.' } });
  });
});

describe('everything this file made the bot send', () => {
  it('switches mentions off, fits Discord limits, and logs no errors but the injected one', () => {
    expect(expectEveryMessageSafe(h.discord)).toBeGreaterThan(10);
    expectEveryMessageSafe(pub.discord);
    expect(recorded.errors().map((e) => (e.err as { message?: string }).message)).toEqual(['injected failure after the defer']);
  });
});
