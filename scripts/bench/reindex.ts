/**
 * Reindex cost on a corpus folder of generated articles: nothing changed, and 1 % of the articles changed.
 * The first build uses synthetic vectors under the configured model's name (embedding every passage of a
 * 10k-article corpus with the model would take the better part of an hour and measures nothing new); the
 * changed passages of the 1 % runs are embedded by the real model. The result is also the index the
 * cold-start measurement opens.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { reindex } from '../../index/build/reindex.ts';
import type { Config } from '../../index/config.ts';
import type { Embedder } from '../../index/embed/embedder.ts';
import { createTransformersEmbedder, sharedModel } from '../../index/embed/transformers-embedder.ts';
import { figure, round, since, type Figure } from './stats.ts';
import { markdown, prng, type GermanText } from './text.ts';
import { TopicVectors } from './vectors.ts';

const silent = pino({ level: 'silent' });

/** Vectors without a model, stable per text: a stand-in that lets the first build skip the model. */
export function syntheticEmbedder(modelId: string, passages: number): Embedder {
  const gen = new TopicVectors(passages, 5);
  const of = (text: string) => gen.vector(createHash('sha256').update(text).digest().readUInt32LE(0));
  return {
    modelId,
    embedPassages: (texts, onProgress) => {
      const out = texts.map(of);
      onProgress?.(texts.length);
      return Promise.resolve(out);
    },
    embedQuery: (text) => Promise.resolve(of(text)),
  };
}

export interface ReindexResult {
  readonly articles: number;
  readonly passages: number;
  readonly initialBuildSec: number;
  readonly unchangedSec: number;
  /** Model calls during the unchanged runs: 0 means the model was never loaded. */
  readonly unchangedModelCalls: number;
  readonly onePercentSec: number;
  /** Of onePercentSec: time in the model, and the passages it embedded. */
  readonly onePercentEmbedSec: number;
  readonly onePercentEmbedded: number;
  readonly modelLoadSec: number;
  readonly spread: { readonly unchangedSec: Figure; readonly onePercentSec: Figure; readonly onePercentEmbedSec: Figure };
}

export async function benchReindex(
  config: Config,
  text: GermanText,
  root: string,
  o: { articles: number; unchangedRuns: number; changedRuns: number; log: (line: string) => void },
): Promise<ReindexResult & { corpusDir: string; dataDir: string }> {
  const corpusDir = path.join(root, 'corpus');
  const dataDir = path.join(root, 'data');
  await mkdir(corpusDir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < o.articles; i++) {
    const a = text.article(i);
    files.push(path.join(corpusDir, `${a.id}.md`));
    await writeFile(files[i]!, markdown(a));
  }
  // Files younger than 2 s are read again by every reindex (their stamp is not yet trustworthy).
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const e = config.embedding;
  const run = (embedder: Embedder) => reindex({ corpusDir, dataDir, embedder, embedding: e, log: silent });

  let start = performance.now();
  const first = await run(syntheticEmbedder(e.model, o.articles * 12));
  const initialBuildSec = since(start);
  o.log(`  first build (synthetic vectors): ${first.passages.total} passages in ${initialBuildSec.toFixed(1)} s`);

  start = performance.now();
  await sharedModel(e);
  const modelLoadSec = since(start);
  const real = createTransformersEmbedder(e);
  let calls = 0;
  let embedMs = 0;
  let embedded = 0;
  const counting: Embedder = {
    modelId: real.modelId,
    embedPassages: async (texts, onProgress) => {
      calls++;
      const t = performance.now();
      try {
        return await real.embedPassages(texts, onProgress);
      } finally {
        embedMs += performance.now() - t;
        embedded += texts.length;
      }
    },
    embedQuery: (q) => {
      calls++;
      return real.embedQuery(q);
    },
  };

  const unchanged: number[] = [];
  for (let r = 0; r < o.unchangedRuns; r++) {
    start = performance.now();
    const s = await run(counting);
    unchanged.push(since(start));
    if (s.published) throw new Error('bench: a reindex with nothing changed published a new version');
  }
  const unchangedModelCalls = calls;

  const random = prng(42);
  const changed: number[] = [];
  const changedEmbed: number[] = [];
  const changedCount: number[] = [];
  const step = 100;
  for (let r = 0; r < o.changedRuns; r++) {
    // 1 % of the articles, a different 1 % each run: one paragraph rewritten and one added in each.
    for (let i = r % step; i < o.articles; i += step) {
      const file = files[i]!;
      const paragraphs = (await readFile(file, 'utf8')).split('\n\n');
      const topic = text.topic(random);
      paragraphs[paragraphs.length - 2] = text.paragraph(random, topic);
      paragraphs.push(`${text.paragraph(random, topic)}\n`);
      await writeFile(file, paragraphs.join('\n\n'));
    }
    embedMs = 0;
    embedded = 0;
    start = performance.now();
    const s = await run(counting);
    changed.push(since(start));
    changedEmbed.push(embedMs / 1000);
    changedCount.push(embedded);
    o.log(`  1 % changed (${s.articles.changed} articles): ${since(start).toFixed(2)} s, of which embedding ${embedded} passages ${(embedMs / 1000).toFixed(2)} s`);
  }
  const u = figure(unchanged);
  const c = figure(changed);
  const ce = figure(changedEmbed);
  return {
    corpusDir,
    dataDir,
    articles: o.articles,
    passages: first.passages.total,
    initialBuildSec: round(initialBuildSec, 1),
    unchangedSec: round(u.median, 3),
    unchangedModelCalls,
    onePercentSec: round(c.median, 2),
    onePercentEmbedSec: round(ce.median, 2),
    onePercentEmbedded: Math.round(figure(changedCount).median),
    modelLoadSec: round(modelLoadSec, 2),
    spread: { unchangedSec: u, onePercentSec: c, onePercentEmbedSec: ce },
  };
}
