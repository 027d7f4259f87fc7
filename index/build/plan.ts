/**
 * Change planning: which passages the new version has, which of them keep their label (unchanged in the
 * vector and keyword indexes) and which can take an old vector because their embedded text is unchanged.
 */
import { createHash } from 'node:crypto';
import type { Article } from '../corpus/article.ts';
import { searchableText, type Passage } from '../passages/passage.ts';
import { splitArticle } from '../passages/split.ts';
import type { StoredPassage } from '../store/format.ts';

/**
 * The text a passage's vector is made from, and whose hash decides whether an old vector can be reused.
 * The passage with its context (the article title, the heading): a change here re-embeds every passage once.
 */
export function embeddingText(article: Pick<Article, 'title'>, passage: Pick<Passage, 'text' | 'heading'>): string {
  return searchableText(passage, article.title);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What is known of the previous version's passages. */
export interface OldPassages {
  readonly passages: readonly StoredPassage[];
  /** False when their articles are lost: then they serve only as vector donors, by text hash. */
  readonly byArticle: boolean;
  readonly nextLabel: number;
}

export interface Plan {
  readonly passages: StoredPassage[];
  /** new passage index → old passage label whose vector it reuses */
  readonly reuse: Map<number, number>;
  /** Embedding text of each passage; computed only when needed, since most passages keep their vector. */
  readonly text: (i: number) => string;
  /** labels present in both the old and the new version (untouched in the vector and keyword indexes) */
  readonly keptLabels: Set<number>;
  readonly nextLabel: number;
}

/** @param dirty articles to split again; the others keep their passages from `old`. */
export function planPassages(articles: readonly Article[], old: OldPassages | undefined, dirty: (article: Article) => boolean): Plan {
  const oldByArticle = new Map<string, StoredPassage[]>();
  for (const p of old?.byArticle ? old.passages : []) {
    const list = oldByArticle.get(p.articleId);
    if (list) list.push(p);
    else oldByArticle.set(p.articleId, [p]);
  }
  let byHash: Map<string, StoredPassage> | undefined;
  // Built on first need (a dirty article): reading every hash costs time proportional to the corpus.
  const oldByHash = () => (byHash ??= new Map((old?.passages ?? []).map((p) => [p.textHash, p])));
  let nextLabel = old?.nextLabel ?? 0;
  const fresh = new Map<number, string>();
  const passages: StoredPassage[] = [];
  const byId = new Map(articles.map((a) => [a.id, a]));
  const reuse = new Map<number, number>();
  const keptLabels = new Set<number>();
  const text = (i: number) => {
    const p = passages[i]!;
    const article = byId.get(p.articleId)!;
    return fresh.get(i) ?? embeddingText(article, { text: article.text.slice(p.start, p.end), heading: p.heading });
  };
  for (const article of articles) {
    if (!dirty(article)) {
      for (const p of oldByArticle.get(article.id) ?? []) {
        reuse.set(passages.length, p.label);
        keptLabels.add(p.label);
        passages.push(p);
      }
      continue;
    }
    const unclaimed = new Map((oldByArticle.get(article.id) ?? []).map((p) => [p.textHash, p]));
    for (const passage of splitArticle(article)) {
      const embedded = embeddingText(article, passage);
      const textHash = sha256(embedded);
      const same = unclaimed.get(textHash);
      unclaimed.delete(textHash);
      const { text: _, ...rest } = passage;
      const label = same ? same.label : nextLabel++;
      const donor = same ?? oldByHash().get(textHash);
      if (same) keptLabels.add(label);
      if (donor) reuse.set(passages.length, donor.label);
      fresh.set(passages.length, embedded);
      passages.push({ ...rest, label, textHash });
    }
  }
  return { passages, reuse, text, keptLabels, nextLabel };
}
