import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { feedDate, parseFeed } from '../../../index/corpus/feed.ts';
import { parseJsonl } from '../../../index/corpus/jsonl.ts';
import { readCorpus, type SkippedFile } from '../../../index/corpus/read.ts';
import { urlKey } from '../../../index/corpus/duplicates.ts';
import { splitArticle } from '../../../index/passages/split.ts';
import { tempDir } from '../../support/setup.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

describe('RSS and Atom feeds', () => {
  it('makes one article of each RSS item with full text, with the channel title as outlet, and notes teaser-only items', () => {
    const feed = parseFeed('feed.rss', fixture('feed.rss'));
    if (typeof feed === 'string') throw new Error(feed);
    expect(feed.articles).toHaveLength(1);
    expect(feed.articles[0]).toMatchObject({
      file: 'feed.rss',
      title: 'Stadtrat beschließt Ausbau der Straßenbahn',
      outlet: 'Rheinische Rundschau',
      author: 'Jana Beispiel',
      date: '2024-03-14T07:30',
      language: 'de',
    });
    expect(splitArticle(feed.articles[0]!).map((p) => p.text)).toEqual([
      expect.stringMatching(/^Der Kölner Stadtrat hat .* geschätzt\.$/),
      expect.stringMatching(/^Nach einer mehr als vierstündigen Debatte/),
    ]);
    expect(feed.skipped).toEqual([{ file: 'feed.rss', reason: expect.stringMatching(/item 2 "Hochwasser am Rhein erwartet": only a teaser/) }]);
  });

  it('reads Atom entries: alternate link, published date, every author, HTML content with its headings', () => {
    const feed = parseFeed('feed.atom', fixture('feed.atom'));
    if (typeof feed === 'string') throw new Error(feed);
    expect(feed.articles.map((a) => [a.title, a.url, a.date, a.author, a.outlet, a.language])).toEqual([
      ['Ferry timetable changes from Monday', 'https://herald.example/news/ferry-timetable', '2023-11-03T08:15', 'Sam Example, Kim Sample', 'Harbour Herald', 'en'],
    ]);
    expect(splitArticle(feed.articles[0]!).map((p) => p.heading)).toEqual([undefined, 'Commuters worried']);
    expect(feed.skipped[0]?.reason).toMatch(/item 2 "Council meeting postponed": only a teaser/);
  });

  it('keeps an item id while the item keeps its link, wherever it moves in the feed', () => {
    const once = parseFeed('f.rss', fixture('feed.rss'));
    const moved = parseFeed('f.rss', fixture('feed.rss').replace(/(<item>[\s\S]*?<\/item>)(\s*)(<item>[\s\S]*?<\/item>)/, '$3$2$1'));
    if (typeof once === 'string' || typeof moved === 'string') throw new Error('feed');
    expect(moved.articles[0]!.id).toBe(once.articles[0]!.id);
  });

  it('refuses XML that is not well-formed or not a feed, saying which', () => {
    expect(parseFeed('x.xml', '<rss><channel><item></channel></rss>')).toMatch(/not well-formed XML \(line 1/);
    expect(parseFeed('x.xml', '<?xml version="1.0"?><urlset><url/></urlset>')).toMatch(/neither an RSS 2.0 nor an Atom feed/);
  });

  it.each([
    ['Thu, 14 Mar 2024 07:30:00 +0100', '2024-03-14T07:30'],
    ['5 Jan 2023', '2023-01-05'],
    ['2023-11-03T08:15:00Z', '2023-11-03T08:15'],
    ['gestern', undefined],
  ])('reads the feed date %j', (text, date) => {
    expect(feedDate(text)).toBe(date);
  });
});

describe('JSON Lines exports', () => {
  it('reads the common field aliases and skips each bad line with a warning naming file and line', () => {
    const { articles, skipped } = parseJsonl('export.jsonl', fixture('export.jsonl'));
    expect(articles.map((a) => [a.title, a.outlet, a.author, a.date, a.url ?? null])).toEqual([
      ['Port strike ends after three weeks', 'herald.example', 'Sam Example', '2023-11-02T16:45', 'https://herald.example/news/port-strike-ends'],
      ['Neue Radwege in der Innenstadt', 'Rheinische Rundschau', 'Tom Muster', '2024-04-02', null],
      ['Port strike ends after three weeks', undefined, undefined, undefined, 'https://www.herald.example/news/port-strike-ends/'],
      ['Ein Artikel ohne Adresse und ohne Titel.', 'Alpenpost', undefined, undefined, null],
    ]);
    expect(skipped.map((s) => `${s.file} ${s.reason.split(':')[0]}`)).toEqual(['export.jsonl line 3', 'export.jsonl line 4', 'export.jsonl line 5']);
    expect(skipped[2]!.reason).toMatch(/no article text \(expected one of: text, maintext, content, body/);
  });

  it('reads HTML in a text field as HTML, and keeps plain text as it is', () => {
    const { articles } = parseJsonl('e.jsonl', fixture('export.jsonl'));
    expect(articles[1]!.text).toBe('Die Stadt will bis Ende des Jahres zwölf Kilometer neue Radwege in der Innenstadt bauen, kündigte der Verkehrsdezernent an.\n\nDie Arbeiten beginnen im Mai an der Nord-Süd-Fahrt.');
    expect(articles[0]!.text).toContain('pay offer.\nThe agreement');
  });

  it('gives each line a stable id from its URL, else from its text', () => {
    const a = parseJsonl('e.jsonl', '{"text": "Eins zwei drei vier fünf sechs sieben.", "url": "https://x.example/a"}\n').articles[0]!;
    const b = parseJsonl('e.jsonl', '\n{"url": "https://x.example/a", "text": "Eins zwei drei vier fünf sechs sieben, geändert."}\n').articles[0]!;
    const c = parseJsonl('e.jsonl', '{"text": "Eins zwei drei vier fünf sechs sieben."}\n').articles[0]!;
    expect(b.id).toBe(a.id);
    expect(b.hash).not.toBe(a.hash);
    expect(c.id).toMatch(/^e-[0-9a-f]{12}$/);
    expect(c.id).not.toBe(a.id);
  });
});

describe('duplicates across formats', () => {
  it('treats addresses that differ only in scheme, www, trailing slash and tracking parameters as one', () => {
    expect(urlKey('https://www.X.example/a/?utm_source=rss&id=3#top')).toBe(urlKey('http://x.example/a?id=3'));
    expect(urlKey('https://x.example/a?id=3')).not.toBe(urlKey('https://x.example/a?id=4'));
  });

  it('indexes the same article once when it arrives as a page, a feed item and export lines, and says so', async () => {
    const skipped: SkippedFile[] = [];
    const articles = await readCorpus(FIXTURES, (s) => skipped.push(s));
    const duplicates = skipped.filter((s) => /indexed once/.test(s.reason));
    expect(duplicates.map((d) => d.file).sort()).toEqual(['export.jsonl', 'export.jsonl', 'feed.rss']);
    expect(duplicates.find((d) => d.file === 'feed.rss')!.reason).toMatch(/same article as news-jsonld\.html \(same URL\)/);
    const titles = articles.map((a) => a.title);
    expect(titles.filter((t) => t === 'Stadtrat beschließt Ausbau der Straßenbahn')).toHaveLength(1);
    expect(titles.filter((t) => t === 'Port strike ends after three weeks')).toHaveLength(1);
    // Each note names the copy that is in the index, even when a later copy won over the first one found.
    expect(duplicates.filter((d) => d.file === 'export.jsonl').map((d) => d.reason)).toEqual([
      '"Port strike ends after three weeks": same article as og-only.html (same URL); indexed once',
      '"Port strike ends after three weeks": same article as og-only.html (same URL); indexed once',
    ]);
    // The richer, longer copy is the one kept.
    expect(articles.find((a) => a.title === 'Stadtrat beschließt Ausbau der Straßenbahn')!.file).toBe('news-jsonld.html');
  });

  describe('by text', () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ dir, cleanup } = await tempDir()));
    afterEach(() => cleanup());

    it('folds the same text saved as Markdown and as plain text', async () => {
      await mkdir(path.join(dir, 'a'));
      const body = 'Der Minister sagte am Montag, die Gespräche würden fortgesetzt. „Wir sind zuversichtlich“, erklärte er.';
      await writeFile(path.join(dir, 'a', 'eins.md'), `---\ntitle: Gespräche\noutlet: Tagesbote\n---\n${body}\n`);
      await writeFile(path.join(dir, 'zwei.txt'), body.replace('„', '"').replace('“', '"'));
      const skipped: SkippedFile[] = [];
      const articles = await readCorpus(dir, (s) => skipped.push(s));
      expect(articles.map((a) => a.file)).toEqual([path.join('a', 'eins.md')]);
      expect(skipped).toEqual([{ file: 'zwei.txt', reason: `same article as ${path.join('a', 'eins.md')} (same text); indexed once` }]);
    });
  });
});

describe('every format', () => {
  it('gives every passage of every fixture article as a verbatim slice of its stored text', async () => {
    const articles = await readCorpus(FIXTURES, () => {});
    expect(new Set(articles.map((a) => path.extname(a.file)))).toEqual(new Set(['.html', '.jsonl', '.atom', '.md', '.txt']));
    for (const a of articles) {
      const passages = splitArticle(a);
      expect(passages.length, a.id).toBeGreaterThan(0);
      for (const p of passages) {
        expect(p.text).toBe(a.text.slice(p.start, p.end));
        if (p.heading) expect(a.text).toContain(p.heading);
      }
    }
  });
});
