/**
 * Answers → Discord embeds. Pure: the quote is shown as a block quote with its answering sentences (at
 * most two) in bold, cut around them at sentence boundaries when the passage is too long for its share
 * of the message. The outlet is the embed's author, the headline its (linked) title, the publication
 * day its timestamp; the footer keeps only the paragraph and the relevance. Quotes are never translated.
 */
import { escapeMarkdown, type APIEmbed } from 'discord.js';
import type { Result } from '../index/answer/answer.ts';
import { sentenceRanges } from '../index/passages/sentences.ts';
import { cutText, cutTextStart, descriptionBudget, ELLIPSIS, LIMITS } from './discord-limits.ts';
import type { Translate } from './i18n/i18n.ts';

const BRAND_COLOUR = 0x2f6f9f;
/** Bold sentences per quote: more would bold nearly the whole passage. */
export const MAX_BOLD_SENTENCES = 2;

export const esc = (text: string) => escapeMarkdown(text, { numberedList: true, bulletedList: true, heading: true, maskedLink: true });

/** Prefixes every line with "> " so a multi-paragraph passage stays one block quote. */
const blockQuote = (text: string) =>
  text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');

/** Bold per line: Discord does not carry ** across line breaks inside a block quote. */
const bold = (text: string) =>
  text
    .split('\n')
    .map((line) => (line.trim() ? `**${line}**` : line))
    .join('\n');

/** Where the bold part of a quote ends: after its first MAX_BOLD_SENTENCES sentences. */
function boldEnd(quote: string): number {
  const ranges = sentenceRanges(quote);
  return ranges.length > MAX_BOLD_SENTENCES ? ranges[MAX_BOLD_SENTENCES - 1]![1] : quote.length;
}

/** A passage with [from, to) in bold (at most two sentences), shortened around it to `budget` characters. */
export function markedPassage(passage: string, from: number, to: number, budget: number): string {
  const quoted = passage.slice(from, to);
  const end = boldEnd(quoted);
  let before = passage.slice(0, from);
  let quote = quoted.slice(0, end);
  let after = quoted.slice(end) + passage.slice(to);
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

export function quoteMarkdown(r: Pick<Result, 'passage' | 'start' | 'quoteStart' | 'quoteEnd'>, budget: number): string {
  return markedPassage(r.passage, r.quoteStart - r.start, r.quoteEnd - r.start, budget);
}

/** Lists at most `max` items by name, then how many more: a footer or note must not crowd out the quote. */
export function listSome<T>(t: Translate, items: readonly T[], max: number, show: (item: T) => string): string {
  const list = items.slice(0, max).map(show).join(', ');
  return items.length > max ? t('answer.listMore', { list, count: items.length - max }) : list;
}

/** "Matches 3 of 4 key words: Peskow, Sicherheitsgarantien, Kreml" — what a reader can check. */
export function relevanceLine(t: Translate, r: Pick<Result, 'matchedWords' | 'matchedKeyWords'>, keyWords: number): string {
  if (r.matchedWords.length === 0) return t('relevance.meaning');
  const words = listSome(t, r.matchedWords, 8, (w) => w);
  const matched = r.matchedKeyWords.length;
  return matched >= keyWords ? t('relevance.all', { total: keyWords, words }) : t('relevance.some', { matched, total: keyWords, words });
}

/**
 * The publication day as an embed timestamp, which Discord shows in each reader's language. Noon UTC:
 * the article is dated by its day, and noon stays on that day in every time zone from UTC−12 to UTC+12.
 */
export function dayTimestamp(date: string | null): string | undefined {
  const day = date?.slice(0, 10);
  return day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T12:00:00.000Z` : undefined;
}

export interface QuoteEmbedParts {
  title: string;
  count: number;
  /** Footer lines after the paragraph (relevance, a label). */
  footer?: readonly string[];
  before?: string;
  after?: string;
  /** False when the title already names the day (timeline): no timestamp, no "date unknown". */
  dated?: boolean;
}

/** An embed quoting one result, its description sized for a message of `count` embeds. Every quoting reply is built here. */
export function quoteEmbed(t: Translate, r: Result, parts: QuoteEmbedParts): APIEmbed {
  const { title, count, footer = [], before = '', after = '', dated = true } = parts;
  const timestamp = dated ? dayTimestamp(r.date) : undefined;
  const footerText = [[t('answer.paragraph', { n: r.paragraph }), ...(timestamp || !dated ? [] : [t('answer.dateUnknown')])].join(' · '), ...footer].join('\n');
  // Who wrote it, where known, beside the outlet: the citation's "who said it" (outlet · author).
  const author = [r.outlet ?? t('answer.outletUnknown'), r.author].filter(Boolean).join(' · ');
  const budget = descriptionBudget(count, title.length + footerText.length + author.length + before.length + after.length);
  return {
    author: { name: cutText(author, LIMITS.author) },
    title: cutText(title, LIMITS.title),
    ...(r.url ? { url: r.url } : {}),
    description: `${before}${quoteMarkdown(r, budget)}${after}`,
    ...(timestamp ? { timestamp } : {}),
    footer: { text: footerText },
    color: BRAND_COLOUR,
  };
}

export interface ResultEmbedOptions {
  keyWords: number;
  count: number;
  /** A line above the relevance, e.g. "May not answer your question". */
  label?: string;
}

/**
 * The headline, shortened when many cards share a message: a very long one would leave the quote — the
 * point of the answer — no room at all.
 */
export function cardTitle(r: Pick<Result, 'title' | 'articleId'>, count: number): string {
  return cutText(r.title ?? r.articleId, Math.max(60, Math.min(LIMITS.title - 14, Math.floor(descriptionBudget(count, 0) / 5))));
}

export function resultEmbed(t: Translate, r: Result, { keyWords, count, label }: ResultEmbedOptions): APIEmbed {
  return quoteEmbed(t, r, {
    title: `${r.rank}. ${cardTitle(r, count)}`,
    footer: [...(label ? [label] : []), relevanceLine(t, r, keyWords)],
    count,
    before: r.heading ? `${esc(cutText(r.heading, 150))}\n` : '',
    after: r.alsoIn.length > 0 ? `\n\n${t('answer.alsoIn', { list: listSome(t, r.alsoIn, 5, (s) => esc(s.outlet ?? s.title ?? s.articleId)) })}` : '',
  });
}
