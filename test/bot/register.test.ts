import { ApplicationCommandOptionType, REST, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../bot/commands/index.ts';
import { startBot, type Harness } from '../support/bot-harness.ts';
import { startFakeDiscord } from '../support/fake-discord.ts';

let h: Harness;
beforeAll(async () => {
  h = await startBot({ RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(() => h?.close());

const body = commands.map((c) => c.data);
const rest = () => new REST({ api: h.discord.apiBase }).setToken(h.discord.botToken);

describe('command registration', () => {
  it('registers every command for a guild through discord.js REST, as Discord accepts it', async () => {
    const registered = (await rest().put(Routes.applicationGuildCommands(h.discord.applicationId, h.discord.guildId), { body })) as Array<{ name: string; guild_id?: string }>;
    expect(h.discord.violations).toEqual([]);
    expect(registered.map((c) => c.name).sort()).toEqual(['ask', 'compare', 'help', 'reindex', 'sources', 'timeline']);
    expect(registered.every((c) => c.guild_id === h.discord.guildId)).toBe(true);
    const ask = h.discord.commands.find((c) => c.name === 'ask')!;
    expect(ask.options?.map((o) => [o.name, o.type])).toEqual([
      ['question', ApplicationCommandOptionType.String],
      ['results', ApplicationCommandOptionType.Integer],
      ['outlet', ApplicationCommandOptionType.String],
      ['since', ApplicationCommandOptionType.String],
      ['until', ApplicationCommandOptionType.String],
      ['private', ApplicationCommandOptionType.Boolean],
    ]);
  });

  it('registers them globally too', async () => {
    await rest().put(Routes.applicationCommands(h.discord.applicationId), { body });
    expect(h.discord.violations).toEqual([]);
    expect(h.discord.commands.filter((c) => !c.guild_id)).toHaveLength(body.length);
  });

  it('would have been caught if a definition broke Discord\'s rules (control)', async () => {
    const discord = await startFakeDiscord();
    try {
      const broken = [{ ...body[0]!, description: 'x'.repeat(101) }];
      await expect(new REST({ api: discord.apiBase }).setToken(discord.botToken).put(Routes.applicationCommands(discord.applicationId), { body: broken })).rejects.toThrow();
      expect(discord.violations.map((v) => v.rule)).toEqual(['schema']);
    } finally {
      await discord.close();
    }
  });

  it('serves the registered commands with the option types Discord would send', async () => {
    const i = h.discord.interact(h.discord.slashCommand({ name: 'ask', options: { question: 'Was sagte Peskow zu Sicherheitsgarantien?', results: 3 } }));
    expect((i.payload.data as { options: Array<{ type: number }> }).options.map((o) => o.type)).toEqual([ApplicationCommandOptionType.String, ApplicationCommandOptionType.Integer]);
    const reply = await i.final({ match: (b) => (b.embeds?.length ?? 0) > 0 });
    expect(reply.embeds).toHaveLength(3);
    expect(h.discord.violations).toEqual([]);
  });
});
