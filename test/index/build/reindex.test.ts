import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../../index/answer/answer.ts';
import { reindex } from '../../../index/build/reindex.ts';
import type { Config } from '../../../index/config.ts';
import { createTransformersEmbedder } from '../../../index/embed/transformers-embedder.ts';
import { isQuotedeskError } from '../../../index/errors.ts';
import { FILES, FORMAT_VERSION } from '../../../index/store/format.ts';
import { indexRoot } from '../../../index/store/layout.ts';
import { openIndex } from '../../../index/store/open.ts';
import { openConfiguredIndex } from '../../../index/setup.ts';
import { countingEmbedder } from '../../support/counting-embedder.ts';
import { makeTinyModel, silentLog, spawnIndexScript, tempDir, tinyWorkspace } from '../../support/setup.ts';

let dir: string;
let cleanup: () => Promise<void>;
let config: Config;

const run = (embedder = countingEmbedder(createTransformersEmbedder(config.embedding)), extra = {}) =>
  reindex({ corpusDir: config.corpusDir, dataDir: config.dataDir, embedder, embedding: config.embedding, log: silentLog, ...extra });

const limits = { maxQuestionChars: 500, maxPerArticle: 2 };
async function ask(question: string) {
  const index = await openConfiguredIndex(config);
  return answer(index, createTransformersEmbedder(config.embedding), { question }, limits);
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  const modelsDir = await makeTinyModel(dir, ['Neuer Artikel über Quantenkryptografie in Island und Vulkanausbrüche']);
  config = await tinyWorkspace(dir, modelsDir);
});
afterAll(() => cleanup());

