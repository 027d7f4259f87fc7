/**
 * What the bot sends can never ping anyone and always fits Discord's limits — for quoted news text
 * that contains mentions, and for a generated batch of hostile questions sent through /ask, /compare
 * and /timeline. (Long passages and long titles: limits.test.ts.)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../bot/i18n/i18n.ts';

const APOLOGY = translate('en', 'error.apology');
import { startBot, type Harness } from '../support/bot-harness.ts';
import { CORPUS } from '../support/setup.ts';
import { snowflake, type InteractionHandle, type MessageBody } from '../support/fake-discord.ts';
import { expectEveryMessageSafe, markdownArticle, prng, recordingLog, sentMessages } from './helpers.ts';

const MENTIONS = markdownArticle({ title: 'Leserbriefe zur Ratssitzung', outlet: 'Testblatt', date: '2024-02-01' }, [
  'In der Ratssitzung von Kleinhausen rief ein Zuhörer "@everyone aufgepasst" und "@here bitte melden" in den Saal. Ein anderer Zuhörer schrieb <@123456789012345678> und <@&123456789012345678> an die Tafel des Gemeinderats.',
  'Die Bürgermeisterin von Kleinhausen unterbrach die Ratssitzung daraufhin für zehn Minuten.',
]);

// --- hostile questions ------------------------------------------------------------------------

const FRAGMENTS = [
  ' ',
  '\t',
  '\n\n',
  '\r\n',
  '\u00a0',
  '\u3000',
  '\u2028\u2029',
  '\u200b',
  '\u200c\u200d',
  '\ufeff',
  '\u2060',
  '\u0000',
  '\u0007\u0008',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '@everyone',
  '@here',
  '<@123456789012345678>',
  '<@!123456789012345678>',
  '<@&123456789012345678>',
  '<#123456789012345678>',
  '<:kreml:123456789012345678>',
  '<t:0:R>',
  '</ask:123456789012345678>',
  '**bold**',
  '__underline__',
  '*italic*',
  '_italic_',
  '~~strike~~',
  '`code`',
  '``double``',
  '```js\nalert(1)\n```',
  '```',
  '||spoiler||',
  '||Sicherheitsgarantien||',
  '> quote',
  '>>> quote',
  '# Heading',
  '## H2',
  '-# subtext',
  '- item',
  '* item',
  '1. item',
  '[Kreml](https://evil.example/phish)',
  '[x](<javascript:alert(1)>)',
  '[**NATO**](https://evil.example)',
  'https://example.com/?q=1&x=<y>',
  '<https://example.com>',
  '\\',
  '\\\\*',
  '\\_',
  '\\@everyone',
  'ما هي الضمانات الأمنية لأوكرانيا؟',
  'بوتين والناتو',
  'מה אמר פוטין על נאט״ו?',
  'זלנסקי',
  '\u202eevil.exe\u202c',
  'Ukraine \u202e NATO',
  '\u2066\u2067\u2069',
  '\u200f\u200e',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  '🇺🇦🇷🇺',
  '🤷🏽‍♀️',
  '❤️‍🔥',
  '🧑‍💻',
  '😀😃😄',
  '#️⃣',
  '%s %d %n',
  '${process.exit()}',
  '{{constructor}}',
  '__proto__',
  'constructor',
  "'; DROP TABLE articles; --",
  '<script>alert(1)</script>',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  'Ｓｉｃｈｅｒｈｅｉｔｓｇａｒａｎｔｉｅｎ',
  'ß',
  'İstanbul',
  'e\u0301',
  'Z̴̙̤ͫA̴̜̰ͫL̠ͨG̴̻̑O̵̹͂',
  '﷽',
  '𝕹𝕬𝕿𝕺',
  '…',
  '...',
  '???',
  '!!!',
];

/** Keeps whole code points (never half a surrogate pair) and at most Discord's 1000 characters. */
const clip = (s: string, max = 1000) => Array.from(s).slice(0, max).join('');

async function corpusWords(): Promise<string[]> {
  const texts = await Promise.all(
    ['000_040ffcb4de1e558d', '001_05284ddf7004647a', '002_5e7becd5a67536c2', '003_6f8db47b0f1d15ed', '004_ef3c49121fa61ece'].map((id) =>
      readFile(path.join(CORPUS, `${id}.txt`), 'utf8'),
    ),
  );
  return [...new Set(texts.join(' ').match(/\p{L}{4,}/gu) ?? [])].sort();
}

