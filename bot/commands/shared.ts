import type { AutocompleteInteraction, RepliableInteraction } from 'discord.js';
import type { Context } from '../context.ts';
import { refuse } from '../errors.ts';
import { discordTime } from '../i18n/i18n.ts';

/** Outlets of the live index matching what has been typed so far (Discord shows at most 25). */
export async function outletChoices(interaction: AutocompleteInteraction, ctx: Context): Promise<void> {
  const typed = interaction.options.getFocused().toLowerCase();
  const outlets = ctx.desk
    .outlets()
    .filter((o) => o.toLowerCase().includes(typed))
    .slice(0, 25);
  await interaction.respond(outlets.map((o) => ({ name: o.slice(0, 100), value: o.slice(0, 100) })));
}

/** Throws a friendly, private refusal, saying when to retry, when the user has asked too often in the last minute. */
export function rateLimit(interaction: RepliableInteraction, ctx: Context): void {
  const waitMs = ctx.limiter.take(interaction.user.id);
  if (waitMs > 0) {
    throw refuse('RATE_LIMITED', 'RATE_LIMITED', {
      perMinute: ctx.config.discord.rateLimitPerMinute,
      when: discordTime(ctx.limiter.now() + waitMs, 'R'),
      waitSeconds: Math.ceil(waitMs / 1000),
    });
  }
}
