/** The benchmark's configuration: the project's own, with the compute twin of multilingual-e5-small as default model. */
import path from 'node:path';
import { loadConfig, type Config } from '../../index/config.ts';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * The compute twin has e5-small's exact shape with random weights: right for speed and memory, meaningless
 * for quality. `.env` or the environment override these (e.g. EMBEDDING_MODEL) to time another model.
 */
export const TWIN = {
  MODELS_DIR: path.resolve(ROOT, '..', 'shared', 'models'),
  EMBEDDING_MODEL: 'compute-twin-e5-small',
  EMBEDDING_QUANTIZED: 'false',
  ALLOW_REMOTE_MODELS: 'false',
};

export function benchConfig(): Config {
  return loadConfig(undefined, ROOT, TWIN);
}

/** The variables that make `npm run ask` use this configuration's model on the given folders. */
export function askEnvironment(config: Config, corpusDir: string, dataDir: string): Record<string, string> {
  const e = config.embedding;
  return {
    LOG_LEVEL: 'silent',
    CORPUS_DIR: corpusDir,
    DATA_DIR: dataDir,
    MODELS_DIR: e.modelsDir,
    MODEL_CACHE_DIR: e.cacheDir,
    EMBEDDING_MODEL: e.model,
    EMBEDDING_QUANTIZED: String(e.quantized),
    QUERY_PREFIX: e.queryPrefix,
    PASSAGE_PREFIX: e.passagePrefix,
    ALLOW_REMOTE_MODELS: 'false',
    SEMANTIC_SEARCH: 'true',
  };
}
