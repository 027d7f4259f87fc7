/**
 * Keyword search over passages: BM25+ over two fields (heading, text) with the German-aware analyzer, held as
 * an immutable inverted index in typed arrays — a sorted term dictionary and one postings array — so that it
 * loads from disk without parsing, and a question scores only the passages that can still reach the top.
 *
 * Scoring follows MiniSearch's BM25+ (k 1.2, b 0.7, d 0.5; field length = distinct words), which this index
 * replaced: headings weigh 1.5, a spelling key half, a longer word found by prefix 0.375 and less with its
 * extra length, and the sum is multiplied by the number of question terms matched.
 */
import { analyzeToken, SPELLING_KEY, tokenize } from './analyze.ts';
import { packSections, unpackSections } from '../store/sections.ts';

export const LEXICAL_FORMAT_VERSION = 2;

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

export interface LexicalChange {
  /** Labels of passages to drop. */
  readonly remove?: Iterable<number>;
  readonly add?: readonly LexicalDoc[];
}

const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;
const HEADING_BOOST = 1.5;
const SPELLING_KEY_BOOST = 0.5;
const PREFIX_WEIGHT = 0.375;
/** Prefixes find compounds from their first part ("Sicherheit" → "Sicherheitsgarantien"); shorter words would find too much. */
const MIN_PREFIX = 6;
/** Words of a question beyond this many analysed terms are left out (a bit each per passage while scoring). */
const MASK_WORDS = 2;
const MAX_QUESTION_TERMS = 32 * MASK_WORDS;
/** Term frequencies are kept per field in four bits each; BM25 saturates long before 15. */
const MAX_TF = 15;

/** The index's columns; postings of term t are rows starts[t] … starts[t + 1] − 1, ordered by slot. */
interface Columns {
  /** Sorted by JavaScript string order. */
  readonly terms: readonly string[];
  readonly starts: Uint32Array;
  /** Per term: passages with it in the heading / in the text (BM25 is per field). */
  readonly headingDf: Uint32Array;
  readonly textDf: Uint32Array;
  /** Per posting: the passage slot, and heading tf << 4 | text tf. */
  readonly postings: Uint32Array;
  readonly tfs: Uint8Array;
  /** Per slot: passage label and field lengths. */
  readonly labels: Uint32Array;
  readonly headingLen: Uint16Array;
  readonly textLen: Uint16Array;
}

