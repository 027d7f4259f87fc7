/**
 * `npm run eval -- --questions FILE`: hit@1, hit@5, MRR@10, abstention on negatives and false abstention,
 * overall and per language, for keyword-only, vector-only and hybrid retrieval against the current index.
 * `--min-hit1 X` / `--min-abstention X` make it fail (exit 1) below a bar, for CI.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { answer } from '../index/answer/answer.ts';
import { userError } from '../index/errors.ts';
import { scoreByLanguage, type Outcome, type QuestionFile, type Scores } from '../index/eval/metrics.ts';
import type { Mode } from '../index/search/retrieve.ts';
import { answerLimits, createEmbedder, hasIndex, openConfiguredIndex, reindexFromConfig } from '../index/setup.ts';
import { runCli } from './cli.ts';

const MODES: Mode[] = ['lexical', 'dense', 'hybrid'];

await runCli(async (config, log) => {
  const { values } = parseArgs({
    options: {
      questions: { type: 'string' },
      json: { type: 'boolean', default: false },
      'min-hit1': { type: 'string' },
      'min-abstention': { type: 'string' },
      'bar-mode': { type: 'string', default: 'lexical' },
      'bar-lang': { type: 'string', default: 'all' },
    },
  });
  if (!values.questions) throw userError('BAD_OPTION', 'usage: npm run eval -- --questions FILE [--json] [--min-hit1 X] [--min-abstention X]');
  const file = JSON.parse(await readFile(values.questions, 'utf8')) as QuestionFile;
  const questions = [...file.questions, ...(file.negatives ?? [])];
  const embedder = createEmbedder(config);
  if (!(await hasIndex(config))) await reindexFromConfig(config, log, embedder);
  const index = await openConfiguredIndex(config);
  const limits = answerLimits(config, { maxResults: 10 });

  const report: Record<string, Record<string, Scores> | string> = {};
  for (const mode of MODES) {
    if (mode !== 'lexical' && (!index.manifest.dense || !embedder)) {
      report[mode] = 'skipped: no embedding model in this index';
      continue;
    }
    const outcomes: Outcome[] = [];
    // One unmeasured question first, so model loading does not count as latency.
    await answer(index, embedder, { question: questions[0]!.q, mode }, limits);
    for (const question of questions) {
      const t = performance.now();
      const a = await answer(index, embedder, { question: question.q, mode }, limits);
      outcomes.push({ question, results: a.results.map((r) => ({ articleId: r.articleId, passage: r.passage })), ms: performance.now() - t });
    }
    report[mode] = scoreByLanguage(outcomes);
  }
  const model = index.manifest.dense ? `${index.manifest.dense.model}${index.manifest.dense.quantized ? '' : ' (fp32)'}` : 'none';
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ questions: values.questions, model, report }, null, 2)}\n`);
  } else {
    process.stdout.write(`Questions: ${values.questions} (${file.questions.length} answerable, ${file.negatives?.length ?? 0} negatives); embedding model: ${model}\n\n`);
    process.stdout.write('mode     lang  n   hit@1  hit@5  MRR@10  abstain(neg)  false-abstain  mean ms  p95 ms\n');
    for (const [mode, byLang] of Object.entries(report)) {
      if (typeof byLang === 'string') {
        process.stdout.write(`${mode.padEnd(8)} ${byLang}\n`);
        continue;
      }
      for (const [lang, s] of Object.entries(byLang)) {
        const cells = [mode.padEnd(8), lang.padEnd(5), String(s.answerable + s.negatives).padEnd(3), s.hitAt1.toFixed(2).padStart(5), s.hitAt5.toFixed(2).padStart(6),
          s.mrrAt10.toFixed(2).padStart(7), s.abstentionRate.toFixed(2).padStart(13), s.falseAbstentionRate.toFixed(2).padStart(14), s.meanMs.toFixed(1).padStart(8), s.p95Ms.toFixed(1).padStart(7)];
        process.stdout.write(`${cells.join(' ')}\n`);
      }
    }
  }
  const bar = report[values['bar-mode']!];
  const checked = typeof bar === 'object' ? bar[values['bar-lang']!] : undefined;
  const failures: string[] = [];
  if (values['min-hit1'] && (!checked || checked.hitAt1 < Number(values['min-hit1']))) failures.push(`hit@1 ${checked?.hitAt1} < ${values['min-hit1']}`);
  if (values['min-abstention'] && (!checked || checked.abstentionRate < Number(values['min-abstention']))) failures.push(`abstention ${checked?.abstentionRate} < ${values['min-abstention']}`);
  if (failures.length) {
    process.stderr.write(`eval bar not met (${values['bar-mode']}, ${values['bar-lang']}): ${failures.join('; ')}\n`);
    return 1;
  }
  return 0;
});
