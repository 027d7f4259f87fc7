/**
 * `npm run feedback`: what people said about the answers (👍 / 👎 in Discord, DATA_DIR/feedback.jsonl).
 *   npm run feedback                       summary: clicks, verdicts, languages, passages most often wrong
 *   npm run feedback -- --export out.json  also writes the questions in the eval question format
 *   npm run feedback -- --file other.jsonl reads another feedback file
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FEEDBACK_FILE, readFeedback, summarise, toEvalQuestions } from '../bot/feedback.ts';
import { userError } from '../index/errors.ts';
import { runCli } from './cli.ts';

await runCli(async (config) => {
  const { values } = parseArgs({ options: { file: { type: 'string' }, export: { type: 'string' } } });
  const file = values.file ? path.resolve(values.file) : path.join(config.dataDir, FEEDBACK_FILE);
  if (!existsSync(file)) throw userError('BAD_OPTION', `no feedback file at ${file} yet: feedback is written when someone clicks 👍 or 👎 under an answer in Discord.`);
  const { lines, bad } = await readFeedback(file);
  const s = summarise(lines);
  const out = [
    `Feedback in ${file}: ${s.clicks} clicks on ${s.questions} questions — ${s.helpful} helpful, ${s.wrong} wrong passage.`,
    `By language: ${
      Object.entries(s.byLocale)
        .map(([locale, n]) => `${locale} ${n}`)
        .join(', ') || 'none'
    }.`,
    ...(s.wrongPassages.length ? ['Passages most often called wrong:', ...s.wrongPassages.slice(0, 10).map((p) => `  ${p.count}× ${p.articleId} ¶ ${p.paragraph}`)] : []),
    ...(bad.length ? [`Skipped ${bad.length} line(s) that are not feedback of this format: ${bad.slice(0, 10).join(', ')}${bad.length > 10 ? ', …' : ''}.`] : []),
  ];
  if (values.export) {
    const exported = toEvalQuestions(lines);
    await writeFile(values.export, `${JSON.stringify(exported, null, 2)}\n`);
    out.push(`Wrote ${exported.questions.length} question(s) and ${exported.review.length} to review to ${values.export} (eval question format).`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
});
