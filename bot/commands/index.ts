/** Every command and button the bot has. Registration (`npm run deploy-commands`) and dispatch both read these lists. */
import type { Config } from '../../index/config.ts';
import { answerButtons } from '../buttons.ts';
import type { Button, Command } from '../context.ts';
import { ask } from './ask.ts';
import { add, remove } from './corpus.ts';
import { find } from './find.ts';
import { help } from './help.ts';
import { reindex } from './reindex.ts';
import { sources, sourcesButton } from './sources.ts';
import { compare, timelineCommand } from './views.ts';

export const commands: readonly Command[] = [ask, compare, timelineCommand, sources, find, reindex, add, remove, help];
export const buttons: readonly Button[] = [...answerButtons, sourcesButton];

/** What `npm run deploy-commands` registers: built from the configuration (question length, default privacy). */
export const commandDefinitions = (config: Config) => commands.map((c) => c.definition(config));
