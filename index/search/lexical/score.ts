/**
 * Scoring a question against the columns: BM25+ as MiniSearch scores it (k 1.2, b 0.7, d 0.5; field length =
 * distinct words), the context field weighing HEADING_BOOST, a spelling key half, a longer word found by prefix
 * PREFIX_WEIGHT and less with its extra length; the sum is multiplied by the number of question terms matched
 * (topk.ts). A question term counts once per field, through its best-matching index term. Term at a time into
 * per-passage accumulators, with rare terms choosing the candidates (see `accumulate`).
 */
import { SPELLING_KEY } from '../analyze.ts';
import { type Columns, findTerm, HEADING_TF_SHIFT, headingDf, lowerBound, MAX_TF, termDf } from './columns.ts';
import type { Accumulators } from './topk.ts';

/** One question word's alternative terms, each with a weight; see `LexicalIndex.searchGroups`. */
export type QueryGroup = ReadonlyArray<{ readonly term: string; readonly weight: number }>;

/** Passages a question's rare terms bring in before the rest only score them; see `accumulate`. */
const CANDIDATES = 4096;
/** In an archive of at least COMMON_MIN_PASSAGES, a term in more than COMMON_SHARE of them brings in no passages. */
export const COMMON_MIN_PASSAGES = 5_000;
const COMMON_SHARE = 0.05;
/** A short word could start thousands of compounds; the commonest ones are searched. */
const MAX_EXPANSIONS = 64;
/** BM25+ parameters as in MiniSearch, which this index replaced. */
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;
/** The context field (article title, section heading) says what the whole article is about, not this passage. */
const HEADING_BOOST = 0.5;
/** A spelling key is a second chance for a name, not more evidence than the word as written. */
const SPELLING_KEY_BOOST = 0.5;
/** Weight of a longer index term found by prefix, before PREFIX_EXTRA_LETTER lowers it. */
const PREFIX_WEIGHT = 0.375;
/**
 * How much each letter a prefix match adds beyond the question word lowers its weight (MiniSearch's formula):
 * weight = PREFIX_WEIGHT · length / (length + PREFIX_EXTRA_LETTER · extra letters). The more a compound adds,
 * the less of it the question word is; at 0.3 the fall is gentle and bounded — a compound twice the word's
 * length keeps 0.87 of PREFIX_WEIGHT, and none falls below 1 / 1.3 ≈ 0.77 of it — so a compound's first part
 * still finds it.
 */
const PREFIX_EXTRA_LETTER = 0.3;
/** Prefixes find compounds from their first part ("Sicherheit" → "Sicherheitsgarantien"); shorter words would find too much. */
const MIN_PREFIX = 6;
/**
 * Once candidates are closed, a list more than GALLOP_MIN_GAP times longer than the candidates is galloped
 * through (doubling steps, then bisection: about 2 · log2(gap) scattered probes per candidate) instead of read
 * row by row. Both add the same postings, so this sets speed only. No measurement of 16 is recorded; the
 * reasoning is that at that mean gap a gallop's ≈ 8 probes cost about what reading 16 rows in order does.
 */
const GALLOP_MIN_GAP = 16;

/** BM25+'s length part, k1 · (1 − b + b · length / average length), per passage and field. */
export interface LengthNorms {
  readonly headingNorm: Float32Array;
  readonly textNorm: Float32Array;
}

export function lengthNorms(c: Columns): LengthNorms {
  const n = c.labels.length;
  const avgHeading = n > 0 ? sum(c.headingLen) / n : 0;
  const avgText = n > 0 ? sum(c.textLen) / n : 0;
  const norm = (lengths: Uint16Array, avg: number) => Float32Array.from(lengths, (len) => K1 * (1 - B + (avg > 0 ? (B * len) / avg : 0)));
  return { headingNorm: norm(c.headingLen, avgHeading), textNorm: norm(c.textLen, avgText) };
}

/** Inverse document frequency (BM25+'s, never negative). */
export function idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

interface Match {
  readonly term: number;
  readonly weight: number;
}

/** The index terms one question term matches, with their weights. */
function matches(c: Columns, term: string): Match[] {
  const { terms } = c;
  const found: Match[] = [];
  const exact = findTerm(c, term);
  if (exact >= 0) found.push({ term: exact, weight: term.startsWith(SPELLING_KEY) ? SPELLING_KEY_BOOST : 1 });
  if (term.length >= MIN_PREFIX && !term.startsWith(SPELLING_KEY)) {
    const longer: Match[] = [];
    for (let t = lowerBound(terms, term); t < terms.length && terms[t]!.startsWith(term); t++) {
      const extra = terms[t]!.length - term.length;
      if (extra > 0) longer.push({ term: t, weight: (PREFIX_WEIGHT * terms[t]!.length) / (terms[t]!.length + PREFIX_EXTRA_LETTER * extra) });
    }
    if (longer.length > MAX_EXPANSIONS) longer.sort((a, b) => termDf(c, b.term) - termDf(c, a.term)).length = MAX_EXPANSIONS;
    found.push(...longer);
  }
  return found;
}

