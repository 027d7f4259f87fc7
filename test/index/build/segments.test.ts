/**
 * The segmented layout: a reindex writes only a segment of the added and changed articles, tombstones what
 * they replace, merges segments when they pile up, and a kill at any point leaves the previous version
 * answering and no orphan segment after the next run.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { reindex, type ReindexOptions } from '../../../index/build/reindex.ts';
import { MERGE_FACTOR } from '../../../index/build/merge.ts';
import { mergeDue } from '../../../index/build/merge-due.ts';
import type { Config } from '../../../index/config.ts';
import { createTransformersEmbedder } from '../../../index/embed/transformers-embedder.ts';
import { FILES } from '../../../index/store/format.ts';
import { indexRoot } from '../../../index/store/layout.ts';
import { openIndex, readManifest, passageText } from '../../../index/store/open.ts';
import { countingEmbedder } from '../../support/counting-embedder.ts';
import { liveVersion } from '../../support/index-files.ts';
import { makeTinyModel, ROOT, silentLog, tempDir, tinyWorkspace } from '../../support/setup.ts';

let cleanups: Array<() => Promise<void>> = [];
let config: Config;
let modelsDir: string | undefined;
let modelsTemp: { dir: string; cleanup: () => Promise<void> } | undefined;
const later = () => new Date(Date.now() + 60_000); // files just written count as settled

const run = (extra: Partial<ReindexOptions> = {}, embedder = countingEmbedder(createTransformersEmbedder(config.embedding))) =>
  reindex({ corpusDir: config.corpusDir, dataDir: config.dataDir, embedder, embedding: config.embedding, log: silentLog, now: later, ...extra });

const article = (name: string, words: string) =>
  writeFile(path.join(config.corpusDir, `${name}.txt`), `${name}\n\nEin Absatz über ${words} und die Verhandlungen in Genf.\n\nNoch ein Absatz über ${words}.`);

async function segmentFolders(): Promise<{ present: string[]; used: string[] }> {
  const present = (await readdir(path.join(indexRoot(config.dataDir), 'segments'))).sort();
  const { dir, manifest } = await liveVersion(config.dataDir);
  const used = new Set(manifest.segments.map((s) => s.id));
  if (manifest.previous) for (const s of (await readManifest(path.join(path.dirname(dir), manifest.previous))).segments) used.add(s.id);
  return { present, used: [...used].sort() };
}

/** Labels of the best keyword hits, with scores, for comparing against a rebuilt index. */
async function keywordHits(question: string) {
  const index = await openIndex(config.dataDir);
  return index.lexical.search(question, 10).map((h) => ({ text: passageText(index, index.byLabel.get(h.label)!), score: h.score }));
}

beforeEach(async () => {
  modelsTemp ??= await tempDir();
  modelsDir ??= await makeTinyModel(modelsTemp.dir);
  const temp = await tempDir();
  cleanups.push(temp.cleanup);
  config = await tinyWorkspace(temp.dir, modelsDir);
  await run();
});
afterAll(async () => {
  for (const c of cleanups) await c();
  await modelsTemp?.cleanup();
  cleanups = [];
});

