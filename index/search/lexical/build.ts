/**
 * Building the keyword index: new passages are inverted into a small sorted index of their own, then merged
 * with the old postings in one pass over the term dictionaries — so a reindex analyses only new passages.
 */
import { analyzeToken, tokenize } from '../analyze.ts';
import { type Columns, HEADING_TF_SHIFT, MAX_TF } from './columns.ts';

export interface LexicalDoc {
  /** Passage label (stable across reindexes while the passage is unchanged). */
  readonly label: number;
  readonly heading?: string;
  readonly text: string;
}

export interface LexicalChange {
  /** Labels of passages to drop. */
  readonly remove?: Iterable<number>;
  readonly add?: readonly LexicalDoc[];
}

/** Initial capacity of the (term, passage) rows while inverting; they double as needed. */
const FIRST_ROWS = 1024;

/** New columns: `old` without `remove` and with `add`. `old` is not changed (it may be answering questions). */
export function merge(old: Columns, { remove = [], add = [] }: LexicalChange): Columns {
  const dead = new Set(remove);
  checkLabels(old.labels, dead, add);
  return concat([
    { columns: old, removed: dead },
    { columns: invert(add, 0), removed: new Set() },
  ]);
}

/** One input of `concat`: columns, and the labels of theirs to leave out. */
export interface ColumnsPart {
  readonly columns: Columns;
  readonly removed: ReadonlySet<number>;
}

/**
 * The parts as one index, in order, without their removed labels: one pass over the sorted term
 * dictionaries (how a segment merge joins keyword indexes without analysing any text again). Each part's
 * slots keep their order after those of the parts before it, so every postings list stays ordered by slot.
 * The labels of the parts must not overlap (after removal).
 */
export function concat(parts: readonly ColumnsPart[]): Columns {
  const slotOf = parts.map(({ columns }) => new Int32Array(columns.labels.length).fill(-1));
  let live = 0;
  parts.forEach(({ columns, removed }, k) => {
    const map = slotOf[k]!;
    for (let s = 0; s < columns.labels.length; s++) if (!removed.has(columns.labels[s]!)) map[s] = live++;
  });

  const terms: string[] = [];
  const starts = [0];
  const textDf: number[] = [];
  const postings = new Uint32Array(parts.reduce((n, p) => n + p.columns.postings.length, 0));
  const tfs = new Uint8Array(postings.length);
  let p = 0;
  const at = parts.map(() => 0);
  for (;;) {
    // The smallest term any part has next (parts are few: a linear scan beats a heap).
    let term: string | undefined;
    parts.forEach(({ columns }, k) => {
      const t = columns.terms[at[k]!];
      if (t !== undefined && (term === undefined || t < term)) term = t;
    });
    if (term === undefined) break;
    const first = p;
    let inText = 0;
    parts.forEach(({ columns: c }, k) => {
      const i = at[k]!;
      if (c.terms[i] !== term) return;
      const map = slotOf[k]!;
      for (let r = c.starts[i]!; r < c.starts[i + 1]!; r++) {
        const slot = map[c.postings[r]!]!;
        if (slot < 0) continue;
        postings[p] = slot;
        const tf = c.tfs[r]!;
        tfs[p++] = tf;
        if (tf & MAX_TF) inText++;
      }
      at[k] = i + 1;
    });
    if (p === first) continue; // every passage with this term was removed
    terms.push(term);
    starts.push(p);
    textDf.push(inText);
  }

  const labels = new Uint32Array(live);
  const headingLen = new Uint16Array(live);
  const textLen = new Uint16Array(live);
  parts.forEach(({ columns: c }, k) => {
    const map = slotOf[k]!;
    for (let s = 0; s < c.labels.length; s++) {
      const to = map[s]!;
      if (to < 0) continue;
      labels[to] = c.labels[s]!;
      headingLen[to] = c.headingLen[s]!;
      textLen[to] = c.textLen[s]!;
    }
  });
  const merged = { starts: Uint32Array.from(starts), postings: postings.slice(0, p), tfs: tfs.slice(0, p) };
  return { terms, textDf: Uint32Array.from(textDf), ...merged, ...headingLists(merged), labels, headingLen, textLen };
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
function invert(docs: readonly LexicalDoc[], firstSlot: number): Columns {
  const ids = new Map<string, number>();
  // One row per (term, passage), kept in passage order; grouped by term below with a counting sort.
  let rowTerm = new Uint32Array(FIRST_ROWS);
  let rowSlot = new Uint32Array(FIRST_ROWS);
  let rowTf = new Uint8Array(FIRST_ROWS);
  let rows = 0;
  const headingLen = new Uint16Array(docs.length);
  const textLen = new Uint16Array(docs.length);
  docs.forEach((doc, d) => {
    const tf = new Map<string, number>();
    headingLen[d] = fieldTerms(doc.heading ?? '', tf, HEADING_TF_SHIFT);
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
  // textDf and the heading lists are made by `concat`, which every inverted batch goes through.
  return {
    terms,
    starts,
    textDf: new Uint32Array(terms.length),
    postings,
    tfs,
    headingStarts: new Uint32Array(terms.length + 1),
    headingPostings: new Uint32Array(0),
    headingTfs: new Uint8Array(0),
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
    for (let r = starts[t]!; r < starts[t + 1]!; r++) if (tfs[r]! >> HEADING_TF_SHIFT) count++;
    headingStarts[t + 1] = count;
  }
  const headingPostings = new Uint32Array(count);
  const headingTfs = new Uint8Array(count);
  let h = 0;
  for (let r = 0; r < postings.length; r++) {
    if (tfs[r]! >> HEADING_TF_SHIFT === 0) continue;
    headingPostings[h] = postings[r]!;
    headingTfs[h++] = tfs[r]!;
  }
  return { headingStarts, headingPostings, headingTfs };
}

function grow<T extends Uint32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
