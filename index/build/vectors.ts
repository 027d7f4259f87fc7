/**
 * The vector side of a reindex: which passages of a new segment an old vector serves (same embedded text),
 * embedding the rest, and the segment's own vector index.
 */
import type { Embedder } from '../embed/embedder.ts';
import type { DenseInfo } from '../store/format.ts';
import { DEFAULT_BACKEND, vectorBackend } from '../store/vector-backends.ts';
import type { VectorIndex, VectorParams } from '../store/vector-index.ts';
import type { Plan } from './plan.ts';

export interface EmbeddingSettings {
  readonly model: string;
  readonly quantized: boolean;
  readonly queryPrefix: string;
  readonly passagePrefix: string;
}

/** Whether vectors recorded as `dense` are what `settings` would make: the one model-compatibility rule. */
export function sameModel(dense: DenseInfo | null | undefined, settings: EmbeddingSettings): boolean {
  return (
    !!dense &&
    dense.model === settings.model &&
    dense.quantized === settings.quantized &&
    dense.queryPrefix === settings.queryPrefix &&
    dense.passagePrefix === settings.passagePrefix
  );
}

export interface BuiltVectors {
  readonly index: VectorIndex;
  readonly backend: string;
  readonly embedded: number;
}

/** Old vectors by label, for the labels asked for (those found; the rest are embedded). */
export type Donors = (labels: ReadonlySet<number>) => Promise<ReadonlyMap<number, Float32Array>>;

/**
 * The vector index of a new segment holding passages `rows` of the plan: each takes the vector of its donor
 * (an old passage with the same embedded text) when there is one, the rest are embedded.
 */
export async function buildVectors(
  embedder: Embedder,
  plan: Plan,
  rows: readonly number[],
  o: { donors?: Donors; backend?: string; dims?: number; params?: VectorParams; onProgress?: (done: number, total: number) => void },
): Promise<BuiltVectors> {
  const { passages } = plan;
  const wanted = new Set<number>();
  for (const i of rows) {
    const donor = plan.reuse.get(i);
    if (donor !== undefined) wanted.add(donor);
  }
  const found = wanted.size > 0 && o.donors ? await o.donors(wanted) : new Map<number, Float32Array>();
  const vectors = new Map<number, Float32Array>();
  const need: number[] = [];
  for (const i of rows) {
    const donor = plan.reuse.get(i);
    const vector = donor === undefined ? undefined : found.get(donor);
    if (vector) vectors.set(i, vector);
    else need.push(i);
  }
  if (need.length > 0) {
    o.onProgress?.(0, need.length);
    const fresh = await embedder.embedPassages(need.map(plan.text), (done) => o.onProgress?.(done, need.length));
    need.forEach((i, k) => vectors.set(i, fresh[k]!));
  }
  const backend = o.backend ?? DEFAULT_BACKEND;
  const dims = vectors.values().next().value?.length ?? o.dims ?? 0;
  const index = vectorBackend(backend).create(dims, rows.length, o.params);
  for (const i of rows) index.add(passages[i]!.label, vectors.get(i)!);
  return { index, backend, embedded: need.length };
}
