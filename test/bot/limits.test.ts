/**
 * Discord's message limits with material that pushes against them: paragraphs of 3,000+ characters
 * (one of them a single sentence), ten results in one message, very long headlines and questions with
 * many key words. The quote must survive the squeeze: cut between words, never crowded out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type Harness } from '../support/bot-harness.ts';
import type { MessageBody } from '../support/fake-discord.ts';
import { bodyOf, customIdStarting, expectEveryMessageSafe, expectVerbatimWholeWords, limitProblems, markdownArticle, plainQuote, prng, recordingLog } from './helpers.ts';

// --- very long paragraphs ---------------------------------------------------------------------

const SUBJECTS = [
  'Der Landesbetrieb für Küstenschutz',
  'Die Deichbehörde in Husum',
  'Ein Sprecher des Küstenschutzes',
  'Die Gemeinde Büsum',
  'Das Umweltministerium in Kiel',
  'Der Deichverband Dithmarschen',
  'Die Bauleitung auf Pellworm',
  'Eine Expertin für Küstenschutz',
];
const PHRASES = [
  'verstärkt die Deiche gegen jede Sturmflut',
  'erhöht die Deiche vor der nächsten Sturmflut',
  'prüft die Deiche nach der Sturmflut',
  'plant neue Deiche gegen die schwere Sturmflut',
  'sichert die Deiche mit Klei gegen eine Sturmflut',
  'beobachtet die Deiche während der Sturmflut',
];
const CLAUSES = [
  'nachdem im Winter mehrere Sandbänke abgetragen worden waren',
  'weil der Meeresspiegel nach aktuellen Messungen schneller steigt',
  'obwohl die Kosten für Baustoffe deutlich gestiegen sind',
  'während Schafe auf den Deichkronen weiden',
  'bevor die Saison der Herbststürme beginnt',
  'wobei Anwohner über Baulärm und gesperrte Radwege klagen',
  'sodass die Arbeiten bis zum Frühjahr dauern dürften',
  'wie aus einem Bericht an den Landtag hervorgeht',
  'damit Halligen und Köge auch bei Orkan geschützt bleiben',
  'was Fachleute seit Jahren fordern',
  'nachdem Pegel in Cuxhaven und Emden neue Höchststände meldeten',
  'obwohl Naturschützer Eingriffe ins Wattenmeer kritisieren',
];

/** Articles whose paragraphs run to thousands of characters: many sentences, and one sentence of 3,000+ characters. */
function coastArticles(count: number): Record<string, string> {
  const r = prng(0xde1c4);
  const sentence = () => `${r.pick(SUBJECTS)} ${r.pick(PHRASES)}, ${r.pick(CLAUSES)}, und ${r.pick(CLAUSES)}.`;
  const many = () => {
    let p = '';
    while (p.length < 3200) p += `${p ? ' ' : ''}${sentence()}`;
    return p;
  };
  const files: Record<string, string> = {};
  for (let n = 0; n < count; n++) {
    let endless = `${r.pick(SUBJECTS)} ${r.pick(PHRASES)}`;
    while (endless.length < 3200) endless += `, ${r.pick(CLAUSES)} und ${r.pick(SUBJECTS).replace(/^(Der|Die|Das|Ein|Eine) /, (a) => a.toLowerCase())} ${r.pick(PHRASES)}`;
    files[`kueste-${n}.md`] = markdownArticle(
      { title: `Küstenschutz an der Nordsee, Teil ${n + 1}`, outlet: n % 2 ? 'Nordkurier' : 'Wattenbote', date: `2024-0${(n % 9) + 1}-15` },
      [many(), `${endless}.`, many()],
    );
  }
  return files;
}

// --- very long headlines, many key words ------------------------------------------------------

const WORDS =
  'Abgeordnete Ausschuss Beschluss Bundestag Bürgermeister Debatte Entwurf Fraktion Gemeinderat Gesetz Haushalt Initiative Kommission Landtag Minister Opposition Parlament Rathaus Regierung Sitzung Stadtrat Verwaltung Wahlkreis Zustimmung Antrag Etat Kanzler Koalition Mehrheit Novelle'.split(
    ' ',
  );
const LONG_QUESTION = `Was wurde zu ${WORDS.join(', ')} gesagt?`;

/** Eight articles with 250-character headlines, without outlet; half of them undated. */
function parliamentArticles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let n = 0; n < 8; n++) {
    const title = `Aus dem Parlament, Folge ${n + 1}: Was Abgeordnete, Ausschüsse, Fraktionen und die Verwaltung in der langen Sitzungswoche vor der Sommerpause über Haushalt, Gesetze und Anträge beraten haben, und was davon am Ende tatsächlich beschlossen worden ist`;
    files[`parlament-${n}.md`] = markdownArticle({ title, ...(n % 2 ? {} : { date: `2024-05-0${n + 1}` }) }, [
      WORDS.map((w, i) => `${w} Nummer ${n}${i} wurde besprochen.`).join(' '),
      WORDS.slice()
        .reverse()
        .map((w, i) => `Der ${w} tagte ${n}${i} mal.`)
        .join(' '),
    ]);
  }
  return files;
}

