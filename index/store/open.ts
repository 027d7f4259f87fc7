/**
 * Opens the live index version for answering questions. Every file is checked against its size and
 * checksum in the manifest before it is used (see verify.ts): a damaged or incomplete version is refused
 * with a message naming the file, never answered from.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { QuotedeskError } from '../errors.ts';
import { LexicalIndex } from '../search/lexical.ts';
import { FILES, FORMAT_VERSION, type Manifest, type SourceStamp, type StoredArticle, type StoredPassage } from './format.ts';
import { damaged, readCurrentVersion } from './layout.ts';
import { decodeArticles, decodePassages } from './tables.ts';
import { vectorBackend } from './vector-backends.ts';
import type { VectorIndex, VectorRows } from './vector-index.ts';
import { bytesDamage, describeDamage, fileDamage, manifestIntact, refuseDamage, sizeDamage, type Damage } from './verify.ts';

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
  const file = path.join(dir, FILES.manifest);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(file, 'utf8')) as Manifest;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw damaged(`${file} ${code === 'ENOENT' ? 'is missing' : code ? `cannot be read (${code})` : 'is not valid JSON'}`);
  }
  if (typeof manifest !== 'object' || manifest === null) throw damaged(`${file} is not a manifest`);
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw incompatible(`the index in ${dir} has format version ${manifest.formatVersion}, this quotedesk reads version ${FORMAT_VERSION}`);
  }
  if (!manifestIntact(manifest as unknown as Record<string, unknown>)) throw damaged(`${file} does not match its checksum (damaged)`);
  const files = manifest.files as unknown;
  const valid =
    typeof files === 'object' &&
    files !== null &&
    Object.values(files).every((e: { size?: unknown; checksum?: unknown }) => Number.isInteger(e?.size) && typeof e?.checksum === 'string') &&
    Number.isInteger(manifest.passageCount) &&
    Number.isInteger(manifest.nextLabel);
  if (!valid) throw damaged(`${file} is incomplete`);
  return manifest;
}

export async function openIndex(dataDir: string): Promise<OpenIndex> {
  const dir = await readCurrentVersion(dataDir);
  if (!dir) {
    throw new QuotedeskError('INDEX_MISSING', `quotedesk: no index in ${dataDir}. ${REINDEX_HINT}`);
  }
  return openVersion(dir);
}

/** A file of the version, refused unless its size and checksum are those of the manifest. */
export async function readChecked(dir: string, manifest: Manifest, name: string): Promise<Buffer> {
  const bad = await sizeDamage(dir, manifest, name);
  refuseDamage(dir, [bad]);
  const bytes = await readFile(path.join(dir, name)).catch((err: NodeJS.ErrnoException) => {
    throw damaged(describeDamage(dir, { file: name, problem: `cannot be read (${err.code})` }));
  });
  refuseDamage(dir, [bytesDamage(manifest, name, bytes)]);
  return bytes;
}

/** Decodes checked bytes; a decoder that still fails means the file was written wrongly: damaged too. */
function decoded<T>(dir: string, name: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    throw damaged(describeDamage(dir, { file: name, problem: `cannot be decoded (${(err as Error).message})` }));
  }
}

/** Only the articles (texts decoded when read): all a reindex needs to see whether anything changed. */
export async function openArticles(dir: string, manifest: Manifest): Promise<StoredArticle[]> {
  const [meta, texts] = await Promise.all([readChecked(dir, manifest, FILES.articles), readChecked(dir, manifest, FILES.texts)]);
  return decoded(dir, FILES.articles, () => decodeArticles(meta.toString('utf8'), texts));
}

/** Passages; `articleIds` gives each article's row (placeholders will do when only the hashes matter). */
export async function openPassages(dir: string, manifest: Manifest, articleIds: readonly string[]): Promise<StoredPassage[]> {
  const bytes = await readChecked(dir, manifest, FILES.passages);
  const passages = decoded(dir, FILES.passages, () => decodePassages(bytes, articleIds));
  if (passages.length !== manifest.passageCount) throw damaged(describeDamage(dir, { file: FILES.passages, problem: 'does not match the manifest' }));
  return passages;
}

export async function openLexical(dir: string, manifest: Manifest): Promise<LexicalIndex> {
  const bytes = await readChecked(dir, manifest, FILES.lexical);
  return decoded(dir, FILES.lexical, () => LexicalIndex.decode(bytes));
}

/**
 * The vector index, its files checked in full before the back-end reads them: a damaged graph can crash
 * hnswlib's native loader (seen with one flipped byte), which no catch survives. undefined for a
 * keyword-only version.
 */
export async function openVectors(dir: string, manifest: Manifest): Promise<VectorIndex | undefined> {
  const dense = manifest.dense;
  if (!dense) return undefined;
  const backend = vectorBackend(dense.backend);
  refuseDamage(dir, await Promise.all(backend.files.map((f) => fileDamage(dir, manifest, f))));
  try {
    return await backend.load(dir, dense.dims, dense.params);
  } catch (err) {
    throw damaged(describeDamage(dir, { file: backend.files.join(', '), problem: `cannot be loaded (${(err as Error).message})` } satisfies Damage));
  }
}

/** The article files' stamps by file; empty when the version has none or they are damaged (then every file is read again). */
export async function readSources(dir: string, manifest: Manifest): Promise<Map<string, SourceStamp>> {
  try {
    const bytes = await readChecked(dir, manifest, FILES.sources);
    return new Map((JSON.parse(bytes.toString('utf8')) as SourceStamp[]).map((s) => [s.file, s]));
  } catch {
    return new Map();
  }
}

export async function openVersion(dir: string): Promise<OpenIndex> {
  const manifest = await readManifest(dir);
  // The vector back-end reads its files on a worker thread, so they load while this thread decodes the rest.
  const loading = openVectors(dir, manifest);
  loading.catch(() => {}); // awaited below; an early failure must not go unhandled meanwhile
  const [articleList, lexical] = await Promise.all([openArticles(dir, manifest), openLexical(dir, manifest)]);
  const passages = await openPassages(
    dir,
    manifest,
    articleList.map((a) => a.id),
  );
  const vectorIndex = await loading;
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
