/**
 * Ingestion speed: saved news pages through the HTML reader (Readability on linkedom, metadata, blocks)
 * and the splitter, as `npm run index` reads them. The pages are generated from the benchmark's German
 * text and dressed as a real site is: cookie banner, navigation, JSON-LD, share buttons, a caption, a
 * related-articles box and a few kilobytes of script.
 */
import { parseArticle } from '../../index/corpus/read.ts';
import { splitArticle } from '../../index/passages/split.ts';
import { figure, round, type Figure } from './stats.ts';
import type { GeneratedArticle, GermanText } from './text.ts';

export interface IngestResult {
  readonly pages: number;
  readonly averageKB: number;
  readonly htmlArticlesPerSec: number;
  readonly htmlMBPerSec: number;
  readonly passages: number;
  readonly spread: Figure;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function newsPage(a: GeneratedArticle): string {
  const ld = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: a.title,
    datePublished: `${a.date}T08:00:00+01:00`,
    author: { '@type': 'Person', name: 'Bench Autor' },
    publisher: { '@type': 'Organization', name: a.outlet },
    url: `https://example.org/${a.id}`,
  };
  const [lead, ...rest] = a.paragraphs;
  const body = rest.map((p, i) => (i === 2 ? `<h2>${esc(p.split(' ').slice(0, 5).join(' '))}</h2><p>${esc(p)}</p>` : `<p>${esc(p)}</p>`)).join('\n');
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>${esc(a.title)} | ${esc(a.outlet)}</title>
<script type="application/ld+json">${JSON.stringify(ld)}</script><script>${'window.dataLayer.push({e:1});'.repeat(150)}</script></head><body>
<div class="cookie-banner" role="dialog"><p>Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis zu bieten.</p><button>Alle akzeptieren</button></div>
<header><nav>${['Politik', 'Wirtschaft', 'Kultur', 'Sport', 'Panorama', 'Wissen'].map((n) => `<a href="/${n}">${n}</a>`).join(' ')}</nav></header>
<main><article><h1>${esc(a.title)}</h1><div class="share"><a href="#">Teilen</a> <a href="#">E-Mail</a></div>
<p class="lead">${esc(lead ?? '')}</p><figure><img src="/b.jpg" alt=""><figcaption>Ein Bild zum Artikel. Foto: Bench / dpa</figcaption></figure>
${body}
<aside class="related"><h3>Mehr zum Thema</h3><ul><li><a href="/x">Ein anderer Artikel</a></li></ul></aside></article></main>
<footer><a href="/impressum">Impressum</a></footer></body></html>`;
}

export function benchIngest(text: GermanText, o: { pages: number; rounds: number }): IngestResult {
  const pages = Array.from({ length: o.pages }, (_, i) => Buffer.from(newsPage(text.article(i, 13))));
  const bytes = pages.reduce((n, p) => n + p.length, 0);
  let passages = 0;
  const rates: number[] = [];
  for (let r = 0; r < o.rounds; r++) {
    passages = 0;
    const t = performance.now();
    pages.forEach((page, i) => {
      const article = parseArticle(`page-${i}.html`, page);
      if (typeof article === 'string') throw new Error(`bench: generated page ${i} refused: ${article}`);
      passages += splitArticle(article).length;
    });
    rates.push(o.pages / ((performance.now() - t) / 1000));
  }
  const spread = figure(rates);
  return {
    pages: o.pages,
    averageKB: round(bytes / o.pages / 1024, 1),
    htmlArticlesPerSec: round(spread.median, 1),
    htmlMBPerSec: round((spread.median * bytes) / o.pages / 2 ** 20, 2),
    passages,
    spread,
  };
}
