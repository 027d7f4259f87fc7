/**
 * Reindex cost on a corpus folder of generated articles: nothing changed, and 1 % of the articles changed.
 * The first build uses synthetic vectors under the configured model's name (embedding every passage of a
 * 10k-article corpus with the model would take the better part of an hour and measures nothing new); the
 * changed passages of the 1 % runs are embedded by the real model. The result is also the index the
 * cold-start measurement opens, with several segments live (one per 1 % run, until merges join them).
 * Bytes written are what a run adds or replaces under DATA_DIR/index. `addOne`: one generated article added
 * to the largest index measured — the reindex corpus itself, or (`addOneArticles`) a larger one built with
 * synthetic vectors and cheaper HNSW settings (`addOneHnsw`: building the default M 32 / efC 200 graph of 1M
 * passages takes ≈ 37 min here and says nothing about adding one article).
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { reindex } from '../../index/build/reindex.ts';
import type { Config } from '../../index/config.ts';
import type { Embedder } from '../../index/embed/embedder.ts';
import { createTransformersEmbedder, sharedModel } from '../../index/embed/transformers-embedder.ts';
import { retrieve } from '../../index/search/retrieve.ts';
import { indexRoot, readCurrentVersion, segmentDir } from '../../index/store/layout.ts';
import { LOCK_FILE } from '../../index/store/lock.ts';
import { openIndex, passageText, readManifest } from '../../index/store/open.ts';
import type { VectorParams } from '../../index/store/vector-index.ts';
import { figure, quantile, round, since, type Figure } from './stats.ts';
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
  /** Of onePercentSec: what is not the model (reading, planning, writing the segment, tombstones, merges). */
  readonly onePercentNonEmbedSec: number;
  /** Of onePercentSec: merging segments after the change was published (median; 0 in runs without a merge). */
  readonly onePercentMergeSec: number;
  /** onePercentNonEmbedSec without the merge: until the change was live. */
  readonly onePercentLiveNonEmbedSec: number;
  /** Bytes a 1 % run wrote into the index folder (median), and the live index's size after the runs. */
  readonly onePercentBytesWritten: number;
  readonly indexBytes: number;
  /** Live segments after the 1 % runs (what cold start and the ask latency below see). */
  readonly segments: number;
  /** `retrieve` (hybrid, the configured model) on the index with `segments` segments live. */
  readonly askP50Ms: number;
  readonly askP95Ms: number;
  /** One article added to the largest index measured (`indexPassages` passages). */
  readonly addOne: {
    readonly passages: number;
    readonly sec: number;
    readonly embedSec: number;
    /** Of sec: merging segments after the article was published (0 when none was due). */
    readonly mergeSec: number;
    readonly bytesWritten: number;
    readonly indexPassages: number;
    readonly segments: number;
  };
  readonly spread: { readonly unchangedSec: Figure; readonly onePercentSec: Figure; readonly onePercentEmbedSec: Figure };
}

/** Every file under the index folder, with size and modification time. */
async function snapshot(dataDir: string): Promise<Map<string, { size: number; mtimeMs: number }>> {
  const files = new Map<string, { size: number; mtimeMs: number }>();
  const walk = async (dir: string) => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) {
        const s = await stat(full);
        files.set(full, { size: s.size, mtimeMs: s.mtimeMs });
      }
    }
  };
  await walk(indexRoot(dataDir));
  return files;
}

/** Bytes of the files that are new or rewritten since `before`. */
async function bytesWrittenSince(dataDir: string, before: Map<string, { size: number; mtimeMs: number }>): Promise<number> {
  let bytes = 0;
  for (const [file, now] of await snapshot(dataDir)) {
    const was = before.get(file);
    if (!was || was.mtimeMs !== now.mtimeMs || was.size !== now.size) bytes += now.size;
  }
  return bytes;
}

/** The live version's size: its own files and every segment it lists. */
async function liveBytes(dataDir: string): Promise<{ bytes: number; segments: number }> {
  const dir = (await readCurrentVersion(dataDir))!;
  const manifest = await readManifest(dir);
  let bytes = (await stat(path.join(dir, 'manifest.json'))).size;
  for (const e of Object.values(manifest.files)) bytes += e.size;
  for (const seg of manifest.segments) {
    for (const name of Object.keys(seg.files)) bytes += (await stat(path.join(segmentDir(dir, seg.id), name))).size;
  }
  return { bytes, segments: manifest.segments.length };
}

