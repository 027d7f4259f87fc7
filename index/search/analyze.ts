/**
 * Text → search terms, for German news read by German and English speakers. Pure and deterministic:
 * documents and questions go through the same function, so every rule below works in both directions.
 */
import { stemmer as germanStem } from '@orama/stemmers/german';
import { stopwords as germanStopwords } from '@orama/stopwords/german';
import { stopwords as englishStopwords } from '@orama/stopwords/english';
import { splitCompound } from './compounds.ts';

const STOPWORDS = new Set([
  ...germanStopwords,
  ...englishStopwords,
  // Question words carry no topic; the library lists leave some of them out.
  ...(
    'wer wen wem wessen wo woher wohin wann warum wieso weshalb weswegen welche welcher welches welchen welchem wie was ' +
    'wofür wozu womit wodurch worüber worauf wovon woran worum wogegen inwiefern wieviel wieviele viele vielen sagte sagt laut gibt gab'
  ).split(' '),
  ...'who whom whose where when why which what how many much did does said say says according'.split(' '),
]);

/** Marks a transliteration key so it only ever matches another key, never a plain word. */
export const SPELLING_KEY = '~';

/** Words, hyphenated compounds ("NATO-Beitritt") and numbers with dots or commas ("26.01.2022", "1,5"). */
const WORD = /[\p{L}\p{N}]+(?:[-.,'’][\p{L}\p{N}]+)*/gu;

export function tokenize(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** The same tokens with where each starts in the text. */
export function tokenSpans(text: string): Array<{ readonly token: string; readonly start: number }> {
  return [...text.matchAll(WORD)].map((m) => ({ token: m[0], start: m.index }));
}

/** Umlauts and every other accent dropped ("Élysée" = "Elysee", "Präsident" = "Prasident", "Bodø" = "Bodo"), ß as ss. */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss').replace(/[øœ]/g, 'o').replace(/æ/g, 'ae').replace(/ł/g, 'l').replace(/đ/g, 'd');

/** Lower case with umlauts and ß folded, not stemmed. */
export const foldWord = (word: string) => fold(word.toLowerCase());

/**
 * One key for the spellings outlets use for the same Slavic name: Selenskij / Selenskyj / Zelensky,
 * Peskow / Peskov, Lawrow / Lavrov, Kiew / Kyiv / Kiev, Dmitriev / Dmitrijew.
 */
export function spellingKey(word: string): string {
  return fold(word.toLowerCase())
    .replace(/tsch/g, 'ch')
    .replace(/sch/g, 'sh')
    .replace(/^z/, 's')
    .replace(/w/g, 'v')
    .replace(/[jy]/g, 'i')
    .replace(/ie/g, 'i')
    .replace(/(.)\1+/g, '$1');
}

/**
 * Heads of German compounds joined by a linking "s" ("Sicherheits|garantien", "Friedens|plan"), so a
 * question about "Garantien" finds "Sicherheitsgarantien". Both readings of the "s" are kept
 * ("Kremls|precher" and "Kreml|sprecher"); the wrong one matches nothing real.
 */
function compoundHeads(word: string): string[] {
  const heads: string[] = [];
  for (let i = 5; i <= word.length - 6; i++) {
    if (word[i - 1] === 's') heads.push(word.slice(i), word.slice(i - 1));
  }
  return heads;
}

/** The Snowball German stem, umlauts folded: the form words are indexed under. */
export const stemWord = (word: string) => fold(germanStem(word));
const stem = stemWord;

/**
 * Tokens seen recently and their terms. Stemming is most of the cost of analysing a passage, and news
 * vocabulary repeats, so the relevance check on a question's candidates mostly looks terms up. Emptied when
 * full: simpler than LRU, and the common words are back after a few passages.
 */
const MEMO_SIZE = 200_000;
const memo = new Map<string, readonly string[]>();

/** All terms for one token; empty for stop words. The array is shared: do not change it. */
export function analyzeToken(token: string): readonly string[] {
  let terms = memo.get(token);
  if (!terms) {
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(token, (terms = analyzeUncached(token)));
  }
  return terms;
}

/**
 * A word's own terms, without the compound heads the index adds ("Luftwaffe" → "luftwaff", not "waff"):
 * for a translation, which stands for the English word only as a whole ("air" is not "Waffe").
 */
export function wordTerms(token: string): readonly string[] {
  return analyzeUncached(token, false);
}

function analyzeUncached(token: string, heads = true): string[] {
  const word = token.toLowerCase().replace(/’/g, "'");
  if (/^[\d.,]+$/.test(word)) {
    // Keep numbers and dates whole, and the year of a date on its own ("26.01.2022" → also "2022").
    const year = word.match(/(?:^|\.)(\d{4})$/)?.[1];
    return year && year !== word ? [word, year] : [word];
  }
  const parts = word.split(/[-.,']/).filter((p) => p.length > 1 && !STOPWORDS.has(p));
  if (parts.length === 0 || STOPWORDS.has(word)) return [];
  const terms = new Set<string>();
  const whole = parts.join('');
  for (const part of parts.length > 1 ? [...parts, whole] : parts) {
    terms.add(stem(part));
    if (!heads) continue;
    if (part.length >= 10 && /^\p{L}+$/u.test(part)) for (const head of compoundHeads(part)) terms.add(stem(head));
    // The dictionary's head of a compound ("Kern|prinzipien", "Truppen|aufmarsch"), which the linking-"s"
    // guess misses: a question about "Prinzipien" finds the passage in keyword search too. Its other parts
    // are not added: measured, they made off-topic questions look answered ("Sicherheit" is in everything).
    const head = splitCompound(part).at(-1);
    if (head && head !== part) terms.add(stem(head));
  }
  if (whole.length >= 4 && /^\p{L}+$/u.test(whole)) terms.add(SPELLING_KEY + spellingKey(whole));
  return [...terms];
}

export function analyze(text: string): string[] {
  return tokenize(text).flatMap(analyzeToken);
}
