import { describe, expect, it } from 'vitest';
import { parseArticle, readCorpus } from '../../../index/corpus/read.ts';
import type { Article } from '../../../index/corpus/article.ts';
import { splitArticle } from '../../../index/passages/split.ts';
import { sentenceRanges } from '../../../index/passages/sentences.ts';
import { CORPUS } from '../../support/setup.ts';

const articles = await readCorpus(CORPUS, () => {});

const article = (text: string, file = 'x.txt'): Article => ({ id: 'x', file, text, hash: 'h' });

describe('splitArticle', () => {
  it('gives every passage of the whole corpus as a verbatim slice of its article', () => {
    let count = 0;
    for (const a of articles) {
      for (const p of splitArticle(a)) {
        expect(p.text).toBe(a.text.slice(p.start, p.end));
        expect(p.text).toBe(p.text.trim());
        if (p.heading) expect(a.text).toContain(p.heading);
        count++;
      }
    }
    expect(count).toBeGreaterThan(40);
  });

  it('numbers paragraphs in reading order and attaches a heading to the paragraph after it', () => {
    const a = articles.find((x) => x.id.startsWith('001'))!;
    const passages = splitArticle(a);
    expect(passages.map((p) => p.paragraph)).toEqual([...passages.map((p) => p.paragraph)].sort((x, y) => x - y));
    const headed = passages.find((p) => p.heading === 'Gespräche im Normandie-Format');
    expect(headed?.text.startsWith('Um die Lage zu entspannen')).toBe(true);
  });

  it('keeps a paragraph that introduces a quote together with the quote', () => {
    const a = articles.find((x) => x.id.startsWith('000'))!;
    const p = splitArticle(a).find((x) => x.text.includes('Peskow wörtlich:'));
    expect(p?.text).toContain('Natürlich ist diese Frage einer der Eckpunkte');
  });

  it('cuts a long paragraph at sentence boundaries, never mid-sentence', () => {
    const sentence = 'Der Minister sagte am 26.01.2022, dass z. B. die Gespräche weitergehen würden. ';
    const text = `Titel\n\n${sentence.repeat(40).trim()}`;
    const passages = splitArticle(article(text), { maxChars: 300, minChars: 50 });
    expect(passages.length).toBeGreaterThan(5);
    for (const p of passages) {
      expect(p.text.length).toBeLessThanOrEqual(300);
      expect(p.text.startsWith('Der Minister')).toBe(true);
      expect(p.text.endsWith('würden.')).toBe(true);
      expect(sentenceRanges(p.text).length).toBeGreaterThan(0);
    }
  });

  it('splits Markdown bodies at blank lines, not at wrapped lines', () => {
    const text = '## Lage\n\nErste Zeile eines Absatzes, der\nüber zwei Zeilen geht.\n\nZweiter Absatz mit genug Text für sich.\n';
    const passages = splitArticle(parseArticle('x.md', Buffer.from(text)) as Article);
    expect(passages.map((p) => [p.heading, p.text])).toEqual([
      ['Lage', 'Erste Zeile eines Absatzes, der\nüber zwei Zeilen geht.'],
      [undefined, 'Zweiter Absatz mit genug Text für sich.'],
    ]);
  });
});
