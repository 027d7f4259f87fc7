/**
 * Embedding throughput and question latency of the project's embedder against the raw ONNX Runtime ceiling:
 * the onnxruntime-node session transformers.js created for the model, called directly with ONNX Runtime
 * tensors on the same token ids, with no padding at all: one passage per run or batches of equal length,
 * whichever is faster in that round. No tokenizing, no pooling, no transformers.js layers: only the model.
 * Both model files are measured (`model_quantized.onnx`, what users run by default, and `model.onnx`), each
 * round of each file in a fresh process (see benchEmbeddingByFile); a ratio is the median of per-round ratios.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../index/config.ts';
import { parseArticle } from '../../index/corpus/read.ts';
import { createTransformersEmbedder, equalLengthBatches, sharedModel, tokenize } from '../../index/embed/transformers-embedder.ts';
import { searchableText } from '../../index/passages/passage.ts';
import { splitArticle } from '../../index/passages/split.ts';
import { figure, quantile, round, since, type Figure } from './stats.ts';
import { markdown, prng, type GermanText } from './text.ts';

interface OrtTensor {
  readonly data: unknown;
}
interface OrtSession {
  readonly inputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
}
interface Ort {
  Tensor: new (type: 'int64', data: BigInt64Array, dims: number[]) => OrtTensor;
}

/** onnxruntime-node as transformers.js resolves it, so the ceiling runs the very same native library. */
function loadOrt(): Ort {
  const transformers = fileURLToPath(import.meta.resolve('@xenova/transformers'));
  return createRequire(transformers)('onnxruntime-node') as Ort;
}

export interface EmbeddingOptions {
  readonly passages: number;
  readonly rounds: number;
  /** Batch sizes tried for the ceiling's equal-length batches; 1 = one passage per run. */
  readonly ceilingBatches: readonly number[];
  /** Also time the plain transformers.js pipeline (one at a time, and padded batches of 16) for reference. */
  readonly pipeline: boolean;
  /** Questions embedded one at a time, by the project and by the raw session, for query latency. */
  readonly questions: number;
  readonly log: (line: string) => void;
}

/** Query embedding latency, ms: the project's `embedQuery` and the raw session on the same token ids. */
export interface QueryEmbedLatency {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly ceilingP50Ms: number;
  readonly ceilingP95Ms: number;
  /** Ceiling p50 / project p50: 1 means the project adds nothing to the model's own time. */
  readonly ratio: number;
  readonly tokens: number;
}

export interface EmbeddingResult {
  readonly model: string;
  readonly quantized: boolean;
  /** The ONNX file under the model's onnx/ folder. */
  readonly file: string;
  readonly passages: number;
  readonly tokens: number;
  readonly batchSize: number;
  readonly passagesPerSec: number;
  readonly tokensPerSec: number;
  readonly ceilingPassagesPerSec: number;
  readonly ceilingTokensPerSec: number;
  readonly ratio: number;
  readonly spread: { readonly passagesPerSec: Figure; readonly ceilingPassagesPerSec: Figure; readonly ratio: Figure };
  /** Passages per second of each ceiling variant (key: batch size), median over rounds. */
  readonly ceilingByBatch: Record<string, number>;
  /** Share of the project's time spent tokenizing (not overlapped: the ONNX run blocks the thread). */
  readonly tokenizeShare: number;
  readonly pipelineOneAtATimePassagesPerSec?: number;
  readonly pipelineBatch16PassagesPerSec?: number;
  readonly query: QueryEmbedLatency;
}

export const modelFile = (quantized: boolean) => (quantized ? 'model_quantized.onnx' : 'model.onnx');

export function benchPassages(text: GermanText, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < count; i++) {
    const a = text.article(i, 11);
    const article = parseArticle(`${a.id}.md`, Buffer.from(markdown(a)));
    if (typeof article === 'string') throw new Error(article);
    for (const p of splitArticle(article)) out.push(searchableText(p));
  }
  return out.slice(0, count);
}

