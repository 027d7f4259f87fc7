/**
 * `npm run eval`: hit@1, hit@5, MRR@10, abstention on negatives (by kind) and false abstention, overall and
 * per language, for keyword-only, vector-only and hybrid retrieval; `--curve` adds the abstention trade-off
 * as the relevance threshold varies. Defaults to the project's large development set with its distractor
 * articles, indexed together with CORPUS_DIR into a temporary index (the live index is not touched).
 * `--misses` lists, on stderr, every answerable question the first result misses.
 * `--min-hit1 X` / `--min-abstention X` make it fail (exit 1) below a bar.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { answer } from '../index/answer/answer.ts';
import type { Config } from '../index/config.ts';
import { userError } from '../index/errors.ts';
import { allQuestions, firstHit, scoreByLanguage, type EvalQuestion, type Outcome, type QuestionFile, type Scores } from '../index/eval/metrics.ts';
import type { OpenIndex } from '../index/store/open.ts';
import type { Embedder } from '../index/embed/embedder.ts';
import { ALL_LEVERS, type Levers } from '../index/search/plan.ts';
import { GATE, type Gate } from '../index/search/relevance.ts';
import type { Mode } from '../index/search/retrieve.ts';
import { answerLimits, createEmbedder, hasIndex, openConfiguredIndex, reindexFromConfig } from '../index/setup.ts';
import { runCli } from './cli.ts';

/** Keyword search first: it needs no model, and its figures are the ones CI checks. */
const ORDER: readonly Mode[] = ['lexical', 'dense', 'hybrid'];
const FIXTURES = path.join(import.meta.dirname, '..', 'test', 'fixtures', 'eval');
export const DEFAULT_QUESTIONS = path.join(FIXTURES, 'dev-questions-large.json');
const DEFAULT_ARTICLES = path.join(FIXTURES, 'dev-distractors');
/** The gate's two thresholds, each varied with the other at its value in use. */
const CURVES: Record<'minConfidence' | 'minFamiliarity', readonly number[]> = {
  minConfidence: [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7],
  minFamiliarity: [0, 0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9],
};

async function run(
  index: OpenIndex,
  embedder: Embedder | undefined,
  questions: readonly EvalQuestion[],
  mode: Mode,
  limits: ReturnType<typeof answerLimits>,
  levers: Levers,
  gate?: Partial<Gate>,
) {
  const outcomes: Outcome[] = [];
  // One unmeasured question first, so model loading does not count as latency.
  await answer(index, embedder, { question: questions[0]!.q, mode }, limits);
  for (const question of questions) {
    const t = performance.now();
    const a = await answer(index, embedder, { question: question.q, mode, gate, levers }, limits);
    const returned = (list: typeof a.results) => list.map((r) => ({ articleId: r.articleId, passage: r.passage }));
    outcomes.push({ question, results: returned(a.results), closest: returned(a.closest), ms: performance.now() - t });
  }
  return { scores: scoreByLanguage(outcomes), outcomes };
}

/** One line per answerable question the first result does not answer: where its gold passage ranked, what came first. */
function misses(outcomes: readonly Outcome[]): string {
  const cut = (s: string | undefined) => (s ?? '—').replace(/\s+/g, ' ').slice(0, 110);
  return outcomes
    .filter((o) => o.question.gold?.length && firstHit(o.results, o.question.gold) !== 1)
    .map((o) => {
      const rank = firstHit(o.results, o.question.gold!);
      const where = rank ? `rank ${rank}` : o.results.length ? 'not in top 10' : 'abstained';
      return `${o.question.id} ${o.question.lang} (${where}) ${o.question.q}\n    first: ${cut(o.results[0]?.passage ?? o.closest?.[0]?.passage)}\n    gold:  ${cut(o.question.gold![0]!.contains[0])}\n`;
    })
    .join('');
}

