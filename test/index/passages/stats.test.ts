import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reindex } from '../../../index/build/reindex.ts';
import type { Article } from '../../../index/corpus/article.ts';
import { passageStats, whyNoPassages } from '../../../index/passages/stats.ts';
import { splitArticle } from '../../../index/passages/split.ts';
import { formatSummary } from '../../../scripts/cli.ts';
import { silentLog, tempDir } from '../../support/setup.ts';

const article = (id: string, text: string, file = `${id}.txt`): Article => ({ id, file, text, hash: id });

describe('passageStats', () => {
  it('names every article without a passage, with what the splitter saw instead', () => {
    const good = article('good', 'Titel\n\nEin ganz normaler Absatz mit genug Text, um ein Absatz zu sein.\n\nNoch ein Absatz, der auch lang genug ist, damit er zählt.');
    const junk = article('junk', 'Startseite\nKommentare\nTeilen\n');
    const stats = passageStats([good, junk], [...splitArticle(good), ...splitArticle(junk)]);
    expect(stats.empty.map((e) => e.file)).toEqual(['junk.txt']);
    expect(stats.empty[0]!.reason).toMatch(/boilerplate \(navigation\)/);
    expect(stats.fewest).toEqual({ file: 'junk.txt', id: 'junk', passages: 0 });
    expect(stats.most).toMatchObject({ file: 'good.txt', passages: 2 });
  });

  it('explains an article of headings only', () => {
    expect(
      whyNoPassages({
        ...article('h', ''),
        file: 'h.md',
        text: 'A\n\nB',
        blocks: [
          { start: 0, end: 1, kind: 'heading' },
          { start: 3, end: 4, kind: 'heading' },
        ],
      }),
    ).toMatch(/2 heading/);
  });
});

describe('reindex summary', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempDir()));
  afterEach(() => cleanup());

  it('warns about and counts articles that give no passage, and shows passages per article at the extremes', async () => {
    const corpus = path.join(dir, 'corpus');
    await mkdir(corpus);
    await writeFile(
      path.join(corpus, 'a.md'),
      '---\ntitle: A\n---\n## Eins\nDer erste Absatz hat genug Text, um für sich zu stehen.\nDer zweite Absatz steht auf der nächsten Zeile und zählt auch.\n',
    );
    await writeFile(path.join(corpus, 'b.md'), '---\ntitle: B\n---\n## Nur\n\n## Überschriften\n');
    const warnings: string[] = [];
    const log = Object.assign(Object.create(silentLog), { warn: (_: unknown, msg: string) => warnings.push(msg) }) as typeof silentLog;
    const summary = await reindex({
      corpusDir: corpus,
      dataDir: path.join(dir, 'data'),
      embedder: undefined,
      embedding: { quantized: false, queryPrefix: '', passagePrefix: '' },
      log,
    });
    expect(summary.empty).toEqual([{ file: 'b.md', id: 'b', reason: expect.stringMatching(/2 heading/) }]);
    expect(warnings.some((w) => w.includes('b.md'))).toBe(true);
    expect(summary.perArticle).toEqual({ fewest: { file: 'b.md', id: 'b', passages: 0 }, most: { file: 'a.md', id: 'a', passages: 2 } });
    const printed = formatSummary(summary, 'm');
    expect(printed).toContain('Passages per article: fewest 0 (b.md), most 2 (a.md).');
    expect(printed.split('\n').filter((l) => l.startsWith('No passages from'))).toHaveLength(1);
    expect(printed).toMatch(/No passages from b\.md: no body paragraph: 2 heading/);
  });
});
