/** Writing one immutable segment: its articles, passages, keyword index and vector index, each recorded with size and checksum. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LexicalIndex } from '../search/lexical.ts';
import { FILES, type FileEntry, type SegmentEntry, type StoredArticle, type StoredPassage } from '../store/format.ts';
import { createSegmentDir, discardVersionDir, sealSegment } from '../store/layout.ts';
import { encodeArticles, encodePassages } from '../store/tables.ts';
import { vectorBackend } from '../store/vector-backends.ts';
import type { VectorIndex } from '../store/vector-index.ts';
import { entryFor, recordFiles } from '../store/verify.ts';

export interface SegmentData {
  readonly articles: readonly StoredArticle[];
  /** Each of an article in `articles`. */
  readonly passages: readonly StoredPassage[];
  readonly lexical: LexicalIndex;
  readonly vectors?: { readonly index: VectorIndex; readonly backend: string };
}

/** Called with each fully written, not yet sealed segment folder; lets tests interrupt a reindex there. */
export type BeforeSeal = (dir: string) => Promise<void>;

export async function writeSegment(dataDir: string, now: Date, data: SegmentData, beforeSeal?: BeforeSeal): Promise<SegmentEntry> {
  const dir = await createSegmentDir(dataDir, now);
  try {
    const files: Record<string, FileEntry> = {};
    const write = async (name: string, content: Buffer | string) => {
      const bytes = typeof content === 'string' ? Buffer.from(content) : content;
      await writeFile(path.join(dir, name), bytes);
      files[name] = entryFor(bytes);
    };
    if (data.vectors) {
      await data.vectors.index.save(dir);
      Object.assign(files, await recordFiles(dir, vectorBackend(data.vectors.backend).files));
    }
    await write(FILES.lexical, data.lexical.encode());
    const encoded = encodeArticles(data.articles);
    await write(FILES.articles, encoded.meta);
    await write(FILES.texts, encoded.texts);
    await write(
      FILES.passages,
      encodePassages(
        data.passages,
        data.articles.map((a) => a.id),
      ),
    );
    await beforeSeal?.(dir);
    const id = await sealSegment(dir);
    return { id, articleCount: data.articles.length, passageCount: data.passages.length, vectors: data.vectors ? data.vectors.index.params : null, files };
  } finally {
    await discardVersionDir(dir); // a no-op once sealed
  }
}
