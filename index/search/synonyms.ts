/**
 * German synonyms from OpenThesaurus (index/lexicon/synonyms-de.tsv, LGPL; see the README, "Lexical
 * data"), so that a question saying "Feuerpause" can find a passage saying "Waffenruhe". Only single
 * words of small synsets in neutral register are shipped (the rules are in the file's header), which
 * keeps the expansion precise; weighting and use in retrieval are the caller's business.
 */
import { lazy, readLexiconRecords } from './lexicon-file.ts';

export const SYNONYMS_FILE = 'synonyms-de.tsv';

/** The lookup key: lower case, ß as ss (ÄUSSERUNG, Äußerung and äusserung are one word). */
const keyOf = (word: string) => word.trim().toLowerCase().replace(/ß/g, 'ss');

/** Word key → the synsets it belongs to (each synset shared, as read from the file). */
const index = lazy(() => {
  const byWord = new Map<string, Array<readonly string[]>>();
  for (const synset of readLexiconRecords(SYNONYMS_FILE, 2)) {
    const frozen = Object.freeze(synset);
    for (const word of new Set(synset.map(keyOf))) {
      const sets = byWord.get(word);
      if (sets) sets.push(frozen);
      else byWord.set(word, [frozen]);
    }
  }
  return byWord;
});

const cache = new Map<string, readonly string[]>();
const NONE: readonly string[] = Object.freeze([]);

/**
 * The other words of the German word's synsets, in the thesaurus's spelling, smaller (more specific)
 * synsets first, each word once: germanSynonyms('Feuerpause') includes 'Waffenruhe'. Matching ignores
 * case and takes ß for ss; unknown words, phrases and the empty string give an empty list. Callers that
 * want fewer take the first few: the smallest synsets are the most specific.
 */
export function germanSynonyms(word: string): readonly string[] {
  const key = keyOf(word);
  const cached = cache.get(key);
  if (cached) return cached;
  const sets = index().get(key);
  if (!sets) return NONE;
  const seen = new Set([key]);
  const out: string[] = [];
  for (const synset of [...sets].sort((a, b) => a.length - b.length)) {
    for (const w of synset) {
      if (seen.has(keyOf(w))) continue;
      seen.add(keyOf(w));
      out.push(w);
    }
  }
  const result = Object.freeze(out);
  cache.set(key, result);
  return result;
}
