/**
 * `npm run bench [-- --quick] [-- --out FILE] [-- --only embedding,scale,query,reindex,cold,ingest,bot]`: the performance
 * benchmark of docs/performance.md. Prints a table and, with --out, writes it as JSON (keys stable across runs).
 * A script, not a test: it asserts nothing, it measures. Full run ≈ 2–2.5 h on 2 cores; --quick ≈ 4 min (see docs/performance.md).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_HNSW, type HnswParams } from '../index/store/hnsw.ts';
import { askEnvironment, benchConfig, ROOT } from './bench/config.ts';
import { benchEmbeddingByFile, modelFile, type ByFileResult, type EmbeddingResult } from './bench/embedding.ts';
import type { QueryRow } from './bench/query.ts';
import { benchBot, type BotRow, type BotSetup } from './bench/bot.ts';
import { benchIngest, type IngestResult } from './bench/ingest.ts';
import { benchAddOne, benchReindex, type ReindexResult } from './bench/reindex.ts';
import { scaleRow, type BuildResult, type ScaleRow, type SearchResult } from './bench/scale.ts';
import { figure, round, show, since, type Figure } from './bench/stats.ts';
import { GermanText } from './bench/text.ts';

const SECTIONS = ['embedding', 'scale', 'query', 'reindex', 'cold', 'ingest', 'bot'] as const;
/** Not in a full run (the reindex section includes it): one article added to the add-one base alone. */
type Extra = 'addone';
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'add-one-base': { type: 'string' },
    tune: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    'usage: npm run bench -- [--quick] [--out FILE] [--only embedding,scale,query,reindex,cold,ingest,bot,addone] [--keep] [--tune] [--sizes 10000,100000] [--add-one-base DIR]\n',
  );
  process.exit(0);
}
// --tune: only the HNSW parameter grid, at 100k (or at each of --sizes); how DEFAULT_HNSW was chosen.
const only = new Set((values.tune ? [] : (values.only?.split(',') ?? SECTIONS)) as Array<Section | Extra>);
// --add-one-base DIR: the add-one's large base is built there once, kept, and reused by later runs.
const addOneBase = values['add-one-base'] && path.resolve(values['add-one-base']);
const quick = values.quick;

const PLAN = quick
  ? {
      embedding: { passages: 120, rounds: 2, ceilingBatches: [1, 16], pipeline: false, questions: 20 },
      sizes: [10_000, 30_000],
      scale: { queries: 100, passes: 2, loads: 2 },
      query: { questions: 40, passes: 2 },
      reindex: { articles: 1_000, unchangedRuns: 3, changedRuns: 2, addOneArticles: 3_000, addOneHnsw: { M: 12, efConstruction: 40 } },
      coldRuns: 2,
      ingest: { pages: 100, rounds: 2 },
      bot: { passages: 10_000, bursts: { 1: 10, 10: 3, 50: 2 }, articlesPerReindex: 5 },
    }
  : {
      embedding: { passages: 300, rounds: 3, ceilingBatches: [1, 16, 32, 64], pipeline: false, questions: 40 },
      sizes: [10_000, 100_000, 1_000_000],
      scale: { queries: 200, passes: 3, loads: 3 },
      query: { questions: 100, passes: 3 },
      reindex: { articles: 10_000, unchangedRuns: 5, changedRuns: 3, addOneArticles: 90_000, addOneHnsw: { M: 12, efConstruction: 40 } },
      coldRuns: 3,
      ingest: { pages: 500, rounds: 3 },
      bot: { passages: 100_000, bursts: { 1: 30, 10: 6, 50: 4 }, articlesPerReindex: 20 },
    };

// --sizes: measure scale and query at these passage counts only (e.g. re-measure one size after a change).
if (values.sizes)
  PLAN.sizes = values.sizes
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);

const log = (line: string) => process.stderr.write(`${line}\n`);
const config = benchConfig();
const text = new GermanText(path.join(ROOT, 'corpus'));
const work = await mkdtemp(path.join(os.tmpdir(), 'quotedesk-bench-'));
const started = performance.now();

