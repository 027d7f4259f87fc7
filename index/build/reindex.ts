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
  type SourceStamp,
  type StoredArticle,
  type StoredPassage,
} from '../store/format.ts';
import { acquireReindexLock, createVersionDir, discardVersionDir, indexRoot, publishVersion, removeLeftovers } from '../store/layout.ts';
import { encodeArticles, encodePassages } from '../store/tables.ts';
import { vectorBackend } from '../store/vector-backends.ts';
import type { VectorParams } from '../store/vector-index.ts';
import { encodeManifest, entryFor, recordFiles } from '../store/verify.ts';
import { planPassages, type OldPassages, type Plan } from './plan.ts';
import { readLive, readLiveContent, type Live } from './previous.ts';
import { refreshSources, sameStamp, sourcesOf, stampOf, unread } from './stamps.ts';
import { buildVectors, sameModel, type BuiltVectors } from './vectors.ts';

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
  // and the one before it stay.
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
  const byArticle = !!live?.articles && !!content?.passages;
  const sameRules = byArticle && !live.pipelineChanged;
  const old: OldPassages | undefined = live && { passages: content?.passages ?? [], byArticle, nextLabel: live.manifest.nextLabel };
  const plan = planPassages(corpus.articles, old, (a) => !sameRules || corpus.isNew(a));
  const stats = passageStats(corpus.articles, plan.passages);
  for (const e of stats.empty) log.warn({ file: e.file, reason: e.reason }, `no passages from ${e.file}: ${e.reason}`);
  let vectors: BuiltVectors | undefined;
  let note: string | undefined;
  if (embedder) {
    try {
      const reusable =
        denseReusable && content?.vectors && content.passages ? { index: content.vectors, passages: content.passages, backend: live!.manifest.dense!.backend } : undefined;
      vectors = await buildVectors(embedder, plan, reusable, options.vectorParams, options.onProgress);
    } catch (err) {
      if (!isQuotedeskError(err, 'MODEL_UNAVAILABLE')) throw err;
      note = err.message;
      log.warn(`embedding model ${embedder.modelId} unavailable; keyword search only`);
      // Still no model and no article changed: the live keyword-only version is already right.
      if (live && !articlesChanged && !repair && live.manifest.dense === null) return unchanged(note);
    }
  } else {
    note = 'semantic search is off (SEMANTIC_SEARCH=false)';
  }

  const lexicalBase = sameRules && content?.lexical ? { index: content.lexical, passages: content.passages } : undefined;
  const dense = await writeVersion(options, lookup.current, corpus, plan, vectors, lexicalBase);
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

/** Writes the new version into a temporary folder, records every file in its manifest, and makes it live. */
async function writeVersion(
  options: ReindexOptions,
  previous: string | undefined,
  corpus: Corpus,
  plan: Plan,
  vectors: BuiltVectors | undefined,
  lexicalBase: { index: LexicalIndex; passages: readonly StoredPassage[] } | undefined,
): Promise<DenseInfo | null> {
  const now = options.now?.() ?? new Date();
  const dir = await createVersionDir(options.dataDir, now);
  try {
    const files: Record<string, FileEntry> = {};
    const write = async (name: string, content: Buffer | string) => {
      const bytes = typeof content === 'string' ? Buffer.from(content) : content;
      await writeFile(path.join(dir, name), bytes);
      files[name] = entryFor(bytes);
    };
    let dense: DenseInfo | null = null;
    if (vectors) {
      await vectors.index.save(dir);
      Object.assign(files, await recordFiles(dir, vectorBackend(vectors.backend).files));
      dense = { backend: vectors.backend, model: options.embedder!.modelId, ...options.embedding, dims: vectors.index.dims, params: vectors.index.params };
    }
    await write(FILES.lexical, lexicalIndex(plan, corpus.articles, lexicalBase).encode());
    const stored: StoredArticle[] = corpus.articles.map(({ headerEnd: _, blocks: __, ...a }) => a);
    const encoded = encodeArticles(stored);
    await write(FILES.sources, JSON.stringify(sourcesOf(corpus.articles, corpus.stamps)));
    await write(FILES.articles, encoded.meta);
    await write(FILES.texts, encoded.texts);
    await write(
      FILES.passages,
      encodePassages(
        plan.passages,
        stored.map((a) => a.id),
      ),
    );
    const manifest: Manifest = {
      formatVersion: FORMAT_VERSION,
      pipelineVersion: PIPELINE_VERSION,
      builtAt: now.toISOString(),
      ...(previous ? { previous } : {}),
      articleCount: stored.length,
      passageCount: plan.passages.length,
      dense,
      nextLabel: plan.nextLabel,
      files,
    };
    await writeFile(path.join(dir, FILES.manifest), encodeManifest(manifest));
    await options.beforePublish?.(dir);
    const published = await publishVersion(options.dataDir, dir, previous);
    options.log.info({ version: path.basename(published) }, 'index published');
    return dense;
  } finally {
    await discardVersionDir(dir); // a no-op once published
  }
}

/** The keyword index of the new version: the old one patched, or (no trustworthy old one) built anew. */
function lexicalIndex(plan: Plan, articles: readonly Article[], old: { index: LexicalIndex; passages: readonly StoredPassage[] } | undefined): LexicalIndex {
  const byId = new Map(articles.map((a) => [a.id, a]));
  const kept = old ? plan.keptLabels : new Set<number>();
  return (old?.index ?? LexicalIndex.create()).update({
    remove: old ? old.passages.filter((p) => !kept.has(p.label)).map((p) => p.label) : [],
    add: plan.passages
      .filter((p) => !kept.has(p.label))
      .map((p) => {
        const article = byId.get(p.articleId)!;
        return { label: p.label, heading: passageContext(article.title, p.heading), text: article.text.slice(p.start, p.end) };
      }),
  });
}
