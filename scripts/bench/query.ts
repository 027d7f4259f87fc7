/**
 * Warm question latency at a given index size: synthetic German passages and their keyword index, the
 * synthetic vectors of the scale benchmark in the HNSW graph, and the real model for the question. The
 * steps are those of `answer()` (index/answer/answer.ts), timed one by one.
 */
import path from 'node:path';
import { cleanQuestion, composeResults } from '../../index/answer/answer.ts';
import type { Config } from '../../index/config.ts';
import { createTransformersEmbedder } from '../../index/embed/transformers-embedder.ts';
import { answerLimits } from '../../index/setup.ts';
import { LexicalIndex } from '../../index/search/lexical.ts';
import { retrieve } from '../../index/search/retrieve.ts';
import { FORMAT_VERSION, PIPELINE_VERSION, type StoredArticle, type StoredPassage } from '../../index/store/format.ts';
import { DEFAULT_HNSW, HNSW_FILE, HnswIndex } from '../../index/store/hnsw.ts';
import { vectorRows, type OpenIndex } from '../../index/store/open.ts';
import { figure, mb, quantile, round, since, type Figure } from './stats.ts';
import { prng, type GermanText } from './text.ts';
import { DIMS } from './vectors.ts';

const STEPS = ['embedMs', 'vectorMs', 'lexicalMs', 'fusionMs', 'formatMs'] as const;
type Step = (typeof STEPS)[number];

export interface QueryRow {
  readonly passages: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** p50 and p95 of each step. Fusion: everything in retrieval besides the three searches (RRF, relevance gate). */
  readonly split: Record<Step, { readonly p50: number; readonly p95: number }>;
  readonly questions: number;
  readonly lexicalBuildSec: number;
  readonly heapMB: number;
  readonly rssMB: number;
  readonly spread: { readonly p50Ms: Figure; readonly p95Ms: Figure };
}

/** `n` passages of generated articles, labelled 0…n−1 like the vectors in the scale graph. */
export function syntheticCorpus(text: GermanText, n: number) {
  const articles = new Map<string, StoredArticle>();
  const passages: StoredPassage[] = [];
  for (let i = 0; passages.length < n; i++) {
    const a = text.article(i, 13);
    const paragraphs = a.paragraphs.slice(0, n - passages.length);
    let offset = 0;
    for (const [j, p] of paragraphs.entries()) {
      passages.push({ articleId: a.id, paragraph: j + 1, start: offset, end: offset + p.length, label: passages.length, textHash: '' });
      offset += p.length + 2;
    }
    articles.set(a.id, {
      id: a.id,
      file: `${a.id}.md`,
      text: paragraphs.join('\n\n'),
      hash: '',
      title: a.title,
      outlet: a.outlet,
      date: a.date,
      url: `https://example.org/${a.id}`,
      language: 'de',
    });
  }
  return { articles, passages };
}

export async function benchQuery(
  config: Config,
  text: GermanText,
  n: number,
  scaleDir: string,
  o: { questions: number; passes: number; log: (line: string) => void },
): Promise<QueryRow> {
  const { articles, passages } = syntheticCorpus(text, n);
  const start = performance.now();
  const lexical = LexicalIndex.create(passages.map((p) => ({ label: p.label, text: articles.get(p.articleId)!.text.slice(p.start, p.end) })));
  const lexicalBuildSec = since(start);
  const vectorIndex = await HnswIndex.load(path.join(scaleDir, HNSW_FILE), DIMS, DEFAULT_HNSW);
  const e = config.embedding;
  const index: OpenIndex = {
    dir: scaleDir,
    manifest: {
      formatVersion: FORMAT_VERSION,
      pipelineVersion: PIPELINE_VERSION,
      builtAt: new Date().toISOString(),
      articleCount: articles.size,
      passageCount: n,
      dense: { backend: 'hnsw', model: e.model, quantized: e.quantized, dims: DIMS, queryPrefix: e.queryPrefix, passagePrefix: e.passagePrefix, params: vectorIndex.params },
      nextLabel: n,
      segments: [],
      files: {},
    },
    articles,
    passages,
    byLabel: new Map(passages.map((p) => [p.label, p])),
    vectors: vectorRows(passages, vectorIndex),
    vectorIndex,
    lexical,
  };

  const spent: Record<Step, number> = { embedMs: 0, vectorMs: 0, lexicalMs: 0, fusionMs: 0, formatMs: 0 };
  const timed =
    <A extends unknown[], R>(step: Step, f: (...args: A) => R) =>
    (...args: A): R => {
      const t = performance.now();
      const out = f(...args);
      if (out instanceof Promise) return out.finally(() => (spent[step] += performance.now() - t)) as R;
      spent[step] += performance.now() - t;
      return out;
    };
  const inner = createTransformersEmbedder(e);
  const embedder = { ...inner, embedQuery: timed('embedMs', inner.embedQuery.bind(inner)) };
  vectorIndex.search = timed('vectorMs', vectorIndex.search.bind(vectorIndex));
  lexical.searchGroups = timed('lexicalMs', lexical.searchGroups.bind(lexical));

  const random = prng(99);
  const questions = Array.from({ length: o.questions }, () => {
    const p = passages[Math.floor(random() * passages.length)]!;
    return text.question(random, articles.get(p.articleId)!.text.slice(p.start, p.end));
  });
  const limits = answerLimits(config);
  const ask = async (q: string) => {
    for (const s of STEPS) spent[s] = 0;
    const t0 = performance.now();
    const question = cleanQuestion(q, limits.maxQuestionChars);
    const retrieval = await retrieve(index, embedder, question, {});
    const t1 = performance.now();
    composeResults(retrieval.candidates, retrieval.plan.words, limits);
    const t2 = performance.now();
    spent.fusionMs = t1 - t0 - spent.embedMs - spent.vectorMs - spent.lexicalMs;
    spent.formatMs = t2 - t1;
    return { total: t2 - t0, ...spent };
  };
  for (const q of questions.slice(0, 5)) await ask(q);
  const p50: number[] = [];
  const p95: number[] = [];
  const all: Array<Awaited<ReturnType<typeof ask>>> = [];
  for (let pass = 0; pass < o.passes; pass++) {
    const totals: number[] = [];
    for (const q of questions) {
      const r = await ask(q);
      totals.push(r.total);
      all.push(r);
    }
    p50.push(quantile(totals, 0.5));
    p95.push(quantile(totals, 0.95));
  }
  const split = Object.fromEntries(
    STEPS.map((s) => [
      s,
      {
        p50: round(
          quantile(
            all.map((r) => r[s]),
            0.5,
          ),
          2,
        ),
        p95: round(
          quantile(
            all.map((r) => r[s]),
            0.95,
          ),
          2,
        ),
      },
    ]),
  ) as QueryRow['split'];
  const P50 = figure(p50);
  const P95 = figure(p95);
  const memory = process.memoryUsage();
  return {
    passages: n,
    p50Ms: round(P50.median, 2),
    p95Ms: round(P95.median, 2),
    split,
    questions: questions.length,
    lexicalBuildSec: round(lexicalBuildSec, 1),
    heapMB: mb(memory.heapUsed),
    rssMB: mb(memory.rss),
    spread: { p50Ms: P50, p95Ms: P95 },
  };
}
