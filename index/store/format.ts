/** What one index version holds on disk. Bump FORMAT_VERSION whenever any file's shape changes. */
import type { Article } from '../corpus/article.ts';
import type { Passage } from '../passages/passage.ts';

/** 4: every file listed in the manifest with its size and checksum, the manifest's own checksum; the pipeline version; `dense.backend`; the article title in the keyword index's context field and in the embedded text. */
export const FORMAT_VERSION = 4;

/**
 * The rules that turn an article file into passages and keyword terms: reading and cleaning (index/corpus),
 * splitting (index/passages) and analysis (index/search/analyze.ts). Bump it when any of them changes what
 * it produces: the next reindex then re-reads, re-splits and re-analyses every article instead of keeping
 * the old results of unchanged files; vectors are still reused wherever a passage's embedded text is unchanged.
 */
export const PIPELINE_VERSION = 1;

/** The files every version has; the vector back-end adds its own (`VectorBackend.files`, e.g. hnsw.bin). */
export const FILES = {
  manifest: 'manifest.json',
  /** Article metadata (JSON); texts in `texts`. See tables.ts. */
  articles: 'articles.json',
  texts: 'texts.bin',
  /** Binary passage columns; see tables.ts. */
  passages: 'passages.bin',
  /** The keyword index's typed arrays; see search/lexical.ts. */
  lexical: 'lexical.bin',
  /** What each article file looked like when it was read; see SourceStamp. Read by reindexes only. */
  sources: 'sources.json',
} as const;

/** How a file of a version looked when it was written; anything else means it is damaged. */
export interface FileEntry {
  readonly size: number;
  /** xxh64, hex; see checksum.ts. */
  readonly checksum: string;
}

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
  /** Which vector back-end wrote the vectors (see vector-backends.ts). */
  readonly backend: string;
  readonly model: string;
  readonly quantized: boolean;
  readonly dims: number;
  readonly queryPrefix: string;
  readonly passagePrefix: string;
  /** The back-end's own settings and state (for HNSW: M, efConstruction, ef, tombstones). */
  readonly params: Readonly<Record<string, number>>;
}

export interface Manifest {
  readonly formatVersion: number;
  /** PIPELINE_VERSION of the quotedesk that split and analysed the articles. */
  readonly pipelineVersion: number;
  readonly builtAt: string;
  /** The version that was live when this one was built: kept beside it for readers still opening it. */
  readonly previous?: string;
  readonly articleCount: number;
  readonly passageCount: number;
  /** null when the index was built without an embedding model (keyword search only). */
  readonly dense: DenseInfo | null;
  readonly nextLabel: number;
  /** Every other file of the version, by name. */
  readonly files: Readonly<Record<string, FileEntry>>;
  /** Of the manifest itself; see verify.ts encodeManifest. */
  readonly checksum?: string;
}
