/**
 * The record of segment files a reindex checked in full: a file that looks as it did then is not read again,
 * one that changed since (however it changed) is checked again, and damage is still found and repaired.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reindex } from '../../../index/build/reindex.ts';
import type { Config } from '../../../index/config.ts';
import { createTransformersEmbedder } from '../../../index/embed/transformers-embedder.ts';
import { FILES } from '../../../index/store/format.ts';
import { indexRoot } from '../../../index/store/layout.ts';
import { openIndex } from '../../../index/store/open.ts';
import { VERIFIED_FILE } from '../../../index/store/verified.ts';
import { liveFile, liveVersion } from '../../support/index-files.ts';
import { makeTinyModel, silentLog, tempDir, tinyWorkspace } from '../../support/setup.ts';

let config: Config;
let modelsDir: string;
const cleanups: Array<() => Promise<void>> = [];
// Files just written are not trusted by their look (they may change again within the same timestamp).
const later = () => new Date(Date.now() + 60_000);
const run = (now: () => Date = later) =>
  reindex({ corpusDir: config.corpusDir, dataDir: config.dataDir, embedder: createTransformersEmbedder(config.embedding), embedding: config.embedding, log: silentLog, now });
const recorded = async () => {
  const parsed = JSON.parse(await readFile(path.join(indexRoot(config.dataDir), VERIFIED_FILE), 'utf8')) as { files: Record<string, unknown> };
  return Object.keys(parsed.files).sort();
};

beforeAll(async () => {
  const models = await tempDir();
  cleanups.push(models.cleanup);
  modelsDir = await makeTinyModel(models.dir);
});
beforeEach(async () => {
  const temp = await tempDir();
  cleanups.push(temp.cleanup);
  config = await tinyWorkspace(temp.dir, modelsDir);
  await run();
});
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe('the record of checked segment files', () => {
  it('records every file of every segment once it is checked and old enough to trust its look', async () => {
    await run();
    const { manifest } = await liveVersion(config.dataDir);
    const files = manifest.segments.flatMap((s) => Object.keys(s.files).map((name) => `${s.id}/${name}`)).sort();
    expect(await recorded()).toEqual(files);
  });

  it('records nothing just written: its look is not yet trustworthy', async () => {
    await run(() => new Date(Date.now() - 60_000)); // as if just after the files were written
    await expect(readFile(path.join(indexRoot(config.dataDir), VERIFIED_FILE), 'utf8')).rejects.toThrow();
  });

  it('checks a recorded file again once it changed, and repairs it', async () => {
    await run();
    const file = await liveFile(config.dataDir, FILES.lexical);
    await writeFile(file, Buffer.alloc((await readFile(file)).length)); // same size, zeroed
    const summary = await run();
    expect(summary.repaired?.join('\n')).toMatch(/lexical\.bin does not match its checksum/);
    const index = await openIndex(config.dataDir);
    expect(index.lexical.search('Verhandlungen Genf', 3).length).toBeGreaterThan(0);
  });

  it('ignores a garbled record and checks every file again', async () => {
    await writeFile(path.join(indexRoot(config.dataDir), VERIFIED_FILE), '{"version": 1, "files": ');
    const file = await liveFile(config.dataDir, FILES.passages);
    await writeFile(file, Buffer.alloc((await readFile(file)).length));
    const summary = await run();
    expect(summary.repaired?.join('\n')).toMatch(/passages\.bin does not match its checksum/);
    expect((await recorded()).length).toBeGreaterThan(0);
  });
});
