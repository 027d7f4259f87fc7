/** Every command the bot has. Registration (`npm run deploy-commands`) and dispatch both read this list. */
import type { Command } from '../context.ts';
import { ask } from './ask.ts';
import { help } from './help.ts';
import { reindex } from './reindex.ts';
import { sources } from './sources.ts';
import { compare, timelineCommand } from './views.ts';

export const commands: readonly Command[] = [ask, compare, timelineCommand, sources, reindex, help];
