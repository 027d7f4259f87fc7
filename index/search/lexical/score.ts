/**
 * Scoring a question against the columns: BM25+ as MiniSearch scores it (k 1.2, b 0.7, d 0.5; field length =
 * distinct words), the context field weighing HEADING_BOOST, a spelling key half, a longer word found by prefix
 * PREFIX_WEIGHT and less with its extra length; the sum is multiplied by the number of question terms matched
 * (topk.ts). A question term counts once per field, through its best-matching index term. Term at a time into
 * per-passage accumulators, with rare terms choosing the candidates (see `accumulate`).
 */
import { SPELLING_KEY } from '../analyze.ts';
import { type Columns, findTerm, HEADING_TF_SHIFT, headingDf, lowerBound, MAX_TF } from './columns.ts';
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

/** Field lengths summed over the passages `dead` does not mark: the averages of several segments add up. */
export function lengthSums(c: Columns, dead?: Uint8Array): { heading: number; text: number } {
  let heading = 0;
  let text = 0;
  for (let s = 0; s < c.labels.length; s++) {
    if (dead?.[s]) continue;
    heading += c.headingLen[s]!;
    text += c.textLen[s]!;
  }
  return { heading, text };
}

/** Norms of one segment's passages against the averages of the whole index. */
export function lengthNorms(c: Columns, avgHeading: number, avgText: number): LengthNorms {
  const norm = (lengths: Uint16Array, avg: number) => Float32Array.from(lengths, (len) => K1 * (1 - B + (avg > 0 ? (B * len) / avg : 0)));
  return { headingNorm: norm(c.headingLen, avgHeading), textNorm: norm(c.textLen, avgText) };
}

/** Inverse document frequency (BM25+'s, never negative). */
export function idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** How many live passages of the whole index hold a term: in the text, in the heading, in either. */
export interface TermDf {
  readonly text: number;
  readonly heading: number;
  readonly any: number;
}

/**
 * The statistics BM25 needs of the whole index, whatever segments it is made of: scores are those one index
 * of the same live passages would give.
 */
export interface IndexStats {
  /** Live passages. */
  readonly n: number;
  df(term: string): TermDf;
}

/** One segment as a search reads it: its columns, norms, accumulators and which slots may enter. */
export interface SearchSegment {
  readonly c: Columns;
  readonly norms: LengthNorms;
  readonly s: Accumulators;
  /** false for a removed passage and for one the caller's filter rejects. */
  readonly accept?: (slot: number) => boolean;
}

interface Match {
  readonly term: string;
  readonly weight: number;
}

