/**
 * One reindex at a time per data folder, across processes. Taking the lock is one atomic step: the owner
 * is written to a private temporary file, which is then hard-linked to the lock's name (link fails if the
 * name exists), so no one ever sees a lock without its owner. A lock whose owner is dead is broken, under a
 * second lock of the same kind, so that two runs that both find it stale cannot both break it and then
 * remove each other's fresh lock. The owner is its process id *and* that process's start time and the
 * machine's boot id, so a reused process id does not keep a dead run's lock alive.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { link, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { QuotedeskError } from '../errors.ts';
import { onInterrupt } from './interrupt.ts';

export const LOCK_FILE = 'reindex.lock';
const BREAK_FILE = 'reindex.lock.break';
/** Rounds of "the lock is stale, break it, try again" before giving up. */
const ATTEMPTS = 20;

interface Owner {
  readonly pid: number;
  readonly host: string;
  /** Clock ticks after boot at which the process started (Linux), undefined elsewhere. */
  readonly start?: string;
  readonly boot?: string;
}

const readText = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
};

/** Field 22 of /proc/<pid>/stat, after the command name, which may itself contain spaces and parentheses. */
function startTime(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

const bootId = () => readText('/proc/sys/kernel/random/boot_id');

export function currentOwner(pid = process.pid): Owner {
  return { pid, host: os.hostname(), start: startTime(pid), boot: bootId() };
}

/** False only when the owner is certainly gone; an owner on another machine counts as alive. */
export function isAlive(owner: Owner): boolean {
  if (owner.host !== os.hostname()) return true;
  if (owner.boot && bootId() && owner.boot !== bootId()) return false;
  if (owner.start) {
    const now = startTime(owner.pid);
    if (now !== undefined || bootId()) return now === owner.start;
  }
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseOwner(text: string | undefined): Owner | undefined {
  try {
    const o = JSON.parse(text ?? '') as Owner;
    return Number.isInteger(o.pid) && typeof o.host === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** Creates `file` holding `content`, or fails with EEXIST, in one step. */
async function createExclusive(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, content);
  try {
    await link(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
}

const exists = (err: unknown) => (err as NodeJS.ErrnoException).code === 'EEXIST';

export async function acquireReindexLock(root: string): Promise<() => Promise<void>> {
  await mkdir(root, { recursive: true });
  const file = path.join(root, LOCK_FILE);
  // The nonce tells this taking of the lock from any other by the same process.
  const me = JSON.stringify({ ...currentOwner(), nonce: randomBytes(6).toString('hex') });
  // Only ever our own lock: never one that another run took after ours was (wrongly) broken.
  const ours = () => readText(file) === me;
  // Registered before the lock exists: a signal may be handled before the link below reports back.
  const forget = onInterrupt(() => ours() && rmSync(file, { force: true }));
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      await createExclusive(file, me);
      return async () => {
        forget();
        if (ours()) await rm(file, { force: true });
      };
    } catch (err) {
      if (!exists(err)) {
        forget();
        throw err;
      }
    }
    const held = readText(file);
    if (held === undefined) continue; // released meanwhile
    const owner = parseOwner(held);
    if (owner && isAlive(owner)) {
      forget();
      throw new QuotedeskError('INDEX_BUSY', `quotedesk: a reindex is already running (process ${owner.pid}); try again when it has finished`, { isUserError: true });
    }
    await breakStale(root, file, held);
  }
  forget();
  throw new QuotedeskError('INDEX_BUSY', `quotedesk: could not take the reindex lock ${file}`);
}

/**
 * Removes the lock if it still holds `stale`. Only a holder of the break lock removes someone else's lock,
 * so between reading it again and removing it nobody can have replaced it. An unreadable lock (no owner:
 * written by hand, or zeroed) counts as stale.
 */
async function breakStale(root: string, file: string, stale: string): Promise<void> {
  const breaker = path.join(root, BREAK_FILE);
  try {
    await createExclusive(breaker, JSON.stringify(currentOwner()));
  } catch (err) {
    if (!exists(err)) throw err;
    const owner = parseOwner(readText(breaker));
    // A breaker holds it for a few system calls; one that died there leaves it behind.
    if (!owner || !isAlive(owner)) await rm(breaker, { force: true });
    else await new Promise((r) => setTimeout(r, 5));
    return;
  }
  try {
    if (readText(file) === stale) await rm(file, { force: true });
  } finally {
    await rm(breaker, { force: true });
  }
}
