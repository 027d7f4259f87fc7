/**
 * Keyword search over passages: BM25+ over two fields (heading, text) with the German-aware analyzer, held as
 * an immutable inverted index in typed arrays — a sorted term dictionary and postings arrays — so that it
 * loads from disk without parsing, and a question reads its rare terms' lists in full and only searches the
 * common ones (see `accumulate`).
 *
 * Scoring follows MiniSearch's BM25+ (k 1.2, b 0.7, d 0.5; field length = distinct words), which this index
 * replaced: the context field (article title and section heading) weighs 0.5 — it says what the whole article is about, not this passage — a spelling key half, a longer word found by prefix 0.375 and less with its
 * extra length, and the sum is multiplied by the number of question terms matched. One difference: a
 * question term counts once per field, through its best-matching index term, where MiniSearch added up
 * every compound a prefix matched (which favoured passages full of compounds).
 */
import { analyze, analyzeToken, SPELLING_KEY, tokenize } from './analyze.ts';
import { packSections, unpackSections } from '../store/sections.ts';

export const LEXICAL_FORMAT_VERSION = 4;

export interface LexicalDoc {
  /** Passage label (stable across reindexes while the passage is unchanged). */
  readonly label: number;
  readonly heading?: string;
  readonly text: string;
}

export interface LexicalHit {
  readonly label: number;
  readonly score: number;
}

/** One question word's alternative terms; see `searchGroups`. */
export type QueryGroup = ReadonlyArray<{ readonly term: string; readonly weight: number }>;

export interface LexicalChange {
  /** Labels of passages to drop. */
  readonly remove?: Iterable<number>;
  readonly add?: readonly LexicalDoc[];
}

/** Passages a question's rare terms bring in before the rest only score them; see `accumulate`. */
const CANDIDATES = 4096;
/** In an archive of at least COMMON_MIN_PASSAGES, a term in more than COMMON_SHARE of them brings in no passages. */
const COMMON_MIN_PASSAGES = 5_000;
const COMMON_SHARE = 0.05;
/** A short word could start thousands of compounds; the commonest ones are searched. */
const MAX_EXPANSIONS = 64;
const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;
const HEADING_BOOST = 0.5;
const SPELLING_KEY_BOOST = 0.5;
const PREFIX_WEIGHT = 0.375;
/** Prefixes find compounds from their first part ("Sicherheit" → "Sicherheitsgarantien"); shorter words would find too much. */
const MIN_PREFIX = 6;
/** Words of a question beyond this many analysed terms are left out (the matched count is a byte). */
const MAX_QUESTION_TERMS = 64;
/** Term frequencies are kept per field in four bits each; BM25 saturates long before 15. */
const MAX_TF = 15;

/**
 * The index's columns. Postings of term t are rows starts[t] … starts[t + 1] − 1, ordered by slot; those with
 * the term in the heading are also listed apart (few passages have one), so that scoring the heading field
 * reads only them.
 */
