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
function invert(docs: readonly LexicalDoc[], firstSlot: number): Pick<Columns, 'starts' | 'postings' | 'tfs' | 'labels' | 'headingLen' | 'textLen'> & { readonly terms: string[] } {
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
