import { ActionRowBuilder, ButtonBuilder, ButtonStyle, escapeMarkdown, MessageFlags, type APIEmbed } from 'discord.js';
import { isEphemeral } from '../answer-view.ts';
import type { Button, Command, Context } from '../context.ts';
import { fitMessage } from '../discord-limits.ts';
import { formatDay } from '../i18n/i18n.ts';
import { slash } from './define.ts';

const PAGE_SIZE = 10;
const PREFIX = 'sources';

function page(ctx: Context, n: number) {
  const { t, lang } = ctx;
  const articles = ctx.desk.articles();
  const pages = Math.max(1, Math.ceil(articles.length / PAGE_SIZE));
  const current = Math.min(Math.max(n, 0), pages - 1);
  const lines = articles.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE).map((a) => {
    const title = escapeMarkdown(a.title ?? a.id);
    // A ")" in the address would end the masked link early.
    const linked = a.url ? `[${title.replace(/[[\]]/g, '')}](${a.url.replace(/\(/g, '%28').replace(/\)/g, '%29')})` : title;
    return `• **${escapeMarkdown(a.outlet ?? t('answer.outletUnknown'))}** · ${a.date ? formatDay(lang, a.date) : t('answer.dateUnknown')} · ${linked}`;
  });
  const embed: APIEmbed = {
    title: t('sources.title', { count: articles.length }),
    description: lines.join('\n') || t('sources.empty'),
    footer: { text: t('sources.page', { page: current + 1, pages }) },
  };
  const nav = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`${PREFIX}:${current - 1}:p`)
      .setLabel(t('button.previous'))
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(current === 0),
    new ButtonBuilder()
      .setCustomId(`${PREFIX}:${current + 1}:n`)
      .setLabel(t('button.next'))
      .setStyle(ButtonStyle.Secondary)
      .setDisabled(current >= pages - 1),
  );
  return fitMessage({ embeds: [embed], components: pages > 1 ? [nav.toJSON()] : [] });
}

export const sources: Command = {
  name: 'sources',
  definition: () => slash('sources', 'anywhere').toJSON(),
  async execute(interaction, ctx) {
    await interaction.reply({ ...page(ctx, 0), ...(ctx.config.discord.publicAnswers ? {} : { flags: MessageFlags.Ephemeral }) });
  },
};

export const sourcesButton: Button = {
  prefix: PREFIX,
  async press(interaction, [n], ctx) {
    const next = page(ctx, Number(n) || 0);
    // Paging a list the channel sees would change it under everyone's eyes: page privately instead.
    if (isEphemeral(interaction.message.flags)) await interaction.update(next);
    else await interaction.reply({ ...next, flags: MessageFlags.Ephemeral });
  },
};
