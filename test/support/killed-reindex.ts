/**
 * A reindex that kills its own process with SIGKILL at a chosen point — nothing runs after, as with a power
 * cut: `seal:N` just before the Nth segment folder of the run is renamed into place (1: the new segment;
 * later ones: merged segments), `publish:N` when the Nth version of the run is written but CURRENT not yet
 * switched (1: the change; 2: the merge after it).
 * Arguments: corpus folder, data folder, models folder, point.
 */
import { reindex } from '../../index/build/reindex.ts';
import { createTransformersEmbedder } from '../../index/embed/transformers-embedder.ts';
import { silentLog, testConfig } from './setup.ts';

const [corpusDir, dataDir, modelsDir, point] = process.argv.slice(2) as [string, string, string, string];
const config = testConfig({ CORPUS_DIR: corpusDir, DATA_DIR: dataDir, MODELS_DIR: modelsDir });
const die = () => {
  process.kill(process.pid, 'SIGKILL');
  return new Promise<void>(() => {});
};
let seals = 0;
let publishes = 0;
await reindex({
  corpusDir,
  dataDir,
  embedder: createTransformersEmbedder(config.embedding),
  embedding: config.embedding,
  log: silentLog,
  beforeSeal: () => (point === `seal:${++seals}` ? die() : Promise.resolve()),
  beforePublish: () => (point === `publish:${++publishes}` ? die() : Promise.resolve()),
});
process.stdout.write('finished without being killed\n');
