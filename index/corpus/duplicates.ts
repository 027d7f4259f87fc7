/**
 * The same article arriving twice — as a saved page and as a feed item, or twice in an export — is
 * indexed once: same canonical URL, or the same text. The copy with the most metadata is kept, and of
 * equally rich ones the longest (a saved page is usually more complete than its feed item).
 */
import type { Article } from './article.ts';
import { sha256 } from './item.ts';
import type { SkippedFile } from './read.ts';

/** `https://www.x.example/a/?utm_source=y#top` and `http://x.example/a` are one address. */
export function urlKey(url: string): string {
  try {
    const u = new URL(url);
    for (const key of [...u.searchParams.keys()]) if (/^(?:utm_|fbclid|gclid|mc_)/i.test(key)) u.searchParams.delete(key);
    const query = u.searchParams.toString();
    return `${u.hostname.replace(/^www\./, '').toLowerCase()}${u.pathname.replace(/\/+$/, '')}${query ? `?${query}` : ''}`;
  } catch {
    return url;
  }
}

/**
 * Letters and digits only: a page and a feed render the same article with different white space and quotes.
 * An article read from the index brings its key along, so only new articles' texts are read for it.
 */
export const textKeyOf = (a: Pick<Article, 'text' | 'textKey'>) => a.textKey ?? sha256(a.text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim());

const richness = (a: Article) => [a.title, a.outlet, a.author, a.date, a.url].filter((v) => v !== undefined).length;

const describe = (a: Article) => (a.title && a.file.match(/\.(?:jsonl|xml|rss|atom)$/i) ? `${a.file} ("${a.title}")` : a.file);

export function foldDuplicates(articles: readonly Article[]): { kept: Article[]; dropped: SkippedFile[] } {
  const byKey = new Map<string, Article>();
  const winner = new Map<Article, Article>();
  const why = new Map<Article, string>();
  const find = (a: Article): Article => {
    let w = a;
    while (winner.has(w)) w = winner.get(w)!;
    return w;
  };
  for (const article of articles) {
    const keys = [...(article.url ? [`url:${urlKey(article.url)}`] : []), `text:${textKeyOf(article)}`];
    for (const key of keys) {
      const seen = byKey.get(key);
      const other = seen && find(seen);
      const self = find(article);
      if (!other || other === self) continue;
      const better = richness(self) - richness(other) || self.text.length - other.text.length;
      const [keep, drop] = better > 0 ? [self, other] : [other, self];
      winner.set(drop, keep);
      why.set(drop, key.startsWith('url:') ? 'same URL' : 'same text');
    }
    for (const key of keys) if (!byKey.has(key)) byKey.set(key, article);
  }
  // Named after the copy finally kept, which may have won over the first one found.
  const dropped = articles.filter((a) => winner.has(a)).map((drop): SkippedFile => ({
    file: drop.file,
    reason: `${drop.file === describe(drop) ? '' : `"${drop.title}": `}same article as ${describe(find(drop))} (${why.get(drop)}); indexed once`,
  }));
  return { kept: articles.filter((a) => !winner.has(a)), dropped };
}

/**
 * foldDuplicates when only the articles `isNew` accepts can be copies of others (the rest were folded when
 * they were read): over those and the others that may share a key with one of them. The others' text keys
 * are stored; their URLs are normalised only if they contain the last path segment of a new one's, since
 * normalising every URL of a large archive is most of the cost.
 */
export function foldNewDuplicates(articles: readonly Article[], isNew: (a: Article) => boolean): { kept: Article[]; dropped: SkippedFile[] } {
  const fresh = articles.filter(isNew);
  const textKeys = new Set(fresh.map(textKeyOf));
  const urlKeys = new Set(fresh.flatMap((a) => (a.url ? [urlKey(a.url)] : [])));
  const tails = [...urlKeys].map((k) => k.split('?')[0]!.split('/').pop()!);
  const decoded = tails.map((t) => {
    try {
      return decodeURIComponent(t);
    } catch {
      return t;
    }
  });
  const mayShareUrl = (url: string) => tails.some((t, i) => t === '' || url.includes(t) || url.includes(decoded[i]!)) && urlKeys.has(urlKey(url));
  const candidates = articles.filter((a) => isNew(a) || textKeys.has(textKeyOf(a)) || (!!a.url && mayShareUrl(a.url)));
  const { kept, dropped } = foldDuplicates(candidates);
  const stays = new Set(kept);
  const considered = new Set(candidates);
  return { kept: articles.filter((a) => !considered.has(a) || stays.has(a)), dropped };
}
