import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env, pipeline } from '@xenova/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyModel } from '../../../index/embed/tiny-model.ts';

const MODEL_ID = 'tiny-test';
const CORPUS = [
  'Die Bundesregierung plant höhere Steuern für große Unternehmen.',
  'Der FC Bayern München gewinnt das Spiel gegen Borussia Dortmund.',
  'Im Süden Deutschlands führt Starkregen zu Überschwemmungen.',
];
const FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];

type Extractor = (texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ dims: number[]; tolist(): number[][] }>;

let root: string;
let dims: number;
let embed: (texts: string[]) => Promise<number[][]>;

const dot = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'quotedesk-tiny-'));
  ({ dims } = await writeTinyModel(join(root, MODEL_ID), { corpusTexts: CORPUS }));
  env.localModelPath = root;
  env.allowRemoteModels = false;
  const extractor = (await pipeline('feature-extraction', MODEL_ID, { quantized: false })) as unknown as Extractor;
  embed = async (texts) => (await extractor(texts, { pooling: 'mean', normalize: true })).tolist();
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('tiny embedding model', () => {
  it('embeds a batch of texts of different lengths into unit vectors of the configured size', async () => {
    const vectors = await embed(['passage: Steuern', 'passage: Im Süden Deutschlands führt Starkregen zu Überschwemmungen.', 'query: Wer gewinnt das Spiel?', 'passage: ']);
    expect(dims).toBe(64);
    expect(vectors).toHaveLength(4);
    for (const vector of vectors) {
      expect(vector).toHaveLength(dims);
      expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 5);
    }
  });

  it('rates a text sharing words as more similar than an unrelated one', async () => {
    const [question, related, unrelated] = await embed([
      'query: Welche Steuern plant die Bundesregierung?',
      'passage: Die Bundesregierung plant höhere Steuern für große Unternehmen.',
      'passage: Der FC Bayern München gewinnt das Spiel gegen Borussia Dortmund.',
    ]);
    const toRelated = dot(question!, related!);
    const toUnrelated = dot(question!, unrelated!);
    // Random 64-dim vectors: unrelated texts scatter around 0 with a spread of about 0.1.
    expect(toRelated).toBeGreaterThan(0.5);
    expect(Math.abs(toUnrelated)).toBeLessThan(0.4);
    expect(toRelated).toBeGreaterThan(toUnrelated + 0.3);
  });

  it('ignores case but keeps umlauts apart from their base letters', async () => {
    const [word, upper, stripped] = await embed(['passage: Süden', 'passage: SÜDEN', 'passage: Suden']);
    expect(dot(word!, upper!)).toBeCloseTo(1, 5);
    expect(dot(word!, stripped!)).toBeLessThan(0.9);
  });

  it('embeds a text the same way alone and inside a padded batch', async () => {
    const [alone] = await embed(['passage: Starkregen im Süden']);
    const [inBatch] = await embed(['passage: Starkregen im Süden', `passage: ${CORPUS.join(' ')}`]);
    expect(dot(alone!, inBatch!)).toBeCloseTo(1, 5);
  });

  it('writes byte-identical files when generated twice from the same input', async () => {
    const second = join(root, 'second');
    await writeTinyModel(second, { corpusTexts: CORPUS });
    for (const file of FILES) {
      expect((await readFile(join(second, file))).equals(await readFile(join(root, MODEL_ID, file))), file).toBe(true);
    }
  });
});
