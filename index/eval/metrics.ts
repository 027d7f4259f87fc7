/** Retrieval metrics over a question file in the format of test/fixtures/eval/dev-questions*.json. Pure. */

export interface GoldPassage {
  /** Article id, or its leading characters (the seed files are named `000_…`). */
  readonly doc: string;
  readonly contains: readonly string[];
}

export interface EvalQuestion {
  readonly id: string;
  readonly lang: string;
  readonly q: string;
  /** Missing or empty for questions the corpus cannot answer. */
  readonly gold?: readonly GoldPassage[];
  /** For negatives: "off-topic" or "near-topic" (corpus vocabulary, facts not in any article). */
  readonly kind?: string;
}

export interface QuestionFile {
  readonly questions: readonly EvalQuestion[];
  readonly negatives?: readonly EvalQuestion[];
  /** Answerable only from extra articles that are indexed alongside the corpus for the evaluation. */
  readonly distractorQuestions?: readonly EvalQuestion[];
}

/** Every question of a file: answerable ones (with the distractor questions), then the negatives. */
export function allQuestions(file: QuestionFile): EvalQuestion[] {
  return [...file.questions, ...(file.distractorQuestions ?? []), ...(file.negatives ?? [])];
}

export interface Returned {
  readonly articleId: string;
  readonly passage: string;
}

export interface Outcome {
  readonly question: EvalQuestion;
  readonly results: readonly Returned[];
  /** Passages offered as possibly not answering, when nothing passed the relevance gate. */
  readonly closest?: readonly Returned[];
  readonly ms: number;
}

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

export function isHit(result: Returned, gold: readonly GoldPassage[]): boolean {
  const text = normalise(result.passage);
  return gold.some((g) => result.articleId.startsWith(g.doc) && g.contains.some((c) => text.includes(normalise(c))));
}

/** 1-based rank of the first hit within the first `k` results, or undefined. */
export function firstHit(results: readonly Returned[], gold: readonly GoldPassage[], k = 10): number | undefined {
  const i = results.slice(0, k).findIndex((r) => isHit(r, gold));
  return i < 0 ? undefined : i + 1;
}

export interface Scores {
  readonly answerable: number;
  readonly negatives: number;
  readonly hitAt1: number;
  readonly hitAt5: number;
  readonly mrrAt10: number;
  /** Share of negatives with no results (higher is better). */
  readonly abstentionRate: number;
  /** Share of answerable questions with no results (lower is better). */
  readonly falseAbstentionRate: number;
  /** Share of negatives of each kind with no results, where the file names kinds. */
  readonly abstentionByKind: Readonly<Record<string, number>>;
  /** Share of abstentions (answerable or not) that offered closest passages instead of nothing. */
  readonly closestRate: number;
  readonly meanMs: number;
  readonly p95Ms: number;
}

const ratio = (n: number, d: number) => (d === 0 ? 0 : Number((n / d).toFixed(3)));

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function score(outcomes: readonly Outcome[]): Scores {
  const answerable = outcomes.filter((o) => o.question.gold?.length);
  const negatives = outcomes.filter((o) => !o.question.gold?.length);
  const ranks = answerable.map((o) => firstHit(o.results, o.question.gold!));
  const ms = outcomes.map((o) => o.ms);
  return {
    answerable: answerable.length,
    negatives: negatives.length,
    hitAt1: ratio(ranks.filter((r) => r === 1).length, answerable.length),
    hitAt5: ratio(ranks.filter((r) => r !== undefined && r <= 5).length, answerable.length),
    mrrAt10: ratio(
      ranks.reduce((s: number, r) => s + (r ? 1 / r : 0), 0),
      answerable.length,
    ),
    abstentionRate: ratio(negatives.filter((o) => o.results.length === 0).length, negatives.length),
    falseAbstentionRate: ratio(answerable.filter((o) => o.results.length === 0).length, answerable.length),
    abstentionByKind: Object.fromEntries(
      [...new Set(negatives.map((o) => o.question.kind).filter((k): k is string => !!k))].sort().map((kind) => {
        const of = negatives.filter((o) => o.question.kind === kind);
        return [kind, ratio(of.filter((o) => o.results.length === 0).length, of.length)];
      }),
    ),
    closestRate: ratio(outcomes.filter((o) => o.results.length === 0 && (o.closest?.length ?? 0) > 0).length, outcomes.filter((o) => o.results.length === 0).length),
    meanMs: Number((ms.reduce((s, x) => s + x, 0) / Math.max(ms.length, 1)).toFixed(2)),
    p95Ms: Number(percentile(ms, 95).toFixed(2)),
  };
}

/** Overall and per language. */
export function scoreByLanguage(outcomes: readonly Outcome[]): Record<string, Scores> {
  const langs = [...new Set(outcomes.map((o) => o.question.lang))].sort();
  return Object.fromEntries<Scores>([['all', score(outcomes)], ...langs.map((l): [string, Scores] => [l, score(outcomes.filter((o) => o.question.lang === l))])]);
}
