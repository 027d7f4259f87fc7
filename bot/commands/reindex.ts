import { escapeMarkdown, MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { Command } from '../context.ts';
import { fitMessage } from '../discord-limits.ts';
import { refuse } from '../errors.ts';
import { discordTime } from '../i18n/i18n.ts';
import { formatReindexSummary } from '../i18n/summary.ts';
import { slash } from './define.ts';

/** Manage Server, or the role named in REINDEX_ROLE (by id or by name). */
export function mayReindex(interaction: ChatInputCommandInteraction, reindexRole: string | undefined): boolean {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  const member = interaction.member;
  if (!reindexRole || !member) return false;
  const roleIds: readonly string[] = Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
  const named = interaction.guild?.roles.cache.find((r) => r.name === reindexRole)?.id;
  return roleIds.includes(reindexRole) || (named !== undefined && roleIds.includes(named));
}

/** Refuses, privately, members who may not change the index (Discord's default_member_permissions can be overridden per server). */
export function requireReindexRight(interaction: ChatInputCommandInteraction, reindexRole: string | undefined): void {
  if (!interaction.inGuild()) throw refuse('NOT_ALLOWED', 'GUILD_ONLY');
  if (mayReindex(interaction, reindexRole)) return;
  const name = reindexRole && (interaction.guild?.roles.cache.get(reindexRole)?.name ?? reindexRole);
  throw name ? refuse('NOT_ALLOWED', 'NOT_ALLOWED_REINDEX_ROLE', { role: escapeMarkdown(name) }) : refuse('NOT_ALLOWED', 'NOT_ALLOWED_REINDEX');
}

export const reindex: Command = {
  name: 'reindex',
  definition: () => slash('reindex', 'guild').toJSON(),
  async execute(interaction, ctx) {
    requireReindexRight(interaction, ctx.config.discord.reindexRole);
    const started = ctx.desk.reindexStartedAt;
    if (started !== undefined) throw refuse('INDEX_BUSY', 'INDEX_BUSY_SINCE', { when: discordTime(started, 'R') });
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const summary = await ctx.desk.reindex();
    ctx.log.info({ summary: { ...summary, skipped: summary.skipped.length } }, 'reindexed');
    await interaction.editReply(fitMessage({ content: formatReindexSummary(summary, ctx.lang, { markdown: true }) }));
  },
};
