import { describe, expect, it } from 'vitest';
import type { Article } from '../../../index/corpus/article.ts';
import { parseArticle } from '../../../index/corpus/read.ts';
import { splitArticle } from '../../../index/passages/split.ts';

function read(text: string, file = 'x.md'): Article {
  const a = parseArticle(file, Buffer.from(text));
  if (typeof a === 'string') throw new Error(a);
  return a;
}
const passages = (text: string) => splitArticle(read(text)).map((p) => [p.heading, p.text]);

/** Markup that must never be quoted. */
const MARKUP = [/^#{1,6}\s/m, /\*\*|__/, /\]\(/, /^\s*[-*+]\s/m, /^\s*\d+\.\s/m, /^>/m, /^\|/m, /^[-=]{3,}$/m, /^```/m, /https?:\/\/link\.example/];

const AUFZUG = `---
title: "Aufzugsanlage"
language: de
---

## Seilloser Aufzug
An der RWTH Aachen im Institut für Elektrische Maschinen wurde ein seilloser Aufzug entwickelt, der von Linearmotoren bewegt wird.
Im Rahmen der Forschungen an dem seillosen Aufzug wird ebenfalls untersucht, wie mehrere Kabinen in einem Schacht fahren können.
Die Kabinen sollen dabei auch waagerecht fahren und so von einem Schacht in einen anderen wechseln können.
## Geschichte
Erste Aufzüge mit Seilen gab es bereits in der Antike, angetrieben von Menschen oder Tieren.
Im 19. Jahrhundert kamen dampfbetriebene und hydraulische Aufzüge hinzu, später elektrische.
Elisha Otis stellte 1853 in New York eine Fangvorrichtung vor, die den Absturz der Kabine verhinderte.
`;

describe('Markdown articles', () => {
  it('indexes the encyclopedia-style example: headings on their own line, paragraphs one per line', () => {
    const a = read(AUFZUG);
    expect(a.title).toBe('Aufzugsanlage');
    expect(passages(AUFZUG)).toEqual([
      ['Seilloser Aufzug', expect.stringMatching(/^An der RWTH Aachen .* bewegt wird\.$/)],
      [undefined, expect.stringMatching(/^Im Rahmen der Forschungen .* fahren können\.$/)],
      [undefined, expect.stringMatching(/^Die Kabinen sollen .* wechseln können\.$/)],
      ['Geschichte', expect.stringMatching(/^Erste Aufzüge mit Seilen .* Tieren\.$/)],
      [undefined, expect.stringMatching(/^Im 19\. Jahrhundert .* elektrische\.$/)],
      [undefined, expect.stringMatching(/^Elisha Otis .* verhinderte\.$/)],
    ]);
    expect(splitArticle(a).map((p) => p.paragraph)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('indexes the issue\'s example exactly as written', () => {
    const md = '---\ntitle: "Aufzugsanlage"\nlanguage: de\n---\n\n## Seilloser Aufzug\nAn der RWTH Aachen im Institut für Elektrische Maschinen wurde ein seilloser Aufzug entwickelt …\nIm Rahmen der Forschungen an dem seillosen Aufzug wird ebenfalls …\n';
    expect(passages(md)).toEqual([
      ['Seilloser Aufzug', 'An der RWTH Aachen im Institut für Elektrische Maschinen wurde ein seilloser Aufzug entwickelt …'],
      [undefined, 'Im Rahmen der Forschungen an dem seillosen Aufzug wird ebenfalls …'],
    ]);
  });

  it('reads a heading directly followed by text as a heading and a paragraph', () => {
    expect(passages('## Lage\nDie Verhandlungen in Genf dauern an, sagte ein Sprecher am Montag.\n')).toEqual([
      ['Lage', 'Die Verhandlungen in Genf dauern an, sagte ein Sprecher am Montag.'],
    ]);
  });

  it('reads setext headings', () => {
    const md = 'Die Lage\n--------\n\nDie Verhandlungen in Genf dauern an, sagte ein Sprecher am Montag.\n\nReaktionen\n----------\nDie Opposition kritisierte das Ergebnis der Gespräche als völlig unzureichend.\n';
    expect(passages(md)).toEqual([
      ['Die Lage', 'Die Verhandlungen in Genf dauern an, sagte ein Sprecher am Montag.'],
      ['Reaktionen', 'Die Opposition kritisierte das Ergebnis der Gespräche als völlig unzureichend.'],
    ]);
  });

  it('quotes list items and block quotes without their markers', () => {
    const md = [
      '## Forderungen',
      '',
      '- Die Regierung soll die Grenzübergänge für Hilfslieferungen sofort öffnen.',
      '- Die Waffenruhe soll von unabhängigen Beobachtern überwacht werden.',
      '',
      '> „Wir werden diese Bedingungen nicht akzeptieren“, sagte der Minister am Abend.',
      '> Er kündigte weitere Gespräche an.',
      '',
      '1. Erstens müssen alle Gefangenen freigelassen werden, verlangte die Delegation.',
    ].join('\n');
    const texts = splitArticle(read(md)).map((p) => p.text);
    expect(texts.join('\n')).toContain('Die Regierung soll die Grenzübergänge für Hilfslieferungen sofort öffnen.');
    expect(texts.join('\n')).toContain('„Wir werden diese Bedingungen nicht akzeptieren“, sagte der Minister am Abend.');
    expect(texts.join('\n')).toContain('Erstens müssen alle Gefangenen freigelassen werden');
    for (const t of texts) for (const m of MARKUP) expect(t).not.toMatch(m);
  });

  it('quotes a table row by row, its cells apart, without pipes at the edges or the delimiter row', () => {
    const md = '## Ergebnisse\n\nDie Wahlbeteiligung lag nach Angaben der Wahlleitung höher als je zuvor.\n\n| Partei | Stimmen |\n|---|---:|\n| **Grüne** | 12,5 % |\n| SPD | 20,1 % |\n';
    const texts = splitArticle(read(md)).map((p) => p.text);
    expect(texts.at(-1)).toContain('Partei | Stimmen\nGrüne | 12,5 %\nSPD | 20,1 %');
    for (const t of texts) for (const m of MARKUP) expect(t).not.toMatch(m);
  });

  it('keeps the text of a code block literally and never reads `## not a heading` in it as a heading', () => {
    const md = '## Echt\n\nDer folgende Befehl wurde im Protokoll der Sitzung wörtlich festgehalten.\n\n```\n## not a heading\nrm -rf /tmp/x\n```\n';
    const ps = splitArticle(read(md));
    expect(ps.map((p) => p.heading).filter(Boolean)).toEqual(['Echt']);
    expect(ps.map((p) => p.text).join('\n')).toContain('## not a heading\nrm -rf /tmp/x');
  });

  it('drops emphasis markers, link targets and images but keeps their text', () => {
    const md = 'Der **Kanzler** sagte laut [Protokoll](https://link.example/p "Titel") am _Montag_: ![Foto](https://link.example/f.jpg) „Wir bleiben dabei.“\n';
    expect(passages(md)).toEqual([[undefined, 'Der Kanzler sagte laut Protokoll am Montag: „Wir bleiben dabei.“']]);
  });

  it('reads a block of raw HTML for its text, not its tags', () => {
    const md = '## Lage\n\n<div class="x">\n<p>Ein Absatz in HTML, wie Exporte ihn schreiben, mit genug Text.</p>\n<figure><figcaption>Foto: dpa</figcaption></figure>\n</div>\n\n<!-- ein Kommentar -->\n';
    expect(passages(md)).toEqual([['Lage', 'Ein Absatz in HTML, wie Exporte ihn schreiben, mit genug Text.']]);
  });

  it('keeps hard-wrapped paragraphs together: a line that breaks mid-sentence does not end a paragraph', () => {
    const md = '## Lage\n\nErste Zeile eines Absatzes, der\nüber zwei Zeilen geht.\n\nZweiter Absatz mit genug Text für sich.\n';
    expect(passages(md)).toEqual([
      ['Lage', 'Erste Zeile eines Absatzes, der\nüber zwei Zeilen geht.'],
      [undefined, 'Zweiter Absatz mit genug Text für sich.'],
    ]);
    const wrapped = Array.from({ length: 8 }, (_, i) => `Zeile ${i} eines langen umbrochenen Absatzes mit vielen Wörtern darin.`.replace(/\.$/, i % 2 ? ',' : ' und'));
    const ps = splitArticle(read(`${wrapped.join('\n')}\nEnde.\n`));
    expect(ps).toHaveLength(1);
  });

  it('takes a leading level-1 heading as the title when there is no front matter, and not as a section heading', () => {
    const a = read('# Die Tür bleibt offen\n\nDie NATO hat ihre Antwort an Moskau übergeben, teilte das Bündnis mit.\n');
    expect(a.title).toBe('Die Tür bleibt offen');
    expect(splitArticle(a).map((p) => [p.heading, p.paragraph])).toEqual([[undefined, 1]]);
  });

  it('maps every block back to the Markdown it came from', () => {
    const raw = AUFZUG;
    const a = read(raw);
    for (const b of a.blocks!) {
      const source = raw.slice(...b.source!);
      for (const word of a.text.slice(b.start, b.end).match(/\p{L}{3,}/gu) ?? []) expect(source).toContain(word);
    }
  });

  it('gives every passage of every example as a verbatim slice of the stored text, free of markup', () => {
    const examples = [AUFZUG, '## A\nText eins ist lang genug für einen Absatz mit Inhalt.\n\nB\n-\nText zwei **fett** und [Link](https://link.example/).\n\n- eins, ein Punkt einer Liste\n- zwei, noch einer\n\n> Zitat mit *Betonung*.\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n```\n## not a heading\n```\n'];
    for (const md of examples) {
      const a = read(md);
      const ps = splitArticle(a);
      expect(ps.length).toBeGreaterThan(0);
      for (const p of ps) {
        expect(p.text).toBe(a.text.slice(p.start, p.end));
        if (p.heading) expect(a.text).toContain(p.heading);
        for (const m of MARKUP) if (!p.text.includes('not a heading')) expect(p.text).not.toMatch(m);
      }
    }
  });
});
