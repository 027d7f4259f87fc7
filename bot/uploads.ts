/**
 * What `/add` and `/remove` need from the corpus folder, as an interface the bot is given: saving is
 * `saveUpload` from index/corpus/upload.ts (every article format the reindex reads, checked by the same
 * readers, sanitized name, atomic, never over a file unasked), so tests can pass another.
 */
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { MAX_PAGE_BYTES } from '../index/corpus/read.ts';
import { type saveUpload } from '../index/corpus/upload.ts';
import { userError } from '../index/errors.ts';

export { sanitizeFileName } from '../index/corpus/upload.ts';

export type SaveUpload = typeof saveUpload;

/** The size Discord downloads are cut at: a saved web page's limit (articles and feeds have their own inside it). */
export const MAX_UPLOAD_BYTES = MAX_PAGE_BYTES;

/** Deletes an article file of the corpus folder, refusing any path outside it. */
export async function removeCorpusFile(corpusDir: string, file: string): Promise<void> {
  const dir = path.resolve(corpusDir);
  const target = path.resolve(dir, file);
  if (path.relative(dir, target).startsWith('..') || path.isAbsolute(path.relative(dir, target))) {
    throw userError('UPLOAD_REFUSED', `${file} is not inside the corpus folder.`);
  }
  await unlink(target);
}
