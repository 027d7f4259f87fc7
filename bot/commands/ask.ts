import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags, SlashCommandBuilder, type ButtonInteraction } from 'discord.js';
import { articleFilter, cleanQuestion } from '../../index/answer/answer.ts';
import { userError } from '../../index/errors.ts';
import { normalizeQuestion } from '../../index/question.ts';
import type { Command, Context } from '../context.ts';
import { fitMessage } from '../discord-limits.ts';
import { renderAnswer } from '../render.ts';
import type { PagedAnswer } from '../pages.ts';
import { outletChoices, rateLimit } from './shared.ts';

const MORE = 'more';

function moreButton(id: string, entry: PagedAnswer) {
  const remaining = entry.answer.results.length - (entry.offset + entry.pageSize);
  if (remaining <= 0) return [];
  return [
    new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId(`${MORE}:${id}`).setLabel(`More results (${remaining})`).setStyle(ButtonStyle.Secondary),
    ),
  ];
}

export const ask: Command = {
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Find passages in the news coverage that answer a question, quoted with their source')
    .addStringOption((o) => o.setName('question').setDescription('Your question, in German or English').setRequired(true).setMaxLength(1000))
    .addIntegerOption((o) => o.setName('results').setDescription('How many passages to show (1–10)').setMinValue(1).setMaxValue(10))
    .addStringOption((o) => o.setName('outlet').setDescription('Only this outlet').setAutocomplete(true))
    .addStringOption((o) => o.setName('since').setDescription('Only articles from this date on (YYYY-MM-DD)'))
    .addStringOption((o) => o.setName('until').setDescription('Only articles up to this date (YYYY-MM-DD)'))
    .addBooleanOption((o) => o.setName('private').setDescription('Show the answer only to you'))
    .toJSON(),

  async execute(interaction, ctx) {
    const question = cleanQuestion(normalizeQuestion(interaction.options.getString('question', true)), ctx.config.retrieval.maxQuestionChars);
    const filters = {
      outlet: interaction.options.getString('outlet') ?? undefined,
      since: interaction.options.getString('since') ?? undefined,
      until: interaction.options.getString('until') ?? undefined,
    };
    articleFilter(filters); // rejects bad dates before anything is deferred, so the error can be private
    rateLimit(interaction, ctx);
    const size = interaction.options.getInteger('results') ?? ctx.config.retrieval.maxResults;
    const isPrivate = interaction.options.getBoolean('private') ?? false;
    await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});

    const answer = await ctx.desk.ask({ question, ...filters });
    const entry: PagedAnswer = { ownerId: interaction.user.id, answer, pageSize: size, offset: 0 };
    // Only an answer with more pages is kept (and later has its button removed).
    const id = answer.results.length > size ? ctx.pages.add(entry, () => interaction.editReply({ components: [] })) : '';
    await interaction.editReply(fitMessage({ ...renderAnswer(answer, 0, size), components: id ? moreButton(id, entry) : [] }));
    ctx.log.info({ results: answer.results.length, semantic: answer.semantic }, 'answered');
  },

  autocomplete: outletChoices,

  buttonPrefix: MORE,
  async button(interaction: ButtonInteraction, ctx: Context) {
    const id = interaction.customId.slice(MORE.length + 1);
    const entry = ctx.pages.get(id);
    if (!entry) throw userError('NOT_ALLOWED', 'These results have expired. Please ask again.');
    if (entry.ownerId !== interaction.user.id) throw userError('NOT_ALLOWED', 'Only the person who asked can page through these results. Use /ask to ask your own question.');
    entry.offset += entry.pageSize;
    await interaction.update(fitMessage({ ...renderAnswer(entry.answer, entry.offset, entry.pageSize), components: moreButton(id, entry) }));
  },
};
