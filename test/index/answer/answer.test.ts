import { describe, expect, it } from 'vitest';
import { articleFilter, cleanQuestion, composeResults, isNearDuplicate } from '../../../index/answer/answer.ts';
import { formatCitation } from '../../../index/answer/cite.ts';
import { selectQuote } from '../../../index/answer/quote.ts';
import { compareOutlets, timeline } from '../../../index/answer/views.ts';
import { isQuotedeskError } from '../../../index/errors.ts';
import type { Candidate } from '../../../index/search/retrieve.ts';
import { planQuery } from '../../../index/search/plan.ts';
import type { StoredArticle } from '../../../index/store/format.ts';

const article = (id: string, extra: Partial<StoredArticle> = {}): StoredArticle => ({ id, file: `${id}.md`, text: '', hash: id, ...extra });

function candidate(id: string, text: string, score: number, extra: Partial<StoredArticle> = {}): Candidate {
  const a = article(id, { ...extra, text: `Titel\n\n${text}` });
  return { passage: { articleId: id, paragraph: 1, start: 7, end: 7 + text.length, label: score * 1000, textHash: text }, article: a, text, score, confidence: 1, matched: [] };
}

function queryWords(question: string) {
  return planQuery(question, { has: () => true, hasPrefix: () => true, idf: () => 1 }).words;
}

describe('cleanQuestion', () => {
  it('refuses empty, invisible-only and over-long questions with coded user errors', () => {
    for (const q of ['', '   ', '\u200b\u200d\u0007']) {
      const err = (() => {
        try {
          cleanQuestion(q, 100);
        } catch (e) {
          return e;
        }
      })();
      expect(isQuotedeskError(err, 'QUESTION_EMPTY') && err.isUserError).toBe(true);
    }
    expect(() => cleanQuestion('x'.repeat(101), 100)).toThrow(/101 characters/);
    expect(cleanQuestion('  Wer\u200b ist\n Peskow? ', 100)).toBe('Wer ist Peskow?');
  });
});

describe('articleFilter', () => {
  it('filters by outlet (any case) and inclusive date range, leaving out undated articles', () => {
    const f = articleFilter({ outlet: 'Tagesschau', since: '2022-01-01', until: '2022-12-31' })!;
    expect(f(article('a', { outlet: 'tagesschau', date: '2022-01-26T19:50' }))).toBe(true);
    expect(f(article('b', { outlet: 'tagesschau', date: '2023-01-01' }))).toBe(false);
    expect(f(article('c', { outlet: 'ntv', date: '2022-05-01' }))).toBe(false);
    expect(f(article('d', { outlet: 'tagesschau' }))).toBe(false);
    expect(articleFilter({})).toBeUndefined();
    expect(() => articleFilter({ since: '2023-01-01', until: '2022-01-01' })).toThrow(/after/);
  });
});

describe('composeResults', () => {
  const agency = 'Die Nachrichtenagentur meldet, dass die Gespräche in Genf am Freitag ohne Ergebnis endeten und fortgesetzt werden sollen.';
  it('folds near-identical agency copy into one result naming every outlet', () => {
    const results = composeResults([candidate('a', agency, 3, { outlet: 'Blatt A' }), candidate('b', agency.replace('Freitag', 'Freitagabend'), 2, { outlet: 'Blatt B' })], [], {
      maxQuestionChars: 500,
      maxPerArticle: 2,
    });
    expect(results).toHaveLength(1);
    expect(results[0]!.outlet).toBe('Blatt A');
    expect(results[0]!.alsoIn.map((s) => s.outlet)).toEqual(['Blatt B']);
  });

  it('caps passages per article and ranks the rest in order', () => {
    const results = composeResults(
      [candidate('a', 'Eins ist hier.', 5), candidate('a', 'Zwei ist da.', 4), candidate('a', 'Drei ist dort.', 3), candidate('b', 'Vier ist weg.', 2)],
      [],
      { maxQuestionChars: 500, maxPerArticle: 2 },
    );
    expect(results.map((r) => [r.rank, r.articleId, r.passage])).toEqual([
      [1, 'a', 'Eins ist hier.'],
      [2, 'a', 'Zwei ist da.'],
      [3, 'b', 'Vier ist weg.'],
    ]);
  });

  it('does not fold passages that merely share a topic', () => {
    expect(isNearDuplicate(agency, 'Die Gespräche in Genf sollen fortgesetzt werden, sagte der Minister am Montag in Berlin.')).toBe(false);
  });
});

describe('selectQuote', () => {
  it('marks the one or two sentences that hold the question words, as offsets into the passage', () => {
    const passage = 'Der Tag begann ruhig. Nach Angaben der Armee wurden 61 der Drohnen abgeschossen. Das Wetter war gut. Später kam Regen.';
    const words = queryWords('Wie viele Drohnen wurden abgeschossen?');
    const q = selectQuote(passage, words);
    expect(passage.slice(q.start, q.end)).toBe('Nach Angaben der Armee wurden 61 der Drohnen abgeschossen.');
  });

  it('falls back to the first sentence when no word matches', () => {
    const q = selectQuote('Erster Satz. Zweiter Satz.', queryWords('banana'));
    expect([q.start, q.end]).toEqual([0, 12]);
  });
});

describe('formatCitation', () => {
  it('shows what is known and leaves out what is not', () => {
    expect(formatCitation({ id: 'x', title: 'T', outlet: 'O', date: '2022-01-26T19:50' }, 4)).toBe('O · T · 2022-01-26 19:50 · ¶ 4');
    expect(formatCitation({ id: '003_abc' }, 2)).toBe('003_abc · ¶ 2');
  });
});

describe('views', () => {
  const results = composeResults(
    [
      candidate('a', 'Erstens über Genf.', 5, { outlet: 'Blatt A', date: '2024-05-01' }),
      candidate('b', 'Zweitens über Genf.', 4, { outlet: 'Blatt A', date: '2022-01-01' }),
      candidate('c', 'Drittens über Genf.', 3, { date: '2023-03-03', title: 'Ohne Outlet' }),
      candidate('d', 'Viertens über Genf.', 2),
    ],
    [],
    { maxQuestionChars: 500, maxPerArticle: 1 },
  );

  it('compare shows each outlet once with its best passage and names the silent outlets', () => {
    const view = compareOutlets(results, [article('a', { outlet: 'Blatt A' }), article('z', { outlet: 'Blatt Z' }), article('c')]);
    expect(view.outlets.map((o) => [o.label, o.best.articleId])).toEqual([
      ['Blatt A', 'a'],
      ['Ohne Outlet', 'c'],
      ['d', 'd'],
    ]);
    expect(view.silent).toEqual(['Blatt Z']);
  });

  it('timeline orders dated passages oldest first and keeps undated ones apart', () => {
    const t = timeline(results);
    expect(t.dated.map((r) => r.date)).toEqual(['2022-01-01', '2023-03-03', '2024-05-01']);
    expect(t.undated.map((r) => r.articleId)).toEqual(['d']);
  });
});

describe('selectQuote across languages', () => {
  it('marks the sentence closest in meaning when no sentence shares a word with the question', () => {
    const passage = 'Erster Satz hier. Zweiter Satz dort. Dritter Satz da.';
    const q = selectQuote(passage, queryWords('banana bread'), [0.1, 0.9, 0.3]);
    expect(passage.slice(q.start, q.end)).toBe('Zweiter Satz dort.');
  });
});
