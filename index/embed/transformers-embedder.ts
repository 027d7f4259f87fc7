/**
 * The Embedder on @xenova/transformers: feature extraction with mean pooling and normalisation.
 * The model loads on first use, once per process, and is shared by every caller with the same settings.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Config } from '../config.ts';
import { QuotedeskError } from '../errors.ts';
import type { Embedder } from './embedder.ts';

type Settings = Config['embedding'];
type Extractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ data: Float32Array; dims: number[] }>;

const loaded = new Map<string, Promise<Extractor>>();

function modelError(settings: Settings, cause: unknown): QuotedeskError {
  const local = path.join(settings.modelsDir, settings.model);
  const where = [
    `${local} (MODELS_DIR${existsSync(local) ? ', folder exists but could not be loaded' : ', not there'})`,
    `${path.join(settings.cacheDir, settings.model)} (MODEL_CACHE_DIR)`,
  ];
  const remote = settings.allowRemote
    ? 'The download from the Hugging Face hub failed.'
    : 'Downloads are off (ALLOW_REMOTE_MODELS=false).';
  const causes: string[] = [];
  for (let c: unknown = cause; c !== undefined && causes.length < 4; c = c instanceof Error ? c.cause : undefined) {
    causes.push(c instanceof Error ? c.message : String(c));
  }
  const detail = causes.join(': ');
  return new QuotedeskError(
    'MODEL_UNAVAILABLE',
    [
      `quotedesk: embedding model "${settings.model}" (${settings.quantized ? 'quantized' : 'fp32'}) is not available. ${remote}`,
      `Looked in: ${where.join('; ')}.`,
      `Cause: ${detail}`,
      'Fix: put the model in the transformers.js layout under MODELS_DIR, allow one download with ALLOW_REMOTE_MODELS=true on a machine with internet, ' +
        'choose another model with EMBEDDING_MODEL, or set SEMANTIC_SEARCH=false to answer from keyword search alone.',
    ].join('\n'),
    { cause },
  );
}

async function loadExtractor(settings: Settings): Promise<Extractor> {
  // Imported here, not at module load: importing transformers.js costs ~1 s and pulls in onnxruntime.
  const { pipeline, env } = await import('@xenova/transformers');
  env.localModelPath = settings.modelsDir;
  env.allowLocalModels = true;
  env.allowRemoteModels = settings.allowRemote;
  env.cacheDir = settings.cacheDir;
  try {
    const extractor = await pipeline('feature-extraction', settings.model, { quantized: settings.quantized });
    return extractor as unknown as Extractor;
  } catch (err) {
    throw modelError(settings, err);
  }
}

function sharedExtractor(settings: Settings): Promise<Extractor> {
  const key = JSON.stringify([settings.model, settings.quantized, settings.modelsDir, settings.cacheDir, settings.allowRemote]);
  let extractor = loaded.get(key);
  if (!extractor) {
    extractor = loadExtractor(settings);
    // A failed load is not cached, so fixing the setup (e.g. copying the model in) works without a restart.
    extractor.catch(() => loaded.delete(key));
    loaded.set(key, extractor);
  }
  return extractor;
}

function rows(output: { data: Float32Array; dims: number[] }): Float32Array[] {
  const [count, dims] = output.dims as [number, number];
  return Array.from({ length: count }, (_, i) => output.data.slice(i * dims, (i + 1) * dims));
}

export function createTransformersEmbedder(settings: Settings): Embedder {
  return {
    modelId: settings.model,
    async embedPassages(texts, onProgress) {
      const extract = await sharedExtractor(settings);
      const vectors: Float32Array[] = new Array(texts.length);
      // Batches of similar length waste little work on padding.
      const order = texts.map((_, i) => i).sort((a, b) => texts[a]!.length - texts[b]!.length);
      let done = 0;
      for (let i = 0; i < order.length; i += settings.batchSize) {
        const batch = order.slice(i, i + settings.batchSize);
        const out = rows(await extract(batch.map((j) => settings.passagePrefix + texts[j]!), { pooling: 'mean', normalize: true }));
        batch.forEach((j, k) => (vectors[j] = out[k]!));
        done += batch.length;
        onProgress?.(done);
      }
      return vectors;
    },
    async embedQuery(text) {
      const extract = await sharedExtractor(settings);
      return rows(await extract([settings.queryPrefix + text], { pooling: 'mean', normalize: true }))[0]!;
    },
  };
}
