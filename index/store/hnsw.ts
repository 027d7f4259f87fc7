import path from 'node:path';
import hnswlib from 'hnswlib-node';
import type { VectorBackend, VectorHit, VectorIndex, VectorParams } from './vector-index.ts';

export interface HnswParams {
  /** Graph degree: higher = better recall, more memory. */
  readonly M: number;
  readonly efConstruction: number;
  /** Search breadth: higher = better recall, slower queries. */
  readonly ef: number;
}

/**
 * Chosen by measurement (`npm run bench -- --tune`, docs/performance.md) on synthetic 384-d vectors. At 100k
 * every graph reaches recall@10 ≥ 0.98, the sparser ones with a larger ef (M 12/efC 100: ef 192, p95 0.85 ms;
 * M 24/efC 100: ef 32, 0.37 ms). At 1M the sparse graphs level off: M 24/efC 100 (build 19 min) reaches 0.94
 * at ef 256 and never passes 0.965, because some questions never reach their cluster (recall 0 for them).
 * M 32/efC 200 (build 38 min) reaches 0.969 at ef 64, 0.9992 at ef 128 (p95 2.2 ms) and 1.0 at ef 256 (3.1 ms).
 * ef 128: that 1M point; retrieval asks for 50 hits anyway.
 */
export const DEFAULT_HNSW: HnswParams = { M: 32, efConstruction: 200, ef: 128 };

export const HNSW_FILE = 'hnsw.bin';

/** Graphs of up to `points` points are built with at most this M and efConstruction (see HnswIndex.create). */
export const SMALL_GRAPH = { points: 8_000, M: 16, efConstruction: 64 } as const;

/** Extra breadth for a restricted search, so that enough accepted points are found to fill k. */
const FILTER_BREADTH = 4;
/** Tombstones beyond this share of live points make `apply` rebuild the graph instead of patching it. */
const COMPACT_RATIO = 0.25;
/** Growth when full with no tombstone left to take over: by half, so that n additions cost O(n) copying. */
const GROWTH = 1.5;

/**
 * hnswlib's inner-product space on unit vectors: its distance is 1 − cosine similarity.
 * Deleted points stay in the graph as tombstones, counted here (hnswlib does not expose the count) and
 * recorded in the manifest; new points take their slots, and `apply` compacts when they pile up.
 */
export class HnswIndex implements VectorIndex {
  private constructor(
    private readonly index: hnswlib.HierarchicalNSW,
    readonly dims: number,
    private settings: HnswParams,
    private tombstones: number,
  ) {
    index.setEf(settings.ef);
  }

  get params(): VectorParams {
    return { ...this.settings, tombstones: this.tombstones };
  }

  /** Search breadth from now on; the graph's M and efConstruction are fixed when it is built. */
  set ef(ef: number) {
    this.settings = { ...this.settings, ef };
  }

  static create(dims: number, capacity: number, params: HnswParams = DEFAULT_HNSW): HnswIndex {
    const index = new hnswlib.HierarchicalNSW('ip', dims);
    // A small graph (a reindex's new segment, a merge of small ones) is built sparser: at this size the search
    // breadth alone finds the neighbours, and building costs half (1,200 points: 0.58 against 0.99 s here).
    // `params` still reports the settings asked for: what a graph that grows out of it is built with.
    const small = capacity <= SMALL_GRAPH.points;
    const m = small ? Math.min(params.M, SMALL_GRAPH.M) : params.M;
    const efConstruction = small ? Math.min(params.efConstruction, SMALL_GRAPH.efConstruction) : params.efConstruction;
    index.initIndex({ maxElements: Math.max(capacity, 16), m, efConstruction, randomSeed: 42, allowReplaceDeleted: true });
    return new HnswIndex(index, dims, settingsOf(params), 0);
  }

  static async load(file: string, dims: number, params: Partial<HnswParams> & { tombstones?: number } = DEFAULT_HNSW): Promise<HnswIndex> {
    const index = new hnswlib.HierarchicalNSW('ip', dims);
    await index.readIndex(file, true);
    return new HnswIndex(index, dims, settingsOf(params), params.tombstones ?? 0);
  }

  add(label: number, vector: Float32Array): void {
    // A new point takes a tombstone's slot when there is one, else it needs a free one.
    if (this.tombstones === 0 && this.index.getCurrentCount() >= this.index.getMaxElements()) {
      this.index.resizeIndex(Math.ceil(this.index.getMaxElements() * GROWTH) + 16);
    }
    this.index.addPoint(Array.from(vector), label, true);
    if (this.tombstones > 0) this.tombstones--;
  }

  remove(label: number): void {
    this.index.markDelete(label);
    this.tombstones++;
  }

  vector(label: number): Float32Array | undefined {
    try {
      return Float32Array.from(this.index.getPoint(label));
    } catch {
      return undefined; // unknown or deleted: hnswlib throws for both
    }
  }

  search(query: Float32Array, k: number, filter?: (label: number) => boolean): VectorHit[] {
    k = Math.min(k, this.index.getMaxElements());
    if (this.index.getCurrentCount() === 0 || k <= 0) return [];
    const point = Array.from(query);
    // ef below k would cap the result count.
    this.index.setEf(Math.max(this.settings.ef, k));
    const plain = this.index.searchKnn(point, k);
    // A filter usually accepts every live point. Checking the k results here costs k calls; handing the
    // filter to hnswlib costs a call from C++ into JS for every point the search visits.
    if (!filter || plain.neighbors.every(filter)) return hits(plain);
    this.index.setEf(Math.max(this.settings.ef, k * FILTER_BREADTH));
    return hits(this.index.searchKnn(point, k, filter));
  }

  apply(remove: readonly number[], add: ReadonlyMap<number, Float32Array>): HnswIndex {
    const live = this.index.getCurrentCount() - this.tombstones - remove.length + add.size;
    const tombstonesAfter = Math.max(0, this.tombstones + remove.length - add.size);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the graph to write to: this one, or its rebuilt copy
    let target: HnswIndex = this;
    if (tombstonesAfter > COMPACT_RATIO * live) {
      // Rebuild from the live points: the vectors are read back from this graph, their only copy.
      const gone = new Set(remove);
      target = HnswIndex.create(this.dims, live, this.settings);
      for (const label of this.index.getIdsList()) {
        if (gone.has(label) || add.has(label)) continue;
        const v = this.vector(label);
        if (v) target.add(label, v);
      }
    } else {
      for (const label of remove) this.remove(label);
    }
    for (const [label, vector] of add) target.add(label, vector);
    return target;
  }

  async save(dir: string): Promise<void> {
    await this.index.writeIndex(path.join(dir, HNSW_FILE));
  }
}

function settingsOf(p: Partial<HnswParams>): HnswParams {
  return { M: p.M ?? DEFAULT_HNSW.M, efConstruction: p.efConstruction ?? DEFAULT_HNSW.efConstruction, ef: p.ef ?? DEFAULT_HNSW.ef };
}

function hits({ neighbors, distances }: hnswlib.SearchResult): VectorHit[] {
  return neighbors.map((label, i) => ({ label, similarity: 1 - distances[i]! }));
}

export const hnswBackend: VectorBackend = {
  name: 'hnsw',
  files: [HNSW_FILE],
  create: (dims, capacity, params) => HnswIndex.create(dims, capacity, settingsOf(params ?? {})),
  load: (dir, dims, params) => HnswIndex.load(path.join(dir, HNSW_FILE), dims, params),
};