const EMPTY: Columns = {
  terms: [],
  starts: new Uint32Array(1),
  headingDf: new Uint32Array(0),
  textDf: new Uint32Array(0),
  postings: new Uint32Array(0),
  tfs: new Uint8Array(0),
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
    // Old slots keep their order, so every merged postings list stays ordered by slot.
    const slotOf = new Int32Array(old.labels.length).fill(-1);
    let live = 0;
    for (let s = 0; s < old.labels.length; s++) if (!dead.has(old.labels[s]!)) slotOf[s] = live++;
    const fresh = invert(add, live);

    const terms: string[] = [];
    const starts = [0];
    const headingDf: number[] = [];
    const textDf: number[] = [];
    const postings = new Uint32Array(old.postings.length + fresh.postings.length);
    const tfs = new Uint8Array(postings.length);
    let p = 0;
    let inHeading = 0;
    let inText = 0;
    const push = (slot: number, tf: number) => {
      postings[p] = slot;
      tfs[p++] = tf;
      if (tf >> 4) inHeading++;
      if (tf & MAX_TF) inText++;
    };
    let i = 0;
    let j = 0;
    while (i < old.terms.length || j < fresh.terms.length) {
      const a = old.terms[i];
      const b = fresh.terms[j];
      const term = b === undefined || (a !== undefined && a < b) ? a! : b;
      const first = p;
      inHeading = inText = 0;
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
      headingDf.push(inHeading);
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
    return new LexicalIndex({
      terms,
      starts: Uint32Array.from(starts),
      headingDf: Uint32Array.from(headingDf),
      textDf: Uint32Array.from(textDf),
      postings: postings.slice(0, p),
      tfs: tfs.slice(0, p),
      labels,
      headingLen,
      textLen,
    });
  }

  /** Inverse document frequency; a term no passage contains gets the highest value. */
  idf(term: string): number {
    return idf(this.size, this.df(term));
  }

  /** Whether any passage contains the term. */
  has(term: string): boolean {
    return this.find(term) >= 0;
  }

  /**
   * The `limit` best passages for a question, best first. `accept` (a filter on labels) is applied before
   * counting to `limit`; with it every candidate is scored, without it hopeless ones are skipped.
   */
  search(question: string, limit: number, accept?: (label: number) => boolean): LexicalHit[] {
    const terms = [...new Set(tokenize(question).flatMap(analyzeToken))];
    if (terms.length === 0 || this.size === 0 || limit <= 0) return [];
    const s = (this.scratch ??= new Scratch(this.size));
    try {
      const labels = this.c.labels;
      const ok = accept && ((slot: number) => accept(labels[slot]!));
      this.accumulate(terms, limit, s, ok);
      return s.best(limit, ok).map((slot) => ({ label: labels[slot]!, score: s.final(slot) }));
    } finally {
      s.reset();
    }
  }

  encode(): Buffer {
    const c = this.c;
    return packSections({ formatVersion: LEXICAL_FORMAT_VERSION, terms: c.terms.length }, [
      c.starts,
      c.headingDf,
      c.textDf,
      c.postings,
      c.labels,
      c.headingLen,
      c.textLen,
      c.tfs,
      Buffer.from(c.terms.join('\n'), 'utf8'),
    ]);
  }

  static decode(bytes: Buffer): LexicalIndex {
    const { header, sections } = unpackSections(bytes);
    if (header.formatVersion !== LEXICAL_FORMAT_VERSION) {
      throw new Error(`quotedesk: keyword index format ${String(header.formatVersion)} is not ${LEXICAL_FORMAT_VERSION}`);
    }
    const [starts, headingDf, textDf, postings, labels, headingLen, textLen, tfs, blob] = sections;
    const text = Buffer.from(blob!.buffer, blob!.byteOffset, blob!.byteLength).toString('utf8');
    const terms = text === '' ? [] : text.split('\n');
    if (terms.length !== header.terms) throw new Error('quotedesk: keyword index is truncated');
    return new LexicalIndex({
      terms,
      starts: new Uint32Array(starts!.buffer, starts!.byteOffset, starts!.byteLength / 4),
      headingDf: new Uint32Array(headingDf!.buffer, headingDf!.byteOffset, headingDf!.byteLength / 4),
      textDf: new Uint32Array(textDf!.buffer, textDf!.byteOffset, textDf!.byteLength / 4),
      postings: new Uint32Array(postings!.buffer, postings!.byteOffset, postings!.byteLength / 4),
      labels: new Uint32Array(labels!.buffer, labels!.byteOffset, labels!.byteLength / 4),
      headingLen: new Uint16Array(headingLen!.buffer, headingLen!.byteOffset, headingLen!.byteLength / 2),
      textLen: new Uint16Array(textLen!.buffer, textLen!.byteOffset, textLen!.byteLength / 2),
      tfs: new Uint8Array(tfs!.buffer, tfs!.byteOffset, tfs!.byteLength),
    });
  }

  private find(term: string): number {
    const t = lowerBound(this.c.terms, term);
    return this.c.terms[t] === term ? t : -1;
  }

  private df(term: string): number {
    const t = this.find(term);
    return t < 0 ? 0 : this.c.starts[t + 1]! - this.c.starts[t]!;
  }

  /** The index terms one question term matches, with their weights. */
  private matches(term: string): Match[] {
    const { terms } = this.c;
    const matches: Match[] = [];
    const exact = this.find(term);
    if (exact >= 0) matches.push({ term: exact, weight: term.startsWith(SPELLING_KEY) ? SPELLING_KEY_BOOST : 1 });
    if (term.length >= MIN_PREFIX && !term.startsWith(SPELLING_KEY)) {
      for (let t = lowerBound(terms, term); t < terms.length && terms[t]!.startsWith(term); t++) {
        const extra = terms[t]!.length - term.length;
        if (extra > 0) matches.push({ term: t, weight: (PREFIX_WEIGHT * terms[t]!.length) / (terms[t]!.length + 0.3 * extra) });
      }
    }
    return matches;
  }

  /**
   * Term at a time into per-passage accumulators, exact top `limit` (MaxScore). Postings lists are read
   * most valuable first (rare terms); once even a passage in every remaining list could not reach the current
   * `limit`-th score, the remaining lists — the common terms, most of the work — only add to passages seen.
   */
  private accumulate(questionTerms: readonly string[], limit: number, s: Scratch, accept?: (slot: number) => boolean): void {
    const { starts, postings, tfs, headingDf, textDf } = this.c;
    const { headingNorm, textNorm } = this.norms();
    const n = this.size;
    const lists = questionTerms
      .slice(0, MAX_QUESTION_TERMS)
      .flatMap((term, q) => this.matches(term).map((m) => {
        const idfH = headingDf[m.term]! > 0 ? idf(n, headingDf[m.term]!) * HEADING_BOOST * m.weight : 0;
        const idfT = textDf[m.term]! > 0 ? idf(n, textDf[m.term]!) * m.weight : 0;
        // BM25+ approaches idf · (d + k1 + 1) as tf grows: no passage gets more from this list.
        return { term: m.term, q, idfH, idfT, bound: (DELTA + K1 + 1) * (idfH + idfT) };
      }))
      .sort((a, b) => b.bound - a.bound);
    let rest = lists.reduce((b, l) => b + l.bound, 0);
    const listsLeft = new Map<number, number>();
    for (const l of lists) listsLeft.set(l.q, (listsLeft.get(l.q) ?? 0) + 1);
    let admitNew = true;
    let checkedAt = Infinity;
    let kth = 0;
    for (const { term, q, idfH, idfT, bound } of lists) {
      // An unseen passage gets at most `rest` from the remaining lists, times the question terms they hold.
      const unseen = rest * listsLeft.size;
      if (admitNew && s.touched.length >= limit && unseen < s.top) {
        // Scores grow as lists are read, so an old k-th best stays a valid bar; recomputing it costs a pass.
        if (unseen < 0.75 * checkedAt) {
          kth = s.kthFinal(limit, accept);
          checkedAt = unseen;
        }
        if (unseen < kth) admitNew = false;
      }
      rest -= bound;
      const left = listsLeft.get(q)! - 1;
      if (left > 0) listsLeft.set(q, left);
      else listsLeft.delete(q);
      const word = q >> 5;
      const bit = 1 << (q & 31);
      for (let r = starts[term]!; r < starts[term + 1]!; r++) {
        const slot = postings[r]!;
        if (!admitNew && s.matched[slot] === 0) continue;
        const tf = tfs[r]!;
        const th = tf >> 4;
        const tt = tf & MAX_TF;
        let score = 0;
        if (th) score += idfH * (DELTA + (th * (K1 + 1)) / (th + headingNorm[slot]!));
        if (tt) score += idfT * (DELTA + (tt * (K1 + 1)) / (tt + textNorm[slot]!));
        s.add(slot, word, bit, score);
      }
    }
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

/** Per-passage accumulators, allocated once per index and cleared after every search. */
class Scratch {
  readonly scores: Float64Array;
  /** Question terms matched so far: their number, and which (a bit each). */
  readonly matched: Uint8Array;
  private readonly seen: Uint32Array;
  touched: number[] = [];
  private buffer = new Float64Array(1024);
  /** The best final score so far; the k-th best is no higher, which often spares computing it. */
  top = 0;

  constructor(n: number) {
    this.scores = new Float64Array(n);
    this.matched = new Uint8Array(n);
    this.seen = new Uint32Array(n * MASK_WORDS);
  }

  add(slot: number, word: number, bit: number, score: number): void {
    if (this.matched[slot] === 0) this.touched.push(slot);
    const at = slot * MASK_WORDS + word;
    if ((this.seen[at]! & bit) === 0) {
      this.seen[at]! |= bit;
      this.matched[slot]!++;
    }
    this.scores[slot]! += score;
    const final = this.scores[slot]! * this.matched[slot]!;
    if (final > this.top) this.top = final;
  }

  /** MiniSearch's ranking: the score times the number of question terms matched. */
  final(slot: number): number {
    return this.scores[slot]! * this.matched[slot]!;
  }

  /**
   * The k-th best final score so far among accepted passages (scores only grow, so the final k-th best is at
   * least this); −Infinity while fewer than k.
   */
  kthFinal(k: number, accept?: (slot: number) => boolean): number {
    const finals = this.finals(accept);
    return finals.length < k ? -Infinity : kthLargest(finals.values, k);
  }

  /** The `k` best accepted passages, best first; ties by slot (older passages first), the same order on every run. */
  best(k: number, accept?: (slot: number) => boolean): number[] {
    const kth = this.kthFinal(k, accept);
    const top = this.touched.filter((slot) => this.final(slot) >= kth && (!accept || accept(slot)));
    return top.sort((a, b) => this.final(b) - this.final(a) || a - b).slice(0, k);
  }

  private finals(accept?: (slot: number) => boolean): { values: Float64Array; length: number } {
    if (this.buffer.length < this.touched.length) this.buffer = new Float64Array(this.touched.length * 2);
    let length = 0;
    for (const slot of this.touched) if (!accept || accept(slot)) this.buffer[length++] = this.scores[slot]! * this.matched[slot]!;
    return { values: this.buffer.subarray(0, length), length };
  }

  reset(): void {
    for (const slot of this.touched) {
      this.scores[slot] = 0;
      this.matched[slot] = 0;
      this.seen.fill(0, slot * MASK_WORDS, (slot + 1) * MASK_WORDS);
    }
    this.touched = [];
    this.top = 0;
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
function invert(docs: readonly LexicalDoc[], firstSlot: number): Columns & { readonly terms: string[] } {
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
    headingDf: new Uint32Array(0),
    textDf: new Uint32Array(0),
    postings,
    tfs,
    labels: Uint32Array.from(docs, (d) => d.label),
    headingLen,
    textLen,
  };
}

function grow<T extends Uint32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
