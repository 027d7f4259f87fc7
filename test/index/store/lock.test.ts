import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isQuotedeskError } from '../../../index/errors.ts';
import { acquireReindexLock, currentOwner, LOCK_FILE } from '../../../index/store/lock.ts';
import { ROOT, tempDir } from '../../support/setup.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

const boot = existsSync('/proc/sys/kernel/random/boot_id') ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : '';

function exited(args: string[]): Promise<{ code: number | null; pid: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, pid: child.pid!, stdout, stderr }));
  });
}

describe('the reindex lock', () => {
  it('is refused while its owner runs, naming it, and free again once released', async () => {
    const root = path.join(dir, 'simple');
    const release = await acquireReindexLock(root);
    expect(JSON.parse(await readFile(path.join(root, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
    const err = await acquireReindexLock(root).catch((e: unknown) => e);
    expect(isQuotedeskError(err, 'INDEX_BUSY')).toBe(true);
    expect((err as Error).message).toContain(`process ${process.pid}`);
    await release();
    await (
      await acquireReindexLock(root)
    )();
    expect(await readdir(root)).toEqual([]);
  });

  it('is taken over from a dead owner, and from a live process that only reuses the dead owner’s id', async () => {
    const root = path.join(dir, 'stale');
    const dead = await exited(['-e', '']);
    for (const owner of [{ ...currentOwner(), pid: dead.pid, start: '1' }, { ...currentOwner(), start: 'another start' }, 'not an owner']) {
      await acquireReindexLock(root).then((release) => release());
      await writeFile(path.join(root, LOCK_FILE), typeof owner === 'string' ? owner : JSON.stringify(owner));
      const release = await acquireReindexLock(root);
      expect(JSON.parse(await readFile(path.join(root, LOCK_FILE), 'utf8'))).toMatchObject(currentOwner());
      await release();
    }
  });

  // Bounded: 4 processes × 150 rounds each, then again with stale locks left behind to be broken concurrently.
  for (const abandon of [0, 0.25]) {
    it(`never admits two holders at once when processes race for it${abandon ? ', breaking stale locks left behind' : ''}`, async () => {
      const root = path.join(dir, `race-${abandon}`);
      await acquireReindexLock(root).then((release) => release());
      const dead = await exited(['-e', '']);
      const racers = await Promise.all(
        [1, 2, 3, 4].map((seed) => exited(['--import', 'tsx', 'test/index/store/lock-racer.ts', root, '150', String(abandon), String(seed), String(dead.pid), boot])),
      );
      for (const r of racers) {
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toBe('taken 150 overlap 0\n');
      }
    }, 120_000);
  }
});
