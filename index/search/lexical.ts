/**
 * Keyword search over passages: MiniSearch (BM25+) with the German-aware analyzer, plus the document
 * frequencies that abstention needs. Updated in place by the reindex, saved with every index version.
 */
import MiniSearch from 'minisearch';
import { analyzeToken, SPELLING_KEY, tokenize } from './analyze.ts';

export const LEXICAL_FORMAT_VERSION = 1;

export interface LexicalDoc {
  /** Passage key (stable across reindexes while the passage is unchanged). */
  readonly key: string;
  readonly heading?: string;
  readonly text: string;
}

export interface LexicalHit {
  readonly key: string;
  readonly score: number;
  /** The analyzed query terms this passage contains. */
  readonly matched: ReadonlySet<string>;
}

type Doc = { id: string; heading: string; text: string };

/** See `queryTerms`: below this many passages every term is searched. */
const COMMON_TERM_MIN_CORPUS = 5_000;
/** A term in more than this share of passages is not looked up in a large corpus. */
const COMMON_TERM_SHARE = 0.05;
/** Glossary expansion can turn a long English question into many terms; the rarest carry the ranking. */
const MAX_QUERY_TERMS = 24;

const options = {
  fields: ['heading', 'text'],
  tokenize,
  processTerm: (term: string) => analyzeToken(term),
  searchOptions: {
    boost: { heading: 1.5 },
    // Prefixes find compounds from their first part ("Sicherheit" → "Sicherheitsgarantien").
    prefix: (term: string) => term.length >= 6 && !term.startsWith(SPELLING_KEY),
    // A spelling key is a second chance for a name, not extra evidence on top of the exact word.
    boostTerm: (term: string) => (term.startsWith(SPELLING_KEY) ? 0.5 : 1),
  },
};

function termsOf(doc: LexicalDoc): Set<string> {
  return new Set(tokenize(`${doc.heading ?? ''} ${doc.text}`).flatMap(analyzeToken));
}

export class LexicalIndex {
  private constructor(
    private readonly search_: MiniSearch<Doc>,
    /** term → number of passages containing it */
    private readonly df: Map<string, number>,
  ) {}

  static create(): LexicalIndex {
    return new LexicalIndex(new MiniSearch<Doc>(options), new Map());
  }

  static fromJSON(json: string): LexicalIndex {
    const saved = JSON.parse(json) as { formatVersion: number; minisearch: unknown; df: Array<[string, number]> };
    if (saved.formatVersion !== LEXICAL_FORMAT_VERSION) {
      throw new Error(`quotedesk: lexical index format ${saved.formatVersion} is not ${LEXICAL_FORMAT_VERSION}`);
    }
    return new LexicalIndex(MiniSearch.loadJS<Doc>(saved.minisearch as never, options), new Map(saved.df));
  }

  toJSON(): string {
    return JSON.stringify({ formatVersion: LEXICAL_FORMAT_VERSION, minisearch: this.search_.toJSON(), df: [...this.df] });
  }

  get size(): number {
    return this.search_.documentCount;
  }

  add(docs: readonly LexicalDoc[]): void {
    this.search_.addAll(docs.map((d) => ({ id: d.key, heading: d.heading ?? '', text: d.text })));
    for (const doc of docs) for (const term of termsOf(doc)) this.df.set(term, (this.df.get(term) ?? 0) + 1);
  }

  remove(docs: readonly LexicalDoc[]): void {
    for (const doc of docs) {
      this.search_.discard(doc.key);
      for (const term of termsOf(doc)) {
        const n = (this.df.get(term) ?? 0) - 1;
        if (n > 0) this.df.set(term, n);
        else this.df.delete(term);
      }
    }
  }

  /** Inverse document frequency; a term no passage contains gets the highest value. */
  idf(term: string): number {
    const n = this.size;
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Whether any passage contains the term. */
  has(term: string): boolean {
    return this.df.has(term);
  }

  /**
   * The terms worth looking up for a question. MiniSearch scores every passage that contains any query
   * term, so a term in a large share of a big corpus ("ukrain" in a Ukraine archive) costs most of the
   * time while adding almost nothing to BM25; such terms are left to the relevance check, which still
   * counts them. Small corpora keep every term.
   */
  queryTerms(question: string): string[] {
    const terms = [...new Set(tokenize(question).flatMap(analyzeToken))];
    if (this.size < COMMON_TERM_MIN_CORPUS) return terms;
    const byRarity = terms.sort((a, b) => this.idf(b) - this.idf(a));
    const rare = byRarity.filter((t) => (this.df.get(t) ?? 0) <= this.size * COMMON_TERM_SHARE);
    return (rare.length > 0 ? rare : byRarity.slice(0, 2)).slice(0, MAX_QUERY_TERMS);
  }

  search(question: string, limit: number): LexicalHit[] {
    const terms = this.queryTerms(question);
    if (terms.length === 0) return [];
    // The terms are analysed already: MiniSearch must not tokenise or stem them again.
    return this.search_
      .search(terms.join(' '), { combineWith: 'OR', tokenize: (q) => q.split(' '), processTerm: (t) => t })
      .slice(0, limit)
      .map((r) => ({ key: r.id as string, score: r.score, matched: new Set(r.queryTerms) }));
  }
}
