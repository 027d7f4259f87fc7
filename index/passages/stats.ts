/**
 * Passages per article, so that a wrongly split corpus is visible at a glance: which articles gave no
 * passage at all (and why), and which gave the fewest and the most.
 */
import type { Article } from '../corpus/article.ts';
import { splitBlocks } from '../corpus/clean.ts';

export interface ArticleCount {
  readonly file: string;
  readonly id: string;
  readonly passages: number;
}

export interface EmptyArticle {
  readonly file: string;
  readonly id: string;
  readonly reason: string;
}

export interface PassageStats {
  /** Articles that are in the index without a single passage: nothing of them can be found. */
  readonly empty: readonly EmptyArticle[];
  /** undefined for an empty corpus. */
  readonly fewest?: ArticleCount;
  readonly most?: ArticleCount;
}

/** What the splitter saw in an article that gave no passage, e.g. "only 2 headings and 3 boilerplate blocks (navigation)". */
export function whyNoPassages(article: Article): string {
  const blocks = splitBlocks(article);
  if (blocks.length === 0) return 'no text blocks';
  const count = (kind: string) => blocks.filter((b) => b.kind === kind).length;
  const reasons = [...new Set(blocks.flatMap((b) => (b.reason ? [b.reason] : [])))];
  const parts = [
    count('header') && `${count('header')} header`,
    count('heading') && `${count('heading')} heading(s)`,
    count('boilerplate') && `${count('boilerplate')} block(s) taken for boilerplate (${reasons.join(', ')})`,
  ].filter(Boolean);
  return `no body paragraph: ${parts.join(', ') || `${blocks.length} block(s)`}`;
}

export function passageStats(articles: readonly Article[], passages: Iterable<{ readonly articleId: string }>): PassageStats {
  const counts = new Map<string, number>();
  for (const p of passages) counts.set(p.articleId, (counts.get(p.articleId) ?? 0) + 1);
  return passageStatsOf(articles, counts);
}

/**
 * The same from passage counts by article id. `explain`: the articles whose emptiness is reported (finding
 * why reads the article's text; a reindex reports only the articles it read).
 */
export function passageStatsOf(articles: readonly Article[], counts: ReadonlyMap<string, number>, explain: (a: Article) => boolean = () => true): PassageStats {
  let fewest: ArticleCount | undefined;
  let most: ArticleCount | undefined;
  const empty: EmptyArticle[] = [];
  for (const a of articles) {
    const n = counts.get(a.id) ?? 0;
    const row = { file: a.file, id: a.id, passages: n };
    if (!fewest || n < fewest.passages) fewest = row;
    if (!most || n > most.passages) most = row;
    if (n === 0 && explain(a)) empty.push({ file: a.file, id: a.id, reason: whyNoPassages(a) });
  }
  return { empty, ...(fewest ? { fewest } : {}), ...(most ? { most } : {}) };
}
