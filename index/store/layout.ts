/**
 * Index versions on disk: `<DATA_DIR>/index/<version>/…` plus a `CURRENT` file naming the live one.
 * A reindex writes a whole new version under a temporary name and only then switches `CURRENT` with an
 * atomic rename, so a crash at any point leaves the previous version intact and in use.
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

export const indexRoot = (dataDir: string) => path.join(dataDir, 'index');

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

/** A fresh folder to write a new version into; invisible to readers until `publishVersion`. */
export async function createVersionDir(dataDir: string, now: Date): Promise<string> {
  const root = indexRoot(dataDir);
  await mkdir(root, { recursive: true });
  // The random part keeps two versions built within one millisecond apart.
  const name = `${TMP_PREFIX}v${now.toISOString().replace(/[-:.]/g, '').replace('T', '-')}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const dir = path.join(root, name);
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

/** Removes a temporary version folder that will not be published (its reindex failed). */
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
  await writeFile(pointer, `${name}\n`);
  await fsyncPath(pointer);
  await rename(pointer, path.join(root, CURRENT));
  await fsyncPath(root);
  await removeLeftovers(dataDir, [name, ...(previous ? [previous] : [])]);
  return finalDir;
}

/**
 * Removes everything in the index folder but `keep`, CURRENT and the lock: temporary folders and files of
 * interrupted reindexes, versions older than the previous one, and orphans (versions renamed into place
 * whose switch of CURRENT never happened). Callers hold the reindex lock, so nothing else is writing.
 */
export async function removeLeftovers(dataDir: string, keep: readonly string[]): Promise<void> {
  const root = indexRoot(dataDir);
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (keep.includes(e.name) || e.name === CURRENT || e.name.startsWith(LOCK_FILE)) continue;
    if (e.isDirectory() ? VERSION_NAME.test(e.name) || e.name.startsWith(TMP_PREFIX) : e.name.startsWith(TMP_PREFIX)) {
      if (!temporary.has(path.join(root, e.name))) await rm(path.join(root, e.name), { recursive: true, force: true });
    }
  }
}
