/**
 * Reads the corpus folder. Each bad file (empty, binary, invalid UTF-8, broken front matter, too large, unreadable),
 * bad line of an export, teaser-only feed item and duplicate is reported through `onSkip` and left out;
 * the rest is read. Formats: Markdown, plain text, HTML pages, RSS/Atom feeds, JSON Lines exports.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import type { Article } from './article.ts';
import { fsProblem, listArticleFiles, listFiles } from './files.ts';
import { foldNewDuplicates } from './duplicates.ts';
import { parseFeed } from './feed.ts';
import { readHtml } from './html.ts';
import { parseJsonl } from './jsonl.ts';
import { readMarkdown } from './markdown.ts';
import { readSidecars, type SidecarMeta } from './sidecar.ts';
import { authorNames } from './names.ts';
import { guessLanguage, readPlainTextHeader } from './metadata.ts';

/** Files that hold one article each. */
export const SINGLE_ARTICLE_EXTENSIONS = ['.md', '.txt', '.html', '.htm'] as const;
/** Files that hold many: feeds and JSON Lines exports. */
export const COLLECTION_EXTENSIONS = ['.jsonl', '.xml', '.rss', '.atom'] as const;
export const ARTICLE_EXTENSIONS = [...SINGLE_ARTICLE_EXTENSIONS, ...COLLECTION_EXTENSIONS] as const;
/** Far above any news article; a file this large is a dump or a mistake, and would swamp the index. */
export const MAX_ARTICLE_BYTES = 2 * 1024 * 1024;
/** A saved page carries scripts, styles and inline data around its article. */
export const MAX_PAGE_BYTES = 10 * 1024 * 1024;
/** A feed or an export of a few thousand articles. */
export const MAX_COLLECTION_BYTES = 64 * 1024 * 1024;

const extension = (file: string) => path.extname(file).toLowerCase();
export const isCollection = (file: string) => (COLLECTION_EXTENSIONS as readonly string[]).includes(extension(file));
export const sizeLimit = (file: string) => (isCollection(file) ? MAX_COLLECTION_BYTES : extension(file).startsWith('.htm') ? MAX_PAGE_BYTES : MAX_ARTICLE_BYTES);