/** Runs one task of scripts/bench/child.ts in a fresh process and returns its result. */
function child<T>(task: string, args: object, heapMB = 4096): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [`--max-old-space-size=${heapMB}`, '--import', 'tsx', path.join(ROOT, 'scripts', 'bench', 'child.ts'), task, JSON.stringify(args)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`bench child ${task} failed (exit ${code})`));
      else resolve(JSON.parse(line.slice(7)) as T);
    });
  });
}

function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    node: process.version,
    memoryGB: round(os.totalmem() / 2 ** 30, 1),
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((x) => round(x, 2)),
  };
}

const result: {
  date: string;
  quick: boolean;
  machine: ReturnType<typeof machine>;
  models: Record<string, string>;
  /** The configured file (as in runs before `embeddingByFile`), its first round. */
  embedding?: EmbeddingResult;
  embeddingByFile?: ByFileResult['byFile'];
  int8Speedup?: number;
  embeddingDetail?: Omit<ByFileResult, 'byFile' | 'int8Speedup'>;
  query?: QueryRow[];
  scale?: ScaleRow[];
  reindex?: ReindexResult;
  /** --only addone: the add-one alone (otherwise it is `reindex.addOne`). */
  addOne?: ReindexResult['addOne'];
  coldStartSec?: number;
  coldStart?: { passages: number; spread: Figure };
  tune?: ScaleRow[];
  ingest?: IngestResult;
  bot?: BotRow[];
  botSetup?: BotSetup;
  failures: Array<{ section: string; passages: number; error: string; afterSec: number }>;
  seconds?: number;
} = {
  date: new Date().toISOString(),
  quick,
  machine: machine(),
  failures: [],
  models: {
    embedding: `${config.embedding.model}, both files (onnx/model_quantized.onnx and onnx/model.onnx)`,
    query: `question embedded by ${config.embedding.model}; passages and vectors synthetic`,
    scale: 'synthetic vectors, no model',
    reindex: `first build synthetic vectors; changed passages embedded by ${config.embedding.model}`,
    coldStart: `${config.embedding.model}, index with synthetic vectors`,
    ingest: 'generated German news pages, HTML reader and splitter, no model',
    bot: `questions embedded by ${config.embedding.model} (model_quantized.onnx); passages generated, vectors synthetic; reindexed passages embedded by the same model`,
  },
};

async function scaleAt(n: number, params: HnswParams): Promise<{ row: ScaleRow; dir: string }> {
  const dir = path.join(work, `scale-${n}-M${params.M}-efc${params.efConstruction}`);
  await mkdir(dir, { recursive: true });
  log(`scale: building HNSW over ${n} synthetic vectors (M ${params.M}, efConstruction ${params.efConstruction})`);
  const build = await child<BuildResult>('scale-build', { n, dir, params, queries: PLAN.scale.queries }, 8192);
  const searches: SearchResult[] = [await child<SearchResult>('scale-search', { dir, params, passes: PLAN.scale.passes, loadOnly: false })];
  for (let i = 1; i < PLAN.scale.loads; i++) searches.push(await child<SearchResult>('scale-search', { dir, params, passes: 0, loadOnly: true }));
  const row = scaleRow(n, params, build, searches);
  log(
    `  built in ${row.buildSec} s; ${row.diskMB} MB on disk, ${row.rssMB} MB resident, loads in ${row.loadSec} s; ef ${row.ef}: recall@10 ${row.recallAt10}, p50 ${row.searchP50Ms} ms, p95 ${row.searchP95Ms} ms`,
  );
  return { row, dir };
}

