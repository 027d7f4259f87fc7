import { describe, expect, it } from 'vitest';
import { dictionaryGermanFor, expandQuestion, germanFor, glossaryGermanFor, looksEnglish, MAX_DICTIONARY_ADDED } from '../../../index/search/translate.ts';

describe('English → German keyword expansion', () => {
  it('finds German words for English news vocabulary, also for inflected forms and possessives', () => {
    expect(germanFor('ceasefire')).toContain('Waffenruhe');
    expect(germanFor('Kremlin')).toContain('Kreml');
    expect(germanFor("NATO's")).toEqual(germanFor('nato'));
    expect(germanFor('reasons')).toContain('Gründe');
    expect(glossaryGermanFor('starting')).toEqual(glossaryGermanFor('start'));
    expect(germanFor('starting')).toEqual(expect.arrayContaining([...glossaryGermanFor('start')]));
  });

  it('leaves German words alone, including those spelled like English ones', () => {
    for (const word of ['war', 'die', 'hat', 'Krieg', 'Sicherheitsgarantien']) expect(germanFor(word)).toEqual([]);
  });

  it('puts the hand-written glossary first and adds a capped number of dictionary words', () => {
    const own = glossaryGermanFor('withdrawal');
    expect(own).toContain('Abzug');
    const all = germanFor('withdrawal');
    expect(all.slice(0, own.length)).toEqual(own);
    expect(all.length - own.length).toBeGreaterThan(0);
    expect(all.length - own.length).toBeLessThanOrEqual(MAX_DICTIONARY_ADDED);
    for (const added of all.slice(own.length)) expect(dictionaryGermanFor('withdrawal')).toContain(added);
    expect(new Set(all.map((w) => w.toLowerCase())).size).toBe(all.length);
  });

  it('falls back to the Ding dictionary for words the glossary lacks, inflected forms too', () => {
    expect(glossaryGermanFor('renunciation')).toEqual([]);
    expect(germanFor('renunciation')).toContain('Verzicht');
    expect(germanFor('Renunciation')).toEqual(germanFor('renunciation'));
    expect(dictionaryGermanFor('reaffirmed')).toEqual(dictionaryGermanFor('reaffirm'));
    expect(dictionaryGermanFor('reaffirm')).toContain('bekräftigen');
  });

  it('adds nothing for English function words or for words that are German too', () => {
    for (const word of ['the', 'when', 'did', 'and', 'its', 'what', 'Minister', 'still', 'also', 'kind', 'rat', 'gift', 'Bundes']) {
      expect(dictionaryGermanFor(word), word).toEqual([]);
    }
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