describe('a segmented index', () => {
  it('adds an article as a new segment, leaving the old segments as they were', async () => {
    const before = await liveVersion(config.dataDir);
    await article('vulkan', 'Vulkanausbrüche in Island');
    const embedder = countingEmbedder(createTransformersEmbedder(config.embedding));
    const summary = await run({}, embedder);
    expect(summary.articles).toMatchObject({ added: 1, unchanged: 5 });
    const after = await liveVersion(config.dataDir);
    expect(after.manifest.segments.slice(0, -1)).toEqual(before.manifest.segments);
    const added = after.manifest.segments.at(-1)!;
    expect(added).toMatchObject({ articleCount: 1, passageCount: 2 });
    expect(embedder.calls.texts).toBe(2);
    const index = await openIndex(config.dataDir);
    expect(index.articles.size).toBe(6);
    expect(index.lexical.search('Vulkanausbrüche Island', 1).map((h) => index.byLabel.get(h.label)!.articleId)).toEqual(['vulkan']);
  });

  it('tombstones the passages of changed and removed articles, and scores keywords as one index would', async () => {
    await article('vulkan', 'Vulkanausbrüche in Island');
    await run();
    await article('vulkan', 'Gletscher in Grönland');
    const first = (await readdir(config.corpusDir)).find((f) => f.startsWith('001_'))!;
    await rm(path.join(config.corpusDir, first));
    const summary = await run();
    expect(summary.articles).toMatchObject({ changed: 1, removed: 1 });
    const { dir, manifest } = await liveVersion(config.dataDir);
    expect(Object.keys(manifest.files).sort()).toEqual([FILES.deleted, FILES.sources]);
    const deleted = JSON.parse(await readFile(path.join(dir, FILES.deleted), 'utf8')) as Record<string, { articles: string[] }>;
    expect(Object.values(deleted).flatMap((d) => d.articles)).toContain(first.replace(/\.txt$/, ''));
    // The segment that held only the old text of the changed article had nothing live left: it is gone.
    expect(manifest.segments.map((s) => s.articleCount)).toEqual([5, 1]);

    const index = await openIndex(config.dataDir);
    expect(index.articles.size).toBe(5);
    expect(index.passages.length).toBe(manifest.passageCount);
    expect(index.lexical.search('Vulkanausbrüche', 5)).toEqual([]);
    const questions = ['Gletscher Grönland', 'Verhandlungen in Genf', 'Sicherheitsgarantien Ukraine NATO', 'Peskow Kreml'];
    const segmented = await Promise.all(questions.map(keywordHits));
    await run({ rebuild: true });
    expect((await liveVersion(config.dataDir)).manifest.segments).toHaveLength(1);
    const rebuilt = await Promise.all(questions.map(keywordHits));
    for (let q = 0; q < questions.length; q++) {
      expect(segmented[q]!.map((h) => h.text)).toEqual(rebuilt[q]!.map((h) => h.text));
      segmented[q]!.forEach((h, i) => expect(h.score).toBeCloseTo(rebuilt[q]![i]!.score, 9));
    }
  });

  it(`merges ${MERGE_FACTOR} small segments into one, dropping tombstoned passages, without embedding again`, async () => {
    for (let i = 1; i < MERGE_FACTOR - 1; i++) {
      await article(`meldung-${i}`, `Thema ${i} Quantenkryptografie`);
      await run();
    }
    expect((await liveVersion(config.dataDir)).manifest.segments).toHaveLength(MERGE_FACTOR - 1);
    await article('meldung-1', 'Gletscher in Grönland');
    await article('letzte', 'Vulkanausbrüche in Island');
    const embedder = countingEmbedder(createTransformersEmbedder(config.embedding));
    await run({}, embedder);
    const { manifest } = await liveVersion(config.dataDir);
    expect(manifest.segments).toHaveLength(1);
    expect(manifest.files).not.toHaveProperty(FILES.deleted);
    expect(manifest.segments[0]!.passageCount).toBe(manifest.passageCount);
    expect(embedder.calls.texts).toBe(4); // the two new articles' passages only
    const index = await openIndex(config.dataDir);
    expect(index.articles.size).toBe(5 + MERGE_FACTOR - 1);
    expect(index.lexical.search('Quantenkryptografie', 10).map((h) => index.byLabel.get(h.label)!.articleId)).not.toContain('meldung-1');
    const hit = index.vectorIndex!.search(index.vectors.row(index.passages.findIndex((p) => p.articleId === 'letzte')), 1)[0]!;
    expect(index.byLabel.get(hit.label)!.articleId).toBe('letzte');
    // Once the version before is replaced too, only the merged segment is left on disk.
    await article('noch-eine', 'Windkraft an der Nordsee');
    await run();
    await run({ rebuild: false });
    const { present, used } = await segmentFolders();
    expect(present).toEqual(used);
  });

  it('publishes the change before merging, and with merging left to the merge step, merges when that runs', async () => {
    for (let i = 1; i < MERGE_FACTOR; i++) {
      await article(`meldung-${i}`, `Thema ${i} Quantenkryptografie`);
      const summary = await run({ merge: false });
      expect(summary.merged).toBeUndefined();
    }
    expect((await liveVersion(config.dataDir)).manifest.segments).toHaveLength(MERGE_FACTOR);
    const before = await openIndex(config.dataDir);
    const merged = await mergeDue({ dataDir: config.dataDir, log: silentLog, now: later });
    expect(merged).toMatchObject({ merged: MERGE_FACTOR, segmentsBefore: MERGE_FACTOR, segmentsAfter: 1 });
    const after = await openIndex(config.dataDir);
    expect(after.manifest.segments).toHaveLength(1);
    expect([...after.articles.keys()].sort()).toEqual([...before.articles.keys()].sort());
    expect(after.passages.map((p) => passageText(after, p))).toEqual(before.passages.map((p) => passageText(before, p)));
    expect(await mergeDue({ dataDir: config.dataDir, log: silentLog, now: later })).toBeUndefined();
  });

  it('merges when due even if nothing changed, in a version of its own after the change', async () => {
    for (let i = 1; i < MERGE_FACTOR; i++) {
      await article(`meldung-${i}`, `Thema ${i}`);
      await run({ merge: false });
    }
    const summary = await run();
    expect(summary.published).toBe(false);
    expect(summary.merged?.segmentsAfter).toBe(1);
    expect((await liveVersion(config.dataDir)).manifest.segments).toHaveLength(1);
  });
});

