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

/** What is known of the previous version's live passages. */
export interface OldPassages {
  /** An article's passages; none when the old articles are lost (then passages serve only by text hash). */
  readonly ofArticle: (articleId: string) => readonly StoredPassage[];
  /** The label of a passage with each of these embedded-text hashes, from any article, where there is one. */
  readonly byHash: (hashes: ReadonlySet<string>) => Promise<ReadonlyMap<string, number>>;
  readonly nextLabel: number;
}

export interface Plan {
  /** Of the articles planned, in their order. */
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
export async function planPassages(articles: readonly Article[], old: OldPassages | undefined, dirty: (article: Article) => boolean): Promise<Plan> {
  let nextLabel = old?.nextLabel ?? 0;
  const fresh = new Map<number, string>();
  const passages: StoredPassage[] = [];
  const byId = new Map(articles.map((a) => [a.id, a]));
  const reuse = new Map<number, number>();
  const keptLabels = new Set<number>();
  // New passages without an old one of their article: their vector may still be found by text hash.
  const wanted = new Map<number, string>();
  const text = (i: number) => {
    const p = passages[i]!;
    const article = byId.get(p.articleId)!;
    return fresh.get(i) ?? embeddingText(article, { text: article.text.slice(p.start, p.end), heading: p.heading });
  };
  for (const article of articles) {
    if (!dirty(article)) {
      for (const p of old?.ofArticle(article.id) ?? []) {
        reuse.set(passages.length, p.label);
        keptLabels.add(p.label);
        passages.push(p);
      }
      continue;
    }
    const unclaimed = new Map((old?.ofArticle(article.id) ?? []).map((p) => [p.textHash, p]));
    for (const passage of splitArticle(article)) {
      const embedded = embeddingText(article, passage);
      const textHash = sha256(embedded);
      const same = unclaimed.get(textHash);
      unclaimed.delete(textHash);
      const { text: _, ...rest } = passage;
      const label = same ? same.label : nextLabel++;
      if (same) {
        keptLabels.add(label);
        reuse.set(passages.length, same.label);
      } else if (old) wanted.set(passages.length, textHash);
      fresh.set(passages.length, embedded);
      passages.push({ ...rest, label, textHash });
    }
  }
  // Looked up once for all of them: finding a hash means scanning every segment's table.
  const donors = wanted.size > 0 && old ? await old.byHash(new Set(wanted.values())) : new Map<string, number>();
  for (const [i, hash] of wanted) {
    const label = donors.get(hash);
    if (label !== undefined) reuse.set(i, label);
  }
  return { passages, reuse, text, keptLabels, nextLabel };
}
