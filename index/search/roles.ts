/**
 * Who holds a role, as the coverage itself says it: news introduces a person by role and name in one
 * apposition ("Kremlsprecher Dmitri Peskow", "der US-Sondergesandte Steve Witkoff") and then writes the name
 * alone. A question that asks by role ("What did the Kremlin spokesman hope …", "according to Trump's envoy")
 * then also finds the passages that only name the person. Learnt from the passages that hold the role word,
 * so it works for any corpus and any role without a list of office holders.
 */
import { analyzeToken, SPELLING_KEY, tokenSpans } from './analyze.ts';
import { isGermanNoun } from './compounds.ts';
import type { Alternative, PlanWord, QueryPlan } from './plan.ts';

/** What the lookup needs from the index: the texts of the passages that hold any of the terms, best first. */
export interface RoleTexts {
  textsWith(terms: readonly string[], limit: number): readonly string[];
}

/** The holders of a role given by its terms, as `roleHolders` reads them from the coverage; the caller may remember them. */
export type HolderLookup = (terms: readonly string[]) => ReadonlyMap<string, number>;

/** The lookup straight from the index's passages. */
export const holdersFrom =
  (corpus: RoleTexts): HolderLookup =>
  (terms) =>
    roleHolders(new Set(terms), corpus.textsWith(terms, ROLE_PASSAGES));

/** Passages read per question word: the role's appositions are in the passages that name it most. */
export const ROLE_PASSAGES = 20;
/** A name is at most this many words (first names, then the surname, which is what later mentions use). */
const MAX_NAME_WORDS = 3;
/**
 * Keyword weight of a role holder's name standing in for the role; as evidence it counts like a synonym
 * (half). Measured with `npm run eval` at 0.6 / 0.75 / 0.9 / 1.0: 0.9 and 1.0 tie at the best figures.
 */
export const HOLDER_WEIGHT = 0.9;

/**
 * The surnames that follow one of the terms in an apposition — capitalised words after it, separated by
 * spaces only (no sentence or clause break), none of them a German noun — with how often each was seen.
 */
export function roleHolders(terms: ReadonlySet<string>, texts: readonly string[]): Map<string, number> {
  const names = new Map<string, number>();
  for (const text of texts) {
    const spans = tokenSpans(text);
    for (let i = 0; i < spans.length; i++) {
      if (!analyzeToken(spans[i]!.token).some((t) => terms.has(t))) continue;
      let surname: string | undefined;
      for (let j = i + 1; j <= i + MAX_NAME_WORDS && j < spans.length; j++) {
        const before = spans[j - 1]!;
        const { token, start } = spans[j]!;
        if (!/^ +$/.test(text.slice(before.start + before.token.length, start)) || !/^\p{Lu}\p{Ll}{2,}$/u.test(token) || isGermanNoun(token)) break;
        surname = token;
      }
      if (surname) names.set(surname, (names.get(surname) ?? 0) + 1);
    }
  }
  return names;
}

/** The plan with, for each known topic word, the names of those the coverage gives that role as weaker alternatives. */
export function withRoleHolders(plan: QueryPlan, holders: HolderLookup): QueryPlan {
  const words = plan.words.map((word): PlanWord => {
    if (!word.topical || !word.known) return word;
    const terms = word.alternatives.filter((a) => (a.source === 'own' || a.source === 'translation') && !a.term.startsWith(SPELLING_KEY)).map((a) => a.term);
    if (terms.length === 0) return word;
    const names = holders(terms);
    const have = new Set(word.alternatives.map((a) => a.term));
    const extra: Alternative[] = [];
    for (const name of names.keys()) {
      for (const term of analyzeToken(name)) {
        if (have.has(term)) continue;
        have.add(term);
        extra.push({ term, weight: HOLDER_WEIGHT, source: 'synonym' });
      }
    }
    return extra.length ? { ...word, alternatives: [...word.alternatives, ...extra] } : word;
  });
  return { ...plan, words };
}
