/**
 * Corpus folder → new index version, doing only the work that changed: unchanged articles keep their
 * passages, any passage whose text is unchanged keeps its vector, and the vector and keyword indexes are
 * updated in place. Nothing changed means no model load and no new version; a damaged live version is
 * repaired from the corpus, reusing its intact pieces. What of the live version can be trusted:
 * previous.ts; file stamps: stamps.ts; which passages and labels: plan.ts; vectors: vectors.ts.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../corpus/article.ts';
import { textKeyOf } from '../corpus/duplicates.ts';
import { readCorpus, type SkippedFile } from '../corpus/read.ts';
import type { Embedder } from '../embed/embedder.ts';
import { isQuotedeskError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { passageContext } from '../passages/passage.ts';
import { passageStats, type PassageStats } from '../passages/stats.ts';
import { LexicalIndex } from '../search/lexical.ts';
import {
  FILES,
  FORMAT_VERSION,
  PIPELINE_VERSION,
  type DenseInfo,
  type FileEntry,
  type Manifest,
  type SegmentEntry,
  type SourceStamp,
  type StoredArticle,
  type StoredPassage,
} from '../store/format.ts';
import { acquireReindexLock, createVersionDir, discardUnpublishedSegments, discardVersionDir, indexRoot, publishVersion, removeLeftovers } from '../store/layout.ts';
import type { VectorParams } from '../store/vector-index.ts';
import { encodeManifest, entryFor } from '../store/verify.ts';
import { mergeSegments, nextMerge, type MergeInput } from './merge.ts';
import { planPassages, type OldPassages, type Plan } from './plan.ts';
import { readLive, readLiveContent, type Live, type SegmentContent } from './previous.ts';
import { writeSegment, type BeforeSeal } from './segment.ts';
import { refreshSources, sameStamp, sourcesOf, stampOf, unread } from './stamps.ts';
import { buildVectors, sameModel, type BuiltVectors, type Donors } from './vectors.ts';

export interface ReindexOptions {
  readonly corpusDir: string;
  readonly dataDir: string;
  /** undefined: semantic search is off, build the keyword index only. */
  readonly embedder: Embedder | undefined;
  readonly embedding: { readonly quantized: boolean; readonly queryPrefix: string; readonly passagePrefix: string };
  readonly log: Logger;
  readonly onProgress?: (done: number, total: number) => void;
  readonly now?: () => Date;
  /** Settings for a vector index built from scratch (default: the back-end's). */
  readonly vectorParams?: VectorParams;
  /** Ignore the live version entirely and build a new one from the corpus. */
  readonly rebuild?: boolean;
  /** Called with the fully written, not yet live version folder; lets tests interrupt a reindex there. */
  readonly beforePublish?: (dir: string) => Promise<void>;
  /** Called with each fully written segment folder before it is renamed into place (new and merged ones). */
  readonly beforeSeal?: BeforeSeal;
}

export interface ReindexSummary {
  readonly articles: { added: number; changed: number; removed: number; unchanged: number };
  readonly passages: { embedded: number; reused: number; total: number };
  readonly skipped: readonly SkippedFile[];
  /** Articles indexed without a single passage (each also logged as a warning). Empty when nothing changed. */
  readonly empty: PassageStats['empty'];
  /** Fewest and most passages per article; undefined when nothing changed (the corpus was not split). */
  readonly perArticle?: { readonly fewest?: PassageStats['fewest']; readonly most?: PassageStats['most'] };
  /** False when nothing changed and the live version stays as it was. */
  readonly published: boolean;
  readonly semantic: boolean;
  /** Why semantic search is off, when it is. */
  readonly note?: string;
  /** Damage found in the live version, which the new version repaired. */
  readonly repaired?: readonly string[];
  /** The live version was split and analysed by other rules (PIPELINE_VERSION): every article was again. */
  readonly resplit?: boolean;
  readonly seconds: number;
}

