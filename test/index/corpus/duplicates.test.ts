/** Folding copies when only some articles are new: a new copy of an old article is found by URL or by text. */
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../index/corpus/article.ts';
import { foldDuplicates, foldNewDuplicates } from '../../../index/corpus/duplicates.ts';

const article = (id: string, text: string, extra: Partial<Article> = {}): Article => ({ id, file: `${id}.md`, text, hash: id, ...extra });

describe('folding the duplicates new articles bring', () => {
  const old = [
    article('alt-seite', 'Der Gipfel in Genf endete ohne Einigung.', { url: 'https://www.zeitung.example/politik/gipfel-genf/?utm_source=feed', title: 'Gipfel', outlet: 'Zeitung' }),
    article('alt-umlaut', 'Die Grünen fordern Neuwahlen.', { url: 'https://zeitung.example/politik/grüne-neuwahl' }),
    article('alt-text', 'Ein ganz anderer Bericht über Vulkane.'),
    article('unberuehrt', 'Nichts davon wird neu geliefert.', { url: 'https://zeitung.example/sport/fussball' }),
  ];
  const fresh = [
    article('neu-feed', 'Gipfel in Genf: ohne Einigung beendet.', { url: 'http://zeitung.example/politik/gipfel-genf' }),
    article('neu-umlaut', 'Neuwahlen gefordert.', { url: 'https://zeitung.example/politik/gr%C3%BCne-neuwahl' }),
    article('neu-kopie', 'Ein ganz anderer Bericht — über Vulkane!'),
    article('neu-eigen', 'Ein eigener neuer Text.', { url: 'https://zeitung.example/wissen/neu' }),
  ];
  const all = [...old, ...fresh];
  const isNew = (a: Article) => fresh.includes(a);

  it('drops the same copies as folding everything would, by URL (also percent-encoded) and by text', () => {
    const folded = foldNewDuplicates(all, isNew);
    const everything = foldDuplicates(all);
    expect(folded.kept.map((a) => a.id)).toEqual(everything.kept.map((a) => a.id));
    expect(folded.dropped).toEqual(everything.dropped);
    expect(folded.dropped.map((d) => d.file).sort()).toEqual(['alt-text.md', 'neu-feed.md', 'neu-umlaut.md']);
  });

  it('keeps every old article when the new ones copy none', () => {
    const folded = foldNewDuplicates([...old, fresh[3]!], (a) => a === fresh[3]);
    expect(folded.kept).toHaveLength(5);
    expect(folded.dropped).toEqual([]);
  });
});
