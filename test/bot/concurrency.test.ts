/** Many people at once: every interaction is acknowledged within Discord's 3 seconds and answered, also during a reindex. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type Harness } from '../support/bot-harness.ts';
import { snowflake, type InteractionHandle } from '../support/fake-discord.ts';
import { expectEveryMessageSafe, markdownArticle, prng, recordingLog } from './helpers.ts';

const QUESTIONS = [
  'Was sagte Peskow zu Sicherheitsgarantien?',
  'Wie viele Drohnen hat die ukrainische Luftwaffe abgeschossen?',
  'Bleibt die Tür der NATO für die Ukraine offen?',
  'What did the Kremlin say about security guarantees?',
  'Was hat Witkoff über Artikel 5 gesagt?',
  'Wie wird das Wetter morgen in Hamburg?',
];

/** Fifty different place names: ten beginnings × five endings. */
const STARTS = ['Alt', 'Neu', 'Ober', 'Unter', 'Hohen', 'Nieder', 'Kirch', 'Mühl', 'Rosen', 'Linden'];
const ENDS = ['dorf', 'stadt', 'heim', 'feld', 'bach'];
const TOPICS = ['Schwimmbad', 'Bahnhof', 'Radweg', 'Marktplatz', 'Feuerwache', 'Bibliothek', 'Kindergarten', 'Stadtpark'];
const VERBS = ['plant', 'saniert', 'eröffnet', 'erweitert', 'schließt', 'prüft'];

/** Fifty local-news articles, several paragraphs each, so that the reindex has real work to do. */
function generatedArticles(count: number): Record<string, string> {
  const r = prng(4242);
  const files: Record<string, string> = {};
  for (let n = 0; n < count; n++) {
    const place = `${STARTS[n % 10]}${ENDS[Math.floor(n / 10) % 5]}`;
    const paragraph = () =>
      Array.from(
        { length: 4 },
        () =>
          `Die Gemeinde ${place} ${r.pick(VERBS)} den ${r.pick(TOPICS)} für ${1 + r.int(90)} Millionen Euro, sagte ${r.pick(['der Bürgermeister', 'die Kämmerin', 'ein Sprecher'])} am ${r.pick(['Montag', 'Dienstag', 'Freitag'])}.`,
      ).join(' ');
    files[`lokal-${String(n).padStart(2, '0')}.md`] = markdownArticle(
      { title: `Neues aus ${place}`, outlet: r.pick(['Landbote', 'Kreisblatt']), date: `2024-${String(1 + (n % 12)).padStart(2, '0')}-0${1 + (n % 9)}` },
      Array.from({ length: 6 }, paragraph),
    );
  }
  return files;
}

const recorded = recordingLog();
let h: Harness;
beforeAll(async () => {
  h = await startBot({ RATE_LIMIT_PER_MINUTE: '1000' }, { log: recorded.log });
});
afterAll(() => h?.close());

/** 100 /ask interactions dispatched at once, from 20 different people. */
function askMany(count = 100): InteractionHandle[] {
  const users = Array.from({ length: 20 }, () => snowflake());
  return Array.from({ length: count }, (_, n) =>
    h.discord.interact(
      h.discord.slashCommand({ name: 'ask', options: { question: QUESTIONS[n % QUESTIONS.length]!, results: 1 + (n % 10) }, user: { id: users[n % users.length]! } }),
    ),
  );
}

async function expectAllAnswered(asks: InteractionHandle[]) {
  const replies = await Promise.all(asks.map((i) => i.final({ match: (b) => typeof b.content === 'string', timeoutMs: 20_000 })));
  expect(asks.map((i) => i.callback?.type)).toEqual(asks.map(() => 5));
  const slow = asks.filter((i) => i.ackMs === undefined || i.ackMs >= 3000).map((i) => i.ackMs);
  expect(slow).toEqual([]);
  for (const [n, reply] of replies.entries()) {
    expect(reply.content).toMatch(/^\*\*Q:\*\* /);
    if (n % QUESTIONS.length === QUESTIONS.length - 1) expect(reply.content).toContain('No relevant coverage');
    else {
      expect(reply.embeds!.length).toBeGreaterThan(0);
      expect(reply.embeds!.length).toBeLessThanOrEqual(1 + (n % 10));
    }
  }
  return replies;
}

describe('100 concurrent /ask interactions', () => {
  it('are all acknowledged within 3 s and all answered', async () => {
    await expectAllAnswered(askMany());
    expect(h.discord.violations).toEqual([]);
  });

  it('are all acknowledged within 3 s and answered while a reindex of 50 added articles runs', async () => {
    const added = generatedArticles(50);
    for (const [file, text] of Object.entries(added)) await writeFile(path.join(h.config.corpusDir, file), text);
    const place = /title: "Neues aus (.+)"/.exec(added['lokal-07.md']!)![1]!;
    const reindex = h.discord.interact(h.discord.slashCommand({ name: 'reindex', permissions: 1n << 5n }));
    expect((await reindex.response()).type).toBe(5);

    const asks = askMany();
    await Promise.all(asks.map((i) => i.response()));
    // Every one of them was acknowledged while the reindex was still running.
    expect(reindex.edits).toEqual([]);
    await expectAllAnswered(asks);

    const summary = (await reindex.final({ match: (b) => typeof b.content === 'string', timeoutMs: 60_000 })).content!;
    expect(summary).toContain('Articles: 50 added, 0 changed, 0 removed, 5 unchanged.');
    const after = await h.discord
      .interact(h.discord.slashCommand({ name: 'ask', options: { question: `Wie viele Millionen Euro gibt die Gemeinde ${place} aus?` } }))
      .final({ match: (b) => typeof b.content === 'string' });
    expect(after.embeds![0]!.title).toBe(`1. Neues aus ${place}`);
    expect(h.discord.violations).toEqual([]);
  });

  it('made the bot send only safe messages and log no errors', () => {
    expect(expectEveryMessageSafe(h.discord)).toBeGreaterThanOrEqual(200);
    expect(recorded.errors()).toEqual([]);
  });
});
