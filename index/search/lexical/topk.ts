/**
 * Per-passage accumulators for one search, and the k best of them. Allocated once per index (a search reuses
 * them and clears only what it touched), so a question costs what its postings cost, not the archive's size.
 */

/** Words of a question beyond this many are left out: the matched count per passage is a byte. */
export const MAX_QUESTION_TERMS = 64;
/** Seen passages the accumulators have room for before they grow. */
const FIRST_ROWS = 1024;

/**
 * A passage's score is the sum over question terms and fields ("parts": 2 × term + 1 for the heading) of the
 * best list it is in; `perPart` keeps those per seen passage, so a better alternative replaces a worse one.
 */
export class Accumulators {
  readonly scores: Float64Array;
  /** Question terms matched so far. */
  readonly matched: Uint8Array;
  /** Row of a seen passage in `perPart`, or −1. */
  private readonly row: Int32Array;
  private perPart = new Float64Array(0);
  private parts = 0;
  /** Seen passages' slots, in the order they were first scored. */
  touched: number[] = [];
  private buffer = new Float64Array(FIRST_ROWS);

  constructor(n: number) {
    this.scores = new Float64Array(n);
    this.matched = new Uint8Array(n);
    this.row = new Int32Array(n).fill(-1);
  }

  begin(questionTerms: number): void {
    this.parts = 2 * questionTerms;
    if (this.perPart.length < FIRST_ROWS * this.parts) this.perPart = new Float64Array(FIRST_ROWS * this.parts);
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
