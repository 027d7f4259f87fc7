/**
 * Every file of the live version damaged in turn (truncated to half, zeroed, deleted, and CURRENT pointed
 * elsewhere): opening it is refused with a message naming the file, and a reindex repairs it from the
 * corpus, after which the answers are right again.
 */
import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer } from '../../../index/answer/answer.ts';
import { reindex } from '../../../index/build/reindex.ts';
import type { Config } from '../../../index/config.ts';
import { createTransformersEmbedder } from '../../../index/embed/transformers-embedder.ts';
import { isQuotedeskError } from '../../../index/errors.ts';
import { FILES } from '../../../index/store/format.ts';
import { HNSW_FILE } from '../../../index/store/hnsw.ts';
import { indexRoot, readCurrentVersion } from '../../../index/store/layout.ts';
import { openIndex, readManifest } from '../../../index/store/open.ts';
import { verifyVersion } from '../../../index/store/verify.ts';
import { openConfiguredIndex } from '../../../index/setup.ts';
import { countingEmbedder } from '../../support/counting-embedder.ts';
import { runScript } from '../../support/run-script.ts';
import { liveFile } from '../../support/index-files.ts';
import { makeTinyModel, silentLog, tempDir, TINY_MODEL, tinyWorkspace } from '../../support/setup.ts';

let cleanup: () => Promise<void>;
let config: Config;
let vars: Record<string, string>;

const run = (embedder = countingEmbedder(createTransformersEmbedder(config.embedding))) =>
  reindex({ corpusDir: config.corpusDir, dataDir: config.dataDir, embedder, embedding: config.embedding, log: silentLog });

const QUESTION = 'Wo fand das Krisentreffen zwischen Blinken und Lawrow statt?';
async function expectRightAnswer() {
  const index = await openConfiguredIndex(config);
  const result = await answer(index, createTransformersEmbedder(config.embedding), { question: QUESTION }, { maxQuestionChars: 500, maxPerArticle: 2 });
  expect(result.results[0]?.articleId).toBe('001_05284ddf7004647a');
  expect(result.results[0]?.quote).toContain('Krisentreffen in Genf');
  expect(index.articles.size).toBe(5);
}

async function refusal(): Promise<Error> {
  const err = await openConfiguredIndex(config).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isQuotedeskError(err, 'INDEX_DAMAGED'), String(err)).toBe(true);
  expect((err as Error).message).toMatch(/npm run index/);
  return err as Error;
}

const DAMAGE = {
  truncated: async (file: string) => truncate(file, Math.floor((await readFile(file)).length / 2)),
  zeroed: async (file: string) => writeFile(file, Buffer.alloc((await readFile(file)).length)),
  deleted: (file: string) => rm(file),
};

beforeAll(async () => {
  const temp = await tempDir();
  cleanup = temp.cleanup;
  const modelsDir = await makeTinyModel(temp.dir);
  config = await tinyWorkspace(temp.dir, modelsDir);
  vars = { CORPUS_DIR: config.corpusDir, DATA_DIR: config.dataDir, MODELS_DIR: modelsDir, EMBEDDING_MODEL: TINY_MODEL, EMBEDDING_QUANTIZED: 'false', ALLOW_REMOTE_MODELS: 'false' };
  await run();
});
afterAll(() => cleanup());

