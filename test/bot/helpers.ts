/**
 * Shared checks for the bot's end-to-end tests: what the bot sent (from the stand-in's request log),
 * Discord's message limits, mentions, verbatim quotes, a logger that records errors, and corpus files.
 */
import pino from 'pino';
import { expect } from 'vitest';
import type { Logger } from '../../index/log.ts';
import type { FakeDiscord, MessageBody, RecordedRequest } from '../support/fake-discord.ts';
import { prng as mulberry32 } from '../../index/prng.ts';

// --- logging ---------------------------------------------------------------------------------

export interface LogEntry {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

/** A pino logger that keeps every entry (info and up) in memory; `errors()` are those at level ≥ 50. */
export function recordingLog(): { log: Logger; entries: LogEntry[]; errors: () => LogEntry[] } {
  const entries: LogEntry[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void entries.push(JSON.parse(line) as LogEntry) });
  return { log, entries, errors: () => entries.filter((e) => e.level >= 50) };
}

// --- what the bot sent -----------------------------------------------------------------------

export interface SentMessage {
  request: RecordedRequest;
  body: MessageBody;
}

const isMessageShaped = (b: unknown): b is MessageBody => !!b && typeof b === 'object' && ('content' in b || 'embeds' in b || 'components' in b);

/**
 * Every message body the bot sent (interaction callbacks with message data, webhook edits and
 * follow-ups, channel messages): each POST/PATCH that carries content, embeds or components.
 */
export function sentMessages(discord: FakeDiscord): SentMessage[] {
  const out: SentMessage[] = [];
  for (const request of discord.requests) {
    if (request.method !== 'POST' && request.method !== 'PATCH') continue;
    const body = request.route?.endsWith('/callback') ? (request.body as { data?: unknown } | undefined)?.data : request.body;
    if (isMessageShaped(body)) out.push({ request, body });
  }
  return out;
}

const chars = (s: string | undefined) => [...(s ?? '')].length;

/** Discord's message limits, checked directly (independently of the stand-in). Returns the problems found. */
export function limitProblems(body: MessageBody): string[] {
  const problems: string[] = [];
  if (typeof body.content === 'string' && chars(body.content) > 2000) problems.push(`content has ${chars(body.content)} characters`);
  const embeds = body.embeds ?? [];
  if (embeds.length > 10) problems.push(`${embeds.length} embeds`);
  let total = 0;
  embeds.forEach((e, n) => {
    if (chars(e.title) > 256) problems.push(`embed ${n} title has ${chars(e.title)} characters`);
    if (chars(e.description) > 4096) problems.push(`embed ${n} description has ${chars(e.description)} characters`);
    if (chars(e.footer?.text) > 2048) problems.push(`embed ${n} footer has ${chars(e.footer?.text)} characters`);
    if ((e.fields ?? []).length > 25) problems.push(`embed ${n} has ${e.fields!.length} fields`);
    total += chars(e.title) + chars(e.description) + chars(e.footer?.text) + chars(e.author?.name);
    total += (e.fields ?? []).reduce((s, f) => s + chars(f.name) + chars(f.value), 0);
  });
  if (total > 6000) problems.push(`embeds total ${total} characters`);
  return problems;
}

/**
 * Every message the bot sent switches all mentions off (`parse: []`, no user or role lists) and fits
 * Discord's limits. Returns how many messages were checked, so a test can tell it checked something.
 */
export function expectEveryMessageSafe(discord: FakeDiscord): number {
  const sent = sentMessages(discord);
  const bad = sent.flatMap(({ request, body }) => {
    const problems = limitProblems(body);
    if (JSON.stringify(body.allowed_mentions) !== JSON.stringify({ parse: [] })) problems.push(`allowed_mentions is ${JSON.stringify(body.allowed_mentions)}`);
    return problems.map((p) => `${request.method} ${request.route}: ${p}`);
  });
  expect(bad).toEqual([]);
  return sent.length;
}

// --- quotes ----------------------------------------------------------------------------------

/** The block-quoted text of an embed description with Discord markdown (bold, escapes) undone. */
export const plainQuote = (markdown: string) =>
  markdown
    .split('\n')
    .filter((l) => l.startsWith('>'))
    .map((l) => l.replace(/^> ?/, ''))
    .join('\n')
    .replace(/\*\*/g, '')
    .replace(/\\([\\*_~`|>#\-.[\]()])/g, '$1');

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/**
 * Every piece of shown quote text between ellipses is verbatim in the article, and every cut falls
 * between words: the text before an "…" ends with a complete word, the text after one starts with one.
 */
export function expectVerbatimWholeWords(description: string, article: string): void {
  const pieces = plainQuote(description).split('…');
  pieces.forEach((raw, n) => {
    const piece = raw.trim();
    if (!piece) return;
    const cutBefore = n > 0;
    const cutAfter = n < pieces.length - 1;
    let found = false;
    let wholeWords = false;
    for (let at = article.indexOf(piece); at >= 0; at = article.indexOf(piece, at + 1)) {
      found = true;
      const startsWord = !cutBefore || !isWordChar(article[at - 1]);
      const endsWord = !cutAfter || !isWordChar(article[at + piece.length]);
      if (startsWord && endsWord) wholeWords = true;
    }
    expect(found, `not verbatim in the article: ${JSON.stringify(piece.slice(0, 80))}…`).toBe(true);
    expect(wholeWords, `cut inside a word: ${JSON.stringify(`${cutBefore ? '…' : ''}${piece.slice(0, 40)} … ${piece.slice(-40)}${cutAfter ? '…' : ''}`)}`).toBe(true);
  });
}

// --- corpus files ----------------------------------------------------------------------------

export interface FrontMatter {
  title?: string;
  outlet?: string;
  date?: string;
  url?: string;
}

/** A Markdown article with front matter; paragraphs are separated by blank lines. */
export function markdownArticle(meta: FrontMatter, paragraphs: string[]): string {
  const fields = Object.entries(meta).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return `---\n${fields.join('\n')}\n---\n\n${paragraphs.join('\n\n')}\n`;
}

/** The article body as the index stores it (what quotes are slices of). */
export const bodyOf = (markdown: string) => markdown.replace(/^---\n[\s\S]*?\n---\n/, '');

/** Deterministic random choices so generated inputs are the same on every run. */
export function prng(seed: number): { next: () => number; int: (n: number) => number; pick: <T>(items: readonly T[]) => T } {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)]! };
}

// --- buttons ---------------------------------------------------------------------------------

export interface ButtonSeen {
  custom_id?: string;
  url?: string;
  label?: string;
  disabled?: boolean;
}

/** Every button of a message or message body, row by row. */
export function buttonIds(message: { components?: unknown }): ButtonSeen[] {
  const rows = (message.components ?? []) as Array<{ components?: ButtonSeen[] }>;
  return rows.flatMap((r) => r.components ?? []);
}

/** The custom id of the first button whose id starts with `prefix` (and ends with `suffix`). */
export function customIdStarting(message: { components?: unknown }, prefix: string, suffix = ''): string | undefined {
  return buttonIds(message).find((b) => b.custom_id?.startsWith(prefix) && b.custom_id.endsWith(suffix))?.custom_id;
}
