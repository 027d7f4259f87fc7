import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { Config } from '../index/config.ts';
import type { Logger } from '../index/log.ts';
import type { Desk } from './desk.ts';
import type { FeedbackStore } from './feedback.ts';
import type { Lang, Translate } from './i18n/i18n.ts';
import type { Pages } from './pages.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { SaveUpload } from './uploads.ts';

/** What every handler gets: the core, configuration, the reader's language, and a logger bound to the interaction. */
export interface Context {
  readonly desk: Desk;
  readonly config: Config;
  readonly log: Logger;
  readonly limiter: RateLimiter;
  readonly pages: Pages;
  readonly feedback: FeedbackStore;
  /** Saves an uploaded article file into the corpus folder (`/add`). */
  readonly uploads: SaveUpload;
  /** The language of the person interacting (from `interaction.locale`). */
  readonly lang: Lang;
  readonly t: Translate;
}

/** One application command: its registration data (built from the configuration) and its handlers. */
export interface Command {
  /** The command's default (English) name, which Discord sends whatever the reader's language. */
  readonly name: string;
  definition(config: Config): RESTPostAPIApplicationCommandsJSONBody;
  execute?(interaction: ChatInputCommandInteraction, ctx: Context): Promise<void>;
  executeMessage?(interaction: MessageContextMenuCommandInteraction, ctx: Context): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: Context): Promise<void>;
}

/** A button, routed by the part of its custom id before the first ":". */
export interface Button {
  readonly prefix: string;
  press(interaction: ButtonInteraction, args: string[], ctx: Context): Promise<void>;
}