/** CORPUS_DIR and the extra articles copied side by side into a temporary corpus, with its own index folder. */
async function evalCorpus(config: Config, articles: readonly string[]): Promise<{ config: Config; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quotedesk-eval-'));
  await cp(config.corpusDir, path.join(dir, 'corpus', 'main'), { recursive: true });
  for (const [i, from] of articles.entries()) await cp(from, path.join(dir, 'corpus', `extra-${i}`), { recursive: true });
  return {
    config: Object.freeze({ ...config, corpusDir: path.join(dir, 'corpus'), dataDir: path.join(dir, 'data') }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

const fmt = (x: number) => x.toFixed(2);

await runCli(async (baseConfig, log) => {
  const { values } = parseArgs({
    options: {
      questions: { type: 'string' },
      articles: { type: 'string', multiple: true },
      'no-articles': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      curve: { type: 'boolean', default: false },
      misses: { type: 'boolean', default: false },
      without: { type: 'string' },
      'min-hit1': { type: 'string' },
      'min-abstention': { type: 'string' },
      'bar-mode': { type: 'string', default: 'lexical' },
      'bar-lang': { type: 'string', default: 'all' },
    },
  });
  const questionsFile = values.questions ?? DEFAULT_QUESTIONS;
  const articles = values['no-articles'] ? [] : (values.articles ?? (values.questions ? [] : [DEFAULT_ARTICLES]));
  let file: QuestionFile;
  try {
    file = JSON.parse(await readFile(questionsFile, 'utf8')) as QuestionFile;
  } catch (err) {
    throw userError('BAD_OPTION', `quotedesk: cannot read questions from ${questionsFile}: ${(err as Error).message}`);
  }
  const questions = allQuestions(file);
  const off = new Set(
    values.without
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  for (const name of off) if (!Object.hasOwn(ALL_LEVERS, name)) throw userError('BAD_OPTION', `quotedesk: --without takes ${Object.keys(ALL_LEVERS).join(', ')}, not "${name}"`);
  const levers: Levers = Object.freeze(Object.fromEntries(Object.keys(ALL_LEVERS).map((k) => [k, !off.has(k)])) as unknown as Levers);
  const extra = articles.length ? await evalCorpus(baseConfig, articles) : undefined;
  const config = extra?.config ?? baseConfig;
  try {
    const embedder = createEmbedder(config);
    if (extra || !(await hasIndex(config))) await reindexFromConfig(config, log, embedder);
    const index = await openConfiguredIndex(config);
    const limits = answerLimits(config, { maxResults: 10 });

    const report: Record<string, Record<string, Scores> | string> = {};
    const curves: Record<string, Array<{ gate: Partial<Gate>; scores: Record<string, Scores> }>> = {};
    for (const mode of ORDER) {
      if (mode !== 'lexical' && (!index.manifest.dense || !embedder)) {
        report[mode] = 'skipped: no embedding model in this index';
        continue;
      }
      const { scores, outcomes } = await run(index, embedder, questions, mode, limits, levers);
      report[mode] = scores;
      if (values.misses) process.stderr.write(`\nMisses at hit@1 (${mode}):\n${misses(outcomes)}`);
      if (values.curve && mode !== 'dense') {
        const curve: Array<{ gate: Partial<Gate>; scores: Record<string, Scores> }> = (curves[mode] = []);
        for (const [key, values] of Object.entries(CURVES)) {
          for (const v of values) curve.push({ gate: { [key]: v }, scores: (await run(index, embedder, questions, mode, limits, levers, { [key]: v })).scores });
        }
      }
    }
    const model = index.manifest.dense ? `${index.manifest.dense.model}${index.manifest.dense.quantized ? '' : ' (fp32)'}` : 'none';
    const counts = `${file.questions.length + (file.distractorQuestions?.length ?? 0)} answerable, ${file.negatives?.length ?? 0} negatives`;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ questions: questionsFile, articles, model, gate: GATE, levers, report, ...(values.curve ? { curves } : {}) }, null, 2)}\n`);
    } else {
      process.stdout.write(
        `Questions: ${questionsFile} (${counts})${articles.length ? `; articles indexed with the corpus: ${articles.join(', ')}` : ''}; embedding model: ${model}\n\n`,
      );
      process.stdout.write('mode     lang  n   hit@1  hit@5  MRR@10  abstain(neg)  by kind                         false-abstain  closest  mean ms  p95 ms\n');
      for (const [mode, byLang] of Object.entries(report)) {
        if (typeof byLang === 'string') {
          process.stdout.write(`${mode.padEnd(8)} ${byLang}\n`);
          continue;
        }
        for (const [lang, s] of Object.entries(byLang)) {
          const kinds = Object.entries(s.abstentionByKind)
            .map(([k, v]) => `${k} ${fmt(v)}`)
            .join(', ');
          const cells = [
            mode.padEnd(8),
            lang.padEnd(5),
            String(s.answerable + s.negatives).padEnd(3),
            fmt(s.hitAt1).padStart(5),
            fmt(s.hitAt5).padStart(6),
            fmt(s.mrrAt10).padStart(7),
            fmt(s.abstentionRate).padStart(13),
            ` ${kinds.padEnd(31)}`,
            fmt(s.falseAbstentionRate).padStart(14),
            fmt(s.closestRate).padStart(8),
            s.meanMs.toFixed(1).padStart(8),
            s.p95Ms.toFixed(1).padStart(7),
          ];
          process.stdout.write(`${cells.join(' ')}\n`);
        }
      }
      for (const [mode, curve] of Object.entries(curves)) {
        for (const key of Object.keys(CURVES) as Array<keyof typeof CURVES>) {
          const other = key === 'minConfidence' ? 'minFamiliarity' : 'minConfidence';
          process.stdout.write(`\nAbstention trade-off (${mode}): ${key} varied (in use: ${GATE[key]}), ${other} at ${GATE[other]}\n`);
          process.stdout.write(`${key.padStart(14)}  answered de/en  hit@5 de/en   off-topic abstained  near-topic abstained\n`);
          for (const { gate, scores } of curve.filter((c) => c.gate[key] !== undefined)) {
            const [de, en, all] = [scores.de, scores.en, scores.all!];
            const answered = (s: Scores | undefined) => (s ? fmt(1 - s.falseAbstentionRate) : '  - ');
            const hit5 = (s: Scores | undefined) => (s ? fmt(s.hitAt5) : '  - ');
            process.stdout.write(
              `${gate[key]!.toFixed(2).padStart(14)}  ${answered(de)} / ${answered(en)}    ${hit5(de)} / ${hit5(en)}   ${fmt(all.abstentionByKind['off-topic'] ?? 0).padStart(19)}  ${fmt(all.abstentionByKind['near-topic'] ?? 0).padStart(20)}\n`,
            );
          }
        }
      }
    }
    const bar = report[values['bar-mode']];
    const checked = typeof bar === 'object' ? bar[values['bar-lang']] : undefined;
    const failures: string[] = [];
    if (values['min-hit1'] && (!checked || checked.hitAt1 < Number(values['min-hit1']))) failures.push(`hit@1 ${checked?.hitAt1} < ${values['min-hit1']}`);
    if (values['min-abstention'] && (!checked || checked.abstentionRate < Number(values['min-abstention'])))
      failures.push(`abstention ${checked?.abstentionRate} < ${values['min-abstention']}`);
    if (failures.length) {
      process.stderr.write(`eval bar not met (${values['bar-mode']}, ${values['bar-lang']}): ${failures.join('; ')}\n`);
      return 1;
    }
    return 0;
  } finally {
    await extra?.cleanup();
  }
});
