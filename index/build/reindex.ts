/**
 * Corpus folder → new index version, doing only the work that changed: unchanged articles keep their
 * passages, any passage whose text is unchanged keeps its vector, and the vector and keyword indexes are
 * updated in place. Nothing changed means no model load and no new version; a damaged live version is
 * repaired from the corpus, reusing its intact pieces. What of the live version can be trusted:
 * previous.ts; file stamps: stamps.ts; which passages and labels: plan.ts; vectors: vectors.ts.
 */
import type { Article } from '../corpus/article.ts';
import { textKeyOf } from '../corpus/duplicates.ts';
import { readCorpus, type SkippedFile } from '../corpus/read.ts';
import type { Embedder } from '../embed/embedder.ts';
import { isQuotedeskError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { passageContext } from '../passages/passage.ts';
import { passageStatsOf, type PassageStats } from '../passages/stats.ts';
import { LexicalIndex } from '../search/lexical.ts';
import { FILES, type DenseInfo, type SourceStamp, type StoredArticle, type StoredPassage } from '../store/format.ts';
import { acquireReindexLock, damaged, discardUnpublishedSegments, IndexDamaged, indexRoot, removeLeftovers } from '../store/layout.ts';
import { rowsWithHashes, type PassageColumns } from '../store/tables.ts';
import { forgetVerified } from '../store/verified.ts';
import type { VectorParams } from '../store/vector-index.ts';
import { planPassages, type OldPassages, type Plan } from './plan.ts';
import { readLive, readLiveContent, type Live, type SegmentContent } from './previous.ts';
import { writeSegment, type BeforeSeal } from './segment.ts';
import { publishSegments, type SegmentState } from './version.ts';
import { mergeLive, type MergeSummary } from './merge-due.ts';
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
  /**
   * Then merge segments if they have piled up (default true): in a version of its own, after the change is
   * published, so that the change is live before the merge starts. False leaves that to `mergeDue`.
   */
  readonly merge?: boolean;
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
  /** Segments merged after the change was published (their time is part of `seconds`). */
  readonly merged?: MergeSummary;
  readonly seconds: number;
}