export async function reindex(options: ReindexOptions): Promise<ReindexSummary> {
  const started = performance.now();
  const release = await acquireReindexLock(indexRoot(options.dataDir));
  try {
    return { ...(await update(options)), seconds: (performance.now() - started) / 1000 };
  } finally {
    await release();
  }
}

type Outcome = Omit<ReindexSummary, 'seconds'>;

/** The corpus as read now, against the live version. */
interface Corpus {
  readonly articles: readonly Article[];
  readonly stamps: ReadonlyMap<string, SourceStamp | undefined>;
  readonly skipped: readonly SkippedFile[];
  readonly counts: ReindexSummary['articles'];
  /** Added or changed since the live version. */
  readonly isNew: (a: Article) => boolean;
}

async function update(options: ReindexOptions): Promise<Outcome> {
  const { log, embedder } = options;
  // First only the manifest, the articles and the stamps (every file's checksum checked): when nothing
  // changed, that is all a reindex reads.
  const lookup = await readLive(options.dataDir, log);
  const previous = lookup.live;
  // Leftovers of killed runs go now, not only after the next publish; the live version (however damaged)
  // and the one before it stay, with their segments.
  const keep = [lookup.current, previous?.manifest.previous].filter((name): name is string => !!name);
  await removeLeftovers(options.dataDir, keep);
  const live = options.rebuild ? undefined : previous;
  const damage = options.rebuild ? [] : [...lookup.damage];
  const corpus = await readArticles(options, live);
  const denseReusable = !!embedder && sameModel(live?.manifest.dense, { model: embedder.modelId, ...options.embedding });
  const { added, changed, removed } = corpus.counts;
  const articlesChanged = added + changed + removed > 0;
  const repair = damage.length > 0 || !!live?.pipelineChanged;
  const unchanged = (note?: string): Outcome => ({
    articles: corpus.counts,
    passages: { embedded: 0, reused: 0, total: live!.manifest.passageCount },
    skipped: corpus.skipped,
    empty: [],
    published: false,
    semantic: live!.manifest.dense !== null,
    ...(note ? { note } : {}),
  });
  if (live && !repair && !articlesChanged && (!embedder || denseReusable)) {
    await refreshSources(live.dir, live.manifest, live.sources, corpus.articles, corpus.stamps);
    return unchanged();
  }

  const content = live ? await readLiveContent(live, denseReusable, damage) : undefined;
  // Unchanged articles keep their passages only if the old ones are intact and made by today's rules;
  // otherwise every article is split again, and a passage keeps its label where its text is unchanged.
  const sameRules = !!live?.articles && !live.pipelineChanged;
  // Incremental: the usable segments stay as they are, one new segment holds the added and changed articles.
  // Otherwise (no live version, other rules, another model, tombstones lost) one new segment holds everything.
  const incremental = sameRules && (embedder ? denseReusable : live.manifest.dense === null);
  const old: OldPassages | undefined = live && content && { passages: oldPassages(live, content), byArticle: sameRules, nextLabel: live.manifest.nextLabel };
  const plan = planPassages(corpus.articles, old, (a) => !sameRules || corpus.isNew(a));
  const stats = passageStats(corpus.articles, plan.passages);
  for (const e of stats.empty) log.warn({ file: e.file, reason: e.reason }, `no passages from ${e.file}: ${e.reason}`);
  const inSegment = (full: boolean) => (full ? corpus.articles : corpus.articles.filter(corpus.isNew));
  let full = !incremental;
  let vectors: BuiltVectors | undefined;
  let note: string | undefined;
  if (embedder) {
    try {
      const ids = new Set(inSegment(full).map((a) => a.id));
      const rows = plan.passages.flatMap((p, i) => (ids.has(p.articleId) ? [i] : []));
      const dense = live?.manifest.dense;
      vectors = await buildVectors(embedder, plan, rows, {
        ...(live && content && denseReusable ? { donors: donorsOf(live, content), backend: dense!.backend, dims: dense!.dims } : {}),
        params: options.vectorParams ?? (denseReusable ? dense?.params : undefined),
        onProgress: options.onProgress,
      });
    } catch (err) {
      if (!isQuotedeskError(err, 'MODEL_UNAVAILABLE')) throw err;
      note = err.message;
      log.warn(`embedding model ${embedder.modelId} unavailable; keyword search only`);
      // Still no model and no article changed: the live keyword-only version is already right.
      if (live && !articlesChanged && !repair && live.manifest.dense === null) return unchanged(note);
      // A version is keyword-only throughout: the kept segments' vectors cannot stay beside one without.
      full ||= live?.manifest.dense !== null;
    }
  } else {
    note = 'semantic search is off (SEMANTIC_SEARCH=false)';
  }

  const dense = await writeVersion(options, lookup.current, corpus, plan, inSegment(full), vectors, full ? undefined : { live: live!, content: content! });
  const embedded = vectors?.embedded ?? 0;
  return {
    articles: corpus.counts,
    passages: { embedded, reused: vectors ? plan.passages.length - embedded : 0, total: plan.passages.length },
    skipped: corpus.skipped,
    empty: stats.empty,
    perArticle: { fewest: stats.fewest, most: stats.most },
    published: true,
    semantic: dense !== null,
    note,
    ...(damage.length ? { repaired: damage } : {}),
    ...(live?.pipelineChanged ? { resplit: true } : {}),
  };
}