try {
  if (values.tune) {
    // At 1M (--tune --sizes 1000000) only the two graphs that matter there: each build takes 20–40 minutes.
    result.tune = [];
    for (const n of values.sizes ? PLAN.sizes : [quick ? 20_000 : 100_000]) {
      const grid =
        n >= 1_000_000
          ? [
              [24, 100],
              [32, 200],
            ]
          : [
              [12, 100],
              [16, 100],
              [16, 200],
              [24, 100],
              [32, 100],
              [32, 200],
            ];
      for (const [M, efConstruction] of grid as Array<[number, number]>) {
        const { row, dir } = await scaleAt(n, { M, efConstruction, ef: DEFAULT_HNSW.ef });
        result.tune.push(row);
        await rm(dir, { recursive: true, force: true });
      }
    }
  }

  if (only.has('ingest')) {
    log(`ingest: ${PLAN.ingest.pages} generated news pages through the HTML reader`);
    result.ingest = benchIngest(text, PLAN.ingest);
    log(`  ${result.ingest.htmlArticlesPerSec} articles/s (${result.ingest.htmlMBPerSec} MB/s, ${result.ingest.averageKB} KB per page)`);
  }

  if (only.has('embedding')) {
    log(`embedding: ${config.embedding.model}, ${PLAN.embedding.passages} passages, ${PLAN.embedding.rounds} rounds of each file`);
    const { rounds, ...plan } = PLAN.embedding;
    const files = await benchEmbeddingByFile((quantized) => {
      log(`  ${modelFile(quantized)}:`);
      return child<EmbeddingResult>('embedding', { quantized, corpusDir: path.join(ROOT, 'corpus'), plan });
    }, rounds);
    const { byFile, int8Speedup, ...detail } = files;
    result.embeddingByFile = byFile;
    result.int8Speedup = int8Speedup;
    result.embeddingDetail = detail;
    result.embedding = files.rounds.find((e) => e.quantized === config.embedding.quantized);
  }

  const scaleDirs = new Map<number, string>();
  if (only.has('scale') || only.has('query')) {
    result.scale = [];
    const params: HnswParams = DEFAULT_HNSW;
    for (const n of PLAN.sizes) {
      const { row, dir } = await scaleAt(n, params);
      result.scale.push(row);
      scaleDirs.set(n, dir);
    }
  }

  if (only.has('query')) {
    result.query = [];
    for (const n of PLAN.sizes) {
      log(`query latency at ${n} passages`);
      const t = performance.now();
      try {
        const row = await child<QueryRow>('query', { n, dir: scaleDirs.get(n), corpusDir: path.join(ROOT, 'corpus'), ...PLAN.query }, 20_000);
        log(`  p50 ${row.p50Ms} ms, p95 ${row.p95Ms} ms (keyword index built in ${row.lexicalBuildSec} s, heap ${row.heapMB} MB)`);
        result.query.push(row);
      } catch (err) {
        // A size that does not fit (the keyword index at 1M is the candidate) must not cost the other sections.
        log(`  failed after ${since(t).toFixed(0)} s: ${(err as Error).message}`);
        result.failures.push({ section: 'query', passages: n, error: (err as Error).message, afterSec: round(since(t), 0) });
      }
    }
  }

  let data: { corpusDir: string; dataDir: string; passages: number } | undefined;
  if (only.has('reindex') || only.has('cold')) {
    log(`reindex: ${PLAN.reindex.articles} generated articles`);
    const r = await benchReindex(config, text, path.join(work, 'reindex'), { ...PLAN.reindex, ...(addOneBase ? { addOneBase } : {}), log });
    const { corpusDir, dataDir, ...rest } = r;
    data = { corpusDir, dataDir, passages: r.passages };
    if (only.has('reindex')) result.reindex = rest;
    log(`  nothing changed: ${r.unchangedSec} s (model calls: ${r.unchangedModelCalls}); 1 % changed: ${r.onePercentSec} s, of which embedding ${r.onePercentEmbedSec} s`);
  }

  if (only.has('addone') && !only.has('reindex')) {
    const { addOneArticles: articles, addOneHnsw: hnsw } = PLAN.reindex;
    log(`add-one: ${articles} generated articles${addOneBase ? ` in ${addOneBase}` : ''}`);
    const addOne = await benchAddOne(config, text, addOneBase ?? path.join(work, 'add-one'), { articles, hnsw, reuse: !!addOneBase, log });
    log(
      `  one article added to ${addOne.indexPassages} passages: ${addOne.sec} s, of which embedding ${addOne.passages} passages ${addOne.embedSec} s; ${addOne.bytesWritten} bytes written`,
    );
    result.addOne = addOne;
  }

  if (only.has('cold') && data) {
    log(`cold start: npm run ask on ${data.passages} passages`);
    const runs: number[] = [];
    for (let i = 0; i < PLAN.coldRuns; i++) runs.push(await coldStart(data.corpusDir, data.dataDir));
    const f = figure(runs);
    result.coldStartSec = round(f.median, 2);
    result.coldStart = { passages: data.passages, spread: f };
    log(`  ${result.coldStartSec} s`);
  }
  if (only.has('bot')) {
    log(`bot: /ask through the loopback Discord stand-in, ${PLAN.bot.passages} passages`);
    const bot = await benchBot(askEnvironment(config, '', ''), text, path.join(work, 'bot'), { ...PLAN.bot, log }, child);
    result.bot = bot.rows;
    result.botSetup = bot.setup;
  }
} finally {
  if (!values.keep) await rm(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}
result.seconds = round(since(started), 0);
result.machine.loadAverage = os.loadavg().map((x) => round(x, 2));

/** From spawning `npm run ask`'s script to its answer on stdout, model load and index open included. */
function coldStart(corpusDir: string, dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const proc = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'ask.ts'), '--json', 'Was berichtete die Regierung über Sicherheitsgarantien?'], {
      cwd: ROOT,
      // Only these variables (and .env): the parent's environment could point the child elsewhere.
      env: askEnvironment(config, corpusDir, dataDir),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const seconds = since(t);
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        JSON.parse(out);
        resolve(seconds);
      } catch (err) {
        reject(new Error(`bench: cold-start ask failed: ${(err as Error).message}\n${out.slice(0, 500)}`));
      }
    });
  });
}

