/**
 * `npm run deploy-commands`: registers the slash commands with Discord — for one guild when
 * DISCORD_GUILD_ID is set (visible at once), otherwise globally (may take up to an hour to appear).
 */
import { REST, Routes } from 'discord.js';
import { commandDefinitions } from '../bot/commands/index.ts';
import { userError } from '../index/errors.ts';
import { runCli } from './cli.ts';

await runCli(async (config) => {
  const { token, clientId, guildId } = config.discord;
  if (!token || !clientId) throw userError('BAD_OPTION', 'quotedesk: set DISCORD_TOKEN and DISCORD_CLIENT_ID in .env to register commands (see .env.example).');
  const rest = new REST().setToken(token);
  const body = commandDefinitions(config);
  const route = guildId ? Routes.applicationGuildCommands(clientId, guildId) : Routes.applicationCommands(clientId);
  await rest.put(route, { body });
  process.stdout.write(`Registered ${body.length} commands (${body.map((c) => c.name).join(', ')}) ${guildId ? `in guild ${guildId}` : 'globally'}.\n`);
});