describe('a damaged live index', () => {
  const readerFiles = [FILES.manifest, FILES.articles, FILES.texts, FILES.passages, FILES.lexical, HNSW_FILE];
  for (const name of readerFiles) {
    for (const [how, damage] of Object.entries(DAMAGE)) {
      it(`is refused naming ${name} when it is ${how}, and a reindex repairs it`, async () => {
        const total = (await openIndex(config.dataDir)).manifest.passageCount;
        await damage(await liveFile(config.dataDir, name));
        expect((await refusal()).message).toContain(name);

        const embedder = countingEmbedder(createTransformersEmbedder(config.embedding));
        const summary = await run(embedder);
        expect(summary.published).toBe(true);
        expect(summary.repaired?.join(' ')).toContain(name);
        // Intact pieces are reused: only a lost graph or a lost passage table (which maps vectors to texts) costs embedding.
        const reembeds = name === HNSW_FILE || name === FILES.passages || name === FILES.manifest;
        expect(embedder.calls.texts).toBe(reembeds ? total : 0);
        await expectRightAnswer();
        expect(await verifyVersion((await readCurrentVersion(config.dataDir))!, await readManifest((await readCurrentVersion(config.dataDir))!))).toEqual([]);
      });
    }
  }

  it('finds one flipped byte in the graph, on opening (before hnswlib reads it) and with --verify, and repairs it', async () => {
    const file = await liveFile(config.dataDir, HNSW_FILE);
    const bytes = await readFile(file);
    bytes[Math.floor(bytes.length / 4)]! ^= 0x01;
    await writeFile(file, bytes);
    expect((await refusal()).message).toContain(`${file} does not match its checksum`);
    const check = await runScript('scripts/index.ts', ['--verify'], vars);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`${file} does not match its checksum`);
    const repair = await runScript('scripts/index.ts', [], vars);
    expect(repair.code, repair.stderr).toBe(0);
    expect(repair.stdout).toMatch(/^Index repaired/);
    expect(repair.stdout).toContain(HNSW_FILE);
    const again = await runScript('scripts/index.ts', ['--verify'], vars);
    expect(again.stdout).toMatch(/all \d+ files intact/);
    expect(again.code).toBe(0);
  });

  it('is refused when one value in the manifest changes, and repaired', async () => {
    const file = path.join((await readCurrentVersion(config.dataDir))!, FILES.manifest);
    await writeFile(file, (await readFile(file, 'utf8')).replace(/"articleCount": \d+/, '"articleCount": 6'));
    expect((await refusal()).message).toContain(`${file} does not match its checksum`);
    expect((await run()).repaired?.join(' ')).toContain(FILES.manifest);
    await expectRightAnswer();
  });

  it('without its stamps still answers, and the next reindex reads every file once and records them again', async () => {
    const dir = (await readCurrentVersion(config.dataDir))!;
    await writeFile(path.join(dir, FILES.sources), '');
    await expectRightAnswer();
    const summary = await run();
    expect(summary.published).toBe(false);
    expect(await verifyVersion(dir, await readManifest(dir))).toEqual([]);
  });

  for (const [how, content] of [
    ['pointing outside the index folder', '../../../etc'],
    ['naming an absolute path', '/etc'],
    ['zeroed', '\0\0\0\0\0\0\0\0'],
    ['truncated', 'v2'],
  ] as const) {
    it(`refuses CURRENT ${how}, reading nothing there, and a reindex repairs it`, async () => {
      await writeFile(path.join(indexRoot(config.dataDir), 'CURRENT'), content);
      expect((await refusal()).message).toContain('CURRENT');
      const summary = await run();
      expect(summary.published).toBe(true);
      expect(summary.repaired?.join(' ')).toContain('CURRENT');
      await expectRightAnswer();
    });
  }

  it('is built from scratch with --rebuild, reusing nothing', async () => {
    const before = await openIndex(config.dataDir);
    const embedder = countingEmbedder(createTransformersEmbedder(config.embedding));
    const summary = await reindex({ corpusDir: config.corpusDir, dataDir: config.dataDir, embedder, embedding: config.embedding, log: silentLog, rebuild: true });
    expect(summary).toMatchObject({ published: true, articles: { added: 5, unchanged: 0 }, passages: { embedded: before.manifest.passageCount, reused: 0 } });
    expect(embedder.calls.texts).toBe(before.manifest.passageCount);
    expect((await openIndex(config.dataDir)).dir).not.toBe(before.dir);
    await expectRightAnswer();
  });

  it('is refused by ask with one clear line, not a stack trace', async () => {
    const file = await liveFile(config.dataDir, FILES.texts);
    await rm(file);
    const r = await runScript('scripts/ask.ts', ['--json', QUESTION], vars);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`quotedesk: the index is damaged: ${file} is missing. Run \`npm run index\` to repair it.`);
    expect(r.stdout).toBe('');
    await run();
  });
});
