/**
 * One contender in the lock race test (lock.test.ts), run as its own process: takes the reindex lock
 * `rounds` times, and inside it claims a marker file that only one holder at a time may have. Sometimes
 * (`abandon`, 0–1) it behaves like a run that died holding the lock: it hands the lock to a dead owner
 * and walks away, so that the others must break a stale lock, racing each other.
 * Prints `overlap` for every time it found the marker already claimed.
 */
import { openSync, closeSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isQuotedeskError } from '../../../index/errors.ts';
import { acquireReindexLock, LOCK_FILE } from '../../../index/store/lock.ts';
import { prng } from '../../../index/prng.ts';

const [root, roundsArg, abandonArg, seedArg, deadPidArg, bootArg] = process.argv.slice(2) as [string, string, string, string, string, string];
const random = prng(Number(seedArg));
const marker = path.join(root, 'inside');
let taken = 0;
let overlaps = 0;
while (taken < Number(roundsArg)) {
  let release: () => Promise<void>;
  try {
    release = await acquireReindexLock(root);
  } catch (err) {
    if (!isQuotedeskError(err, 'INDEX_BUSY')) throw err;
    await new Promise((r) => setTimeout(r, random() * 2));
    continue;
  }
  taken++;
  try {
    closeSync(openSync(marker, 'wx'));
  } catch {
    overlaps++;
  }
  await new Promise((r) => setTimeout(r, random() * 2));
  rmSync(marker, { force: true });
  if (random() < Number(abandonArg)) {
    const tmp = path.join(root, `abandon-${process.pid}`);
    writeFileSync(tmp, JSON.stringify({ pid: Number(deadPidArg), host: os.hostname(), start: '1', boot: bootArg }));
    renameSync(tmp, path.join(root, LOCK_FILE));
  } else {
    await release();
  }
}
process.stdout.write(`taken ${taken} overlap ${overlaps}\n`);
