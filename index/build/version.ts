/**
 * Writing a version over segments already sealed — its stamps, its tombstones and its manifest — and making
 * it live with one atomic switch. Shared by the reindex (a change) and the merge step (joined segments).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.ts';
import { FILES, FORMAT_VERSION, PIPELINE_VERSION, type DenseInfo, type FileEntry, type Manifest, type SegmentEntry } from '../store/format.ts';
import { createVersionDir, discardVersionDir, publishVersion } from '../store/layout.ts';
import { encodeManifest, entryFor } from '../store/verify.ts';

/** A segment of the version being written, with its tombstones in it; `k`: its position in the live version, if it was there. */
export interface SegmentState {
  readonly entry: SegmentEntry;
  readonly deleted: { readonly articles: Set<string>; readonly labels: Set<number> };
  readonly k?: number;
}

export interface VersionContent {
  readonly segments: readonly SegmentState[];
  /** sources.json as written. */
  readonly sources: Buffer;
  readonly articleCount: number;
  readonly passageCount: number;
  readonly dense: DenseInfo | null;
  readonly nextLabel: number;
}

/** Writes the version and makes it live; its folder. `previous`: the version live until now. */
export async function publishSegments(
  o: { readonly dataDir: string; readonly now: Date; readonly previous: string | undefined; readonly log: Logger; readonly beforePublish?: (dir: string) => Promise<void> },
  v: VersionContent,
): Promise<string> {
  const dir = await createVersionDir(o.dataDir, o.now);
  try {
    const files: Record<string, FileEntry> = {};
    const write = async (name: string, bytes: Buffer) => {
      await writeFile(path.join(dir, name), bytes);
      files[name] = entryFor(bytes);
    };
    await write(FILES.sources, v.sources);
    const deleted: Record<string, { articles: string[]; labels: number[] }> = {};
    for (const s of v.segments) {
      if (s.deleted.articles.size + s.deleted.labels.size === 0) continue;
      deleted[s.entry.id] = { articles: [...s.deleted.articles].sort(), labels: [...s.deleted.labels].sort((a, b) => a - b) };
    }
    if (Object.keys(deleted).length > 0) await write(FILES.deleted, Buffer.from(JSON.stringify(deleted)));
    const manifest: Manifest = {
      formatVersion: FORMAT_VERSION,
      pipelineVersion: PIPELINE_VERSION,
      builtAt: o.now.toISOString(),
      ...(o.previous ? { previous: o.previous } : {}),
      articleCount: v.articleCount,
      passageCount: v.passageCount,
      dense: v.dense,
      nextLabel: v.nextLabel,
      segments: v.segments.map((s) => s.entry),
      files,
    };
    await writeFile(path.join(dir, FILES.manifest), encodeManifest(manifest));
    await o.beforePublish?.(dir);
    const published = await publishVersion(o.dataDir, dir, o.previous);
    o.log.info({ version: path.basename(published), segments: v.segments.length }, 'index published');
    return published;
  } finally {
    await discardVersionDir(dir); // a no-op once published
  }
}