/** One process's measurement of one model file (`quantized` picks it, whatever the configuration says). */
export async function benchEmbedding(config: Config, quantized: boolean, text: GermanText, o: EmbeddingOptions): Promise<EmbeddingResult> {
  const settings = { ...config.embedding, quantized };
  const texts = benchPassages(text, o.passages);
  const m = await sharedModel(settings);
  const embedder = createTransformersEmbedder(settings);
  let start = performance.now();
  const ids = texts.map((t) => tokenize(m, settings.passagePrefix + t));
  const tokenizeSec = since(start);
  const tokens = ids.reduce((s, row) => s + row.length, 0);

  const ort = loadOrt();
  // The very session transformers.js created: a second session would bring a second ONNX Runtime thread pool,
  // whose threads keep spinning after each run and slow whichever session runs next.
  const session = m.model.session as unknown as OrtSession;
  const run = async (rows: Int32Array[]) => {
    const n = rows.length;
    const len = rows[0]!.length;
    const data = new BigInt64Array(n * len);
    rows.forEach((row, r) => row.forEach((id, j) => (data[r * len + j] = BigInt(id))));
    const feeds: Record<string, OrtTensor> = {
      input_ids: new ort.Tensor('int64', data, [n, len]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(n * len).fill(1n), [n, len]),
    };
    if (session.inputNames.includes('token_type_ids')) feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(n * len), [n, len]);
    await session.run(feeds);
  };
  const lengths = ids.map((row) => row.length);
  // All passages of one token length form a group. Every contender embeds each group in turn, so a busy
  // neighbour on the machine (a test run, a compiler) slows all of them alike, not one whole pass.
  const groups = equalLengthBatches(lengths, Number.POSITIVE_INFINITY);
  const ceiling = (batch: number) => async (group: number[]) => {
    for (let i = 0; i < group.length; i += batch) await run(group.slice(i, i + batch).map((j) => ids[j]!));
  };
  const contenders: Array<[string, (group: number[]) => Promise<unknown>]> = [
    ['project', (group) => embedder.embedPassages(group.map((i) => texts[i]!))],
    ...o.ceilingBatches.map((b): [string, (group: number[]) => Promise<unknown>] => [`B${b}`, ceiling(b)]),
  ];

  // Warm-up on the longest and shortest passages: the first run of a shape grows ONNX Runtime's arena.
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]!);
  const warm = [...order.slice(0, 8), ...order.slice(-8)];
  for (const [, embed] of contenders) await embed(warm);

  const project: number[] = [];
  const best: number[] = [];
  const ratios: number[] = [];
  const byBatch = new Map<number, number[]>();
  for (let r = 0; r < o.rounds; r++) {
    const spent = new Map(contenders.map(([name]) => [name, 0]));
    for (const [g, group] of groups.entries()) {
      for (let k = 0; k < contenders.length; k++) {
        const [name, embed] = contenders[(g + k) % contenders.length]!;
        const t = performance.now();
        await embed(group);
        spent.set(name, spent.get(name)! + since(t));
      }
    }
    const rate = (name: string) => texts.length / spent.get(name)!;
    const results = new Map(o.ceilingBatches.map((b) => [b, rate(`B${b}`)]));
    const mine = rate('project');
    const top = Math.max(...results.values());
    project.push(mine);
    best.push(top);
    ratios.push(mine / top);
    for (const [b, v] of results) byBatch.set(b, [...(byBatch.get(b) ?? []), v]);
    o.log(
      `  round ${r + 1}/${o.rounds}: project ${mine.toFixed(1)} passages/s, ceiling ${top.toFixed(1)} (${[...results].map(([b, v]) => `B${b} ${v.toFixed(1)}`).join(', ')}), ratio ${(mine / top).toFixed(3)}`,
    );
  }

  // Question latency: questions as the query section asks them, each embedded alone (as a question is), the
  // project's embedQuery and the raw session in turn, first one then the other.
  const random = prng(7);
  const questions = Array.from({ length: o.questions }, () => text.question(random, texts[Math.floor(random() * texts.length)]!));
  const mine: number[] = [];
  const raw: number[] = [];
  let queryTokens = 0;
  for (const [n, q] of questions.entries()) {
    const qIds = tokenize(m, settings.queryPrefix + q);
    queryTokens += qIds.length;
    const timedProject = async () => {
      const t = performance.now();
      await embedder.embedQuery(q);
      mine.push(performance.now() - t);
    };
    const timedRaw = async () => {
      const t = performance.now();
      await run([qIds]);
      raw.push(performance.now() - t);
    };
    if (n % 2) await timedRaw().then(timedProject);
    else await timedProject().then(timedRaw);
  }
  const query: QueryEmbedLatency = {
    p50Ms: round(quantile(mine, 0.5), 2),
    p95Ms: round(quantile(mine, 0.95), 2),
    ceilingP50Ms: round(quantile(raw, 0.5), 2),
    ceilingP95Ms: round(quantile(raw, 0.95), 2),
    ratio: round(quantile(raw, 0.5) / quantile(mine, 0.5), 3),
    tokens: Math.round(queryTokens / Math.max(1, questions.length)),
  };
  o.log(`  question embedding: project p50 ${query.p50Ms} ms / p95 ${query.p95Ms} ms, raw session p50 ${query.ceilingP50Ms} / p95 ${query.ceilingP95Ms} ms`);

  let pipelineOne: number | undefined;
  let pipelineBatch: number | undefined;
  if (o.pipeline) {
    const { pipeline } = await import('@xenova/transformers');
    const extract = (await pipeline('feature-extraction', settings.model, { quantized: settings.quantized })) as unknown as (
      t: string[],
      opt: { pooling: 'mean'; normalize: boolean },
    ) => Promise<unknown>;
    const prefixed = texts.map((t) => settings.passagePrefix + t);
    start = performance.now();
    for (const t of prefixed) await extract([t], { pooling: 'mean', normalize: true });
    pipelineOne = texts.length / since(start);
    // What the embedder did before: character-length order, padded batches of 16.
    const byChars = [...prefixed].sort((a, b) => a.length - b.length);
    start = performance.now();
    for (let i = 0; i < byChars.length; i += 16) await extract(byChars.slice(i, i + 16), { pooling: 'mean', normalize: true });
    pipelineBatch = texts.length / since(start);
    o.log(`  pipeline: one at a time ${pipelineOne.toFixed(1)} passages/s, padded batches of 16 ${pipelineBatch.toFixed(1)}`);
  }

  const p = figure(project);
  const c = figure(best);
  const ratio = figure(ratios);
  const perPass = texts.length / p.median;
  return {
    model: settings.model,
    quantized: settings.quantized,
    file: modelFile(settings.quantized),
    passages: texts.length,
    tokens,
    batchSize: settings.batchSize,
    passagesPerSec: round(p.median, 2),
    tokensPerSec: round((p.median * tokens) / texts.length, 0),
    ceilingPassagesPerSec: round(c.median, 2),
    ceilingTokensPerSec: round((c.median * tokens) / texts.length, 0),
    ratio: round(ratio.median, 3),
    spread: { passagesPerSec: p, ceilingPassagesPerSec: c, ratio },
    ceilingByBatch: Object.fromEntries([...byBatch].map(([b, v]) => [String(b), round(figure(v).median, 2)])),
    tokenizeShare: round(tokenizeSec / perPass, 4),
    ...(pipelineOne !== undefined ? { pipelineOneAtATimePassagesPerSec: round(pipelineOne, 2), pipelineBatch16PassagesPerSec: round(pipelineBatch!, 2) } : {}),
    query,
  };
}

