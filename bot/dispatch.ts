/**
 * One entry point for every interaction, one catch. Users get a short private message in their
 * language for what they can fix and an apology for everything else, which is logged with the guild,
 * user and command.
 */
import type { Interaction } from 'discord.js';
import { isQuotedeskError } from '../index/errors.ts';
import type { Logger } from '../index/log.ts';
import { buttons, commands } from './commands/index.ts';
import type { Context } from './context.ts';
import { replyPrivately, userText } from './errors.ts';
import { langOf, translator } from './i18n/i18n.ts';

const byName = new Map(commands.map((c) => [c.name, c]));
const byPrefix = new Map(buttons.map((b) => [b.prefix, b]));

export function createDispatcher(base: Omit<Context, 'log' | 'lang' | 't'>, log: Logger) {
  return async function dispatch(interaction: Interaction): Promise<void> {
    const name = interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : interaction.isButton() ? interaction.customId.split(':')[0] : undefined;
    const lang = langOf(interaction.locale);
    const ctx: Context = {
      ...base,
      lang,
      t: translator(lang),
      log: log.child({ interaction: interaction.id, guild: interaction.guildId, user: interaction.user.id, command: name }),
    };
    try {
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command?.execute) throw new Error(`no handler for /${interaction.commandName}`);
        await command.execute(interaction, ctx);
      } else if (interaction.isMessageContextMenuCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command?.executeMessage) throw new Error(`no handler for the message command "${interaction.commandName}"`);
        await command.executeMessage(interaction, ctx);
      } else if (interaction.isAutocomplete()) {
        await byName.get(interaction.commandName)?.autocomplete?.(interaction, ctx);
      } else if (interaction.isButton()) {
        const [prefix = '', ...args] = interaction.customId.split(':');
        const button = byPrefix.get(prefix);
        if (!button) throw new Error(`no handler for button ${interaction.customId}`);
        await button.press(interaction, args, ctx);
      }
    } catch (err) {
      const userFacing = isQuotedeskError(err) && err.isUserError;
      if (userFacing) ctx.log.info({ code: err.code }, 'refused');
      else ctx.log.error({ err }, 'interaction failed');
      if (!interaction.isRepliable()) return;
      try {
        await replyPrivately(interaction, userText(err, lang));
      } catch (replyErr) {
        ctx.log.error({ err: replyErr }, 'could not tell the user about the failure');
      }
    }
  };
}
