/**
 * Two views of one answer that a multi-outlet corpus invites. Both are pure functions of the ranked
 * results: `compare` puts each outlet's best passage side by side and names the outlets that have
 * nothing relevant; `timeline` orders passages by publication date so the story's course shows.
 */
import type { StoredArticle } from '../store/format.ts';
import type { Result } from './answer.ts';

export interface OutletView {
  /** The outlet, or null for articles whose outlet is unknown (each such article stands alone). */
  readonly outlet: string | null;
  /** What to call this source: the outlet, else the article's title. */
  readonly label: string;
  readonly best: Result;
}

export interface Comparison {
  readonly outlets: readonly OutletView[];
  /** Outlets in the corpus without a relevant passage. */
  readonly silent: readonly string[];
}

export function compareOutlets(results: readonly Result[], corpus: Iterable<Pick<StoredArticle, 'outlet'>>): Comparison {
  const views = new Map<string, OutletView>();
  for (const r of results) {
    const key = r.outlet ? `outlet:${r.outlet.toLowerCase()}` : `article:${r.articleId}`;
    if (!views.has(key)) views.set(key, { outlet: r.outlet, label: r.outlet ?? r.title ?? r.articleId, best: r });
  }
  const named = new Map<string, string>();
  for (const a of corpus) if (a.outlet) named.set(a.outlet.toLowerCase(), a.outlet);
  const silent = [...named]
    .filter(([key]) => !views.has(`outlet:${key}`))
    .map(([, name]) => name)
    .sort((a, b) => a.localeCompare(b));
  return { outlets: [...views.values()], silent };
}

export interface Timeline {
  /** Oldest first. */
  readonly dated: readonly Result[];
  /** Passages from articles without a known date, in rank order. */
  readonly undated: readonly Result[];
}

export function timeline(results: readonly Result[]): Timeline {
  const dated = results.filter((r) => r.date).sort((a, b) => a.date!.localeCompare(b.date!) || a.start - b.start);
  return { dated, undated: results.filter((r) => !r.date) };
}
