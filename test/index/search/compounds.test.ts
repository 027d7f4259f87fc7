import { describe, expect, it } from 'vitest';
import { MIN_PART, splitCompound } from '../../../index/search/compounds.ts';

describe('dictionary-based decompounding', () => {
  it('splits German compounds into known words, linking elements removed', () => {
    expect(splitCompound('Abkommensentwurf')).toEqual(['abkommen', 'entwurf']);
    expect(splitCompound('Sicherheitszusagen')).toEqual(['sicherheit', 'zusagen']);
    expect(splitCompound('Sicherheitsgarantien')).toEqual(['sicherheit', 'garantien']);
    expect(splitCompound('Friedensverhandlungen')).toEqual(['frieden', 'verhandlungen']);
    expect(splitCompound('Kremlsprecher')).toEqual(['kreml', 'sprecher']);
    expect(splitCompound('Bundesregierung')).toEqual(['bund', 'regierung']);
    expect(splitCompound('Beitrittsgespräche')).toEqual(['beitritt', 'gespräche']);
  });

  it('takes a part written without its final -e for the dictionary word (Grenz|stadt)', () => {
    expect(splitCompound('Grenzstadt')).toEqual(['grenze', 'stadt']);
    expect(splitCompound('Pressesprecher')).toEqual(['presse', 'sprecher']);
    expect(splitCompound('Hilfsgüter')).toEqual(['hilfe', 'güter']);
  });

  it('prefers a part as written to one with a restored -e (West|balkan, not Weste)', () => {
    expect(splitCompound('Westbalkan')).toEqual(['west', 'balkan']);
  });

  it('splits into more than two parts, preferring the fewest', () => {
    expect(splitCompound('Friedensnobelpreisträger')).toEqual(['frieden', 'nobelpreis', 'träger']);
    expect(splitCompound('Waffenruheabkommen')).toEqual(['waffenruhe', 'abkommen']);
  });

  it('splits a compound the dictionary knows as a whole, but not a name into look-alike parts', () => {
    expect(splitCompound('Waffenstillstand')).toEqual(['waffe', 'stillstand']);
    expect(splitCompound('Russland')).toEqual([]);
  });

  it('keeps umlauts and ß, and ignores case', () => {
    expect(splitCompound('Straßensperre')).toEqual(['straße', 'sperre']);
    expect(splitCompound('ÄRZTETEAMS')).toEqual(['ärzte', 'teams']);
    expect(splitCompound('sicherheitszusagen')).toEqual(splitCompound('Sicherheitszusagen'));
  });

  it('leaves simple words, derivations and look-alikes alone', () => {
    for (const word of ['Verhandlungen', 'Unterstützung', 'Vereinbarung', 'Beitritt', 'Erweiterung', 'Botschaft']) {
      expect(splitCompound(word), word).toEqual([]);
    }
    // Not nouns, though Folge + ende and Verein + bart are words.
    expect(splitCompound('folgende')).toEqual([]);
    expect(splitCompound('vereinbart')).toEqual([]);
    // "ionen" is a noun (Ionen) but mostly an ending: Diskuss|ionen is no compound.
    expect(splitCompound('Diskussionen')).toEqual([]);
  });

  it('has nothing for short words, parts shorter than MIN_PART, names, unknown words and non-words', () => {
    expect(MIN_PART).toBe(4);
    for (const word of ['', 'Öl', 'Krieg', 'Ölpreis', 'Gaspreis', 'Bundestag', 'Selenskyj', 'Wolodymyr', 'Xyzzyquuxblorf', 'NATO-Beitritt', '2022', 'Sicherheits zusagen']) {
      expect(splitCompound(word), word).toEqual([]);
    }
    expect(splitCompound('a'.repeat(200))).toEqual([]);
  });

  it('returns every part at least MIN_PART letters long, spelling out the word in order', () => {
    for (const word of ['Abkommensentwurf', 'Verteidigungsministerium', 'Gefangenenaustausch', 'Marschflugkörpern']) {
      const parts = splitCompound(word);
      expect(parts.length, word).toBeGreaterThan(1);
      for (const part of parts) expect(part.length).toBeGreaterThanOrEqual(MIN_PART);
      expect(word.toLowerCase().endsWith(parts.at(-1)!)).toBe(true);
    }
  });
});
