/** Opens the live index version for answering questions. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { QuotedeskError } from '../errors.ts';
import { LexicalIndex } from '../search/lexical.ts';
import { FILES, FORMAT_VERSION, type Manifest, type SourceStamp, type StoredArticle, type StoredPassage } from './format.ts';
import { HnswIndex } from './hnsw.ts';
import { readCurrentVersion } from './layout.ts';
import { decodeArticles, decodePassages } from './tables.ts';
import type { VectorIndex, VectorRows } from './vector-index.ts';

export interface OpenIndex {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly articles: ReadonlyMap<string, StoredArticle>;
  /** In the order of the rows of `vectors`. */
  readonly passages: readonly StoredPassage[];
  readonly byLabel: ReadonlyMap<number, StoredPassage>;
  /**
   * Passage vectors, row i belongs to passages[i], fetched from the vector index and kept once asked for:
   * meant for a sample, not for reading every row. Empty (dims 0) without an embedding model.
   */
  readonly vectors: VectorRows;
  readonly vectorIndex: VectorIndex | undefined;
  readonly lexical: LexicalIndex;
}

const REINDEX_HINT = 'Run `npm run index` to rebuild it.';

function incompatible(message: string, cause?: unknown): QuotedeskError {
  return new QuotedeskError('INDEX_INCOMPATIBLE', `quotedesk: ${message}. ${REINDEX_HINT}`, cause === undefined ? {} : { cause });
}

export async function readManifest(dir: string): Promise<Manifest> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, FILES.manifest), 'utf8')) as Manifest;
  } catch (err) {
    throw incompatible(`index manifest in ${dir} is unreadable`, err);
  }
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw incompatible(`the index in ${dir} has format version ${manifest.formatVersion}, this quotedesk reads version ${FORMAT_VERSION}`);
  }
  return manifest;
}


export async function openIndex(dataDir: string): Promise<OpenIndex> {
  const dir = await readCurrentVersion(dataDir);
  if (!dir) {
    throw new QuotedeskError('INDEX_MISSING', `quotedesk: no index in ${dataDir}. ${REINDEX_HINT}`);
  }
  return openVersion(dir);
}

/** Only the articles (texts decoded when read): all a reindex needs to see whether anything changed. */
export async function openArticles(dir: string): Promise<StoredArticle[]> {
  const [meta, texts] = await Promise.all([readFile(path.join(dir, FILES.articles), 'utf8'), readFile(path.join(dir, FILES.texts))]);
  try {
    return decodeArticles(meta, texts);
  } catch (err) {
    throw incompatible(`${path.join(dir, FILES.articles)} is unreadable`, err);
  }
}

/** The article files' stamps by file; empty when the version has none. */
export async function readSources(dir: string): Promise<Map<string, SourceStamp>> {
  try {
    return new Map((JSON.parse(await readFile(path.join(dir, FILES.sources), 'utf8')) as SourceStamp[]).map((s) => [s.file, s]));
  } catch {
    return new Map();
  }
}

export async function openVersion(dir: string): Promise<OpenIndex> {
  const manifest = await readManifest(dir);
  const dense = manifest.dense;
  // hnswlib reads its file on a worker thread, so it loads while this thread decodes the rest.
  const loading = dense ? HnswIndex.load(path.join(dir, FILES.hnsw), dense.dims, dense.hnsw) : Promise.resolve(undefined);
  loading.catch(() => {}); // awaited below; an early failure must not go unhandled meanwhile
  const [articleList, passageBytes, lexicalBytes] = await Promise.all([
    openArticles(dir),
    readFile(path.join(dir, FILES.passages)),
    readFile(path.join(dir, FILES.lexical)),
  ]);
  let passages: StoredPassage[];
  try {
    passages = decodePassages(passageBytes, articleList.map((a) => a.id));
  } catch (err) {
    throw incompatible(`${path.join(dir, FILES.passages)} is unreadable`, err);
  }
  if (passages.length !== manifest.passageCount) throw incompatible(`${path.join(dir, FILES.passages)} does not match the manifest`);
  let lexical: LexicalIndex;
  try {
    lexical = LexicalIndex.decode(lexicalBytes);
  } catch (err) {
    throw incompatible(`${path.join(dir, FILES.lexical)} is unreadable`, err);
  }
  const vectorIndex = await loading.catch((err: unknown) => {
    throw incompatible(`${path.join(dir, FILES.hnsw)} is unreadable`, err);
  });
  return {
    dir,
    manifest,
    articles: new Map(articleList.map((a) => [a.id, a])),
    passages,
    byLabel: new Map(passages.map((p) => [p.label, p])),
    vectors: vectorRows(passages, vectorIndex),
    vectorIndex,
    lexical,
  };
}

/** Rows of `passages` read from `index` on first use and kept. */
export function vectorRows(passages: readonly StoredPassage[], index: VectorIndex | undefined): VectorRows {
  const kept = new Map<number, Float32Array>();
  return {
    dims: index?.dims ?? 0,
    row(i) {
      let vector = kept.get(i);
      if (!vector) {
        const passage = passages[i];
        vector = passage && index?.vector(passage.label);
        if (!vector) throw new Error(`quotedesk: no vector for passage row ${i}`);
        kept.set(i, vector);
      }
      return vector;
    },
  };
}

/** Text of a stored passage: a slice of its article, which is what makes every quote verbatim. */
export function passageText(index: Pick<OpenIndex, 'articles'>, passage: StoredPassage): string {
  return index.articles.get(passage.articleId)!.text.slice(passage.start, passage.end);
}
