import { describe, expect, it } from 'vitest';
import { hasQuantity } from '../../../index/search/answer-type.ts';
import { termSet } from '../../../index/search/evidence.ts';
import { planQuery } from '../../../index/search/plan.ts';
import { confidence, GATE, relevanceWeights } from '../../../index/search/relevance.ts';

// Every term known, every idf 1: the weights are then the kind factors alone.
const allKnown = { has: () => true, hasPrefix: () => true, idf: () => 1 };
const known = (words: string[]) => ({ has: (t: string) => words.includes(t), hasPrefix: () => false, idf: () => 1 });

describe('relevance gate', () => {
  it('counts a passage relevant exactly when it holds the threshold share of the weighted question', () => {
    // Four topic words (weight 1 each) and two known phrasing words (GATE.knownPhrasing each).
    const weights = relevanceWeights(planQuery('Wo traf Lawrow Blinken heimlich in Genf und Paris', allKnown));
    const total = 4 + GATE.knownPhrasing * 2;
    const one = confidence(weights, { text: termSet('Lawrow') });
    expect(one.confidence).toBeCloseTo(1 / total, 6);
    expect(one.matched.map((w) => w.word)).toEqual(['Lawrow']);
    expect(confidence(weights, { text: termSet('Lawrow und Blinken') }).confidence).toBeCloseTo(2 / total, 6);
    expect(1 / total < GATE.minConfidence && 2 / total >= GATE.minConfidence).toBe(true);
  });

  it('makes a question about a topic the corpus never names unfamiliar, and one in its vocabulary familiar', () => {
    const vocab = known(['grad', 'ofen']);
    expect(relevanceWeights(planQuery('Wie lange muss ein Rinderbraten bei 160 Grad in den Ofen?', vocab)).familiarity).toBeLessThan(GATE.minFamiliarity);
    expect(relevanceWeights(planQuery('Wie heiß wird der Ofen bei Grad?', vocab)).familiarity).toBeGreaterThanOrEqual(GATE.minFamiliarity);
  });

  it('weighs unknown phrasing far below an unknown topic word', () => {
    const plan = planQuery('Who is tagging along with Zelensky', known([]));
    const weight = Object.fromEntries(relevanceWeights(plan).words.map((w) => [w.word.word, w.weight]));
    expect(weight.tagging).toBeCloseTo(GATE.unknownPhrasing * plan.words.find((w) => w.word === 'tagging')!.weight, 6);
    expect(weight.Zelensky).toBeGreaterThan(weight.tagging!);
  });

  it('sees an amount in digits and number words, not in years and dates', () => {
    expect(hasQuantity('Russland griff mit 61 Drohnen an.')).toBe(true);
    expect(hasQuantity('Es waren dreizehn Raketen.')).toBe(true);
    expect(hasQuantity('Im Jahr 2022, am 26.01.2022, sprach er.')).toBe(false);
    expect(hasQuantity('Ein Soldat sprach.')).toBe(false);
  });
});
