/** `npm run index`: brings the index in DATA_DIR up to date with the articles in CORPUS_DIR. */
import { createEmbedder, reindexFromConfig } from '../index/setup.ts';
import { embeddingProgress, formatSummary, runCli } from './cli.ts';

await runCli(async (config, log) => {
  const progress = embeddingProgress();
  const summary = await reindexFromConfig(config, log, createEmbedder(config), progress.update).finally(progress.stop);
  process.stdout.write(`${formatSummary(summary, config.embedding.model)}\n`);
});
