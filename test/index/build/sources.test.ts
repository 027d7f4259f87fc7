import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reindex } from '../../../index/build/reindex.ts';
import type { Config } from '../../../index/config.ts';
import { createTransformersEmbedder } from '../../../index/embed/transformers-embedder.ts';
import { FILES, type SourceStamp } from '../../../index/store/format.ts';
import { openIndex } from '../../../index/store/open.ts';
import { countingEmbedder } from '../../support/counting-embedder.ts';
import { silentLog, tempDir, tinyWorkspace } from '../../support/setup.ts';

let config: Config;
let cleanup: () => Promise<void>;
const FILE = '002_5e7becd5a67536c2.txt';

// A clock well ahead: files written by the test itself count as settled, not as just written.
const later = () => new Date(Date.now() + 60_000);
const run = () =>
  reindex({
    corpusDir: config.corpusDir,
    dataDir: config.dataDir,
    embedder: countingEmbedder(createTransformersEmbedder(config.embedding)),
    embedding: config.embedding,
    log: silentLog,
    now: later,
  });

async function stamps(): Promise<Map<string, SourceStamp>> {
  const index = await openIndex(config.dataDir);
  return new Map((JSON.parse(await readFile(path.join(index.dir, FILES.sources), 'utf8')) as SourceStamp[]).map((s) => [s.file, s]));
}

beforeAll(async () => {
  const temp = await tempDir();
  cleanup = temp.cleanup;
  config = await tinyWorkspace(temp.dir);
  await run();
});
afterAll(() => cleanup());

describe('reindex and file stamps', () => {
  it('records each article file’s size and times', async () => {
    const file = path.join(config.corpusDir, FILE);
    const s = await stat(file);
    expect((await stamps()).get(FILE)).toMatchObject({ file: FILE, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs });
  });

  it('publishes nothing for a file touched without a change, and remembers its new stamp', async () => {
    const file = path.join(config.corpusDir, FILE);
    const earlier = new Date(Date.now() - 3_600_000);
    await utimes(file, earlier, earlier);
    const summary = await run();
    expect(summary.published).toBe(false);
    expect(summary.articles.changed).toBe(0);
    expect((await stamps()).get(FILE)?.mtimeMs).toBe((await stat(file)).mtimeMs);
  });

  it('notices a change that keeps the size and puts the modification time back', async () => {
    const file = path.join(config.corpusDir, FILE);
    const before = await stat(file);
    const text = await readFile(file, 'utf8');
    const i = text.indexOf('Kiew');
    expect(i).toBeGreaterThan(0);
    await writeFile(file, `${text.slice(0, i)}Kyiv${text.slice(i + 4)}`);
    await utimes(file, before.atime, before.mtime);
    expect((await stat(file)).size).toBe(before.size);
    const summary = await run();
    expect(summary.published).toBe(true);
    expect(summary.articles).toMatchObject({ changed: 1, added: 0, removed: 0 });
  });
});
