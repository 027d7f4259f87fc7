/**
 * The live version as a reindex sees it: every segment, whether it is intact, and what is damaged. A reindex
 * never trusts a piece without checking it: a segment with a damaged file is left out of the new version
 * and its articles are read again from the corpus, while its intact pieces still serve (its vectors are
 * found again by text hash). Lost tombstones make every segment untrustworthy: the new version is then
 * written in full, reusing every intact vector.
 */
import path from 'node:path';
import { isQuotedeskError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { LexicalIndex } from '../search/lexical.ts';
import { FILES, PIPELINE_VERSION, SEGMENT_FILES, type Manifest, type SegmentEntry, type SourceStamp, type StoredArticle, type StoredPassage } from '../store/format.ts';
import { IndexDamaged, indexRoot, readCurrentVersion, segmentDir } from '../store/layout.ts';
import { openArticles, openLexical, openPassageColumns, openVectors, readDeleted, readManifest, readSources, type Tombstones } from '../store/open.ts';
import { passageRecords, type PassageColumns } from '../store/tables.ts';
import { findVectorBackend } from '../store/vector-backends.ts';
import type { VectorIndex } from '../store/vector-index.ts';
import { VerifiedFiles } from '../store/verified.ts';
import { describeDamage, verifyVersion, type Damage } from '../store/verify.ts';

export interface LiveSegment {
  readonly entry: SegmentEntry;
  readonly dir: string;
  /** Its articles as written (tombstoned ones included); undefined when its article files are damaged. */
  readonly articles: readonly StoredArticle[] | undefined;
  /** Every file intact: the new version may keep it. */
  readonly usable: boolean;
  readonly intact: (file: string) => boolean;
}

export interface Live {
  readonly dir: string;
  readonly name: string;
  readonly manifest: Manifest;
  readonly segments: readonly LiveSegment[];
  /** undefined: lost (then no segment can be kept). */
  readonly deleted: Tombstones | undefined;
  /** The live articles of the usable segments; undefined when none can be trusted. */
  readonly articles: readonly StoredArticle[] | undefined;
  /** The usable segment (position in `segments`) holding each live article. */
  readonly segmentOf: ReadonlyMap<string, number>;
  readonly sources: ReadonlyMap<string, SourceStamp>;
  /** Damaged files, described for the user; the new version repairs them. */
  readonly damage: readonly string[];
  /** The live version was split and analysed by other rules (PIPELINE_VERSION): redo all of that. */
  readonly pipelineChanged: boolean;
}

/** A segment's pieces, each only if intact, each read on first use (a reindex needs few segments' pieces). */
export interface SegmentContent {
  /** Tombstoned ones included; see `Live.deleted`. */
  readonly passages: () => Promise<readonly StoredPassage[] | undefined>;
  /** The same table as columns: scanned for labels and hashes without a record per passage. */
  readonly columns: () => Promise<PassageColumns | undefined>;
  /** Loaded on first use (only merges need it). */
  readonly lexical: () => Promise<LexicalIndex | undefined>;
  /** Loaded on first use: most reindexes need few old vectors, or none. */
  readonly vectors: () => Promise<VectorIndex | undefined>;
}

/** What could not be used at all, and why; undefined `live` then: build from scratch. */
export interface LiveLookup {
  readonly live: Live | undefined;
  readonly damage: readonly string[];
  /** The folder CURRENT names, even when unusable: kept until a new version is live. */
  readonly current: string | undefined;
}

const tolerated = (err: unknown) => isQuotedeskError(err, 'INDEX_INCOMPATIBLE') || isQuotedeskError(err, 'INDEX_DAMAGED');

/**
 * The live version's manifest, tombstones, articles and stamps, with every file's checksum checked (a segment
 * file only when it looks other than when it was last checked: see store/verified.ts).
 */
export async function readLive(dataDir: string, log: Logger, now: number): Promise<LiveLookup> {
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
  const versionDir = dir;
  const verified = await VerifiedFiles.read(indexRoot(dataDir));
  const found: Damage[] = await verifyVersion(dir, manifest, { files: verified, now });
  const listed = new Set(manifest.segments.map((s) => s.id));
  await verified.save((key) => listed.has(key.slice(0, key.indexOf('/'))));
  const bad = (segment: string | undefined, file: string) => found.some((d) => d.segment === segment && d.file === file);
  const damage = found.filter((d) => d.segment || d.file !== FILES.sources).map((d) => describeDamage(versionDir, d));
  if (damage.length > 0) log.error({ damage }, 'the live index is damaged; rebuilding the damaged parts from the corpus');
  const noteDamage = (err: unknown) => {
    if (!tolerated(err)) throw err;
    if (err instanceof IndexDamaged) damage.push(err.what);
    return undefined;
  };
  const deleted = bad(undefined, FILES.deleted) ? undefined : await readDeleted(dir, manifest).catch(noteDamage);
  const segments: LiveSegment[] = [];
  for (const entry of manifest.segments) {
    const sdir = segmentDir(dir, entry.id);
    const intact = (file: string) => !bad(entry.id, file) && file in entry.files;
    const articles = intact(FILES.articles) && intact(FILES.texts) ? await openArticles(sdir, entry, { lazyTexts: true }).catch(noteDamage) : undefined;
    const usable = !!articles && !found.some((d) => d.segment === entry.id) && SEGMENT_FILES.every(intact);
    segments.push({ entry, dir: sdir, articles, usable, intact });
  }
  const segmentOf = new Map<string, number>();
  let articles: StoredArticle[] | undefined;
  if (deleted) {
    articles = [];
    segments.forEach((s, k) => {
      if (!s.usable) return;
      const gone = deleted.get(s.entry.id)?.articles;
      for (const a of s.articles!) {
        if (gone?.has(a.id)) continue;
        articles!.push(a);
        segmentOf.set(a.id, k);
      }
    });
  }
  return {
    live: {
      dir,
      name: path.basename(dir),
      manifest,
      segments,
      deleted,
      articles,
      segmentOf,
      sources: bad(undefined, FILES.sources) ? new Map() : await readSources(dir, manifest),
      damage,
      pipelineChanged: manifest.pipelineVersion !== PIPELINE_VERSION,
    },
    damage,
    current: path.basename(dir),
  };
}

/**
 * Each segment's passages, keyword index and (on demand) vectors, each only if intact; `withVectors` false
 * never loads vectors (another model: they cannot be reused anyway).
 */
export function readLiveContent(live: Live, withVectors: boolean, damage: string[]): SegmentContent[] {
  const attempt = async <T>(ok: boolean, load: () => Promise<T>): Promise<T | undefined> => {
    if (!ok) return undefined;
    try {
      return await load();
    } catch (err) {
      if (!tolerated(err)) throw err;
      if (err instanceof IndexDamaged) damage.push(err.what);
      return undefined;
    }
  };
  const dense = live.manifest.dense;
  // A back-end this quotedesk does not have: its vectors cannot be read, so they are made again.
  const backend = withVectors && dense ? findVectorBackend(dense.backend) : undefined;
  return live.segments.map((s) => {
    const ids = s.articles?.map((a) => a.id) ?? Array.from({ length: s.entry.articleCount }, (_, i) => `\0${i}`);
    let table: Promise<PassageColumns | undefined> | undefined;
    const columns = () => (table ??= attempt(s.intact(FILES.passages), () => openPassageColumns(s.dir, s.entry)));
    let records: Promise<readonly StoredPassage[] | undefined> | undefined;
    const passages = () => (records ??= columns().then((c) => c && passageRecords(c, ids)));
    let keywords: Promise<LexicalIndex | undefined> | undefined;
    const lexical = () => (keywords ??= attempt(s.usable, () => openLexical(s.dir, s.entry)));
    let loaded: Promise<VectorIndex | undefined> | undefined;
    const vectors = () =>
      (loaded ??= columns().then((c) => attempt(!!backend && !!c && backend.files.every(s.intact), () => openVectors(s.dir, s.entry, dense, { checked: true }))));
    return { passages, columns, lexical, vectors };
  });
}
