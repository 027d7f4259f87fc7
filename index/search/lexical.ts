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
import { concat, merge, type LexicalChange, type LexicalDoc } from './lexical/build.ts';
import { type Columns, EMPTY, findTerm, headingDf, lowerBound, MAX_TF, termDf } from './lexical/columns.ts';
import { decode, encode } from './lexical/codec.ts';
import { accumulate, idf, lengthNorms, lengthSums, type LengthNorms, type QueryGroup, type SearchSegment, type TermDf } from './lexical/score.ts';
import { Accumulators, MAX_QUESTION_TERMS } from './lexical/topk.ts';

export type { LexicalChange, LexicalDoc, QueryGroup };
export { LEXICAL_FORMAT_VERSION } from './lexical/codec.ts';

export interface LexicalHit {
  readonly label: number;
  readonly score: number;
}

/** A segment of the index to search together with others, and its passages that no longer count. */
export interface LexicalPart {
  readonly index: LexicalIndex;
  readonly removed?: ReadonlySet<number>;
}

/** Terms whose removed-passage counts are remembered per segment before the memo starts over. */
const DEAD_DF_MEMO = 50_000;

/** One segment's columns, what of it is removed, and what a search keeps between questions. */
class Part {
  scratch?: Accumulators;
  norms?: LengthNorms;
  /** Per slot: 1 for a removed passage; undefined when none is. */
  readonly dead: Uint8Array | undefined;
  readonly live: number;
  private readonly deadDf = new Map<number, TermDf>();

  constructor(
    readonly c: Columns,
    removed: ReadonlySet<number> | undefined,
  ) {
    let deadCount = 0;
    if (removed && removed.size > 0) {
      this.dead = new Uint8Array(c.labels.length);
      for (let s = 0; s < c.labels.length; s++) {
        if (!removed.has(c.labels[s]!)) continue;
        this.dead[s] = 1;
        deadCount++;
      }
    }
    this.live = c.labels.length - deadCount;
  }

  /** Live passages of this segment with term t. Removed ones are counted off its postings once per term. */
  df(t: number): TermDf {
    const c = this.c;
    const any = termDf(c, t);
    const text = c.textDf[t]!;
    const heading = headingDf(c, t);
    const dead = this.dead;
    if (!dead) return { text, heading, any };
    let gone = this.deadDf.get(t);
    if (!gone) {
      let goneAny = 0;
      let goneText = 0;
      let goneHeading = 0;
      for (let r = c.starts[t]!; r < c.starts[t + 1]!; r++) {
        if (!dead[c.postings[r]!]) continue;
        goneAny++;
        if (c.tfs[r]! & MAX_TF) goneText++;
      }
      for (let r = c.headingStarts[t]!; r < c.headingStarts[t + 1]!; r++) if (dead[c.headingPostings[r]!]) goneHeading++;
      if (this.deadDf.size >= DEAD_DF_MEMO) this.deadDf.clear();
      this.deadDf.set(t, (gone = { text: goneText, heading: goneHeading, any: goneAny }));
    }
    return { text: text - gone.text, heading: heading - gone.heading, any: any - gone.any };
  }
}

/**
 * A keyword index: one segment (what `create`, `decode` and `update` make), or several searched as one
 * (`combine`), whose scores are those of one index holding the same live passages.
 */
export class LexicalIndex {
  private avg?: { heading: number; text: number };

  private constructor(private readonly parts: readonly Part[]) {}

  static create(docs: readonly LexicalDoc[] = []): LexicalIndex {
    return new LexicalIndex([new Part(EMPTY, undefined)]).update({ add: docs });
  }

  static decode(bytes: Buffer): LexicalIndex {
    return new LexicalIndex([new Part(decode(bytes), undefined)]);
  }

  /** Segments searched together, in order (older first: ties go to the older passage, as in one index). */
  static combine(parts: readonly LexicalPart[]): LexicalIndex {
    return new LexicalIndex(parts.map(({ index, removed }) => new Part(index.only('combine'), removed)));
  }

  /** Segments joined into one without their removed passages, without analysing any text again (a segment merge). */
  static concat(parts: readonly LexicalPart[]): LexicalIndex {
    return new LexicalIndex([new Part(concat(parts.map(({ index, removed }) => ({ columns: index.only('concat'), removed: removed ?? new Set() }))), undefined)]);
  }

  get size(): number {
    return this.parts.reduce((n, p) => n + p.live, 0);
  }

  /** The columns of a one-segment index without removed passages. */
  private only(what: string): Columns {
    const [part, ...more] = this.parts;
    if (!part || more.length > 0 || part.dead) throw new Error(`quotedesk: keyword index ${what} needs one segment without removed passages`);
    return part.c;
  }

  /** A new index without `remove` and with `add`; this one stays as it is (it may be answering questions). */
  update(change: LexicalChange): LexicalIndex {
    return new LexicalIndex([new Part(merge(this.only('update'), change), undefined)]);
  }

  encode(): Buffer {
    return encode(this.only('encode'));
  }

  /** Live passages of the whole index with the term. */
  private df(term: string): TermDf {
    let text = 0;
    let heading = 0;
    let any = 0;
    for (const part of this.parts) {
      const t = findTerm(part.c, term);
      if (t < 0) continue;
      const d = part.df(t);
      text += d.text;
      heading += d.heading;
      any += d.any;
    }
    return { text, heading, any };
  }

  /** Inverse document frequency; a term no passage contains gets the highest value. */
  idf(term: string): number {
    return idf(this.size, this.df(term).any);
  }

  /** Whether any passage contains the term. */
  has(term: string): boolean {
    return this.df(term).any > 0;
  }

  /** Whether any passage contains a term starting with `prefix` (a compound built on it). */
  hasPrefix(prefix: string): boolean {
    return this.parts.some(({ c }, k) => {
      for (let t = lowerBound(c.terms, prefix); t < c.terms.length && c.terms[t]!.startsWith(prefix); t++) if (this.parts[k]!.df(t).any > 0) return true;
      return false;
    });
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
    const n = this.size;
    if (kept.length === 0 || n === 0 || limit <= 0) return [];
    if (!this.avg) {
      const sums = this.parts.map((p) => lengthSums(p.c, p.dead));
      this.avg = { heading: sums.reduce((a, x) => a + x.heading, 0) / n, text: sums.reduce((a, x) => a + x.text, 0) / n };
    }
    const avg = this.avg;
    const segments: SearchSegment[] = this.parts.map((p) => {
      const { labels } = p.c;
      const dead = p.dead;
      const ok = dead ? (accept ? (slot: number) => !dead[slot] && accept(labels[slot]!) : (slot: number) => !dead[slot]) : accept && ((slot: number) => accept(labels[slot]!));
      return {
        c: p.c,
        norms: (p.norms ??= lengthNorms(p.c, avg.heading, avg.text)),
        s: (p.scratch ??= new Accumulators(p.c.labels.length)),
        ...(ok ? { accept: ok } : {}),
      };
    });
    try {
      accumulate(segments, { n, df: (term) => this.df(term) }, kept);
      const best = segments.flatMap(({ s, c }, k) => s.best(limit).map((slot) => ({ k, slot, label: c.labels[slot]!, score: s.final(slot) })));
      // Ties go to the older passage: the earlier segment, then the earlier slot — as in one index.
      if (segments.length > 1) best.sort((a, b) => b.score - a.score || a.k - b.k || a.slot - b.slot);
      return best.slice(0, limit).map(({ label, score }) => ({ label, score }));
    } finally {
      for (const { s } of segments) s.reset();
    }
  }
}