export interface SkippedFile {
  file: string;
  reason: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A saved page in a legacy charset (`<meta charset="windows-1252">`) is read in that charset. */
function decodeHtml(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 2048).toString('latin1');
  const label = head.match(/<meta[^>]+charset\s*=\s*["']?([\w-]+)/i)?.[1];
  if (!label || /^utf-?8$/i.test(label)) return undefined;
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The text of a file, or why it has none. */
function decodeText(file: string, bytes: Buffer): string | { reason: string } {
  if (bytes.length === 0) return { reason: 'empty file' };
  const limit = sizeLimit(file);
  if (bytes.length > limit) return { reason: `too large (${bytes.length} bytes, limit ${limit})` };
  if (bytes.includes(0)) return { reason: 'binary file (contains NUL bytes)' };
  let raw: string | undefined;
  try {
    raw = utf8.decode(bytes);
  } catch {
    raw = extension(file).startsWith('.htm') ? decodeHtml(bytes) : undefined;
    if (raw === undefined) return { reason: 'not valid UTF-8 text' };
  }
  if (raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
  if (raw.trim() === '') return { reason: 'no text (only white space)' };
  return raw;
}

export interface ParsedFile {
  readonly articles: Article[];
  /** Parts of the file left out (bad lines, teaser-only items), each with its reason. */
  readonly skipped: SkippedFile[];
}

/**
 * Parses one file's bytes into its articles; a string says why the file as a whole cannot be used.
 * `meta`: sidecar metadata (see sidecar.ts) for a single-article file; it takes part in the hash.
 */
export function parseFile(file: string, bytes: Buffer, meta?: SidecarMeta): ParsedFile | string {
  const raw = decodeText(file, bytes);
  if (typeof raw !== 'string') return raw.reason;
  const ext = extension(file);
  if (ext === '.jsonl') return parseJsonl(file, raw);
  if (isCollection(file)) return parseFeed(file, raw);
  const id = path.basename(file, path.extname(file));
  const fileHash = createHash('sha256').update(bytes).digest('hex');
  const hash = meta ? createHash('sha256').update(fileHash).update(JSON.stringify(meta)).digest('hex') : fileHash;
  const article = ext === '.md' ? parseMarkdown(id, file, hash, raw) : ext.startsWith('.htm') ? parseHtml(id, file, hash, raw) : parsePlainText(id, file, hash, raw);
  if (typeof article === 'string') return article;
  const withMeta = meta ? { ...article, ...meta } : article;
  return { articles: [withMeta], skipped: [] };
}

/** Parses one single-article file (Markdown, plain text, HTML); returns a reason string when it cannot be used. */
export function parseArticle(file: string, bytes: Buffer, meta?: SidecarMeta): Article | string {
  if (isCollection(file)) return `${file} holds many articles; read it with parseFile`;
  const parsed = parseFile(file, bytes, meta);
  return typeof parsed === 'string' ? parsed : parsed.articles[0]!;
}

function parsePlainText(id: string, file: string, hash: string, raw: string): Article {
  const header = readPlainTextHeader(raw);
  return {
    id,
    file,
    text: raw,
    hash,
    title: header.title,
    date: header.date,
    language: guessLanguage(raw),
    headerEnd: header.headerEnd,
  };
}

function parseHtml(id: string, file: string, hash: string, raw: string): Article | string {
  const page = readHtml(raw);
  if (typeof page === 'string') return page;
  return { id, file, hash, ...page, language: page.language ?? guessLanguage(page.text) };
}

function parseMarkdown(id: string, file: string, hash: string, raw: string): Article | string {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // gray-matter caches by content; a cache hit would hand back the same mutable object.
    parsed = matter(raw, {});
  } catch (err) {
    return `broken front matter: ${(err as Error).message.split('\n')[0]}`;
  }
  const data = parsed.data as Record<string, unknown>;
  const fields: Record<string, string | undefined> = {};
  for (const key of ['title', 'outlet', 'date', 'url', 'language'] as const) {
    const value = data[key];
    if (value === undefined || value === null || value === '') continue;
    if (key === 'date') {
      const date = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
      if (!/^\d{4}-\d{2}-\d{2}/.test(date) || Number.isNaN(Date.parse(date.slice(0, 10)))) {
        return `front matter: date must be YYYY-MM-DD, got ${JSON.stringify(String(value))}`;
      }
      fields.date = date.length > 10 ? date.slice(0, 16) : date;
    } else if (typeof value !== 'string') {
      return `front matter: ${key} must be text, got ${JSON.stringify(value)}`;
    } else {
      fields[key] = value.trim();
    }
  }
  if (fields.url !== undefined && !/^https?:\/\/\S+$/.test(fields.url)) {
    return `front matter: url must start with http:// or https://, got ${JSON.stringify(fields.url)}`;
  }
  const body = parsed.content;
  if (body.trim() === '') return 'no text after the front matter';
  const md = readMarkdown(body, raw.endsWith(body) ? raw.length - body.length : 0);
  if (md.text === '') return 'no text in the Markdown (only markup)';
  // A document that opens with `# Title` and names no title otherwise: that heading is the title, not a section.
  const titleBlock = fields.title === undefined && md.leadingTitle !== undefined ? md.blocks[0] : undefined;
  const author = authorNames(data.author ?? data.authors);
  return {
    id,
    file,
    text: md.text,
    hash,
    title: fields.title ?? md.leadingTitle,
    outlet: fields.outlet,
    ...(author ? { author } : {}),
    date: fields.date,
    url: fields.url,
    language: fields.language ?? guessLanguage(md.text),
    ...(titleBlock ? { headerEnd: titleBlock.end } : {}),
    blocks: md.blocks,
  };
}

/**
 * `reuse`: given a file's stat (taken before it is read), the articles read earlier from the very same file
 * version, so that it is not read and parsed again (the reindex passes what the live index holds). Files
 * with sidecar metadata are always read: their stamp alone does not tell whether their metadata changed.
 */
export async function readCorpus(
  dir: string,
  onSkip: (skipped: SkippedFile) => void,
  reuse?: (file: string, stats: Stats) => Article | readonly Article[] | undefined,
): Promise<Article[]> {
  const all: Article[] = [];
  const files = await listArticleFiles(dir, onSkip);
  const sidecars = await readSidecars(dir, files, new Set(await listFiles(dir)));
  sidecars.problems.forEach(onSkip);
  const fresh = new Set<Article>();
  for (const file of files) {
    const full = path.join(dir, file);
    const meta = sidecars.byFile.get(file);
    let result: ParsedFile | string;
    try {
      // Synchronous: every file is stat'ed on every reindex, and an async stat costs ≈ 6× as much (a round
      // trip through libuv's thread pool; 41 vs 6.5 µs a file measured here), which is most of a nothing-changed run.
      const stats = statSync(full);
      const reused = meta ? undefined : reuse?.(file, stats);
      if (reused) {
        all.push(...[reused].flat());
        continue;
      }
      const limit = sizeLimit(file);
      result = stats.size > limit ? `too large (${stats.size} bytes, limit ${limit})` : parseFile(file, await readFile(full), meta);
    } catch (err) {
      // One unreadable file (no permission, gone meanwhile, an I/O error) must not stop the others.
      result = `cannot be read (${fsProblem(err)})`;
    }
    if (typeof result === 'string') {
      onSkip({ file, reason: result });
      continue;
    }
    result.skipped.forEach(onSkip);
    all.push(...result.articles);
    for (const a of result.articles) fresh.add(a);
  }
  // Articles reused unchanged were folded when they were read; only new ones can be copies (a file that
  // yields none, read again at every reindex, does not make every text be compared again).
  const { kept, dropped } = fresh.size > 0 ? foldNewDuplicates(all, (a) => fresh.has(a)) : { kept: all, dropped: [] };
  dropped.forEach(onSkip);
  const articles: Article[] = [];
  const seen = new Map<string, string>();
  for (const article of kept) {
    const clash = seen.get(article.id);
    if (clash) {
      onSkip({ file: article.file, reason: `same article id "${article.id}" as ${clash}; rename one of them` });
      continue;
    }
    seen.set(article.id, article.file);
    articles.push(article);
  }
  return articles;
}
