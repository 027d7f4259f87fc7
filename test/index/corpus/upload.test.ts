import { readFileSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isQuotedeskError } from '../../../index/errors.ts';
import { readCorpus } from '../../../index/corpus/read.ts';
import { checkUpload, MAX_UPLOAD_NAME_CHARS, sanitizeFileName, saveUpload } from '../../../index/corpus/upload.ts';
import { tempDir } from '../../support/setup.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const MD = Buffer.from('---\ntitle: Hochgeladen\n---\nDer Rat hat am Montag einen Beschluss gefasst, der lange umstritten war.\n');

/** The error code a call throws (or 'none'). */
async function codeOf(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'none';
  } catch (err) {
    if (isQuotedeskError(err)) return err.code;
    throw err;
  }
}

describe('sanitizeFileName', () => {
  it.each([
    ['../../x.md', 'x.md'],
    ['..\\..\\windows\\x.txt', 'x.txt'],
    ['/etc/passwd.md', 'passwd.md'],
    ['Bericht: Köln (2024).HTML', 'Bericht-Köln-2024.html'],
    ['Москва сегодня.md', 'Москва-сегодня.md'],
    ['evil\u202Egnp.md', 'evil-gnp.md'],
    ['..md', 'upload.md'],
    ['.hidden.md', 'hidden.md'],
    ['a..b.jsonl', 'a-b.jsonl'],
  ])('%j → %j', (name, safe) => {
    expect(sanitizeFileName(name)).toBe(safe);
  });

  it('bounds a very long name and refuses names without an article extension', () => {
    const long = sanitizeFileName(`${'ä'.repeat(300)}.md`)!;
    expect(long).toBe(`${'ä'.repeat(MAX_UPLOAD_NAME_CHARS)}.md`);
    expect(Buffer.byteLength(long)).toBeLessThan(255);
    expect(sanitizeFileName('x.exe')).toBeUndefined();
    expect(sanitizeFileName('x.md.exe')).toBeUndefined();
    expect(sanitizeFileName('sources.yml')).toBeUndefined();
  });
});

describe('checkUpload', () => {
  it('accepts every format and says what it holds', () => {
    expect(checkUpload('neu.md', MD).articles).toEqual([{ id: 'neu', title: 'Hochgeladen' }]);
    const feed = checkUpload('feed.rss', readFileSync(path.join(FIXTURES, 'feed.rss')));
    expect(feed.articles).toHaveLength(1);
    expect(feed.skipped[0]!.reason).toMatch(/only a teaser/);
    expect(checkUpload('e.jsonl', readFileSync(path.join(FIXTURES, 'export.jsonl'))).articles.length).toBe(4);
    expect(checkUpload('page.html', readFileSync(path.join(FIXTURES, 'news-jsonld.html'))).articles[0]!.title).toBe('Stadtrat beschließt Ausbau der Straßenbahn');
  });

  it.each([
    ['a PNG named .md', 'bild.md', Buffer.from('\x89PNG\r\n\x1a\n\0\0\0\rIHDR', 'latin1'), /PNG image/],
    ['a PDF named .txt', 'doc.txt', Buffer.from('%PDF-1.7\n1 0 obj', 'latin1'), /PDF document/],
    ['an HTML page named .md', 'seite.md', Buffer.from('<!DOCTYPE html><html><body><p>Text</p></body></html>'), /name it \.html/],
    ['plain text named .html', 'x.html', Buffer.from('Nur Text, keine Seite.'), /not look like an HTML page/],
    ['plain text named .jsonl', 'x.jsonl', Buffer.from('title: nope'), /not look like JSON Lines/],
    ['JSON Lines named .rss', 'x.rss', Buffer.from('{"text": "a"}'), /not look like an RSS or Atom feed/],
    ['a feed of teasers only', 'x.atom', Buffer.from('<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>E</title><summary>kurz</summary></entry></feed>'), /no article that could be indexed \(item 1 "E": only a teaser/],
    ['Latin-1 text', 'x.txt', Buffer.from('Gr\xfc\xdfe', 'latin1'), /not valid UTF-8/],
    ['an executable', 'x.exe', Buffer.from('MZ'), /not an article file/],
  ])('refuses %s, saying why', (_, name, bytes, reason) => {
    expect(() => checkUpload(name, bytes)).toThrow(reason);
    expect(() => checkUpload(name, bytes)).toThrow(expect.objectContaining({ code: 'UPLOAD_REFUSED', isUserError: true }));
  });

  it('refuses a file over the limit it is given', () => {
    expect(() => checkUpload('neu.md', MD, 20)).toThrow(/too large \(\d+ bytes; the limit is 20\)/);
  });
});

describe('saveUpload', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('saves a hostile name inside the corpus folder, where the reader finds it', async () => {
    const saved = await saveUpload({ corpusDir: dir, name: '../../x.md', bytes: MD });
    expect(saved).toMatchObject({ file: 'x.md', replaced: false });
    expect(await readdir(dir)).toEqual(['x.md']);
    expect((await readCorpus(dir, () => {})).map((a) => a.title)).toEqual(['Hochgeladen']);
  });

  it('never overwrites silently: the same name needs replace, and then says it replaced', async () => {
    await saveUpload({ corpusDir: dir, name: 'x.md', bytes: MD });
    const changed = Buffer.from(MD.toString().replace('Hochgeladen', 'Neu'));
    expect(await codeOf(() => saveUpload({ corpusDir: dir, name: 'x.md', bytes: changed }))).toBe('UPLOAD_EXISTS');
    expect(await readFile(path.join(dir, 'x.md'))).toEqual(MD);
    expect(await saveUpload({ corpusDir: dir, name: 'x.md', bytes: changed, replace: true })).toMatchObject({ replaced: true });
    expect((await readFile(path.join(dir, 'x.md'), 'utf8'))).toContain('title: Neu');
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('refuses a name whose article id another file already has', async () => {
    await writeFile(path.join(dir, 'x.txt'), 'Titel\n\nText eines Artikels, der schon da ist und lang genug ist.');
    expect(await codeOf(() => saveUpload({ corpusDir: dir, name: 'x.md', bytes: MD }))).toBe('UPLOAD_REFUSED');
    expect(await readdir(dir)).toEqual(['x.txt']);
  });

  it('leaves nothing behind when it refuses', async () => {
    expect(await codeOf(() => saveUpload({ corpusDir: dir, name: 'bild.md', bytes: Buffer.from('\x89PNG\r\n', 'latin1') }))).toBe('UPLOAD_REFUSED');
    expect(await readdir(dir)).toEqual([]);
  });
});
