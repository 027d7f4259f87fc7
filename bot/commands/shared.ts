import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import { QuotedeskError } from '../../index/errors.ts';
import type { Context } from '../context.ts';

/** Outlets of the live index matching what has been typed so far (Discord shows at most 25). */
export async function outletChoices(interaction: AutocompleteInteraction, ctx: Context): Promise<void> {
  const typed = interaction.options.getFocused().toLowerCase();
  const outlets = ctx.desk.outlets().filter((o) => o.toLowerCase().includes(typed)).slice(0, 25);
  await interaction.respond(outlets.map((o) => ({ name: o.slice(0, 100), value: o.slice(0, 100) })));
}

/** Throws a friendly, private refusal when the user has asked too often in the last minute. */
export function rateLimit(interaction: ChatInputCommandInteraction, ctx: Context): void {
  const waitMs = ctx.limiter.take(interaction.user.id);
  if (waitMs > 0) {
    throw new QuotedeskError(
      'RATE_LIMITED',
      `You are asking faster than ${ctx.config.discord.rateLimitPerMinute} questions a minute. Please wait ${Math.ceil(waitMs / 1000)} s.`,
      { isUserError: true },
    );
  }
}