/** Writes generated articles from `from` on into `corpusDir`; their files. */
async function writeArticles(text: GermanText, corpusDir: string, from: number, count: number): Promise<string[]> {
  await mkdir(corpusDir, { recursive: true });
  const files: string[] = [];
  for (let i = from; i < from + count; i++) {
    const a = text.article(i);
    files.push(path.join(corpusDir, `${a.id}.md`));
    await writeFile(files.at(-1)!, markdown(a));
  }
  return files;
}

export async function benchReindex(
  config: Config,
  text: GermanText,
  root: string,
  o: {
    articles: number;
    unchangedRuns: number;
    changedRuns: number;
    addOneArticles?: number;
    addOneHnsw?: VectorParams;
    /** Where the add-one base is kept and, once built, reused. */
    addOneBase?: string;
    log: (line: string) => void;
  },
): Promise<ReindexResult & { corpusDir: string; dataDir: string }> {
  const corpusDir = path.join(root, 'corpus');
  const dataDir = path.join(root, 'data');
  const files = await writeArticles(text, corpusDir, 0, o.articles);
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
  const counted = counting(real);

  const unchanged: number[] = [];
  for (let r = 0; r < o.unchangedRuns; r++) {
    start = performance.now();
    const s = await run(counted.embedder);
    unchanged.push(since(start));
    if (s.published) throw new Error('bench: a reindex with nothing changed published a new version');
  }
  const unchangedModelCalls = counted.read().calls;

  const random = prng(42);
  const changed: number[] = [];
  const changedEmbed: number[] = [];
  const changedCount: number[] = [];
  const changedBytes: number[] = [];
  const changedMerge: number[] = [];
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
    counted.reset();
    const before = await snapshot(dataDir);
    start = performance.now();
    const s = await run(counted.embedder);
    changed.push(since(start));
    changedMerge.push(s.merged?.seconds ?? 0);
    const { embedMs, embedded } = counted.read();
    changedEmbed.push(embedMs / 1000);
    changedCount.push(embedded);
    changedBytes.push(await bytesWrittenSince(dataDir, before));
    o.log(
      `  1 % changed (${s.articles.changed} articles): ${since(start).toFixed(2)} s, of which embedding ${embedded} passages ${(embedMs / 1000).toFixed(2)} s, merging after the publish ${changedMerge.at(-1)!.toFixed(2)} s; ${(changedBytes.at(-1)! / 1e6).toFixed(1)} MB written`,
    );
  }
  const size = await liveBytes(dataDir);
  const ask = await askLatency(dataDir, real);
  o.log(`  ${size.segments} segments live, ${(size.bytes / 1e6).toFixed(0)} MB; ask p50 ${ask.p50Ms} ms, p95 ${ask.p95Ms} ms`);

  // One article added to the largest index measured.
  const addOne =
    o.addOneArticles && o.addOneArticles > o.articles
      ? await benchAddOne(config, text, o.addOneBase ?? path.join(root, 'add-one'), { articles: o.addOneArticles, hnsw: o.addOneHnsw, counted, reuse: !!o.addOneBase, log: o.log })
      : await addOneArticle(config, text, corpusDir, dataDir, o.articles, first.passages.total, counted);
  o.log(
    `  one article added to ${addOne.indexPassages} passages: ${addOne.sec} s, of which embedding ${addOne.passages} passages ${addOne.embedSec} s, merging after the publish ${addOne.mergeSec} s; ${addOne.bytesWritten} bytes written`,
  );

  const u = figure(unchanged);
  const c = figure(changed);
  const ce = figure(changedEmbed);
  const nonEmbed = figure(changed.map((x, i) => x - changedEmbed[i]!));
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
    onePercentNonEmbedSec: round(nonEmbed.median, 2),
    onePercentMergeSec: round(figure(changedMerge).median, 2),
    onePercentLiveNonEmbedSec: round(figure(changed.map((x, i) => x - changedEmbed[i]! - changedMerge[i]!)).median, 2),
    onePercentBytesWritten: Math.round(figure(changedBytes).median),
    indexBytes: size.bytes,
    segments: size.segments,
    askP50Ms: ask.p50Ms,
    askP95Ms: ask.p95Ms,
    addOne,
    spread: { unchangedSec: u, onePercentSec: c, onePercentEmbedSec: ce },
  };
}

/** `retrieve` latency on the live index, questions made of words from its passages. */
async function askLatency(dataDir: string, embedder: Embedder): Promise<{ p50Ms: number; p95Ms: number }> {
  const index = await openIndex(dataDir);
  const random = prng(5);
  const questions = Array.from({ length: 40 }, () => {
    const p = index.passages[Math.floor(random() * index.passages.length)]!;
    return passageText(index, p).split(/\s+/).slice(2, 9).join(' ');
  });
  for (const q of questions.slice(0, 5)) await retrieve(index, embedder, q);
  const ms: number[] = [];
  for (const q of questions) {
    const t = performance.now();
    await retrieve(index, embedder, q);
    ms.push(performance.now() - t);
  }
  return { p50Ms: round(quantile(ms, 0.5), 1), p95Ms: round(quantile(ms, 0.95), 1) };
}

