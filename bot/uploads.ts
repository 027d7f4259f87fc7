/**
 * What `/add` and `/remove` need from the corpus folder, as an interface the bot is given. Its shape is
 * that of `saveUpload` in index/corpus/upload.ts (the ingest work, with HTML, feeds and JSON Lines): once
 * that is merged, `createBot` passes it instead of `basicUploads`, which knows only this branch's two
 * formats (.md and .txt). Both refuse with UPLOAD_REFUSED / UPLOAD_EXISTS.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, unlink, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ARTICLE_EXTENSIONS, listArticleFiles, MAX_ARTICLE_BYTES, parseArticle } from '../index/corpus/read.ts';
import { userError } from '../index/errors.ts';

export interface UploadRequest {
  readonly corpusDir: string;
  /** The name the uploader gave; sanitized before use. */
  readonly name: string;
  readonly bytes: Buffer;
  /** Replace a file of the same name (else UPLOAD_EXISTS). */
  readonly replace?: boolean;
  readonly maxBytes?: number;
}

export interface SavedUpload {
  /** The sanitized file name, relative to the corpus folder. */
  readonly file: string;
  readonly articles: ReadonlyArray<{ readonly id: string; readonly title?: string }>;
  readonly replaced: boolean;
}

export type SaveUpload = (request: UploadRequest) => Promise<SavedUpload>;

/** The size Discord downloads are cut at, whichever saver is used. */
export const MAX_UPLOAD_BYTES = MAX_ARTICLE_BYTES;
const MAX_NAME_CHARS = 80;

/** `../../x.md` → `x.md`, `Bericht: Köln (2024).MD` → `Bericht-Köln-2024.md`; undefined without an article extension. */
export function sanitizeFileName(name: string): string | undefined {
  const base = name.normalize('NFKC').split(/[\\/]/).pop() ?? '';
  const ext = path.extname(base).toLowerCase();
  if (!(ARTICLE_EXTENSIONS as readonly string[]).includes(ext)) return undefined;
  const stem = [...base.slice(0, base.length - ext.length).replace(/[^\p{L}\p{M}\p{N}_-]+/gu, '-').replace(/-{2,}/g, '-').replace(/^[-_]+|[-_]+$/g, '')];
  return `${stem.slice(0, MAX_NAME_CHARS).join('').replace(/[-_]+$/, '') || 'upload'}${ext}`;
}

const refused = (message: string) => userError('UPLOAD_REFUSED', message);
const exists = (file: string) => userError('UPLOAD_EXISTS', `${file} already exists in the corpus; upload it again with replace to overwrite it.`);

/** Saves a .md or .txt upload: checked by the same reader the reindex uses, written atomically, never over a file unasked. */
export const basicUploads: SaveUpload = async ({ corpusDir, name, bytes, replace = false, maxBytes = MAX_UPLOAD_BYTES }) => {
  const file = sanitizeFileName(name);
  if (!file) throw refused(`"${name}" is not an article file; accepted: ${ARTICLE_EXTENSIONS.join(', ')}.`);
  if (bytes.length > maxBytes) throw refused(`${file} is too large (${bytes.length} bytes; the limit is ${maxBytes}).`);
  const article = parseArticle(file, bytes);
  if (typeof article === 'string') throw refused(`${file} was refused: ${article}.`);
  const dir = path.resolve(corpusDir);
  const target = path.join(dir, file);
  if (path.dirname(target) !== dir) throw refused(`${file} would not be saved inside the corpus folder.`);
  await mkdir(dir, { recursive: true });
  const present = await listArticleFiles(dir);
  const id = path.basename(file, path.extname(file));
  const clash = present.find((f) => f !== file && path.basename(f, path.extname(f)) === id);
  if (clash) throw refused(`${file} would have the same article id as ${clash}; rename the upload.`);
  const replaced = present.includes(file);
  if (replaced && !replace) throw exists(file);
  // A hidden name first (the corpus reader skips it), then in place in one step; link() never overwrites.
  const tmp = path.join(dir, `.upload-${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(tmp, bytes, { flag: 'wx' });
  try {
    if (replace) await rename(tmp, target);
    else
      await link(tmp, target).catch((err: NodeJS.ErrnoException) => {
        throw err.code === 'EEXIST' ? exists(file) : err;
      });
  } finally {
    await unlink(tmp).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
  return { file, articles: [{ id: article.id, ...(article.title ? { title: article.title } : {}) }], replaced };
};

/** Deletes an article file of the corpus folder, refusing any path outside it. */
export async function removeCorpusFile(corpusDir: string, file: string): Promise<void> {
  const dir = path.resolve(corpusDir);
  const target = path.resolve(dir, file);
  if (path.relative(dir, target).startsWith('..') || path.isAbsolute(path.relative(dir, target))) throw refused(`${file} is not inside the corpus folder.`);
  await unlink(target);
}
