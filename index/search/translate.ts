/**
 * Cross-language keyword search: the German words a news article would use for an English question
 * word. Without a multilingual embedding model this is what lets "ceasefire" find "Waffenruhe".
 * Two sources (see the README, "Lexical data"): the hand-written glossary first, then the Ding
 * dictionary for words the glossary lacks and, capped, beside the glossary's words.
 */
import { lazy, readLexiconTable } from './lexicon-file.ts';

/** The hand-written glossary (index/lexicon/glossary-en-de.tsv, its rules in its header): key → German words. */
export const GLOSSARY_FILE = 'glossary-en-de.tsv';
/** English → German words from the Ding dictionary (index/lexicon/dictionary-en-de.tsv), after the glossary. */
export const DICTIONARY_FILE = 'dictionary-en-de.tsv';
/** At most this many dictionary words join a word the glossary knows: its own words are the precise ones. */
export const MAX_DICTIONARY_ADDED = 2;

/** Key → German words of one file; the words of an entry are split out when first asked for. */
class Table {
  readonly #raw: () => Map<string, string>;
  readonly #parsed = new Map<string, readonly string[]>();
  constructor(file: string) {
    this.#raw = lazy(() => readLexiconTable(file));
  }
  get(key: string): readonly string[] | undefined {
    const parsed = this.#parsed.get(key);
    if (parsed) return parsed;
    const raw = this.#raw().get(key);
    if (raw === undefined) return undefined;
    const words = Object.freeze(raw.split('\t'));
    this.#parsed.set(key, words);
    return words;
  }
}
const glossary = new Table(GLOSSARY_FILE);
const dictionary = new Table(DICTIONARY_FILE);

/** English inflections back to a listed form: "starting" → "start", "lifted" → "lift", "ministers" → "minister". */
const BASE_FORMS: Array<[RegExp, string]> = [
  [/ies$/, 'y'],
  [/ied$/, 'y'],
  [/ing$/, ''],
  [/ing$/, 'e'],
  [/ed$/, ''],
  [/ed$/, 'e'],
  [/es$/, ''],
  [/s$/, ''],
];

const NONE: readonly string[] = Object.freeze([]);

/** The entry for the word or, failing that, for the first of its base forms that has one. */
function lookUp(entries: Table, word: string): readonly string[] {
  const key = word.toLowerCase().replace(/['’]s$/, '');
  const direct = entries.get(key);
  if (direct) return direct;
  if (!/^[a-z]{4,}$/.test(key)) return NONE;
  for (const [suffix, replacement] of BASE_FORMS) {
    if (!suffix.test(key)) continue;
    const found = entries.get(key.replace(suffix, replacement));
    if (found) return found;
  }
  return NONE;
}

/** The hand-written glossary's German words for an English word (inflected forms and possessives too). */
export function glossaryGermanFor(word: string): readonly string[] {
  return lookUp(glossary, word);
}

/** The Ding dictionary's German words for an English word, best first (at most four). */
export function dictionaryGermanFor(word: string): readonly string[] {
  return lookUp(dictionary, word);
}

const cache = new Map<string, readonly string[]>();

/**
 * German words for an English word: the glossary's, then up to MAX_DICTIONARY_ADDED more from the
 * dictionary; the dictionary's alone when the glossary has none. Empty for German words (neither
 * source has English keys that are German words) and for unknown ones.
 */
export function germanFor(word: string): readonly string[] {
  const cacheKey = word.toLowerCase();
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const own = glossaryGermanFor(word);
  const extra = dictionaryGermanFor(word);
  let result: readonly string[];
  if (own.length === 0) result = extra;
  else if (extra.length === 0) result = own;
  else {
    const seen = new Set(own.map((w) => w.toLowerCase()));
    const added = extra.filter((w) => !seen.has(w.toLowerCase())).slice(0, MAX_DICTIONARY_ADDED);
    result = added.length ? Object.freeze([...own, ...added]) : own;
  }
  // Only words some source knows are kept, so the cache is bounded by the data.
  if (result.length) cache.set(cacheKey, result);
  return result;
}

/** The question plus the German words for its English words, for the keyword index. */
export function expandQuestion(question: string): string {
  const extra = (question.match(/[A-Za-z]+(?:['’]s)?/g) ?? []).flatMap((w) => germanFor(w));
  return extra.length ? `${question} ${[...new Set(extra)].join(' ')}` : question;
}

const EN = /\b(the|what|who|whom|where|why|how|which|did|does|do|is|are|was|were|has|have|of|to|an?|in|on|for|with|about|from|after)\b/gi;
const DE = /\b(der|die|das|was|wer|wo|wie|warum|welche[rnms]?|ist|sind|hat|haben|hatte|den|dem|des|eine?|und|mit|für|von|zu|über|nach|im)\b/gi;

/** Whether a question reads as English (by its function words); German is the tie-break. */
export function looksEnglish(question: string): boolean {
  return (question.match(EN)?.length ?? 0) > (question.match(DE)?.length ?? 0);
}
