/**
 * Corpus folder → new index version, doing only the work that changed: unchanged articles keep their
 * passages, any passage whose text is unchanged keeps its vector, and the vector and keyword indexes are
 * updated in place. Nothing changed means no model load and no new version; a damaged live version is
 * repaired from the corpus, reusing its intact pieces. Stamps: stamps.ts; planning: plan.ts; vectors:
 * vectors.ts; what of the live version can be trusted: previous.ts.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../corpus/article.ts';
import { readCorpus, type SkippedFile } from '../corpus/read.ts';
import type { Embedder } from '../embed/embedder.ts';
import { isQuotedeskError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { LexicalIndex } from '../search/lexical.ts';
import { FILES, FORMAT_VERSION, PIPELINE_VERSION, type DenseInfo, type FileEntry, type Manifest, type SourceStamp, type StoredArticle, type StoredPassage } from '../store/format.ts';
import { acquireReindexLock, createVersionDir, discardVersionDir, indexRoot, publishVersion, removeLeftovers } from '../store/layout.ts';
import { encodeArticles, encodePassages } from '../store/tables.ts';
import { vectorBackend } from '../store/vector-backends.ts';
import type { VectorParams } from '../store/vector-index.ts';
import { entryFor, recordFiles } from '../store/verify.ts';
import { planPassages, type Plan } from './plan.ts';
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
  /** False when nothing changed and the live version stays as it was. */
  readonly published: boolean;
  readonly semantic: boolean;
  /** Why semantic search is off, when it is. */
  readonly note?: string;
  /** Damage found in the live version, which the new version repaired. */
  readonly repaired?: readonly string[];
  readonly seconds: number;
}

