/**
 * `npm run ask -- "question"`: the answer as quoted passages with citations, from the index in DATA_DIR
 * (built first when there is none). `--json` and `--batch FILE` give machine-readable output.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { answer, type Answer, type AskRequest } from '../index/answer/answer.ts';
import { userError, isQuotedeskError } from '../index/errors.ts';
import { normalizeQuestion } from '../index/question.ts';
import { cleanUpOnSignals } from '../index/store/interrupt.ts';
import { MODES, type Mode } from '../index/search/retrieve.ts';
import { RESULT_LIMIT } from '../index/config.ts';
import { answerLimits, createEmbedder, hasIndex, openConfiguredIndex, reindexFromConfig } from '../index/setup.ts';
import { embeddingProgress, formatSummary, runCli } from './cli.ts';
import { compareOutlets, timeline } from '../index/answer/views.ts';
import { formatAnswerText, formatComparisonText, formatTimelineText } from './format-answer.ts';

const USAGE = `usage: npm run ask -- [options] "question"
  -n, --results N      number of passages (1–10, default MAX_RESULTS)
      --outlet NAME    only articles from this outlet
      --since DATE     only articles published on or after DATE (YYYY-MM-DD)
      --until DATE     only articles published on or before DATE
      --mode MODE      hybrid (default), lexical or dense
      --compare        the best passage per outlet, and the outlets with nothing relevant
      --timeline       the relevant passages in date order, oldest first
      --json           one JSON object { question, results, note? }
      --batch FILE     one question per line; one JSON line per question`;

// `ask` builds the index when there is none: an interrupt then must not leave the lock behind.
cleanUpOnSignals();

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The lines of a --batch file; a file that is missing, a folder, or not UTF-8 text is refused in one line. */
async function readBatch(file: string): Promise<string[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder, not a file of questions' : `it cannot be read (${code})`;
    throw userError('BAD_OPTION', `--batch ${file}: ${why}.`);
  }
  const lines: string[] = [];
  let start = 0;
  while (start <= bytes.length) {
    const end = bytes.indexOf(0x0a, start) === -1 ? bytes.length : bytes.indexOf(0x0a, start);
    try {
      lines.push(
        utf8
          .decode(bytes.subarray(start, end))
          .replace(/\r$/, '')
          .replace(/^\uFEFF/, ''),
      );
    } catch {
      throw userError('BAD_OPTION', `--batch ${file}, line ${lines.length + 1}: not valid UTF-8 text; save the file as UTF-8.`);
    }
    start = end + 1;
  }
  return lines;
}

await runCli(async (config, log) => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      results: { type: 'string', short: 'n' },
      outlet: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      mode: { type: 'string' },
      compare: { type: 'boolean', default: false },
      timeline: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      batch: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const limit = values.results === undefined ? config.retrieval.maxResults : Number(values.results);
  if (!Number.isInteger(limit) || limit < 1 || limit > RESULT_LIMIT)
    throw userError('BAD_OPTION', `--results must be a whole number from 1 to ${RESULT_LIMIT}, not "${values.results}".`);
  if (values.mode !== undefined && !(MODES as readonly string[]).includes(values.mode)) {
    throw userError('BAD_OPTION', `--mode must be ${MODES.join(', ')}, not "${values.mode}".`);
  }
  if (values.batch === undefined && positionals.length === 0) throw userError('QUESTION_EMPTY', `Please ask a question.\n${USAGE}`);

  const embedder = createEmbedder(config);
  if (!(await hasIndex(config))) {
    process.stderr.write(`No index yet in ${config.dataDir}: building it from ${config.corpusDir} first.\n`);
    const progress = embeddingProgress();
    const summary = await reindexFromConfig(config, log, embedder, progress.update).finally(progress.stop);
    process.stderr.write(`${formatSummary(summary, config.embedding.model)}\n\n`);
  }
  const index = await openConfiguredIndex(config);
  const base = { outlet: values.outlet, since: values.since, until: values.until, mode: values.mode as Mode | undefined };
  if (values.compare && values.timeline) throw userError('BAD_OPTION', '--compare and --timeline cannot be combined.');
  const view = values.compare ? 'compare' : values.timeline ? 'timeline' : undefined;
  // The views want one passage per article and every relevant article, not just the top few.
  const limits = answerLimits(config, view ? { maxPerArticle: 1, maxResults: 30 } : { maxResults: limit });
  const ask = (question: string) => answer(index, embedder, { ...base, question: normalizeQuestion(question) } satisfies AskRequest, limits);

  if (values.batch !== undefined) {
    const lines = (await readBatch(values.batch)).filter((l) => l.trim() !== '');
    let failed = 0;
    for (const question of lines) {
      try {
        process.stdout.write(`${JSON.stringify(await ask(question))}\n`);
      } catch (err) {
        if (!isQuotedeskError(err) || !err.isUserError) throw err;
        failed++;
        process.stdout.write(`${JSON.stringify({ question, results: [], error: { code: err.code, message: err.message } })}\n`);
      }
    }
    return failed > 0 ? 1 : 0;
  }
  const result: Answer = await ask(positionals.join(' '));
  if (view === 'compare') {
    const comparison = compareOutlets(result.results, index.articles.values());
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ question: result.question, ...comparison, ...(result.note ? { note: result.note } : {}) }, null, 2)}\n`
        : formatComparisonText(result, comparison, process.stdout.isTTY),
    );
  } else if (view === 'timeline') {
    const ordered = timeline(result.results);
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ question: result.question, ...ordered, ...(result.note ? { note: result.note } : {}) }, null, 2)}\n`
        : formatTimelineText(result, ordered, process.stdout.isTTY),
    );
  } else {
    process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatAnswerText(result, process.stdout.isTTY));
  }
  return 0;
});
