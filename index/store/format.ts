/** What one index version holds on disk. Bump FORMAT_VERSION whenever any file's shape changes. */
import type { Article } from '../corpus/article.ts';
import type { Passage } from '../passages/passage.ts';
import type { HnswParams } from './hnsw.ts';

export const FORMAT_VERSION = 3;

export const FILES = {
  manifest: 'manifest.json',
  /** Article metadata (JSON); texts in `texts`. See tables.ts. */
  articles: 'articles.json',
  texts: 'texts.bin',
  /** Binary passage columns; see tables.ts. */
  passages: 'passages.bin',
  /** The HNSW graph with the passage vectors, the only copy of them. */
  hnsw: 'hnsw.bin',
  /** The keyword index's typed arrays; see search/lexical.ts. */
  lexical: 'lexical.bin',
  /** What each article file looked like when it was read; see SourceStamp. */
  sources: 'sources.json',
} as const;

export type StoredArticle = Omit<Article, 'headerEnd' | 'blocks'>;

/**
 * An article file's size and times when it was read, so that a reindex reads again only the files whose
 * stamp differs (as git and make do). ctime cannot be set back by tools that restore mtimes.
 */
export interface SourceStamp {
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly headerEnd?: number;
}

/** A passage as stored: its text is `article.text.slice(start, end)`, so it is not stored twice. */
export interface StoredPassage extends Omit<Passage, 'text'> {
  /** Stable id in the vector and keyword indexes while the passage is unchanged. */
  readonly label: number;
  /** sha256 of the embedded text: equal hash, reusable vector. */
  readonly textHash: string;
}

export interface DenseInfo {
  readonly model: string;
  readonly quantized: boolean;
  readonly dims: number;
  readonly queryPrefix: string;
  readonly passagePrefix: string;
  readonly hnsw: HnswParams;
  /** Deleted points still in the HNSW graph; the reindex compacts when they pile up. */
  readonly tombstones: number;
}

export interface Manifest {
  readonly formatVersion: number;
  readonly builtAt: string;
  readonly articleCount: number;
  readonly passageCount: number;
  /** null when the index was built without an embedding model (keyword search only). */
  readonly dense: DenseInfo | null;
  readonly nextLabel: number;
}
