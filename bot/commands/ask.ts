import { MessageFlags } from 'discord.js';
import { RESULT_LIMIT } from '../../index/config.ts';
import { showAnswer } from '../answer-view.ts';
import type { Command } from '../context.ts';
import { translate } from '../i18n/i18n.ts';
import { filters, question } from '../input.ts';
import { localized, slash } from './define.ts';
import { outletChoices, rateLimit } from './shared.ts';

export const ask: Command = {
  name: 'ask',
  definition: (config) =>
    slash('ask', 'anywhere')
      .addStringOption((o) => localized(o, 'ask.question').setRequired(true).setMaxLength(config.retrieval.maxQuestionChars))
      .addIntegerOption((o) => localized(o, 'ask.results', { max: RESULT_LIMIT }).setMinValue(1).setMaxValue(RESULT_LIMIT))
      .addStringOption((o) => localized(o, 'ask.outlet').setAutocomplete(true))
      .addStringOption((o) => localized(o, 'ask.since').setMaxLength(10))
      .addStringOption((o) => localized(o, 'ask.until').setMaxLength(10))
      .addBooleanOption((o) => localized(o, 'ask.private', (lang) => ({ default: translate(lang, config.discord.publicAnswers ? 'word.no' : 'word.yes') })))
      .toJSON(),

  async execute(interaction, ctx) {
    const text = question(interaction.options.getString('question', true), ctx.config.retrieval.maxQuestionChars);
    // Checked before anything is deferred, so a refusal can be private and immediate.
    const chosen = filters(
      { outlet: interaction.options.getString('outlet'), since: interaction.options.getString('since'), until: interaction.options.getString('until') },
      { since: ctx.t('cmd.ask.since.name'), until: ctx.t('cmd.ask.until.name') },
    );
    rateLimit(interaction, ctx);
    const isPrivate = interaction.options.getBoolean('private') ?? !ctx.config.discord.publicAnswers;
    await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});
    const answer = await ctx.desk.ask({ question: text, ...chosen });
    await showAnswer(interaction, ctx, answer, { asked: interaction.options.getInteger('results'), isPrivate, command: 'ask', filtered: Object.keys(chosen).length > 0 });
    ctx.log.info({ results: answer.results.length, semantic: answer.semantic }, 'answered');
  },

  autocomplete: outletChoices,
};
