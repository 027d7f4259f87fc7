import { describe, expect, it } from 'vitest';
import { readCorpus } from '../../../index/corpus/read.ts';
import { classifyBlock, splitBlocks } from '../../../index/corpus/clean.ts';
import { splitArticle } from '../../../index/passages/split.ts';
import { CORPUS } from '../../support/setup.ts';

const articles = await readCorpus(CORPUS, (s) => {
  throw new Error(`seed skipped: ${s.file}`);
});
const seed = (prefix: string) => articles.find((a) => a.id.startsWith(prefix))!;
const passagesOf = (prefix: string) => splitArticle(seed(prefix)).map((p) => `${p.heading ?? ''}\n${p.text}`).join('\n');

describe('boilerplate in the seed articles never becomes a passage', () => {
  it.each([
    ['000', ['Europa', 'Quelle: Sputnik', '© Alexander Kasakow', 'Mehr zum Thema', 'Durch die Sperrung von RT', 'teilt sie gern', 'Audiovisuellen Mediendienst-Gesetzes']],
    ['001', ['Stand: 26.01.2022']],
    ['002', ['Startseite', '2. Politik', 'Kommentare', 'Auch interessant', '© Kristina Kormilitsyna', '(Archivbild)']],
    ['004', ['date 2025-08-17']],
  ])('seed %s', (prefix, junk) => {
    const text = passagesOf(prefix);
    for (const j of junk) expect(text, j).not.toContain(j);
  });

  it('keeps the article body, including the last real paragraph before the teasers', () => {
    expect(passagesOf('000')).toContain('Laut Experten, die die Nachrichtenagentur Reuters');
    expect(passagesOf('002')).toContain('Die Angriffe fielen in die Zeit des Gipfeltreffens');
    expect(passagesOf('003')).toContain('Russland wollte selbst Garant für diese sein');
  });
});

describe('classifyBlock', () => {
  it.each([
    ['Kommentare', 'navigation'],
    ['  1. Startseite'.trim(), 'breadcrumb'],
    ['Mehr zum Thema – Kallas warnt: Nach Donbass will Putin gesamte Ukraine einnehmen', 'related-articles teaser'],
    ['Ein Bild vom Gipfel. Foto: picture alliance / dpa', 'photo caption or credit'],
    ['Wenn Euch unsere Artikel gefallen, teilt sie gern überall, wo Ihr aktiv seid.', 'publisher appeal'],
  ])('recognises %j as %s', (text, reason) => {
    expect(classifyBlock(text)).toBe(reason);
  });

  it('leaves ordinary reporting alone, even when it mentions a source or a newsletter once', () => {
    expect(classifyBlock('Laut der Nachrichtenagentur dpa sei die Antwort abgestimmt, sagte ein Diplomat.')).toBeUndefined();
    expect(classifyBlock('Die Regierung verschickte einen Newsletter an alle Haushalte.')).toBeUndefined();
  });
});

describe('splitBlocks', () => {
  it('treats single newlines as paragraph breaks in scraped plain text (seed 003)', () => {
    const a = seed('003');
    const headings = splitBlocks(a).filter((b) => b.kind === 'heading').map((b) => a.text.slice(b.start, b.end));
    expect(headings).toEqual(['Peskov gibt keine neuen Informationen', 'Rubio: Keine endlosen Verhandlungen', 'Die Ukraine benötigt Schutz vor russischer Aggression']);
  });
});
