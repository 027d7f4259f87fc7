/**
 * What users type, checked before anything is deferred so a refusal can be private and immediate:
 * the question (same limit as the option's max_length), dates in either common form, and the text of
 * a message someone right-clicked (mentions, links, code and markdown removed).
 */
import { escapeMarkdown } from 'discord.js';
import { articleFilter, cleanQuestion } from '../index/answer/answer.ts';
import { normalizeQuestion } from '../index/question.ts';
import type { AskRequest } from '../index/answer/answer.ts';
import { refuse } from './errors.ts';
import { cutText } from './discord-limits.ts';

/** The question cleaned of invisible characters and runs of white space; refused when empty or too long. */
export function question(raw: string, maxChars: number): string {
  const cleaned = cleanQuestion(normalizeQuestion(raw), Number.MAX_SAFE_INTEGER);
  if (cleaned.length > maxChars) throw refuse('QUESTION_TOO_LONG', 'QUESTION_TOO_LONG', { length: cleaned.length, max: maxChars });
  return cleaned;
}

const ISO_DAY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const GERMAN_DAY = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

/** `2025-08-17` or `17.08.2025` (also `17.8.2025`) → `2025-08-17`; a day that does not exist is refused. */
export function day(value: string | null | undefined, option: string): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const iso = ISO_DAY.exec(v);
  const german = GERMAN_DAY.exec(v);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : german ? [german[3], german[2], german[1]] : [];
  const normal = y && m && d ? `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}` : undefined;
  // Date.parse accepts 2025-02-30; a round trip does not.
  const time = normal ? Date.parse(`${normal}T00:00:00Z`) : Number.NaN;
  if (!normal || !Number.isFinite(time) || new Date(time).toISOString().slice(0, 10) !== normal) {
    throw refuse('BAD_OPTION', 'BAD_DATE', { option, value: escapeMarkdown(cutText(v, 40), { maskedLink: true }) });
  }
  return normal;
}

/** The filters of /ask, validated. */
export function filters(
  options: { outlet?: string | null; since?: string | null; until?: string | null },
  names: { since: string; until: string },
): Pick<AskRequest, 'outlet' | 'since' | 'until'> {
  const since = day(options.since, names.since);
  const until = day(options.until, names.until);
  if (since && until && since > until) throw refuse('BAD_OPTION', 'DATE_ORDER', { since, until });
  const request = { ...(options.outlet ? { outlet: options.outlet } : {}), ...(since ? { since } : {}), ...(until ? { until } : {}) };
  articleFilter(request);
  return request;
}

/**
 * A chat message as a question: user, role and channel mentions, custom emoji, links, code blocks and
 * markdown markers removed; masked links keep their text. Cut at a word to `maxChars`.
 */
export function messageQuestion(content: string, maxChars: number): string {
  const text = content
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`([^`\n]*)`/g, '$1')
    .replace(/\[([^\]\n]*)\]\(\s*<?https?:\/\/[^)\s]*>?\s*\)/g, '$1')
    .replace(/<(?:@[!&]?|#)\d+>/g, ' ')
    .replace(/<a?:\w+:\d+>/g, ' ')
    .replace(/<t:\d+(?::\w)?>/g, ' ')
    .replace(/<?\bhttps?:\/\/\S+>?/g, ' ')
    .replace(/@(everyone|here)\b/g, ' ')
    .replace(/^\s*(?:>{1,3}|#{1,3}|-#|[-*]|\d+\.)\s+/gm, '')
    .replace(/(\*\*|__|~~|\|\||[*_])/g, '');
  const cleaned = cleanQuestion(text.trim() ? text : ' ', Number.MAX_SAFE_INTEGER);
  return cleaned.length > maxChars
    ? cutText(cleaned, maxChars + 1)
        .replace(/…$/, '')
        .trim()
    : cleaned;
}
