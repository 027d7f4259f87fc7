/**
 * Whether a passage answers a question, from words alone (the model-free half of the relevance gate).
 *
 * Each content word of the question weighs its rarity in the corpus (see plan.ts), scaled by what kind of
 * word it is. A topic word — a name, a noun, a number — counts fully, whether the corpus knows it or not:
 * a topic word no article contains ("Vilnius", "Rinderbraten") is the clearest sign that the coverage does
 * not talk about this. A phrasing word ("eigentlich", "dasteht", "tagging along") says how the question is
 * asked, not what about, so a passage that happens to word things differently loses little by lacking it.
 *
 * - confidence(passage) = weight of the question words the passage (with its title and heading) holds
 *   ÷ weight of all question words;
 * - familiarity(question) = weight of the question words any passage holds ÷ weight of all: how much of the
 *   question the coverage speaks about at all. Low familiarity means off-topic: the plain "no coverage"
 *   answer, no closest passages.
 *
 * The constants were chosen on the large development set with `npm run eval` (trade-off table there and in
 * the README), not on single questions.
 */
import { isYear } from './answer-type.ts';
import { matchShare } from './evidence.ts';
import type { PlanWord, QueryPlan } from './plan.ts';

export interface Gate {
  /** A passage is relevant from its words when its confidence reaches this … */
  readonly minConfidence: number;
  /** … and the question's familiarity reaches this; below it the question is off-topic (no closest passages either). */
  readonly minFamiliarity: number;
  /** Once a passage passes, others pass with this share of the best one's confidence (they stand beside a real answer). */
  readonly supporting: number;
  /** Weight factor of a known word that is phrasing (a German lower-case word: verb, adjective, adverb). */
  readonly knownPhrasing: number;
  /** Weight factor of an unknown phrasing word. */
  readonly unknownPhrasing: number;
}

export const GATE: Gate = Object.freeze({ minConfidence: 0.25, minFamiliarity: 0.55, supporting: 0.5, knownPhrasing: 0.5, unknownPhrasing: 0.1 });

export interface Weighted {
  readonly words: ReadonlyArray<{ readonly word: PlanWord; readonly weight: number }>;
  readonly total: number;
  readonly familiarity: number;
}

export function relevanceWeights(plan: QueryPlan, params: Pick<Gate, 'knownPhrasing' | 'unknownPhrasing'> = GATE): Weighted {
  const words = plan.words.map((word) => ({
    word,
    weight: word.weight * (word.topical ? 1 : word.known ? params.knownPhrasing : params.unknownPhrasing),
  }));
  const total = words.reduce((s, w) => s + w.weight, 0);
  const known = words.reduce((s, w) => s + w.weight * w.word.knownShare, 0);
  // A question none of whose topic words the coverage knows is off-topic however familiar its phrasing; a
  // year is no topic of its own ("who won the final in 2023"): every archive mentions the recent ones.
  const topical = words.some((w) => w.word.known && w.word.topical && !isYear(w.word.word));
  return { words, total, familiarity: total > 0 && topical ? known / total : 0 };
}

/** Terms of a passage's own text, and of its context (article title, section heading). */
export interface PassageTerms {
  readonly text: ReadonlySet<string>;
  readonly context?: ReadonlySet<string>;
}

/**
 * A word found only in the passage's context counts CONTEXT_SHARE of its weight: the title says what the
 * article is about, so it holds for every passage of it, and the passage that says it itself should win.
 */
export const CONTEXT_SHARE = 0.75;

export function confidence(weighted: Weighted, terms: PassageTerms): { confidence: number; matched: PlanWord[] } {
  let held = 0;
  let topical = false;
  const matched: PlanWord[] = [];
  for (const { word, weight } of weighted.words) {
    if (!word.known) continue;
    const share = Math.max(matchShare(word, terms.text), terms.context ? CONTEXT_SHARE * matchShare(word, terms.context) : 0);
    if (share === 0) continue;
    held += weight * share;
    topical ||= word.topical;
    matched.push(word);
  }
  // Phrasing alone ("sagte", "gut") is no evidence: a passage must hold at least one topic word.
  return { confidence: weighted.total > 0 && topical ? held / weighted.total : 0, matched };
}
