/**
 * How unusual a similarity is for this question: its distance from the question's similarities to a
 * fixed sample of passages, in standard deviations. Every model has its own similarity scale (e5 puts
 * unrelated text at 0.7–0.8, a bag-of-words model near 0); a z-score reads the same on all of them.
 */
import type { VectorRows } from '../store/vector-index.ts';

export const SAMPLE_SIZE = 512;

export function sampleRows(rows: number, size = SAMPLE_SIZE): number[] {
  const step = Math.max(1, rows / size);
  const picked: number[] = [];
  for (let r = 0; r < rows && picked.length < size; r += step) picked.push(Math.floor(r));
  return picked;
}

export interface Background {
  readonly mean: number;
  readonly std: number;
}

export function background(query: Float32Array, vectors: VectorRows, rows: readonly number[]): Background {
  const dims = query.length;
  const sims = rows.map((row) => {
    const vector = vectors.row(row);
    let dot = 0;
    for (let d = 0; d < dims; d++) dot += query[d]! * vector[d]!;
    return dot;
  });
  const mean = sims.reduce((s, x) => s + x, 0) / Math.max(sims.length, 1);
  const variance = sims.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(sims.length - 1, 1);
  return { mean, std: Math.sqrt(variance) };
}

export const zScore = (similarity: number, bg: Background) => (bg.std > 0 ? (similarity - bg.mean) / bg.std : 0);
