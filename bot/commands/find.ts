/**
 * Right-click a message → Apps → "Find coverage": the message's text as the question, answered
 * privately, so a member can check a claim someone posted without repeating it in the channel.
 */
import { ApplicationCommandType, ApplicationIntegrationType, ContextMenuCommandBuilder, InteractionContextType, MessageFlags } from 'discord.js';
import { isQuotedeskError } from '../../index/errors.ts';
import { showAnswer } from '../answer-view.ts';
import type { Command } from '../context.ts';
import { refuse } from '../errors.ts';
import { localizations, translate } from '../i18n/i18n.ts';
import { messageQuestion } from '../input.ts';
import { rateLimit } from './shared.ts';

export const find: Command = {
  name: translate('en', 'cmd.find.name'),
  definition: () =>
    new ContextMenuCommandBuilder()
      .setName(translate('en', 'cmd.find.name'))
      .setNameLocalizations(localizations('cmd.find.name'))
      .setType(ApplicationCommandType.Message)
      .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
      .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
      .toJSON(),

  async executeMessage(interaction, ctx) {
    let text: string;
    try {
      text = messageQuestion(interaction.targetMessage.content, ctx.config.retrieval.maxQuestionChars);
    } catch (err) {
      if (isQuotedeskError(err, 'QUESTION_EMPTY')) throw refuse('QUESTION_EMPTY', 'NO_TEXT');
      throw err;
    }
    rateLimit(interaction, ctx);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const answer = await ctx.desk.ask({ question: text });
    await showAnswer(interaction, ctx, answer, { asked: null, isPrivate: true, command: 'find', filtered: false });
    ctx.log.info({ results: answer.results.length }, 'checked a message');
  },
};
