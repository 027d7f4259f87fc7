/**
 * The vector index at 10k…1M synthetic passages. Each size is built in one child process and searched in
 * fresh ones, so resident memory and load time are those of a process holding just that index.
 */
import { stat, writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { HNSW_FILE, HnswIndex, type HnswParams } from '../../index/store/hnsw.ts';
import { figure, mb, quantile, round, since, type Figure } from './stats.ts';
import { DIMS, exactTopK, TopicVectors } from './vectors.ts';

export const RECALL_TARGET = 0.98;
export const EF_SWEEP = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512];
const K = 10;

export interface BuildResult {
  readonly buildSec: number;
  readonly diskBytes: number;
}

/** In the child: generate `n` vectors, build and save the graph, and write questions with their exact answers. */
export async function buildScale(n: number, dir: string, params: HnswParams, queries: number): Promise<BuildResult> {
  const gen = new TopicVectors(n);
  const data = new Float32Array(n * DIMS);
  for (let i = 0; i < n; i++) gen.vector(i, 0, data.subarray(i * DIMS, (i + 1) * DIMS));
  const index = HnswIndex.create(DIMS, n, params);
  const start = performance.now();
  for (let i = 0; i < n; i++) index.add(i, data.subarray(i * DIMS, (i + 1) * DIMS));
  const buildSec = since(start);
  const file = path.join(dir, HNSW_FILE);
  await index.save(dir);
  const qs = Array.from({ length: queries }, (_, j) => gen.vector(j, 1));
  const truth = exactTopK(data, qs, K);
  await writeFile(path.join(dir, 'queries.json'), JSON.stringify({ queries: qs.map((q) => [...q]), truth }));
  return { buildSec, diskBytes: (await stat(file)).size };
}

export interface SweepPoint {
  readonly ef: number;
  readonly recallAt10: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

export interface SearchResult {
  readonly loadSec: number;
  readonly rssBytes: number;
  /** Resident memory of the same process before the index was loaded. */
  readonly baseRssBytes: number;
  readonly sweep: readonly SweepPoint[];
  /** Smallest ef that reaches the recall target (the largest tried when none does). */
  readonly chosen: SweepPoint & { readonly p50: Figure; readonly p95: Figure };
}

/** In a fresh child: load the graph, then find the smallest ef reaching the recall target. */
export async function searchScale(dir: string, params: HnswParams, passes: number, loadOnly: boolean): Promise<SearchResult> {
  const baseRssBytes = process.memoryUsage().rss;
  let start = performance.now();
  const index = await HnswIndex.load(path.join(dir, HNSW_FILE), DIMS, params);
  const loadSec = since(start);
  const rssBytes = process.memoryUsage().rss;
  const empty = { ef: 0, recallAt10: 0, p50Ms: 0, p95Ms: 0 };
  if (loadOnly) return { loadSec, rssBytes, baseRssBytes, sweep: [], chosen: { ...empty, p50: figure([0]), p95: figure([0]) } };

  const { queries, truth } = JSON.parse(await readFile(path.join(dir, 'queries.json'), 'utf8')) as { queries: number[][]; truth: number[][] };
  const qs = queries.map((q) => Float32Array.from(q));
  for (const q of qs.slice(0, 20)) index.search(q, K);
  const measure = (ef: number) => {
    index.ef = ef;
    const p50: number[] = [];
    const p95: number[] = [];
    let hits = 0;
    for (let pass = 0; pass < passes; pass++) {
      const lat: number[] = [];
      qs.forEach((q, i) => {
        start = performance.now();
        const found = index.search(q, K);
        lat.push(performance.now() - start);
        if (pass === 0) {
          const want = new Set(truth[i]);
          hits += found.filter((h) => want.has(h.label)).length;
        }
      });
      p50.push(quantile(lat, 0.5));
      p95.push(quantile(lat, 0.95));
    }
    return { ef, recallAt10: round(hits / (qs.length * K), 4), p50: figure(p50), p95: figure(p95) };
  };
  const sweep: Array<ReturnType<typeof measure>> = [];
  for (const ef of EF_SWEEP) {
    const point = measure(ef);
    sweep.push(point);
    if (point.recallAt10 >= RECALL_TARGET) break;
  }
  const best = sweep.at(-1)!;
  const point = (p: (typeof sweep)[number]): SweepPoint => ({ ef: p.ef, recallAt10: p.recallAt10, p50Ms: round(p.p50.median, 3), p95Ms: round(p.p95.median, 3) });
  return { loadSec, rssBytes, baseRssBytes, sweep: sweep.map(point), chosen: { ...point(best), p50: best.p50, p95: best.p95 } };
}

export interface ScaleRow {
  readonly passages: number;
  readonly buildSec: number;
  readonly diskMB: number;
  readonly rssMB: number;
  /** Resident memory of the process before loading: what Node itself takes. */
  readonly baseRssMB: number;
  /** Raw size of the vectors held (passages × dims × 4 bytes), to judge disk and memory against. */
  readonly vectorsMB: number;
  readonly loadSec: number;
  readonly searchP50Ms: number;
  readonly searchP95Ms: number;
  readonly recallAt10: number;
  readonly M: number;
  readonly efConstruction: number;
  readonly ef: number;
  readonly sweep: readonly SweepPoint[];
  readonly spread: { readonly loadSec: Figure; readonly rssMB: Figure; readonly searchP50Ms: Figure; readonly searchP95Ms: Figure };
}

export function scaleRow(n: number, params: HnswParams, build: BuildResult, searches: readonly SearchResult[]): ScaleRow {
  const main = searches[0]!;
  const load = figure(searches.map((s) => s.loadSec));
  const rss = figure(searches.map((s) => mb(s.rssBytes)));
  return {
    passages: n,
    buildSec: round(build.buildSec, 1),
    diskMB: mb(build.diskBytes),
    rssMB: round(rss.median, 0),
    baseRssMB: mb(main.baseRssBytes),
    vectorsMB: mb(n * DIMS * 4),
    loadSec: round(load.median, 3),
    searchP50Ms: main.chosen.p50Ms,
    searchP95Ms: main.chosen.p95Ms,
    recallAt10: main.chosen.recallAt10,
    M: params.M,
    efConstruction: params.efConstruction,
    ef: main.chosen.ef,
    sweep: main.sweep,
    spread: { loadSec: load, rssMB: rss, searchP50Ms: main.chosen.p50, searchP95Ms: main.chosen.p95 },
  };
}
