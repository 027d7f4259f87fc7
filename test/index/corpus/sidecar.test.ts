import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCorpus, type SkippedFile } from '../../../index/corpus/read.ts';
import { tempDir } from '../../support/setup.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const TEXT = 'Gemeinde saniert altes Schwimmbad\n\nDie Gemeinde hat am Montag beschlossen, das alte Schwimmbad im Ortskern zu sanieren.\n';

describe('metadata beside plain text', () => {
  it('completes a .txt citation from corpus/sources.yml without touching the file', async () => {
    const articles = await readCorpus(FIXTURES, () => {});
    expect(articles.find((a) => a.file === 'plain.txt')).toMatchObject({
      title: 'Gemeinde saniert altes Schwimmbad',
      outlet: 'Alpenpost',
      author: 'Eva Beispiel',
      date: '2024-02-19',
      url: 'https://alpenpost.example/schwimmbad',
    });
  });

  describe('in a temporary corpus', () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ dir, cleanup } = await tempDir()));
    afterEach(() => cleanup());
    const read = async () => {
      const skipped: SkippedFile[] = [];
      const articles = await readCorpus(dir, (s) => skipped.push(s));
      return { articles, skipped };
    };

    it('lets <name>.meta.yml override sources.yml and the file itself', async () => {
      await writeFile(path.join(dir, 'a.txt'), TEXT);
      await writeFile(path.join(dir, 'sources.yml'), 'a.txt:\n  outlet: Aus sources.yml\n  title: Anderer Titel\n');
      await writeFile(path.join(dir, 'a.meta.yml'), 'outlet: Aus a.meta.yml\nauthors:\n  - Ann\n  - Bo\n');
      const { articles, skipped } = await read();
      expect(skipped).toEqual([]);
      expect(articles[0]).toMatchObject({ outlet: 'Aus a.meta.yml', title: 'Anderer Titel', author: 'Ann, Bo' });
    });

    it('reports bad YAML, unknown files, unknown fields and bad values, and still reads the articles', async () => {
      await writeFile(path.join(dir, 'a.txt'), TEXT);
      await writeFile(path.join(dir, 'b.txt'), TEXT.replace('Gemeinde', 'Stadt'));
      await writeFile(path.join(dir, 'sources.yml'), 'a.txt:\n  outlet: Gut\n  datum: 2024-01-01\n  url: example.org\nfehlt.txt:\n  outlet: X\n');
      await writeFile(path.join(dir, 'b.meta.yml'), 'outlet: [unclosed\n');
      const { articles, skipped } = await read();
      expect(articles.map((a) => [a.file, a.outlet])).toEqual([['a.txt', 'Gut'], ['b.txt', undefined]]);
      expect(skipped.map((s) => `${s.file}: ${s.reason}`)).toEqual([
        expect.stringMatching(/^sources\.yml: "a\.txt": unknown field "datum"/),
        expect.stringMatching(/^sources\.yml: "a\.txt": url must start with http/),
        expect.stringMatching(/^sources\.yml: "fehlt\.txt": no such article file/),
        expect.stringMatching(/^b\.meta\.yml: not valid YAML/),
      ]);
    });

    it('changes the article hash when only its sidecar changes, so a reindex picks the new citation up', async () => {
      await writeFile(path.join(dir, 'a.txt'), TEXT);
      const before = (await read()).articles[0]!;
      await writeFile(path.join(dir, 'a.meta.yml'), 'outlet: Neu\n');
      const after = (await read()).articles[0]!;
      expect(after.outlet).toBe('Neu');
      expect(after.hash).not.toBe(before.hash);
      expect(after.text).toBe(before.text);
    });
  });
});
