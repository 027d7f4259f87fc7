/** Opens the live index version for answering questions. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { QuotedeskError } from '../errors.ts';
import { LexicalIndex } from '../search/lexical.ts';
import { FILES, FORMAT_VERSION, type Manifest, type StoredArticle, type StoredPassage } from './format.ts';
import { HnswIndex } from './hnsw.ts';
import { readCurrentVersion } from './layout.ts';
import type { VectorIndex } from './vector-index.ts';

export interface OpenIndex {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly articles: ReadonlyMap<string, StoredArticle>;
  /** In the order of the rows of `vectors`. */
  readonly passages: readonly StoredPassage[];
  readonly byLabel: ReadonlyMap<number, StoredPassage>;
  /** All passage vectors, row i belongs to passages[i]; empty without an embedding model. */
  readonly vectors: Float32Array;
  readonly vectorIndex: VectorIndex | undefined;
  readonly lexical: LexicalIndex;
}

const REINDEX_HINT = 'Run `npm run index` to rebuild it.';

export async function readManifest(dir: string): Promise<Manifest> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, FILES.manifest), 'utf8')) as Manifest;
  } catch (err) {
    throw new QuotedeskError('INDEX_INCOMPATIBLE', `quotedesk: index manifest in ${dir} is unreadable. ${REINDEX_HINT}`, { cause: err });
  }
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new QuotedeskError(
      'INDEX_INCOMPATIBLE',
      `quotedesk: the index in ${dir} has format version ${manifest.formatVersion}, this quotedesk reads version ${FORMAT_VERSION}. ${REINDEX_HINT}`,
    );
  }
  return manifest;
}

/** The live version's folder, or undefined when no index has been built yet. */
export { readCurrentVersion as findIndex };

export async function openIndex(dataDir: string): Promise<OpenIndex> {
  const dir = await readCurrentVersion(dataDir);
  if (!dir) {
    throw new QuotedeskError('INDEX_MISSING', `quotedesk: no index in ${dataDir}. ${REINDEX_HINT}`);
  }
  return openVersion(dir);
}

export async function openVersion(dir: string): Promise<OpenIndex> {
  const manifest = await readManifest(dir);
  const read = (file: string) => readFile(path.join(dir, file));
  const [articlesJson, passagesJson, lexicalJson, vectorBytes] = await Promise.all([
    read(FILES.articles),
    read(FILES.passages),
    read(FILES.lexical),
    manifest.dense ? read(FILES.vectors) : Promise.resolve(Buffer.alloc(0)),
  ]);
  const articles = new Map((JSON.parse(articlesJson.toString('utf8')) as StoredArticle[]).map((a) => [a.id, a]));
  const passages = JSON.parse(passagesJson.toString('utf8')) as StoredPassage[];
  // Small files come from Node's shared buffer pool at arbitrary offsets; a Float32Array view needs 4-byte alignment.
  const aligned = vectorBytes.byteOffset % 4 === 0 ? vectorBytes : Buffer.from(vectorBytes);
  const vectors = new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
  if (manifest.dense && vectors.length !== passages.length * manifest.dense.dims) {
    throw new QuotedeskError('INDEX_INCOMPATIBLE', `quotedesk: ${path.join(dir, FILES.vectors)} does not match the passages. ${REINDEX_HINT}`);
  }
  return {
    dir,
    manifest,
    articles,
    passages,
    byLabel: new Map(passages.map((p) => [p.label, p])),
    vectors,
    vectorIndex: manifest.dense ? await HnswIndex.load(path.join(dir, FILES.hnsw), manifest.dense.dims, manifest.dense.hnsw) : undefined,
    lexical: LexicalIndex.fromJSON(lexicalJson.toString('utf8')),
  };
}

/** Text of a stored passage: a slice of its article, which is what makes every quote verbatim. */
export function passageText(index: Pick<OpenIndex, 'articles'>, passage: StoredPassage): string {
  return index.articles.get(passage.articleId)!.text.slice(passage.start, passage.end);
}
