/**
 * An uploaded article file (e.g. a Discord attachment for `/add`) → a file in the corpus folder. The check
 * is pure: the name is sanitized (no folders, no traversal, no hidden files, a bounded length), the type is
 * judged by the content, not the name alone, and the file must yield at least one article by the same
 * readers the reindex uses. Saving never overwrites without being told to, and is atomic.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { userError } from '../errors.ts';
import { listArticleFiles } from './files.ts';
import { ARTICLE_EXTENSIONS, parseFile, sizeLimit, type SkippedFile } from './read.ts';

/** Long enough for any real title, short enough for every file system (255 bytes) and a Discord line. */
export const MAX_UPLOAD_NAME_CHARS = 80;

export interface CheckedUpload {
  /** The sanitized file name, relative to the corpus folder. */
  readonly file: string;
  readonly articles: ReadonlyArray<{ readonly id: string; readonly title?: string }>;
  /** Parts of the file that will be left out (bad lines, teaser-only items). */
  readonly skipped: readonly SkippedFile[];
}

export interface SavedUpload extends CheckedUpload {
  /** True when an existing file of that name was replaced (only with `replace`). */
  readonly replaced: boolean;
}

const refuse = (message: string) => userError('UPLOAD_REFUSED', message);

/**
 * `../../x.md` → `x.md`, `Bericht: Köln (2024).HTML` → `Bericht-Köln-2024.html`. undefined when the name has
 * no article extension. Letters of every script are kept; dots, separators and control characters are not.
 */
export function sanitizeFileName(name: string): string | undefined {
  const base = name.normalize('NFKC').split(/[\\/]/).pop() ?? '';
  const ext = path.extname(base).toLowerCase();
  if (!(ARTICLE_EXTENSIONS as readonly string[]).includes(ext)) return undefined;
  const stem = [...base.slice(0, base.length - ext.length).replace(/[^\p{L}\p{M}\p{N}_-]+/gu, '-').replace(/-{2,}/g, '-').replace(/^[-_]+|[-_]+$/g, '')];
  const short = stem.slice(0, MAX_UPLOAD_NAME_CHARS).join('').replace(/[-_]+$/, '');
  return `${short || 'upload'}${ext}`;
}

const MAGIC: Array<[string, RegExp]> = [
  ['a PNG image', /^\x89PNG/],
  ['a JPEG image', /^\xff\xd8\xff/],
  ['a GIF image', /^GIF8/],
  ['a PDF document', /^%PDF-/],
  ['a ZIP archive (or Office document)', /^PK\x03\x04/],
  ['a gzip archive', /^\x1f\x8b/],
];

/** Why the content does not match the type its name claims, if it does not. */
function contentMismatch(file: string, bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 4096).toString('latin1');
  const binary = MAGIC.find(([, re]) => re.test(head));
  if (binary) return `it is ${binary[0]}, not an article`;
  const start = head.replace(/^\xef\xbb\xbf/, '').replace(/^\s+/, '');
  const ext = path.extname(file);
  const html = /^(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b/i.test(start);
  if (ext === '.html' || ext === '.htm') return /<(?:!doctype\s+html|html|head|body|p|div|article|main)\b/i.test(head) ? undefined : 'it does not look like an HTML page';
  if (ext === '.jsonl') return start.startsWith('{') ? undefined : 'it does not look like JSON Lines (one {…} object per line)';
  if (ext === '.xml' || ext === '.rss' || ext === '.atom') return start.startsWith('<') && !html ? undefined : 'it does not look like an RSS or Atom feed';
  return html ? `it is an HTML page; name it .html` : undefined;
}

/** Everything about an upload that can be judged without the corpus folder. Throws UPLOAD_REFUSED with the reason. */
export function checkUpload(name: string, bytes: Buffer, maxBytes?: number): CheckedUpload {
  const file = sanitizeFileName(name);
  if (!file) throw refuse(`"${name}" is not an article file; accepted: ${ARTICLE_EXTENSIONS.join(', ')}.`);
  const limit = Math.min(maxBytes ?? Infinity, sizeLimit(file));
  if (bytes.length > limit) throw refuse(`${file} is too large (${bytes.length} bytes; the limit is ${limit}).`);
  const mismatch = contentMismatch(file, bytes);
  if (mismatch) throw refuse(`${file} was refused: ${mismatch}.`);
  const parsed = parseFile(file, bytes);
  if (typeof parsed === 'string') throw refuse(`${file} was refused: ${parsed}.`);
  if (parsed.articles.length === 0) {
    const why = parsed.skipped.slice(0, 3).map((s) => s.reason).join('; ');
    throw refuse(`${file} holds no article that could be indexed${why ? ` (${why})` : ''}.`);
  }
  return { file, articles: parsed.articles.map((a) => ({ id: a.id, ...(a.title ? { title: a.title } : {}) })), skipped: parsed.skipped };
}

/**
 * Checks an upload and saves it into `corpusDir`. An existing file of the same name is replaced only with
 * `replace` (else UPLOAD_EXISTS); a file of another type with the same article id is refused. The reindex
 * that follows picks the file up.
 */
export async function saveUpload(options: { corpusDir: string; name: string; bytes: Buffer; replace?: boolean; maxBytes?: number }): Promise<SavedUpload> {
  const checked = checkUpload(options.name, options.bytes, options.maxBytes);
  const dir = path.resolve(options.corpusDir);
  const target = path.join(dir, checked.file);
  // sanitizeFileName leaves no separator or dot-dot; this only makes the guarantee visible here.
  if (path.dirname(target) !== dir) throw refuse(`${checked.file} would not be saved inside the corpus folder.`);
  await mkdir(dir, { recursive: true });
  const existing = await listArticleFiles(dir);
  const id = path.basename(checked.file, path.extname(checked.file));
  const clash = existing.find((f) => f !== checked.file && path.basename(f, path.extname(f)) === id);
  if (clash) throw refuse(`${checked.file} would have the same article id as ${clash}; rename the upload.`);
  const exists = existing.includes(checked.file);
  if (exists && !options.replace) throw userError('UPLOAD_EXISTS', `${checked.file} already exists in the corpus; upload it again with replace to overwrite it.`);

  // Written under a hidden name (the corpus reader skips those), then put in place in one step.
  const tmp = path.join(dir, `.upload-${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(tmp, options.bytes, { flag: 'wx' });
  try {
    if (options.replace) {
      await rename(tmp, target);
    } else {
      // link() fails if the name was taken meanwhile: never a silent overwrite, even in a race.
      await link(tmp, target).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') throw userError('UPLOAD_EXISTS', `${checked.file} already exists in the corpus; upload it again with replace to overwrite it.`);
        throw err;
      });
    }
  } finally {
    await unlink(tmp).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
  return { ...checked, replaced: exists };
}
