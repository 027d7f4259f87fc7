import hnswlib from 'hnswlib-node';
import type { VectorHit, VectorIndex } from './vector-index.ts';

export interface HnswParams {
  /** Graph degree: higher = better recall, more memory. */
  readonly M: number;
  readonly efConstruction: number;
  /** Search breadth: higher = better recall, slower queries. */
  readonly ef: number;
}

/**
 * Chosen by measurement (`npm run bench -- --tune`, docs/performance.md), 100k synthetic 384-d vectors, smallest ef
 * reaching recall@10 ≥ 0.98 for each graph: M 12/efC 100 needs ef 192 (p95 0.85 ms); M 16/efC 100 ef 64 (0.53 ms,
 * build 48 s); M 16/efC 200 ef 48 (0.43 ms, build 85 s); M 24/efC 100 ef 32 (0.37 ms, build 62 s); M 32/efC 100
 * ef 32 (0.44 ms, build 77 s). M 24/efC 100 searches fastest and builds faster than the old default 16/200.
 * At 1M (build 19 min) the same graph needs ef 256 for recall 0.94 (p95 4.3 ms) and levels off at 0.96–0.965
 * however large ef gets, so a 1M archive wants a denser graph (efConstruction 200–400, not yet measured there).
 * ef 128: a margin over the 32 that 100k needs, still well under a millisecond there; retrieval asks for 50 hits anyway.
 */
export const DEFAULT_HNSW: HnswParams = { M: 24, efConstruction: 100, ef: 128 };

/** Extra breadth for a restricted search, so that enough accepted points are found to fill k. */
const FILTER_BREADTH = 4;

/**
 * hnswlib's inner-product space on unit vectors: its distance is 1 − cosine similarity.
 * Deleted points stay in the graph as tombstones; new points take their slots, and the reindex
 * compacts the index when they pile up.
 */
export class HnswIndex implements VectorIndex {
  private constructor(
    private readonly index: hnswlib.HierarchicalNSW,
    readonly dims: number,
    private params: HnswParams,
  ) {
    index.setEf(params.ef);
  }

  /** Search breadth from now on; the graph's M and efConstruction are fixed when it is built. */
  set ef(ef: number) {
    this.params = { ...this.params, ef };
  }

  static create(dims: number, capacity: number, params: HnswParams = DEFAULT_HNSW): HnswIndex {
    const index = new hnswlib.HierarchicalNSW('ip', dims);
    index.initIndex({ maxElements: Math.max(capacity, 16), m: params.M, efConstruction: params.efConstruction, randomSeed: 42, allowReplaceDeleted: true });
    return new HnswIndex(index, dims, params);
  }

  static async load(file: string, dims: number, params: HnswParams = DEFAULT_HNSW): Promise<HnswIndex> {
    const index = new hnswlib.HierarchicalNSW('ip', dims);
    await index.readIndex(file, true);
    return new HnswIndex(index, dims, params);
  }

  add(label: number, vector: Float32Array): void {
    const point = Array.from(vector);
    try {
      this.index.addPoint(point, label, true);
    } catch (err) {
      // Full, with no tombstone left to take over: grow by half, so that n additions cost O(n) copying.
      if (!String(err).includes('exceeds the specified limit')) throw err;
      this.index.resizeIndex(Math.ceil(this.index.getMaxElements() * 1.5) + 16);
      this.index.addPoint(point, label, true);
    }
  }

  remove(label: number): void {
    this.index.markDelete(label);
  }

  vector(label: number): Float32Array | undefined {
    try {
      return Float32Array.from(this.index.getPoint(label));
    } catch {
      return undefined;
    }
  }

  search(query: Float32Array, k: number, filter?: (label: number) => boolean): VectorHit[] {
    k = Math.min(k, this.index.getMaxElements());
    if (this.index.getCurrentCount() === 0 || k <= 0) return [];
    const point = Array.from(query);
    // ef below k would cap the result count.
    this.index.setEf(Math.max(this.params.ef, k));
    const plain = this.index.searchKnn(point, k);
    // A filter usually accepts every live point. Checking the k results here costs k calls; handing the
    // filter to hnswlib costs a call from C++ into JS for every point the search visits.
    if (!filter || plain.neighbors.every(filter)) return hits(plain);
    this.index.setEf(Math.max(this.params.ef, k * FILTER_BREADTH));
    return hits(this.index.searchKnn(point, k, filter));
  }

  async save(file: string): Promise<void> {
    await this.index.writeIndex(file);
  }
}

function hits({ neighbors, distances }: hnswlib.SearchResult): VectorHit[] {
  return neighbors.map((label, i) => ({ label, similarity: 1 - distances[i]! }));
}
