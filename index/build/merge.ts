/**
 * Segment merges: which segments to join (a tiered policy, as Lucene's log merge policy), and joining them
 * into one segment without their tombstoned passages. Keyword indexes are joined column by column (no text
 * is analysed again); the vector graph of the merged segment is built from the segments' stored vectors
 * (no passage is embedded again).
 */
import { LexicalIndex } from '../search/lexical.ts';
import type { StoredArticle, StoredPassage } from '../store/format.ts';
import { vectorBackend } from '../store/vector-backends.ts';
import type { VectorIndex, VectorParams } from '../store/vector-index.ts';
import type { SegmentData } from './segment.ts';

/** Segments of one size tier that make a merge: few segments to search, and each passage rewritten about log_4 (N / floor) times. */
export const MERGE_FACTOR = 4;
/** Segments up to this many passages share the lowest tier (a one-article segment is a few dozen). */
export const MERGE_FLOOR = 2_000;
/** A segment with more than this share of its passages tombstoned is rewritten without them. */
export const EXPUNGE_SHARE = 0.5;

export interface SegmentSize {
  /** Passages as written. */
  readonly passages: number;
  /** Of them, tombstoned. */
  readonly deleted: number;
}

const tier = (live: number) => Math.floor(Math.log(Math.max(live, MERGE_FLOOR) / MERGE_FLOOR) / Math.log(MERGE_FACTOR) + 1e-9);

/**
 * The next merge: a run of adjacent segments (oldest first) to join, or undefined. Adjacent, so that the
 * order of passages (ties go to the older one) stays that of one index. A run of MERGE_FACTOR or more
 * segments in one tier is merged, the oldest run first; otherwise a segment mostly tombstoned is rewritten.
 */
export function nextMerge(segments: readonly SegmentSize[]): { from: number; to: number } | undefined {
  const tiers = segments.map((s) => tier(s.passages - s.deleted));
  for (let from = 0; from < segments.length;) {
    let to = from;
    while (to + 1 < segments.length && tiers[to + 1] === tiers[from]) to++;
    if (to - from + 1 >= MERGE_FACTOR) return { from, to };
    from = to + 1;
  }
  const worn = segments.findIndex((s) => s.passages > 0 && s.deleted > EXPUNGE_SHARE * s.passages);
  return worn < 0 ? undefined : { from: worn, to: worn };
}

/** A segment as a merge reads it: everything it holds, and what of it is tombstoned. */
export interface MergeInput {
  readonly articles: readonly StoredArticle[];
  readonly passages: readonly StoredPassage[];
  readonly lexical: LexicalIndex;
  readonly vectors: VectorIndex | undefined;
  readonly deletedArticles: ReadonlySet<string>;
  readonly deletedLabels: ReadonlySet<number>;
}

/** The live content of `inputs` as one segment. */
export function mergeSegments(inputs: readonly MergeInput[], dense: { backend: string; dims: number; params?: VectorParams } | undefined): SegmentData {
  const articles = inputs.flatMap((s) => s.articles.filter((a) => !s.deletedArticles.has(a.id)));
  const passages = inputs.flatMap((s) => s.passages.filter((p) => !s.deletedLabels.has(p.label)));
  const lexical = LexicalIndex.concat(inputs.map((s) => ({ index: s.lexical, removed: s.deletedLabels })));
  if (!dense) return { articles, passages, lexical };
  const index = vectorBackend(dense.backend).create(dense.dims, passages.length, dense.params);
  for (const s of inputs) {
    for (const p of s.passages) {
      if (s.deletedLabels.has(p.label)) continue;
      const v = s.vectors?.vector(p.label);
      if (!v) throw new Error(`quotedesk: merging segments: no vector for passage ${p.label}`);
      index.add(p.label, v);
    }
  }
  return { articles, passages, lexical, vectors: { index, backend: dense.backend } };
}
