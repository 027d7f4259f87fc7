import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../index/corpus/article.ts';
import { parseArticle } from '../../../index/corpus/read.ts';
import { splitArticle } from '../../../index/passages/split.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
function page(name: string): Article {
  const a = parseArticle(name, readFileSync(path.join(FIXTURES, name)));
  if (typeof a === 'string') throw new Error(a);
  return a;
}
const quoted = (a: Article) => splitArticle(a).map((p) => `${p.heading ?? ''}\n${p.text}`).join('\n');

describe('HTML pages', () => {
  it('extracts a German news page: paragraphs and headings, without banner, navigation, caption, related box or share buttons', () => {
    const a = page('news-jsonld.html');
    const ps = splitArticle(a);
    expect(ps.map((p) => p.text.slice(0, 30))).toEqual([
      'Der Kölner Stadtrat hat am Don',
      'Nach einer mehr als vierstündi',
      '„Das ist ein historischer Tag ',
      'Eine Bürgerinitiative aus dem ',
      'Die Verwaltung will bis zum He',
    ]);
    expect(ps.map((p) => p.heading)).toEqual([undefined, undefined, undefined, 'Bürgerinitiative kündigt Widerstand an', 'Wie es weitergeht']);
    const all = `${a.text}\n${quoted(a)}`;
    for (const junk of ['Cookies', 'akzeptieren', 'Politik', 'Startseite', 'Ebertplatz', 'Foto:', 'Mehr zum Thema', 'Verkehrswende', 'Teilen', 'WhatsApp', 'Impressum', 'Von Jana Beispiel', '<p>']) {
      expect(all, junk).not.toContain(junk);
    }
  });

  it('trusts JSON-LD first: headline, datePublished, authors, publisher, url, inLanguage', () => {
    expect(page('news-jsonld.html')).toMatchObject({
      title: 'Stadtrat beschließt Ausbau der Straßenbahn',
      outlet: 'Rheinische Rundschau',
      author: 'Jana Beispiel, Tom Muster',
      date: '2024-03-14T07:30',
      url: 'https://rundschau.example/koeln/stadtrat-strassenbahn-ausbau-100.html',
      language: 'de',
    });
  });

  it('falls back to OpenGraph and article:* meta', () => {
    expect(page('og-only.html')).toMatchObject({
      title: 'Port strike ends after three weeks',
      outlet: 'Harbour Herald',
      author: 'Sam Example',
      date: '2023-11-02T16:45',
      url: 'https://herald.example/news/port-strike-ends',
      language: 'en',
    });
  });

  it('invents nothing for a page without metadata', () => {
    const a = page('bare.html');
    expect([a.title, a.outlet, a.author, a.date, a.url]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(splitArticle(a)).toHaveLength(3);
  });

  it('reads a malformed page as far as it goes, without the text of its scripts', () => {
    const a = page('malformed.html');
    expect(a.title).toBe('Kaputt');
    expect(quoted(a)).toContain('Dies ist ein Absatz, der nie geschlossen wird');
    expect(quoted(a)).toContain('Noch ein Absatz ohne Ende fett kursiv und weiter');
    expect(a.text).not.toContain('kein Text');
  });

  it('uses <link rel=canonical>, <title> and <html lang> when nothing better is there', () => {
    const html = '<html lang="de-AT"><head><title>Titel der Seite</title><link rel="canonical" href="https://x.example/a"></head><body><p>Ein Absatz mit genug Text, damit er als Absatz zählt und gefunden wird.</p></body></html>';
    expect(parseArticle('c.html', Buffer.from(html))).toMatchObject({ title: 'Titel der Seite', url: 'https://x.example/a', language: 'de' });
  });

  it('reads a page saved in its legacy charset', () => {
    const html = '<html><head><meta charset="windows-1252"><title>Gr\xfc\xdfe</title></head><body><p>F\xfcr die Gemeinde war der Beschluss ein gro\xdfer Schritt, sagte die B\xfcrgermeisterin.</p></body></html>';
    const a = parseArticle('l.htm', Buffer.from(html, 'latin1'));
    expect(a).toMatchObject({ title: 'Grüße' });
    expect(typeof a !== 'string' && a.text).toContain('großer Schritt');
  });

  it('keeps an article whose container merely carries a furniture word in its class', () => {
    const p = (i: number) => `<p>Absatz ${i} des Artikels mit genug Text, damit er als eigener Absatz zählt und gefunden wird.</p>`;
    const html = `<html><body><div class="article-body has-social-links">${[1, 2, 3, 4, 5].map(p).join('')}</div><div class="social-share"><p>Teilen</p></div></body></html>`;
    const a = parseArticle('s.html', Buffer.from(html));
    expect(typeof a !== 'string' && splitArticle(a).length).toBe(5);
  });

  it('refuses a page without any text', () => {
    expect(parseArticle('e.html', Buffer.from('<html><body><nav><a href="/">Home</a></nav><script>x()</script></body></html>'))).toMatch(/no (article )?text/);
  });

  it('gives every passage of every page as a verbatim slice of the stored text', () => {
    for (const name of ['news-jsonld.html', 'og-only.html', 'bare.html', 'malformed.html']) {
      const a = page(name);
      for (const p of splitArticle(a)) {
        expect(p.text).toBe(a.text.slice(p.start, p.end));
        if (p.heading) expect(a.text).toContain(p.heading);
        expect(p.text).not.toMatch(/<\/?[a-z]+[^>]*>/i);
      }
    }
  });
});
