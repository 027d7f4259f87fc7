/** Wiring from configuration to the core: shared by the command-line scripts and the bot. */
import type { Config } from './config.ts';
import type { Embedder } from './embed/embedder.ts';
import { createTransformersEmbedder } from './embed/transformers-embedder.ts';
import type { Logger } from './log.ts';
import { reindex, type ReindexOptions, type ReindexSummary } from './build/reindex.ts';
import { sameModel } from './build/vectors.ts';
import { readCurrentVersion } from './store/layout.ts';
import { openIndex, readManifest, type OpenIndex } from './store/open.ts';
import { describeDamage, fileCount, verifyVersion } from './store/verify.ts';
import { isQuotedeskError, QuotedeskError } from './errors.ts';
import type { AnswerLimits } from './answer/answer.ts';

/** undefined when semantic search is switched off. Creating it loads nothing; the model loads on first use. */
export function createEmbedder(config: Config): Embedder | undefined {
  return config.embedding.enabled ? createTransformersEmbedder(config.embedding) : undefined;
}

export function reindexFromConfig(
  config: Config,
  log: Logger,
  embedder: Embedder | undefined,
  onProgress?: ReindexOptions['onProgress'],
  extra: Pick<ReindexOptions, 'rebuild'> = {},
): Promise<ReindexSummary> {
  return reindex({ corpusDir: config.corpusDir, dataDir: config.dataDir, embedder, embedding: config.embedding, log, onProgress, ...extra });
}

/** Every file of the live version against its size and checksum; throws when there is no readable version. */
export async function verifyIndex(config: Config): Promise<{ dir: string; files: number; damage: string[] }> {
  const dir = await readCurrentVersion(config.dataDir);
  if (!dir) throw new QuotedeskError('INDEX_MISSING', `quotedesk: no index in ${config.dataDir}. Run \`npm run index\` to build it.`);
  const manifest = await readManifest(dir);
  const damage = await verifyVersion(dir, manifest);
  return { dir, files: fileCount(manifest), damage: damage.map((d) => describeDamage(dir, d)) };
}

/**
 * The live index, checked against the configured model. An index whose vectors come from another model
 * cannot be queried with this one: the user must reindex.
 */
export async function openConfiguredIndex(config: Config): Promise<OpenIndex> {
  const index = await openIndex(config.dataDir);
  const dense = index.manifest.dense;
  const e = config.embedding;
  if (dense && e.enabled && !sameModel(dense, e)) {
    throw new QuotedeskError(
      'INDEX_INCOMPATIBLE',
      `quotedesk: the index in ${index.dir} was built with embedding model "${dense.model}" (${dense.quantized ? 'quantized' : 'fp32'}, ${dense.dims} dimensions), ` +
        `but EMBEDDING_MODEL is "${e.model}" (${e.quantized ? 'quantized' : 'fp32'}). Run \`npm run index\` to rebuild it for the configured model.`,
    );
  }
  return index;
}

/** Answer limits from configuration; the views (compare, timeline) want one passage per article, more of them. */
export function answerLimits(config: Config, override: Partial<AnswerLimits> = {}): AnswerLimits {
  return { maxQuestionChars: config.retrieval.maxQuestionChars, maxPerArticle: config.retrieval.maxPerArticle, maxResults: config.retrieval.maxResults, ...override };
}

/** True when there is an index, even a damaged one (which opening then refuses, naming what is wrong). */
export async function hasIndex(config: Config): Promise<boolean> {
  try {
    return (await readCurrentVersion(config.dataDir)) !== undefined;
  } catch (err) {
    if (isQuotedeskError(err, 'INDEX_DAMAGED')) return true;
    throw err;
  }
}
