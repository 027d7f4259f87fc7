import { describe, expect, it } from 'vitest';
import { expandQuestion, germanFor, looksEnglish } from '../../../index/search/translate.ts';

describe('English → German keyword expansion', () => {
  it('finds German words for English news vocabulary, also for inflected forms and possessives', () => {
    expect(germanFor('ceasefire')).toContain('Waffenruhe');
    expect(germanFor('Kremlin')).toContain('Kreml');
    expect(germanFor("NATO's")).toEqual(germanFor('nato'));
    expect(germanFor('reasons')).toContain('Gründe');
    expect(germanFor('starting')).toEqual(germanFor('start'));
  });

  it('leaves German words alone, including those spelled like English ones', () => {
    for (const word of ['war', 'die', 'hat', 'Krieg', 'Sicherheitsgarantien']) expect(germanFor(word)).toEqual([]);
  });

  it('adds the German words to the question for the keyword index', () => {
    expect(expandQuestion('ceasefire talks')).toMatch(/^ceasefire talks .*Waffenruhe/);
    expect(expandQuestion('Wer ist Peskow?')).toBe('Wer ist Peskow?');
  });

  it('tells English questions from German ones by their function words', () => {
    expect(looksEnglish('What did the Kremlin say about the talks?')).toBe(true);
    expect(looksEnglish('Was sagte der Kreml über die Gespräche?')).toBe(false);
  });
});
