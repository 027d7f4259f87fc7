/**
 * Real, in-process building blocks for tests: the generated tiny model, a configuration pointing at
 * temporary folders, a silent logger, and `npm run index` as a child process. Nothing here mocks quotedesk's own modules.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../../index/config.ts';
import { listArticleFiles } from '../../index/corpus/files.ts';
import { writeTinyModel } from '../../index/embed/tiny-model.ts';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CORPUS = path.join(ROOT, 'corpus');
export const SHARED = path.resolve(ROOT, '..', 'shared');
export const TINY_MODEL = 'quotedesk-tiny';

export const silentLog = pino({ level: 'silent' });

export async function tempDir(prefix = 'quotedesk-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The tiny model, with the bundled corpus as its vocabulary, under `<dir>/models/quotedesk-tiny`. */
export async function makeTinyModel(dir: string, extraTexts: string[] = []): Promise<string> {
  const modelsDir = path.join(dir, 'models');
  const texts = await Promise.all((await listArticleFiles(CORPUS)).map((f) => readFile(path.join(CORPUS, f), 'utf8')));
  await writeTinyModel(path.join(modelsDir, TINY_MODEL), { corpusTexts: [...texts, ...extraTexts], dims: 128 });
  return modelsDir;
}

/** A copy of the bundled corpus that a test may change. */
export async function copyCorpus(dir: string): Promise<string> {
  const corpus = path.join(dir, 'corpus');
  await cp(CORPUS, corpus, { recursive: true });
  return corpus;
}

/** Configuration as the scripts would load it, from explicit variables (never the developer's .env). */
export function testConfig(vars: Record<string, string>): Config {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ALLOW_REMOTE_MODELS: 'false', EMBEDDING_QUANTIZED: 'false', EMBEDDING_MODEL: TINY_MODEL, ...vars });
}

/**
 * A copy of the bundled corpus, an empty data folder and the tiny model, all under `dir`, and their
 * configuration; `modelsDir` shares a tiny model made once (makeTinyModel) between workspaces instead.
 */
export async function tinyWorkspace(dir: string, modelsDir?: string): Promise<Config> {
  return testConfig({ CORPUS_DIR: await copyCorpus(dir), DATA_DIR: path.join(dir, 'data'), MODELS_DIR: modelsDir ?? (await makeTinyModel(dir)) });
}

/**
 * `npm run index` on the configuration's folders with the tiny model, as a child process a test may signal;
 * `exited` gives the signal that ended it, or its exit code.
 */
export function spawnIndexScript(config: Config): { child: ChildProcess; exited: Promise<NodeJS.Signals | number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/index.ts'], {
    cwd: ROOT,
    // Only these variables: the developer's environment must not point the child elsewhere.
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      CORPUS_DIR: config.corpusDir,
      DATA_DIR: config.dataDir,
      MODELS_DIR: config.embedding.modelsDir,
      EMBEDDING_MODEL: TINY_MODEL,
      EMBEDDING_QUANTIZED: 'false',
      ALLOW_REMOTE_MODELS: 'false',
    },
    stdio: 'ignore',
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  return { child, exited };
}
