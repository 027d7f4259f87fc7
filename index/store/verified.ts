/**
 * Which segment files a reindex has checked byte for byte, and how each looked on disk then (size, times,
 * inode). Segments never change once written, so a reindex streams a file again only when it looks different
 * or was never checked: at 1M passages that is 2.5 GB a run saved. Damage that leaves a file's size, times and
 * inode alone (a bad disk block) is found by `npm run index -- --verify`, which checks every byte, and by
 * readers, which check every file they decode. Kept beside CURRENT; a cache: lost, garbled or of another
 * version, it is ignored (every file is checked again, and recorded).
 */
import type { Stats } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileEntry } from './format.ts';

export const VERIFIED_FILE = 'verified.json';
/** Of this file alone; not the index's FORMAT_VERSION (a cache of another version is just ignored). */
const VERIFIED_VERSION = 1;

/**
 * A file changed less than this long before it was looked at may change again within the same timestamp
 * (as git's "racy" files): its stamp is not trusted, and not recorded.
 */
export const RACY_MS = 2000;

interface Seen {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  /** The checksum it was found to have: a manifest expecting another one checks it again. */
  readonly checksum: string;
}

/** The record of checked files of one index folder, by `<segment id>/<file name>`. */
export class VerifiedFiles {
  #changed = false;

  private constructor(
    private readonly root: string,
    private readonly seen: Map<string, Seen>,
  ) {}

  /** The record kept in `root` (the index folder); empty when there is none or it cannot be used. */
  static async read(root: string): Promise<VerifiedFiles> {
    let seen = new Map<string, Seen>();
    try {
      const parsed = JSON.parse(await readFile(path.join(root, VERIFIED_FILE), 'utf8')) as { version?: unknown; files?: Record<string, Seen> };
      if (parsed.version === VERIFIED_VERSION && typeof parsed.files === 'object' && parsed.files !== null) seen = new Map(Object.entries(parsed.files));
    } catch {
      // missing or garbled: every file is checked again
    }
    return new VerifiedFiles(root, seen);
  }

  /** Whether `stats` show the file as it was when it was found to match `entry`. */
  trusts(key: string, stats: Stats, entry: FileEntry): boolean {
    const s = this.seen.get(key);
    return !!s && s.checksum === entry.checksum && s.size === stats.size && s.mtimeMs === stats.mtimeMs && s.ctimeMs === stats.ctimeMs && s.ino === stats.ino;
  }

  /** The file, as `stats` show it, was just found to match `entry` in full. */
  record(key: string, stats: Stats, entry: FileEntry, now: number): void {
    if (now - Math.max(stats.mtimeMs, stats.ctimeMs) < RACY_MS) return;
    this.seen.set(key, { size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs, ino: stats.ino, checksum: entry.checksum });
    this.#changed = true;
  }

  /** The file was found damaged: never trusted until checked again. */
  forget(key: string): void {
    this.#changed = this.seen.delete(key) || this.#changed;
  }

  /**
   * Writes the record (atomically, under the caller's reindex lock) if it changed, keeping only the files
   * whose keys `keep` accepts (segments still listed).
   */
  async save(keep: (key: string) => boolean): Promise<void> {
    for (const key of this.seen.keys()) {
      if (!keep(key)) {
        this.seen.delete(key);
        this.#changed = true;
      }
    }
    if (!this.#changed) return;
    const file = path.join(this.root, VERIFIED_FILE);
    const tmp = path.join(this.root, `.tmp-${VERIFIED_FILE}`);
    await writeFile(tmp, JSON.stringify({ version: VERIFIED_VERSION, files: Object.fromEntries(this.seen) }));
    await rename(tmp, file);
    this.#changed = false;
  }
}

/** Forgets every file checked: the next reindex checks all of them again. */
export async function forgetVerified(root: string): Promise<void> {
  await rm(path.join(root, VERIFIED_FILE), { force: true });
}