describe('a reindex killed', () => {
  const killed = (point: string) =>
    new Promise<{ signal: NodeJS.Signals | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/killed-reindex.ts', config.corpusDir, config.dataDir, modelsDir!, point], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, NODE_ENV: 'test' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('exit', (_, signal) => resolve({ signal, stdout }));
    });

  for (const [when, point, merging] of [
    ['while writing the new segment', 'seal:1', false],
    ['during the switch (new segment and version written, CURRENT not yet switched)', 'publish:1', false],
    ['while writing a merged segment', 'seal:2', true],
    ['during the switch to the merged version', 'publish:2', true],
  ] as const) {
    const live = merging ? 'the version with the change (published before the merge)' : 'the previous version';
    it(`${when} leaves ${live} answering, and the next run leaves no orphan`, async () => {
      if (merging) {
        for (let i = 1; i < MERGE_FACTOR - 1; i++) {
          await article(`meldung-${i}`, `Thema ${i}`);
          await run();
        }
      }
      const before = await openIndex(config.dataDir);
      await article('vulkan', 'Vulkanausbrüche in Island');
      const { signal, stdout } = await killed(point);
      expect(signal).toBe('SIGKILL');
      expect(stdout).toBe('');
      const after = await openIndex(config.dataDir);
      if (merging) {
        expect(after.dir).not.toBe(before.dir);
        expect(after.manifest.segments).toHaveLength(MERGE_FACTOR);
      } else expect(after.dir).toBe(before.dir);
      expect(after.articles.has('vulkan')).toBe(merging);
      expect(after.lexical.search('Verhandlungen Genf', 3).length).toBeGreaterThan(0);
      const leftovers = (await readdir(path.join(indexRoot(config.dataDir), 'segments'))).filter((n) => !new Set(after.manifest.segments.map((s) => s.id)).has(n));
      expect(leftovers.length).toBeGreaterThan(0); // what the killed run wrote, before the next run

      const summary = await run();
      expect(summary.articles.added).toBe(merging ? 0 : 1);
      // Nothing changed, but the merge left undone is done now.
      if (merging) expect(summary.merged?.merged).toBe(MERGE_FACTOR);
      expect((await openIndex(config.dataDir)).articles.has('vulkan')).toBe(true);
      expect((await readdir(indexRoot(config.dataDir))).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
      const { present, used } = await segmentFolders();
      expect(present).toEqual(used);
    }, 60_000);
  }
});