export async function reindex(options: ReindexOptions): Promise<ReindexSummary> {
  const started = performance.now();
  const release = await acquireReindexLock(indexRoot(options.dataDir));
  try {
    const outcome = await update(options);
    // Also when nothing changed: a merge left undone (killed, or `merge: false`) is done now.
    const merged = options.merge !== false ? await mergeLive(options) : undefined;
    return { ...outcome, ...(merged ? { merged } : {}), seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    // Damage found only now (a file trusted by its look, read lazily): the next reindex checks every file again.
    if (err instanceof IndexDamaged) await forgetVerified(indexRoot(options.dataDir));
    throw err;
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
  const lookup = await readLive(options.dataDir, log, (options.now?.() ?? new Date()).getTime());
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

  const content = live ? readLiveContent(live, denseReusable, damage) : undefined;
  // Unchanged articles keep their passages only if the old ones are intact and made by today's rules;
  // otherwise every article is split again, and a passage keeps its label where its text is unchanged.
  const sameRules = !!live?.articles && !live.pipelineChanged;
  // Incremental: the usable segments stay as they are, one new segment holds the added and changed articles.
  // Otherwise (no live version, other rules, another model, tombstones lost) one new segment holds everything.
  const incremental = sameRules && (embedder ? denseReusable : live.manifest.dense === null);
  // Incremental, only the added and changed articles are planned (the rest stay where they are, unread).
  const planFor = async (full: boolean) => {
    const planned = full ? corpus.articles : corpus.articles.filter(corpus.isNew);
    const old = live && content ? oldPassages(live, content, sameRules ? new Set(planned.map((a) => a.id)) : undefined) : undefined;
    return { planned, plan: await planPassages(planned, old && (await old), (a) => !sameRules || corpus.isNew(a)) };
  };
  let full = !incremental;
  let { planned, plan } = await planFor(full);
  let vectors: BuiltVectors | undefined;
  let note: string | undefined;
  if (embedder) {
    try {
      const dense = live?.manifest.dense;
      vectors = await buildVectors(
        embedder,
        plan,
        plan.passages.map((_, i) => i),
        {
          ...(live && content && denseReusable ? { donors: donorsOf(live, content), backend: dense!.backend, dims: dense!.dims } : {}),
          params: options.vectorParams ?? (denseReusable ? dense?.params : undefined),
          onProgress: options.onProgress,
        },
      );
    } catch (err) {
      if (!isQuotedeskError(err, 'MODEL_UNAVAILABLE')) throw err;
      note = err.message;
      log.warn(`embedding model ${embedder.modelId} unavailable; keyword search only`);
      // Still no model and no article changed: the live keyword-only version is already right.
      if (live && !articlesChanged && !repair && live.manifest.dense === null) return unchanged(note);
      // A version is keyword-only throughout: the kept segments' vectors cannot stay beside one without.
      if (!full && live?.manifest.dense !== null) {
        full = true;
        ({ planned, plan } = await planFor(full));
      }
    }
  } else {
    note = 'semantic search is off (SEMANTIC_SEARCH=false)';
  }

  const kept = full ? undefined : { live: live!, content: content! };
  const stale = kept ? await staleLabels(kept, corpus) : undefined;
  // Passages per article: the planned ones, and the kept ones of the articles left as they were.
  const counts = new Map<string, number>();
  for (const p of plan.passages) counts.set(p.articleId, (counts.get(p.articleId) ?? 0) + 1);
  if (kept) await countKept(kept, stale!, counts);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const plannedIds = new Set(planned.map((a) => a.id));
  const stats = passageStatsOf(corpus.articles, counts, (a) => plannedIds.has(a.id));
  for (const e of stats.empty) log.warn({ file: e.file, reason: e.reason }, `no passages from ${e.file}: ${e.reason}`);

  const dense = await writeVersion(options, lookup.current, corpus, plan, planned, total, vectors, kept && { ...kept, stale: stale! });
  const embedded = vectors?.embedded ?? 0;
  return {
    articles: corpus.counts,
    passages: { embedded, reused: vectors ? total - embedded : 0, total },
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

/** A segment's passage table, which a reindex found intact before; damaged now means it was damaged since. */
async function tableOf(live: Live, content: readonly SegmentContent[], k: number): Promise<PassageColumns> {
  const c = await content[k]!.columns();
  if (!c) throw damaged(`${live.segments[k]!.dir}/${FILES.passages} cannot be read again`);
  return c;
}

/**
 * The old passages a plan may keep or take vectors from: the live ones of every segment whose passage table
 * is intact (all of them when the tombstones are lost, which then serve only by text hash). By article only
 * for `articles` (undefined: none), read from the segments holding them; by hash from every segment.
 */
async function oldPassages(live: Live, content: readonly SegmentContent[], articles: ReadonlySet<string> | undefined): Promise<OldPassages> {
  const byArticle = new Map<string, StoredPassage[]>();
  if (articles) {
    const holding = new Set<number>();
    for (const id of articles) {
      const k = live.segmentOf.get(id);
      if (k !== undefined) holding.add(k);
    }
    // A damaged segment's articles are read again; its intact passages keep their labels.
    live.segments.forEach((s, k) => s.usable || holding.add(k));
    for (const k of [...holding].sort((a, b) => a - b)) {
      const gone = live.deleted?.get(live.segments[k]!.entry.id)?.labels;
      for (const p of (await content[k]!.passages()) ?? []) {
        if (!articles.has(p.articleId) || gone?.has(p.label)) continue;
        const list = byArticle.get(p.articleId);
        if (list) list.push(p);
        else byArticle.set(p.articleId, [p]);
      }
    }
  }
  return {
    ofArticle: (id) => byArticle.get(id) ?? [],
    byHash: async (hashes) => {
      const found = new Map<string, number>();
      for (let k = 0; k < live.segments.length && found.size < hashes.size; k++) {
        const c = await content[k]!.columns();
        if (!c) continue;
        const gone = live.deleted?.get(live.segments[k]!.entry.id)?.labels;
        const left = new Set([...hashes].filter((h) => !found.has(h)));
        for (const [hash, row] of rowsWithHashes(c, left, (i) => !gone?.has(c.label[i]!))) found.set(hash, c.label[row]!);
      }
      return found;
    },
    nextLabel: live.manifest.nextLabel,
  };
}

/** Old vectors by label, from whichever segment holds the passage (a label always stands for one embedded text). */
function donorsOf(live: Live, content: readonly SegmentContent[]): Donors {
  return async (labels) => {
    const found = new Map<number, Float32Array>();
    for (let k = 0; k < live.segments.length && found.size < labels.size; k++) {
      const c = await content[k]!.columns();
      if (!c) continue;
      const mine = [...c.label].filter((label) => labels.has(label) && !found.has(label));
      if (mine.length === 0) continue;
      const index = await content[k]!.vectors();
      for (const label of mine) {
        const v = index?.vector(label);
        if (v) found.set(label, v);
      }
    }
    return found;
  };
}

/** Per kept segment: the articles changed or removed since (they are tombstoned where they are) and their passage labels. */
type Stale = ReadonlyMap<number, { readonly articles: ReadonlySet<string>; readonly labels: ReadonlySet<number> }>;

async function staleLabels(kept: Kept, corpus: Corpus): Promise<Stale> {
  const { live, content } = kept;
  const current = new Map(corpus.articles.map((a) => [a.id, a.hash]));
  const articles = new Map<number, Set<string>>();
  for (const a of live.articles ?? []) {
    if (current.get(a.id) === a.hash) continue;
    const k = live.segmentOf.get(a.id)!;
    articles.set(k, (articles.get(k) ?? new Set()).add(a.id));
  }
  const stale = new Map<number, { articles: Set<string>; labels: Set<number> }>();
  for (const [k, ids] of articles) {
    const c = await tableOf(live, content, k);
    const rows = live.segments[k]!.articles!;
    const labels = new Set<number>();
    for (let i = 0; i < c.n; i++) if (ids.has(rows[c.article[i]!]!.id)) labels.add(c.label[i]!);
    stale.set(k, { articles: ids, labels });
  }
  return stale;
}

/** Adds the live passages of the kept segments' articles that stay as they are to `counts`, by article id. */
async function countKept(kept: Kept, stale: Stale, counts: Map<string, number>): Promise<void> {
  const { live, content } = kept;
  for (let k = 0; k < live.segments.length; k++) {
    const s = live.segments[k]!;
    if (!s.usable) continue;
    const c = await tableOf(live, content, k);
    const gone = live.deleted?.get(s.entry.id);
    const going = stale.get(k);
    const perRow = new Uint32Array(s.articles!.length);
    for (let i = 0; i < c.n; i++) if (!gone?.labels.has(c.label[i]!) && !going?.labels.has(c.label[i]!)) perRow[c.article[i]!]!++;
    s.articles!.forEach((a, row) => {
      if (gone?.articles.has(a.id) || going?.articles.has(a.id)) return;
      counts.set(a.id, (counts.get(a.id) ?? 0) + perRow[row]!);
    });
  }
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
 * Writes the new segment (the articles `fresh`, with their passages), records the version's manifest and
 * tombstones, and makes it live. Merges come after, in their own version (merge-due.ts).
 */
async function writeVersion(
  options: ReindexOptions,
  previous: string | undefined,
  corpus: Corpus,
  plan: Plan,
  fresh: readonly Article[],
  total: number,
  vectors: BuiltVectors | undefined,
  kept: (Kept & { readonly stale: Stale }) | undefined,
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
    const segments: SegmentState[] = [];
    if (kept) {
      const { live, stale } = kept;
      live.segments.forEach((s, k) => {
        if (!s.usable) return;
        const before = live.deleted?.get(s.entry.id);
        const deleted = { articles: new Set(before?.articles), labels: new Set(before?.labels) };
        // Changed or removed articles: tombstoned where they are.
        for (const id of stale.get(k)?.articles ?? []) deleted.articles.add(id);
        for (const label of stale.get(k)?.labels ?? []) deleted.labels.add(label);
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
      // text by name: an unchanged article's text is a getter on its prototype, which a spread leaves out.
      const articles: StoredArticle[] = fresh.map((article) => {
        const { headerEnd: _, blocks: __, ...a } = article;
        return { ...a, text: article.text, textKey: textKeyOf(article) };
      });
      const entry = await writeSegment(options.dataDir, now, { articles, passages, lexical, ...(vectors ? { vectors } : {}) }, options.beforeSeal);
      segments.push({ entry, deleted: { articles: new Set(), labels: new Set() } });
    }
    await publishSegments(
      { dataDir: options.dataDir, now, previous, log: options.log, ...(options.beforePublish ? { beforePublish: options.beforePublish } : {}) },
      {
        segments,
        sources: Buffer.from(JSON.stringify(sourcesOf(corpus.articles, corpus.stamps))),
        articleCount: corpus.articles.length,
        passageCount: total,
        dense,
        nextLabel: plan.nextLabel,
      },
    );
    return dense;
  } finally {
    await discardUnpublishedSegments(); // a no-op once published
  }
}

/** The settings new segments are built with: the back-end's, without its state (HNSW's tombstone count). */
function settingsOf(params: VectorParams): VectorParams {
  const { tombstones: _, ...settings } = params;
  return settings;
}
