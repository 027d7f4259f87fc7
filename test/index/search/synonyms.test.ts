import { describe, expect, it } from 'vitest';
import { readLexiconRecords } from '../../../index/search/lexicon-file.ts';
import { germanSynonyms, SYNONYMS_FILE } from '../../../index/search/synonyms.ts';

describe('German synonyms from OpenThesaurus', () => {
  it('finds the other words of a word’s synsets', () => {
    expect(germanSynonyms('Feuerpause')).toContain('Waffenruhe');
    expect(germanSynonyms('Waffenruhe')).toContain('Feuerpause');
    expect(germanSynonyms('Erweiterung')).toContain('Ausweitung');
    expect(germanSynonyms('Zusage')).toEqual(expect.arrayContaining(['Zusicherung', 'Versprechen']));
  });

  it('never lists the word itself, nor a word twice', () => {
    for (const word of ['Erweiterung', 'Zusage', 'Sicherheit', 'Reaktion']) {
      const synonyms = germanSynonyms(word);
      expect(synonyms.map((w) => w.toLowerCase())).not.toContain(word.toLowerCase());
      expect(new Set(synonyms).size).toBe(synonyms.length);
    }
  });

  it('matches regardless of case, umlauts kept, ß taken for ss', () => {
    expect(germanSynonyms('feuerpause')).toEqual(germanSynonyms('Feuerpause'));
    expect(germanSynonyms('FEUERPAUSE')).toEqual(germanSynonyms('Feuerpause'));
    expect(germanSynonyms('Äußerung')).toContain('Stellungnahme');
    expect(germanSynonyms('ÄUSSERUNG')).toEqual(germanSynonyms('Äußerung'));
  });

  it('lists smaller, more specific synsets first', () => {
    const withZusage = readLexiconRecords(SYNONYMS_FILE, 2).filter((synset) => synset.includes('Zusage'));
    expect(withZusage.length).toBeGreaterThan(1);
    const smallest = withZusage.reduce((a, b) => (b.length < a.length ? b : a)).filter((w) => w !== 'Zusage');
    expect(germanSynonyms('Zusage').slice(0, smallest.length)).toEqual(smallest);
  });

  it('keeps only single words in neutral register', () => {
    for (const word of ['Zusage', 'Erweiterung', 'Krieg', 'Geld', 'Polizei', 'sagen']) {
      for (const synonym of germanSynonyms(word)) expect(synonym).toMatch(/^\p{L}+(?:-\p{L}+)*$/u);
    }
    // The thesaurus marks "voll" for "satt" colloquial (ugs.) and "Fresse" for "Gesicht" vulgar (derb).
    expect(germanSynonyms('satt')).toContain('gesättigt');
    expect(germanSynonyms('satt')).not.toContain('voll');
    expect(germanSynonyms('Gesicht')).toContain('Angesicht');
    expect(germanSynonyms('Gesicht')).not.toContain('Fresse');
  });

  it('has nothing for unknown words, names, phrases and the empty string', () => {
    for (const word of ['Selenskyj', 'Peskow', 'Xyzzyquux', '', '   ', 'Einstellung der Kampfhandlungen']) {
      expect(germanSynonyms(word)).toEqual([]);
    }
  });

  it('answers again from memory with the same list', () => {
    expect(germanSynonyms('Angebot')).toBe(germanSynonyms('Angebot'));
  });
});
