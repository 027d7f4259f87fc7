import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HnswIndex } from '../../../index/store/hnsw.ts';
import { tempDir } from '../../support/setup.ts';

const DIMS = 8;
const unit = (i: number) => {
  const v = Float32Array.from({ length: DIMS }, (_, d) => Math.sin(i * 7.3 + d * 1.9));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('HnswIndex', () => {
  it('finds a stored vector first, returns it by label, and forgets a removed one', () => {
    const index = HnswIndex.create(DIMS, 4, { M: 8, efConstruction: 50, ef: 16 });
    for (let i = 0; i < 40; i++) index.add(i, unit(i)); // grows past its capacity of 4
    expect(index.search(unit(17), 1)[0]).toMatchObject({ label: 17 });
    expect(index.search(unit(17), 1)[0]!.similarity).toBeCloseTo(1, 5);
    expect([...index.vector(17)!]).toEqual([...unit(17)]);
    index.remove(17);
    expect(index.vector(17)).toBeUndefined();
    expect(index.search(unit(17), 5).map((h) => h.label)).not.toContain(17);
  });

  it('applies a filter that rejects the nearest points', () => {
    const index = HnswIndex.create(DIMS, 40, { M: 8, efConstruction: 50, ef: 16 });
    for (let i = 0; i < 40; i++) index.add(i, unit(i));
    const hits = index.search(unit(5), 5, (label) => label % 2 === 0);
    expect(hits).toHaveLength(5);
    expect(hits.every((h) => h.label % 2 === 0)).toBe(true);
  });

  it('puts new points into the slots of removed ones, and keeps doing so after a save and load', async () => {
    const index = HnswIndex.create(DIMS, 16, { M: 8, efConstruction: 50, ef: 16 });
    for (let i = 0; i < 16; i++) index.add(i, unit(i));
    for (let i = 0; i < 8; i++) index.remove(i);
    const file = path.join(dir, 'hnsw.bin');
    await index.save(file);
    const loaded = await HnswIndex.load(file, DIMS, { M: 8, efConstruction: 50, ef: 16 });
    for (let i = 100; i < 108; i++) loaded.add(i, unit(i));
    await loaded.save(file);
    const again = await HnswIndex.load(file, DIMS);
    expect(again.search(unit(103), 1)[0]?.label).toBe(103);
    expect(again.search(unit(12), 1)[0]?.label).toBe(12);
  });
});
