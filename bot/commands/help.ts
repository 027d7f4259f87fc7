import { escapeMarkdown, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { Command, Context } from '../context.ts';
import { fitMessage } from '../discord-limits.ts';
import { discordTime, formatDay } from '../i18n/i18n.ts';
import { listSome } from '../render.ts';
import { slash } from './define.ts';

/**
 * Registered command ids by name, for clickable mentions (`</ask:id>`): the guild's commands and the
 * global ones. Unknown (not registered, or Discord unreachable) → a plain `/name`.
 */
async function commandIds(interaction: ChatInputCommandInteraction, ctx: Context): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const lists = await Promise.allSettled([interaction.client.application.commands.fetch(), interaction.guild?.commands.fetch()]);
  for (const list of lists) {
    if (list.status === 'rejected') ctx.log.warn({ err: list.reason }, 'could not list the registered commands');
    else for (const c of list.value?.values() ?? []) ids.set(c.name, c.id);
  }
  return ids;
}

export const help: Command = {
  name: 'help',
  definition: () => slash('help', 'anywhere').toJSON(),
  async execute(interaction, ctx) {
    const { t, lang } = ctx;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const ids = await commandIds(interaction, ctx);
    // The mention shows the name in each reader's own language.
    const mention = (name: string) => (ids.has(name) ? `</${name}:${ids.get(name)}>` : `/${name}`);
    const s = ctx.desk.stats();
    const named = s.outlets.length ? listSome(t, s.outlets, 15, (o) => escapeMarkdown(o)) : t('help.noOutlets');
    const outlets = s.unknownOutlet ? t('help.unnamed', { list: named, count: s.unknownOutlet }) : named;
    const span = s.firstDate ? t('help.span', { first: formatDay(lang, s.firstDate), last: formatDay(lang, s.lastDate!) }) : t('help.unknownDates');
    const built = Date.parse(s.builtAt);
    await interaction.editReply(
      fitMessage({
        embeds: [
          {
            title: 'quotedesk',
            description: [
              t('help.intro'),
              '',
              t('help.ask', { command: mention('ask') }),
              t('help.compare', { command: mention('compare') }),
              t('help.timeline', { command: mention('timeline') }),
              t('help.sources', { command: mention('sources') }),
              t('help.find', { name: t('cmd.find.name') }),
              t('help.reindex', { command: mention('reindex') }),
              t('help.corpus', { add: mention('add'), remove: mention('remove') }),
              '',
              ctx.config.discord.publicAnswers ? t('help.public') : t('help.private'),
              '',
              t('help.coverage', { articles: s.articles, passages: s.passages, span, outlets }),
              s.semantic ? t('help.semantic') : t('help.keywordOnly'),
              ...(Number.isFinite(built) ? [t('help.built', { when: discordTime(built, 'f') })] : []),
            ].join('\n'),
          },
        ],
      }),
    );
  },
};
