import { watch } from 'node:fs';
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reindex } from '../../../index/build/reindex.ts';
import type { Config } from '../../../index/config.ts';
import { createTransformersEmbedder } from '../../../index/embed/transformers-embedder.ts';
import { indexRoot, readCurrentVersion } from '../../../index/store/layout.ts';
import { openConfiguredIndex } from '../../../index/setup.ts';
import { liveVersion } from '../../support/index-files.ts';
import { readManifest } from '../../../index/store/open.ts';
import { silentLog, spawnIndexScript, tempDir, tinyWorkspace } from '../../support/setup.ts';

let cleanup: () => Promise<void>;
let config: Config;
const run = () =>
  reindex({ corpusDir: config.corpusDir, dataDir: config.dataDir, embedder: createTransformersEmbedder(config.embedding), embedding: config.embedding, log: silentLog });
const entries = async () => (await readdir(indexRoot(config.dataDir))).filter((n) => n !== 'segments').sort();
/** The segment folders, and those the live version and the one before it list. */
async function segmentFolders(): Promise<{ present: string[]; used: string[] }> {
  const root = indexRoot(config.dataDir);
  const present = (await readdir(path.join(root, 'segments'))).sort();
  const { dir, manifest } = await liveVersion(config.dataDir);
  const used = new Set(manifest.segments.map((s) => s.id));
  if (manifest.previous) for (const s of (await readManifest(path.join(path.dirname(dir), manifest.previous))).segments) used.add(s.id);
  return { present, used: [...used].sort() };
}
const live = async () => path.basename((await readCurrentVersion(config.dataDir))!);

beforeAll(async () => {
  const temp = await tempDir();
  cleanup = temp.cleanup;
  config = await tinyWorkspace(temp.dir);
  await run();
});
afterAll(() => cleanup());

describe('clean-up of the index folder', () => {
  it('removes leftover temporary folders at the start of every run, even one that publishes nothing', async () => {
    const root = indexRoot(config.dataDir);
    for (const name of ['.tmp-v20260101-000000000Z-1', '.tmp-v20260102-000000000Z-2']) {
      await mkdir(path.join(root, name));
      await writeFile(path.join(root, name, 'hnsw.bin'), Buffer.alloc(4096));
    }
    await writeFile(path.join(root, '.tmp-CURRENT'), 'v1\n');
    await mkdir(path.join(root, 'segments', '.tmp-seg-20260101-000000000Z-1'));
    await mkdir(path.join(root, 'segments', 'seg-20260101-000000000Z-2'));
    const summary = await run();
    expect(summary.published).toBe(false);
    expect(await entries()).toEqual(['CURRENT', await live()]);
    const { present, used } = await segmentFolders();
    expect(present).toEqual(used);
  });

  it('deletes an orphan (a version renamed into place but never made live), keeping the live one and the one before', async () => {
    const root = indexRoot(config.dataDir);
    const first = await live();
    const orphan = 'v20991231-235959999Z-1';
    await cp(path.join(root, first), path.join(root, orphan), { recursive: true });
    expect((await run()).published).toBe(false);
    expect(await entries()).toEqual(['CURRENT', first]);

    await cp(path.join(root, first), path.join(root, orphan), { recursive: true });
    await writeFile(path.join(config.corpusDir, 'neu.txt'), 'Neu\n\nEin neuer Absatz über den Kreml und die Verhandlungen.');
    expect((await run()).published).toBe(true);
    const second = await live();
    expect(await entries()).toEqual(['CURRENT', first, second].sort());
    expect((await openConfiguredIndex(config)).articles.has('neu')).toBe(true);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`removes the lock and the temporary folder when npm run index gets ${signal}`, async () => {
      const before = await live();
      for (let i = 0; i < 150; i++) {
        const paragraphs = Array.from({ length: 12 }, (_, j) => `Absatz ${j} über Verhandlungen in Genf, Bericht ${i} ${signal}, mit mehr Text über den Kreml.`);
        await writeFile(path.join(config.corpusDir, `signal-${signal}-${i}.txt`), `Meldung ${i}\n\n${paragraphs.join('\n\n')}`);
      }
      const root = indexRoot(config.dataDir);
      const { child, exited } = spawnIndexScript(config);
      // Signalled the moment the new segment's temporary folder appears, while it is being written.
      await new Promise<void>((resolve) => {
        const watcher = watch(path.join(root, 'segments'), (_, name) => {
          if (!name?.startsWith('.tmp-seg-')) return;
          watcher.close();
          child.kill(signal);
          resolve();
        });
      });
      expect(await exited).toBe(signal === 'SIGTERM' ? 143 : 130);
      expect(await live()).toBe(before);
      expect((await entries()).filter((n) => n.startsWith('.tmp-') || n.startsWith('reindex.lock'))).toEqual([]);
      expect((await readdir(path.join(root, 'segments'))).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
      const { present, used } = await segmentFolders();
      expect(present).toEqual(used);
    }, 60_000);
  }
});
