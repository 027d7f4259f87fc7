/**
 * Nearest-neighbour search over unit vectors. The HNSW implementation below is the one quotedesk ships;
 * a vector database would be another implementation of this interface, not a rewrite of the callers.
 */
export interface VectorHit {
  readonly label: number;
  /** Cosine similarity (vectors are unit length), 1 = same direction. */
  readonly similarity: number;
}

export interface VectorIndex {
  readonly dims: number;
  add(label: number, vector: Float32Array): void;
  remove(label: number): void;
  /**
   * The stored vector of a live label, undefined for an unknown or removed one. The index is the only copy
   * of the vectors: a reindex carries unchanged ones over from it, and retrieval samples it.
   */
  vector(label: number): Float32Array | undefined;
  search(query: Float32Array, k: number, filter?: (label: number) => boolean): VectorHit[];
  save(file: string): Promise<void>;
}

/** Passage vectors by row of the passage table, fetched from the vector index when first asked for. */
export interface VectorRows {
  readonly dims: number;
  row(i: number): Float32Array;
}
