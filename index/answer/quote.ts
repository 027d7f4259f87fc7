/**
 * Which sentences of a passage to mark as the answer: the one or two consecutive sentences that
 * cover most of the question's weight. Offsets are into the passage text, so the quote stays verbatim.
 */
import { sentenceRanges } from '../passages/sentences.ts';
import { coverage, termSet } from '../search/evidence.ts';
import type { PlanWord } from '../search/plan.ts';

export const MAX_QUOTE_SENTENCES = 2;

export interface QuoteSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * @param similarities optional closeness in meaning of each sentence (in `sentenceRanges` order) to the
 *   question; used when no sentence shares a word with it, as for a passage found across languages.
 */
export function selectQuote(passage: string, words: readonly PlanWord[], similarities?: readonly number[]): QuoteSpan {
  const sentences = sentenceRanges(passage);
  if (sentences.length === 0) return { start: 0, end: passage.length };
  const scores = sentences.map(([s, e]) => coverage(words, termSet(passage.slice(s, e))).share);
  if (similarities?.length === sentences.length && scores.every((x) => x === 0)) {
    const best = similarities.indexOf(Math.max(...similarities));
    return { start: sentences[best]![0], end: sentences[best]![1] };
  }
  let best = { from: 0, to: 0, score: -1 };
  for (let from = 0; from < sentences.length; from++) {
    for (let to = from; to < Math.min(from + MAX_QUOTE_SENTENCES, sentences.length); to++) {
      const window = sentences.slice(from, to + 1);
      const covered = coverage(words, termSet(passage.slice(window[0]![0], window.at(-1)![1]))).share;
      // Each added sentence must earn its place: a longer quote wins only by covering more.
      const score = covered - 0.01 * (to - from);
      if (scores[to]! > 0 || to === from) {
        if (score > best.score) best = { from, to, score };
      }
    }
  }
  return { start: sentences[best.from]![0], end: sentences[best.to]![1] };
}
