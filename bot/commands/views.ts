import { escapeMarkdown, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { cleanQuestion } from '../../index/answer/answer.ts';
import { normalizeQuestion } from '../../index/question.ts';
import { compareOutlets, timeline } from '../../index/answer/views.ts';
import type { Command, Context } from '../context.ts';
import { fitMessage, LIMITS } from '../discord-limits.ts';
import { citationLine, quoteEmbed, relevanceLine } from '../render.ts';
import { rateLimit } from './shared.ts';

const topicCommand = (name: string, description: string) =>
  new SlashCommandBuilder()
    .setName(name)
    .setDescription(description)
    .addStringOption((o) => o.setName('topic').setDescription('What to look for, in German or English').setRequired(true).setMaxLength(1000))
    .toJSON();

async function topicAnswer(interaction: ChatInputCommandInteraction, ctx: Context) {
  const topic = cleanQuestion(normalizeQuestion(interaction.options.getString('topic', true)), ctx.config.retrieval.maxQuestionChars);
  rateLimit(interaction, ctx);
  await interaction.deferReply();
  return ctx.desk.ask({ question: topic }, 1);
}

// Masked links too: the topic is the user's text, and must not become a link in the bot's message.
const header = (label: string, topic: string) => `**${label}:** ${escapeMarkdown(topic, { maskedLink: true })}`;

export const compare: Command = {
  data: topicCommand('compare', 'The best passage on a topic from each outlet, side by side'),
  async execute(interaction, ctx) {
    const answer = await topicAnswer(interaction, ctx);
    const view = compareOutlets(answer.results, ctx.desk.articles());
    const shown = view.outlets.slice(0, LIMITS.embeds);
    const embeds = shown.map((o) =>
      quoteEmbed(o.best, {
        title: escapeMarkdown(o.label),
        footer: `${citationLine(o.best)}\n${relevanceLine(o.best, answer.keyWords.length)}`,
        count: shown.length,
      }),
    );
    const silent = view.silent.length ? `\nNothing relevant from: ${view.silent.map((s) => escapeMarkdown(s)).join(', ')}.` : '';
    const none = shown.length === 0 ? `\n${answer.note ?? 'No relevant coverage found.'}` : '';
    await interaction.editReply(fitMessage({ content: `${header('Compare', answer.question)}${none}${silent}`, embeds }));
  },
};

export const timelineCommand: Command = {
  data: topicCommand('timeline', 'Passages on a topic in date order, oldest first'),
  async execute(interaction, ctx) {
    const answer = await topicAnswer(interaction, ctx);
    const { dated, undated } = timeline(answer.results);
    const shown = [...dated, ...undated].slice(0, LIMITS.embeds);
    const embeds = shown.map((r) =>
      quoteEmbed(r, {
        title: escapeMarkdown(`${r.date ? r.date.slice(0, 10) : 'undated'} · ${r.outlet ?? r.title ?? r.articleId}`),
        footer: citationLine(r),
        count: shown.length,
      }),
    );
    const none = shown.length === 0 ? `\n${answer.note ?? 'No relevant coverage found.'}` : '';
    const more = dated.length + undated.length > shown.length ? `\n-# Showing ${shown.length} of ${dated.length + undated.length} passages.` : '';
    await interaction.editReply(fitMessage({ content: `${header('Timeline', answer.question)}${none}${more}`, embeds }));
  },
};
