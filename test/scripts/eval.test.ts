import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scores } from '../../index/eval/metrics.ts';
import { runScript } from '../support/run-script.ts';
import { CORPUS, ROOT, tempDir } from '../support/setup.ts';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'eval');

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

interface Report {
  model: string;
  report: { lexical: Record<string, Scores>; dense: string; hybrid: string };
}

async function evaluate(args: string[]): Promise<Report> {
  const r = await runScript('scripts/eval.ts', ['--json', ...args], { CORPUS_DIR: CORPUS, DATA_DIR: path.join(dir, 'data'), SEMANTIC_SEARCH: 'false' });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

// The CI bar: keyword search alone (no model can be downloaded in CI), set just below what was measured on
// 2026-12-01 (README, "Retrieval quality"), so that a regression fails.
describe('npm run eval on the large development set, seeds + distractor articles (the CI bar)', () => {
  it('answers answerable questions, abstains from off-topic ones and from at least half the near-topic ones', async () => {
    const { model, report } = await evaluate([]);
    expect(model).toBe('none');
    expect(report.dense).toMatch(/skipped/);
    const { de, en, all } = report.lexical;
    process.stdout.write(`large dev eval (lexical): ${JSON.stringify({ de, en, all })}\n`);
    expect(de!.answerable + en!.answerable).toBe(75);
    expect(de!.hitAt1).toBeGreaterThanOrEqual(0.72);
    expect(de!.hitAt5).toBeGreaterThanOrEqual(0.85);
    expect(en!.hitAt1).toBeGreaterThanOrEqual(0.68);
    expect(en!.hitAt5).toBeGreaterThanOrEqual(0.92);
    expect(de!.falseAbstentionRate).toBeLessThanOrEqual(0.05);
    expect(en!.falseAbstentionRate).toBeLessThanOrEqual(0.05);
    expect(all!.abstentionByKind['off-topic']).toBe(1);
    expect(all!.abstentionByKind['near-topic']).toBeGreaterThanOrEqual(0.5);
  });

  it('holds on the blind set too: most questions answered first, few wrongly refused', async () => {
    const { report } = await evaluate(['--questions', path.join(FIXTURES, 'blind-questions.json'), '--articles', path.join(FIXTURES, 'dev-distractors')]);
    const { de, en, all } = report.lexical;
    expect(de!.hitAt1).toBeGreaterThanOrEqual(0.72);
    expect(en!.hitAt1).toBeGreaterThanOrEqual(0.72);
    expect(de!.hitAt5).toBeGreaterThanOrEqual(0.8);
    expect(en!.hitAt5).toBeGreaterThanOrEqual(0.9);
    expect(de!.falseAbstentionRate).toBeLessThanOrEqual(0.05);
    expect(en!.falseAbstentionRate).toBeLessThanOrEqual(0.05);
    expect(all!.abstentionByKind['off-topic']).toBeGreaterThanOrEqual(0.85);
    expect(all!.abstentionByKind['near-topic']).toBeGreaterThanOrEqual(0.5);
  });

  it('stays a smoke test on the small set: every German question answered, every negative abstained', async () => {
    const { report } = await evaluate(['--questions', path.join(FIXTURES, 'dev-questions.json')]);
    expect(report.lexical.de!.hitAt1).toBeGreaterThanOrEqual(0.9);
    expect(report.lexical.de!.falseAbstentionRate).toBe(0);
    expect(report.lexical.all!.abstentionRate).toBe(1);
  });
});
