import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scores } from '../../index/eval/metrics.ts';
import { runScript } from '../support/run-script.ts';
import { CORPUS, SHARED, tempDir } from '../support/setup.ts';

const DEV_QUESTIONS = path.join(SHARED, 'eval', 'dev-questions.json');

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

// The development questions live in ../shared, which CI provides; a clone without it skips this bar.
describe.skipIf(!existsSync(DEV_QUESTIONS))('npm run eval on the development questions (the CI bar)', () => {
  it('keyword search alone answers the German questions at hit@1 ≥ 0.9 and abstains from every negative', async () => {
    const r = await runScript('scripts/eval.ts', ['--questions', DEV_QUESTIONS, '--json', '--min-hit1', '0.9', '--bar-mode', 'lexical', '--bar-lang', 'de'], {
      CORPUS_DIR: CORPUS,
      DATA_DIR: path.join(dir, 'data'),
      SEMANTIC_SEARCH: 'false',
    });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { model: string; report: { lexical: Record<string, Scores>; dense: string; hybrid: string } };
    expect(report.model).toBe('none');
    const de = report.report.lexical.de!;
    expect(de.hitAt1).toBeGreaterThanOrEqual(0.9);
    expect(de.falseAbstentionRate).toBe(0);
    expect(report.report.lexical.all!.abstentionRate).toBe(1);
    expect(report.report.dense).toMatch(/skipped/);
    process.stdout.write(`dev eval (lexical): ${JSON.stringify(report.report.lexical)}\n`);
  });
});
