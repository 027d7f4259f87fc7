/**
 * What every vector back-end must do, as tests: run `vectorBackendConformance(backend)` from the back-end's
 * own test file. A new back-end (a database, say) is a new file in index/store plus one such call.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VectorBackend, VectorParams } from '../../../index/store/vector-index.ts';
import { tempDir } from '../../support/setup.ts';

const DIMS = 8;
export const unit = (i: number) => {
  const v = Float32Array.from({ length: DIMS }, (_, d) => Math.sin(i * 7.3 + d * 1.9));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const points = (labels: Iterable<number>) => new Map([...labels].map((i) => [i, unit(i)]));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

export function vectorBackendConformance(backend: VectorBackend, params?: VectorParams): void {
  let root: string;
  let cleanup: () => Promise<void>;
  let n = 0;
  const versionDir = async () => {
    const dir = path.join(root, `v${n++}`);
    await mkdir(dir);
    return dir;
  };
  beforeAll(async () => ({ dir: root, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  describe(`vector back-end "${backend.name}" (conformance)`, () => {
    it('finds a stored vector first, with similarity 1, and returns it by label', () => {
      const index = backend.create(DIMS, 4, params).apply([], points(range(0, 40))); // grows past its capacity of 4
      expect(index.dims).toBe(DIMS);
      expect(index.search(unit(17), 1)[0]).toMatchObject({ label: 17 });
      expect(index.search(unit(17), 1)[0]!.similarity).toBeCloseTo(1, 5);
      expect([...index.vector(17)!]).toEqual([...unit(17)]);
      expect(index.vector(999)).toBeUndefined();
    });

    it('forgets a removed label', () => {
      const index = backend.create(DIMS, 40, params).apply([], points(range(0, 40)));
      index.remove(17);
      expect(index.vector(17)).toBeUndefined();
      expect(index.search(unit(17), 5).map((h) => h.label)).not.toContain(17);
    });

    it('applies a filter that rejects the nearest points', () => {
      const index = backend.create(DIMS, 40, params).apply([], points(range(0, 40)));
      const hits = index.search(unit(5), 5, (label) => label % 2 === 0);
      expect(hits).toHaveLength(5);
      expect(hits.every((h) => h.label % 2 === 0)).toBe(true);
    });

    it('returns nothing from an empty index', () => {
      expect(backend.create(DIMS, 4, params).search(unit(1), 5)).toEqual([]);
    });

    it('applies a reindex’s changes, however many are removed, keeping exactly the live points', () => {
      for (const removed of [2, 30]) {
        const index = backend.create(DIMS, 40, params).apply([], points(range(0, 40)));
        const after = index.apply(range(0, removed), points(range(100, 105)));
        const live = [...range(removed, 40), ...range(100, 105)];
        for (const label of live) expect(after.vector(label), `label ${label}`).toBeDefined();
        for (const label of range(0, removed)) expect(after.vector(label)).toBeUndefined();
        expect(after.search(unit(103), 1)[0]?.label).toBe(103);
        expect(
          after
            .search(unit(0), 45)
            .map((h) => h.label)
            .sort((a, b) => a - b),
        ).toEqual(live.sort((a, b) => a - b));
      }
    });

    it('gives back the same index after save and load, and keeps taking changes', async () => {
      const index = backend.create(DIMS, 16, params).apply([], points(range(0, 16)));
      const patched = index.apply(range(0, 3), points(range(100, 102)));
      const dir = await versionDir();
      await patched.save(dir);
      const loaded = await backend.load(dir, DIMS, patched.params);
      expect(loaded.params).toEqual(patched.params);
      expect(loaded.search(unit(101), 1)[0]?.label).toBe(101);
      expect(loaded.vector(1)).toBeUndefined();
      const again = loaded.apply([101], points([200]));
      const next = await versionDir();
      await again.save(next);
      const reloaded = await backend.load(next, DIMS, again.params);
      expect(reloaded.search(unit(200), 1)[0]?.label).toBe(200);
      expect(reloaded.vector(101)).toBeUndefined();
      expect(reloaded.search(unit(12), 1)[0]?.label).toBe(12);
    });

    it('writes only the files it declares', async () => {
      const dir = await versionDir();
      await backend
        .create(DIMS, 4, params)
        .apply([], points([1, 2]))
        .save(dir);
      const { readdir } = await import('node:fs/promises');
      expect((await readdir(dir)).sort()).toEqual([...backend.files].sort());
    });
  });
}
