import { describe, expect, it } from 'vitest';
import { clearWinner, renderPage } from '../../bot/answer-view.ts';
import { translator } from '../../bot/i18n/i18n.ts';
import type { PagedAnswer } from '../../bot/pages.ts';
import type { Answer, Result } from '../../index/answer/answer.ts';

const passage = 'Der Kreml lehnt das ab. Peskow sagte, Sicherheitsgarantien seien Sache der Nato. Mehr sagte er nicht.';
// `coverage` is the share of the two key words the passage itself holds.
const result = (rank: number, coverage: number): Result => ({
  articleId: `a${rank}`,
  title: `Titel ${rank}`,
  outlet: 'Testblatt',
  author: null,
  date: '2025-08-17',
  url: null,
  paragraph: rank,
  citation: '',
  rank,
  score: 1 / rank,
  matchedWords: ['Peskow'],
  matchedKeyWords: ['Peskow', 'Sicherheitsgarantien'].slice(0, Math.floor(coverage * 2)),
  coverage,
  heading: null,
  passage,
  quote: passage.slice(24, 81),
  start: 0,
  end: passage.length,
  quoteStart: 24,
  quoteEnd: 81,
  alsoIn: [],
});
const entry = (answer: Answer): PagedAnswer => ({ ownerId: '1', answer, lang: 'en', pageSize: 5, isPrivate: true, command: 'ask', filtered: false, view: { offset: 0, size: 5 } });
const base = { question: 'Was sagte Peskow?', keyWords: ['Peskow', 'Sicherheitsgarantien'], semantic: true, closest: [] };

describe('an answer page', () => {
  it('labels the closest passages, when nothing answers, as possibly not answering', () => {
    const answer = { ...base, results: [], closest: [result(1, 0.5)] } as Answer;
    for (const [lang, note, label] of [
      ['en', 'These passages may not answer your question.', 'May not answer your question'],
      ['de', 'Diese Passagen beantworten Ihre Frage möglicherweise nicht.', 'Beantwortet Ihre Frage möglicherweise nicht'],
    ] as const) {
      const page = renderPage(translator(lang), { ...entry(answer), lang }, { offset: 0, size: 5 }, { id: 'x' });
      expect(page.content).toContain(note);
      expect(page.embeds).toHaveLength(1);
      expect(page.embeds[0]!.footer!.text.split('\n')[1]).toBe(label);
    }
  });

  it('says there is nothing when there are neither results nor closest passages', () => {
    const page = renderPage(translator('en'), entry({ ...base, results: [] }), { offset: 0, size: 5 }, { id: 'x' });
    expect(page.content).toContain('No relevant coverage found');
    expect(page.embeds).toEqual([]);
    expect(page.components).toEqual([]);
  });

  it('is compact only when one passage holds every key word and the others hold few', () => {
    expect(clearWinner({ ...base, results: [result(1, 1), result(2, 0.5)] })).toBe(true);
    expect(clearWinner({ ...base, results: [result(1, 1), result(2, 1)] })).toBe(false);
    expect(clearWinner({ ...base, results: [result(1, 0.9), result(2, 0.2)] })).toBe(false);
  });
});
