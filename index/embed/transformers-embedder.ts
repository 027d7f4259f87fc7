/**
 * The Embedder on @xenova/transformers: mean pooling and normalisation, as the feature-extraction pipeline
 * does them, but run by hand so that no work goes to padding. Passages are tokenized first and run in batches
 * of exactly equal token length; that is what brings indexing to within a few per cent of raw ONNX Runtime
 * on the same inputs (see docs/performance.md), where the pipeline's padded batches lose about 40 %.
 * The model loads on first use, once per process, and is shared by every caller with the same settings.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import type { Config } from '../config.ts';
import { QuotedeskError } from '../errors.ts';
import type { Embedder } from './embedder.ts';

type Settings = Config['embedding'];

interface Tokenizer {
  (text: string, options: { truncation: true; return_tensor: false }): { input_ids: number[] };
}
interface Model {
  (inputs: Record<string, unknown>): Promise<{ last_hidden_state: { data: Float32Array; dims: number[] } }>;
  /** The onnxruntime-node InferenceSession transformers.js created. */
  readonly session: { readonly inputNames: readonly string[] };
}
type TensorClass = new (type: 'int64', data: BigInt64Array, dims: number[]) => unknown;

/** What the embedder runs: the tokenizer and model exactly as transformers.js loads them. */
export interface LoadedModel {
  readonly tokenizer: Tokenizer;
  readonly model: Model;
  readonly Tensor: TensorClass;
}

const loaded = new Map<string, Promise<LoadedModel>>();

function modelError(settings: Settings, cause: unknown): QuotedeskError {
  const local = path.join(settings.modelsDir, settings.model);
  const where = [
    `${local} (MODELS_DIR${existsSync(local) ? ', folder exists but could not be loaded' : ', not there'})`,
    `${path.join(settings.cacheDir, settings.model)} (MODEL_CACHE_DIR)`,
  ];
  const remote = settings.allowRemote ? 'The download from the Hugging Face hub failed.' : 'Downloads are off (ALLOW_REMOTE_MODELS=false).';
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

async function loadModel(settings: Settings): Promise<LoadedModel> {
  // Imported here, not at module load: importing transformers.js costs ~1 s and pulls in onnxruntime.
  const { AutoModel, AutoTokenizer, Tensor, env } = await import('@xenova/transformers');
  env.localModelPath = settings.modelsDir;
  env.allowLocalModels = true;
  env.allowRemoteModels = settings.allowRemote;
  env.cacheDir = settings.cacheDir;
  try {
    // The same two loads the feature-extraction pipeline makes.
    const options = { quantized: settings.quantized };
    const [tokenizer, model] = await Promise.all([AutoTokenizer.from_pretrained(settings.model, options), AutoModel.from_pretrained(settings.model, options)]);
    return { tokenizer: tokenizer as unknown as Tokenizer, model: model as unknown as Model, Tensor: Tensor as unknown as TensorClass };
  } catch (err) {
    throw modelError(settings, err);
  }
}

/** The process-wide model for these settings; exported for the benchmark, which measures this very session. */
export function sharedModel(settings: Settings): Promise<LoadedModel> {
  const key = JSON.stringify([settings.model, settings.quantized, settings.modelsDir, settings.cacheDir, settings.allowRemote]);
  let model = loaded.get(key);
  if (!model) {
    model = loadModel(settings);
    // A failed load is not cached, so fixing the setup (e.g. copying the model in) works without a restart.
    model.catch(() => loaded.delete(key));
    loaded.set(key, model);
  }
  return model;
}

/** Token ids with the tokenizer's own truncation, as the pipeline would produce them before padding. */
export function tokenize(m: LoadedModel, text: string): Int32Array {
  return Int32Array.from(m.tokenizer(text, { truncation: true, return_tensor: false }).input_ids);
}

/**
 * Indexes into `lengths`, grouped into batches of equal length and at most `maxBatch` rows, shortest first.
 * Equal lengths need no padding, so every multiply-add the model does is for a real token.
 */
export function equalLengthBatches(lengths: readonly number[], maxBatch: number): number[][] {
  const byLength = new Map<number, number[]>();
  lengths.forEach((len, i) => {
    const group = byLength.get(len);
    if (group) group.push(i);
    else byLength.set(len, [i]);
  });
  const batches: number[][] = [];
  for (const len of [...byLength.keys()].sort((a, b) => a - b)) {
    const group = byLength.get(len)!;
    for (let i = 0; i < group.length; i += maxBatch) batches.push(group.slice(i, i + maxBatch));
  }
  return batches;
}

/**
 * Runs one batch of equal-length token sequences and returns one unit vector per row. Mean pooling sums in
 * double precision in token order, as transformers.js' `mean_pooling` does, so the vectors match the pipeline's.
 */
export async function embedBatch(m: LoadedModel, rows: readonly Int32Array[]): Promise<Float32Array[]> {
  const count = rows.length;
  const len = rows[0]!.length;
  const ids = new BigInt64Array(count * len);
  rows.forEach((row, r) => {
    for (let j = 0; j < len; j++) ids[r * len + j] = BigInt(row[j]!);
  });
  const shape = [count, len];
  // transformers.js passes on only the inputs the ONNX graph declares, and adds zero token_type_ids when it wants them.
  const inputs = {
    input_ids: new m.Tensor('int64', ids, shape),
    attention_mask: new m.Tensor('int64', new BigInt64Array(count * len).fill(1n), shape),
  };
  const { data, dims } = (await m.model(inputs)).last_hidden_state;
  const hidden = dims[2]!;
  const sum = new Float64Array(hidden);
  const out: Float32Array[] = [];
  for (let r = 0; r < count; r++) {
    sum.fill(0);
    for (let j = 0; j < len; j++) {
      const offset = (r * len + j) * hidden;
      for (let k = 0; k < hidden; k++) sum[k]! += data[offset + k]!;
    }
    const vector = new Float32Array(hidden);
    let squares = 0;
    for (let k = 0; k < hidden; k++) {
      vector[k] = sum[k]! / len;
      squares += vector[k]! * vector[k]!;
    }
    const norm = Math.fround(Math.sqrt(squares));
    if (norm > 0) for (let k = 0; k < hidden; k++) vector[k]! /= norm;
    out.push(vector);
  }
  return out;
}

export function createTransformersEmbedder(settings: Settings): Embedder {
  return {
    modelId: settings.model,
    async embedPassages(texts, onProgress) {
      if (texts.length === 0) return [];
      const m = await sharedModel(settings);
      const ids = texts.map((text) => tokenize(m, settings.passagePrefix + text));
      const vectors: Float32Array[] = new Array<Float32Array>(texts.length);
      let done = 0;
      for (const batch of equalLengthBatches(
        ids.map((row) => row.length),
        settings.batchSize,
      )) {
        const out = await embedBatch(
          m,
          batch.map((i) => ids[i]!),
        );
        batch.forEach((i, k) => (vectors[i] = out[k]!));
        done += batch.length;
        onProgress?.(done);
      }
      return vectors;
    },
    async embedQuery(text) {
      const m = await sharedModel(settings);
      return (await embedBatch(m, [tokenize(m, settings.queryPrefix + text)]))[0]!;
    },
  };
}
