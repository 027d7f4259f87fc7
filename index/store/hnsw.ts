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
 * Chosen by measurement (`npm run bench -- --tune`, docs/performance.md) on synthetic 384-d vectors. At 100k
 * every graph reaches recall@10 ≥ 0.98, the sparser ones with a larger ef (M 12/efC 100: ef 192, p95 0.85 ms;
 * M 24/efC 100: ef 32, 0.37 ms). At 1M the sparse graphs level off: M 24/efC 100 (build 19 min) reaches 0.94
 * at ef 256 and never passes 0.965, because some questions never reach their cluster (recall 0 for them).
 * M 32/efC 200 (build 38 min) reaches 0.969 at ef 64, 0.9992 at ef 128 (p95 2.2 ms) and 1.0 at ef 256 (3.1 ms).
 * ef 128: that 1M point; retrieval asks for 50 hits anyway.
 */
export const DEFAULT_HNSW: HnswParams = { M: 32, efConstruction: 200, ef: 128 };

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
