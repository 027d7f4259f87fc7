/**
 * RSS 2.0 and Atom feeds: one article per item that carries its full text (`content:encoded`, Atom
 * `<content>`), with the item's title, link, date and author and the channel's title as outlet. An item
 * with only a teaser (`description`, `summary`) is not an article to quote from, and is skipped with a note.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Article } from './article.ts';
import { isoDateTime, languageCode } from './html.ts';
import { itemArticle } from './item.ts';
import { authorNames } from './names.ts';
import type { SkippedFile } from './read.ts';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => ['item', 'entry', 'link', 'author', 'dc:creator', 'category'].includes(name),
});

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** An element's text, whether it came as a string or as an object with attributes. */
const textOf = (v: unknown): string | undefined => {
  const t = typeof v === 'string' ? v : v && typeof v === 'object' ? (v as Node)['#text'] : undefined;
  return typeof t === 'string' && t.trim() !== '' ? t.trim() : undefined;
};
const oneLine = (v: unknown) => textOf(v)?.replace(/\s+/g, ' ');
const httpUrl = (v: string | undefined) => (v && /^https?:\/\/\S+$/.test(v) ? v : undefined);

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** RFC 822 (`Thu, 14 Mar 2024 07:30:00 +0100`, RSS) or ISO 8601 (Atom) → `YYYY-MM-DD[THH:mm]` as written. */
export function feedDate(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const m = v.match(/(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})(?:\s+(\d{1,2}):(\d{2}))?/);
  if (!m) return isoDateTime(v);
  const month = MONTHS.indexOf(m[2]!.toLowerCase()) + 1;
  if (month === 0) return undefined;
  const day = `${m[3]}-${String(month).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return isoDateTime(m[4] ? `${day}T${m[4].padStart(2, '0')}:${m[5]}` : day);
}

interface FeedItem {
  title?: string;
  url?: string;
  date?: string;
  author?: string;
  content?: { body: string; form: 'html' | 'text' };
  /** There is a description or summary, but no full text. */
  teaser: boolean;
}

function rssItem(item: Node): FeedItem {
  const content = textOf(item['content:encoded']);
  const links = list(item.link).map(textOf);
  return {
    title: oneLine(item.title),
    url: httpUrl(links.find(Boolean)) ?? httpUrl(textOf(item.guid)),
    date: feedDate(textOf(item.pubDate) ?? textOf(item['dc:date'])),
    author: authorNames([...list(item['dc:creator']), ...list(item.author)].map(textOf)),
    ...(content ? { content: { body: content, form: 'html' as const } } : {}),
    teaser: !!textOf(item.description),
  };
}

function atomItem(entry: Node): FeedItem {
  const links = list(entry.link) as Node[];
  const link = links.find((l) => !l['@rel'] || l['@rel'] === 'alternate') ?? links[0];
  const content = entry.content as Node | string | undefined;
  const body = textOf(content);
  const type = typeof content === 'object' ? String(content['@type'] ?? 'text') : 'text';
  return {
    title: oneLine(entry.title),
    url: httpUrl(typeof link?.['@href'] === 'string' ? link['@href'] : undefined),
    date: feedDate(textOf(entry.published) ?? textOf(entry.updated)),
    author: authorNames(list(entry.author).map((a) => oneLine((a as Node).name))),
    ...(body ? { content: { body, form: type === 'text' ? ('text' as const) : ('html' as const) } } : {}),
    teaser: !!textOf(entry.summary),
  };
}

export function parseFeed(file: string, raw: string): { articles: Article[]; skipped: SkippedFile[] } | string {
  const valid = XMLValidator.validate(raw);
  if (valid !== true) return `not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`;
  const doc = parser.parse(raw) as Node;
  const channel = (doc.rss as Node | undefined)?.channel as Node | undefined;
  const atom = doc.feed as Node | undefined;
  if (!channel && !atom) return 'XML, but neither an RSS 2.0 nor an Atom feed';
  const source = (channel ?? atom)!;
  const outlet = oneLine(source.title);
  const language = languageCode(textOf(source.language) ?? atom?.['@xml:lang']);
  const items = channel ? list(channel.item).map((i) => rssItem(i as Node)) : list(atom!.entry).map((e) => atomItem(e as Node));
  const articles: Article[] = [];
  const skipped: SkippedFile[] = [];
  items.forEach((item, i) => {
    const name = `item ${i + 1}${item.title ? ` "${item.title}"` : ''}`;
    if (!item.content) {
      skipped.push({ file, reason: `${name}: ${item.teaser ? 'only a teaser, no full text (content:encoded / <content>)' : 'no text'}` });
      return;
    }
    const { content, teaser: _, ...meta } = item;
    const result = itemArticle(file, { ...meta, outlet, language }, content.body, content.form);
    if (typeof result === 'string') skipped.push({ file, reason: `${name}: ${result}` });
    else articles.push(result);
  });
  return { articles, skipped };
}
