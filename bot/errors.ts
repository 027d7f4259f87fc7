/** Short, ephemeral messages for the people using the bot. */
import { MessageFlags, type RepliableInteraction } from 'discord.js';
import { fitMessage } from './discord-limits.ts';

export const APOLOGY = 'Sorry — something went wrong while handling that. It has been logged; please try again later.';

/** An ephemeral reply, or an edit of the deferred reply when the interaction was already acknowledged. */
export async function replyPrivately(interaction: RepliableInteraction, content: string): Promise<void> {
  if (interaction.deferred || interaction.replied) {
    await interaction.editReply(fitMessage({ content, embeds: [], components: [] }));
  } else {
    await interaction.reply({ ...fitMessage({ content }), flags: MessageFlags.Ephemeral });
  }
}
