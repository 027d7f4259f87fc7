/**
 * Index versions on disk: `<DATA_DIR>/index/<version>/…` plus a `CURRENT` file naming the live one.
 * A reindex writes a whole new version under a temporary name and only then switches `CURRENT` with an
 * atomic rename, so a crash at any point leaves the previous version intact and in use.
 */
import { mkdir, open, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { QuotedeskError } from '../errors.ts';

const CURRENT = 'CURRENT';
const LOCK = 'reindex.lock';
const TMP_PREFIX = '.tmp-';
/** Versions kept besides the live one, so a reader that opened the previous one can finish. */
const KEEP_OLD = 1;

export const indexRoot = (dataDir: string) => path.join(dataDir, 'index');

export async function readCurrentVersion(dataDir: string): Promise<string | undefined> {
  try {
    const name = (await readFile(path.join(indexRoot(dataDir), CURRENT), 'utf8')).trim();
    return name === '' ? undefined : path.join(indexRoot(dataDir), name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** A fresh folder to write a new version into; invisible to readers until `publishVersion`. */
export async function createVersionDir(dataDir: string, now: Date): Promise<string> {
  const root = indexRoot(dataDir);
  await mkdir(root, { recursive: true });
  const name = `${TMP_PREFIX}v${now.toISOString().replace(/[-:.]/g, '').replace('T', '-')}-${process.pid}`;
  const dir = path.join(root, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  return dir;
}

async function fsyncPath(p: string): Promise<void> {
  const handle = await open(p, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a fully written version the live one, then removes what is no longer needed. */
export async function publishVersion(dataDir: string, tmpDir: string): Promise<string> {
  const root = indexRoot(dataDir);
  for (const file of await readdir(tmpDir)) await fsyncPath(path.join(tmpDir, file));
  const name = path.basename(tmpDir).slice(TMP_PREFIX.length);
  const finalDir = path.join(root, name);
  await rename(tmpDir, finalDir);
  const pointer = path.join(root, `${TMP_PREFIX}${CURRENT}`);
  await writeFile(pointer, `${name}\n`);
  await fsyncPath(pointer);
  await rename(pointer, path.join(root, CURRENT));
  await fsyncPath(root);
  await pruneVersions(dataDir, name);
  return finalDir;
}

/** Removes leftovers of interrupted reindexes and all but the newest old versions. */
async function pruneVersions(dataDir: string, live: string): Promise<void> {
  const root = indexRoot(dataDir);
  const entries = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory() && e.name !== live);
  const old = entries.filter((e) => !e.name.startsWith(TMP_PREFIX)).map((e) => e.name).sort().reverse();
  for (const name of old.slice(KEEP_OLD)) await rm(path.join(root, name), { recursive: true, force: true });
  // Callers hold the reindex lock, so every other temporary folder is a dead reindex's leftover.
  for (const e of entries.filter((e) => e.name.startsWith(TMP_PREFIX))) {
    await rm(path.join(root, e.name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One reindex at a time per data folder, across processes. A lock left by a dead process is taken over. */
export async function acquireReindexLock(dataDir: string): Promise<() => Promise<void>> {
  const root = indexRoot(dataDir);
  await mkdir(root, { recursive: true });
  const file = path.join(root, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (holder && isAlive(holder)) {
        throw new QuotedeskError('INDEX_BUSY', `quotedesk: a reindex is already running (process ${holder}); try again when it has finished`, {
          isUserError: true,
        });
      }
      await rm(file, { force: true });
    }
  }
  throw new QuotedeskError('INDEX_BUSY', `quotedesk: could not take the reindex lock ${file}`);
}
