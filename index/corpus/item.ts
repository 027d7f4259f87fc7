/**
 * One article out of a file that holds many (a feed, a JSON Lines export). Its id is the file's name and a
 * key from its URL (else its text), so it stays the same while the item does, wherever it sits in the file.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Article } from './article.ts';
import { guessLanguage, readPlainTextHeader } from './metadata.ts';
import type { PageMetadata } from './html.ts';
import { htmlFragmentText } from './html.ts';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Text with tags of its own (`<p>`, `<br>`) is HTML, as scrapers and feeds often deliver it. */
export const looksLikeHtml = (text: string) => /<(?:p|br|div|h[1-6]|ul|ol|li|blockquote|figure|span|a)\b[^>]*>/i.test(text);

export function itemArticle(file: string, meta: PageMetadata, body: string, form: 'html' | 'text'): Article | string {
  const stem = path.basename(file, path.extname(file));
  const clean = Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined)) as PageMetadata;
  const key = sha256(clean.url ?? body).slice(0, 12);
  const base = { id: `${stem}-${key}`, file, hash: sha256(JSON.stringify([clean, body])) };
  if (form === 'html') {
    const { text, blocks } = htmlFragmentText(body, clean.title);
    if (text === '') return 'no text in its content';
    return { ...base, ...clean, language: clean.language ?? guessLanguage(text), text, blocks };
  }
  if (body.trim() === '') return 'no text';
  // Plain text keeps its own layout; without a title its first line is read as one, as for a .txt file.
  const header = clean.title === undefined ? readPlainTextHeader(body) : undefined;
  return {
    ...base,
    ...clean,
    ...(header?.title !== undefined ? { title: header.title } : {}),
    ...(header?.date !== undefined && clean.date === undefined ? { date: header.date } : {}),
    language: clean.language ?? guessLanguage(body),
    text: body,
    ...(header ? { headerEnd: header.headerEnd } : {}),
  };
}
