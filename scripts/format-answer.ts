/** Terminal rendering of answers: each passage with its quote marked, then the citation. */
import type { Answer, Result } from '../index/answer/answer.ts';
import type { Comparison, Timeline } from '../index/answer/views.ts';

function marked(r: Result, tty: boolean): string {
  const from = r.quoteStart - r.start;
  const to = r.quoteEnd - r.start;
  const [open, close] = tty ? ['\x1b[1m', '\x1b[22m'] : ['**', '**'];
  return `${r.passage.slice(0, from)}${open}${r.passage.slice(from, to)}${close}${r.passage.slice(to)}`;
}

function formatResult(r: Result, tty: boolean, label: string): string[] {
  const out = [`${label} ${r.heading ? `[${r.heading}] ` : ''}${marked(r, tty)}`, `   — ${r.citation}${r.url ? `\n     ${r.url}` : ''}`];
  for (const also of r.alsoIn) out.push(`   — also in: ${also.citation}${also.url ? ` ${also.url}` : ''}`);
  if (r.matchedWords.length > 0) out.push(`   matches: ${r.matchedWords.join(', ')}`);
  out.push('');
  return out;
}

const finish = (answer: Answer, lines: string[]) => [...lines, ...(answer.note ? [answer.note, ''] : [])].join('\n');

export function formatAnswerText(answer: Answer, tty: boolean): string {
  const lines = [`Q: ${answer.question}`, '', ...answer.results.flatMap((r) => formatResult(r, tty, `${r.rank}.`))];
  if (answer.closest.length > 0) {
    // The note says these may not answer; it goes first so nobody reads them as answers.
    lines.push(answer.note ?? '', '', ...answer.closest.flatMap((r) => formatResult(r, tty, `(closest ${r.rank})`)));
    return lines.join('\n');
  }
  return finish(answer, lines);
}

export function formatComparisonText(answer: Answer, comparison: Comparison, tty: boolean): string {
  const lines = [`Compare: ${answer.question}`, ''];
  for (const o of comparison.outlets) lines.push(...formatResult(o.best, tty, `[${o.label}]`));
  if (comparison.silent.length) lines.push(`Nothing relevant from: ${comparison.silent.join(', ')}`, '');
  return finish(answer, lines);
}

export function formatTimelineText(answer: Answer, t: Timeline, tty: boolean): string {
  const lines = [`Timeline: ${answer.question}`, ''];
  for (const r of t.dated) lines.push(...formatResult(r, tty, `${r.date!.slice(0, 10)}`));
  if (t.undated.length) lines.push('Undated:', '', ...t.undated.flatMap((r) => formatResult(r, tty, '?')));
  return finish(answer, lines);
}
