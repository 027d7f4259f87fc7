/**
 * `/add file:` and `/remove article:` — changing the coverage from Discord, for the members who may
 * `/reindex`. The file is fetched only from the attachment URL Discord gave, size-limited before and
 * while downloading, saved by the uploads adapter (sanitized name inside CORPUS_DIR, type checked by
 * content, no overwrite unasked), then the incremental reindex runs and the reply says what changed.
 */
import { MessageFlags, type Attachment, type ChatInputCommandInteraction } from 'discord.js';
import { isQuotedeskError } from '../../index/errors.ts';
import type { Command, Context } from '../context.ts';
import { cutText, fitMessage } from '../discord-limits.ts';
import { refuse } from '../errors.ts';
import { discordTime } from '../i18n/i18n.ts';
import { formatReindexSummary } from '../i18n/summary.ts';
import { esc, listSome } from '../render.ts';
import { MAX_UPLOAD_BYTES, removeCorpusFile, sanitizeFileName } from '../uploads.ts';
import { localized, slash } from './define.ts';
import { requireReindexRight } from './reindex.ts';

const MB = 1024 * 1024;
const megabytes = (bytes: number) => (bytes / MB).toFixed(1);

function requireIdle(interaction: ChatInputCommandInteraction, ctx: Context): void {
  requireReindexRight(interaction, ctx.config.discord.reindexRole);
  const started = ctx.desk.reindexStartedAt;
  if (started !== undefined) throw refuse('INDEX_BUSY', 'INDEX_BUSY_SINCE', { when: discordTime(started, 'R') });
}

/** The attachment's bytes, from Discord's own URL for it, stopping as soon as the limit is passed. */
async function download(attachment: Attachment): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(attachment.url, { redirect: 'error', signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw Object.assign(refuse('UPLOAD_REFUSED', 'UPLOAD_DOWNLOAD'), { cause: err });
  }
  if (!response.ok || !response.body) throw refuse('UPLOAD_REFUSED', 'UPLOAD_DOWNLOAD');
  const chunks: Buffer[] = [];
  let size = 0;
  // The web stream yields Uint8Array chunks; its type says any.
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_UPLOAD_BYTES) throw refuse('UPLOAD_REFUSED', 'UPLOAD_TOO_LARGE', { size: megabytes(size), max: megabytes(MAX_UPLOAD_BYTES) });
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

const titlesOf = (ctx: Context, articles: ReadonlyArray<{ id: string; title?: string }>) => listSome(ctx.t, articles, 5, (a) => esc(cutText(a.title ?? a.id, 80)));

export const add: Command = {
  name: 'add',
  definition: () =>
    slash('add', 'guild')
      .addAttachmentOption((o) => localized(o, 'add.file', { max: megabytes(MAX_UPLOAD_BYTES) }).setRequired(true))
      .addBooleanOption((o) => localized(o, 'add.replace'))
      .toJSON(),
  async execute(interaction, ctx) {
    requireIdle(interaction, ctx);
    const attachment = interaction.options.getAttachment('file', true);
    // Refused before anything is downloaded when Discord already says it is too large.
    if (attachment.size > MAX_UPLOAD_BYTES) throw refuse('UPLOAD_REFUSED', 'UPLOAD_TOO_LARGE', { size: megabytes(attachment.size), max: megabytes(MAX_UPLOAD_BYTES) });
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const bytes = await download(attachment);
    let saved;
    try {
      saved = await ctx.uploads({
        corpusDir: ctx.config.corpusDir,
        name: attachment.name,
        bytes,
        replace: interaction.options.getBoolean('replace') ?? false,
        maxBytes: MAX_UPLOAD_BYTES,
      });
    } catch (err) {
      // The reason is the core's (English) sentence; the frame is in the reader's language.
      if (isQuotedeskError(err, 'UPLOAD_REFUSED')) throw refuse('UPLOAD_REFUSED', 'UPLOAD_REFUSED', { reason: esc(err.userMessage) });
      if (isQuotedeskError(err, 'UPLOAD_EXISTS')) throw refuse('UPLOAD_EXISTS', 'UPLOAD_EXISTS', { file: esc(sanitizeFileName(attachment.name) ?? attachment.name) });
      throw err;
    }
    ctx.log.info({ file: saved.file, articles: saved.articles.length, replaced: saved.replaced }, 'article file added');
    const summary = await ctx.desk.reindex();
    const titles = titlesOf(ctx, saved.articles);
    const head = saved.replaced ? ctx.t('add.replaced', { file: esc(saved.file), titles }) : ctx.t('add.done', { file: esc(saved.file), count: saved.articles.length, titles });
    await interaction.editReply(fitMessage({ content: `${head}\n${formatReindexSummary(summary, ctx.lang, { markdown: true })}` }));
  },
};

export const remove: Command = {
  name: 'remove',
  definition: () =>
    slash('remove', 'guild')
      .addStringOption((o) => localized(o, 'remove.article').setRequired(true).setAutocomplete(true))
      .toJSON(),
  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    const matches = ctx.desk
      .articles()
      .filter((a) => a.id.toLowerCase().includes(typed) || (a.title ?? '').toLowerCase().includes(typed))
      .slice(0, 25);
    // The value is the article id (≤ 100 characters, as Discord requires); the name shows the title too.
    await interaction.respond(matches.filter((a) => a.id.length <= 100).map((a) => ({ name: cutText(a.title ? `${a.title} (${a.id})` : a.id, 100), value: a.id })));
  },
  async execute(interaction, ctx) {
    requireIdle(interaction, ctx);
    const id = interaction.options.getString('article', true);
    const article = ctx.desk.articles().find((a) => a.id === id);
    if (!article) throw refuse('NOT_ALLOWED', 'NO_ARTICLE', { id: esc(cutText(id, 100)) });
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const others = ctx.desk.articles().filter((a) => a.file === article.file && a.id !== article.id).length;
    await removeCorpusFile(ctx.config.corpusDir, article.file);
    ctx.log.info({ file: article.file }, 'article file removed');
    const summary = await ctx.desk.reindex();
    const lines = [
      ctx.t('remove.done', { file: esc(article.file), title: esc(cutText(article.title ?? article.id, 100)) }),
      ...(others ? [ctx.t('remove.others', { count: others })] : []),
      formatReindexSummary(summary, ctx.lang, { markdown: true }),
    ];
    await interaction.editReply(fitMessage({ content: lines.join('\n') }));
  },
};