/** The index terms one question term matches, with their weights, over every segment. */
function matches(segments: readonly SearchSegment[], stats: IndexStats, term: string): Match[] {
  const found: Match[] = [];
  if (stats.df(term).any > 0) found.push({ term, weight: term.startsWith(SPELLING_KEY) ? SPELLING_KEY_BOOST : 1 });
  if (term.length >= MIN_PREFIX && !term.startsWith(SPELLING_KEY)) {
    const longer = new Set<string>();
    for (const { c } of segments) {
      for (let t = lowerBound(c.terms, term); t < c.terms.length && c.terms[t]!.startsWith(term); t++) if (c.terms[t]!.length > term.length) longer.add(c.terms[t]!);
    }
    const expansions = (segments.length > 1 ? [...longer].sort(byString) : [...longer]).map((t) => ({ term: t, df: stats.df(t).any })).filter((x) => x.df > 0);
    if (expansions.length > MAX_EXPANSIONS) expansions.sort((a, b) => b.df - a.df).length = MAX_EXPANSIONS;
    for (const x of expansions) {
      const extra = x.term.length - term.length;
      found.push({ term: x.term, weight: (PREFIX_WEIGHT * x.term.length) / (x.term.length + PREFIX_EXTRA_LETTER * extra) });
    }
  }
  return found;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One postings list of one field in one segment: the BM25+ of row r is `score(r)`. */
interface SegmentList {
  readonly segment: number;
  readonly postings: Uint32Array;
  readonly from: number;
  readonly to: number;
  readonly score: (row: number) => number;
}

/** One field's postings of one index term, over every segment that has it. */
interface ScoredList {
  /** 2 × the index of the question term it belongs to, + 1 for the heading. */
  readonly part: number;
  /** The index term, and the live passages that hold it in any field. */
  readonly term: string;
  readonly df: number;
  readonly lists: readonly SegmentList[];
}

function segmentList(segment: number, postings: Uint32Array, tfs: Uint8Array, from: number, to: number, shift: number, weightedIdf: number, norm: Float32Array): SegmentList {
  return {
    segment,
    postings,
    from,
    to,
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
 * they would cost most of the time. Several segments are read in step, term by term, with the statistics
 * and the candidate count of the whole index: the result is the one index of the same passages would give.
 */
export function accumulate(segments: readonly SearchSegment[], stats: IndexStats, groups: readonly QueryGroup[]): void {
  const { n } = stats;
  const lists: ScoredList[] = [];
  groups.forEach((group, q) => {
    for (const m of group.flatMap(({ term, weight }) => matches(segments, stats, term).map((x) => ({ term: x.term, weight: x.weight * weight })))) {
      const df = stats.df(m.term);
      const text: SegmentList[] = [];
      const heading: SegmentList[] = [];
      segments.forEach(({ c, norms }, k) => {
        const t = findTerm(c, m.term);
        if (t < 0) return;
        if (df.text > 0) text.push(segmentList(k, c.postings, c.tfs, c.starts[t]!, c.starts[t + 1]!, 0, idf(n, df.text) * m.weight, norms.textNorm));
        const from = c.headingStarts[t]!;
        const inHeadings = headingDf(c, t);
        if (df.heading > 0 && inHeadings > 0) {
          heading.push(
            segmentList(k, c.headingPostings, c.headingTfs, from, from + inHeadings, HEADING_TF_SHIFT, idf(n, df.heading) * m.weight * HEADING_BOOST, norms.headingNorm),
          );
        }
      });
      if (text.length > 0) lists.push({ part: 2 * q, term: m.term, df: df.any, lists: text });
      if (heading.length > 0) lists.push({ part: 2 * q + 1, term: m.term, df: df.any, lists: heading });
    }
  });
  if (lists.length === 0) return;
  // Rarest first: the fewer passages a term is in, the more it tells (and the cheaper it is to read).
  lists.sort((a, b) => a.df - b.df || byString(a.term, b.term) || a.part - b.part);
  const common = n >= COMMON_MIN_PASSAGES ? COMMON_SHARE * n : Infinity;
  for (const { s } of segments) s.begin(groups.length);
  let seen: Uint32Array[] | undefined;
  lists.forEach((list, i) => {
    // Candidates close between terms, never between a term's text and heading lists, and only once there
    // are some: a question of common words only (or whose rare words the filter rejects) takes its rarest.
    const newTerm = i === 0 || lists[i - 1]!.term !== list.term;
    const touched = segments.reduce((sum, { s }) => sum + s.touched.length, 0);
    if (!seen && newTerm && touched > 0 && (touched >= CANDIDATES || list.df > common)) seen = segments.map(({ s }) => Uint32Array.from(s.touched).sort());
    for (const l of list.lists) {
      const { s, accept } = segments[l.segment]!;
      const closed = seen?.[l.segment];
      if (!closed) {
        for (let r = l.from; r < l.to; r++) {
          const slot = l.postings[r]!;
          if (s.matched[slot] !== 0 || !accept || accept(slot)) s.add(slot, list.part, l.score(r));
        }
      } else if (closed.length * GALLOP_MIN_GAP < l.to - l.from) {
        let r = l.from;
        for (const slot of closed) {
          r = gallop(l.postings, r, l.to, slot);
          if (r === l.to) break;
          if (l.postings[r] === slot) s.add(slot, list.part, l.score(r));
        }
      } else {
        for (let r = l.from; r < l.to; r++) {
          const slot = l.postings[r]!;
          if (s.matched[slot] !== 0) s.add(slot, list.part, l.score(r));
        }
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
