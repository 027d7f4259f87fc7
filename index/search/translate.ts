/**
 * Cross-language keyword search: the German words a news article would use for an English question
 * word. Without a multilingual embedding model this is what lets "ceasefire" find "Waffenruhe".
 */
import { lazy, readLexiconRecords } from './lexicon-file.ts';

/** The hand-written glossary (index/lexicon/glossary-en-de.tsv, its rules in its header): key → German words. */
export const GLOSSARY_FILE = 'glossary-en-de.tsv';
/** English → German words from the Ding dictionary (index/lexicon/dictionary-en-de.tsv), after the glossary. */
export const DICTIONARY_FILE = 'dictionary-en-de.tsv';

const glossary = lazy(
  () => new Map<string, readonly string[]>(readLexiconRecords(GLOSSARY_FILE, 2).map(([key, ...german]) => [key!, Object.freeze(german)])),
);

const lookup = (key: string) => glossary().get(key);

/** English inflections back to a listed form: "starting" → "start", "lifted" → "lift", "ministers" → "minister". */
const BASE_FORMS: Array<[RegExp, string]> = [
  [/ies$/, 'y'], [/ied$/, 'y'], [/ing$/, ''], [/ing$/, 'e'], [/ed$/, ''], [/ed$/, 'e'], [/es$/, ''], [/s$/, ''],
];

export function germanFor(word: string): readonly string[] {
  const key = word.toLowerCase().replace(/['’]s$/, '');
  const direct = lookup(key);
  if (direct) return direct;
  if (!/^[a-z]{4,}$/.test(key)) return [];
  for (const [suffix, replacement] of BASE_FORMS) {
    if (!suffix.test(key)) continue;
    const found = lookup(key.replace(suffix, replacement));
    if (found) return found;
  }
  return [];
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
