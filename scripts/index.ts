/**
 * `npm run index`: brings the index in DATA_DIR up to date with the articles in CORPUS_DIR, repairing it
 * if it is damaged. `--verify` only checks every file of the live version; `--rebuild` builds from scratch.
 */
import { parseArgs } from 'node:util';
import { userError } from '../index/errors.ts';
import { createEmbedder, reindexFromConfig, verifyIndex } from '../index/setup.ts';
import { cleanUpOnSignals } from '../index/store/interrupt.ts';
import { embeddingProgress, formatSummary, runCli } from './cli.ts';

const USAGE = `usage: npm run index -- [--verify | --rebuild]
      --verify     check every file of the live index (sizes and checksums); change nothing
      --rebuild    build a new index from the corpus, reusing nothing of the live one`;

cleanUpOnSignals();
await runCli(async (config, log) => {
  let values;
  try {
    ({ values } = parseArgs({
      options: { verify: { type: 'boolean', default: false }, rebuild: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    }));
  } catch (err) {
    throw userError('BAD_OPTION', `${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.verify && values.rebuild) throw userError('BAD_OPTION', `--verify and --rebuild cannot be combined.\n${USAGE}`);
  if (values.verify) {
    const { dir, files, damage } = await verifyIndex(config);
    if (damage.length === 0) {
      process.stdout.write(`Index ${dir}: all ${files} files intact (sizes and checksums checked).\n`);
      return 0;
    }
    process.stdout.write(`Index ${dir} is damaged:\n${damage.map((d) => `  ${d}`).join('\n')}\nRun \`npm run index\` to repair it.\n`);
    return 1;
  }
  const progress = embeddingProgress();
  const summary = await reindexFromConfig(config, log, createEmbedder(config), progress.update, { rebuild: values.rebuild }).finally(progress.stop);
  process.stdout.write(`${formatSummary(summary, config.embedding.model)}\n`);
});
