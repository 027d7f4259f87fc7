import { describe, expect, it } from 'vitest';
import { firstHit, isHit, score, type Outcome } from '../../index/eval/metrics.ts';

const gold = [{ doc: '001', contains: ['Krisentreffen in Genf'] }];

describe('eval metrics', () => {
  it('counts a hit only for a passage of a gold article containing a gold substring, ignoring case and spacing', () => {
    expect(isHit({ articleId: '001_abc', passage: 'Bei einem  KRISENTREFFEN\nin Genf am Freitag' }, gold)).toBe(true);
    expect(isHit({ articleId: '002_abc', passage: 'Krisentreffen in Genf' }, gold)).toBe(false);
    expect(isHit({ articleId: '001_abc', passage: 'Krisentreffen in Paris' }, gold)).toBe(false);
  });

  it('computes hit@k, MRR and abstention over answerable and negative questions', () => {
    const q = (id: string, g = gold) => ({ id, lang: 'de', q: id, gold: g });
    const outcomes: Outcome[] = [
      { question: q('a'), results: [{ articleId: '001_x', passage: 'Krisentreffen in Genf' }], ms: 1 },
      {
        question: q('b'),
        results: [
          { articleId: '002_x', passage: 'x' },
          { articleId: '001_x', passage: 'krisentreffen in genf' },
        ],
        ms: 3,
      },
      { question: q('c'), results: [], ms: 2 },
      { question: { id: 'n', lang: 'de', q: 'n' }, results: [], ms: 1 },
    ];
    expect(firstHit(outcomes[1]!.results, gold)).toBe(2);
    expect(score(outcomes)).toMatchObject({ answerable: 3, negatives: 1, hitAt1: 0.333, hitAt5: 0.667, mrrAt10: 0.5, abstentionRate: 1, falseAbstentionRate: 0.333 });
  });
});
