/**
 * A file and a folder the indexer may not read. Tests run as root here, who may read anything, so the index
 * script then runs with the two capabilities that let root ignore file permissions dropped
 * (`setpriv --bounding-set=-dac_override,-dac_read_search`): it is refused exactly as an ordinary user is.
 * As an ordinary user the script runs as it is.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../../support/run-script.ts';
import { copyCorpus, makeTinyModel, tempDir, TINY_MODEL } from '../../support/setup.ts';

const isRoot = process.getuid?.() === 0;
const hasSetpriv = (() => {
  try {
    execFileSync('setpriv', ['--bounding-set=-dac_override,-dac_read_search', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(async () => {
  await chmod(path.join(dir, 'corpus', 'gesperrt'), 0o755).catch(() => {});
  await cleanup();
});

function runIndex(env: Record<string, string>) {
  return runScript('scripts/index.ts', [], { LOG_LEVEL: 'silent', ...env }, isRoot ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search'] : []);
}

describe('npm run index with files it may not read', () => {
  it.skipIf(isRoot && !hasSetpriv)('skips an unreadable file and folder with a warning naming them, and indexes the rest', async () => {
    const corpus = await copyCorpus(dir);
    await writeFile(path.join(corpus, 'gesperrt.txt'), 'Gesperrt\n\nDieser Text darf nicht gelesen werden.');
    await chmod(path.join(corpus, 'gesperrt.txt'), 0o000);
    await mkdir(path.join(corpus, 'gesperrt'));
    await writeFile(path.join(corpus, 'gesperrt', 'drin.txt'), 'Drin\n\nAuch dieser nicht.');
    await chmod(path.join(corpus, 'gesperrt'), 0o000);
    const r = await runIndex({
      CORPUS_DIR: corpus,
      DATA_DIR: path.join(dir, 'data'),
      MODELS_DIR: await makeTinyModel(dir),
      EMBEDDING_MODEL: TINY_MODEL,
      EMBEDDING_QUANTIZED: 'false',
      ALLOW_REMOTE_MODELS: 'false',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Skipped gesperrt.txt: cannot be read (permission denied)');
    expect(r.stdout).toContain('Skipped gesperrt: folder cannot be read (permission denied)');
    expect(r.stdout).toContain('Articles: 5 added');
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });
});
