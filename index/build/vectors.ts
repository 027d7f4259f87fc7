/**
 * The vector side of a reindex: which passages need a vector, which of those an old vector serves (same
 * embedded text), embedding the rest, and handing the changes to the back-end, which patches its index or
 * compacts it.
 */
import type { Embedder } from '../embed/embedder.ts';
import type { DenseInfo, StoredPassage } from '../store/format.ts';
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

/** The old version's vectors, when they can be reused (same model and back-end, files intact). */
export interface OldVectors {
  readonly index: VectorIndex;
  readonly passages: readonly StoredPassage[];
  readonly backend: string;
}

export interface BuiltVectors {
  readonly index: VectorIndex;
  readonly backend: string;
  readonly embedded: number;
}

export async function buildVectors(
  embedder: Embedder,
  plan: Plan,
  old: OldVectors | undefined,
  params: VectorParams | undefined,
  onProgress?: (done: number, total: number) => void,
): Promise<BuiltVectors> {
  const { passages } = plan;
  const newLabels = new Set(passages.map((p) => p.label));
  const gone = old ? old.passages.filter((p) => !newLabels.has(p.label)).map((p) => p.label) : [];
  const additions = passages.flatMap((p, i) => (old && plan.keptLabels.has(p.label) ? [] : [i]));
  const vectors = new Map<number, Float32Array>();
  const need: number[] = [];
  for (const i of additions) {
    const donor = plan.reuse.get(i);
    const vector = old && donor !== undefined ? old.index.vector(donor) : undefined;
    if (vector) vectors.set(passages[i]!.label, vector);
    else need.push(i);
  }
  if (need.length > 0) {
    onProgress?.(0, need.length);
    const fresh = await embedder.embedPassages(need.map(plan.text), (done) => onProgress?.(done, need.length));
    need.forEach((i, k) => vectors.set(passages[i]!.label, fresh[k]!));
  }
  const backendName = old?.backend ?? DEFAULT_BACKEND;
  let base = old?.index;
  if (!base) {
    const dims = vectors.values().next().value?.length ?? 0;
    base = vectorBackend(backendName).create(dims, passages.length, params);
  }
  return { index: base.apply(gone, vectors), backend: backendName, embedded: need.length };
}
