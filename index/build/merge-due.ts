/**
 * The merge step: when the live version's segments have piled up (merge.ts's policy), joins them and
 * publishes a version over the merged segments — the same articles and passages, fewer segments. It runs
 * after a reindex has published its change (so the change is live without waiting for it), or on its own
 * (`npm run index -- --merge`). A kill at any point leaves the version before the merge live.
 */
import type { DenseInfo } from '../store/format.ts';
import { acquireReindexLock, discardUnpublishedSegments, indexRoot, readCurrentVersion } from '../store/layout.ts';
import type { Logger } from '../log.ts';
import { readDeleted, readManifest } from '../store/open.ts';
import { mergeSegments, nextMerge, type MergeInput } from './merge.ts';
import { readLive, readLiveContent, type Live, type SegmentContent } from './previous.ts';
import { writeSegment, type BeforeSeal } from './segment.ts';
import { publishSegments, type SegmentState } from './version.ts';

export interface MergeOptions {
  readonly dataDir: string;
  readonly log: Logger;
  readonly now?: () => Date;
  /** Called with each merged segment folder before it is renamed into place; lets tests interrupt there. */
  readonly beforeSeal?: BeforeSeal;
  /** Called with the fully written, not yet live version folder. */
  readonly beforePublish?: (dir: string) => Promise<void>;
}

export interface MergeSummary {
  /** Segments joined, and the segments live before and after. */
  readonly merged: number;
  readonly segmentsBefore: number;
  readonly segmentsAfter: number;
  /** Passages written again into merged segments. */
  readonly passages: number;
  readonly seconds: number;
}

/** Takes the reindex lock and merges what is due; undefined when nothing was. */
export async function mergeDue(options: MergeOptions): Promise<MergeSummary | undefined> {
  const release = await acquireReindexLock(indexRoot(options.dataDir));
  try {
    return await mergeLive(options);
  } finally {
    await release();
  }
}

/**
 * mergeDue under a lock the caller holds. A damaged live version, or one split by other rules, is left
 * alone: the next reindex repairs it (a merge would carry the damage along).
 */
export async function mergeLive(options: MergeOptions): Promise<MergeSummary | undefined> {
  const started = performance.now();
  const now = options.now?.() ?? new Date();
  // First only the manifest and the tombstones: most runs find nothing due and read nothing else.
  const dir = await readCurrentVersion(options.dataDir);
  if (!dir) return undefined;
  try {
    const manifest = await readManifest(dir);
    const deleted = await readDeleted(dir, manifest);
    if (!nextMerge(manifest.segments.map((s) => ({ passages: s.passageCount, deleted: deleted.get(s.id)?.labels.size ?? 0 })))) return undefined;
  } catch (err) {
    // Damaged: the next reindex finds and repairs it; said here so that it is not silent.
    options.log.warn({ err }, 'merge skipped: the live version could not be read');
    return undefined;
  }
  const lookup = await readLive(options.dataDir, options.log, now.getTime());
  const live = lookup.live;
  if (!live || lookup.damage.length > 0 || live.pipelineChanged || !live.deleted || live.segments.some((s) => !s.usable)) return undefined;
  const damage: string[] = [];
  const content = readLiveContent(live, live.manifest.dense !== null, damage);
  const segments: SegmentState[] = live.segments.map((s, k) => {
    const d = live.deleted!.get(s.entry.id);
    return { entry: s.entry, deleted: { articles: new Set(d?.articles), labels: new Set(d?.labels) }, k };
  });
  try {
    const done = await mergeWhilePiled(options, now, segments, { live, content }, live.manifest.dense);
    if (done.merged === 0) return undefined;
    await publishSegments(
      { dataDir: options.dataDir, now, previous: live.name, log: options.log, ...(options.beforePublish ? { beforePublish: options.beforePublish } : {}) },
      {
        segments,
        sources: Buffer.from(JSON.stringify([...live.sources.values()])),
        articleCount: live.manifest.articleCount,
        passageCount: live.manifest.passageCount,
        dense: live.manifest.dense,
        nextLabel: live.manifest.nextLabel,
      },
    );
    const seconds = (performance.now() - started) / 1000;
    options.log.info({ merged: done.merged, passages: done.passages, segments: segments.length, sec: seconds }, 'segments merged');
    return { merged: done.merged, segmentsBefore: live.segments.length, segmentsAfter: segments.length, passages: done.passages, seconds };
  } finally {
    await discardUnpublishedSegments(); // a no-op once published
  }
}

/** Merges segments (in place in `segments`) while the policy finds a run to merge. */
async function mergeWhilePiled(
  options: MergeOptions,
  now: Date,
  segments: SegmentState[],
  kept: { readonly live: Live; readonly content: readonly SegmentContent[] },
  dense: DenseInfo | null,
): Promise<{ merged: number; passages: number }> {
  const memory = new Map<string, Omit<MergeInput, 'deletedArticles' | 'deletedLabels'>>();
  let merged = 0;
  let passages = 0;
  for (;;) {
    const run = nextMerge(segments.map((s) => ({ passages: s.entry.passageCount, deleted: s.deleted.labels.size })));
    if (!run) return { merged, passages };
    const inputs: MergeInput[] = [];
    for (const s of segments.slice(run.from, run.to + 1)) {
      let data = memory.get(s.entry.id);
      if (!data) {
        const k = s.k!;
        const c = kept.content[k]!;
        const lexical = await c.lexical();
        const stored = await c.passages();
        // Damaged since it was checked: the merge is left for later, after a reindex has repaired it.
        if (!lexical || !stored) return { merged, passages };
        data = { articles: kept.live.segments[k]!.articles!, passages: stored, lexical, vectors: await c.vectors() };
      }
      inputs.push({ ...data, deletedArticles: s.deleted.articles, deletedLabels: s.deleted.labels });
    }
    const joined = mergeSegments(inputs, dense ? { backend: dense.backend, dims: dense.dims, params: dense.params } : undefined);
    merged += run.to - run.from + 1;
    if (joined.articles.length === 0) {
      segments.splice(run.from, run.to - run.from + 1); // nothing live left in them
      continue;
    }
    const entry = await writeSegment(options.dataDir, now, joined, options.beforeSeal);
    passages += entry.passageCount;
    memory.set(entry.id, { ...joined, vectors: joined.vectors?.index });
    segments.splice(run.from, run.to - run.from + 1, { entry, deleted: { articles: new Set(), labels: new Set() } });
  }
}