interface Columns {
  /** Sorted by JavaScript string order. */
  readonly terms: readonly string[];
  readonly starts: Uint32Array;
  /** Per term: passages with it in the text (BM25 is per field). */
  readonly textDf: Uint32Array;
  /** Per posting: the passage slot, and heading tf << 4 | text tf. */
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

const EMPTY: Columns = {
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

export class LexicalIndex {
  private readonly avgHeading: number;
  private readonly avgText: number;
  private scratch?: Scratch;
  private lengthNorms?: { headingNorm: Float32Array; textNorm: Float32Array };

  private constructor(private readonly c: Columns) {
    const n = c.labels.length;
    this.avgHeading = n > 0 ? sum(c.headingLen) / n : 0;
    this.avgText = n > 0 ? sum(c.textLen) / n : 0;
  }

  static create(docs: readonly LexicalDoc[] = []): LexicalIndex {
    return new LexicalIndex(EMPTY).update({ add: docs });
  }

  get size(): number {
    return this.c.labels.length;
  }

  /** A new index without `remove` and with `add`; this one stays as it is (it may be answering questions). */
  update({ remove = [], add = [] }: LexicalChange): LexicalIndex {
    const old = this.c;
    const dead = new Set(remove);
    checkLabels(old.labels, dead, add);
    // Old slots keep their order, so every merged postings list stays ordered by slot.
    const slotOf = new Int32Array(old.labels.length).fill(-1);
    let live = 0;
    for (let s = 0; s < old.labels.length; s++) if (!dead.has(old.labels[s]!)) slotOf[s] = live++;
    const fresh = invert(add, live);

    const terms: string[] = [];
    const starts = [0];
    const textDf: number[] = [];
    const postings = new Uint32Array(old.postings.length + fresh.postings.length);
    const tfs = new Uint8Array(postings.length);
    let p = 0;
    let inText = 0;
    const push = (slot: number, tf: number) => {
      postings[p] = slot;
      tfs[p++] = tf;
      if (tf & MAX_TF) inText++;
    };
    let i = 0;
    let j = 0;
    while (i < old.terms.length || j < fresh.terms.length) {
      const a = old.terms[i];
      const b = fresh.terms[j];
      const term = b === undefined || (a !== undefined && a < b) ? a! : b;
      const first = p;
      inText = 0;
      if (term === a) {
        for (let r = old.starts[i]!; r < old.starts[i + 1]!; r++) {
          const slot = slotOf[old.postings[r]!]!;
          if (slot < 0) continue;
          push(slot, old.tfs[r]!);
        }
        i++;
      }
      if (term === b) {
        for (let r = fresh.starts[j]!; r < fresh.starts[j + 1]!; r++) {
          push(fresh.postings[r]!, fresh.tfs[r]!);
        }
        j++;
      }
      if (p === first) continue; // every passage with this term was removed
      terms.push(term);
      starts.push(p);
      textDf.push(inText);
    }

    const n = live + add.length;
    const labels = new Uint32Array(n);
    const headingLen = new Uint16Array(n);
    const textLen = new Uint16Array(n);
    for (let s = 0; s < old.labels.length; s++) {
      const to = slotOf[s]!;
      if (to < 0) continue;
      labels[to] = old.labels[s]!;
      headingLen[to] = old.headingLen[s]!;
      textLen[to] = old.textLen[s]!;
    }
    labels.set(fresh.labels, live);
    headingLen.set(fresh.headingLen, live);
    textLen.set(fresh.textLen, live);
    const merged = { starts: Uint32Array.from(starts), postings: postings.slice(0, p), tfs: tfs.slice(0, p) };
    return new LexicalIndex({ terms, textDf: Uint32Array.from(textDf), ...merged, ...headingLists(merged), labels, headingLen, textLen });
  }

  /** Inverse document frequency; a term no passage contains gets the highest value. */
  idf(term: string): number {
    return idf(this.size, this.df(term));
  }

  /** Whether any passage contains the term. */
  has(term: string): boolean {
    return this.find(term) >= 0;
  }

  /** Whether any passage contains a term starting with `prefix` (a compound built on it). */
  hasPrefix(prefix: string): boolean {
    return this.c.terms[lowerBound(this.c.terms, prefix)]?.startsWith(prefix) ?? false;
  }

  /**
   * The `limit` best passages for a question, best first. Only passages `accept` (a filter on labels) lets
   * through become candidates, so the limit counts accepted passages.
   */
  search(question: string, limit: number, accept?: (label: number) => boolean): LexicalHit[] {
    return this.searchGroups([...new Set(analyze(question))].map((term) => [{ term, weight: 1 }]), limit, accept);
  }

  /**
   * The same for a question already analysed into groups: each group is one question word, its terms
   * alternatives for it (its own forms, translations, parts) with a weight each. A passage scores a group
   * once per field, through its best-scoring alternative, and counts it once among the matched words.
   */
  searchGroups(groups: readonly QueryGroup[], limit: number, accept?: (label: number) => boolean): LexicalHit[] {
    limit = Math.floor(limit);
    const kept = groups.filter((g) => g.length > 0).slice(0, MAX_QUESTION_TERMS);
    if (kept.length === 0 || this.size === 0 || limit <= 0) return [];
    const s = (this.scratch ??= new Scratch(this.size));
    try {
      const labels = this.c.labels;
      const ok = accept && ((slot: number) => accept(labels[slot]!));
      this.accumulate(kept, s, ok);
      return s.best(limit).map((slot) => ({ label: labels[slot]!, score: s.final(slot) }));
    } finally {
      s.reset();
    }
  }

  encode(): Buffer {
    const c = this.c;
    return packSections({ formatVersion: LEXICAL_FORMAT_VERSION, terms: c.terms.length }, [
      c.starts,
      c.textDf,
      c.postings,
      c.headingStarts,
      c.headingPostings,
      c.labels,
      c.headingLen,
      c.textLen,
      c.tfs,
      c.headingTfs,
      Buffer.from(c.terms.join('\n'), 'utf8'),
    ]);
  }

  static decode(bytes: Buffer): LexicalIndex {
    const { header, sections } = unpackSections(bytes);
    if (header.formatVersion !== LEXICAL_FORMAT_VERSION) {
      throw new Error(`quotedesk: keyword index format ${String(header.formatVersion)} is not ${LEXICAL_FORMAT_VERSION}`);
    }
    const [starts, textDf, postings, headingStarts, headingPostings, labels, headingLen, textLen, tfs, headingTfs, blob] = sections;
    const text = Buffer.from(blob!.buffer, blob!.byteOffset, blob!.byteLength).toString('utf8');
    const terms = text === '' ? [] : text.split('\n');
    if (terms.length !== header.terms) throw new Error('quotedesk: keyword index is truncated');
    const u32 = (b: Uint8Array | undefined) => new Uint32Array(b!.buffer, b!.byteOffset, b!.byteLength / 4);
    const u16 = (b: Uint8Array | undefined) => new Uint16Array(b!.buffer, b!.byteOffset, b!.byteLength / 2);
    const c: Columns = {
      terms,
      starts: u32(starts),
      textDf: u32(textDf),
      postings: u32(postings),
      tfs: tfs!,
      headingStarts: u32(headingStarts),
      headingPostings: u32(headingPostings),
      headingTfs: headingTfs!,
      labels: u32(labels),
      headingLen: u16(headingLen),
      textLen: u16(textLen),
    };
    const consistent =
      c.starts.length === terms.length + 1 &&
      c.headingStarts.length === terms.length + 1 &&
      c.textDf.length === terms.length &&
      c.starts[terms.length] === c.postings.length &&
      c.tfs.length === c.postings.length &&
      c.headingStarts[terms.length] === c.headingPostings.length &&
      c.headingTfs.length === c.headingPostings.length &&
      c.headingLen.length === c.labels.length &&
      c.textLen.length === c.labels.length;
    if (!consistent) throw new Error('quotedesk: keyword index columns do not fit together (damaged file)');
    return new LexicalIndex(c);
  }

  private find(term: string): number {
    const t = lowerBound(this.c.terms, term);
    return this.c.terms[t] === term ? t : -1;
  }

  private df(term: string): number {
    const t = this.find(term);
    return t < 0 ? 0 : this.termDf(t);
  }

  /** Passages holding dictionary term t, in any field. */
  private termDf(t: number): number {
    return this.c.starts[t + 1]! - this.c.starts[t]!;
  }

  /** The index terms one question term matches, with their weights. */
  private matches(term: string): Match[] {
    const { terms } = this.c;
    const matches: Match[] = [];
    const exact = this.find(term);
    if (exact >= 0) matches.push({ term: exact, weight: term.startsWith(SPELLING_KEY) ? SPELLING_KEY_BOOST : 1 });
    if (term.length >= MIN_PREFIX && !term.startsWith(SPELLING_KEY)) {
      const longer: Match[] = [];
      for (let t = lowerBound(terms, term); t < terms.length && terms[t]!.startsWith(term); t++) {
        const extra = terms[t]!.length - term.length;
        if (extra > 0) longer.push({ term: t, weight: (PREFIX_WEIGHT * terms[t]!.length) / (terms[t]!.length + 0.3 * extra) });
      }
      if (longer.length > MAX_EXPANSIONS) longer.sort((a, b) => this.termDf(b.term) - this.termDf(a.term)).length = MAX_EXPANSIONS;
      matches.push(...longer);
    }
    return matches;
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
  private accumulate(groups: readonly QueryGroup[], s: Scratch, accept?: (slot: number) => boolean): void {
    const c = this.c;
    const n = this.size;
    const { headingNorm, textNorm } = this.norms();
    const lists: ScoredList[] = [];
    groups.forEach((group, q) => {
      for (const m of group.flatMap(({ term, weight }) => this.matches(term).map((x) => ({ term: x.term, weight: x.weight * weight })))) {
        const textDf = c.textDf[m.term]!;
        const headingDf = c.headingStarts[m.term + 1]! - c.headingStarts[m.term]!;
        const df = this.termDf(m.term);
        if (textDf > 0) lists.push(scored(2 * q, m.term, df, c.postings, c.tfs, c.starts[m.term]!, c.starts[m.term + 1]!, 0, idf(n, textDf) * m.weight, textNorm));
        if (headingDf > 0) {
          const from = c.headingStarts[m.term]!;
          lists.push(scored(2 * q + 1, m.term, df, c.headingPostings, c.headingTfs, from, from + headingDf, 4, idf(n, headingDf) * m.weight * HEADING_BOOST, headingNorm));
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
      } else if (seen.length * 16 < list.to - list.from) {
        // Few seen passages, a long list: find each one by galloping instead of reading the list.
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

  /** k1 · (1 − b + b · length / average length) per passage and field: BM25's length part, computed once. */
  private norms(): { headingNorm: Float32Array; textNorm: Float32Array } {
    if (!this.lengthNorms) {
      const norm = (lengths: Uint16Array, avg: number) => Float32Array.from(lengths, (len) => K1 * (1 - B + (avg > 0 ? (B * len) / avg : 0)));
      this.lengthNorms = { headingNorm: norm(this.c.headingLen, this.avgHeading), textNorm: norm(this.c.textLen, this.avgText) };
    }
    return this.lengthNorms;
  }
}

interface Match {
  readonly term: number;
  readonly weight: number;
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

function scored(part: number, term: number, df: number, postings: Uint32Array, tfs: Uint8Array, from: number, to: number, shift: number, weightedIdf: number, norm: Float32Array): ScoredList {
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

/**
 * Per-passage accumulators, allocated once per index and cleared after every search. A passage's score is the
 * sum over question terms and fields of the best list it is in; `perPart` keeps those per seen passage.
 */
class Scratch {
  readonly scores: Float64Array;
  /** Question terms matched so far. */
  readonly matched: Uint8Array;
  /** Row of a seen passage in `best`, or −1. */
  private readonly row: Int32Array;
  private perPart = new Float64Array(0);
  private parts = 0;
  touched: number[] = [];
  private buffer = new Float64Array(1024);

  constructor(n: number) {
    this.scores = new Float64Array(n);
    this.matched = new Uint8Array(n);
    this.row = new Int32Array(n).fill(-1);
  }

  begin(questionTerms: number): void {
    this.parts = 2 * questionTerms;
    if (this.perPart.length < 1024 * this.parts) this.perPart = new Float64Array(1024 * this.parts);
  }

  add(slot: number, part: number, score: number): void {
    if (score === 0) return; // the term is only in the other field
    let row = this.row[slot]!;
    if (row < 0) {
      row = this.row[slot] = this.touched.push(slot) - 1;
      if ((row + 1) * this.parts > this.perPart.length) {
        const grown = new Float64Array(this.perPart.length * 2);
        grown.set(this.perPart);
        this.perPart = grown;
      }
    }
    const at = row * this.parts + part;
    const before = this.perPart[at]!;
    if (score <= before) return;
    this.perPart[at] = score;
    if (before === 0 && this.perPart[at ^ 1] === 0) this.matched[slot]!++;
    this.scores[slot]! += score - before;
  }

  /** MiniSearch's ranking: the score times the number of question terms matched. */
  final(slot: number): number {
    return this.scores[slot]! * this.matched[slot]!;
  }

  /** The `k` best passages seen, best first; ties by slot (older passages first), the same order on every run. */
  best(k: number): number[] {
    const n = this.touched.length;
    if (this.buffer.length < n) this.buffer = new Float64Array(n * 2);
    const finals = this.buffer.subarray(0, n);
    this.touched.forEach((slot, i) => (finals[i] = this.final(slot)));
    const kth = n > k ? kthLargest(finals, k) : -Infinity;
    const top = this.touched.filter((slot) => this.final(slot) >= kth);
    return top.sort((a, b) => this.final(b) - this.final(a) || a - b).slice(0, k);
  }

  reset(): void {
    for (const slot of this.touched) {
      this.scores[slot] = 0;
      this.matched[slot] = 0;
      this.row[slot] = -1;
    }
    this.perPart.fill(0, 0, this.touched.length * this.parts);
    this.touched = [];
  }
}

/** Quickselect; reorders `values`. */
function kthLargest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const want = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i++] = values[j]!;
        values[j--] = t;
      }
    }
    if (want <= j) hi = j;
    else if (want >= i) lo = i;
    else break;
  }
  return values[want]!;
}

function idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

function sum(values: Uint16Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** First position whose term is not below `term`. */
function lowerBound(terms: readonly string[], term: string): number {
  let lo = 0;
  let hi = terms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (terms[mid]! < term) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Labels are passage ids: unsigned 32-bit, and one passage each. */
function checkLabels(live: Uint32Array, removed: ReadonlySet<number>, add: readonly LexicalDoc[]): void {
  const held = new Set<number>();
  for (const label of live) if (!removed.has(label)) held.add(label);
  for (const { label } of add) {
    if (!Number.isInteger(label) || label < 0 || label > 0xffffffff) throw new Error(`quotedesk: keyword index label ${label} is not an unsigned 32-bit integer`);
    if (held.has(label)) throw new Error(`quotedesk: keyword index already holds passage label ${label}`);
    held.add(label);
  }
}

/** Distinct words of a field, as MiniSearch counted them, capped to the column's range. */
function fieldTerms(text: string, tf: Map<string, number>, shift: number): number {
  const words = tokenize(text);
  for (const word of words) {
    for (const term of analyzeToken(word)) {
      const packed = tf.get(term) ?? 0;
      const count = (packed >> shift) & MAX_TF;
      if (count < MAX_TF) tf.set(term, packed + (1 << shift));
    }
  }
  return Math.min(new Set(words).size, 0xffff);
}

/** New passages as a small sorted index of their own, slots numbered from `firstSlot`. */
function invert(docs: readonly LexicalDoc[], firstSlot: number): Pick<Columns, 'starts' | 'postings' | 'tfs' | 'labels' | 'headingLen' | 'textLen'> & { readonly terms: string[] } {
  const ids = new Map<string, number>();
  // One row per (term, passage), kept in passage order; grouped by term below with a counting sort.
  let rowTerm = new Uint32Array(1024);
  let rowSlot = new Uint32Array(1024);
  let rowTf = new Uint8Array(1024);
  let rows = 0;
  const headingLen = new Uint16Array(docs.length);
  const textLen = new Uint16Array(docs.length);
  docs.forEach((doc, d) => {
    const tf = new Map<string, number>();
    headingLen[d] = fieldTerms(doc.heading ?? '', tf, 4);
    textLen[d] = fieldTerms(doc.text, tf, 0);
    if (rows + tf.size > rowTerm.length) {
      const size = Math.max(rowTerm.length * 2, rows + tf.size);
      rowTerm = grow(rowTerm, new Uint32Array(size));
      rowSlot = grow(rowSlot, new Uint32Array(size));
      rowTf = grow(rowTf, new Uint8Array(size));
    }
    for (const [term, packed] of tf) {
      let id = ids.get(term);
      if (id === undefined) ids.set(term, (id = ids.size));
      rowTerm[rows] = id;
      rowSlot[rows] = firstSlot + d;
      rowTf[rows++] = packed;
    }
  });
  const terms = [...ids.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rank = new Uint32Array(ids.size);
  terms.forEach((term, r) => (rank[ids.get(term)!] = r));
  const starts = new Uint32Array(terms.length + 1);
  for (let r = 0; r < rows; r++) starts[rank[rowTerm[r]!]! + 1]!++;
  for (let t = 0; t < terms.length; t++) starts[t + 1]! += starts[t]!;
  const next = starts.slice(0, terms.length);
  const postings = new Uint32Array(rows);
  const tfs = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const at = next[rank[rowTerm[r]!]!]!++;
    postings[at] = rowSlot[r]!;
    tfs[at] = rowTf[r]!;
  }
  return {
    terms,
    starts,
    postings,
    tfs,
    labels: Uint32Array.from(docs, (d) => d.label),
    headingLen,
    textLen,
  };
}

/** The postings with the term in the heading, per term. */
function headingLists({ starts, postings, tfs }: Pick<Columns, 'starts' | 'postings' | 'tfs'>): Pick<Columns, 'headingStarts' | 'headingPostings' | 'headingTfs'> {
  const terms = starts.length - 1;
  const headingStarts = new Uint32Array(terms + 1);
  let count = 0;
  for (let t = 0; t < terms; t++) {
    for (let r = starts[t]!; r < starts[t + 1]!; r++) if (tfs[r]! >> 4) count++;
    headingStarts[t + 1] = count;
  }
  const headingPostings = new Uint32Array(count);
  const headingTfs = new Uint8Array(count);
  let h = 0;
  for (let r = 0; r < postings.length; r++) {
    if (tfs[r]! >> 4 === 0) continue;
    headingPostings[h] = postings[r]!;
    headingTfs[h++] = tfs[r]!;
  }
  return { headingStarts, headingPostings, headingTfs };
}

function grow<T extends Uint32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