/**
 * The old passages a plan may keep or take vectors from: the live ones of every segment whose passage table
 * is intact (all of them when the tombstones are lost, which then serve only by text hash).
 */
function oldPassages(live: Live, content: readonly SegmentContent[]): StoredPassage[] {
  return live.segments.flatMap((s, k) => {
    const gone = live.deleted?.get(s.entry.id)?.labels;
    return (content[k]!.passages ?? []).filter((p) => !gone?.has(p.label));
  });
}

/** Old vectors by label, from whichever segment holds the passage (a label always stands for one embedded text). */
function donorsOf(live: Live, content: readonly SegmentContent[]): Donors {
  return async (labels) => {
    const found = new Map<number, Float32Array>();
    for (let k = 0; k < live.segments.length; k++) {
      const mine = (content[k]!.passages ?? []).filter((p) => labels.has(p.label) && !found.has(p.label));
      if (mine.length === 0) continue;
      const index = await content[k]!.vectors();
      for (const p of mine) {
        const v = index?.vector(p.label);
        if (v) found.set(p.label, v);
      }
    }
    return found;
  };
}

/** The corpus, re-reading only files whose stamp changed since the live version (unless its articles cannot be trusted). */
async function readArticles(options: ReindexOptions, live: Live | undefined): Promise<Corpus> {
  const now = () => options.now?.() ?? new Date();
  const skipped: SkippedFile[] = [];
  const stamps = new Map<string, SourceStamp | undefined>();
  const trusted = live?.articles && !live.pipelineChanged ? live.articles : [];
  const byFile = new Map<string, StoredArticle[]>();
  for (const a of trusted) byFile.set(a.file, [...(byFile.get(a.file) ?? []), a]);
  const articles = await readCorpus(
    options.corpusDir,
    (s) => {
      skipped.push(s);
      // A file with parts left out (bad lines, teaser-only items, duplicates) is read again next time, and says so again.
      stamps.set(s.file, undefined);
      options.log.warn({ file: s.file, reason: s.reason }, `skipping ${s.file}: ${s.reason}`);
    },
    (file, stats) => {
      const stamp = stampOf(file, stats, now().getTime());
      stamps.set(file, stamp);
      const before = live?.sources.get(file);
      const old = byFile.get(file);
      return old && stamp && before && sameStamp(before, stamp) ? old.map((a) => unread(a, before)) : undefined;
    },
  );
  const oldArticles = new Map((live?.articles ?? []).map((a) => [a.id, a]));
  const current = new Set(articles.map((a) => a.id));
  const added = articles.filter((a) => !oldArticles.has(a.id)).length;
  const changed = articles.filter((a) => oldArticles.has(a.id) && oldArticles.get(a.id)!.hash !== a.hash).length;
  const removed = [...oldArticles.keys()].filter((id) => !current.has(id)).length;
  return {
    articles,
    stamps,
    skipped,
    counts: { added, changed, removed, unchanged: articles.length - added - changed },
    isNew: (a) => oldArticles.get(a.id)?.hash !== a.hash,
  };
}

