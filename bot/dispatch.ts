/**
 * One entry point for every interaction, one catch. Users get a short private message for what they
 * can fix and an apology for everything else, which is logged with the guild, user and command.
 */
import type { Interaction } from 'discord.js';
import { isQuotedeskError } from '../index/errors.ts';
import type { Logger } from '../index/log.ts';
import { commands } from './commands/index.ts';
import type { Context } from './context.ts';
import { APOLOGY, replyPrivately } from './errors.ts';

const byName = new Map(commands.map((c) => [c.data.name, c]));
const byPrefix = new Map(commands.filter((c) => c.buttonPrefix).map((c) => [c.buttonPrefix!, c]));

export function createDispatcher(base: Omit<Context, 'log'>, log: Logger) {
  return async function dispatch(interaction: Interaction): Promise<void> {
    const name = interaction.isChatInputCommand() || interaction.isAutocomplete() ? interaction.commandName : interaction.isButton() ? interaction.customId.split(':')[0] : undefined;
    const ctx: Context = { ...base, log: log.child({ interaction: interaction.id, guild: interaction.guildId, user: interaction.user.id, command: name }) };
    try {
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command) throw new Error(`no handler for /${interaction.commandName}`);
        await command.execute(interaction, ctx);
      } else if (interaction.isAutocomplete()) {
        await byName.get(interaction.commandName)?.autocomplete?.(interaction, ctx);
      } else if (interaction.isButton()) {
        const command = byPrefix.get(name ?? '');
        if (!command?.button) throw new Error(`no handler for button ${interaction.customId}`);
        await command.button(interaction, ctx);
      }
    } catch (err) {
      const userFacing = isQuotedeskError(err) && err.isUserError;
      if (userFacing) ctx.log.info({ code: err.code }, 'refused');
      else ctx.log.error({ err }, 'interaction failed');
      if (!interaction.isRepliable()) return;
      try {
        await replyPrivately(interaction, userFacing ? err.message : APOLOGY);
      } catch (replyErr) {
        ctx.log.error({ err: replyErr }, 'could not tell the user about the failure');
      }
    }
  };
}
