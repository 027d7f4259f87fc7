/**
 * Index versions on disk: `<DATA_DIR>/index/<version>/…` (a manifest, the file stamps, the tombstones) plus a
 * `CURRENT` file naming the live one, and the immutable segments versions share in `<DATA_DIR>/index/segments/`.
 * A reindex writes its new segments and then its new version under temporary names, renames each into
 * place, and only then switches `CURRENT` with an atomic rename, so a crash at any point leaves the previous
 * version intact and in use. Segments no kept version lists are removed. See DESIGN.md.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { QuotedeskError } from '../errors.ts';
import { onInterrupt } from './interrupt.ts';
import { LOCK_FILE } from './lock.ts';

export { acquireReindexLock } from './lock.ts';

const CURRENT = 'CURRENT';
const TMP_PREFIX = '.tmp-';
/** What a version folder is called: `v` and the time it was built, as createVersionDir names it. */
const VERSION_NAME = /^v[0-9A-Za-z-]+$/;
/** What a segment folder is called, as createSegmentDir names it. */
const SEGMENT_NAME = /^seg-[0-9A-Za-z-]+$/;
const SEGMENTS = 'segments';

export const indexRoot = (dataDir: string) => path.join(dataDir, 'index');

/** A segment's folder, seen from a version folder (they sit side by side under the index folder). */
export const segmentDir = (versionDir: string, id: string) => path.join(path.dirname(versionDir), SEGMENTS, id);

/**
 * The live version's folder; undefined when there is none. `CURRENT` may only name a version folder
 * directly inside the index folder: anything else (a path, `..`, garbage) is refused, never followed.
 */
export async function readCurrentVersion(dataDir: string): Promise<string | undefined> {
  const root = indexRoot(dataDir);
  let name: string;
  try {
    name = (await readFile(path.join(root, CURRENT), 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw damaged(`${path.join(root, CURRENT)} cannot be read (${(err as NodeJS.ErrnoException).code})`);
  }
  if (name === '') return undefined;
  if (!VERSION_NAME.test(name)) {
    throw damaged(`${path.join(root, CURRENT)} names ${JSON.stringify(name.slice(0, 80))}, which is not a version folder of ${root}`);
  }
  const dir = path.join(root, name);
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw damaged(`${path.join(root, CURRENT)} names version ${name}, but ${dir} is missing`);
  return dir;
}

/** A damaged or incomplete index version; `what` names the file and the problem. */
export class IndexDamaged extends QuotedeskError {
  constructor(readonly what: string) {
    super('INDEX_DAMAGED', `quotedesk: the index is damaged: ${what}. Run \`npm run index\` to repair it.`);
  }
}

export const damaged = (what: string) => new IndexDamaged(what);

const stampName = (now: Date) => `${now.toISOString().replace(/[-:.]/g, '').replace('T', '-')}-${process.pid}-${randomBytes(3).toString('hex')}`;

/** A fresh folder to write a new version into; invisible to readers until `publishVersion`. */
export async function createVersionDir(dataDir: string, now: Date): Promise<string> {
  const root = indexRoot(dataDir);
  await mkdir(root, { recursive: true });
  // The random part keeps two versions built within one millisecond apart.
  return temporaryDir(path.join(root, `${TMP_PREFIX}v${stampName(now)}`));
}

/** A fresh folder to write a new segment into; `sealSegment` renames it into place. */
export async function createSegmentDir(dataDir: string, now: Date): Promise<string> {
  const root = path.join(indexRoot(dataDir), SEGMENTS);
  await mkdir(root, { recursive: true });
  return temporaryDir(path.join(root, `${TMP_PREFIX}seg-${stampName(now)}`));
}

async function temporaryDir(dir: string): Promise<string> {
  // Registered before the folder exists: a signal may be handled before the mkdir below reports back.
  // Retried: a write still under way on another thread may add a file while the folder is emptied.
  temporary.set(
    dir,
    onInterrupt(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 10 })),
  );
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  return dir;
}

/** Temporary folders of this process, with what unregisters their clean-up on an interrupt. */
const temporary = new Map<string, () => void>();

/**
 * A fully written segment under its final name (files and folder synced), returning its id. Still unused:
 * only a version listing it makes it live, and removeLeftovers deletes it if no version comes to.
 */
