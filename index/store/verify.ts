/**
 * Is a version's file as its manifest says? Opening a version checks the size and the checksum of every
 * file it uses, always: the files decoded in memory are hashed there (at 1M passages, ≈ 0.8 GB: ≈ 110 ms),
 * the vector graph (1.7 GB) is streamed once more before hnswlib loads it (≈ 0.4 s), because a damaged
 * graph can crash hnswlib's native loader. A reindex and `npm run index -- --verify` check every file,
 * including the stamps that only reindexes read. Measured: docs/performance.md.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { checksumOf, checksumOfFile } from './checksum.ts';
import type { FileEntry, Manifest } from './format.ts';
import { damaged, segmentDir } from './layout.ts';
import type { VerifiedFiles } from './verified.ts';

/** What a manifest records of a folder's files (a version's own, or one segment's). */
export type FileTable = Readonly<Record<string, FileEntry>>;

export interface Damage {
  readonly file: string;
  readonly problem: string;
  /** The segment the file belongs to; undefined for the version's own files. */
  readonly segment?: string;
}

/** `dir`: the version folder (a segment's file is named in its own folder). */
export const describeDamage = (dir: string, d: Damage) => `${path.join(d.segment ? segmentDir(dir, d.segment) : dir, d.file)} ${d.problem}`;

function entryOf(files: FileTable, name: string): FileEntry | Damage {
  const entry = files[name];
  return entry ?? { file: name, problem: 'is not listed in the manifest' };
}

const isDamage = (x: unknown): x is Damage => typeof x === 'object' && x !== null && 'problem' in x;

/** The size check of one file; undefined when it is right. */
export async function sizeDamage(dir: string, files: FileTable, name: string): Promise<Damage | undefined> {
  const entry = entryOf(files, name);
  if (isDamage(entry)) return entry;
  try {
    const s = await stat(path.join(dir, name));
    if (!s.isFile()) return { file: name, problem: 'is not a file' };
    if (s.size !== entry.size) return { file: name, problem: `has ${s.size} bytes, the manifest says ${entry.size} (truncated or overwritten)` };
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { file: name, problem: code === 'ENOENT' ? 'is missing' : `cannot be read (${code})` };
  }
}

/** The checksum check of bytes already read; undefined when they are right. */
export function bytesDamage(files: FileTable, name: string, bytes: Uint8Array): Damage | undefined {
  const entry = entryOf(files, name);
  if (isDamage(entry)) return entry;
  if (bytes.length !== entry.size) return { file: name, problem: `has ${bytes.length} bytes, the manifest says ${entry.size} (truncated or overwritten)` };
  return checksumOf(bytes) === entry.checksum ? undefined : { file: name, problem: 'does not match its checksum (damaged)' };
}

/** Size and checksum of one file, read from disk. */
export async function fileDamage(dir: string, files: FileTable, name: string): Promise<Damage | undefined> {
  const bad = await sizeDamage(dir, files, name);
  if (bad) return bad;
  try {
    return (await checksumOfFile(path.join(dir, name))) === files[name]!.checksum ? undefined : { file: name, problem: 'does not match its checksum (damaged)' };
  } catch (err) {
    return { file: name, problem: `cannot be read (${(err as NodeJS.ErrnoException).code})` };
  }
}

/**
 * Every file of the version and of its segments, sizes and checksums. With `verified`, a segment file that
 * looks as it did when it was last checked in full is not read again (see verified.ts), and each file checked
 * in full is recorded there.
 */
export async function verifyVersion(dir: string, manifest: Manifest, verified?: { files: VerifiedFiles; now: number }): Promise<Damage[]> {
  const found: Damage[] = [];
  for (const name of Object.keys(manifest.files).sort()) {
    const bad = await fileDamage(dir, manifest.files, name);
    if (bad) found.push(bad);
  }
  for (const segment of manifest.segments) {
    const sdir = segmentDir(dir, segment.id);
    for (const name of Object.keys(segment.files).sort()) {
      const key = `${segment.id}/${name}`;
      const entry = segment.files[name]!;
      const before = verified && (await stat(path.join(sdir, name)).catch(() => undefined));
      if (before && verified.files.trusts(key, before, entry)) continue;
      const bad = await fileDamage(sdir, segment.files, name);
      if (bad) {
        found.push({ ...bad, segment: segment.id });
        verified?.files.forget(key);
      } else if (before) verified.files.record(key, before, entry, verified.now);
    }
  }
  return found;
}

/** How many files a version has, its manifest and every segment's files included. */
export const fileCount = (manifest: Manifest) => 1 + Object.keys(manifest.files).length + manifest.segments.reduce((n, s) => n + Object.keys(s.files).length, 0);

/** Throws INDEX_DAMAGED naming the first damaged file. */
/** `dir`: the folder the damaged files are in. */
export function refuseDamage(dir: string, found: readonly (Damage | undefined)[]): void {
  const bad = found.filter((d): d is Damage => d !== undefined);
  if (bad.length > 0) throw damaged(bad.map((d) => describeDamage(dir, d)).join('; '));
}

/** The manifest's record of every file written into `dir` so far. */
export async function recordFiles(dir: string, names: readonly string[]): Promise<Record<string, FileEntry>> {
  const entries = await Promise.all(
    [...names].sort().map(async (name) => {
      const file = path.join(dir, name);
      return [name, { size: (await stat(file)).size, checksum: await checksumOfFile(file) }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

export const entryFor = (bytes: Uint8Array): FileEntry => ({ size: bytes.length, checksum: checksumOf(bytes) });

/**
 * The manifest as written: with a checksum of itself (of its JSON without that field), so that damage to
 * the manifest, which describes every other file, is found too.
 */
export function encodeManifest(manifest: Manifest): string {
  const { checksum: _, ...rest } = manifest as Manifest & { checksum?: string };
  const body = JSON.stringify(rest, null, 2);
  return JSON.stringify({ ...rest, checksum: checksumOf(Buffer.from(body)) }, null, 2);
}

/** Whether a parsed manifest still carries the checksum `encodeManifest` gave it. */
export function manifestIntact(parsed: Record<string, unknown>): boolean {
  const { checksum, ...rest } = parsed;
  return typeof checksum === 'string' && checksumOf(Buffer.from(JSON.stringify(rest, null, 2))) === checksum;
}
