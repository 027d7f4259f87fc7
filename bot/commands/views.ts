import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import { compareOutlets, timeline } from '../../index/answer/views.ts';
import type { Config } from '../../index/config.ts';
import type { Command, Context } from '../context.ts';
import { fitMessage, LIMITS } from '../discord-limits.ts';
import { cardButtons } from '../answer-view.ts';
import { formatDay } from '../i18n/i18n.ts';
import { question } from '../input.ts';
import { cardTitle, esc, listSome, quoteEmbed, relevanceLine } from '../render.ts';
import { localized, slash } from './define.ts';
import { rateLimit } from './shared.ts';

const topicCommand = (key: 'compare' | 'timeline', config: Config) =>
  slash(key, 'anywhere')
    .addStringOption((o) => localized(o, 'topic').setRequired(true).setMaxLength(config.retrieval.maxQuestionChars))
    .toJSON();

async function topicAnswer(interaction: ChatInputCommandInteraction, ctx: Context) {
  const topic = question(interaction.options.getString('topic', true), ctx.config.retrieval.maxQuestionChars);
  rateLimit(interaction, ctx);
  await interaction.deferReply(ctx.config.discord.publicAnswers ? {} : { flags: MessageFlags.Ephemeral });
  return ctx.desk.ask({ question: topic }, 1);
}

// Cards of a view share one message: at most this many, so their buttons fit Discord's five rows.
const MAX_CARDS = LIMITS.embeds;

export const compare: Command = {
  name: 'compare',
  definition: (config) => topicCommand('compare', config),
  async execute(interaction, ctx) {
    const { t } = ctx;
    const answer = await topicAnswer(interaction, ctx);
    const view = compareOutlets(answer.results, ctx.desk.articles());
    const shown = view.outlets.slice(0, MAX_CARDS);
    // Each card's author is its outlet (what is compared); the title is the headline it comes from.
    const embeds = shown.map((o) =>
      quoteEmbed(t, o.best, { title: esc(cardTitle(o.best, shown.length)), footer: [relevanceLine(t, o.best, answer.keyWords.length)], count: shown.length }),
    );
    const lines = [
      t('compare.header', { topic: esc(answer.question) }),
      ...(shown.length === 0 ? [t('answer.none')] : []),
      ...(view.silent.length ? [t('compare.silent', { list: listSome(t, view.silent, 20, esc) })] : []),
    ];
    await interaction.editReply(
      fitMessage({
        content: lines.join('\n'),
        embeds,
        components: cardButtons(
          t,
          shown.map((o) => o.best),
        ).slice(0, 5),
      }),
    );
  },
};

export const timelineCommand: Command = {
  name: 'timeline',
  definition: (config) => topicCommand('timeline', config),
  async execute(interaction, ctx) {
    const { t, lang } = ctx;
    const answer = await topicAnswer(interaction, ctx);
    const { dated, undated } = timeline(answer.results);
    const shown = [...dated, ...undated].slice(0, MAX_CARDS);
    const embeds = shown.map((r) =>
      quoteEmbed(t, r, { title: `${r.date ? formatDay(lang, r.date) : t('answer.undated')} · ${esc(cardTitle(r, shown.length))}`, count: shown.length, dated: false }),
    );
    const total = dated.length + undated.length;
    const lines = [
      t('timeline.header', { topic: esc(answer.question) }),
      ...(shown.length === 0 ? [t('answer.none')] : []),
      ...(total > shown.length ? [`-# ${t('timeline.showing', { shown: shown.length, total })}`] : []),
    ];
    await interaction.editReply(fitMessage({ content: lines.join('\n'), embeds, components: cardButtons(t, shown).slice(0, 5) }));
  },
};
