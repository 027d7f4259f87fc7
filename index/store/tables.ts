/**
 * Articles and passages on disk without one large JSON document: parsing JSON is what made opening an index
 * slow and memory-hungry as it grows. Article texts are one UTF-8 blob, decoded per article when a passage
 * is quoted; passages are fixed-width binary columns; only the small article metadata is JSON.
 */
import type { StoredArticle, StoredPassage } from './format.ts';

type ArticleMeta = Omit<StoredArticle, 'text'>;
/** One article's metadata as written, with the byte range of its text in the blob. */
type ArticleEntry = ArticleMeta & { readonly textStart: number; readonly textEnd: number };

export interface EncodedArticles {
  /** JSON array of the metadata. */
  readonly meta: string;
  readonly texts: Buffer;
}

export function encodeArticles(articles: readonly StoredArticle[]): EncodedArticles {
  const texts: Buffer[] = [];
  let offset = 0;
  const entries = articles.map(({ text, ...meta }): ArticleEntry => {
    const bytes = Buffer.from(text, 'utf8');
    texts.push(bytes);
    offset += bytes.length;
    return { ...meta, textStart: offset - bytes.length, textEnd: offset };
  });
  return { meta: JSON.stringify(entries), texts: Buffer.concat(texts, offset) };
}

/**
 * An article whose text stays encoded until it is read. The getter lives on the prototype: an object spread
 * of a stored article leaves its text out.
 */
class StoredArticleRecord {
  readonly #texts: () => Buffer;
  readonly #start: number;
  readonly #end: number;

  constructor(meta: ArticleMeta, texts: () => Buffer, start: number, end: number) {
    Object.assign(this, meta);
    this.#texts = texts;
    this.#start = start;
    this.#end = end;
  }

  get text(): string {
    return this.#texts().toString('utf8', this.#start, this.#end);
  }
}

/** `texts`: the blob, or what reads it on first need (a reindex reads few old texts, or none). */
export function decodeArticles(meta: string, texts: Buffer | (() => Buffer)): StoredArticle[] {
  let blob: Buffer | undefined;
  const read = typeof texts === 'function' ? () => (blob ??= texts()) : () => texts;
  return (JSON.parse(meta) as ArticleEntry[]).map(({ textStart, textEnd, ...m }) => new StoredArticleRecord(m, read, textStart, textEnd) as unknown as StoredArticle);
}

const MAGIC = 0x31504451; // "QDP1"
const HASH_BYTES = 32;
/** u32 columns in this order, then the i32 heading column, then the hashes. */
const U32_COLUMNS = ['article', 'paragraph', 'start', 'end', 'label'] as const;

/** Passages as binary columns; `articleIds` gives each article's row, which the passages point to. */
export function encodePassages(passages: readonly StoredPassage[], articleIds: readonly string[]): Buffer {
  const rowOf = new Map(articleIds.map((id, row) => [id, row]));
  const headings: string[] = [];
  const headingOf = new Map<string, number>();
  const n = passages.length;
  const u32 = U32_COLUMNS.map(() => new Uint32Array(n));
  const heading = new Int32Array(n);
  const hashes = Buffer.alloc(n * HASH_BYTES);
  passages.forEach((p, i) => {
    const row = rowOf.get(p.articleId);
    if (row === undefined) throw new Error(`passage ${p.label} belongs to unknown article ${p.articleId}`);
    [row, p.paragraph, p.start, p.end, p.label].forEach((value, c) => (u32[c]![i] = value));
    if (p.heading === undefined) heading[i] = -1;
    else {
      let h = headingOf.get(p.heading);
      if (h === undefined) headingOf.set(p.heading, (h = headings.push(p.heading) - 1));
      heading[i] = h;
    }
    hashes.write(p.textHash, i * HASH_BYTES, 'hex');
  });
  const headingJson = Buffer.from(JSON.stringify(headings), 'utf8');
  const pad = (4 - (headingJson.length % 4)) % 4;
  const header = Buffer.alloc(12);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(n, 4);
  header.writeUInt32LE(headingJson.length + pad, 8);
  const columns = [...u32, heading].map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength));
  return Buffer.concat([header, headingJson, Buffer.alloc(pad, 0x20), ...columns, hashes]);
}

