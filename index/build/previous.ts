/**
 * The live version as a reindex sees it: every piece that is intact, and what is damaged. A reindex never
 * trusts a piece without checking it: a damaged one is left out and built again from the corpus, while the
 * intact ones (articles, passages, vectors, keyword index) are reused.
 */
import path from 'node:path';
import { isQuotedeskError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { LexicalIndex } from '../search/lexical.ts';
import { FILES, PIPELINE_VERSION, type Manifest, type SourceStamp, type StoredArticle, type StoredPassage } from '../store/format.ts';
import { IndexDamaged, readCurrentVersion } from '../store/layout.ts';
import { openArticles, openLexical, openPassages, openVectors, readManifest, readSources } from '../store/open.ts';
import { findVectorBackend } from '../store/vector-backends.ts';
import type { VectorIndex } from '../store/vector-index.ts';
import { describeDamage, verifyVersion, type Damage } from '../store/verify.ts';

export interface Live {
  readonly dir: string;
  readonly name: string;
  readonly manifest: Manifest;
  /** undefined: damaged. */
  readonly articles: readonly StoredArticle[] | undefined;
  readonly sources: ReadonlyMap<string, SourceStamp>;
  /** Damaged files, described for the user; the new version repairs them. */
  readonly damage: readonly string[];
  /** The live version was split and analysed by other rules (PIPELINE_VERSION): redo all of that. */
  readonly pipelineChanged: boolean;
  /** Files whose checksums were found intact. */
  readonly intact: (file: string) => boolean;
}

export interface LiveContent {
  readonly passages: readonly StoredPassage[] | undefined;
  readonly lexical: LexicalIndex | undefined;
  readonly vectors: VectorIndex | undefined;
}

/** What could not be used at all, and why; undefined `live` then: build from scratch. */
export interface LiveLookup {
  readonly live: Live | undefined;
  readonly damage: readonly string[];
  /** The folder CURRENT names, even when unusable: kept until a new version is live. */
  readonly current: string | undefined;
}

const tolerated = (err: unknown) => isQuotedeskError(err, 'INDEX_INCOMPATIBLE') || isQuotedeskError(err, 'INDEX_DAMAGED');

/** The live version's manifest, articles and stamps, with every file's checksum checked. */
export async function readLive(dataDir: string, log: Logger): Promise<LiveLookup> {
  let dir: string | undefined;
  let manifest: Manifest;
  try {
    dir = await readCurrentVersion(dataDir);
    if (!dir) return { live: undefined, damage: [], current: undefined };
    manifest = await readManifest(dir);
  } catch (err) {
    if (!tolerated(err)) throw err;
    log.warn({ err }, 'existing index cannot be reused; rebuilding from scratch');
    return { live: undefined, damage: err instanceof IndexDamaged ? [err.what] : [], current: dir && path.basename(dir) };
  }
  const found: Damage[] = await verifyVersion(dir, manifest);
  const bad = new Set(found.map((d) => d.file));
  const damage = found.filter((d) => d.file !== FILES.sources).map((d) => describeDamage(dir, d));
  if (damage.length > 0) log.error({ damage }, 'the live index is damaged; rebuilding the damaged parts from the corpus');
  let articles: StoredArticle[] | undefined;
  if (!bad.has(FILES.articles) && !bad.has(FILES.texts)) {
    articles = await openArticles(dir, manifest).catch((err: unknown) => {
      if (!tolerated(err)) throw err;
      if (err instanceof IndexDamaged) damage.push(err.what);
      return undefined;
    });
  }
  return {
    live: {
      dir,
      name: path.basename(dir),
      manifest,
      articles,
      sources: bad.has(FILES.sources) ? new Map() : await readSources(dir, manifest),
      damage,
      pipelineChanged: manifest.pipelineVersion !== PIPELINE_VERSION,
      intact: (file) => !bad.has(file) && file in manifest.files,
    },
    damage,
    current: path.basename(dir),
  };
}

/**
 * Passages, keyword index and vectors of the live version, each only if intact; `withVectors` false skips
 * loading the vectors (another model: they cannot be reused anyway).
 */
export async function readLiveContent(live: Live, withVectors: boolean, damage: string[]): Promise<LiveContent> {
  const attempt = async <T>(files: readonly string[], load: () => Promise<T>): Promise<T | undefined> => {
    if (!files.every(live.intact)) return undefined;
    try {
      return await load();
    } catch (err) {
      if (!tolerated(err)) throw err;
      if (err instanceof IndexDamaged) damage.push(err.what);
      return undefined;
    }
  };
  const ids = live.articles?.map((a) => a.id) ?? Array.from({ length: live.manifest.articleCount }, (_, i) => `\0${i}`);
  const passages = await attempt([FILES.passages], () => openPassages(live.dir, live.manifest, ids));
  const lexical = await attempt([FILES.lexical], () => openLexical(live.dir, live.manifest));
  const dense = live.manifest.dense;
  // A back-end this quotedesk does not have: its vectors cannot be read, so they are made again.
  const backend = withVectors && dense ? findVectorBackend(dense.backend) : undefined;
  const vectors = backend ? await attempt(backend.files, () => openVectors(live.dir, live.manifest)) : undefined;
  return { passages, lexical, vectors };
}
