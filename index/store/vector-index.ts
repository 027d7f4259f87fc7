/**
 * Nearest-neighbour search over unit vectors, and the back-ends that implement it. HNSW (hnsw.ts) is the one
 * quotedesk ships; a vector database would be another `VectorBackend` in vector-backends.ts passing the same
 * conformance tests (test/index/store/vector-backend-conformance.ts), not a rewrite of the callers.
 */
export interface VectorHit {
  readonly label: number;
  /** Cosine similarity (vectors are unit length), 1 = same direction. */
  readonly similarity: number;
}

/** A back-end's settings and state as recorded in the manifest (`dense.params`); numbers only. */
export type VectorParams = Readonly<Record<string, number>>;

export interface VectorIndex {
  readonly dims: number;
  /** What the manifest records, so that `VectorBackend.load` gets the same index back. */
  readonly params: VectorParams;
  add(label: number, vector: Float32Array): void;
  remove(label: number): void;
  /**
   * The stored vector of a live label, undefined for an unknown or removed one. The index is the only copy
   * of the vectors: a reindex carries unchanged ones over from it, and retrieval samples it.
   */
  vector(label: number): Float32Array | undefined;
  search(query: Float32Array, k: number, filter?: (label: number) => boolean): VectorHit[];
  /**
   * A reindex's changes: `remove` labels, then `add` points. May patch this index and return it, or return a
   * new one holding the same live points when patching would leave too much dead weight (compaction).
   */
  apply(remove: readonly number[], add: ReadonlyMap<number, Float32Array>): VectorIndex;
  /** Writes the back-end's files (its `files`) into a segment folder. */
  save(dir: string): Promise<void>;
}

/** What answering questions needs of a vector index (one segment's, or several searched as one). */
export type VectorSearch = Pick<VectorIndex, 'dims' | 'vector' | 'search'>;

export interface VectorBackend {
  /** The manifest's `dense.backend`. */
  readonly name: string;
  /** The files it writes into a version folder. */
  readonly files: readonly string[];
  /** An empty index; `params` overrides the back-end's defaults. */
  create(dims: number, capacity: number, params?: VectorParams): VectorIndex;
  load(dir: string, dims: number, params: VectorParams): Promise<VectorIndex>;
}

/** Passage vectors by row of the passage table, fetched from the vector index when first asked for. */
export interface VectorRows {
  readonly dims: number;
  row(i: number): Float32Array;
}