/** One file's figures in the JSON's `embeddingByFile`: medians over its rounds, each round a fresh process. */
export interface FileFigures {
  readonly file: string;
  readonly quantized: boolean;
  readonly passagesPerSec: number;
  readonly ceilingPassagesPerSec: number;
  readonly ratio: number;
  readonly ceilingByBatch: Record<string, number>;
  readonly queryP50Ms: number;
  readonly queryP95Ms: number;
  readonly ceilingQueryP50Ms: number;
  readonly ceilingQueryP95Ms: number;
  readonly queryRatio: number;
  readonly spread: { readonly passagesPerSec: Figure; readonly ceilingPassagesPerSec: Figure; readonly ratio: Figure; readonly queryP50Ms: Figure };
}

export interface ByFileResult {
  /** The default path first: model_quantized.onnx, then model.onnx. */
  readonly byFile: FileFigures[];
  /** Project throughput int8 / fp32, median of the per-round quotients (both files measured back to back). */
  readonly int8Speedup: number;
  /** The same for the raw ceilings, and for question latency (fp32 p50 / int8 p50). */
  readonly int8CeilingSpeedup: number;
  readonly int8QuerySpeedup: number;
  /** Every round of every file, as measured. */
  readonly rounds: EmbeddingResult[];
}

/**
 * Both files, round by round, each round of each file in a fresh process: two ONNX Runtime sessions in one
 * process would each bring a thread pool whose spinning threads slow the other. The order alternates per
 * round, so a neighbour's load on the shared machine falls on both files alike; a file's ratio is measured
 * within its own process against its own session.
 */
