/**
 * Discord's message limits, enforced here and only here: every reply passes through `fitMessage`,
 * which also switches mentions off, so no quoted "@everyone" can ever ping anyone.
 */
import type { APIEmbed } from 'discord.js';
import { sentenceRanges } from '../index/passages/sentences.ts';

export const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  embedTotal: 6000,
} as const;

export const ELLIPSIS = '…';

/**
 * At most `max` characters, cut after the last sentence that fits, else after the last whole word,
 * with an ellipsis. Never cuts inside a word.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  let end = 0;
  for (const [, e] of sentenceRanges(text)) if (e <= room) end = e;
  if (end === 0) {
    const space = text.lastIndexOf(' ', room);
    end = space > 0 ? space : Math.max(room, 0);
  }
  return `${text.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/** Cuts to `max` from the start instead, keeping the end of the text. */
export function cutTextStart(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - ELLIPSIS.length;
  const from = text.length - room;
  let start = text.length;
  for (const [s] of sentenceRanges(text))
    if (s >= from) {
      start = s;
      break;
    }
  if (start === text.length) {
    // No word starts within the room: show only the ellipsis rather than the tail of a word.
    const space = text.indexOf(' ', from);
    start = space >= 0 ? space + 1 : text.length;
  }
  return `${ELLIPSIS}${text.slice(start)}`;
}

const embedLength = (e: APIEmbed) =>
  (e.title?.length ?? 0) +
  (e.description?.length ?? 0) +
  (e.footer?.text.length ?? 0) +
  (e.author?.name.length ?? 0) +
  (e.fields ?? []).reduce((s, f) => s + f.name.length + f.value.length, 0);

function fitEmbed(e: APIEmbed): APIEmbed {
  return {
    ...e,
    ...(e.title !== undefined ? { title: cutText(e.title, LIMITS.title) } : {}),
    ...(e.description !== undefined ? { description: cutText(e.description, LIMITS.description) } : {}),
    ...(e.footer ? { footer: { ...e.footer, text: cutText(e.footer.text, LIMITS.footer) } } : {}),
    ...(e.author ? { author: { ...e.author, name: cutText(e.author.name, LIMITS.author) } } : {}),
    ...(e.fields ? { fields: e.fields.slice(0, LIMITS.fields).map((f) => ({ ...f, name: cutText(f.name, LIMITS.fieldName), value: cutText(f.value, LIMITS.fieldValue) })) } : {}),
  };
}

export interface MessagePayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
}

/** The payload within every limit, with mentions off. Embeds that do not fit the total are dropped from the end. */
export function fitMessage<T extends MessagePayload>(payload: T): T & { allowedMentions: { parse: [] } } {
  const embeds: APIEmbed[] = [];
  let total = 0;
  for (const embed of (payload.embeds ?? []).slice(0, LIMITS.embeds).map(fitEmbed)) {
    const length = embedLength(embed);
    if (total + length > LIMITS.embedTotal) break;
    total += length;
    embeds.push(embed);
  }
  return {
    ...payload,
    ...(payload.content !== undefined ? { content: cutText(payload.content, LIMITS.content) } : {}),
    ...(payload.embeds ? { embeds } : {}),
    allowedMentions: { parse: [] },
  };
}

/** Characters an embed may still use for its description when it shares a message with `count - 1` others. */
export function descriptionBudget(count: number, reservedPerEmbed: number): number {
  return Math.min(LIMITS.description, Math.floor((LIMITS.embedTotal - 100) / Math.max(count, 1)) - reservedPerEmbed);
}
