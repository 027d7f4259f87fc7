/**
 * Corpus folder → new index version, doing only the work that changed: unchanged articles keep their
 * passages, any passage whose text is unchanged keeps its vector, and the HNSW graph and keyword index
 * are updated in place (deletions as tombstones, compacted when they pile up). Nothing changed means no
 * model load and no new version.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../corpus/article.ts';
import { readCorpus, type SkippedFile } from '../corpus/read.ts';
import type { Embedder } from '../embed/embedder.ts';
import { isQuotedeskError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { searchableText } from '../passages/passage.ts';
import { splitArticle } from '../passages/split.ts';
import { LexicalIndex } from '../search/lexical.ts';
import { FILES, FORMAT_VERSION, type DenseInfo, type Manifest, type StoredArticle, type StoredPassage } from '../store/format.ts';
import { DEFAULT_HNSW, HnswIndex, type HnswParams } from '../store/hnsw.ts';
import { acquireReindexLock, createVersionDir, publishVersion, readCurrentVersion } from '../store/layout.ts';
import { openVersion, passageText, type OpenIndex } from '../store/open.ts';

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

async function openPrevious(dataDir: string, log: Logger): Promise<OpenIndex | undefined> {
  const dir = await readCurrentVersion(dataDir);
  if (!dir) return undefined;
  try {
    return await openVersion(dir);
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
    const articles = await readCorpus(options.corpusDir, (s) => {
      skipped.push(s);
      log.warn({ file: s.file, reason: s.reason }, `skipping ${s.file}: ${s.reason}`);
    });
    const old = await openPrevious(options.dataDir, log);
    const oldArticles = old?.articles ?? new Map<string, StoredArticle>();
    const current = new Set(articles.map((a) => a.id));
    const added = articles.filter((a) => !oldArticles.has(a.id));
    const changed = articles.filter((a) => oldArticles.has(a.id) && oldArticles.get(a.id)!.hash !== a.hash);
    const removed = [...oldArticles.keys()].filter((id) => !current.has(id));
    const counts = { added: added.length, changed: changed.length, removed: removed.length, unchanged: articles.length - added.length - changed.length };
    const denseReusable = sameDense(old?.manifest.dense, embedder, options.embedding);
    const seconds = () => (performance.now() - started) / 1000;

    const unchanged = (note?: string): ReindexSummary => ({
      articles: counts, passages: { embedded: 0, reused: 0, total: old!.passages.length }, skipped,
      published: false, semantic: old!.manifest.dense !== null, ...(note ? { note } : {}), seconds: seconds(),
    });
    const articlesChanged = added.length + changed.length + removed.length > 0;
    if (old && !articlesChanged && (!embedder || denseReusable)) return unchanged();

    const plan = planPassages(articles, old, new Set([...added, ...changed].map((a) => a.id)));
    const { passages, reuse, toEmbed } = plan;
    let vectors: Float32Array[] | undefined;
    let note: string | undefined;
    if (embedder) {
      try {
        vectors = await embedAll(embedder, plan, old, denseReusable, options.onProgress);
      } catch (err) {
        if (!isQuotedeskError(err, 'MODEL_UNAVAILABLE')) throw err;
        note = err.message;
        log.warn(`embedding model ${embedder.modelId} unavailable; keyword search only`);
        // Still no model and no article changed: the live keyword-only version is already right.
        if (old && !articlesChanged) return unchanged(note);
      }
    } else {
      note = 'semantic search is off (SEMANTIC_SEARCH=false)';
    }

    const dir = await createVersionDir(options.dataDir, options.now?.() ?? new Date());
    const dense = vectors ? await writeDense(dir, passages, vectors, old, denseReusable, embedder!, options) : null;
    await writeLexical(dir, passages, articles, old, plan.keptLabels);
    const manifest: Manifest = {
      formatVersion: FORMAT_VERSION,
      builtAt: (options.now?.() ?? new Date()).toISOString(),
      articleCount: articles.length,
      passageCount: passages.length,
      dense,
      nextLabel: plan.nextLabel,
    };
    const stored: StoredArticle[] = articles.map(({ headerEnd: _, ...a }) => a);
    await writeFile(path.join(dir, FILES.articles), JSON.stringify(stored));
    await writeFile(path.join(dir, FILES.passages), JSON.stringify(passages));
    await writeFile(path.join(dir, FILES.manifest), JSON.stringify(manifest, null, 2));
    await options.beforePublish?.(dir);
    const live = await publishVersion(options.dataDir, dir);
    log.info({ version: path.basename(live) }, 'index published');
    const embedded = vectors ? (denseReusable ? toEmbed.length : passages.length - reuse.size) : 0;
    return {
      articles: counts,
      passages: { embedded, reused: vectors ? passages.length - embedded : 0, total: passages.length },
      skipped, published: true, semantic: dense !== null, note, seconds: seconds(),
    };
  } finally {
    await release();
  }
}

interface Plan {
  passages: StoredPassage[];
  /** new passage index → old passage label whose vector it reuses */
  reuse: Map<number, number>;
  /** new passage indexes that need a fresh vector */
  toEmbed: number[];
  texts: string[];
  /** labels present in both the old and the new version (untouched in the HNSW and keyword indexes) */
  keptLabels: Set<number>;
  nextLabel: number;
}