describe('reindex', () => {
  it('builds a first index with a vector for every passage and a versioned manifest', async () => {
    const embedder = countingEmbedder(createTransformersEmbedder(config.embedding));
    const summary = await run(embedder);
    expect(summary.published).toBe(true);
    expect(summary.articles).toEqual({ added: 5, changed: 0, removed: 0, unchanged: 0 });
    expect(summary.passages.embedded).toBe(summary.passages.total);
    expect(embedder.calls.texts).toBe(summary.passages.total);
    const index = await openIndex(config.dataDir);
    expect(index.manifest).toMatchObject({ formatVersion: FORMAT_VERSION, articleCount: 5, passageCount: summary.passages.total });
    expect(index.manifest.dense).toMatchObject({ model: 'quotedesk-tiny', dims: 128, quantized: false });
    expect(Date.parse(index.manifest.builtAt)).not.toBeNaN();
  });

  it('does nothing, and never asks the model, when nothing changed', async () => {
    const before = await readdir(indexRoot(config.dataDir));
    const embedder = countingEmbedder(createTransformersEmbedder(config.embedding));
    const summary = await run(embedder);
    expect(summary.published).toBe(false);
    expect(summary.articles).toEqual({ added: 0, changed: 0, removed: 0, unchanged: 5 });
    expect(embedder.calls).toEqual({ passages: 0, texts: 0, queries: 0 });
    expect(await readdir(indexRoot(config.dataDir))).toEqual(before);
  });

  it('embeds only what changed when articles are added, changed and removed', async () => {
    const corpus = config.corpusDir;
    const changedFile = path.join(corpus, '001_05284ddf7004647a.txt');
    const original = await readFile(changedFile, 'utf8');
    await writeFile(
      changedFile,
      original.replace('Gespräche im Normandie-Format', 'Gespräche im Normandie-Format\n\nDer Kanzler telefonierte am Abend mit Vulkanausbrüche-Forschern in Island.'),
    );
    await rm(path.join(corpus, '004_ef3c49121fa61ece.txt'));
    await writeFile(
      path.join(corpus, 'neu.md'),
      '---\ntitle: Quantenkryptografie in Island\noutlet: Testblatt\ndate: 2025-09-01\n---\nIsland setzt auf Quantenkryptografie, meldet das Testblatt.\n',
    );
    const embedder = countingEmbedder(createTransformersEmbedder(config.embedding));
    const summary = await run(embedder);
    expect(summary.articles).toEqual({ added: 1, changed: 1, removed: 1, unchanged: 3 });
    expect(summary.passages.embedded).toBe(embedder.calls.texts);
    expect(summary.passages.embedded).toBeLessThanOrEqual(3);
    expect(summary.passages.reused).toBeGreaterThan(30);

    const fresh = await ask('Quantenkryptografie in Island');
    expect(fresh.results[0]).toMatchObject({ articleId: 'neu', outlet: 'Testblatt', title: 'Quantenkryptografie in Island', date: '2025-09-01' });
    const gone = await ask('Was erklärte Witkoff dem US-Nachrichtensender CNN über den Schutz der Ukraine wie im Rahmen einer Nato-Mitgliedschaft?');
    expect(gone.results.map((r) => r.articleId)).not.toContain('004_ef3c49121fa61ece');
  });

  it('refuses an index made with another model or format, saying to reindex', async () => {
    const other = { ...config, embedding: { ...config.embedding, model: 'Xenova/multilingual-e5-small' } };
    await expect(openConfiguredIndex(other)).rejects.toThrow(/built with embedding model "quotedesk-tiny".*npm run index/s);
    const index = await openIndex(config.dataDir);
    const manifestFile = path.join(index.dir, FILES.manifest);
    const manifest = await readFile(manifestFile, 'utf8');
    await writeFile(manifestFile, manifest.replace(`"formatVersion": ${FORMAT_VERSION}`, '"formatVersion": 999'));
    const err = await openIndex(config.dataDir).catch((e: unknown) => e);
    expect(isQuotedeskError(err, 'INDEX_INCOMPATIBLE')).toBe(true);
    expect((err as Error).message).toMatch(/format version 999.*npm run index/);
    await writeFile(manifestFile, manifest);
  });

  it('leaves the previous version live when a reindex fails before publishing, and removes what it wrote', async () => {
    const before = await openIndex(config.dataDir);
    await writeFile(path.join(config.corpusDir, 'zwischenfall.txt'), 'Zwischenfall\n\nEin Absatz, der nie veröffentlicht wird, über Vulkanausbrüche.');
    await expect(run(undefined, { beforePublish: () => Promise.reject(new Error('crash')) })).rejects.toThrow('crash');
    const after = await openIndex(config.dataDir);
    expect(after.dir).toBe(before.dir);
    expect(after.manifest.passageCount).toBe(before.manifest.passageCount);
    expect((await readdir(indexRoot(config.dataDir))).filter((n) => n.startsWith('.tmp-'))).toEqual([]);

    const summary = await run();
    expect(summary.articles.added).toBe(1);
    expect((await readdir(indexRoot(config.dataDir))).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('keeps the previous version usable when the index process is killed midway', async () => {
    const before = await openIndex(config.dataDir);
    // Enough new text that the kill lands while the child is still embedding or writing.
    for (let i = 0; i < 60; i++) {
      const paragraphs = Array.from({ length: 12 }, (_, j) => `Absatz ${j} über Vulkanausbrüche in Island, Bericht ${i}, mit Quantenkryptografie und mehr Text.`);
      await writeFile(path.join(config.corpusDir, `massen-${i}.txt`), `Meldung ${i}\n\n${paragraphs.join('\n\n')}`);
    }
    const { child, exited } = spawnIndexScript(config);
    const lock = path.join(indexRoot(config.dataDir), 'reindex.lock');
    while (!existsSync(lock)) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 150)); // into reading, embedding or writing
    child.kill('SIGKILL');
    await exited;

    const after = await openConfiguredIndex(config);
    expect(after.dir).toBe(before.dir);
    expect((await ask('Quantenkryptografie in Island')).results[0]?.articleId).toBe('neu');
    // The dead process's lock does not block the next reindex.
    const summary = await run();
    expect(summary.articles.added).toBe(60);
  });
});
