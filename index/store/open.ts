/**
 * Opens the live index version for answering questions. Every file is checked against its size and
 * checksum in the manifest before it is used (see verify.ts): a damaged or incomplete version is refused
 * with a message naming the file, never answered from.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { QuotedeskError } from '../errors.ts';
import { LexicalIndex, type LexicalPart } from '../search/lexical.ts';
import { FILES, FORMAT_VERSION, type Deleted, type DenseInfo, type Manifest, type SegmentEntry, type SourceStamp, type StoredArticle, type StoredPassage } from './format.ts';
import { damaged, readCurrentVersion, segmentDir } from './layout.ts';
import { SegmentVectors } from './segment-vectors.ts';
import { decodeArticles, decodePassages, passageColumns, type PassageColumns } from './tables.ts';
import { vectorBackend } from './vector-backends.ts';
import type { VectorIndex, VectorRows, VectorSearch } from './vector-index.ts';
import { bytesDamage, describeDamage, fileDamage, manifestIntact, refuseDamage, sizeDamage, type Damage, type FileTable } from './verify.ts';

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
  readonly vectorIndex: VectorSearch | undefined;
  /** Over every segment, as one index of the live passages would score. */
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
  const table = (files: unknown) =>
    typeof files === 'object' &&
    files !== null &&
    Object.values(files).every((e: { size?: unknown; checksum?: unknown }) => Number.isInteger(e?.size) && typeof e?.checksum === 'string');
  const segments = manifest.segments as unknown;
  const valid =
    table(manifest.files) &&
    Array.isArray(segments) &&
    segments.every((s: Partial<SegmentEntry>) => typeof s?.id === 'string' && /^seg-[0-9A-Za-z-]+$/.test(s.id) && Number.isInteger(s.passageCount) && table(s.files)) &&
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

/** A file of a version or segment folder, refused unless its size and checksum are those `files` records. */
export async function readChecked(dir: string, files: FileTable, name: string): Promise<Buffer> {
  const bad = await sizeDamage(dir, files, name);
  refuseDamage(dir, [bad]);
  const bytes = await readFile(path.join(dir, name)).catch((err: NodeJS.ErrnoException) => {
    throw damaged(describeDamage(dir, { file: name, problem: `cannot be read (${err.code})` }));
  });
  refuseDamage(dir, [bytesDamage(files, name, bytes)]);
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

/**
 * A segment's articles (texts decoded when read): all a reindex needs to see whether anything changed.
 * `lazyTexts`: the texts file is read (and checked) only when a text is first read — a reindex reads few old
 * texts, or none; a damaged file then throws INDEX_DAMAGED from there.
 */
export async function openArticles(dir: string, segment: SegmentEntry, o: { lazyTexts?: boolean } = {}): Promise<StoredArticle[]> {
  if (o.lazyTexts) {
    const meta = await readChecked(dir, segment.files, FILES.articles);
    return decoded(dir, FILES.articles, () => decodeArticles(meta.toString('utf8'), () => readCheckedSync(dir, segment.files, FILES.texts)));
  }
  const [meta, texts] = await Promise.all([readChecked(dir, segment.files, FILES.articles), readChecked(dir, segment.files, FILES.texts)]);
  return decoded(dir, FILES.articles, () => decodeArticles(meta.toString('utf8'), texts));
}

/** readChecked, for a getter that cannot wait. */
function readCheckedSync(dir: string, files: FileTable, name: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(dir, name));
  } catch (err) {
    throw damaged(describeDamage(dir, { file: name, problem: `cannot be read (${(err as NodeJS.ErrnoException).code})` }));
  }
  refuseDamage(dir, [bytesDamage(files, name, bytes)]);
  return bytes;
}

/** A segment's passages; `articleIds` gives each article's row (placeholders will do when only the hashes matter). */
export async function openPassages(dir: string, segment: SegmentEntry, articleIds: readonly string[]): Promise<StoredPassage[]> {
  const bytes = await readChecked(dir, segment.files, FILES.passages);
  const passages = decoded(dir, FILES.passages, () => decodePassages(bytes, articleIds));
  if (passages.length !== segment.passageCount) throw damaged(describeDamage(dir, { file: FILES.passages, problem: 'does not match the manifest' }));
  return passages;
}

/** A segment's passage table as columns (no record per passage): for a reindex, which reads few passages. */
export async function openPassageColumns(dir: string, segment: SegmentEntry): Promise<PassageColumns> {
  const bytes = await readChecked(dir, segment.files, FILES.passages);
  const columns = decoded(dir, FILES.passages, () => passageColumns(bytes));
  if (columns.n !== segment.passageCount) throw damaged(describeDamage(dir, { file: FILES.passages, problem: 'does not match the manifest' }));
  return columns;
}

export async function openLexical(dir: string, segment: SegmentEntry): Promise<LexicalIndex> {
  const bytes = await readChecked(dir, segment.files, FILES.lexical);
  return decoded(dir, FILES.lexical, () => LexicalIndex.decode(bytes));
}

