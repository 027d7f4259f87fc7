import { describe, expect, it } from 'vitest';
import { summarise, toEvalQuestions, type FeedbackLine } from '../../bot/feedback.ts';

const line = (question: string, verdict: FeedbackLine['verdict'], locale = 'en-US', articleId = '002_5e7becd5a67536c2'): FeedbackLine => ({
  format: 1,
  time: '2026-01-01T00:00:00.000Z',
  command: 'ask',
  question,
  locale,
  verdict,
  passages: [
    { articleId: 'other', paragraph: 3, rank: 2, quote: 'Zweiter Satz.' },
    { articleId, paragraph: 12, rank: 1, quote: 'Wie die ukrainische Luftwaffe mitteilte, seien 61 der Drohnen abgeschossen worden.' },
  ],
});

describe('feedback', () => {
  it('is summarised by verdict, language and the passages called wrong', () => {
    const s = summarise([line('Drohnen?', 'helpful'), line('Drohnen?', 'wrong', 'de'), line('Peskow?', 'wrong', 'de')]);
    expect(s).toMatchObject({ clicks: 3, helpful: 1, wrong: 2, questions: 2, byLocale: { 'en-US': 1, de: 2 } });
    expect(s.wrongPassages[0]).toEqual({ articleId: '002_5e7becd5a67536c2', paragraph: 12, count: 2 });
  });

  it('turns helpful answers into eval questions whose gold is the first passage shown', () => {
    const exported = toEvalQuestions([line('How many drones were shot down?', 'helpful'), line('Wer ist Kosak?', 'wrong', 'de')]);
    expect(exported.questions).toEqual([
      {
        id: 'F001',
        lang: 'en',
        q: 'How many drones were shot down?',
        gold: [{ doc: '002_5e7becd5a67536c2', contains: ['Wie die ukrainische Luftwaffe mitteilte, seien 61 der Drohnen abgeschossen worden.'] }],
      },
    ]);
    expect(exported.review.map((r) => [r.id, r.lang, r.q, r.wrong.map((w) => w.doc)])).toEqual([['R001', 'de', 'Wer ist Kosak?', ['002_5e7becd5a67536c2', 'other']]]);
  });
});
