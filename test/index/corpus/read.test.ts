import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ARTICLE_BYTES, parseArticle, readCorpus, type SkippedFile } from '../../../index/corpus/read.ts';
import { CORPUS, tempDir } from '../../support/setup.ts';

describe('readCorpus', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('skips each bad file with a reason naming it and still reads the good ones', async () => {
    await writeFile(path.join(dir, 'good.txt'), 'Titel der Meldung\n\nDer Kreml hat am Montag etwas gesagt, was wichtig ist.');
    await writeFile(path.join(dir, 'empty.txt'), '');
    await writeFile(path.join(dir, 'blank.md'), '   \n\n');
    await writeFile(path.join(dir, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    await writeFile(path.join(dir, 'latin1.txt'), Buffer.from('Gr\xfc\xdfe aus K\xf6ln', 'latin1'));
    await writeFile(path.join(dir, 'broken.md'), '---\ntitle: [unclosed\noutlet: x\n---\nText.');
    await writeFile(path.join(dir, 'huge.txt'), 'a'.repeat(MAX_ARTICLE_BYTES + 1));
    await writeFile(path.join(dir, 'notes.json'), '{}');
    const skipped: SkippedFile[] = [];
    const articles = await readCorpus(dir, (s) => skipped.push(s));
    expect(articles.map((a) => a.id)).toEqual(['good']);
    const reasons = Object.fromEntries(skipped.map((s) => [s.file, s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['binary.txt', 'blank.md', 'broken.md', 'empty.txt', 'huge.txt', 'latin1.txt']);
    expect(reasons['empty.txt']).toMatch(/empty/);
    expect(reasons['binary.txt']).toMatch(/binary/);
    expect(reasons['latin1.txt']).toMatch(/UTF-8/);
    expect(reasons['broken.md']).toMatch(/front matter/);
    expect(reasons['huge.txt']).toMatch(/too large/);
  });

  it('reads articles in subfolders and refuses two files with the same id', async () => {
    await mkdir(path.join(dir, '2025'));
    await writeFile(path.join(dir, '2025', 'a.txt'), 'Eins\n\nErster Text mit genug Inhalt für einen Absatz.');
    await writeFile(path.join(dir, 'a.md'), '---\ntitle: Zwei\n---\nZweiter Text.');
    const skipped: SkippedFile[] = [];
    const articles = await readCorpus(dir, (s) => skipped.push(s));
    expect(articles).toHaveLength(1);
    expect(skipped[0]?.reason).toMatch(/same article id "a"/);
  });

  it('reads all bundled seed articles', async () => {
    const skipped: SkippedFile[] = [];
    const articles = await readCorpus(CORPUS, (s) => skipped.push(s));
    expect(skipped).toEqual([]);
    expect(articles.map((a) => a.id)).toEqual([
      '000_040ffcb4de1e558d', '001_05284ddf7004647a', '002_5e7becd5a67536c2', '003_6f8db47b0f1d15ed', '004_ef3c49121fa61ece',
    ]);
  });
});

describe('parseArticle', () => {
  const parse = (file: string, text: string) => parseArticle(file, Buffer.from(text));

  it('takes title, outlet, author, date, url and language from Markdown front matter and stores the body as its reading text', () => {
    const a = parse('x.md', '---\ntitle: Die Tür bleibt offen\noutlet: tagesschau\nauthors: [Anna Beispiel, Bo Muster]\ndate: 2022-01-26\nurl: https://example.org/a\nlanguage: de\n---\nKörper des *Artikels*.\n');
    expect(a).toMatchObject({ id: 'x', title: 'Die Tür bleibt offen', outlet: 'tagesschau', author: 'Anna Beispiel, Bo Muster', date: '2022-01-26', url: 'https://example.org/a', language: 'de' });
    expect(typeof a !== 'string' && a.text).toBe('Körper des Artikels.');
  });

  it('leaves unknown metadata unknown instead of inventing it', () => {
    const a = parse('plain.txt', 'Schlagzeile ohne Datum\n\nEin Absatz über etwas, das passiert ist, und der weitergeht.');
    expect(a).toMatchObject({ title: 'Schlagzeile ohne Datum' });
    expect(typeof a !== 'string' && [a.outlet, a.url, a.date]).toEqual([undefined, undefined, undefined]);
  });

  it('rejects front matter with a date or url it cannot use', () => {
    expect(parse('d.md', '---\ndate: gestern\n---\nText.')).toMatch(/date must be YYYY-MM-DD/);
    expect(parse('u.md', '---\nurl: example.org\n---\nText.')).toMatch(/url must start with http/);
  });

  it.each([
    ['Ukraine-Krise Die Tür der NATO bleibt offen Stand: 26.01.2022 19:50 Uhr\n\nText.', 'Ukraine-Krise Die Tür der NATO bleibt offen', '2022-01-26T19:50'],
    [' date 2025-08-17 "Zugeständnis" Russland akzeptiert\n\nText.', '"Zugeständnis" Russland akzeptiert', '2025-08-17'],
    ['Europa\n\nKreml reagiert auf Aussage\n\nText des Artikels.', 'Kreml reagiert auf Aussage', undefined],
  ])('derives title and date from the header of plain text %#', (text, title, date) => {
    expect(parse('p.txt', text)).toMatchObject({ title, date });
  });
});

describe('readCorpus and the file system', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());
  const ARTICLE = 'Titel der Meldung\n\nDer Kreml hat am Montag etwas gesagt, was wichtig ist.';

  it('follows symbolic links to files inside the corpus and skips, with a warning, links that loop, dangle, leave it or lead to a folder', async () => {
    const corpus = path.join(dir, 'corpus');
    await mkdir(path.join(corpus, 'archiv'), { recursive: true });
    await writeFile(path.join(corpus, 'archiv', 'original.txt'), ARTICLE);
    await writeFile(path.join(dir, 'outside.txt'), ARTICLE);
    await symlink(path.join('archiv', 'original.txt'), path.join(corpus, 'verweis.txt'));
    await symlink(path.join(dir, 'outside.txt'), path.join(corpus, 'fremd.txt'));
    await symlink('schleife.txt', path.join(corpus, 'schleife.txt'));
    await symlink('a.txt', path.join(corpus, 'b.txt'));
    await symlink('b.txt', path.join(corpus, 'a.txt'));
    await symlink('fehlt.txt', path.join(corpus, 'kaputt.txt'));
    await symlink('.', path.join(corpus, 'archiv', 'zurueck'));
    await mkdir(path.join(corpus, 'ordner.txt'));
    await writeFile(path.join(corpus, 'ordner.txt', 'drin.md'), 'Eine andere Meldung über den Gipfel in Genf.');
    const skipped: SkippedFile[] = [];
    const articles = await readCorpus(corpus, (s) => skipped.push(s));
    // The link is read — and, holding the same text as the file it leads to, indexed once with it.
    const files = articles.map((a) => a.file).sort();
    expect(files).toHaveLength(2);
    expect(files).toContain('ordner.txt/drin.md');
    const [kept, folded] = files.includes('verweis.txt') ? ['verweis.txt', 'archiv/original.txt'] : ['archiv/original.txt', 'verweis.txt'];
    expect(articles.find((a) => a.file === kept)?.text).toBe(ARTICLE);
    const reasons = Object.fromEntries(skipped.map((s) => [s.file, s.reason]));
    expect(reasons[folded]).toMatch(new RegExp(`same article as ${kept}`));
    expect(Object.keys(reasons).sort()).toEqual(['a.txt', 'archiv/zurueck', 'b.txt', 'fremd.txt', 'kaputt.txt', 'ordner.txt', 'schleife.txt', folded].sort());
    expect(reasons['fremd.txt']).toMatch(/outside the corpus folder/);
    expect(reasons['schleife.txt']).toMatch(/loop/);
    expect(reasons['a.txt']).toMatch(/loop/);
    expect(reasons['kaputt.txt']).toMatch(/broken/);
    expect(reasons['archiv/zurueck']).toMatch(/folder: not followed/);
    expect(reasons['ordner.txt']).toMatch(/folder named like an article/);
  });

  it('skips a file it may not read (injected through the file system), naming it, and reads the rest', async () => {
    // Tests run as root, who may read anything; the real permission case is in test/index/build/unreadable.test.ts.
    await writeFile(path.join(dir, 'gut.txt'), ARTICLE);
    await writeFile(path.join(dir, 'gesperrt.txt'), ARTICLE);
    const skipped: SkippedFile[] = [];
    const articles = await readCorpus(dir, (s) => skipped.push(s), (file) => {
      if (file === 'gesperrt.txt') throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return undefined;
    });
    expect(articles.map((a) => a.id)).toEqual(['gut']);
    expect(skipped).toEqual([{ file: 'gesperrt.txt', reason: 'cannot be read (permission denied)' }]);
  });
});
