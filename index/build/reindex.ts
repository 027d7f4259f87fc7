/**
 * Corpus folder → new index version, doing only the work that changed: unchanged articles keep their
 * passages, any passage whose text is unchanged keeps its vector, and the HNSW graph and keyword index
 * are updated in place (deletions as tombstones, compacted when they pile up). Nothing changed means no
 * model load and no new version.
 */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../corpus/article.ts';
import { readCorpus, type SkippedFile } from '../corpus/read.ts';
import type { Embedder } from '../embed/embedder.ts';
import { isQuotedeskError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { searchableText } from '../passages/passage.ts';
import { passageStats, type PassageStats } from '../passages/stats.ts';
import { splitArticle } from '../passages/split.ts';
import { LexicalIndex } from '../search/lexical.ts';
import { FILES, FORMAT_VERSION, type DenseInfo, type Manifest, type SourceStamp, type StoredArticle, type StoredPassage } from '../store/format.ts';
import { DEFAULT_HNSW, HnswIndex, type HnswParams } from '../store/hnsw.ts';
import { acquireReindexLock, createVersionDir, publishVersion, readCurrentVersion } from '../store/layout.ts';
import { openArticles, openVersion, passageText, readManifest, readSources, type OpenIndex } from '../store/open.ts';
import { encodeArticles, encodePassages } from '../store/tables.ts';
import type { VectorIndex } from '../store/vector-index.ts';

export interface ReindexOptions {
  readonly corpusDir: string;
  readonly dataDir: string;
  /** undefined: semantic search is off, build the keyword index only. */
  readonly embedder: Embedder | undefined;
  readonly embedding: { readonly quantized: boolean; readonly queryPrefix: string; readonly passagePrefix: string };
  readonly log: Logger;
  readonly onProgress?: (done: number, total: number) => void;
  readonly now?: () => Date;
  readonly hnsw?: HnswParams;
  /** Called with the fully written, not yet live version folder; lets tests interrupt a reindex there. */
  readonly beforePublish?: (dir: string) => Promise<void>;
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
  readonly seconds: number;
}

/** Tombstones beyond this share of live points make the reindex rebuild the graph instead of patching it. */
const COMPACT_RATIO = 0.25;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function sameDense(dense: DenseInfo | null | undefined, embedder: Embedder | undefined, o: ReindexOptions['embedding']): dense is DenseInfo {
  return (
    !!dense && !!embedder && dense.model === embedder.modelId && dense.quantized === o.quantized &&
    dense.queryPrefix === o.queryPrefix && dense.passagePrefix === o.passagePrefix
  );
}

/** Files changed less than this long before they were looked at may change again within the same timestamp. */
const RACY_MS = 2000;

function stampOf(file: string, stats: Stats, now: number): SourceStamp | undefined {
  if (now - Math.max(stats.mtimeMs, stats.ctimeMs) < RACY_MS) return undefined;
  return { file, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

const sameStamp = (a: SourceStamp, b: SourceStamp) => a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

/** The stored article as read from its unchanged file; its text is decoded only if someone reads it. */
function unread(old: StoredArticle, stamp: SourceStamp): Article {
  const { id, file, hash, title, outlet, author, date, url, language } = old;
  const meta = Object.fromEntries(Object.entries({ title, outlet, author, date, url, language, headerEnd: stamp.headerEnd }).filter(([, v]) => v !== undefined));
  return Object.defineProperty({ id, file, hash, ...meta }, 'text', { get: () => old.text, enumerable: true }) as Article;
}

/**
 * Files that were touched without changing, or too recently written to trust their stamp, would be read
 * again by every reindex; their new stamps go into the live version. Only reindexes read this file, and
 * they hold the lock, so replacing it in place (atomically) is safe.
 */
async function refreshSources(dir: string, before: ReadonlyMap<string, SourceStamp>, articles: readonly Article[], stamps: ReadonlyMap<string, SourceStamp | undefined>): Promise<void> {
  const sources = sourcesOf(articles, stamps);
  if (sources.length === before.size && sources.every((s) => before.has(s.file) && sameStamp(before.get(s.file)!, s))) return;
  const tmp = path.join(dir, `.${FILES.sources}.tmp`);
  await writeFile(tmp, JSON.stringify(sources));
  await rename(tmp, path.join(dir, FILES.sources));
}

function sourcesOf(articles: readonly Article[], stamps: ReadonlyMap<string, SourceStamp | undefined>): SourceStamp[] {
  const seen = new Set<string>();
  return articles.flatMap((a) => {
    const stamp = stamps.get(a.file);
    // A feed or export holds many articles, and has one stamp.
    if (!stamp || seen.has(a.file)) return [];
    seen.add(a.file);
    return [{ ...stamp, ...(a.headerEnd !== undefined ? { headerEnd: a.headerEnd } : {}) }];
  });
}

/** undefined (after a warning) when the live version is from an older quotedesk or damaged: rebuild it. */
async function reusable<T>(log: Logger, load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch (err) {
    if (!isQuotedeskError(err, 'INDEX_INCOMPATIBLE')) throw err;
    log.warn({ err }, 'existing index cannot be reused; rebuilding from scratch');
    return undefined;
  }
}

export async function reindex(options: ReindexOptions): Promise<ReindexSummary> {
  const started = performance.now();
  const { log, embedder } = options;
  const release = await acquireReindexLock(options.dataDir);
  try {
    const skipped: SkippedFile[] = [];
    // First only the manifest and the articles: when nothing changed, that is all a reindex reads.
    const liveDir = await readCurrentVersion(options.dataDir);
    const live = liveDir
      ? await reusable(log, async () => ({ manifest: await readManifest(liveDir), articles: await openArticles(liveDir), sources: await readSources(liveDir) }))
      : undefined;
    const byFile = new Map<string, StoredArticle[]>();
    for (const a of live?.articles ?? []) byFile.set(a.file, [...(byFile.get(a.file) ?? []), a]);
    const stamps = new Map<string, SourceStamp | undefined>();
    const articles = await readCorpus(
      options.corpusDir,
      (s) => {
        skipped.push(s);
        // A file with parts left out (bad lines, teaser-only items, duplicates) is read again next time, and says so again.
        stamps.set(s.file, undefined);
        log.warn({ file: s.file, reason: s.reason }, `skipping ${s.file}: ${s.reason}`);
      },
      (file, stats) => {
        const stamp = stampOf(file, stats, (options.now?.() ?? new Date()).getTime());
        stamps.set(file, stamp);
        const before = live?.sources.get(file);
        const old = byFile.get(file);
        return old && stamp && before && sameStamp(before, stamp) ? old.map((a) => unread(a, before)) : undefined;
      },
    );
    const oldArticles = new Map((live?.articles ?? []).map((a) => [a.id, a]));
    const current = new Set(articles.map((a) => a.id));
    const added = articles.filter((a) => !oldArticles.has(a.id));
    const changed = articles.filter((a) => oldArticles.has(a.id) && oldArticles.get(a.id)!.hash !== a.hash);
    const removed = [...oldArticles.keys()].filter((id) => !current.has(id));
    const counts = { added: added.length, changed: changed.length, removed: removed.length, unchanged: articles.length - added.length - changed.length };
    const denseReusable = sameDense(live?.manifest.dense, embedder, options.embedding);
    const seconds = () => (performance.now() - started) / 1000;

    const unchanged = (note?: string): ReindexSummary => ({
      articles: counts, passages: { embedded: 0, reused: 0, total: live!.manifest.passageCount }, skipped, empty: [],
      published: false, semantic: live!.manifest.dense !== null, ...(note ? { note } : {}), seconds: seconds(),
    });
    const articlesChanged = added.length + changed.length + removed.length > 0;
    if (live && !articlesChanged && (!embedder || denseReusable)) {
      await refreshSources(liveDir!, live.sources, articles, stamps);
      return unchanged();
    }

    const old = live ? await reusable(log, () => openVersion(liveDir!)) : undefined;
    const plan = planPassages(articles, old, new Set([...added, ...changed].map((a) => a.id)));
    const { passages } = plan;
    const stats = passageStats(articles, passages);
    for (const e of stats.empty) log.warn({ file: e.file, reason: e.reason }, `no passages from ${e.file}: ${e.reason}`);
    let dense: Dense | undefined;
    let note: string | undefined;
    if (embedder) {
      try {
        dense = await embedChanges(embedder, plan, old, denseReusable && !!old, options.onProgress);
      } catch (err) {
        if (!isQuotedeskError(err, 'MODEL_UNAVAILABLE')) throw err;
        note = err.message;
        log.warn(`embedding model ${embedder.modelId} unavailable; keyword search only`);
        // Still no model and no article changed: the live keyword-only version is already right.
        if (live && !articlesChanged) return unchanged(note);
      }
    } else {
      note = 'semantic search is off (SEMANTIC_SEARCH=false)';
    }

    const dir = await createVersionDir(options.dataDir, options.now?.() ?? new Date());
    const denseInfo = dense ? await writeDense(dir, plan, dense, embedder!, options) : null;
    await writeLexical(dir, passages, articles, old, plan.keptLabels);
    const manifest: Manifest = {
      formatVersion: FORMAT_VERSION,
      builtAt: (options.now?.() ?? new Date()).toISOString(),
      articleCount: articles.length,
      passageCount: passages.length,
      dense: denseInfo,
      nextLabel: plan.nextLabel,
    };
    const stored: StoredArticle[] = articles.map(({ headerEnd: _, blocks: __, ...a }) => a);
    const encoded = encodeArticles(stored);
    await writeFile(path.join(dir, FILES.sources), JSON.stringify(sourcesOf(articles, stamps)));
    await writeFile(path.join(dir, FILES.articles), encoded.meta);
    await writeFile(path.join(dir, FILES.texts), encoded.texts);
    await writeFile(path.join(dir, FILES.passages), encodePassages(passages, stored.map((a) => a.id)));
    await writeFile(path.join(dir, FILES.manifest), JSON.stringify(manifest, null, 2));
    await options.beforePublish?.(dir);
    const published = await publishVersion(options.dataDir, dir);
    log.info({ version: path.basename(published) }, 'index published');
    const embedded = dense?.embedded ?? 0;
    return {
      articles: counts,
      passages: { embedded, reused: dense ? passages.length - embedded : 0, total: passages.length },
      skipped, empty: stats.empty, perArticle: { fewest: stats.fewest, most: stats.most }, published: true, semantic: denseInfo !== null, note, seconds: seconds(),
    };
  } finally {
    await release();
  }
}

interface Plan {
  passages: StoredPassage[];
  /** new passage index → old passage label whose vector it reuses */
  reuse: Map<number, number>;
  /** Searchable text of each passage; computed only when needed, since most passages keep their vector. */
  text: (i: number) => string;
  /** labels present in both the old and the new version (untouched in the HNSW and keyword indexes) */
  keptLabels: Set<number>;
  nextLabel: number;
}

function planPassages(articles: readonly Article[], old: OpenIndex | undefined, dirty: ReadonlySet<string>): Plan {
  const oldByArticle = new Map<string, StoredPassage[]>();
  for (const p of old?.passages ?? []) {
    const list = oldByArticle.get(p.articleId);
    if (list) list.push(p);
    else oldByArticle.set(p.articleId, [p]);
  }
  let byHash: Map<string, StoredPassage> | undefined;
  // Built on first need (a dirty article): reading every hash costs time proportional to the corpus.
  const oldByHash = () => (byHash ??= new Map((old?.passages ?? []).map((p) => [p.textHash, p])));
  let nextLabel = old?.manifest.nextLabel ?? 0;
  const fresh = new Map<number, string>();
  const passages: StoredPassage[] = [];
  const plan: Plan = {
    passages,
    reuse: new Map(),
    text: (i) => fresh.get(i) ?? searchableText({ text: passageText(old!, passages[i]!), heading: passages[i]!.heading }),
    keptLabels: new Set(),
    nextLabel: 0,
  };
  for (const article of articles) {
    if (!dirty.has(article.id)) {
      for (const p of oldByArticle.get(article.id) ?? []) {
        plan.reuse.set(passages.length, p.label);
        plan.keptLabels.add(p.label);
        passages.push(p);
      }
      continue;
    }
    const unclaimed = new Map((oldByArticle.get(article.id) ?? []).map((p) => [p.textHash, p]));
    for (const passage of splitArticle(article)) {
      const text = searchableText(passage);
      const textHash = sha256(text);
      const same = unclaimed.get(textHash);
      unclaimed.delete(textHash);
      const { text: _, ...rest } = passage;
      const label = same ? same.label : nextLabel++;
      const donor = same ?? oldByHash().get(textHash);
      if (same) plan.keptLabels.add(label);
      if (donor) plan.reuse.set(passages.length, donor.label);
      fresh.set(passages.length, text);
      passages.push({ ...rest, label, textHash });
    }
  }
  plan.nextLabel = nextLabel;
  return plan;
}

/** Vectors the new version needs beyond what the old graph already holds, and the graph to start from. */
interface Dense {
  /** passage index → vector, for every passage that must be added to the graph */
  vectors: Map<number, Float32Array>;
  /** The old graph, to patch; undefined: build a new one from `vectors` (then holding every passage). */
  base: VectorIndex | undefined;
  /** Labels to delete from `base`. */
  gone: number[];
  tombstones: number;
  params: HnswParams;
  embedded: number;
}

async function embedChanges(
  embedder: Embedder,
  plan: Plan,
  old: OpenIndex | undefined,
  denseReusable: boolean,
  onProgress: ReindexOptions['onProgress'],
): Promise<Dense> {
  const { passages } = plan;
  const oldIndex = denseReusable ? old!.vectorIndex : undefined;
  const newLabels = new Set(passages.map((p) => p.label));
  const gone = oldIndex ? old!.passages.filter((p) => !newLabels.has(p.label)).map((p) => p.label) : [];
  const additions = passages.flatMap((p, i) => (oldIndex && plan.keptLabels.has(p.label) ? [] : [i]));
  // New points take over tombstones' slots (see HnswIndex), so only the surplus of deletions stays.
  const tombstones = oldIndex ? Math.max(0, old!.manifest.dense!.tombstones + gone.length - additions.length) : 0;
  const patch = !!oldIndex && tombstones <= COMPACT_RATIO * passages.length;
  const wanted = patch ? additions : passages.map((_, i) => i);

  const vectors = new Map<number, Float32Array>();
  const need: number[] = [];
  for (const i of wanted) {
    const donor = plan.reuse.get(i);
    const vector = oldIndex && donor !== undefined ? oldIndex.vector(donor) : undefined;
    if (vector) vectors.set(i, vector);
    else need.push(i);
  }
  if (need.length > 0) {
    onProgress?.(0, need.length);
    const fresh = await embedder.embedPassages(need.map(plan.text), (done) => onProgress?.(done, need.length));
    need.forEach((i, k) => vectors.set(i, fresh[k]!));
  }
  const params = denseReusable ? old!.manifest.dense!.hnsw : DEFAULT_HNSW;
  return { vectors, base: patch ? oldIndex : undefined, gone, tombstones: patch ? tombstones : 0, params, embedded: need.length };
}

async function writeDense(dir: string, plan: Plan, dense: Dense, embedder: Embedder, options: ReindexOptions): Promise<DenseInfo> {
  const { passages } = plan;
  const first = dense.vectors.values().next().value as Float32Array | undefined;
  const dims = dense.base?.dims ?? first?.length ?? 0;
  const params = options.hnsw ?? dense.params;
  let index = dense.base;
  if (index) for (const label of dense.gone) index.remove(label);
  else index = HnswIndex.create(dims, passages.length, params);
  for (const [i, vector] of dense.vectors) index.add(passages[i]!.label, vector);
  await index.save(path.join(dir, FILES.hnsw));
  return {
    model: embedder.modelId,
    quantized: options.embedding.quantized,
    dims,
    queryPrefix: options.embedding.queryPrefix,
    passagePrefix: options.embedding.passagePrefix,
    hnsw: index === dense.base ? dense.params : params,
    tombstones: dense.tombstones,
  };
}

async function writeLexical(
  dir: string,
  passages: readonly StoredPassage[],
  articles: readonly Article[],
  old: OpenIndex | undefined,
  keptLabels: ReadonlySet<number>,
): Promise<void> {
  const byId = new Map(articles.map((a) => [a.id, a]));
  const lexical = (old?.lexical ?? LexicalIndex.create()).update({
    remove: old ? old.passages.filter((p) => !keptLabels.has(p.label)).map((p) => p.label) : [],
    add: passages
      .filter((p) => !keptLabels.has(p.label))
      .map((p) => ({ label: p.label, heading: p.heading, text: byId.get(p.articleId)!.text.slice(p.start, p.end) })),
  });
  await writeFile(path.join(dir, FILES.lexical), lexical.encode());
}
