// Generates the tiny offline embedding model and prints the settings that select it.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { listArticleFiles } from '../index/corpus/files.ts';
import { writeTinyModel } from '../index/embed/tiny-model.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '.cache/models' },
    name: { type: 'string', default: 'quotedesk-tiny' },
    corpus: { type: 'string', default: 'corpus' },
  },
});

async function readCorpus(dir: string): Promise<string[]> {
  // Without a corpus the model still works, with single characters as its vocabulary.
  const files = await listArticleFiles(dir).catch(() => [] as string[]);
  return Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
}

const modelsDir = resolve(values.out);
await writeTinyModel(join(modelsDir, values.name), { corpusTexts: await readCorpus(values.corpus) });
console.log(`EMBEDDING_MODEL=${values.name}\nMODELS_DIR=${modelsDir}\nEMBEDDING_QUANTIZED=false`);
