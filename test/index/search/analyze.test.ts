import { describe, expect, it } from 'vitest';
import { analyze, spellingKey } from '../../../index/search/analyze.ts';
import { matches, termSet } from '../../../index/search/evidence.ts';
import { planQuery } from '../../../index/search/plan.ts';
import { relevanceWeights } from '../../../index/search/relevance.ts';

const shares = (a: string, b: string) => analyze(a).some((t) => new Set(analyze(b)).has(t));

describe('German-aware analysis', () => {
  it('folds case, umlauts and ß and stems inflections to one term', () => {
    expect(shares('Präsidenten', 'PRASIDENT')).toBe(true);
    expect(shares('Sicherheitsgarantien', 'Sicherheitsgarantie')).toBe(true);
    expect(shares('Straße', 'Strasse')).toBe(true);
  });

  it('indexes hyphenated compounds as parts and as a whole', () => {
    const terms = analyze('NATO-Beitritt');
    expect(terms).toEqual(expect.arrayContaining(['nato', 'beitritt', 'natobeitritt']));
    expect(shares('Nato-Beitritt', 'Beitritt')).toBe(true);
  });

  it('finds the head of a compound joined by a linking s', () => {
    expect(shares('Sicherheitsgarantien', 'Garantien')).toBe(true);
    expect(shares('Kremlsprecher', 'Sprecher')).toBe(true);
  });

  it("finds the dictionary's head of a compound without a linking s, but not its first part", () => {
    expect(shares('Kernprinzipien', 'Prinzipien')).toBe(true);
    expect(shares('Truppenaufmarsch', 'Aufmarsch')).toBe(true);
    expect(shares('Truppenaufmarsch', 'Truppen')).toBe(false);
  });

  it('keeps numbers and dates as tokens, and the year of a date', () => {
    expect(analyze('Am 26.01.2022 schossen sie 61 Drohnen ab')).toEqual(expect.arrayContaining(['26.01.2022', '2022', '61']));
  });

  it('drops German and English stop words and question words', () => {
    expect(analyze('Wer ist der die das and the who what')).toEqual([]);
  });

  it.each([
    ['Selenskij', 'Selenskyj', 'Zelensky'],
    ['Peskow', 'Peskov', 'Peskov'],
    ['Lawrow', 'Lavrov', 'Lavrov'],
    ['Kiew', 'Kyiv', 'Kiev'],
  ])('gives %s, %s and %s one spelling key', (a, b, c) => {
    expect(spellingKey(a)).toBe(spellingKey(b));
    expect(spellingKey(b)).toBe(spellingKey(c));
  });
});

describe('question words', () => {
  const vocab = (known: boolean) => ({ has: () => known, hasPrefix: () => known, idf: () => 1 });
  it('weighs unknown lower-case words less than unknown capitalised topic words', () => {
    const plan = planQuery('Wo fand die Inflation statt', vocab(false));
    const weight = Object.fromEntries(relevanceWeights(plan).words.map((w) => [w.word.word, w.weight]));
    expect(weight.Inflation).toBe(1);
    expect(weight.fand).toBeLessThan(1);
  });

  it('matches compounds from either end', () => {
    const [treffen] = planQuery('Treffen', vocab(true)).words;
    const [sicherheit] = planQuery('Sicherheit', vocab(true)).words;
    expect(matches(treffen!, termSet('das Krisentreffen in Genf'))).toBe(true);
    expect(matches(sicherheit!, termSet('rechtlich bindende Sicherheitsgarantien'))).toBe(true);
    expect(matches(treffen!, termSet('Betreff der Mail'))).toBe(false);
  });

  it("finds a compound's head where the stemmer cuts the compound and the head differently", () => {
    // Snowball: "Feuereinheiten" → "feuerein", "Einheiten" → "einheit"; the whole words still end alike.
    const [units] = planQuery('Einheiten', vocab(true)).words;
    expect(matches(units!, termSet('Bislang verlassen pro Jahr nur sechs Feuereinheiten das Werk.'))).toBe(true);
    // A head needs a first part of at least three letters before it.
    expect(matches(units!, termSet('Kleinheiten zählen nicht.'))).toBe(false);
  });
});
