import { describe, expect, it } from 'vitest';
import { candidateOrder, type Candidate } from '../../../index/search/retrieve.ts';

const candidate = (label: number, score: number, confidence: number) => ({ passage: { label }, score, confidence }) as unknown as Candidate;

describe('candidateOrder', () => {
  it('ranks by fused score, a tie by keyword rank, then by confidence', () => {
    const keywordRank = new Map([
      [1, 0],
      [2, 1],
    ]);
    // 1 and 2 tie on the fused score (each first in one ranking); 2 holds more of the question.
    const sorted = [candidate(2, 0.5, 0.6), candidate(3, 0.9, 0.1), candidate(1, 0.5, 0.4), candidate(4, 0.5, 0.9)].sort(candidateOrder(keywordRank, 50));
    expect(sorted.map((c) => c.passage.label)).toEqual([3, 1, 2, 4]);
  });
});
