import { describe, expect, it } from 'vitest';
import type { StoredArticle, StoredPassage } from '../../../index/store/format.ts';
import { decodeArticles, decodePassages, encodeArticles, encodePassages } from '../../../index/store/tables.ts';

const articles: StoredArticle[] = [
  { id: 'a', file: 'a.md', text: 'Kreml reagiert – „Eckpunkte“.\n\nÜberschwemmungen im Süden ß €', hash: 'h1', title: 'Kreml', outlet: 'Testblatt', date: '2025-09-01' },
  { id: 'b', file: 'sub/b.txt', text: 'Zweiter Artikel ohne Metadaten.', hash: 'h2' },
];
const hash = (n: number) => n.toString(16).padStart(64, '0');
const passages: StoredPassage[] = [
  { articleId: 'a', paragraph: 1, start: 0, end: 29, label: 7, textHash: hash(1), heading: 'Lage' },
  { articleId: 'a', paragraph: 2, start: 31, end: 63, label: 3, textHash: hash(2) },
  { articleId: 'b', paragraph: 1, start: 0, end: 31, label: 12, textHash: hash(3), heading: 'Lage' },
];

describe('article and passage tables', () => {
  it('give back the articles, texts decoded on reading, metadata absent where it was absent', () => {
    const { meta, texts } = encodeArticles(articles);
    const back = decodeArticles(meta, texts);
    back.forEach((a, i) => {
      expect(a.text).toBe(articles[i]!.text);
      expect({ id: a.id, file: a.file, hash: a.hash, title: a.title, outlet: a.outlet, date: a.date }).toEqual({
        title: undefined,
        outlet: undefined,
        date: undefined,
        ...articles[i],
        text: undefined,
      });
    });
    expect('outlet' in back[1]!).toBe(false);
  });

  it('give back the passages with their headings and hashes', () => {
    const back = decodePassages(
      encodePassages(
        passages,
        articles.map((a) => a.id),
      ),
      articles.map((a) => a.id),
    );
    expect(back.map((p) => ({ ...p, textHash: p.textHash }))).toEqual(passages);
    expect('heading' in back[1]!).toBe(false);
  });

  it('reads a table from a buffer at any byte offset', () => {
    const bytes = encodePassages(passages, ['a', 'b']);
    const shifted = Buffer.concat([Buffer.from([1]), bytes]).subarray(1);
    expect(decodePassages(shifted, ['a', 'b']).map((p) => p.label)).toEqual([7, 3, 12]);
  });

  it('refuses something that is not a passage table', () => {
    expect(() => decodePassages(Buffer.from('[{"label":1}]'), [])).toThrow(/not a quotedesk passage table/);
  });
});
