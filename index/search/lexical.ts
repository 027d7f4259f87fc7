/**
 * Keyword search over passages: BM25+ over two fields (heading, text) with the German-aware analyzer, held as
 * an immutable inverted index in typed arrays — a sorted term dictionary and postings arrays — so that it
 * loads from disk without parsing, and a question reads its rare terms' lists in full and only searches the
 * common ones. Goals, non-goals and how it differs from MiniSearch: lexical/DESIGN.md.
 *
 * This module is what the rest of quotedesk uses; the parts live in lexical/: `columns.ts` (the arrays),
 * `build.ts` (inverting and merging), `codec.ts` (the file), `score.ts` (BM25+ and the candidate cut),
 * `topk.ts` (accumulators and the k best).
 */
import { analyze } from './analyze.ts';
import { merge, type LexicalChange, type LexicalDoc } from './lexical/build.ts';
import { type Columns, EMPTY, findTerm, lowerBound, termDf } from './lexical/columns.ts';
import { decode, encode } from './lexical/codec.ts';
import { accumulate, idf, lengthNorms, type LengthNorms, type QueryGroup } from './lexical/score.ts';
import { Accumulators, MAX_QUESTION_TERMS } from './lexical/topk.ts';

export type { LexicalChange, LexicalDoc, QueryGroup };
export { LEXICAL_FORMAT_VERSION } from './lexical/codec.ts';

export interface LexicalHit {
  readonly label: number;
  readonly score: number;
}

export class LexicalIndex {
  private scratch?: Accumulators;
  private norms?: LengthNorms;

  private constructor(private readonly c: Columns) {}

  static create(docs: readonly LexicalDoc[] = []): LexicalIndex {
    return new LexicalIndex(EMPTY).update({ add: docs });
  }

  static decode(bytes: Buffer): LexicalIndex {
    return new LexicalIndex(decode(bytes));
  }

  get size(): number {
    return this.c.labels.length;
  }

  /** A new index without `remove` and with `add`; this one stays as it is (it may be answering questions). */
  update(change: LexicalChange): LexicalIndex {
    return new LexicalIndex(merge(this.c, change));
  }

  encode(): Buffer {
    return encode(this.c);
  }

  /** Inverse document frequency; a term no passage contains gets the highest value. */
  idf(term: string): number {
    const t = findTerm(this.c, term);
    return idf(this.size, t < 0 ? 0 : termDf(this.c, t));
  }

  /** Whether any passage contains the term. */
  has(term: string): boolean {
    return findTerm(this.c, term) >= 0;
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
    return this.searchGroups(
      [...new Set(analyze(question))].map((term) => [{ term, weight: 1 }]),
      limit,
      accept,
    );
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
    const s = (this.scratch ??= new Accumulators(this.size));
    try {
      const labels = this.c.labels;
      const ok = accept && ((slot: number) => accept(labels[slot]!));
      accumulate(this.c, (this.norms ??= lengthNorms(this.c)), kept, s, ok);
      return s.best(limit).map((slot) => ({ label: labels[slot]!, score: s.final(slot) }));
    } finally {
      s.reset();
    }
  }
}
