/**
 * Reciprocal rank fusion. It uses ranks only, so keyword scores (BM25, unbounded) and cosine similarities
 * (model-specific scale) need no calibration against each other — the reason to prefer it over a weighted
 * sum when the embedding model is configuration.
 */
export const RRF_K = 60;

export function reciprocalRankFusion(lists: ReadonlyArray<readonly number[]>, k = RRF_K): Map<number, number> {
  const scores = new Map<number, number>();
  for (const list of lists) list.forEach((label, rank) => scores.set(label, (scores.get(label) ?? 0) + 1 / (k + rank + 1)));
  return scores;
}
