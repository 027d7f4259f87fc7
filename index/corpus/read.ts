/**
 * Reads the corpus folder. Each bad file (empty, binary, invalid UTF-8, broken front matter, too large,
 * unreadable) is reported through `onSkip` and left out; the rest is read.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import type { Article } from './article.ts';
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
  if (path.extname(file).toLowerCase() === '.md' && raw.startsWith('---')) {
    return parseMarkdown(id, file, hash, raw);
  }
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
  return {
    id,
    file,
    text: body,
    hash,
    title: fields.title,
    outlet: fields.outlet,
    date: fields.date,
    url: fields.url,
    language: fields.language ?? guessLanguage(body),
  };
}

const isArticleName = (name: string) => !name.startsWith('.') && (ARTICLE_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());

const fsProblem = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ELOOP' ? 'a loop of symbolic links' : code === 'ENOENT' ? 'a broken symbolic link' : (code ?? String(err));
};

/**
 * Article files in `dir` and its subfolders, sorted for stable output. A symbolic link to a file inside
 * `dir` counts as an article file under its own name; links that loop, dangle, leave `dir` or lead to a
 * folder, unreadable folders, and folders named like article files are reported through `onSkip`.
 */
export async function listArticleFiles(dir: string, onSkip: (skipped: SkippedFile) => void = () => {}): Promise<string[]> {
  const root = await realpath(dir);
  const files: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (err) {
      if (folder === dir) throw err;
      onSkip({ file: path.relative(dir, folder), reason: `folder cannot be read (${fsProblem(err)})` });
      return;
    }
    for (const e of entries) {
      const full = path.join(folder, e.name);
      const file = path.relative(dir, full);
      if (e.isDirectory()) {
        if (isArticleName(e.name)) onSkip({ file, reason: 'a folder named like an article file; its contents are read as a folder' });
        await walk(full);
      } else if (e.isSymbolicLink()) {
        const reason = isArticleName(e.name) || (await stat(full).then((t) => t.isDirectory(), () => false)) ? await linkProblem(root, full) : undefined;
        if (reason) onSkip({ file, reason });
        else if (isArticleName(e.name)) files.push(file);
      } else if (e.isFile() && isArticleName(e.name)) {
        files.push(file);
      }
    }
  };
  await walk(dir);
  return files.sort();
}

/** Why a symbolic link is not read as an article; undefined when it leads to a file inside the corpus. */
async function linkProblem(root: string, link: string): Promise<string | undefined> {
  let target: string;
  try {
    target = await realpath(link);
  } catch (err) {
    return `symbolic link not followed: ${fsProblem(err)}`;
  }
  if (target !== root && !target.startsWith(`${root}${path.sep}`)) return `symbolic link to ${target}, outside the corpus folder: not followed`;
  const isDir = await stat(target).then((t) => t.isDirectory(), () => false);
  return isDir ? 'symbolic link to a folder: not followed (its articles are read where they are)' : undefined;
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
  for (const file of await listArticleFiles(dir, onSkip)) {
    const full = path.join(dir, file);
    let result: Article | string;
    try {
      const stats = await stat(full);
      const size = stats.size;
      result = reuse?.(file, stats) ?? (size > MAX_ARTICLE_BYTES ? `too large (${size} bytes, limit ${MAX_ARTICLE_BYTES})` : parseArticle(file, await readFile(full)));
    } catch (err) {
      // One unreadable file (no permission, gone meanwhile, an I/O error) must not stop the others.
      result = `cannot be read (${fsProblem(err)})`;
    }
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
