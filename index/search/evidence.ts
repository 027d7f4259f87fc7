/**
 * How well a passage answers a question, in terms that do not depend on the embedding model: which of
 * the question's content words (see plan.ts) it contains, weighted by how rare they are in the corpus.
 */
import { analyzeToken, SPELLING_KEY, tokenize } from './analyze.ts';
import type { PlanWord, Source } from './plan.ts';

/** The analyzed terms of a text, for matching question words against it. */
export function termSet(text: string): Set<string> {
  const terms = new Set<string>();
  for (const token of tokenize(text)) for (const term of analyzeToken(token)) terms.add(term);
  return terms;
}

/** Compounds found from a word's start ("Sicherheit" → "Sicherheitsgarantien"); shorter stems only match whole. */
const MIN_PREFIX_MATCH = 6;
/** A compound's head ("Treffen" in "Krisentreffen") needs a first part of at least this many letters. */
const MIN_FIRST_PART = 3;
const MIN_HEAD_MATCH = 5;

/**
 * A question word matches a passage term that is one of its alternatives, or a compound built on one:
 * "Sicherheit" in "Sicherheitsgarantien" (prefix), "Treffen" in "Krisentreffen", "Maschinen" (for "machines")
 * in "Fräsmaschinen" (suffix). A compound's guessed part is never extended this way.
 */
export function matches(word: PlanWord, terms: ReadonlySet<string>): boolean {
  return matchShare(word, terms) > 0;
}

/**
 * How strongly a text holds a question word: fully through the word itself or a glossary translation,
 * WEAK_SHARE through a weaker stand-in (a dictionary translation, a synonym, a compound's part), else 0.
 */
export function matchShare(word: PlanWord, terms: ReadonlySet<string>): number {
  let best = 0;
  for (const a of word.alternatives) {
    if (!terms.has(a.term)) continue;
    if (!isWeak(a.source)) return 1;
    best = WEAK_SHARE;
  }
  const [own, ...others] = word.alternatives;
  const ownKeys = word.alternatives.filter((a) => a.source === 'own' && a.term.startsWith(SPELLING_KEY)).map((a) => a.term);
  if (compoundMatch([own!.term, word.folded, ...ownKeys], terms)) return isWeak(own!.source) ? Math.max(best, WEAK_SHARE) : 1;
  if (
    compoundMatch(
      others.filter((a) => a.source === 'translation').map((a) => a.term),
      terms,
    )
  )
    return 1;
  if (
    best === 0 &&
    compoundMatch(
      others.filter((a) => a.source === 'dictionary' || a.source === 'synonym').map((a) => a.term),
      terms,
    )
  )
    return WEAK_SHARE;
  return best;
}

/** What a weaker stand-in counts, in relevance and familiarity, against the word itself. */
export const WEAK_SHARE = 0.5;
export const isWeak = (source: Source) => source === 'lookalike' || source === 'dictionary' || source === 'synonym' || source === 'part';

/** Whether a term of the text is a compound that starts or ends with one of these words. */
function compoundMatch(words: readonly string[], terms: ReadonlySet<string>): boolean {
  const unique = [...new Set(words)];
  const own = unique.filter((t) => t.length >= MIN_HEAD_MATCH && !t.startsWith(SPELLING_KEY));
  // Stems of a compound and of its head can differ ("Feuereinheiten" → "feuerein", "Einheiten" → "einheit"):
  // their spelling keys are of the whole words, so a head is found there too.
  const keys = unique.filter((t) => t.startsWith(SPELLING_KEY) && t.length > MIN_HEAD_MATCH);
  if (own.length === 0 && keys.length === 0) return false;
  const shortest = Math.min(...own.map((t) => t.length), ...keys.map((t) => t.length));
  for (const d of terms) {
    if (d.length <= shortest) continue;
    if (d.startsWith(SPELLING_KEY)) {
      for (const k of keys) if (d.length >= k.length + MIN_FIRST_PART && d.endsWith(k.slice(SPELLING_KEY.length))) return true;
      continue;
    }
    for (const t of own) {
      if ((t.length >= MIN_PREFIX_MATCH && d.startsWith(t)) || (d.length >= t.length + MIN_FIRST_PART && d.endsWith(t))) return true;
    }
  }
  return false;
}

export interface Coverage {
  /** Share of the question's weight that the text covers, 0…1. */
  readonly share: number;
  readonly matched: readonly PlanWord[];
}

export function coverage(words: readonly PlanWord[], terms: ReadonlySet<string>): Coverage {
  const total = words.reduce((s, w) => s + w.weight, 0);
  const matched = words.filter((w) => matches(w, terms));
  return { share: total > 0 ? matched.reduce((s, w) => s + w.weight, 0) / total : 0, matched };
}

/**
 * The words of a text that match the question, as they stand in it ("Waffenruhe" for "ceasefire"): what the
 * user is shown as evidence, so it never names a word the passage does not contain.
 */
export function matchedForms(words: readonly PlanWord[], text: string): string[] {
  const forms: string[] = [];
  const seen = new Set<string>();
  for (const token of tokenize(text)) {
    const key = token.toLowerCase();
    if (seen.has(key)) continue;
    const terms = new Set(analyzeToken(token));
    if (terms.size > 0 && words.some((w) => matches(w, terms))) {
      seen.add(key);
      forms.push(token);
    }
  }
  return forms;
}
