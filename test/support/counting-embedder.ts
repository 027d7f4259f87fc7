import type { Embedder } from '../../index/embed/embedder.ts';

/** Wraps a real embedder to count how often the model is asked for vectors (it loads on the first ask). */
export function countingEmbedder(inner: Embedder): Embedder & { calls: { passages: number; texts: number; queries: number } } {
  const calls = { passages: 0, texts: 0, queries: 0 };
  return {
    modelId: inner.modelId,
    calls,
    embedPassages(texts, onProgress) {
      calls.passages++;
      calls.texts += texts.length;
      return inner.embedPassages(texts, onProgress);
    },
    embedQuery(text) {
      calls.queries++;
      return inner.embedQuery(text);
    },
  };
}
