/** What one index version holds on disk. Bump FORMAT_VERSION whenever any file's shape changes. */
import type { Article } from '../corpus/article.ts';
import type { Passage } from '../passages/passage.ts';

/**
 * 4: every file listed in the manifest with its size and checksum, the manifest's own checksum; the pipeline version; `dense.backend`; the article title in the keyword index's context field and in the embedded text.
 * 5: a version is a manifest over immutable segments (store/DESIGN.md), with the removed passages of older segments in `deleted.json`.
 */
export const FORMAT_VERSION = 5;

/**
 * The rules that turn an article file into passages and keyword terms: reading and cleaning (index/corpus),
 * splitting (index/passages) and analysis (index/search/analyze.ts). Bump it when any of them changes what
 * it produces: the next reindex then re-reads, re-splits and re-analyses every article instead of keeping
 * the old results of unchanged files; vectors are still reused wherever a passage's embedded text is unchanged.
 */
export const PIPELINE_VERSION = 2;

/**
 * The files of a version (manifest, sources, deleted) and of each of its segments (the others); a segment's
 * vector back-end adds its own (`VectorBackend.files`, e.g. hnsw.bin).
 */
export const FILES = {
  manifest: 'manifest.json',
  /** Per segment that lost passages since it was written: which (see Deleted). */
  deleted: 'deleted.json',
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
  /** The back-end's settings new segments are built with (for HNSW: M, efConstruction, ef); each segment records its own in `SegmentEntry.vectors`. */
  readonly params: Readonly<Record<string, number>>;
}

/** The files every segment has, besides its vector back-end's. */
export const SEGMENT_FILES = [FILES.articles, FILES.texts, FILES.passages, FILES.lexical] as const;

/** One immutable segment of a version: a share of the articles with their passages, keyword and vector index. */
export interface SegmentEntry {
  /** Its folder's name in `<index>/segments/`. */
  readonly id: string;
  /** As written; the version's `deleted.json` says which of them are no longer live. */
  readonly articleCount: number;
  readonly passageCount: number;
  /** The vector back-end's settings and state for this segment's graph; null in a keyword-only version. */
  readonly vectors: Readonly<Record<string, number>> | null;
  /** Every file of the segment, by name. */
  readonly files: Readonly<Record<string, FileEntry>>;
}

/** Per segment id: its articles and passages that changed or went away since it was written (tombstones). */
export type Deleted = Readonly<Record<string, { readonly articles: readonly string[]; readonly labels: readonly number[] }>>;

export interface Manifest {
  readonly formatVersion: number;
  /** PIPELINE_VERSION of the quotedesk that split and analysed the articles. */
  readonly pipelineVersion: number;
  readonly builtAt: string;
  /** The version that was live when this one was built: kept beside it for readers still opening it. */
  readonly previous?: string;
  /** Live articles and passages, over every segment. */
  readonly articleCount: number;
  readonly passageCount: number;
  /** null when the index was built without an embedding model (keyword search only). `params`: what new segments are built with. */
  readonly dense: DenseInfo | null;
  readonly nextLabel: number;
  /** Oldest first: ties in ranking go to the older passage. */
  readonly segments: readonly SegmentEntry[];
  /** The version's own files (sources, deleted), by name. */
  readonly files: Readonly<Record<string, FileEntry>>;
  /** Of the manifest itself; see verify.ts encodeManifest. */
  readonly checksum?: string;
}
