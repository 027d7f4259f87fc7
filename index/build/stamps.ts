/**
 * An article file's size and times when it was read, so that a reindex reads again only the files whose
 * stamp differs (as git and make do). ctime cannot be set back by tools that restore mtimes.
 */
import type { Stats } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../corpus/article.ts';
import { FILES, type Manifest, type SourceStamp, type StoredArticle } from '../store/format.ts';
import { RACY_MS } from '../store/verified.ts';
import { encodeManifest, entryFor } from '../store/verify.ts';

export function stampOf(file: string, stats: Stats, now: number): SourceStamp | undefined {
  if (now - Math.max(stats.mtimeMs, stats.ctimeMs) < RACY_MS) return undefined;
  return { file, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

export const sameStamp = (a: SourceStamp, b: SourceStamp) => a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

/** The stored article as read from its unchanged file; its text is decoded only if someone reads it. */
export function unread(old: StoredArticle, stamp: SourceStamp): Article {
  return new UnreadArticle(old, stamp.headerEnd) as unknown as Article;
}

/**
 * One made for every unchanged article on every reindex, so built cheaply: fields set one by one, the text a
 * getter on the prototype (an object spread leaves it out: copy it by name).
 */
class UnreadArticle {
  readonly #old: StoredArticle;

  constructor(old: StoredArticle, headerEnd: number | undefined) {
    this.#old = old;
    const self = this as unknown as Record<string, unknown>;
    self.id = old.id;
    self.file = old.file;
    self.hash = old.hash;
    for (const key of OPTIONAL) if (old[key] !== undefined) self[key] = old[key];
    if (headerEnd !== undefined) self.headerEnd = headerEnd;
  }

  get text(): string {
    return this.#old.text;
  }
}

const OPTIONAL = ['title', 'outlet', 'author', 'date', 'url', 'language', 'textKey'] as const;

export function sourcesOf(articles: readonly Article[], stamps: ReadonlyMap<string, SourceStamp | undefined>): SourceStamp[] {
  const seen = new Set<string>();
  return articles.flatMap((a) => {
    const stamp = stamps.get(a.file);
    // A feed or export holds many articles, and has one stamp.
    if (!stamp || seen.has(a.file)) return [];
    seen.add(a.file);
    return [{ ...stamp, ...(a.headerEnd !== undefined ? { headerEnd: a.headerEnd } : {}) }];
  });
}

/**
 * Files that were touched without changing, or too recently written to trust their stamp, would be read
 * again by every reindex; their new stamps go into the live version, and its manifest's record of the file.
 * Only reindexes read this file, and they hold the lock, so replacing it in place (atomically) is safe; a
 * crash between the two renames leaves stamps that do not match the manifest, which the next reindex
 * treats as no stamps (it reads every file again, once).
 */
export async function refreshSources(
  dir: string,
  manifest: Manifest,
  before: ReadonlyMap<string, SourceStamp>,
  articles: readonly Article[],
  stamps: ReadonlyMap<string, SourceStamp | undefined>,
): Promise<void> {
  const sources = sourcesOf(articles, stamps);
  if (sources.length === before.size && sources.every((s) => before.has(s.file) && sameStamp(before.get(s.file)!, s))) return;
  const bytes = Buffer.from(JSON.stringify(sources));
  const updated: Manifest = { ...manifest, files: { ...manifest.files, [FILES.sources]: entryFor(bytes) } };
  await replace(path.join(dir, FILES.sources), bytes);
  await replace(path.join(dir, FILES.manifest), Buffer.from(encodeManifest(updated)));
}

async function replace(file: string, bytes: Buffer): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  await writeFile(tmp, bytes);
  await rename(tmp, file);
}