export async function benchEmbeddingByFile(measure: (quantized: boolean) => Promise<EmbeddingResult>, rounds: number): Promise<ByFileResult> {
  const all: EmbeddingResult[] = [];
  const speedups: number[] = [];
  const ceilingSpeedups: number[] = [];
  const querySpeedups: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? [true, false] : [false, true];
    const got = new Map<boolean, EmbeddingResult>();
    for (const quantized of order) got.set(quantized, await measure(quantized));
    const q = got.get(true)!;
    const f = got.get(false)!;
    all.push(q, f);
    speedups.push(q.passagesPerSec / f.passagesPerSec);
    ceilingSpeedups.push(q.ceilingPassagesPerSec / f.ceilingPassagesPerSec);
    querySpeedups.push(f.query.p50Ms / q.query.p50Ms);
  }
  const byFile = [true, false].map((quantized): FileFigures => {
    const mine = all.filter((e) => e.quantized === quantized);
    const med = (pick: (e: EmbeddingResult) => number) => figure(mine.map(pick));
    const batches = Object.keys(mine[0]!.ceilingByBatch);
    return {
      file: modelFile(quantized),
      quantized,
      passagesPerSec: round(med((e) => e.passagesPerSec).median, 2),
      ceilingPassagesPerSec: round(med((e) => e.ceilingPassagesPerSec).median, 2),
      ratio: round(med((e) => e.ratio).median, 3),
      ceilingByBatch: Object.fromEntries(batches.map((b) => [b, round(med((e) => e.ceilingByBatch[b]!).median, 2)])),
      queryP50Ms: round(med((e) => e.query.p50Ms).median, 2),
      queryP95Ms: round(med((e) => e.query.p95Ms).median, 2),
      ceilingQueryP50Ms: round(med((e) => e.query.ceilingP50Ms).median, 2),
      ceilingQueryP95Ms: round(med((e) => e.query.ceilingP95Ms).median, 2),
      queryRatio: round(med((e) => e.query.ratio).median, 3),
      spread: {
        passagesPerSec: med((e) => e.passagesPerSec),
        ceilingPassagesPerSec: med((e) => e.ceilingPassagesPerSec),
        ratio: med((e) => e.ratio),
        queryP50Ms: med((e) => e.query.p50Ms),
      },
    };
  });
  return {
    byFile,
    int8Speedup: round(figure(speedups).median, 3),
    int8CeilingSpeedup: round(figure(ceilingSpeedups).median, 3),
    int8QuerySpeedup: round(figure(querySpeedups).median, 3),
    rounds: all,
  };
}