interface Hostile {
  command: 'ask' | 'compare' | 'timeline';
  options: Record<string, string | number | boolean>;
  user: string;
}

function hostileBatch(count: number, words: string[]): Hostile[] {
  const r = prng(20250817);
  const users = Array.from({ length: 25 }, () => snowflake());
  const piece = () => (r.next() < 0.5 ? r.pick(words) : r.pick(FRAGMENTS));
  const question = (): string => {
    const kind = r.next();
    if (kind < 0.04) return r.pick(['', ' ', ' \t\n ', '\u200b\u200d\ufeff', '\u0000\u0001\u0007', '\u202e', '\n']);
    if (kind < 0.14) {
      // Long: between 450 and 1000 characters, around MAX_QUESTION_CHARS (500).
      const target = 450 + r.int(551);
      let q = '';
      while (Array.from(q).length < target) q += `${piece()} `;
      return clip(q, target);
    }
    return clip(Array.from({ length: 1 + r.int(6) }, piece).join(r.pick([' ', ' ', '', '\n', '\u200b'])));
  };
  return Array.from({ length: count }, (): Hostile => {
    const c = r.next();
    const user = r.pick(users);
    if (c < 0.075) return { command: 'compare', options: { topic: question() }, user };
    if (c < 0.15) return { command: 'timeline', options: { topic: question() }, user };
    const options: Hostile['options'] = { question: question() };
    if (r.next() < 0.3) options.results = 1 + r.int(10);
    if (r.next() < 0.1) options.private = r.next() < 0.5;
    if (r.next() < 0.1) options.outlet = clip(r.next() < 0.5 ? r.pick(['Testblatt', 'Nordkurier', 'wattenbote', 'Unbekannt']) : r.pick(FRAGMENTS), 100);
    if (r.next() < 0.1) options.since = r.pick(['2024-01-01', '2025-13-45', 'gestern', '@everyone', '', '2024-02-30', '0000-00-00', '١٢٣']);
    if (r.next() < 0.05) options.until = r.pick(['2024-12-31', '2023-01-01', '2025-02-29', '<@&123456789012345678>', ' ']);
    return { command: 'ask', options, user };
  });
}

// ------------------------------------------------------------------------------------------------

const recorded = recordingLog();
const unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => void unhandled.push(err);
let h: Harness;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  h = await startBot({ RATE_LIMIT_PER_MINUTE: '1000' }, { log: recorded.log, files: { 'testblatt-leserbriefe.md': MENTIONS } });
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await h?.close();
});

