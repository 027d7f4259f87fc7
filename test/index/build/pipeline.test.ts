/**
 * A live version split by other rules than today's (an older PIPELINE_VERSION) is split and analysed again
 * in full, while vectors are reused wherever a passage's embedded text is unchanged.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reindex } from '../../../index/build/reindex.ts';
import type { Config } from '../../../index/config.ts';
import { createTransformersEmbedder } from '../../../index/embed/transformers-embedder.ts';
import { FILES, PIPELINE_VERSION, type Manifest } from '../../../index/store/format.ts';
import { openIndex } from '../../../index/store/open.ts';
import { encodePassages } from '../../../index/store/tables.ts';
import { encodeManifest, entryFor } from '../../../index/store/verify.ts';
import { countingEmbedder } from '../../support/counting-embedder.ts';
import { liveFile } from '../../support/index-files.ts';
import { silentLog, tempDir, tinyWorkspace } from '../../support/setup.ts';

let cleanup: () => Promise<void>;
let config: Config;
/** Passages as today's rules split the corpus. */
let total: number;
const later = () => new Date(Date.now() + 60_000); // the copied files' stamps count as settled
const run = (embedder = countingEmbedder(createTransformersEmbedder(config.embedding))) =>
  reindex({ corpusDir: config.corpusDir, dataDir: config.dataDir, embedder, embedding: config.embedding, log: silentLog, now: later });

beforeAll(async () => {
  const temp = await tempDir();
  cleanup = temp.cleanup;
  config = await tinyWorkspace(temp.dir);
  total = (await run()).passages.total;
});
afterAll(() => cleanup());

/** Makes the live version look split by older rules that lost every article's last passage. */
async function splitByOldRules(pipelineVersion: number): Promise<void> {
  const index = await openIndex(config.dataDir);
  const last = new Map(index.passages.map((p) => [p.articleId, p.label]));
  const kept = index.passages.filter((p) => last.get(p.articleId) !== p.label);
  const bytes = encodePassages(kept, [...index.articles.keys()]);
  const manifestFile = path.join(index.dir, FILES.manifest);
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest;
  expect(manifest.segments).toHaveLength(1);
  await writeFile(await liveFile(config.dataDir, FILES.passages), bytes);
  const segment = { ...manifest.segments[0]!, passageCount: kept.length, files: { ...manifest.segments[0]!.files, [FILES.passages]: entryFor(bytes) } };
  const updated = { ...manifest, pipelineVersion, passageCount: kept.length, segments: [segment] };
  await writeFile(manifestFile, encodeManifest(updated));
}

describe('the index pipeline version', () => {
  it('is recorded in the manifest', async () => {
    expect((await openIndex(config.dataDir)).manifest.pipelineVersion).toBe(PIPELINE_VERSION);
  });

  it('keeps what the live version’s rules produced while it matches', async () => {
    await splitByOldRules(PIPELINE_VERSION);
    const summary = await run();
    expect(summary.published).toBe(false);
    expect((await openIndex(config.dataDir)).passages.length).toBe(total - 5);
  });

  it('re-splits and re-analyses every article when it differs, reusing the vectors of unchanged texts', async () => {
    await splitByOldRules(PIPELINE_VERSION - 1);
    const lost = total - (await openIndex(config.dataDir)).passages.length;
    expect(lost).toBeGreaterThanOrEqual(5);
    const embedder = countingEmbedder(createTransformersEmbedder(config.embedding));
    const summary = await run(embedder);
    expect(summary).toMatchObject({ published: true, resplit: true, articles: { added: 0, changed: 0, removed: 0, unchanged: 5 } });
    const index = await openIndex(config.dataDir);
    expect(index.passages.length).toBe(total);
    expect(index.manifest.pipelineVersion).toBe(PIPELINE_VERSION);
    // The lost passages come back; their texts are not in the old passage table, so only they are embedded.
    expect(embedder.calls.texts).toBe(lost);
    expect(summary.passages).toEqual({ embedded: lost, reused: total - lost, total });
    // The keyword index was rebuilt: a word of a last passage is found again.
    const lastOf = index.passages.filter((p, i, all) => all[i + 1]?.articleId !== p.articleId)[0]!;
    expect(index.lexical.search(index.articles.get(lastOf.articleId)!.text.slice(lastOf.start, lastOf.end).split(/\s+/).slice(0, 6).join(' '), 5).map((h) => h.label)).toContain(
      lastOf.label,
    );
  });
});