process.stdout.write(`${table(result)}\n`);
if (values.out) {
  await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote ${values.out}`);
}

function table(r: typeof result): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(`quotedesk benchmark${r.quick ? ' (quick)' : ''}, ${r.date.slice(0, 10)}: ${m.cores} cores ${m.cpuModel}, ${m.memoryGB} GiB, Node ${m.node}`);
  if (r.embeddingByFile && r.embedding) {
    const e = r.embedding;
    lines.push('', `Embedding (${r.models.embedding}; ${e.passages} passages, ${e.tokens} tokens, batch ${e.batchSize}; questions of ${e.query.tokens} tokens)`);
    lines.push('  file                  passages/s  ceiling  ratio (rounds)        | question p50/p95 ms  ceiling p50/p95  ratio');
    for (const f of r.embeddingByFile) {
      lines.push(
        `  ${f.file.padEnd(21)} ${String(f.passagesPerSec).padStart(10)} ${String(f.ceilingPassagesPerSec).padStart(8)}  ${f.ratio.toFixed(3)} (${f.spread.ratio.min.toFixed(3)}–${f.spread.ratio.max.toFixed(3)}) | ${f.queryP50Ms}/${f.queryP95Ms}  ${f.ceilingQueryP50Ms}/${f.ceilingQueryP95Ms}  ${f.queryRatio}`,
      );
      lines.push(`  ${''.padEnd(21)} ceiling by batch size ${JSON.stringify(f.ceilingByBatch)}`);
    }
    const d = r.embeddingDetail!;
    lines.push(`  int8 / fp32 speed-up: ${r.int8Speedup} (ceilings ${d.int8CeilingSpeedup}; question latency ${d.int8QuerySpeedup})`);
  }
  if (r.query) {
    lines.push('', `Query latency, warm, ms (${r.models.query})`, '  passages    p50    p95 | embed  vector  lexical  fusion  format (p50/p95)');
    for (const q of r.query) {
      const s = q.split;
      const pair = (k: keyof typeof s) => `${s[k].p50}/${s[k].p95}`;
      lines.push(
        `  ${String(q.passages).padStart(8)} ${q.p50Ms.toFixed(1).padStart(6)} ${q.p95Ms.toFixed(1).padStart(6)} | ${pair('embedMs')}  ${pair('vectorMs')}  ${pair('lexicalMs')}  ${pair('fusionMs')}  ${pair('formatMs')}`,
      );
    }
  }
  if (r.scale) {
    lines.push('', `Scale (${r.models.scale})`, '  passages  build s  disk MB  RSS MB  load s  p50 ms  p95 ms  recall@10   M  efC   ef');
    for (const s of r.scale) {
      lines.push(
        `  ${String(s.passages).padStart(8)} ${String(s.buildSec).padStart(8)} ${String(s.diskMB).padStart(8)} ${String(s.rssMB).padStart(7)} ${String(s.loadSec).padStart(7)} ${String(s.searchP50Ms).padStart(7)} ${String(s.searchP95Ms).padStart(7)} ${String(s.recallAt10).padStart(10)} ${String(s.M).padStart(3)} ${String(s.efConstruction).padStart(4)} ${String(s.ef).padStart(4)}`,
      );
    }
  }
  if (r.tune) {
    lines.push(
      '',
      'HNSW parameter grid (synthetic vectors; smallest ef reaching recall@10 ≥ 0.98)',
      '  passages    M  efC  build s  disk MB  RSS MB    ef  recall@10  p50 ms  p95 ms',
    );
    for (const t of r.tune) {
      lines.push(
        `  ${String(t.passages).padStart(8)} ${String(t.M).padStart(4)} ${String(t.efConstruction).padStart(4)} ${String(t.buildSec).padStart(8)} ${String(t.diskMB).padStart(8)} ${String(t.rssMB).padStart(7)} ${String(t.ef).padStart(5)} ${String(t.recallAt10).padStart(10)} ${String(t.searchP50Ms).padStart(7)} ${String(t.searchP95Ms).padStart(7)}`,
      );
    }
  }
  if (r.reindex) {
    const x = r.reindex;
    lines.push('', `Reindex (${x.articles} articles, ${x.passages} passages)`);
    lines.push(`  nothing changed  ${x.unchangedSec} s (model calls ${x.unchangedModelCalls})`);
    lines.push(
      `  1 % changed      ${x.onePercentSec} s, of which embedding ${x.onePercentEmbedded} passages ${x.onePercentEmbedSec} s (model load ${x.modelLoadSec} s, not included); other ${x.onePercentNonEmbedSec} s (merging after the publish ${x.onePercentMergeSec} s; until live ${x.onePercentLiveNonEmbedSec} s); ${x.onePercentBytesWritten} bytes written of ${x.indexBytes}`,
    );
    lines.push(`  ${x.segments} segments live: ask p50 ${x.askP50Ms} ms, p95 ${x.askP95Ms} ms`);
    lines.push(
      `  one article added to ${x.addOne.indexPassages} passages: ${x.addOne.sec} s, of which embedding ${x.addOne.passages} passages ${x.addOne.embedSec} s, merging after the publish ${x.addOne.mergeSec} s; ${x.addOne.bytesWritten} bytes written`,
    );
  }
  if (r.ingest) {
    const g = r.ingest;
    lines.push('', `Ingestion (${r.models.ingest}; ${g.pages} pages of ${g.averageKB} KB, ${g.passages} passages)`);
    lines.push(`  HTML extraction  ${show(g.spread)} articles/s  ${g.htmlMBPerSec} MB/s`);
  }
  if (r.bot) {
    const b = r.botSetup!;
    lines.push('', `Bot, /ask through the Discord stand-in (${r.models.bot}; ${b.passages} passages; ${b.reindexes} reindexes of ${b.articlesPerReindex} new articles)`);
    lines.push(`  (the stand-in spent ${b.standInCpuMsPerInteraction} ms of CPU per interaction; ${b.burstsWithinReindex} of ${b.bursts} bursts ended before their reindex)`);
    lines.push('  at once  reindex  ack p50   p95    max | answer p50    p95    max  asked');
    for (const x of r.bot) {
      lines.push(
        `  ${String(x.concurrent).padStart(7)}  ${(x.duringReindex ? 'yes' : 'no').padEnd(7)} ${String(x.ackP50Ms).padStart(7)} ${String(x.ackP95Ms).padStart(5)} ${String(x.ackMaxMs).padStart(6)} | ${String(x.answerP50Ms).padStart(10)} ${String(x.answerP95Ms).padStart(6)} ${String(x.answerMaxMs).padStart(6)} ${String(x.samples).padStart(6)}${x.failed ? ` (${x.failed} not answered)` : ''}`,
      );
    }
  }
  if (r.coldStartSec !== undefined) lines.push('', `Cold start (npm run ask, ${r.coldStart!.passages} passages): ${r.coldStartSec} s`);
  for (const f of r.failures) lines.push('', `FAILED: ${f.section} at ${f.passages} passages after ${f.afterSec} s: ${f.error}`);
  lines.push('', `(${r.seconds} s in all)`);
  return lines.join('\n');
}
