/** Limits Discord enforces beyond (or regardless of) the schema, and which callback answers which interaction. */
import { type InteractionResponseType, InteractionType } from 'discord.js';
import type { Issue, Json } from './spec.ts';
import type { UploadedFile } from './types.ts';

const chars = (s: unknown) => (typeof s === 'string' ? [...s].length : 0);

function messageLimitIssues(msg: Json, at: (string | number)[]): Issue[] {
  if (!msg || typeof msg !== 'object') return [];
  const issues: Issue[] = [];
  const max = (value: unknown, limit: number, ...p: (string | number)[]) => {
    if (chars(value) > limit) issues.push({ path: [...at, ...p], code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${limit} or fewer in length.` });
  };
  max(msg.content, 2000, 'content');
  const embeds: Json[] = Array.isArray(msg.embeds) ? msg.embeds : [];
  if (embeds.length > 10) issues.push({ path: [...at, 'embeds'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' });
  let total = 0;
  embeds.forEach((e, n) => {
    const fields: Json[] = Array.isArray(e?.fields) ? e.fields : [];
    max(e?.title, 256, 'embeds', n, 'title');
    max(e?.description, 4096, 'embeds', n, 'description');
    max(e?.footer?.text, 2048, 'embeds', n, 'footer', 'text');
    max(e?.author?.name, 256, 'embeds', n, 'author', 'name');
    if (fields.length > 25) issues.push({ path: [...at, 'embeds', n, 'fields'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
    fields.forEach((f, k) => {
      max(f?.name, 256, 'embeds', n, 'fields', k, 'name');
      max(f?.value, 1024, 'embeds', n, 'fields', k, 'value');
      total += chars(f?.name) + chars(f?.value);
    });
    total += chars(e?.title) + chars(e?.description) + chars(e?.footer?.text) + chars(e?.author?.name);
  });
  if (total > 6000) issues.push({ path: [...at, 'embeds'], code: 'MAX_EMBED_SIZE_EXCEEDED', message: `Embed size exceeds maximum size of 6000 (${total}).` });
  return issues;
}

export function limitIssues(template: string, body: Json): Issue[] {
  if (template.endsWith('/callback')) return messageLimitIssues(body?.data, ['data']);
  if (template.includes('/messages') || template === '/webhooks/{webhook_id}/{webhook_token}') return messageLimitIssues(body, []);
  return [];
}

export const isEmptyMessage = (m: Json, files: UploadedFile[]) =>
  !m?.content && !m?.embeds?.length && !m?.components?.length && !m?.sticker_ids?.length && !m?.poll && files.length === 0;

/** Which callback types Discord accepts for which interaction type. */
export const ALLOWED_CALLBACKS: Partial<Record<InteractionType, InteractionResponseType[]>> = {
  [InteractionType.ApplicationCommand]: [4, 5, 9, 12],
  [InteractionType.MessageComponent]: [4, 5, 6, 7, 9, 12],
  [InteractionType.ApplicationCommandAutocomplete]: [8],
  [InteractionType.ModalSubmit]: [4, 5, 6, 7],
};
