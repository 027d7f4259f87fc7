import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Config } from '../index/config.ts';
import type { Logger } from '../index/log.ts';
import type { Desk } from './desk.ts';
import type { Pages } from './pages.ts';
import type { RateLimiter } from './rate-limit.ts';

/** What every command handler gets: the core, configuration, and a logger bound to the interaction. */
export interface Context {
  readonly desk: Desk;
  readonly config: Config;
  readonly log: Logger;
  readonly limiter: RateLimiter;
  readonly pages: Pages;
}

/** One slash command: its registration data and its handlers. Buttons are routed by custom id prefix. */
export interface Command {
  readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: Context): Promise<void>;
  readonly buttonPrefix?: string;
  button?(interaction: ButtonInteraction, ctx: Context): Promise<void>;
}
