/**
 * The buttons under an answer. Paging edits a message only when it is the asker's own private one;
 * on a message the channel sees, it answers the clicker privately instead, so nobody's view is rewritten.
 */
import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { CONTEXT, FEEDBACK, isEphemeral, listed, PAGE, POST, renderPage, type PageView } from './answer-view.ts';
import type { Button, Context } from './context.ts';
import { cutText, cutTextStart, fitMessage, LIMITS } from './discord-limits.ts';
import { refuse } from './errors.ts';
import type { PagedAnswer } from './pages.ts';
import { esc, markedPassage } from './render.ts';
import type { Verdict } from './feedback.ts';

function cached(ctx: Context, id: string | undefined): PagedAnswer {
  const entry = id ? ctx.pages.get(id) : undefined;
  if (!entry) throw refuse('NOT_ALLOWED', 'EXPIRED');
  return entry;
}

function viewOf(entry: PagedAnswer, offset: string | undefined, size: string | undefined): PageView {
  const total = listed(entry.answer).list.length;
  const s = Math.min(Math.max(Number(size) || entry.pageSize, 1), 10);
  const o = Math.min(Math.max(Number(offset) || 0, 0), Math.max(total - 1, 0));
  return { offset: o, size: s };
}

const page: Button = {
  prefix: PAGE,
  async press(interaction, [id, offset, size], ctx) {
    const entry = cached(ctx, id);
    const view = viewOf(entry, offset, size);
    if (isEphemeral(interaction.message.flags)) {
      if (entry.ownerId !== interaction.user.id) throw refuse('NOT_ALLOWED', 'NOT_OWNER');
      entry.view = view;
      await interaction.update(renderPage(ctx.t, entry, view, { id: id! }));
    } else {
      // A message the channel sees stays as it is; the clicker gets the page for themselves.
      await interaction.reply({ ...renderPage(ctx.t, { ...entry, isPrivate: false }, view, { id: id! }), flags: MessageFlags.Ephemeral });
    }
  },
};

const post: Button = {
  prefix: POST,
  async press(interaction, [id, offset, size], ctx) {
    const entry = cached(ctx, id);
    if (entry.ownerId !== interaction.user.id) throw refuse('NOT_ALLOWED', 'NOT_OWNER');
    // The channel reads it in the asker's language: it is their answer being shared.
    await interaction.reply(renderPage(ctx.t, entry, viewOf(entry, offset, size), { id: id!, postedBy: entry.ownerId }));
    ctx.log.info('answer posted to the channel');
  },
};

const feedback: Button = {
  prefix: FEEDBACK,
  async press(interaction, [id, verdict, offset, size], ctx) {
    const entry = cached(ctx, id);
    const view = viewOf(entry, offset, size);
    const shown = listed(entry.answer).list.slice(view.offset, view.offset + view.size);
    await ctx.feedback.append({
      time: new Date().toISOString(),
      command: entry.command,
      question: entry.answer.question,
      locale: interaction.locale,
      verdict: verdict === 'wrong' ? 'wrong' : ('helpful' satisfies Verdict),
      passages: shown.map((r) => ({ articleId: r.articleId, paragraph: r.paragraph, rank: r.rank, quote: r.quote })),
      ...(ctx.config.discord.feedbackStoreUsers ? { user: { id: interaction.user.id, name: interaction.user.username } } : {}),
    });
    ctx.log.info({ verdict }, 'feedback recorded');
    await interaction.reply({ ...fitMessage({ content: ctx.t('feedback.thanks') }), flags: MessageFlags.Ephemeral });
  },
};

/** Room per neighbouring paragraph: the quoted passage gets the rest. */
const NEIGHBOUR_CHARS = 1000;

const context: Button = {
  prefix: CONTEXT,
  async press(interaction: ButtonInteraction, [key, start, end], ctx) {
    const quoteStart = Number(start);
    const quoteEnd = Number(end);
    const found = key ? ctx.desk.neighbours(key, quoteStart, quoteEnd) : undefined;
    if (!found) throw refuse('NOT_ALLOWED', 'CONTEXT_CHANGED');
    const { article, before, passage, after } = found;
    const { t } = ctx;
    const block = (text: string) =>
      text
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
    const parts = [
      `**${t('context.before')}**`,
      before ? block(esc(cutTextStart(before.text, NEIGHBOUR_CHARS))) : `-# ${t('context.start')}`,
      `**${t('context.quote')}** (${t('answer.paragraph', { n: passage.paragraph })})`,
      markedPassage(passage.text, quoteStart - passage.start, quoteEnd - passage.start, LIMITS.description - 2 * NEIGHBOUR_CHARS - 400),
      `**${t('context.after')}**`,
      after ? block(esc(cutText(after.text, NEIGHBOUR_CHARS))) : `-# ${t('context.end')}`,
    ];
    await interaction.reply({
      ...fitMessage({
        embeds: [
          {
            ...(article.outlet ? { author: { name: article.outlet } } : {}),
            title: cutText(t('context.title', { title: article.title ?? article.id }), LIMITS.title),
            ...(article.url ? { url: article.url } : {}),
            description: parts.join('\n'),
          },
        ],
      }),
      flags: MessageFlags.Ephemeral,
    });
  },
};

export const answerButtons: readonly Button[] = [page, post, feedback, context];
