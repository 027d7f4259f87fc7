import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType, PermissionFlagsBits, REST, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../bot/commands/index.ts';
import { startBot, type Harness } from '../support/bot-harness.ts';
import { startFakeDiscord } from '../support/fake-discord.ts';

let h: Harness;
beforeAll(async () => {
  h = await startBot({ RATE_LIMIT_PER_MINUTE: '1000' });
  body = commandDefinitions(h.config);
});
afterAll(() => h?.close());

let body: ReturnType<typeof commandDefinitions>;
const rest = () => new REST({ api: h.discord.apiBase }).setToken(h.discord.botToken);

describe('command registration', () => {
  it('registers every command for a guild through discord.js REST, as Discord accepts it', async () => {
    const registered = (await rest().put(Routes.applicationGuildCommands(h.discord.applicationId, h.discord.guildId), { body })) as Array<{ name: string; guild_id?: string }>;
    expect(h.discord.violations).toEqual([]);
    expect(registered.map((c) => c.name).sort()).toEqual(['Find coverage', 'add', 'ask', 'compare', 'help', 'reindex', 'remove', 'sources', 'timeline']);
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

  it('registers names and descriptions in German and both Englishes, the question length from MAX_QUESTION_CHARS, and admin commands for Manage Server in servers only', async () => {
    await rest().put(Routes.applicationGuildCommands(h.discord.applicationId, h.discord.guildId), { body });
    expect(h.discord.violations).toEqual([]);
    const byName = (name: string) => h.discord.commands.find((c) => c.name === name && c.guild_id)!;
    const ask = byName('ask');
    expect(ask.name_localizations).toEqual({ de: 'frage', 'en-US': 'ask', 'en-GB': 'ask' });
    expect(ask.description_localizations?.de).toMatch(/Berichterstattung/);
    const question = ask.options!.find((o) => o.name === 'question') as { max_length?: number; name_localizations?: Record<string, string> };
    expect(question.max_length).toBe(h.config.retrieval.maxQuestionChars);
    expect(question.name_localizations?.de).toBe('frage');
    const privately = ask.options!.find((o) => o.name === 'private')!;
    expect([privately.description, privately.description_localizations?.de]).toEqual(['Only you see the answer (default: yes)', 'Nur Sie sehen die Antwort (Standard: ja)']);
    for (const c of h.discord.commands.filter((x) => x.guild_id)) {
      for (const field of [c.name_localizations, c.description_localizations]) {
        if (c.type === ApplicationCommandType.Message && field === c.description_localizations) continue;
        expect(Object.keys(field ?? {}).sort(), c.name).toEqual(['de', 'en-GB', 'en-US']);
      }
    }
    for (const admin of ['reindex', 'add', 'remove'].map(byName)) {
      expect(admin.default_member_permissions, admin.name).toBe(String(PermissionFlagsBits.ManageGuild));
      expect(admin.contexts, admin.name).toEqual([InteractionContextType.Guild]);
    }
    expect(ask.default_member_permissions ?? null).toBeNull();
    expect(ask.contexts).toEqual([InteractionContextType.Guild, InteractionContextType.BotDM]);
    const find = byName('Find coverage');
    expect(find.type).toBe(ApplicationCommandType.Message);
    expect(find.name_localizations).toMatchObject({ de: 'Berichterstattung finden' });
  });

  it('registers them globally too', async () => {
    await rest().put(Routes.applicationCommands(h.discord.applicationId), { body });
    expect(h.discord.violations).toEqual([]);
    expect(h.discord.commands.filter((c) => !c.guild_id)).toHaveLength(body.length);
  });

  it("would have been caught if a definition broke Discord's rules (control)", async () => {
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
    expect((i.payload.data as { options: Array<{ type: number }> }).options.map((o) => o.type)).toEqual([
      ApplicationCommandOptionType.String,
      ApplicationCommandOptionType.Integer,
    ]);
    const reply = await i.final({ match: (b) => (b.embeds?.length ?? 0) > 0 });
    expect(reply.embeds).toHaveLength(3);
    expect(h.discord.violations).toEqual([]);
  });
});
