import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HNSW_FILE, HnswIndex, hnswBackend } from '../../../index/store/hnsw.ts';
import { tempDir } from '../../support/setup.ts';
import { unit, vectorBackendConformance } from './vector-backend-conformance.ts';

const PARAMS = { M: 8, efConstruction: 50, ef: 16 };
vectorBackendConformance(hnswBackend, PARAMS);

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('HnswIndex', () => {
  it('puts new points into the slots of removed ones, and keeps doing so after a save and load', async () => {
    const index = HnswIndex.create(8, 16, PARAMS);
    for (let i = 0; i < 16; i++) index.add(i, unit(i));
    for (let i = 0; i < 3; i++) index.remove(i);
    await index.save(dir);
    expect(index.params.tombstones).toBe(3);
    const loaded = await HnswIndex.load(path.join(dir, HNSW_FILE), 8, index.params);
    for (let i = 100; i < 103; i++) loaded.add(i, unit(i));
    expect(loaded.params.tombstones).toBe(0);
    await loaded.save(dir);
    // Full again, no tombstone left: the next point makes it grow.
    const again = await HnswIndex.load(path.join(dir, HNSW_FILE), 8, loaded.params);
    again.add(200, unit(200));
    expect([...again.vector(102)!]).toEqual([...unit(102)]);
    expect(again.vector(1)).toBeUndefined();
    expect(again.search(unit(200), 1)[0]?.label).toBe(200);
  });

  it('compacts when removals pile up, counting no tombstones afterwards', () => {
    const index = HnswIndex.create(8, 40, PARAMS);
    for (let i = 0; i < 40; i++) index.add(i, unit(i));
    const patched = index.apply([0, 1], new Map());
    expect(patched).toBe(index);
    expect(patched.params.tombstones).toBe(2);
    const compacted = patched.apply(
      Array.from({ length: 20 }, (_, i) => i + 2),
      new Map(),
    );
    expect(compacted).not.toBe(patched);
    expect(compacted.params.tombstones).toBe(0);
    expect(compacted.search(unit(30), 1)[0]?.label).toBe(30);
  });
});