/**
 * A segment's vector index, its files checked in full before the back-end reads them: a damaged graph can
 * crash hnswlib's native loader (seen with one flipped byte), which no catch survives. undefined for a
 * keyword-only version. `checked`: the caller has checked them already (a reindex, in readLive).
 */
export async function openVectors(dir: string, segment: SegmentEntry, dense: DenseInfo | null, o: { checked?: boolean } = {}): Promise<VectorIndex | undefined> {
  if (!dense || !segment.vectors) return undefined;
  const backend = vectorBackend(dense.backend);
  // `checked`: the caller has just checked them (a reindex, in readLive): their sizes suffice.
  const check = o.checked ? sizeDamage : fileDamage;
  refuseDamage(dir, await Promise.all(backend.files.map((f) => check(dir, segment.files, f))));
  try {
    return await backend.load(dir, dense.dims, segment.vectors);
  } catch (err) {
    throw damaged(describeDamage(dir, { file: backend.files.join(', '), problem: `cannot be loaded (${(err as Error).message})` } satisfies Damage));
  }
}

/** The article files' stamps by file; empty when the version has none or they are damaged (then every file is read again). */
export async function readSources(dir: string, manifest: Manifest): Promise<Map<string, SourceStamp>> {
  try {
    const bytes = await readChecked(dir, manifest.files, FILES.sources);
    return new Map((JSON.parse(bytes.toString('utf8')) as SourceStamp[]).map((s) => [s.file, s]));
  } catch {
    return new Map();
  }
}

/** Per segment: its articles and passages that are no longer live. */
export type Tombstones = ReadonlyMap<string, { readonly articles: ReadonlySet<string>; readonly labels: ReadonlySet<number> }>;

/** The version's tombstones; a version without removals has none (and no file). */
export async function readDeleted(dir: string, manifest: Manifest): Promise<Tombstones> {
  if (!(FILES.deleted in manifest.files)) return new Map();
  const bytes = await readChecked(dir, manifest.files, FILES.deleted);
  const deleted = decoded(dir, FILES.deleted, () => JSON.parse(bytes.toString('utf8')) as Deleted);
  return new Map(Object.entries(deleted).map(([id, d]) => [id, { articles: new Set(d.articles), labels: new Set(d.labels) }]));
}

/** One segment as a reader loads it. */
interface LoadedSegment {
  readonly articles: StoredArticle[];
  readonly passages: StoredPassage[];
  readonly lexical: LexicalIndex;
  readonly vectors: VectorIndex | undefined;
}

async function openSegment(versionDir: string, manifest: Manifest, segment: SegmentEntry): Promise<LoadedSegment> {
  const dir = segmentDir(versionDir, segment.id);
  // The vector back-end reads its files on a worker thread, so they load while this thread decodes the rest.
  const loading = openVectors(dir, segment, manifest.dense);
  loading.catch(() => {}); // awaited below; an early failure must not go unhandled meanwhile
  const [articles, lexical] = await Promise.all([openArticles(dir, segment), openLexical(dir, segment)]);
  const passages = await openPassages(
    dir,
    segment,
    articles.map((a) => a.id),
  );
  return { articles, passages, lexical, vectors: await loading };
}

export async function openVersion(dir: string): Promise<OpenIndex> {
  const manifest = await readManifest(dir);
  const deleted = await readDeleted(dir, manifest);
  const segments = await Promise.all(manifest.segments.map((s) => openSegment(dir, manifest, s)));
  const articles = new Map<string, StoredArticle>();
  const passages: StoredPassage[] = [];
  const lexicalParts: LexicalPart[] = [];
  const vectorParts: VectorIndex[] = [];
  manifest.segments.forEach((entry, k) => {
    const segment = segments[k]!;
    const gone = deleted.get(entry.id);
    for (const a of segment.articles) if (!gone?.articles.has(a.id)) articles.set(a.id, a);
    for (const p of segment.passages) if (!gone?.labels.has(p.label)) passages.push(p);
    lexicalParts.push({ index: segment.lexical, ...(gone ? { removed: gone.labels } : {}) });
    if (segment.vectors) {
      // In memory only: the segment's files stay as they are, shared with other versions.
      for (const label of gone?.labels ?? []) segment.vectors.remove(label);
      vectorParts.push(segment.vectors);
    }
  });
  if (passages.length !== manifest.passageCount) throw damaged(describeDamage(dir, { file: FILES.manifest, problem: 'does not match its segments' }));
  const vectorIndex = manifest.dense ? (vectorParts.length === 1 ? vectorParts[0] : new SegmentVectors(vectorParts, manifest.dense.dims)) : undefined;
  const plain = lexicalParts.length === 1 && !lexicalParts[0]!.removed;
  return {
    dir,
    manifest,
    articles,
    passages,
    byLabel: new Map(passages.map((p) => [p.label, p])),
    vectors: vectorRows(passages, vectorIndex),
    vectorIndex,
    lexical: plain ? lexicalParts[0]!.index : LexicalIndex.combine(lexicalParts),
  };
}

/** Rows of `passages` read from `index` on first use and kept. */
export function vectorRows(passages: readonly StoredPassage[], index: VectorSearch | undefined): VectorRows {
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
