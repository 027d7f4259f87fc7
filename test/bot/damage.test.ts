import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Desk } from '../../bot/desk.ts';
import { reindex } from '../../index/build/reindex.ts';
import type { Config } from '../../index/config.ts';
import { createTransformersEmbedder } from '../../index/embed/transformers-embedder.ts';
import { FILES } from '../../index/store/format.ts';
import { HNSW_FILE } from '../../index/store/hnsw.ts';
import { liveFile } from '../support/index-files.ts';
import { silentLog, tempDir, tinyWorkspace } from '../support/setup.ts';
import { recordingLog } from './helpers.ts';

let cleanup: () => Promise<void>;
let config: Config;
const QUESTION = 'Wo fand das Krisentreffen zwischen Blinken und Lawrow statt?';

beforeAll(async () => {
  const temp = await tempDir();
  cleanup = temp.cleanup;
  config = await tinyWorkspace(temp.dir);
  await reindex({ corpusDir: config.corpusDir, dataDir: config.dataDir, embedder: createTransformersEmbedder(config.embedding), embedding: config.embedding, log: silentLog });
});
afterAll(() => cleanup());

describe('the bot with a damaged index', () => {
  it('keeps answering from what it loaded when the files on disk are damaged, and its reindex repairs them, logging an error', async () => {
    const recorded = recordingLog();
    const desk = new Desk(config, recorded.log, createTransformersEmbedder(config.embedding));
    await desk.open();
    const file = await liveFile(config.dataDir, HNSW_FILE);
    const bytes = await readFile(file);
    bytes[Math.floor(bytes.length / 4)]! ^= 0x01; // same size: only the checksum finds it
    await writeFile(file, bytes);
    await rm(path.join(path.dirname(file), FILES.texts));
    expect((await desk.ask({ question: QUESTION })).results[0]?.articleId).toBe('001_05284ddf7004647a');

    const summary = await desk.reindex();
    expect(summary.repaired?.join(' ')).toContain(`${file} does not match its checksum`);
    const error = recorded.errors()[0];
    expect(error?.msg).toMatch(/damaged on disk/);
    expect(JSON.stringify(error)).toContain(FILES.texts);
    expect((await desk.ask({ question: QUESTION })).results[0]?.articleId).toBe('001_05284ddf7004647a');
    await desk.close();
  });

  it('repairs an index it cannot open at start, saying so in the log', async () => {
    await rm(await liveFile(config.dataDir, FILES.texts));
    const recorded = recordingLog();
    const desk = new Desk(config, recorded.log, createTransformersEmbedder(config.embedding));
    await desk.open();
    expect(recorded.errors()[0]?.msg).toMatch(/damaged; repairing/);
    expect((await desk.ask({ question: QUESTION })).results[0]?.articleId).toBe('001_05284ddf7004647a');
    await desk.close();
  });
});