export async function sealSegment(tmpDir: string): Promise<string> {
  for (const file of await readdir(tmpDir)) await fsyncPath(path.join(tmpDir, file));
  const id = path.basename(tmpDir).slice(TMP_PREFIX.length);
  const finalDir = path.join(path.dirname(tmpDir), id);
  // Until a version lists it, an interrupt removes it too (a SIGKILL leaves it to the next reindex).
  unpublished.set(
    finalDir,
    onInterrupt(() => rmSync(finalDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 10 })),
  );
  await rename(tmpDir, finalDir);
  temporary.get(tmpDir)?.();
  temporary.delete(tmpDir);
  await fsyncPath(path.dirname(tmpDir));
  return id;
}

/** Segments this process sealed for a version not yet published, with what unregisters their clean-up. */
const unpublished = new Map<string, () => void>();

/** Removes the segments this process sealed for a version that will not be published (its reindex failed). */
export async function discardUnpublishedSegments(): Promise<void> {
  for (const [dir, unregister] of unpublished) {
    unregister();
    unpublished.delete(dir);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Removes a temporary version or segment folder that will not be used (its reindex failed). */
export async function discardVersionDir(dir: string): Promise<void> {
  if (!temporary.has(dir)) return;
  temporary.get(dir)!();
  temporary.delete(dir);
  await rm(dir, { recursive: true, force: true });
}

async function fsyncPath(p: string): Promise<void> {
  const handle = await open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Makes a fully written version the live one, then removes what is no longer needed.
 * @param previous the version live until now (kept for readers still opening it), if any.
 */
export async function publishVersion(dataDir: string, tmpDir: string, previous: string | undefined): Promise<string> {
  const root = indexRoot(dataDir);
  for (const file of await readdir(tmpDir)) await fsyncPath(path.join(tmpDir, file));
  const name = path.basename(tmpDir).slice(TMP_PREFIX.length);
  const finalDir = path.join(root, name);
  await rename(tmpDir, finalDir);
  temporary.get(tmpDir)?.();
  temporary.delete(tmpDir);
  const pointer = path.join(root, `${TMP_PREFIX}${CURRENT}`);
  const unregister = onInterrupt(() => rmSync(pointer, { force: true }));
  try {
    await writeFile(pointer, `${name}\n`);
    await fsyncPath(pointer);
    await rename(pointer, path.join(root, CURRENT));
  } finally {
    unregister();
  }
  await fsyncPath(root);
  for (const unregister of unpublished.values()) unregister();
  unpublished.clear();
  await removeLeftovers(dataDir, [name, ...(previous ? [previous] : [])]);
  return finalDir;
}

/**
 * Removes everything in the index folder but `keep`, CURRENT, the lock and the segments `keep` uses:
 * temporary folders and files of interrupted reindexes, versions older than the previous one, orphans
 * (versions renamed into place whose switch of CURRENT never happened) and segments no kept version lists.
 * Callers hold the reindex lock, so nothing else is writing.
 */
export async function removeLeftovers(dataDir: string, keep: readonly string[]): Promise<void> {
  const root = indexRoot(dataDir);
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (keep.includes(e.name) || e.name === CURRENT || e.name === SEGMENTS || e.name.startsWith(LOCK_FILE)) continue;
    if (e.isDirectory() ? VERSION_NAME.test(e.name) || e.name.startsWith(TMP_PREFIX) : e.name.startsWith(TMP_PREFIX)) {
      if (!temporary.has(path.join(root, e.name))) await rm(path.join(root, e.name), { recursive: true, force: true });
    }
  }
  const used = await segmentsUsed(root, keep);
  // A kept version whose manifest cannot be read might use any segment: then none is removed (the damaged
  // version goes within two publishes, and its segments with it).
  if (!used) return;
  const segments = path.join(root, SEGMENTS);
  for (const e of await readdir(segments, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(segments, e.name);
    if (used.has(e.name) || temporary.has(full) || unpublished.has(full)) continue;
    if (SEGMENT_NAME.test(e.name) || e.name.startsWith(TMP_PREFIX)) await rm(full, { recursive: true, force: true });
  }
}

/** The segments the kept versions list; undefined when a kept version's manifest cannot be read. */
async function segmentsUsed(root: string, keep: readonly string[]): Promise<Set<string> | undefined> {
  const used = new Set<string>();
  for (const name of keep) {
    try {
      const manifest = JSON.parse(await readFile(path.join(root, name, 'manifest.json'), 'utf8')) as { segments?: { id?: unknown }[] };
      for (const s of manifest.segments ?? []) if (typeof s.id === 'string') used.add(s.id);
    } catch {
      return undefined;
    }
  }
  return used;
}
