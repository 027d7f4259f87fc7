/**
 * What kind of answer a question asks for, where that can be told from its words alone: "how many …" /
 * "wie viele …" wants an amount, and a passage without any number cannot give one. A classic test of
 * question answering, and one of the few that keyword evidence can make: a passage that shares every word of
 * "Wie viele Soldaten will die Koalition stationieren?" but names no number does not answer it.
 */
import { readFileSync } from 'node:fs';
import { foldWord, tokenize } from './analyze.ts';

interface AnswerTypes {
  readonly quantity: Readonly<Record<string, readonly string[]>>;
  readonly numberWords: readonly string[];
}

const DATA = JSON.parse(readFileSync(new URL('./data/answer-types.json', import.meta.url), 'utf8')) as AnswerTypes;
const QUANTITY = new RegExp(
  `(?:^|[^\\p{L}])(?:${Object.values(DATA.quantity)
    .flat()
    .map((p) => p.replace(/ /g, '\\s+'))
    .join('|')})(?![\\p{L}])`,
  'iu',
);
const NUMBER_WORDS = new Set(DATA.numberWords.map(foldWord));
/** A four-digit number that reads as a year names a time, not an amount. */
const YEAR = /^(?:1[89]|20)\d\d$/;
export const isYear = (token: string) => YEAR.test(token);

export type AnswerType = 'quantity';

export function answerType(question: string): AnswerType | undefined {
  return QUANTITY.test(question) ? 'quantity' : undefined;
}

/** Whether a text states an amount: a number that is not a year or a date, or a number word. */
export function hasQuantity(text: string): boolean {
  for (const token of tokenize(text)) {
    if (/^\d/.test(token)) {
      if (!YEAR.test(token) && !/^\d{1,2}\.\d{1,2}\.\d{2,4}$/.test(token)) return true;
    } else if (NUMBER_WORDS.has(foldWord(token))) return true;
  }
  return false;
}
