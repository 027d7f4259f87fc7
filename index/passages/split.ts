/**
 * Article → passages. Passages follow paragraphs; a paragraph that only introduces a quote ("Peskow
 * wörtlich:") travels with the quote, very short ones join their neighbour, and long ones are cut at
 * sentence boundaries so every passage fits the embedding model's window.
 */
import type { Article } from '../corpus/article.ts';
import { splitBlocks } from '../corpus/clean.ts';
import type { Passage } from './passage.ts';
import { sentenceRanges } from './sentences.ts';

export interface SplitOptions {
  /** Paragraphs longer than this are cut at sentence boundaries (≈ 250 tokens of German). */
  maxChars: number;
  /** Paragraphs shorter than this join the next paragraph. */
  minChars: number;
}

export const DEFAULT_SPLIT: SplitOptions = { maxChars: 1000, minChars: 50 };

interface Span {
  start: number;
  end: number;
  paragraph: number;
  heading?: string;
}

/** Cuts [start, end) at sentence boundaries into pieces of at most `maxChars` where sentences allow. */
function cutLong(text: string, span: Span, maxChars: number): Span[] {
  if (span.end - span.start <= maxChars) return [span];
  const pieces: Span[] = [];
  let current: Span | undefined;
  for (const [s, e] of sentenceRanges(text.slice(span.start, span.end))) {
    const start = span.start + s;
    const end = span.start + e;
    if (current && end - current.start > maxChars) {
      pieces.push(current);
      current = undefined;
    }
    current ??= { ...span, start };
    current.end = end;
  }
  if (current) pieces.push(current);
  return pieces;
}

export function splitArticle(article: Article, options: SplitOptions = DEFAULT_SPLIT): Passage[] {
  const spans: Span[] = [];
  let heading: string | undefined;
  let paragraph = 0;
  let joinNext = false;
  for (const block of splitBlocks(article)) {
    if (block.kind === 'heading') {
      heading = article.text.slice(block.start, block.end).replace(/^#{1,6}\s+/, '');
      joinNext = false;
      continue;
    }
    if (block.kind !== 'body') continue;
    paragraph += 1;
    const text = article.text.slice(block.start, block.end);
    const last = spans.at(-1);
    if (joinNext && last) {
      last.end = block.end;
    } else {
      spans.push({ start: block.start, end: block.end, paragraph, heading });
      heading = undefined;
    }
    joinNext = text.endsWith(':') || text.length < options.minChars;
  }
  return spans
    .flatMap((span) => cutLong(article.text, span, options.maxChars))
    .map((span) => ({
      articleId: article.id,
      paragraph: span.paragraph,
      start: span.start,
      end: span.end,
      text: article.text.slice(span.start, span.end),
      // Every piece of a cut paragraph keeps its heading: it is the context the piece was written under.
      ...(span.heading !== undefined ? { heading: span.heading } : {}),
    }));
}
