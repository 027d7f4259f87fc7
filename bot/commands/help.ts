import { escapeMarkdown, SlashCommandBuilder } from 'discord.js';
import { formatDate } from '../../index/answer/cite.ts';
import type { Command } from '../context.ts';
import { fitMessage } from '../discord-limits.ts';

export const help: Command = {
  data: new SlashCommandBuilder().setName('help').setDescription('What this bot does and what the coverage spans').toJSON(),
  async execute(interaction, ctx) {
    const s = ctx.desk.stats();
    const outlets = s.outlets.length ? s.outlets.map((o) => escapeMarkdown(o)).join(', ') : 'none named';
    const span = s.firstDate ? `${formatDate(s.firstDate)} to ${formatDate(s.lastDate!)}` : 'unknown dates';
    await interaction.reply(
      fitMessage({
        embeds: [
          {
            title: 'quotedesk',
            description: [
              'I answer questions about the news coverage with **verbatim quotes** and their source — I never write text of my own.',
              '',
              '`/ask question:` — the passages that answer it, most relevant first, the key sentences in bold. Options: `results`, `outlet`, `since`, `until`, `private`.',
              '`/compare topic:` — the best passage from each outlet, side by side.',
              '`/timeline topic:` — relevant passages in date order.',
              '`/sources` — the indexed articles.',
              '`/reindex` — pick up added, changed and removed articles (Manage Server).',
              '',
              `**Coverage:** ${s.articles} articles (${s.passages} passages) from ${span}. Outlets: ${outlets}${s.unknownOutlet ? ` (+${s.unknownOutlet} without a named outlet)` : ''}.`,
              s.semantic ? 'Search: keywords and meaning (German and English).' : 'Search: keywords only — semantic search is off.',
            ].join('\n'),
          },
        ],
      }),
    );
  },
};