/** One postings list of one field, ready to score: the BM25+ of row r is `score(r)`. */
interface ScoredList {
  /** 2 × the index of the question term it belongs to, + 1 for the heading. */
  readonly part: number;
  readonly postings: Uint32Array;
  readonly from: number;
  readonly to: number;
  /** The index term, and the passages that hold it in any field. */
  readonly term: number;
  readonly df: number;
  readonly score: (row: number) => number;
}

function scored(
  part: number,
  term: number,
  df: number,
  postings: Uint32Array,
  tfs: Uint8Array,
  from: number,
  to: number,
  shift: number,
  weightedIdf: number,
  norm: Float32Array,
): ScoredList {
  return {
    part,
    term,
    postings,
    from,
    to,
    df,
    score: (r) => {
      const tf = (tfs[r]! >> shift) & MAX_TF;
      return tf === 0 ? 0 : weightedIdf * (DELTA + (tf * (K1 + 1)) / (tf + norm[postings[r]!]!));
    },
  };
}

/**
 * Term at a time into per-passage accumulators. Lists (a term's text postings, its heading postings) are
 * read rarest first, and passages enter the accumulators from the rare lists only, until there are
 * CANDIDATES of them: a common term, or any term once enough candidates are in, only adds to passages
 * already found, which it finds by searching its list rather than reading all of it. Those passages are
 * then scored in full, so the ranking among them is exact; what is left out is a passage holding none
 * of the question's rarer words — the common words alone rarely carry an answer, and in a large archive
 * they would cost most of the time.
 */
export function accumulate(c: Columns, norms: LengthNorms, groups: readonly QueryGroup[], s: Accumulators, accept?: (slot: number) => boolean): void {
  const n = c.labels.length;
  const { headingNorm, textNorm } = norms;
  const lists: ScoredList[] = [];
  groups.forEach((group, q) => {
    for (const m of group.flatMap(({ term, weight }) => matches(c, term).map((x) => ({ term: x.term, weight: x.weight * weight })))) {
      const textDf = c.textDf[m.term]!;
      const inHeadings = headingDf(c, m.term);
      const df = termDf(c, m.term);
      if (textDf > 0) lists.push(scored(2 * q, m.term, df, c.postings, c.tfs, c.starts[m.term]!, c.starts[m.term + 1]!, 0, idf(n, textDf) * m.weight, textNorm));
      if (inHeadings > 0) {
        const from = c.headingStarts[m.term]!;
        lists.push(
          scored(2 * q + 1, m.term, df, c.headingPostings, c.headingTfs, from, from + inHeadings, HEADING_TF_SHIFT, idf(n, inHeadings) * m.weight * HEADING_BOOST, headingNorm),
        );
      }
    }
  });
  if (lists.length === 0) return;
  // Rarest first: the fewer passages a term is in, the more it tells (and the cheaper it is to read).
  lists.sort((a, b) => a.df - b.df || a.term - b.term || a.part - b.part);
  const common = n >= COMMON_MIN_PASSAGES ? COMMON_SHARE * n : Infinity;
  s.begin(groups.length);
  let seen: Uint32Array | undefined;
  lists.forEach((list, i) => {
    // Candidates close between terms, never between a term's text and heading lists, and only once there
    // are some: a question of common words only (or whose rare words the filter rejects) takes its rarest.
    const newTerm = i === 0 || lists[i - 1]!.term !== list.term;
    if (!seen && newTerm && s.touched.length > 0 && (s.touched.length >= CANDIDATES || list.df > common)) seen = Uint32Array.from(s.touched).sort();
    if (!seen) {
      for (let r = list.from; r < list.to; r++) {
        const slot = list.postings[r]!;
        if (s.matched[slot] !== 0 || !accept || accept(slot)) s.add(slot, list.part, list.score(r));
      }
    } else if (seen.length * GALLOP_MIN_GAP < list.to - list.from) {
      let r = list.from;
      for (const slot of seen) {
        r = gallop(list.postings, r, list.to, slot);
        if (r === list.to) break;
        if (list.postings[r] === slot) s.add(slot, list.part, list.score(r));
      }
    } else {
      for (let r = list.from; r < list.to; r++) {
        const slot = list.postings[r]!;
        if (s.matched[slot] !== 0) s.add(slot, list.part, list.score(r));
      }
    }
  });
}

/** First row in from … to − 1 whose slot is not below `slot` (rows ascend): doubling steps, then bisection. */
function gallop(postings: Uint32Array, from: number, to: number, slot: number): number {
  let step = 1;
  let hi = from;
  while (hi < to && postings[hi]! < slot) {
    from = hi + 1;
    hi += step;
    step *= 2;
  }
  hi = Math.min(hi, to);
  while (from < hi) {
    const mid = (from + hi) >>> 1;
    if (postings[mid]! < slot) from = mid + 1;
    else hi = mid;
  }
  return from;
}

function sum(values: Uint16Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
