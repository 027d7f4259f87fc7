/**
 * How well a passage answers a question, in terms that do not depend on the embedding model: which of
 * the question's content words it contains, weighted by how rare they are in the corpus.
 */
import { analyze, analyzeToken, foldWord, SPELLING_KEY, tokenize } from './analyze.ts';
import { germanFor, looksEnglish } from './translate.ts';

export interface QueryWord {
  /** The word as the user wrote it. */
  readonly word: string;
  readonly terms: readonly string[];
  /** Lower-cased, umlaut-folded, unstemmed: stemming can shorten a word past use as a prefix ("Sicherheit" → "sich"). */
  readonly folded: string;
  /** Rarity in the corpus: rare words say more about what is being asked. */
  readonly weight: number;
}

/**
 * A word no passage contains is the strongest hint that the corpus cannot answer — when it names the
 * topic ("Inflation", "Hamburg", "FIFA"). Lower-case words missing from the corpus are mostly verbs and
 * phrasing ("fand … statt", "won") and say little; they get a fraction of the weight.
 */
export const UNSEEN_LOWERCASE_WEIGHT = 0.25;

export function queryWords(question: string, idf: (term: string) => number, isKnown: (term: string) => boolean): QueryWord[] {
  // English nouns are lower case, so there the case of an unknown word tells nothing.
  const english = looksEnglish(question);
  const seen = new Set<string>();
  const words: QueryWord[] = [];
  // The parts of a hyphenated compound count separately ("Ukraine-Beauftragte"): otherwise its common
  // part ("Ukraine") alone would make every passage look like a full match.
  for (const word of tokenize(question).flatMap((t) => (/^[\p{L}-]+$/u.test(t) ? t.split('-').filter(Boolean) : [t]))) {
    const own = analyzeToken(word);
    if (own.length === 0 || seen.has(own[0]!)) continue;
    seen.add(own[0]!);
    const translations = germanFor(word).map(analyze).filter((t) => t.length > 0);
    const terms = [...new Set([...own, ...translations.flat()])];
    // A concept is as common as its most common known wording ("NATO" = "nato", not the rare "Bündnis").
    const known = [own[0]!, ...translations.map((t) => t[0]!)].filter(isKnown);
    const weight = known.length ? Math.min(...known.map(idf)) : idf(own[0]!);
    const topical = known.length > 0 || english || /^\p{Lu}|\d/u.test(word);
    words.push({ word, terms, folded: foldWord(word), weight: topical ? weight : weight * UNSEEN_LOWERCASE_WEIGHT });
  }
  return words;
}

/** The analyzed terms of a text, for matching question words against it. */
export function termSet(text: string): Set<string> {
  const terms = new Set<string>();
  for (const token of tokenize(text)) for (const term of analyzeToken(token)) terms.add(term);
  return terms;
}

/**
 * A question word matches a passage term that is the same, or a compound built on it: "Sicherheit" in
 * "Sicherheitsgarantien" (prefix), "Treffen" in "Krisentreffen" (suffix). Short stems only match whole.
 */
export function matches(word: QueryWord, terms: ReadonlySet<string>): boolean {
  for (const t of [...word.terms, word.folded]) {
    if (terms.has(t)) return true;
    if (t.length < 5 || t.startsWith(SPELLING_KEY)) continue;
    for (const d of terms) if ((t.length >= 6 && d.startsWith(t)) || (d.length >= t.length + 3 && d.endsWith(t))) return true;
  }
  return false;
}

/** Share of the question's weight that the text covers, 0…1. */
export function coverage(words: readonly QueryWord[], terms: ReadonlySet<string>): { share: number; matched: QueryWord[] } {
  const total = words.reduce((s, w) => s + w.weight, 0);
  const matched = words.filter((w) => matches(w, terms));
  return { share: total > 0 ? matched.reduce((s, w) => s + w.weight, 0) / total : 0, matched };
}
