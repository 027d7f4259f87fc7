/**
 * Synthetic passage vectors for the scale benchmark, made on the fly (no model run over a million passages).
 *
 * Not uniform random unit vectors: in 384 dimensions those have no neighbourhood structure at all (every
 * pair is nearly orthogonal), so no approximate index can find their "nearest" neighbours cheaply. Measured
 * here at 20k: recall@10 of 0.85 at ef = 512. Real sentence embeddings lie near a low-dimensional surface
 * with topical clusters. The model below: one topic per thousand passages, each topic a centre plus a
 * 32-dimensional subspace of its own (most of a vector's length), plus noise in all 384 dimensions as
 * strong as the centre; questions are drawn the same way. A question's nearest passage then sits at
 * cosine ≈ 0.55 while unrelated passages sit at 0, and HNSW needs a real search breadth to reach
 * recall@10 ≥ 0.98 (ef ≈ 64 at 100k) — neither trivial nor hopeless.
 */
import { prng } from './text.ts';

export const DIMS = 384;
const PASSAGES_PER_TOPIC = 1000;
const SUBSPACE = 32;
const BASIS_POOL = 4096;

export class TopicVectors {
  private readonly topics: number;
  private readonly centres: Float32Array;
  private readonly basis: Float32Array;

  constructor(passages: number, seed = 1) {
    this.topics = Math.max(1, Math.round(passages / PASSAGES_PER_TOPIC));
    const random = prng(seed);
    const gauss = gaussian(random);
    const scale = 1 / Math.sqrt(DIMS);
    this.centres = Float32Array.from({ length: this.topics * DIMS }, () => gauss() * scale);
    this.basis = Float32Array.from({ length: BASIS_POOL * DIMS }, () => gauss() * scale);
  }

  /** Vector `i` (unit length); the same for the same `i` and seed, in any order. `stream` 1 = questions. */
  vector(i: number, stream = 0, out = new Float32Array(DIMS)): Float32Array {
    const random = prng(Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b));
    const gauss = gaussian(random);
    const topic = Math.floor(random() * this.topics);
    const scale = 1 / Math.sqrt(DIMS);
    for (let d = 0; d < DIMS; d++) out[d] = this.centres[topic * DIMS + d]! + gauss() * scale;
    for (let j = 0; j < SUBSPACE; j++) {
      const w = gauss();
      const row = ((Math.imul(topic, 2654435761) + Math.imul(j, 40503)) >>> 0) % BASIS_POOL;
      for (let d = 0; d < DIMS; d++) out[d]! += w * this.basis[row * DIMS + d]!;
    }
    let norm = 0;
    for (let d = 0; d < DIMS; d++) norm += out[d]! * out[d]!;
    norm = Math.sqrt(norm);
    for (let d = 0; d < DIMS; d++) out[d]! /= norm;
    return out;
  }
}

function gaussian(random: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    const t = 2 * Math.PI * random();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
}

/** Exact top-k labels by inner product: the ground truth recall is measured against. */
export function exactTopK(data: Float32Array, queries: readonly Float32Array[], k: number): number[][] {
  const n = data.length / DIMS;
  const best = queries.map(() => ({ labels: new Int32Array(k).fill(-1), sims: new Float64Array(k).fill(-Infinity) }));
  for (let i = 0; i < n; i++) {
    const offset = i * DIMS;
    queries.forEach((q, qi) => {
      let dot = 0;
      for (let d = 0; d < DIMS; d++) dot += q[d]! * data[offset + d]!;
      const b = best[qi]!;
      if (dot <= b.sims[k - 1]!) return;
      let pos = k - 1;
      while (pos > 0 && b.sims[pos - 1]! < dot) {
        b.sims[pos] = b.sims[pos - 1]!;
        b.labels[pos] = b.labels[pos - 1]!;
        pos--;
      }
      b.sims[pos] = dot;
      b.labels[pos] = i;
    });
  }
  return best.map((b) => [...b.labels]);
}
