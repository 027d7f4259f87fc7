/**
 * Reads the corpus folder. Each bad file (empty, binary, invalid UTF-8, broken front matter, too large)
 * is reported through `onSkip` and left out; the rest is read.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import type { Article } from './article.ts';
import { readMarkdown } from './markdown.ts';
import { guessLanguage, readPlainTextHeader } from './metadata.ts';

export const ARTICLE_EXTENSIONS = ['.md', '.txt'] as const;
/** Far above any news article; a file this large is a dump or a mistake, and would swamp the index. */
export const MAX_ARTICLE_BYTES = 2 * 1024 * 1024;

export interface SkippedFile {
  file: string;
  reason: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses one article file's bytes; returns a reason string when the file cannot be used. */
export function parseArticle(file: string, bytes: Buffer): Article | string {
  if (bytes.length === 0) return 'empty file';
  if (bytes.length > MAX_ARTICLE_BYTES) return `too large (${bytes.length} bytes, limit ${MAX_ARTICLE_BYTES})`;
  if (bytes.includes(0)) return 'binary file (contains NUL bytes)';
  let raw: string;
  try {
    raw = utf8.decode(bytes);
  } catch {
    return 'not valid UTF-8 text';
  }
  if (raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
  if (raw.trim() === '') return 'no text (only white space)';

  const id = path.basename(file, path.extname(file));
  const hash = createHash('sha256').update(bytes).digest('hex');
  if (path.extname(file).toLowerCase() === '.md') return parseMarkdown(id, file, hash, raw);
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

/** Names as front matter, feeds and JSON exports give them: a string, a list, or objects with a `name`. */
export function authorNames(value: unknown): string | undefined {
  const names = (Array.isArray(value) ? value : [value])
    .map((v) => (typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string' ? (v as { name: string }).name : ''))
    .map((v) => v.replace(/\s+/g, ' ').trim())
    .filter((v) => v !== '');
  return names.length > 0 ? [...new Set(names)].join(', ') : undefined;
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

/** Article files directly in `dir` and its subfolders, sorted for stable output. */
export async function listArticleFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.') && (ARTICLE_EXTENSIONS as readonly string[]).includes(path.extname(e.name).toLowerCase()))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/**
 * `reuse`: given a file's stat (taken before it is read), an article read earlier from the very same file
 * version, so that it is not read and parsed again (the reindex passes what the live index holds).
 */
export async function readCorpus(
  dir: string,
  onSkip: (skipped: SkippedFile) => void,
  reuse?: (file: string, stats: Stats) => Article | undefined,
): Promise<Article[]> {
  const articles: Article[] = [];
  const seen = new Map<string, string>();
  for (const file of await listArticleFiles(dir)) {
    const full = path.join(dir, file);
    const stats = await stat(full);
    const size = stats.size;
    const result =
      reuse?.(file, stats) ?? (size > MAX_ARTICLE_BYTES ? `too large (${size} bytes, limit ${MAX_ARTICLE_BYTES})` : parseArticle(file, await readFile(full)));
    if (typeof result === 'string') {
      onSkip({ file, reason: result });
      continue;
    }
    const clash = seen.get(result.id);
    if (clash) {
      onSkip({ file, reason: `same article id "${result.id}" as ${clash}; rename one of them` });
      continue;
    }
    seen.set(result.id, file);
    articles.push(result);
  }
  return articles;
}
