/**
 * Question → relevant passages: keyword and vector search fused by rank, then a relevance gate so a
 * question the coverage cannot answer gets no passages rather than the nearest unrelated ones.
 */
import type { Embedder } from '../embed/embedder.ts';
import { isQuotedeskError, PREFIX } from '../errors.ts';
import type { StoredArticle, StoredPassage } from '../store/format.ts';
import { passageText, type OpenIndex } from '../store/open.ts';
import { background, sampleRows, zScore } from './background.ts';
import { hasQuantity } from './answer-type.ts';
import { termSet } from './evidence.ts';
import { reciprocalRankFusion } from './fuse.ts';
import { planQuery, searchGroups, type Levers, type PlanWord, type QueryPlan } from './plan.ts';
import { confidence, GATE, relevanceWeights, type Gate, type PassageTerms } from './relevance.ts';
import { passageContext } from '../passages/passage.ts';
import { holdersFrom, withRoleHolders, type HolderLookup } from './roles.ts';

export type Mode = 'hybrid' | 'lexical' | 'dense';

export const MODES: readonly Mode[] = ['hybrid', 'lexical', 'dense'];

/**
 * The relevance gate: a passage is relevant when the question is familiar to the coverage and the passage's
 * confidence — the share of the question's weighted content words it holds, in its text or its article's
 * title and heading — reaches GATE.minConfidence (see relevance.ts), or when its vector similarity stands out
 * from the question's similarities to the corpus at large by MIN_Z standard deviations. Neither depends on a
 * model's similarity scale.
 */
export const MIN_Z = 4;
/** Vector hits this far above the background take part in the fusion. */
export const DENSE_VOTE_Z = 3;
/** Candidates taken from each search before fusion. */
export const POOL = 50;

export interface Candidate {
  readonly passage: StoredPassage;
  readonly article: StoredArticle;
  readonly text: string;
  readonly score: number;
  /** Relevance evidence from words, 0…1; see relevance.ts. */
  readonly confidence: number;
  readonly matched: readonly PlanWord[];
  /** Cosine similarity and its z-score, when vector search ran. */
  readonly similarity?: number;
  readonly z?: number;
}

export interface Retrieval {
  readonly plan: QueryPlan;
  /** How much of the question the coverage speaks about at all, 0…1; see relevance.ts. */
  readonly familiarity: number;
  /** Passages that pass the relevance gate, best first. */
  readonly candidates: readonly Candidate[];
  /** The best of the rest, best first: shown, labelled, when nothing passes but the topic is covered. */
  readonly closest: readonly Candidate[];
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
  /** Overrides parts of the relevance gate, for measuring the trade-off (`npm run eval`). */
  readonly gate?: Partial<Gate>;
  /** Switches lexical levers off, for measuring each on its own (`npm run eval -- --without`). */
  readonly levers?: Levers;
}

const samples = new WeakMap<OpenIndex, number[]>();

/** A memo per index, bounded (the oldest entry goes first) so that a large index does not keep all of it. */
function perIndexMemo<K, V>(limit: number): (index: OpenIndex, key: K, make: () => V) => V {
  const memos = new WeakMap<OpenIndex, Map<K, V>>();
  return (index, key, make) => {
    let memo = memos.get(index);
    if (!memo) memos.set(index, (memo = new Map<K, V>()));
    let value = memo.get(key);
    if (value === undefined) {
      if (memo.size >= limit) memo.delete(memo.keys().next().value!);
      memo.set(key, (value = make()));
    }
    return value;
  };
}

/**
 * Analysed terms per passage (with its context), kept because the same passages come back question after
 * question; bounded so a large index does not hold every passage's terms.
 */
const TERM_CACHE_SIZE = 20_000;
const termMemo = perIndexMemo<number, PassageTerms>(TERM_CACHE_SIZE);

function passageTerms(index: OpenIndex, passage: StoredPassage, text: string): PassageTerms {
  return termMemo(index, passage.label, () => {
    const context = passageContext(index.articles.get(passage.articleId)?.title, passage.heading);
    return { text: termSet(text), ...(context ? { context: termSet(context) } : {}) };
  });
}

/**
 * Role holders per index (roles.ts), remembered per role: reading them costs a keyword search and twenty
 * passages, and questions ask by the same roles again and again. Bounded like the term cache.
 */
const ROLE_CACHE_SIZE = 5_000;
const roleMemo = perIndexMemo<string, ReadonlyMap<string, number>>(ROLE_CACHE_SIZE);

function roleLookup(index: OpenIndex): HolderLookup {
  const read = holdersFrom({
    textsWith: (terms, limit) => index.lexical.searchGroups([terms.map((term) => ({ term, weight: 1 }))], limit).map((h) => passageText(index, index.byLabel.get(h.label)!)),
  });
  return (terms) => roleMemo(index, terms.join(' '), () => read(terms));
}

async function denseHits(index: OpenIndex, embedder: Embedder, question: string, pool: number, accept: (label: number) => boolean) {
  const query = await embedder.embedQuery(question);
  let rows = samples.get(index);
  if (!rows) samples.set(index, (rows = sampleRows(index.passages.length)));
  const bg = background(query, index.vectors, rows);
  const hits = index.vectorIndex!.search(query, pool, accept);
  return { hits, bg, query };
}

