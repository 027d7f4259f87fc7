/**
 * JSON Lines exports: one article per line, as scrapers (news-please, Scrapy feeds, …) write them. The
 * field names below are read, first match wins; anything else on a line is ignored.
 */
import type { Article } from './article.ts';
import { isoDateTime, languageCode } from './html.ts';
import { itemArticle, looksLikeHtml } from './item.ts';
import { authorNames } from './names.ts';
import type { SkippedFile } from './read.ts';

/** Field → the names it may have in an export. Documented in README "Adding articles". */
export const JSONL_FIELDS = {
  title: ['title', 'headline'],
  text: ['text', 'maintext', 'content', 'body', 'article_text'],
  date: ['date', 'date_publish', 'published', 'published_at', 'datePublished', 'pubDate'],
  url: ['url', 'link', 'canonical_url'],
  outlet: ['outlet', 'source', 'source_domain', 'publisher', 'site_name'],
  author: ['author', 'authors', 'byline'],
  language: ['language', 'lang'],
} as const;

const pick = (row: Record<string, unknown>, names: readonly string[]) => names.map((n) => row[n]).find((v) => v !== undefined && v !== null && v !== '');
const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.replace(/\s+/g, ' ').trim() : undefined);
const outletName = (v: unknown) => str(v) ?? (v && typeof v === 'object' ? str((v as { name?: unknown }).name) : undefined);

export function parseJsonl(file: string, raw: string): { articles: Article[]; skipped: SkippedFile[] } {
  const articles: Article[] = [];
  const skipped: SkippedFile[] = [];
  const lines = raw.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const skip = (reason: string) => skipped.push({ file, reason: `line ${i + 1}: ${reason}` });
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (err) {
      return skip(`not JSON (${(err as Error).message})`);
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) return skip('not a JSON object');
    const r = row as Record<string, unknown>;
    const text = pick(r, JSONL_FIELDS.text);
    if (typeof text !== 'string' || text.trim() === '') return skip(`no article text (expected one of: ${JSONL_FIELDS.text.join(', ')})`);
    const url = str(pick(r, JSONL_FIELDS.url));
    const result = itemArticle(
      file,
      {
        title: str(pick(r, JSONL_FIELDS.title)),
        outlet: outletName(pick(r, JSONL_FIELDS.outlet)),
        author: authorNames(pick(r, JSONL_FIELDS.author)),
        date: isoDateTime(pick(r, JSONL_FIELDS.date)),
        url: url && /^https?:\/\/\S+$/.test(url) ? url : undefined,
        language: languageCode(pick(r, JSONL_FIELDS.language)),
      },
      text,
      looksLikeHtml(text) ? 'html' : 'text',
    );
    if (typeof result === 'string') return skip(result);
    articles.push(result);
  });
  return { articles, skipped };
}