/** A stored passage; its hash (needed only by the reindex) stays binary until read. */
class StoredPassageRecord {
  declare readonly heading?: string;
  readonly #hashes: Buffer;
  readonly #row: number;

  constructor(
    readonly articleId: string,
    readonly paragraph: number,
    readonly start: number,
    readonly end: number,
    readonly label: number,
    heading: string | undefined,
    hashes: Buffer,
    row: number,
  ) {
    if (heading !== undefined) (this as { heading?: string }).heading = heading;
    this.#hashes = hashes;
    this.#row = row;
  }

  get textHash(): string {
    return this.#hashes.toString('hex', this.#row * HASH_BYTES, (this.#row + 1) * HASH_BYTES);
  }
}

/** A passage table's columns, without a record per passage: for scans over a whole segment. */
export interface PassageColumns {
  readonly n: number;
  /** Each passage's article, as a row of the article ids the table was written with. */
  readonly article: Uint32Array;
  readonly paragraph: Uint32Array;
  readonly start: Uint32Array;
  readonly end: Uint32Array;
  readonly label: Uint32Array;
  /** Index into `headings`, -1 for none. */
  readonly heading: Int32Array;
  readonly headings: readonly string[];
  /** sha256 of each passage's embedded text, HASH_BYTES a row. */
  readonly hashes: Buffer;
}

export function passageColumns(bytes: Buffer): PassageColumns {
  if (bytes.length < 12 || bytes.readUInt32LE(0) !== MAGIC) throw new Error('not a quotedesk passage table');
  const n = bytes.readUInt32LE(4);
  const headingBytes = bytes.readUInt32LE(8);
  const headings = JSON.parse(bytes.toString('utf8', 12, 12 + headingBytes)) as string[];
  // Copied once into an aligned buffer: typed-array views need 4-byte alignment, file buffers may not have it.
  let offset = 12 + headingBytes;
  const column = () => {
    const c = new Uint32Array(n);
    Buffer.from(c.buffer).set(bytes.subarray(offset, offset + n * 4));
    offset += n * 4;
    return c;
  };
  const [article, paragraph, start, end, label] = U32_COLUMNS.map(column) as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  const heading = new Int32Array(column().buffer);
  const hashes = bytes.subarray(offset, offset + n * HASH_BYTES);
  if (hashes.length !== n * HASH_BYTES) throw new Error('quotedesk passage table is truncated');
  return { n, article, paragraph, start, end, label, heading, headings, hashes };
}

/** The row of each of `wanted` (hex text hashes) found in the table among the rows `accept`s, the first where several share one. */
export function rowsWithHashes(c: PassageColumns, wanted: ReadonlySet<string>, accept: (row: number) => boolean = () => true): Map<string, number> {
  const found = new Map<string, number>();
  if (wanted.size === 0) return found;
  // Compared on their first 4 bytes first: one integer read a row, the full hash only for candidates.
  const byPrefix = new Set([...wanted].map((h) => Buffer.from(h, 'hex').readUInt32LE(0)));
  for (let i = 0; i < c.n; i++) {
    if (!byPrefix.has(c.hashes.readUInt32LE(i * HASH_BYTES))) continue;
    const hash = c.hashes.toString('hex', i * HASH_BYTES, (i + 1) * HASH_BYTES);
    if (wanted.has(hash) && !found.has(hash) && accept(i)) found.set(hash, i);
  }
  return found;
}

export function decodePassages(bytes: Buffer, articleIds: readonly string[]): StoredPassage[] {
  return passageRecords(passageColumns(bytes), articleIds);
}

/** A record per passage of the table; `articleIds` gives each article row's id. */
export function passageRecords(columns: PassageColumns, articleIds: readonly string[]): StoredPassage[] {
  const { n, article, paragraph, start, end, label, heading, headings, hashes } = columns;
  const passages = new Array<StoredPassage>(n);
  for (let i = 0; i < n; i++) {
    const h = heading[i]!;
    passages[i] = new StoredPassageRecord(articleIds[article[i]!]!, paragraph[i]!, start[i]!, end[i]!, label[i]!, h < 0 ? undefined : headings[h], hashes, i);
  }
  return passages;
}