/** An embedder that counts its time, and how to read and reset the count. */
interface Counted {
  readonly embedder: Embedder;
  readonly reset: () => void;
  readonly read: () => { embedMs: number; embedded: number; calls: number };
}

type AddOne = ReindexResult['addOne'];

/** One generated article (number `n`, beyond the corpus's) added to the index in `dataDir`. */
async function addOneArticle(config: Config, text: GermanText, corpusDir: string, dataDir: string, n: number, indexPassages: number, counted: Counted): Promise<AddOne> {
  await writeArticles(text, corpusDir, 1_000_000 + n, 1);
  counted.reset();
  const before = await snapshot(dataDir);
  const start = performance.now();
  const s = await reindex({ corpusDir, dataDir, embedder: counted.embedder, embedding: config.embedding, log: silent });
  const sec = since(start);
  const { embedMs, embedded } = counted.read();
  return {
    passages: embedded,
    sec: round(sec, 2),
    embedSec: round(embedMs / 1000, 2),
    mergeSec: round(s.merged?.seconds ?? 0, 2),
    bytesWritten: await bytesWrittenSince(dataDir, before),
    indexPassages,
    segments: (await liveBytes(dataDir)).segments,
  };
}

/**
 * One article added to a larger index of `articles` generated articles, built first with synthetic vectors
 * and HNSW settings `hnsw` (the default graph of 1M passages takes ≈ 37 min to build here).
 */
export async function benchAddOne(
  config: Config,
  text: GermanText,
  root: string,
  o: { articles: number; hnsw?: VectorParams; counted?: Counted; reuse?: boolean; log: (line: string) => void },
): Promise<AddOne> {
  const corpusDir = path.join(root, 'corpus');
  const dataDir = path.join(root, 'data');
  const e = config.embedding;
  // A base kept from an earlier run (`--add-one-base DIR`) is reused: building it takes ≈ 45 min at 1M.
  // Another bench still building or measuring it holds its lock: wait for that to end.
  if (o.reuse) await lockReleased(dataDir, o.log);
  const reused = o.reuse && (await readCurrentVersion(dataDir).catch(() => undefined));
  if (!reused) {
    await writeArticles(text, corpusDir, 0, o.articles);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const start = performance.now();
    const base = await reindex({
      corpusDir,
      dataDir,
      embedder: syntheticEmbedder(e.model, o.articles * 12),
      embedding: e,
      log: silent,
      ...(o.hnsw ? { vectorParams: o.hnsw } : {}),
    });
    o.log(`  add-one base (synthetic vectors, HNSW ${JSON.stringify(o.hnsw ?? 'default')}): ${base.passages.total} passages in ${since(start).toFixed(0)} s`);
  } else o.log(`  add-one base reused from ${root}`);
  const counted = o.counted ?? (await countedEmbedder(config));
  // Nothing changed first, as a user's next run would be (and what that costs at this size).
  const t = performance.now();
  const same = await reindex({ corpusDir, dataDir, embedder: counted.embedder, embedding: e, log: silent });
  o.log(`  nothing changed at ${same.passages.total} passages: ${since(t).toFixed(2)} s`);
  // Each add-one on a reused base adds another article: number it past every file already there.
  const n = (await readdir(corpusDir)).length;
  return addOneArticle(config, text, corpusDir, dataDir, n, same.passages.total, counted);
}

async function lockReleased(dataDir: string, log: (line: string) => void): Promise<void> {
  const lock = path.join(indexRoot(dataDir), LOCK_FILE);
  for (
    let said = false;
    await stat(lock).then(
      () => true,
      () => false,
    );
    said = true
  ) {
    if (!said) log(`  waiting for another run's lock on ${lock}`);
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
}

async function countedEmbedder(config: Config): Promise<Counted> {
  await sharedModel(config.embedding);
  return counting(createTransformersEmbedder(config.embedding));
}

/** `real`, counting its calls and the time and passages it embeds. */
function counting(real: Embedder): Counted {
  let calls = 0;
  let embedMs = 0;
  let embedded = 0;
  return {
    embedder: {
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
    },
    reset: () => {
      embedMs = 0;
      embedded = 0;
    },
    read: () => ({ embedMs, embedded, calls }),
  };
}
