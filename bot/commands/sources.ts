import { ActionRowBuilder, ButtonBuilder, ButtonStyle, escapeMarkdown, SlashCommandBuilder, type APIEmbed } from 'discord.js';
import { formatDate } from '../../index/answer/cite.ts';
import type { Command, Context } from '../context.ts';
import { fitMessage } from '../discord-limits.ts';

const PAGE_SIZE = 10;
const PREFIX = 'sources';

function page(ctx: Context, n: number) {
  const articles = ctx.desk.articles();
  const pages = Math.max(1, Math.ceil(articles.length / PAGE_SIZE));
  const current = Math.min(Math.max(n, 0), pages - 1);
  const lines = articles.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE).map((a) => {
    const title = escapeMarkdown(a.title ?? a.id);
    // A ")" in the address would end the masked link early.
    const linked = a.url ? `[${title.replace(/[[\]]/g, '')}](${a.url.replace(/\(/g, '%28').replace(/\)/g, '%29')})` : title;
    return `• **${escapeMarkdown(a.outlet ?? 'outlet unknown')}** · ${a.date ? formatDate(a.date) : 'date unknown'} · ${linked}`;
  });
  const embed: APIEmbed = {
    title: `Indexed articles (${articles.length})`,
    description: lines.join('\n') || 'No articles are indexed yet.',
    footer: { text: `Page ${current + 1} of ${pages}` },
  };
  const nav = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(`${PREFIX}:${current - 1}`).setLabel('Previous').setStyle(ButtonStyle.Secondary).setDisabled(current === 0),
    new ButtonBuilder().setCustomId(`${PREFIX}:${current + 1}`).setLabel('Next').setStyle(ButtonStyle.Secondary).setDisabled(current >= pages - 1),
  );
  return fitMessage({ embeds: [embed], components: pages > 1 ? [nav] : [] });
}

export const sources: Command = {
  data: new SlashCommandBuilder().setName('sources').setDescription('List the indexed articles: outlet, date and title').toJSON(),
  async execute(interaction, ctx) {
    await interaction.reply(page(ctx, 0));
  },
  buttonPrefix: PREFIX,
  async button(interaction, ctx) {
    await interaction.update(page(ctx, Number(interaction.customId.slice(PREFIX.length + 1)) || 0));
  },
};