/** The segments kept from the live version, with the tombstones the change adds to them. */
interface Kept {
  readonly live: Live;
  readonly content: readonly SegmentContent[];
}

/**
 * Writes the new segment (the articles `fresh`, with their passages), merges segments when they pile up,
 * records the version's manifest and tombstones, and makes it live.
 */
async function writeVersion(
  options: ReindexOptions,
  previous: string | undefined,
  corpus: Corpus,
  plan: Plan,
  fresh: readonly Article[],
  vectors: BuiltVectors | undefined,
  kept: Kept | undefined,
): Promise<DenseInfo | null> {
  const now = options.now?.() ?? new Date();
  const liveDense = kept?.live.manifest.dense ?? null;
  const dense: DenseInfo | null = vectors
    ? { backend: vectors.backend, model: options.embedder!.modelId, ...options.embedding, dims: vectors.index.dims, params: settingsOf(vectors.index.params) }
    : kept
      ? liveDense
      : null;
  try {
    // The segments that stay, each with its tombstones after this change.
    const segments: Array<{ entry: SegmentEntry; deleted: { articles: Set<string>; labels: Set<number> }; k?: number }> = [];
    if (kept) {
      const { live, content } = kept;
      const current = new Map(corpus.articles.map((a) => [a.id, a.hash]));
      // Changed or removed articles: tombstoned where they are.
      const stale = new Map<number, Set<string>>();
      for (const a of live.articles ?? []) {
        const k = live.segmentOf.get(a.id)!;
        if (current.get(a.id) === a.hash) continue;
        stale.set(k, (stale.get(k) ?? new Set()).add(a.id));
      }
      live.segments.forEach((s, k) => {
        if (!s.usable) return;
        const before = live.deleted?.get(s.entry.id);
        const deleted = { articles: new Set(before?.articles), labels: new Set(before?.labels) };
        const gone = stale.get(k);
        if (gone) {
          for (const id of gone) deleted.articles.add(id);
          for (const p of content[k]!.passages!) if (gone.has(p.articleId)) deleted.labels.add(p.label);
        }
        segments.push({ entry: s.entry, deleted, k });
      });
    }
    if (fresh.length > 0 || segments.length === 0) {
      const ids = new Set(fresh.map((a) => a.id));
      const passages = plan.passages.filter((p) => ids.has(p.articleId));
      const byId = new Map(fresh.map((a) => [a.id, a]));
      const lexical = LexicalIndex.create(
        passages.map((p) => {
          const article = byId.get(p.articleId)!;
          return { label: p.label, heading: passageContext(article.title, p.heading), text: article.text.slice(p.start, p.end) };
        }),
      );
      const articles: StoredArticle[] = fresh.map(({ headerEnd: _, blocks: __, ...a }) => ({ ...a, textKey: textKeyOf(a) }));
      const entry = await writeSegment(options.dataDir, now, { articles, passages, lexical, ...(vectors ? { vectors } : {}) }, options.beforeSeal);
      segments.push({ entry, deleted: { articles: new Set(), labels: new Set() } });
      await mergeWhilePiled(options, now, segments, kept, dense, { articles, passages, lexical, vectors: vectors?.index });
    } else {
      await mergeWhilePiled(options, now, segments, kept, dense, undefined);
    }

    const dir = await createVersionDir(options.dataDir, now);
    try {
      const files: Record<string, FileEntry> = {};
      const write = async (name: string, content: string) => {
        const bytes = Buffer.from(content);
        await writeFile(path.join(dir, name), bytes);
        files[name] = entryFor(bytes);
      };
      await write(FILES.sources, JSON.stringify(sourcesOf(corpus.articles, corpus.stamps)));
      const deleted: Record<string, { articles: string[]; labels: number[] }> = {};
      for (const s of segments) {
        if (s.deleted.articles.size + s.deleted.labels.size === 0) continue;
        deleted[s.entry.id] = { articles: [...s.deleted.articles].sort(), labels: [...s.deleted.labels].sort((a, b) => a - b) };
      }
      if (Object.keys(deleted).length > 0) await write(FILES.deleted, JSON.stringify(deleted));
      const manifest: Manifest = {
        formatVersion: FORMAT_VERSION,
        pipelineVersion: PIPELINE_VERSION,
        builtAt: now.toISOString(),
        ...(previous ? { previous } : {}),
        articleCount: corpus.articles.length,
        passageCount: plan.passages.length,
        dense,
        nextLabel: plan.nextLabel,
        segments: segments.map((s) => s.entry),
        files,
      };
      await writeFile(path.join(dir, FILES.manifest), encodeManifest(manifest));
      await options.beforePublish?.(dir);
      const published = await publishVersion(options.dataDir, dir, previous);
      options.log.info({ version: path.basename(published), segments: segments.length }, 'index published');
      return dense;
    } finally {
      await discardVersionDir(dir); // a no-op once published
    }
  } finally {
    await discardUnpublishedSegments(); // a no-op once published
  }
}

