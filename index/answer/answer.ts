/**
 * A question → the answer quotedesk shows: relevant passages, at most a few per article, syndicated
 * copies folded into one result, each with its marked quote and citation. Everything shown is a slice
 * of an article's stored text.
 */
import type { Embedder } from '../embed/embedder.ts';
import { userError } from '../errors.ts';
import { normalizeQuestion } from '../question.ts';
import type { StoredArticle } from '../store/format.ts';
import type { OpenIndex } from '../store/open.ts';
import { matchedForms, matches, termSet } from '../search/evidence.ts';
import type { Levers, PlanWord } from '../search/plan.ts';
import type { Gate } from '../search/relevance.ts';
import { POOL, retrieve, type Candidate, type Mode } from '../search/retrieve.ts';
import { formatCitation } from './cite.ts';
import { selectQuote } from './quote.ts';
import { sentenceRanges } from '../passages/sentences.ts';

export interface AskRequest {
  readonly question: string;
  readonly outlet?: string;
  /** Inclusive ISO dates (YYYY-MM-DD). */
  readonly since?: string;
  readonly until?: string;
  readonly mode?: Mode;
  /** Overrides parts of the relevance gate, for measuring the trade-off (`npm run eval`). */
  readonly gate?: Partial<Gate>;
  /** Switches lexical levers off, for measuring each on its own. */
  readonly levers?: Levers;
}

export interface Source {
  readonly articleId: string;
  readonly title: string | null;
  readonly outlet: string | null;
  readonly author: string | null;
  readonly date: string | null;
  readonly url: string | null;
  readonly paragraph: number;
  readonly citation: string;
}

export interface Result extends Source {
  readonly rank: number;
  /** Fused rank score (higher is better); comparable within one answer only. */
  readonly score: number;
  /** The words of the passage (and its heading) that match the question, as they stand there. */
  readonly matchedWords: readonly string[];
  /** The question's words that the passage (and its heading) holds, as the user wrote them (out of `Answer.keyWords`). */
  readonly matchedKeyWords: readonly string[];
  /** Relevance evidence from words: share of the question's weighted words the passage holds, 0…1. */
  readonly coverage: number;
  readonly heading: string | null;
  /** Full passage, verbatim. */
  readonly passage: string;
  /** The marked sentences, verbatim. */
  readonly quote: string;
  /** Passage offsets in the article text. */
  readonly start: number;
  readonly end: number;
  /** Quote offsets in the article text. */
  readonly quoteStart: number;
  readonly quoteEnd: number;
  /** Other articles carrying (nearly) the same passage, e.g. agency copy. */
  readonly alsoIn: readonly Source[];
}

export interface Answer {
  readonly question: string;
  readonly results: readonly Result[];
  /**
   * When no passage is relevant but the question's topic is in the coverage: the nearest passages, to be
   * shown labelled as possibly not answering the question. Empty otherwise.
   */
  readonly closest: readonly Result[];
  /** The question's content words, as written (what relevance is measured against). */
  readonly keyWords: readonly string[];
  readonly note?: string;
  readonly semantic: boolean;
}

export interface AnswerLimits {
  readonly maxQuestionChars: number;
  readonly maxPerArticle: number;
  /** Results kept for paging. */
  readonly maxResults?: number;
}

/** Zero-width and control characters carry nothing searchable and break tokenisation. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

export function cleanQuestion(question: string, maxChars: number): string {
  // Normalised first (NFKC, invisible characters out of words), so every entry point asks the same question.
  const cleaned = normalizeQuestion(question).replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim();
  if (cleaned === '') throw userError('QUESTION_EMPTY', 'Please ask a question: it is empty.');
  if (cleaned.length > maxChars) {
    throw userError('QUESTION_TOO_LONG', `Your question is ${cleaned.length} characters long; please keep it under ${maxChars}.`);
  }
  return cleaned;
}

function parseDay(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) {
    throw userError('BAD_OPTION', `${name} must be a date like 2025-08-17, not "${value}".`);
  }
  return v;
}

export function articleFilter(request: Pick<AskRequest, 'outlet' | 'since' | 'until'>): ((a: StoredArticle) => boolean) | undefined {
  const since = parseDay(request.since, 'since');
  const until = parseDay(request.until, 'until');
  const outlet = request.outlet?.trim().toLowerCase() || undefined;
  if (since && until && since > until) throw userError('BAD_OPTION', `since (${since}) is after until (${until}).`);
  if (!since && !until && !outlet) return undefined;
  return (a) => (!outlet || a.outlet?.toLowerCase() === outlet) && (!since || (!!a.date && a.date.slice(0, 10) >= since)) && (!until || (!!a.date && a.date.slice(0, 10) <= until));
}

function source(c: Candidate): Source {
  const a = c.article;
  return {
    articleId: a.id,
    title: a.title ?? null,
    outlet: a.outlet ?? null,
    author: a.author ?? null,
    date: a.date ?? null,
    url: a.url ?? null,
    paragraph: c.passage.paragraph,
    citation: formatCitation(a, c.passage.paragraph),
  };
}

const shingles = (text: string) => {
  const w = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return new Set(w.slice(0, Math.max(w.length - 2, 1)).map((_, i) => w.slice(i, i + 3).join(' ')));
};

/** Jaccard overlap of word trigrams: agency copy reprinted with small edits stays above this. */
export const DUPLICATE_OVERLAP = 0.6;

