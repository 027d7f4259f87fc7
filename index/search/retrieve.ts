/**
 * Question → relevant passages: keyword and vector search fused by rank, then a relevance gate so a
 * question the coverage cannot answer gets no passages rather than the nearest unrelated ones.
 */
import type { Embedder } from '../embed/embedder.ts';
import { isQuotedeskError } from '../errors.ts';
import type { StoredArticle, StoredPassage } from '../store/format.ts';
import { passageText, type OpenIndex } from '../store/open.ts';
import { background, sampleRows, zScore } from './background.ts';
import { coverage, queryWords, termSet, type QueryWord } from './evidence.ts';
import { reciprocalRankFusion } from './fuse.ts';
import { expandQuestion } from './translate.ts';

export type Mode = 'hybrid' | 'lexical' | 'dense';

/**
 * The relevance gate. A passage counts as relevant when it contains at least half of the question's
 * rarity-weighted content words, or when its vector similarity stands out from the question's
 * similarities to the corpus at large by this many standard deviations. Neither depends on a model's
 * similarity scale; see `background.ts` and `evidence.ts`.
 */
export const MIN_COVERAGE = 0.5;
export const MIN_Z = 4;

export interface Candidate {
  readonly passage: StoredPassage;
  readonly article: StoredArticle;
  readonly text: string;
  readonly score: number;
  readonly coverage: number;
  readonly matched: readonly QueryWord[];
  /** Cosine similarity and its z-score, when vector search ran. */
  readonly similarity?: number;
  readonly z?: number;
}

export interface Retrieval {
  readonly words: readonly QueryWord[];
  readonly candidates: readonly Candidate[];
  /** Whether vector search took part. */
  readonly semantic: boolean;
  /** Why vector search did not take part, when it was wanted. */
  readonly semanticNote?: string;
  /** The question's vector, when vector search ran. */
  readonly queryVector?: Float32Array;
}

export interface RetrieveOptions {
  readonly mode?: Mode;
  /** Keep only passages of articles for which this is true. */
  readonly filter?: (article: StoredArticle) => boolean;
  /** Candidates taken from each search before fusion. */
  readonly pool?: number;
}

const samples = new WeakMap<OpenIndex, number[]>();

/**
 * Analysed terms per passage, kept because the same passages come back question after question;
 * bounded so a large index does not hold every passage's terms.
 */
const TERM_CACHE_SIZE = 20_000;
const termCache = new WeakMap<OpenIndex, Map<number, Set<string>>>();

function passageTerms(index: OpenIndex, passage: StoredPassage, text: string): Set<string> {
  let cache = termCache.get(index);
  if (!cache) termCache.set(index, (cache = new Map()));
  let terms = cache.get(passage.label);
  if (!terms) {
    if (cache.size >= TERM_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    terms = termSet(passage.heading ? `${passage.heading} ${text}` : text);
    cache.set(passage.label, terms);
  }
  return terms;
}

async function denseHits(index: OpenIndex, embedder: Embedder, question: string, pool: number, accept: (label: number) => boolean) {
  const query = await embedder.embedQuery(question);
  let rows = samples.get(index);
  if (!rows) samples.set(index, (rows = sampleRows(index.passages.length)));
  const bg = background(query, index.vectors, rows);
  const hits = index.vectorIndex!.search(query, pool, accept);
  return { hits, bg, query };
}

export async function retrieve(
  index: OpenIndex,
  embedder: Embedder | undefined,
  question: string,
  options: RetrieveOptions = {},
): Promise<Retrieval> {
  const mode = options.mode ?? 'hybrid';
  const pool = options.pool ?? 50;
  const accept = (label: number) => {
    const p = index.byLabel.get(label);
    return !!p && (!options.filter || options.filter(index.articles.get(p.articleId)!));
  };
  const words = queryWords(question, (t) => index.lexical.idf(t), (t) => index.lexical.has(t));

  const lexical = mode === 'dense' ? [] : index.lexical.search(expandQuestion(question), pool, options.filter && accept).map((h) => h.label);

  let semanticNote: string | undefined;
  let dense: Awaited<ReturnType<typeof denseHits>> | undefined;
  if (mode !== 'lexical') {
    if (!index.manifest.dense) semanticNote = 'Semantic search is off: the index was built without an embedding model (keyword search only).';
    else if (!embedder) semanticNote = 'Semantic search is off (SEMANTIC_SEARCH=false); keyword search only.';
    else {
      try {
        dense = await denseHits(index, embedder, question, pool, accept);
      } catch (err) {
        if (!isQuotedeskError(err, 'MODEL_UNAVAILABLE')) throw err;
        semanticNote = `Semantic search is off (keyword search only): ${(err.message.split('\n')[0] ?? '').replace(/^quotedesk: /, '')}`;
      }
    }
  }

  const similarity = new Map(dense?.hits.map((h) => [h.label, h.similarity]));
  const denseLabels = dense?.hits.map((h) => h.label) ?? [];
  const pooled = new Set([...lexical, ...denseLabels]);
  const evidence = [...pooled].map((label) => {
    const passage = index.byLabel.get(label)!;
    const text = passageText(index, passage);
    return { label, passage, text, cover: coverage(words, passageTerms(index, passage, text)) };
  });
  // A third ranking by how much of the question a passage contains: it lets a passage holding every
  // rare word of the question win over near misses that either search alone ranks high.
  const lexicalRank = new Map(lexical.map((label, i) => [label, i]));
  const byCoverage = mode === 'dense' ? [] : evidence
    .filter((e) => e.cover.share > 0)
    .sort((a, b) => b.cover.share - a.cover.share || (lexicalRank.get(a.label) ?? pool) - (lexicalRank.get(b.label) ?? pool))
    .map((e) => e.label);
  const fused = reciprocalRankFusion([lexical, denseLabels, byCoverage]);
  const candidates: Candidate[] = [];
  for (const { label, passage, text, cover } of evidence) {
    const sim = similarity.get(label);
    const z = sim !== undefined && dense ? zScore(sim, dense.bg) : undefined;
    if (cover.share < MIN_COVERAGE && (z === undefined || z < MIN_Z)) continue;
    candidates.push({
      passage,
      article: index.articles.get(passage.articleId)!,
      text,
      score: fused.get(label) ?? 0,
      coverage: cover.share,
      matched: cover.matched,
      ...(sim !== undefined ? { similarity: sim, z } : {}),
    });
  }
  candidates.sort((a, b) => b.score - a.score || b.coverage - a.coverage);
  return { words, candidates, semantic: dense !== undefined, ...(semanticNote ? { semanticNote } : {}), ...(dense ? { queryVector: dense.query } : {}) };
}