/** An unescaped `[text](https://…)`, which Discord renders as a link with text of the sender's choosing. */
const MASKED_LINK = /(?<!\\)\[[^\]\n]*\]\(<?https?:/;

const slash = (name: string, options: Record<string, string | number | boolean>, user?: string) =>
  h.discord.interact(h.discord.slashCommand({ name, options, ...(user ? { user: { id: user } } : {}) }));
const answered = (b: MessageBody) => (b.embeds?.length ?? 0) > 0;

describe('mentions in quoted news text', () => {
  it('are quoted as written, and the reply switches every mention off', async () => {
    const i = slash('ask', { question: 'Was schrieb der Zuhörer an die Tafel des Gemeinderats in Kleinhausen?' });
    const reply = await i.final({ match: answered });
    const shown = reply.embeds!.map((e) => e.description).join('\n');
    for (const mention of ['@everyone', '@here', '<@123456789012345678>', '<@&123456789012345678>']) expect(shown).toContain(mention);
    expect(reply.allowed_mentions).toEqual({ parse: [] });
    expect(h.discord.violations).toEqual([]);
  });

  it('in the question or an option are echoed without pinging, also in a private refusal', async () => {
    const asked = slash('ask', { question: '@everyone @here <@123456789012345678> <@&123456789012345678> Ratssitzung Kleinhausen' });
    const reply = await asked.final({ match: answered });
    expect(reply.content).toContain('@everyone');
    expect(reply.allowed_mentions).toEqual({ parse: [] });

    const refused = slash('ask', { question: 'Ratssitzung', since: '@everyone' });
    const callback = await refused.response();
    expect(callback).toMatchObject({ type: 4, data: { flags: 64, content: 'since must be a date like 2025-08-17 or 17.08.2025, not "@everyone".' } });
    expect(callback.data!.allowed_mentions).toEqual({ parse: [] });
    expect(h.discord.violations).toEqual([]);
  });
});

describe('markdown in the question', () => {
  it("is echoed as text: no masked link, spoiler, bold or code in the bot's own words", async () => {
    const question = '[Sicherheitsgarantien](https://evil.example/phish) ||Kreml|| **NATO** `Peskow`';
    const ask = await slash('ask', { question }).final({ match: answered });
    const compare = await slash('compare', { topic: question }).final({ match: answered });
    const timeline = await slash('timeline', { topic: question }).final({ match: answered });
    expect(ask.content).toMatch(/^\*\*Q:\*\* \\\[Sicherheitsgarantien\]\(https:\/\/evil\.example\/phish\) \\\|\\\|Kreml\\\|\\\| \\\*\\\*NATO\\\*\\\* \\`Peskow\\`/);
    for (const reply of [ask, compare, timeline]) expect(reply.content).not.toMatch(MASKED_LINK);
    expect(h.discord.violations).toEqual([]);
  });
});

describe('a generated batch of 1,000 hostile questions', () => {
  let batch: Array<Hostile & { i: InteractionHandle; reply: MessageBody }>;

  beforeAll(async () => {
    const inputs = hostileBatch(1000, await corpusWords());
    batch = [];
    for (let at = 0; at < inputs.length; at += 50) {
      const sent = inputs.slice(at, at + 50).map((input) => ({ ...input, i: slash(input.command, input.options, input.user) }));
      batch.push(...(await Promise.all(sent.map(async (s) => ({ ...s, reply: await s.i.final({ match: () => true, timeoutMs: 20_000 }) })))));
    }
  }, 120_000);

  it('are each acknowledged within 3 seconds', () => {
    const late = batch.filter((b) => b.i.ackMs === undefined || b.i.ackMs >= 3000);
    expect(late.map((b) => ({ options: b.options, ackMs: b.i.ackMs }))).toEqual([]);
  });

  it('each get an answer or a clear private refusal, never the apology', () => {
    const kinds = { answered: 0, refused: 0 };
    const wrong = batch.flatMap((b) => {
      if (b.i.callback!.type === 4) {
        kinds.refused++;
        const ok = b.i.callback!.data?.flags === 64 && /^(Please ask a question|Your question is \d+ characters long|since |until )/.test(b.reply.content ?? '');
        return ok ? [] : [{ options: b.options, reply: b.reply.content }];
      }
      kinds.answered++;
      const heading = { ask: '**Q:** ', compare: '**Compare:** ', timeline: '**Timeline:** ' }[b.command];
      return b.i.callback!.type === 5 && b.reply.content?.startsWith(heading) ? [] : [{ options: b.options, reply: b.reply.content }];
    });
    expect(wrong).toEqual([]);
    expect(batch.some((b) => b.reply.content === APOLOGY)).toBe(false);
    expect(batch.filter((b) => MASKED_LINK.test(b.reply.content ?? '')).map((b) => b.reply.content)).toEqual([]);
    // The batch exercises both paths in earnest.
    expect(kinds.answered).toBeGreaterThan(500);
    expect(kinds.refused).toBeGreaterThan(50);
    expect(batch.filter((b) => (b.reply.embeds?.length ?? 0) > 0).length).toBeGreaterThan(200);
  });

  it('never make the bot send a message that could ping or break a limit, and Discord saw no invalid request', () => {
    expect(sentMessages(h.discord).length).toBeGreaterThanOrEqual(1000);
    expectEveryMessageSafe(h.discord);
    expect(h.discord.violations).toEqual([]);
  });

  it('leave no error in the log, no unhandled rejection, and a bot that still answers', async () => {
    expect(recorded.errors()).toEqual([]);
    expect(unhandled).toEqual([]);
    const reply = await slash('ask', { question: 'Was sagte Peskow zu Sicherheitsgarantien?' }).final({ match: answered });
    expect(reply.embeds!.length).toBeGreaterThan(0);
  });
});

describe('everything this file made the bot send', () => {
  it('switches mentions off and fits Discord limits', () => {
    expect(expectEveryMessageSafe(h.discord)).toBeGreaterThan(1000);
    expect(h.discord.violations).toEqual([]);
  });
});