/** The settings new segments are built with: the back-end's, without its state (HNSW's tombstone count). */
function settingsOf(params: VectorParams): VectorParams {
  const { tombstones: _, ...settings } = params;
  return settings;
}

/**
 * Merges segments (in place in `segments`) while the policy finds a run to merge: the new segment's data is
 * at hand in memory, kept segments are read from their folders.
 */
async function mergeWhilePiled(
  options: ReindexOptions,
  now: Date,
  segments: Array<{ entry: SegmentEntry; deleted: { articles: Set<string>; labels: Set<number> }; k?: number }>,
  kept: Kept | undefined,
  dense: DenseInfo | null,
  newest: Omit<MergeInput, 'deletedArticles' | 'deletedLabels'> | undefined,
): Promise<void> {
  if (!kept) return;
  const memory = new Map<string, Omit<MergeInput, 'deletedArticles' | 'deletedLabels'>>();
  if (newest) memory.set(segments[segments.length - 1]!.entry.id, newest);
  for (;;) {
    const run = nextMerge(segments.map((s) => ({ passages: s.entry.passageCount, deleted: s.deleted.labels.size })));
    if (!run) return;
    const started = performance.now();
    const inputs: MergeInput[] = [];
    for (const s of segments.slice(run.from, run.to + 1)) {
      let data = memory.get(s.entry.id);
      if (!data) {
        const k = s.k!;
        const c = kept.content[k]!;
        const lexical = await c.lexical();
        // Damaged since it was checked: the merge is left for a later reindex, which will find the damage.
        if (!lexical) return;
        data = { articles: kept.live.segments[k]!.articles!, passages: c.passages!, lexical, vectors: await c.vectors() };
      }
      inputs.push({ ...data, deletedArticles: s.deleted.articles, deletedLabels: s.deleted.labels });
    }
    const merged = mergeSegments(inputs, dense ? { backend: dense.backend, dims: dense.dims, params: dense.params } : undefined);
    if (merged.articles.length === 0) {
      segments.splice(run.from, run.to - run.from + 1); // nothing live left in them
      continue;
    }
    const entry = await writeSegment(options.dataDir, now, merged, options.beforeSeal);
    memory.set(entry.id, { ...merged, vectors: merged.vectors?.index });
    segments.splice(run.from, run.to - run.from + 1, { entry, deleted: { articles: new Set(), labels: new Set() } });
    options.log.info({ merged: run.to - run.from + 1, passages: entry.passageCount, sec: (performance.now() - started) / 1000 }, 'segments merged');
  }
}
