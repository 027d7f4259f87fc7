/**
 * Command registration data from the message catalogue: every name and description in English with
 * German and both English locales, and where Discord offers a command (server, DM with the bot).
 */
import {
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type SlashCommandStringOption,
  type SlashCommandIntegerOption,
  type SlashCommandBooleanOption,
  type SlashCommandAttachmentOption,
} from 'discord.js';
import { english, localizations, type LocalParams, type MessageKey } from '../i18n/i18n.ts';

type Option = SlashCommandStringOption | SlashCommandIntegerOption | SlashCommandBooleanOption | SlashCommandAttachmentOption;

/** `cmd.<key>.name` / `cmd.<key>.description`. */
export function slash(key: string, where: 'anywhere' | 'guild', params?: LocalParams): SlashCommandBuilder {
  const name = `cmd.${key}.name` as MessageKey;
  const description = `cmd.${key}.description` as MessageKey;
  const builder = new SlashCommandBuilder()
    .setName(english(name))
    .setNameLocalizations(localizations(name))
    .setDescription(english(description, params))
    .setDescriptionLocalizations(localizations(description, params))
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall);
  if (where === 'guild') {
    // Admin commands: hidden from members without Manage Server (servers can change that in their
    // settings; the handler checks again, with REINDEX_ROLE).
    builder.setContexts(InteractionContextType.Guild).setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild);
  } else {
    builder.setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);
  }
  return builder;
}

/** Name and description of an option from `cmd.<key>.name` / `.description`. */
export function localized<T extends Option>(option: T, key: string, params?: LocalParams): T {
  const name = `cmd.${key}.name` as MessageKey;
  const description = `cmd.${key}.description` as MessageKey;
  option.setName(english(name)).setNameLocalizations(localizations(name));
  option.setDescription(english(description, params)).setDescriptionLocalizations(localizations(description, params));
  return option;
}
