/** Terminal rendering of an answer: each passage with its quote marked, then the citation. */
import type { Answer, Result } from '../index/answer/answer.ts';

function marked(r: Result, tty: boolean): string {
  const from = r.quoteStart - r.start;
  const to = r.quoteEnd - r.start;
  const [open, close] = tty ? ['\x1b[1m', '\x1b[22m'] : ['**', '**'];
  return `${r.passage.slice(0, from)}${open}${r.passage.slice(from, to)}${close}${r.passage.slice(to)}`;
}

export function formatAnswerText(answer: Answer, tty: boolean): string {
  const out = [`Q: ${answer.question}`, ''];
  for (const r of answer.results) {
    out.push(`${r.rank}. ${r.heading ? `[${r.heading}] ` : ''}${marked(r, tty)}`);
    out.push(`   — ${r.citation}${r.url ? `\n     ${r.url}` : ''}`);
    for (const also of r.alsoIn) out.push(`   — also in: ${also.citation}${also.url ? ` ${also.url}` : ''}`);
    if (r.matchedWords.length > 0) out.push(`   matches: ${r.matchedWords.join(', ')}`);
    out.push('');
  }
  if (answer.note) out.push(answer.note, '');
  return `${out.join('\n')}`;
}
