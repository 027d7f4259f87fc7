import { existsSync } from 'node:fs';
import path from 'node:path';
import { env, pipeline } from '@xenova/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../index/config.ts';
import { createTransformersEmbedder, equalLengthBatches } from '../../../index/embed/transformers-embedder.ts';
import { makeTinyModel, SHARED, tempDir, testConfig, TINY_MODEL } from '../../support/setup.ts';

type Extractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ tolist(): number[][] }>;

const TEXTS = [
  'Die Bundesregierung plant höhere Steuern für große Unternehmen.',
  'Steuern',
  'Im Süden Deutschlands führt Starkregen zu Überschwemmungen, meldet der Wetterdienst am Abend.',
  'Der FC Bayern München gewinnt.',
  'Die Bundesregierung plant höhere Steuern für große Unternehmen.',
  '',
  'Kreml reagiert auf Selenskijs Aussage zum Verzicht auf NATO-Beitritt. Moskau betrachtet die Frage als einen der Eckpunkte.',
  'Der FC Bayern München verliert.',
];

let config: Config;
let cleanup: () => Promise<void>;
let reference: (texts: string[]) => Promise<number[][]>;

beforeAll(async () => {
  const temp = await tempDir();
  cleanup = temp.cleanup;
  config = testConfig({ MODELS_DIR: await makeTinyModel(temp.dir), EMBED_BATCH_SIZE: '3' });
  env.localModelPath = config.embedding.modelsDir;
  env.allowRemoteModels = false;
  const extractor = (await pipeline('feature-extraction', TINY_MODEL, { quantized: false })) as unknown as Extractor;
  reference = async (texts) => (await extractor(texts, { pooling: 'mean', normalize: true })).tolist();
});
afterAll(() => cleanup());

function expectClose(actual: Float32Array, expected: number[], tolerance = 1e-6) {
  expect(actual).toHaveLength(expected.length);
  const worst = Math.max(...expected.map((x, i) => Math.abs(x - actual[i]!)));
  expect(worst).toBeLessThan(tolerance);
}

describe('transformers embedder', () => {
  it('gives the feature-extraction pipeline’s vectors, in input order, for passages of mixed lengths', async () => {
    const embedder = createTransformersEmbedder(config.embedding);
    const progress: number[] = [];
    const vectors = await embedder.embedPassages(TEXTS, (done) => progress.push(done));
    // The pipeline pads the whole list to one length; equal-length batching must not change any vector.
    const expected = await reference(TEXTS.map((t) => config.embedding.passagePrefix + t));
    vectors.forEach((v, i) => expectClose(v, expected[i]!));
    expect(progress.at(-1)).toBe(TEXTS.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('embeds a question with the query prefix, as the pipeline does', async () => {
    const embedder = createTransformersEmbedder(config.embedding);
    const question = 'Welche Steuern plant die Bundesregierung?';
    expectClose(await embedder.embedQuery(question), (await reference([config.embedding.queryPrefix + question]))[0]!);
  });

  it('returns nothing for no passages', async () => {
    expect(await createTransformersEmbedder(config.embedding).embedPassages([])).toEqual([]);
  });

  it('fails with the model error when the model is missing', async () => {
    const missing = createTransformersEmbedder({ ...config.embedding, model: 'no-such-model' });
    await expect(missing.embedQuery('Frage')).rejects.toMatchObject({ code: 'MODEL_UNAVAILABLE' });
  });
});

const TWIN_DIR = path.join(SHARED, 'models');
const TWIN = 'compute-twin-e5-small';

// The tiny model has no attention, so padding cannot change its vectors; the 12-layer twin shows that
// leaving padding out gives what the padded pipeline gives, within float rounding.
describe.skipIf(!existsSync(path.join(TWIN_DIR, TWIN, 'onnx', 'model.onnx')))('transformers embedder on a 12-layer encoder', () => {
  it('matches the pipeline’s padded batch', async () => {
    const twin = testConfig({ MODELS_DIR: TWIN_DIR, EMBEDDING_MODEL: TWIN, EMBED_BATCH_SIZE: '2' });
    const texts = TEXTS.slice(0, 5);
    const vectors = await createTransformersEmbedder(twin.embedding).embedPassages(texts);
    env.localModelPath = TWIN_DIR;
    const extractor = (await pipeline('feature-extraction', TWIN, { quantized: false })) as unknown as Extractor;
    const expected = (
      await extractor(
        texts.map((t) => twin.embedding.passagePrefix + t),
        { pooling: 'mean', normalize: true },
      )
    ).tolist();
    vectors.forEach((v, i) => expectClose(v, expected[i]!, 1e-5));
  });
});

describe('equal-length batches', () => {
  it('groups only equal lengths, caps the batch size, covers every index once, shortest first', () => {
    const lengths = [5, 3, 5, 5, 9, 3, 5, 7];
    const batches = equalLengthBatches(lengths, 3);
    expect(batches).toEqual([[1, 5], [0, 2, 3], [6], [7], [4]]);
    for (const batch of batches) expect(new Set(batch.map((i) => lengths[i])).size).toBe(1);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
  });
});
