/**
 * The keyword index's data: immutable typed-array columns, and the small lookups every other part of the
 * index uses. `build.ts` makes them, `codec.ts` saves and loads them, `score.ts` reads them.
 */

/** Term frequencies are kept per field in four bits each; BM25 saturates long before 15. */
export const MAX_TF = 15;
/** A posting's tf byte is heading tf << HEADING_TF_SHIFT | text tf. */
export const HEADING_TF_SHIFT = 4;

/**
 * The index's columns. Postings of term t are rows starts[t] … starts[t + 1] − 1, ordered by slot; those with
 * the term in the heading are also listed apart (few passages have one), so that scoring the heading field
 * reads only them.
 */
export interface Columns {
  /** Sorted by JavaScript string order. */
  readonly terms: readonly string[];
  readonly starts: Uint32Array;
  /** Per term: passages with it in the text (BM25 is per field). */
  readonly textDf: Uint32Array;
  /** Per posting: the passage slot, and the packed tfs (see HEADING_TF_SHIFT). */
  readonly postings: Uint32Array;
  readonly tfs: Uint8Array;
  /** The postings with heading tf > 0, per term, in the same form. */
  readonly headingStarts: Uint32Array;
  readonly headingPostings: Uint32Array;
  readonly headingTfs: Uint8Array;
  /** Per slot: passage label and field lengths. */
  readonly labels: Uint32Array;
  readonly headingLen: Uint16Array;
  readonly textLen: Uint16Array;
}

export const EMPTY: Columns = {
  terms: [],
  starts: new Uint32Array(1),
  textDf: new Uint32Array(0),
  postings: new Uint32Array(0),
  tfs: new Uint8Array(0),
  headingStarts: new Uint32Array(1),
  headingPostings: new Uint32Array(0),
  headingTfs: new Uint8Array(0),
  labels: new Uint32Array(0),
  headingLen: new Uint16Array(0),
  textLen: new Uint16Array(0),
};

/** First position whose term is not below `term`. */
export function lowerBound(terms: readonly string[], term: string): number {
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (terms[mid]! < term) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Dictionary position of `term`, or −1. */
export function findTerm(c: Columns, term: string): number {
  const t = lowerBound(c.terms, term);
  return c.terms[t] === term ? t : -1;
}

/** Passages holding dictionary term t, in any field. */
export function termDf(c: Columns, t: number): number {
  return c.starts[t + 1]! - c.starts[t]!;
}

/** Passages holding dictionary term t in the heading. */
export function headingDf(c: Columns, t: number): number {
  return c.headingStarts[t + 1]! - c.headingStarts[t]!;
}