/**
 * Best first: by fused score, then by keyword rank, then by confidence. Fused scores tie whenever two
 * rankings swap a pair; keyword search, which weighs how often and where a word stands, then decides before
 * the coarser confidence (measured with `npm run eval`: it wins more of those ties).
 */
export function candidateOrder(lexicalRank: ReadonlyMap<number, number>, unranked: number) {
  const rank = (c: Candidate) => lexicalRank.get(c.passage.label) ?? unranked;
  return (a: Candidate, b: Candidate) => b.score - a.score || rank(a) - rank(b) || b.confidence - a.confidence;
}

/** Passages shown as "closest" when none is relevant. */
export const CLOSEST = 3;

export async function retrieve(index: OpenIndex, embedder: Embedder | undefined, question: string, options: RetrieveOptions = {}): Promise<Retrieval> {
  const mode = options.mode ?? 'hybrid';
  const pool = options.pool ?? POOL;
  const gate = { ...GATE, ...options.gate };
  const accept = (label: number) => {
    const p = index.byLabel.get(label);
    return !!p && (!options.filter || options.filter(index.articles.get(p.articleId)!));
  };
  const planned = planQuery(question, index.lexical, options.levers);
  const plan = options.levers?.roles === false ? planned : withRoleHolders(planned, roleLookup(index));
  const weights = relevanceWeights(plan, gate);
  const onTopic = weights.familiarity >= gate.minFamiliarity;

  const lexical = mode === 'dense' ? [] : index.lexical.searchGroups(searchGroups(plan), pool, options.filter && accept).map((h) => h.label);

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
        // The model's own message (what was tried, what to set), without the prefix meant for logs.
        semanticNote = `Semantic search is off (keyword search only): ${(err.message.split('\n')[0] ?? '').slice(PREFIX.length)}`;
      }
    }
  }

  const similarity = new Map(dense?.hits.map((h) => [h.label, h.similarity]));
  const denseLabels = dense?.hits.map((h) => h.label) ?? [];
  // Only vector hits that stand out from the question's background vote in the hybrid fusion: below that,
  // the vector ranking is noise that would push keyword answers down (a weak or unsuited model).
  const denseVotes = mode === 'dense' || !dense ? denseLabels : dense.hits.filter((h) => zScore(h.similarity, dense.bg) >= DENSE_VOTE_Z).map((h) => h.label);
  const pooled = new Set([...lexical, ...denseLabels]);
  const evidence = [...pooled].map((label) => {
    const passage = index.byLabel.get(label)!;
    const text = passageText(index, passage);
    return { label, passage, text, ...confidence(weights, passageTerms(index, passage, text)) };
  });
  // A third ranking by how much of the question a passage contains: it lets a passage holding every
  // rare word of the question win over near misses that either search alone ranks high.
  const lexicalRank = new Map(lexical.map((label, i) => [label, i]));
  const byConfidence =
    mode === 'dense'
      ? []
      : evidence
          .filter((e) => e.confidence > 0)
          .sort((a, b) => b.confidence - a.confidence || (lexicalRank.get(a.label) ?? pool) - (lexicalRank.get(b.label) ?? pool))
          .map((e) => e.label);
  const fused = reciprocalRankFusion([lexical, denseVotes, byConfidence]);
  const relevant: Candidate[] = [];
  const rest: Candidate[] = [];
  for (const e of evidence) {
    const sim = similarity.get(e.label);
    const z = sim !== undefined && dense ? zScore(sim, dense.bg) : undefined;
    const candidate: Candidate = {
      passage: e.passage,
      article: index.articles.get(e.passage.articleId)!,
      text: e.text,
      score: fused.get(e.label) ?? 0,
      confidence: e.confidence,
      matched: e.matched,
      ...(sim !== undefined ? { similarity: sim, z } : {}),
    };
    const answers = plan.expects !== 'quantity' || hasQuantity(e.text);
    (answers && ((onTopic && e.confidence >= gate.minConfidence) || (z !== undefined && z >= MIN_Z)) ? relevant : rest).push(candidate);
  }
  const order = candidateOrder(lexicalRank, pool);
  // Once one passage answers, others that hold part of the question stand beside it: the best answer is
  // often a paraphrase that shares fewer words than a passage merely about the same thing.
  if (relevant.length > 0 && onTopic) {
    const bar = gate.supporting * Math.max(...relevant.map((c) => c.confidence));
    for (let i = rest.length - 1; i >= 0; i--) {
      const c = rest[i]!;
      if (c.confidence >= bar && (plan.expects !== 'quantity' || hasQuantity(c.text))) relevant.push(...rest.splice(i, 1));
    }
  }
  relevant.sort(order);
  const familiarity = weights.familiarity;
  const closest =
    relevant.length === 0 && onTopic
      ? rest
          .filter((c) => c.confidence > 0)
          .sort(order)
          .slice(0, CLOSEST)
      : [];
  return {
    plan,
    familiarity,
    candidates: relevant,
    closest,
    semantic: dense !== undefined,
    ...(semanticNote ? { semanticNote } : {}),
    ...(dense ? { queryVector: dense.query } : {}),
  };
}