export async function reindex(options: ReindexOptions): Promise<ReindexSummary> {
  const started = performance.now();
  const { log, embedder } = options;
  const now = () => options.now?.() ?? new Date();
  const release = await acquireReindexLock(indexRoot(options.dataDir));
  try {
    const seconds = () => (performance.now() - started) / 1000;
    // First only the manifest, the articles and the stamps (every checksum checked): when nothing
    // changed, that is all a reindex reads.
    const lookup = await readLive(options.dataDir, log);
    const live = options.rebuild ? undefined : lookup.live;
    const damage = options.rebuild ? [] : [...lookup.damage];
    // Leftovers of killed runs go now, not only after the next publish.
    await removeLeftovers(options.dataDir, lookup.live ? [lookup.live.name, ...(lookup.live.manifest.previous ? [lookup.live.manifest.previous] : [])] : []);
    const trustArticles = !!live?.articles && !live.pipelineChanged;
    const skipped: SkippedFile[] = [];
    const stamps = new Map<string, SourceStamp | undefined>();
    const byFile = new Map((trustArticles ? live.articles! : []).map((a) => [a.file, a]));
    const articles = await readCorpus(
      options.corpusDir,
      (s) => {
        skipped.push(s);
        log.warn({ file: s.file, reason: s.reason }, `skipping ${s.file}: ${s.reason}`);
      },
      (file, stats) => {
        const stamp = stampOf(file, stats, now().getTime());
        stamps.set(file, stamp);
        const before = live?.sources.get(file);
        const old = byFile.get(file);
        return old && stamp && before && sameStamp(before, stamp) ? unread(old, before) : undefined;
      },
    );
    const oldArticles = new Map((live?.articles ?? []).map((a) => [a.id, a]));
    const current = new Set(articles.map((a) => a.id));
    const isNew = (a: Article) => !oldArticles.has(a.id) || oldArticles.get(a.id)!.hash !== a.hash;
    const added = articles.filter((a) => !oldArticles.has(a.id)).length;
    const changed = articles.filter((a) => oldArticles.has(a.id) && oldArticles.get(a.id)!.hash !== a.hash).length;
    const removed = [...oldArticles.keys()].filter((id) => !current.has(id)).length;
    const counts = { added, changed, removed, unchanged: articles.length - added - changed };
    const settings = embedder && { model: embedder.modelId, ...options.embedding };
    const denseReusable = !!settings && sameModel(live?.manifest.dense, settings);
    const articlesChanged = added + changed + removed > 0;
    const repair = damage.length > 0 || !!live?.pipelineChanged;

    const unchanged = (note?: string): ReindexSummary => ({
      articles: counts, passages: { embedded: 0, reused: 0, total: live!.manifest.passageCount }, skipped,
      published: false, semantic: live!.manifest.dense !== null, ...(note ? { note } : {}), seconds: seconds(),
    });
    if (live && !repair && !articlesChanged && (!embedder || denseReusable)) {
      await refreshSources(live.dir, live.manifest, live.sources, articles, stamps);
      return unchanged();
    }

    const content = live ? await readLiveContent(live, denseReusable, damage) : undefined;
    const structure = trustArticles && !!content?.passages;
    const plan = planPassages(
      articles,
      content?.passages ? { passages: content.passages, structure, nextLabel: live!.manifest.nextLabel } : live ? { passages: [], structure: false, nextLabel: live.manifest.nextLabel } : undefined,
      (a) => !structure || isNew(a),
    );
    let vectors: BuiltVectors | undefined;
    let note: string | undefined;
    if (embedder) {
      try {
        const old = denseReusable && content?.vectors && content.passages ? { index: content.vectors, passages: content.passages, backend: live!.manifest.dense!.backend } : undefined;
        vectors = await buildVectors(embedder, plan, old, options.vectorParams, options.onProgress);
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

    const dir = await createVersionDir(options.dataDir, now());
    try {
      return await writeVersion(dir);
    } finally {
      await discardVersionDir(dir); // unless published
    }

    async function writeVersion(dir: string): Promise<ReindexSummary> {
    const files: Record<string, FileEntry> = {};
    const write = async (name: string, bytes: Buffer | string) => {
      const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
      await writeFile(path.join(dir, name), buffer);
      files[name] = entryFor(buffer);
    };
    let dense: DenseInfo | null = null;
    if (vectors) {
      await vectors.index.save(dir);
      Object.assign(files, await recordFiles(dir, vectorBackend(vectors.backend).files));
      dense = { backend: vectors.backend, model: embedder!.modelId, ...options.embedding, dims: vectors.index.dims, params: vectors.index.params };
    }
    const lexicalBase = structure ? content?.lexical : undefined;
    await write(FILES.lexical, lexicalIndex(plan, articles, lexicalBase && { index: lexicalBase, passages: content!.passages! }).encode());
    const stored: StoredArticle[] = articles.map(({ headerEnd: _, ...a }) => a);
    const encoded = encodeArticles(stored);
    await write(FILES.sources, JSON.stringify(sourcesOf(articles, stamps)));
    await write(FILES.articles, encoded.meta);
    await write(FILES.texts, encoded.texts);
    await write(FILES.passages, encodePassages(plan.passages, stored.map((a) => a.id)));
    const manifest: Manifest = {
      formatVersion: FORMAT_VERSION,
      pipelineVersion: PIPELINE_VERSION,
      builtAt: now().toISOString(),
      ...(lookup.live ? { previous: lookup.live.name } : {}),
      articleCount: articles.length,
      passageCount: plan.passages.length,
      dense,
      nextLabel: plan.nextLabel,
      files,
    };
    await writeFile(path.join(dir, FILES.manifest), JSON.stringify(manifest, null, 2));
    await options.beforePublish?.(dir);
    const published = await publishVersion(options.dataDir, dir, lookup.live?.name);
    log.info({ version: path.basename(published) }, 'index published');
    const embedded = vectors?.embedded ?? 0;
    return {
      articles: counts,
      passages: { embedded, reused: vectors ? plan.passages.length - embedded : 0, total: plan.passages.length },
      skipped, published: true, semantic: dense !== null, note, ...(damage.length ? { repaired: damage } : {}), seconds: seconds(),
    };
    }
  } finally {
    await release();
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
      .map((p) => ({ label: p.label, heading: p.heading, text: byId.get(p.articleId)!.text.slice(p.start, p.end) })),
  });
}
