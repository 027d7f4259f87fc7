import { escapeMarkdown, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { ReindexSummary } from '../../index/build/reindex.ts';
import { userError } from '../../index/errors.ts';
import type { Command } from '../context.ts';
import { fitMessage } from '../discord-limits.ts';

/** Manage Server, or the role named in REINDEX_ROLE (by id or by name). */
export function mayReindex(interaction: ChatInputCommandInteraction, reindexRole: string | undefined): boolean {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  const member = interaction.member;
  if (!reindexRole || !member) return false;
  const roleIds: readonly string[] = Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  const named = interaction.guild?.roles.cache.find((r) => r.name === reindexRole)?.id;
  return roleIds.includes(reindexRole) || (named !== undefined && roleIds.includes(named));
}

export function formatReindexSummary(s: ReindexSummary): string {
  const a = s.articles;
  return [
    s.published ? '**Index updated.**' : '**Nothing changed** — the index is up to date.',
    `Articles: ${a.added} added, ${a.changed} changed, ${a.removed} removed, ${a.unchanged} unchanged.`,
    `Passages: ${s.passages.total} in the index; ${s.passages.embedded} embedded, ${s.passages.reused} reused.`,
    s.semantic ? 'Semantic search: on.' : 'Semantic search: off (keyword search only).',
    ...(s.empty.length ? [`No passages from ${s.empty.length} article(s): ${s.empty.map((e) => `${e.file} (${e.reason})`).join('; ')}`] : []),
    ...(s.skipped.length ? [`Skipped ${s.skipped.length} file(s): ${s.skipped.map((f) => `${f.file} (${f.reason})`).join('; ')}`] : []),
    `Took ${s.seconds.toFixed(1)} s.`,
  ].join('\n');
}

export const reindex: Command = {
  data: new SlashCommandBuilder()
    .setName('reindex')
    .setDescription('Update the index with added, changed and removed articles (admins)')
    .toJSON(),
  async execute(interaction, ctx) {
    if (!mayReindex(interaction, ctx.config.discord.reindexRole)) {
      const configured = ctx.config.discord.reindexRole;
      const name = configured && (interaction.guild?.roles.cache.get(configured)?.name ?? configured);
      const role = name ? ` or the ${escapeMarkdown(name)} role` : '';
      throw userError('NOT_ALLOWED', `Only members with the Manage Server permission${role} can reindex.`);
    }
    const started = ctx.desk.reindexStartedAt;
    if (started !== undefined) {
      throw userError('INDEX_BUSY', `A reindex is already running (started <t:${Math.floor(started / 1000)}:R>). Please wait for it to finish.`);
    }
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const summary = await ctx.desk.reindex();
    ctx.log.info({ summary: { ...summary, skipped: summary.skipped.length } }, 'reindexed');
    await interaction.editReply(fitMessage({ content: formatReindexSummary(summary) }));
  },
};
