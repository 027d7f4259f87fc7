import { cp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answer } from '../../../index/answer/answer.ts';
import { reindex } from '../../../index/build/reindex.ts';
import { readCurrentVersion } from '../../../index/store/layout.ts';
import { openIndex, readManifest, readSources } from '../../../index/store/open.ts';
import { silentLog, tempDir } from '../../support/setup.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

describe('reindexing a corpus of every format', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('indexes pages, feeds, exports and sidecar metadata, keeps authors, and does nothing the second time', async () => {
    const corpus = path.join(dir, 'corpus');
    await cp(FIXTURES, corpus, { recursive: true });
    await writeFile(path.join(corpus, 'clean.jsonl'), '{"title": "Sauber", "text": "Eine Zeile, die ganz gelesen wird und lang genug für einen Absatz ist.", "url": "https://x.example/sauber"}\n');
    const run = () =>
      reindex({ corpusDir: corpus, dataDir: path.join(dir, 'data'), embedder: undefined, embedding: { quantized: false, queryPrefix: '', passagePrefix: '' }, log: silentLog, now: () => new Date(Date.now() + 10_000) });
    const first = await run();
    expect(first.published).toBe(true);
    expect(first.empty).toEqual([]);
    expect(first.skipped.filter((s) => /indexed once/.test(s.reason))).toHaveLength(3);
    const index = await openIndex(path.join(dir, 'data'));
    const byTitle = new Map([...index.articles.values()].map((a) => [a.title, a]));
    expect(byTitle.get('Stadtrat beschließt Ausbau der Straßenbahn')).toMatchObject({ author: 'Jana Beispiel, Tom Muster', outlet: 'Rheinische Rundschau' });
    expect(byTitle.get('Ferry timetable changes from Monday')).toMatchObject({ author: 'Sam Example, Kim Sample' });
    expect(byTitle.get('Gemeinde saniert altes Schwimmbad')).toMatchObject({ author: 'Eva Beispiel', outlet: 'Alpenpost' });
    expect([...index.articles.values()].some((a) => 'blocks' in a)).toBe(false);

    const found = await answer(index, undefined, { question: 'island ferry every 40 minutes' }, { maxQuestionChars: 500, maxPerArticle: 2 });
    const ferry = found.results.find((r) => r.title === 'Ferry timetable changes from Monday')!;
    expect(ferry).toMatchObject({ author: 'Sam Example, Kim Sample', outlet: 'Harbour Herald', url: 'https://herald.example/news/ferry-timetable' });
    expect(ferry.citation).toMatch(/^Harbour Herald · Sam Example, Kim Sample · Ferry timetable changes from Monday · 2023-11-03 08:15 · ¶ \d+$/);

    // A collection read whole is not read again while its stamp holds; one with parts left out is, and says so again.
    const live = (await readCurrentVersion(path.join(dir, 'data')))!;
    const sources = await readSources(live, await readManifest(live));
    expect(sources.has('clean.jsonl')).toBe(true);
    expect(sources.has('export.jsonl')).toBe(false);
    expect(sources.has('og-only.html')).toBe(true);

    const second = await run();
    expect(second.published).toBe(false);
    expect(second.articles).toMatchObject({ added: 0, changed: 0, removed: 0 });
    expect(second.skipped.filter((s) => s.file === 'export.jsonl').length).toBeGreaterThan(0);

    await rm(path.join(corpus, 'news-jsonld.html'));
    const third = await run();
    // The feed's copy of the removed page now stands for it.
    expect(third.articles).toMatchObject({ added: 1, removed: 1 });
  });
});
