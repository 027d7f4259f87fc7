/**
 * `npm run index`: brings the index in DATA_DIR up to date with the articles in CORPUS_DIR, repairing it
 * if it is damaged. `--verify` only checks every file of the live version; `--rebuild` builds from scratch.
 */
import { parseArgs } from 'node:util';
import { mergeDue } from '../index/build/merge-due.ts';
import { userError } from '../index/errors.ts';
import { createEmbedder, reindexFromConfig, verifyIndex } from '../index/setup.ts';
import { cleanUpOnSignals } from '../index/store/interrupt.ts';
import { embeddingProgress, formatSummary, runCli } from './cli.ts';

const USAGE = `usage: npm run index -- [--verify | --rebuild | --merge]
      --verify     check every file of the live index (sizes and checksums); change nothing
      --rebuild    build a new index from the corpus, reusing nothing of the live one
      --merge      only merge the live index's segments if they have piled up (a reindex does that too)`;

cleanUpOnSignals();
await runCli(async (config, log) => {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        verify: { type: 'boolean', default: false },
        rebuild: { type: 'boolean', default: false },
        merge: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw userError('BAD_OPTION', `${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if ([values.verify, values.rebuild, values.merge].filter(Boolean).length > 1) throw userError('BAD_OPTION', `--verify, --rebuild and --merge cannot be combined.\n${USAGE}`);
  if (values.merge) {
    const merged = await mergeDue({ dataDir: config.dataDir, log });
    process.stdout.write(
      merged
        ? `Merged ${merged.merged} segments: ${merged.segmentsAfter} live now (${merged.passages} passages written again, ${merged.seconds.toFixed(1)} s).\n`
        : 'No merge due (or the index needs `npm run index` first).\n',
    );
    return 0;
  }
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
