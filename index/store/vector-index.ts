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
  search(query: Float32Array, k: number, filter?: (label: number) => boolean): VectorHit[];
  save(file: string): Promise<void>;
}
