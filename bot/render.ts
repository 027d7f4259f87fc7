/**
 * Answers → Discord embeds. Pure: the quote is shown as a block quote with the marked sentences in
 * bold, cut around them (at sentence boundaries) when the passage is too long for its share of the
 * message; the citation and a plain-language relevance line go below.
 */
import { escapeMarkdown, type APIEmbed } from 'discord.js';
import type { Answer, Result } from '../index/answer/answer.ts';
import { formatDate } from '../index/answer/cite.ts';
import { cutText, cutTextStart, descriptionBudget, ELLIPSIS, LIMITS } from './discord-limits.ts';

const BRAND_COLOUR = 0x2f6f9f;

const esc = (text: string) => escapeMarkdown(text, { numberedList: true, bulletedList: true, heading: true, maskedLink: true });

/** Prefixes every line with "> " so a multi-paragraph passage stays one block quote. */
const blockQuote = (text: string) => text.split('\n').map((line) => `> ${line}`).join('\n');

/** Bold per line: Discord does not carry ** across line breaks inside a block quote. */
const bold = (text: string) => text.split('\n').map((line) => (line.trim() ? `**${line}**` : line)).join('\n');

/** The passage with its quote in bold, shortened around the quote to `budget` characters. */
export function quoteMarkdown(r: Pick<Result, 'passage' | 'start' | 'quoteStart' | 'quoteEnd'>, budget: number): string {
  const from = r.quoteStart - r.start;
  const to = r.quoteEnd - r.start;
  let before = r.passage.slice(0, from);
  let quote = r.passage.slice(from, to);
  let after = r.passage.slice(to);
  // Markdown adds escapes, bold markers and "> " prefixes; leave room for them.
  const room = Math.floor(budget * 0.8);
  if (quote.length > room) {
    quote = cutText(quote, room);
    before = before ? ELLIPSIS : '';
    after = '';
  } else {
    const left = room - quote.length;
    if (before.length > left / 2) before = `${cutTextStart(before.trimEnd(), Math.max(Math.floor(left / 2), 1))} `;
    const rest = left - before.length;
    if (after.length > rest) after = ` ${cutText(after.trimStart(), Math.max(rest, 1))}`;
  }
  return blockQuote(`${esc(before)}${bold(esc(quote))}${esc(after)}`);
}

/** Lists at most `max` items by name, then how many more: a footer or note must not crowd out the quote. */
function listSome<T>(items: readonly T[], max: number, show: (item: T) => string): string {
  return `${items.slice(0, max).map(show).join(', ')}${items.length > max ? ` and ${items.length - max} more` : ''}`;
}

/** "Matches 3 of 4 key words: Peskow, Sicherheitsgarantien, Kreml" — what a reader can check. */
export function relevanceLine(r: Pick<Result, 'matchedWords' | 'coverage'>, keyWords: number): string {
  if (r.matchedWords.length === 0) return 'Related in meaning (no key words of the question in this passage)';
  return `Matches ${r.matchedWords.length} of ${keyWords} key words: ${listSome(r.matchedWords, 8, (w) => w)}`;
}

/** Longest headline a citation repeats in full; the embed title carries it too. */
const CITED_TITLE_CHARS = 120;

export function citationLine(r: Pick<Result, 'outlet' | 'author' | 'title' | 'articleId' | 'date' | 'paragraph'>): string {
  return [r.outlet, r.author, cutText(r.title ?? r.articleId, CITED_TITLE_CHARS), r.date ? formatDate(r.date) : 'date unknown', `¶ ${r.paragraph}`].filter(Boolean).join(' · ');
}

/**
 * An embed quoting one result under `title`, its description sized for a message of `count` embeds;
 * `before` / `after` are extra description lines around the quote. Every quoting reply is built here.
 */
export function quoteEmbed(r: Result, parts: { title: string; footer: string; count: number; before?: string; after?: string }): APIEmbed {
  const { title, footer, count, before = '', after = '' } = parts;
  const budget = descriptionBudget(count, title.length + footer.length + before.length + after.length);
  return {
    title: cutText(title, 256),
    ...(r.url ? { url: r.url } : {}),
    description: `${before}${quoteMarkdown(r, budget)}${after}`,
    footer: { text: footer },
    color: BRAND_COLOUR,
  };
}

export function resultEmbed(r: Result, keyWords: number, count: number): APIEmbed {
  // When many results share a message a very long headline is shortened, or the quote — the point
  // of the answer — would get no room at all.
  const name = cutText(r.title ?? r.articleId, Math.max(60, Math.min(LIMITS.title - 10, Math.floor(descriptionBudget(count, 0) / 5))));
  return quoteEmbed(r, {
    title: `${r.rank}. ${name}`,
    footer: `${citationLine(r)}\n${relevanceLine(r, keyWords)}`,
    count,
    before: r.heading ? `**${esc(cutText(r.heading, 150))}**\n` : '',
    after: r.alsoIn.length > 0 ? `\n\nAlso carried by: ${listSome(r.alsoIn, 5, (s) => esc(s.outlet ?? s.title ?? s.articleId))}` : '',
  });
}

export interface AnswerPage {
  content: string;
  embeds: APIEmbed[];
}

/** One page of an answer: results [offset, offset + size). */
export function renderAnswer(answer: Answer, offset: number, size: number): AnswerPage {
  const page = answer.results.slice(offset, offset + size);
  const question = `**Q:** ${esc(answer.question)}`;
  if (page.length === 0) {
    return { content: `${question}\n${answer.note ?? 'No relevant coverage found.'}`, embeds: [] };
  }
  const range = answer.results.length > size ? ` (results ${offset + 1}–${offset + page.length} of ${answer.results.length})` : '';
  const note = answer.note ? `\n-# ${esc(answer.note)}` : '';
  return { content: `${question}${range}${note}`, embeds: page.map((r) => resultEmbed(r, answer.keyWords.length, page.length)) };
}