export function isNearDuplicate(a: string, b: string): boolean {
  const sa = shingles(a);
  const sb = shingles(b);
  let common = 0;
  for (const s of sa) if (sb.has(s)) common++;
  return common / (sa.size + sb.size - common) >= DUPLICATE_OVERLAP;
}

/**
 * The evidence a reader can check in the quoted passage itself: the question words its heading and text hold,
 * and their forms there. Words only its article's title holds count for relevance, but are not listed.
 */
function ownEvidence(c: Candidate): Pick<Result, 'matchedWords' | 'matchedKeyWords'> {
  const own = c.passage.heading ? `${c.passage.heading}\n${c.text}` : c.text;
  const terms = termSet(own);
  const words = c.matched.filter((w) => matches(w, terms));
  return { matchedWords: words.length ? matchedForms(words, own) : [], matchedKeyWords: words.map((w) => w.word) };
}

/** Ranked, deduplicated, per-article-capped results: a pure function of the retrieval candidates. */
export function composeResults(
  candidates: readonly Candidate[],
  words: readonly PlanWord[],
  limits: AnswerLimits,
  sentenceSimilarities: ReadonlyMap<Candidate, readonly number[]> = new Map(),
): Result[] {
  const kept: Array<{ c: Candidate; alsoIn: Source[] }> = [];
  const perArticle = new Map<string, number>();
  for (const c of candidates) {
    const twin = kept.find((k) => k.c.article.id !== c.article.id && isNearDuplicate(k.c.text, c.text));
    if (twin) {
      if (!twin.alsoIn.some((s) => s.articleId === c.article.id)) twin.alsoIn.push(source(c));
      continue;
    }
    const n = perArticle.get(c.article.id) ?? 0;
    if (n >= limits.maxPerArticle) continue;
    perArticle.set(c.article.id, n + 1);
    kept.push({ c, alsoIn: [] });
    if (kept.length >= (limits.maxResults ?? POOL)) break;
  }
  return kept.map(({ c, alsoIn }, i) => {
    const quote = selectQuote(c.text, words, sentenceSimilarities.get(c));
    return {
      rank: i + 1,
      score: Number(c.score.toFixed(6)),
      ...source(c),
      ...ownEvidence(c),
      coverage: Number(c.confidence.toFixed(3)),
      heading: c.passage.heading ?? null,
      passage: c.text,
      quote: c.text.slice(quote.start, quote.end),
      start: c.passage.start,
      end: c.passage.end,
      quoteStart: c.passage.start + quote.start,
      quoteEnd: c.passage.start + quote.end,
      alsoIn,
    };
  });
}

/**
 * For passages found by meaning alone (no word of the question in them), how close each sentence is to
 * the question, so the marked quote is the sentence that answers rather than simply the first one.
 */
async function sentenceSimilarities(embedder: Embedder, query: Float32Array, candidates: readonly Candidate[], max: number) {
  const wordless = candidates.slice(0, max).filter((c) => c.matched.length === 0);
  const sentences = wordless.map((c) => sentenceRanges(c.text).map(([s, e]) => c.text.slice(s, e)));
  if (sentences.every((list) => list.length < 2)) return undefined;
  const vectors = await embedder.embedPassages(sentences.flat());
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
  const result = new Map<Candidate, number[]>();
  let next = 0;
  wordless.forEach((c, i) => {
    const count = sentences[i]!.length;
    result.set(
      c,
      vectors.slice(next, next + count).map((v) => dot(query, v)),
    );
    next += count;
  });
  return result;
}

export const NO_ANSWER = 'No relevant coverage found: no passage in the indexed articles matches enough of the question.';
export const CLOSEST_NOTE = 'No passage answers this confidently. The closest passages are shown below; they may not answer your question.';

export async function answer(index: OpenIndex, embedder: Embedder | undefined, request: AskRequest, limits: AnswerLimits): Promise<Answer> {
  const question = cleanQuestion(request.question, limits.maxQuestionChars);
  const filter = articleFilter(request);
  const retrieval = await retrieve(index, embedder, question, { mode: request.mode, filter, gate: request.gate, levers: request.levers });
  const words = retrieval.plan.words;
  const similarities = retrieval.queryVector && embedder ? await sentenceSimilarities(embedder, retrieval.queryVector, retrieval.candidates, limits.maxResults ?? POOL) : undefined;
  const results = composeResults(retrieval.candidates, words, limits, similarities);
  const closest = results.length === 0 ? composeResults(retrieval.closest, words, limits) : [];
  const noAnswer = filter ? `${NO_ANSWER.slice(0, -1)} within the chosen outlet and dates.` : NO_ANSWER;
  const notes = [results.length > 0 ? undefined : closest.length > 0 ? CLOSEST_NOTE : noAnswer, retrieval.semanticNote].filter((n): n is string => !!n);
  return {
    question,
    results,
    closest,
    keyWords: words.map((w) => w.word),
    semantic: retrieval.semantic,
    ...(notes.length ? { note: notes.join(' ') } : {}),
  };
}
