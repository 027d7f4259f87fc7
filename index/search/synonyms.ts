/**
 * German synonyms from OpenThesaurus (index/lexicon/synonyms-de.tsv, LGPL; see the README, "Lexical
 * data"), so that a question saying "Feuerpause" can find a passage saying "Waffenruhe". Only single
 * words of small synsets in neutral register are shipped (the rules are in the file's header), which
 * keeps the expansion precise; weighting and use in retrieval are the caller's business.
 */
import { lazy, readLexiconRecords } from './lexicon-file.ts';

export const SYNONYMS_FILE = 'synonyms-de.tsv';

/** The lookup key: lower case, ß as ss (ÄUSSERUNG, Äußerung and äusserung are one word). */
const keyOf = (word: string) => {
  const lower = word.trim().toLowerCase();
  return lower.includes('ß') ? lower.replace(/ß/g, 'ss') : lower;
};

/** The synsets (each a frozen list of words) and, per word key, the numbers of the synsets it is in. */
const index = lazy(() => {
  const synsets = readLexiconRecords(SYNONYMS_FILE, 2);
  const byWord = new Map<string, number[]>();
  synsets.forEach((synset, n) => {
    Object.freeze(synset);
    for (const word of synset) {
      const key = keyOf(word);
      const sets = byWord.get(key);
      if (!sets) byWord.set(key, [n]);
      else if (sets.at(-1) !== n) sets.push(n);
    }
  });
  return { synsets, byWord };
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
  const { synsets, byWord } = index();
  const numbers = byWord.get(key);
  if (!numbers) return NONE;
  const result = Object.freeze(
    otherWords(
      key,
      numbers.map((n) => synsets[n]!),
    ),
  );
  cache.set(key, result);
  return result;
}

/**
 * Synonyms of a German noun only: synsets holding it with its capital, tried as written and without a
 * plural ending ("Zusagen" → "Zusage"), so that the verb "zusagen" (passen, gefallen) does not stand in.
 */
export function nounSynonyms(noun: string): readonly string[] {
  const { synsets, byWord } = index();
  const forms = [noun, ...PLURAL_ENDINGS.filter((e) => noun.endsWith(e)).map((e) => noun.slice(0, -e.length))];
  for (const form of forms) {
    const key = keyOf(form);
    const held = (byWord.get(key) ?? []).map((n) => synsets[n]!).filter((set) => set.includes(form));
    if (held.length > 0) return otherWords(key, held);
  }
  return NONE;
}

/** The words of the synsets other than the word `key` stands for, smaller (more specific) synsets first, each word once. */
function otherWords(key: string, held: ReadonlyArray<readonly string[]>): string[] {
  const seen = new Set([key]);
  const out: string[] = [];
  for (const synset of [...held].sort((a, b) => a.length - b.length)) {
    for (const w of synset) {
      if (seen.has(keyOf(w))) continue;
      seen.add(keyOf(w));
      out.push(w);
    }
  }
  return out;
}

/** Endings of German plural (and genitive) noun forms, tried to find the thesaurus's singular. */
const PLURAL_ENDINGS = ['n', 'en', 'e', 's', 'es', 'er'];
