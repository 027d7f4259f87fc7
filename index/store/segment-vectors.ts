/**
 * The vector indexes of several segments searched as one: each graph is asked for the k nearest and the
 * answers merged by similarity (exact for exact graphs; for HNSW each graph's own recall applies). Removed
 * passages are marked deleted in the loaded graphs (in memory only), so a search never returns them.
 */
import type { VectorHit, VectorIndex, VectorSearch } from './vector-index.ts';

export class SegmentVectors implements VectorSearch {
  constructor(
    private readonly parts: readonly VectorIndex[],
    readonly dims: number,
  ) {}

  /** A label lives in one segment only; newer segments are asked first (they are small). */
  vector(label: number): Float32Array | undefined {
    for (let k = this.parts.length - 1; k >= 0; k--) {
      const v = this.parts[k]!.vector(label);
      if (v) return v;
    }
    return undefined;
  }

  search(query: Float32Array, k: number, filter?: (label: number) => boolean): VectorHit[] {
    if (this.parts.length === 1) return this.parts[0]!.search(query, k, filter);
    return this.parts
      .flatMap((p) => p.search(query, k, filter))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, k);
  }
}