function planPassages(articles: readonly Article[], old: OpenIndex | undefined, dirty: ReadonlySet<string>): Plan {
  const oldByArticle = new Map<string, StoredPassage[]>();
  const oldByHash = new Map<string, StoredPassage>();
  for (const p of old?.passages ?? []) {
    oldByArticle.set(p.articleId, [...(oldByArticle.get(p.articleId) ?? []), p]);
    oldByHash.set(p.textHash, p);
  }
  let nextLabel = old?.manifest.nextLabel ?? 0;
  const plan: Plan = { passages: [], reuse: new Map(), toEmbed: [], texts: [], keptLabels: new Set(), nextLabel: 0 };
  for (const article of articles) {
    if (!dirty.has(article.id)) {
      for (const p of oldByArticle.get(article.id) ?? []) {
        plan.reuse.set(plan.passages.length, p.label);
        plan.keptLabels.add(p.label);
        plan.texts.push(searchableText({ text: passageText(old!, p), heading: p.heading }));
        plan.passages.push(p);
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
      const donor = same ?? oldByHash.get(textHash);
      if (same) plan.keptLabels.add(label);
      if (donor) plan.reuse.set(plan.passages.length, donor.label);
      else plan.toEmbed.push(plan.passages.length);
      plan.texts.push(text);
      plan.passages.push({ ...rest, label, textHash });
    }
  }
  plan.nextLabel = nextLabel;
  return plan;
}

async function embedAll(
  embedder: Embedder,
  plan: Plan,
  old: OpenIndex | undefined,
  denseReusable: boolean,
  onProgress: ReindexOptions['onProgress'],
): Promise<Float32Array[]> {
  const vectors: Float32Array[] = new Array(plan.passages.length);
  const need = denseReusable ? plan.toEmbed : plan.passages.map((_, i) => i);
  if (denseReusable) {
    const dims = old!.manifest.dense!.dims;
    const rowOf = new Map(old!.passages.map((p, row) => [p.label, row]));
    for (const [i, label] of plan.reuse) {
      const row = rowOf.get(label)!;
      vectors[i] = old!.vectors.subarray(row * dims, (row + 1) * dims);
    }
  }
  if (need.length > 0) {
    onProgress?.(0, need.length);
    const fresh = await embedder.embedPassages(need.map((i) => plan.texts[i]!), (done) => onProgress?.(done, need.length));
    need.forEach((i, k) => (vectors[i] = fresh[k]!));
  }
  return vectors;
}

async function writeDense(
  dir: string,
  passages: readonly StoredPassage[],
  vectors: readonly Float32Array[],
  old: OpenIndex | undefined,
  denseReusable: boolean,
  embedder: Embedder,
  options: ReindexOptions,
): Promise<DenseInfo> {
  const dims = vectors[0]?.length ?? old?.manifest.dense?.dims ?? 0;
  const params = options.hnsw ?? (denseReusable ? old!.manifest.dense!.hnsw : DEFAULT_HNSW);
  const newLabels = new Set(passages.map((p) => p.label));
  const gone = (old?.passages ?? []).filter((p) => !newLabels.has(p.label));
  const oldLabels = new Set(old?.passages.map((p) => p.label));
  let tombstones = denseReusable ? old!.manifest.dense!.tombstones + gone.length : 0;
  let index: HnswIndex;
  if (denseReusable && tombstones <= COMPACT_RATIO * passages.length) {
    index = await HnswIndex.load(path.join(old!.dir, FILES.hnsw), dims, params);
    for (const p of gone) index.remove(p.label);
    passages.forEach((p, i) => oldLabels.has(p.label) || index.add(p.label, vectors[i]!));
  } else {
    tombstones = 0;
    index = HnswIndex.create(dims, passages.length, params);
    passages.forEach((p, i) => index.add(p.label, vectors[i]!));
  }
  await index.save(path.join(dir, FILES.hnsw));
  const flat = new Float32Array(passages.length * dims);
  vectors.forEach((v, i) => flat.set(v, i * dims));
  await writeFile(path.join(dir, FILES.vectors), new Uint8Array(flat.buffer));
  return {
    model: embedder.modelId,
    quantized: options.embedding.quantized,
    dims,
    queryPrefix: options.embedding.queryPrefix,
    passagePrefix: options.embedding.passagePrefix,
    hnsw: params,
    tombstones,
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
  const doc = (p: StoredPassage, text: string) => ({ key: String(p.label), heading: p.heading, text });
  const lexical = old?.lexical ?? LexicalIndex.create();
  if (old) lexical.remove(old.passages.filter((p) => !keptLabels.has(p.label)).map((p) => doc(p, passageText(old, p))));
  lexical.add(passages.filter((p) => !keptLabels.has(p.label)).map((p) => doc(p, byId.get(p.articleId)!.text.slice(p.start, p.end))));
  await writeFile(path.join(dir, FILES.lexical), lexical.toJSON());
}