const COAST = coastArticles(6);
const PARLIAMENT = parliamentArticles();
const FILES = { ...COAST, ...PARLIAMENT };
const BODIES = new Map(Object.values(FILES).map((md) => [/title: "(.*)"/.exec(md)![1]!, bodyOf(md)]));
const COAST_TEXT = Object.values(COAST).map(bodyOf).join('\n\n');
const PARLIAMENT_TEXT = Object.values(PARLIAMENT).map(bodyOf).join('\n\n');

const recorded = recordingLog();
let h: Harness;
beforeAll(async () => {
  h = await startBot({ RATE_LIMIT_PER_MINUTE: '1000' }, { log: recorded.log, files: FILES });
});
afterAll(() => h?.close());

const slash = (name: string, options: Record<string, string | number>) => h.discord.interact(h.discord.slashCommand({ name, options }));
const answered = (b: MessageBody) => (b.embeds?.length ?? 0) > 0;
/** The quoted article text an embed shows, without markdown and ellipses. */
const quoted = (description: string) => plainQuote(description).replace(/…/g, '').trim();

describe('very long paragraphs', () => {
  it('fit ten results into one message, each cut at sentence or word boundaries with an ellipsis', async () => {
    const reply = await slash('ask', { question: 'Wie verstärkt der Küstenschutz die Deiche gegen die Sturmflut?', results: 10 }).final({ match: answered });
    expect(limitProblems(reply)).toEqual([]);
    expect(reply.embeds).toHaveLength(10);
    let cuts = 0;
    for (const embed of reply.embeds!) {
      const article = BODIES.get(embed.title!.replace(/^\d+\. /, ''));
      expect(article, embed.title).toBeDefined();
      expectVerbatimWholeWords(embed.description!, article!);
      expect(quoted(embed.description!).length).toBeGreaterThan(100);
      cuts += embed.description!.split('…').length - 1;
    }
    expect(cuts).toBeGreaterThanOrEqual(10); // the passages really were too long to show whole
    expect(h.discord.violations).toEqual([]);
  });

  it('cut the one-sentence paragraph of 3,000+ characters between words', async () => {
    const reply = await slash('ask', { question: 'Deichkronen Schafe Sandbänke Herbststürme Halligen Köge Küstenschutz Sturmflut', results: 10 }).final({ match: answered });
    expect(limitProblems(reply)).toEqual([]);
    for (const embed of reply.embeds!) expectVerbatimWholeWords(embed.description!, COAST_TEXT);
    // A passage of the endless sentence is shown (it is longer than any passage the splitter can make).
    expect(reply.embeds!.some((e) => plainQuote(e.description!).includes(' und '))).toBe(true);
    expect(h.discord.violations).toEqual([]);
  });

  it('fit in /compare and /timeline too', async () => {
    for (const name of ['compare', 'timeline']) {
      const reply = await slash(name, { topic: 'Küstenschutz Deiche Sturmflut' }).final({ match: answered });
      expect(limitProblems(reply)).toEqual([]);
      for (const embed of reply.embeds!) {
        expectVerbatimWholeWords(embed.description!, COAST_TEXT);
        expect(quoted(embed.description!).length).toBeGreaterThan(100);
      }
    }
    expect(h.discord.violations).toEqual([]);
  });
});

describe('very long headlines and a question with 30 key words', () => {
  it('still show a real quote in each of ten results, and every result the page announces', async () => {
    const i = slash('ask', { question: LONG_QUESTION, results: 10 });
    const reply = await i.final({ match: answered });
    expect(limitProblems(reply)).toEqual([]);
    const range = /\(results 1–(\d+) of (\d+)\)/.exec(reply.content!);
    expect(range).not.toBeNull();
    expect(reply.embeds).toHaveLength(Number(range![1]));
    expect(reply.embeds).toHaveLength(10);
    for (const embed of reply.embeds!) {
      expectVerbatimWholeWords(embed.description!, PARLIAMENT_TEXT);
      expect(quoted(embed.description!).length).toBeGreaterThan(50);
      expect(embed.footer!.text).toMatch(/\nMatches \d+ of \d+ key words: (\p{L}+, ){7}\p{L}+ and \d+ more$/u);
    }

    // The next page continues exactly where this one stopped.
    const more = customIdStarting(reply, 'page:', 'n')!;
    const next = (await h.discord.interact(h.discord.button({ customId: more, message: i })).response()).data!;
    expect(next.content).toContain(`(results 11–`);
    expect(next.embeds![0]!.title).toMatch(/^11\. /);
    expect(limitProblems(next)).toEqual([]);
    expect(h.discord.violations).toEqual([]);
  });

  it('still show real quotes in /compare and /timeline', async () => {
    for (const name of ['compare', 'timeline']) {
      const reply = await slash(name, { topic: LONG_QUESTION }).final({ match: answered });
      expect(limitProblems(reply)).toEqual([]);
      expect(reply.embeds!.length).toBeGreaterThanOrEqual(8);
      for (const embed of reply.embeds!) {
        expectVerbatimWholeWords(embed.description!, PARLIAMENT_TEXT);
        expect(quoted(embed.description!).length, `${name}: ${embed.description}`).toBeGreaterThan(50);
      }
    }
    expect(h.discord.violations).toEqual([]);
  });
});

describe('everything this file made the bot send', () => {
  it('switches mentions off and fits Discord limits, and nothing was logged as an error', () => {
    expect(expectEveryMessageSafe(h.discord)).toBeGreaterThanOrEqual(8);
    expect(recorded.errors()).toEqual([]);
    expect(h.discord.violations).toEqual([]);
  });
});
