import { once } from 'node:events';
import { connect } from 'node:net';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Routes,
  SlashCommandBuilder,
  Status,
  type Interaction,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from './fake-discord.ts';

/** A real discord.js client logged in to the stand-in; `handler` decides what the "bot" does. */
async function connectClient(discord: FakeDiscord, handler: (i: Interaction) => Promise<void>) {
  const errors: unknown[] = [];
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiBase } });
  client.on(Events.InteractionCreate, (interaction) => void handler(interaction).catch((e: unknown) => errors.push(e)));
  const ready = once(client, Events.ClientReady);
  await client.login(discord.botToken);
  await discord.waitForReady();
  await ready;
  return { client, errors };
}

const echo = new SlashCommandBuilder()
  .setName('echo')
  .setDescription('Repeats the text')
  .addStringOption((o) => o.setName('text').setDescription('what to say').setRequired(true).setAutocomplete(true))
  .addIntegerOption((o) => o.setName('times').setDescription('how often').setMinValue(1).setMaxValue(3))
  .setDefaultMemberPermissions(0n);

describe('fake Discord with a real discord.js client', () => {
  let discord: FakeDiscord;
  let client: Client;
  let errors: unknown[];
  /** Raw REST results from the misbehaving commands, for the validation tests. */
  const raw = new Map<string, unknown>();
  const capture = async (key: string, request: Promise<unknown>) => {
    raw.set(key, await request.catch((e: unknown) => e));
  };

  beforeAll(async () => {
    discord = await startFakeDiscord({ heartbeatIntervalMs: 300 }); // short enough to see heartbeats, long enough not to be judged dead when a loaded machine stalls
    ({ client, errors } = await connectClient(discord, async (interaction) => {
      if (interaction.isAutocomplete()) {
        const typed = interaction.options.getFocused();
        await interaction.respond(['alpha', 'beta'].filter((c) => c.startsWith(typed)).map((c) => ({ name: c, value: c })));
      } else if (interaction.isButton()) {
        await interaction.update({ content: `clicked ${interaction.customId}`, components: [] });
      } else if (interaction.isChatInputCommand()) {
        const webhook = Routes.webhookMessage(interaction.applicationId, interaction.token);
        switch (interaction.commandName) {
          case 'echo': {
            await interaction.deferReply({ flags: MessageFlags.Ephemeral });
            const text = interaction.options.getString('text', true).repeat(interaction.options.getInteger('times') ?? 1);
            const again = new ButtonBuilder().setCustomId('again').setLabel('Again').setStyle(ButtonStyle.Primary);
            await interaction.editReply({
              content: `<@${interaction.user.id}> ${text}`,
              allowedMentions: { parse: [] },
              components: [new ActionRowBuilder<ButtonBuilder>().addComponents(again)],
            });
            break;
          }
          case 'report': {
            const deferred = await interaction.deferReply({ withResponse: true });
            raw.set('report-loading', deferred.interaction.responseMessageLoading);
            await interaction.editReply({ content: 'report attached', files: [{ attachment: Buffer.from('quote,source\n'), name: 'report.csv' }] });
            await interaction.followUp({ content: 'anything else?', flags: MessageFlags.Ephemeral });
            raw.set('report-fetched', (await interaction.fetchReply()).attachments.first()?.name);
            break;
          }
          case 'huge-embed': // builders would refuse, so go around them like a buggy bot could
            await interaction.deferReply();
            await capture('huge-embed', client.rest.patch(webhook, { body: { embeds: [{ description: 'x'.repeat(5000) }] }, auth: false }));
            await interaction.editReply('fallback');
            break;
          case 'embed-total':
            await interaction.deferReply();
            await capture('embed-total', client.rest.patch(webhook, { body: { embeds: [{ description: 'a'.repeat(4000) }, { description: 'b'.repeat(4000) }] }, auth: false }));
            break;
          case 'long-content':
            await capture('long-content', interaction.reply({ content: 'y'.repeat(2001) }));
            break;
          case 'edit-first':
            await capture('edit-first', client.rest.patch(webhook, { body: { content: 'too early' }, auth: false }));
            await interaction.reply('now');
            break;
          case 'twice':
            await interaction.reply('once');
            await capture('twice', client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body: { type: 4, data: { content: 'twice' } }, auth: false }));
            break;
          case 'slow':
            await new Promise((r) => setTimeout(r, 150));
            await capture('slow', interaction.deferReply());
            break;
        }
      }
    }));
  });

  afterAll(async () => {
    await client?.destroy();
    await discord?.close();
  });

  it('logs in, registers commands and answers a deferred slash command', async () => {
    const [registered] = [...(await client.application!.commands.set([echo.toJSON()], discord.guildId)).values()];
    expect(discord.commands.map((c) => c.name)).toEqual(['echo']);

    const i = discord.interact(discord.slashCommand({ name: 'echo', options: { text: 'hi', times: 2 } }));
    expect(i.payload.data).toMatchObject({
      id: registered!.id,
      options: [
        { name: 'text', type: 3 },
        { name: 'times', type: 4, value: 2 },
      ],
    });
    expect(await i.response()).toEqual({ type: 5, data: { flags: MessageFlags.Ephemeral } });
    expect(i.ackMs).toBeGreaterThanOrEqual(0);
    expect(i.ackMs).toBeLessThan(3000);

    const final = await i.final();
    expect(final.content).toBe(`<@${discord.user.id}> hihi`);
    expect(final.allowed_mentions).toEqual({ parse: [] });
    const edit = discord.requests.find((r) => r.method === 'PATCH' && r.route === '/webhooks/{webhook_id}/{webhook_token}/messages/@original');
    expect(edit).toMatchObject({ status: 200, body: { allowed_mentions: { parse: [] } } });
    expect(i.message).toMatchObject({ content: final.content, flags: MessageFlags.Ephemeral, interaction_metadata: { id: i.id } });

    expect(errors).toEqual([]);
    expect(discord.violations).toEqual([]);
  });

  it('clicks a button on the reply and serves autocomplete', async () => {
    const first = discord.interact(discord.slashCommand({ name: 'echo', options: { text: 'x' } }));
    await first.final();
    const click = discord.interact(discord.button({ customId: 'again', message: first }));
    expect(await click.response()).toMatchObject({ type: 7 });
    expect(await click.final()).toMatchObject({ content: 'clicked again', components: [] });
    expect(first.message?.content).toBe('clicked again'); // the clicked message itself changed
    expect(() => discord.button({ customId: 'again', message: first })).toThrow(/no component/);

    const typing = discord.interact(discord.autocomplete({ name: 'echo', options: { text: 'al' }, focused: 'text' }));
    expect(await typing.final()).toEqual({ choices: [{ name: 'alpha', value: 'alpha' }] });

    expect(errors).toEqual([]);
    expect(discord.violations).toEqual([]);
  });

  it('handles multipart uploads, follow-ups, fetchReply and with_response', async () => {
    const i = discord.interact(discord.slashCommand({ name: 'report' }));
    await vi.waitFor(() => expect(raw.has('report-fetched')).toBe(true));
    expect(raw.get('report-loading')).toBe(true);
    expect(i.edits).toMatchObject([{ content: 'report attached', attachments: [{ id: '0' }] }]);
    const upload = discord.requests.find((r) => r.files.length > 0);
    expect(upload).toMatchObject({ route: '/webhooks/{webhook_id}/{webhook_token}/messages/@original', files: [{ field: 'files[0]', filename: 'report.csv', size: 13 }] });
    expect(i.followUps).toMatchObject([{ content: 'anything else?', flags: MessageFlags.Ephemeral }]);
    expect(raw.get('report-fetched')).toBe('report.csv');
    expect(errors).toEqual([]);
    expect(discord.violations).toEqual([]);
  });

  it('keeps the gateway alive through heartbeats', async () => {
    const before = discord.heartbeats;
    await vi.waitFor(() => expect(discord.heartbeats).toBeGreaterThan(before + 2), { timeout: 5000 });
    expect(client.ws.status).toBe(Status.Ready);
    expect(discord.identifies).toBe(1); // no reconnects
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  describe('reports what Discord would reject', () => {
    const violationsDuring = async (run: () => Promise<unknown>) => {
      const from = discord.violations.length;
      await run();
      return discord.violations.slice(from);
    };

    it('an embed description over 4096 characters (schema)', async () => {
      const found = await violationsDuring(async () => {
        const i = discord.interact(discord.slashCommand({ name: 'huge-embed' }));
        expect((await i.final()).content).toBe('fallback');
      });
      expect(found).toMatchObject([
        {
          rule: 'schema',
          status: 400,
          route: '/webhooks/{webhook_id}/{webhook_token}/messages/@original',
          errors: { embeds: { 0: { description: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } },
        },
      ]);
      expect(raw.get('huge-embed')).toBeInstanceOf(DiscordAPIError);
      expect(raw.get('huge-embed')).toMatchObject({ status: 400, code: 50035 });
      expect(discord.requests.filter((r) => r.status === 400).at(-1)?.body).toMatchObject({ embeds: [{ description: expect.any(String) }] });
    });

    it('embeds over 6000 characters in total (a limit the schema does not encode)', async () => {
      const found = await violationsDuring(async () => {
        const i = discord.interact(discord.slashCommand({ name: 'embed-total' }));
        await vi.waitFor(() => expect(raw.has('embed-total')).toBe(true));
        expect(i.edits).toEqual([]);
      });
      expect(found).toMatchObject([{ rule: 'schema', status: 400, message: expect.stringContaining('6000') }]);
      expect(raw.get('embed-total')).toMatchObject({ status: 400, code: 50035 });
    });

    it('content over 2000 characters in a reply', async () => {
      const found = await violationsDuring(async () => {
        const i = discord.interact(discord.slashCommand({ name: 'long-content' }));
        await vi.waitFor(() => expect(raw.has('long-content')).toBe(true));
        expect(i.callback).toBeUndefined();
      });
      expect(found).toMatchObject([{ rule: 'schema', status: 400, errors: { data: { content: { _errors: [expect.anything()] } } } }]);
    });

    it('editing @original before acknowledging, and acknowledging twice', async () => {
      const found = await violationsDuring(async () => {
        await discord.interact(discord.slashCommand({ name: 'edit-first' })).final();
        await discord.interact(discord.slashCommand({ name: 'twice' })).final();
        await vi.waitFor(() => expect(raw.has('twice')).toBe(true));
      });
      expect(found).toMatchObject([
        { rule: 'interaction', status: 404, message: expect.stringContaining('before its callback') },
        { rule: 'interaction', status: 400, message: expect.stringContaining('twice') },
      ]);
      expect(raw.get('twice')).toMatchObject({ status: 400, code: 40060 });
    });

    it('acknowledging after the deadline', async () => {
      discord.ackDeadlineMs = 100; // instead of waiting 3 s
      try {
        const found = await violationsDuring(async () => {
          const i = discord.interact(discord.slashCommand({ name: 'slow' }));
          await vi.waitFor(() => expect(raw.has('slow')).toBe(true));
          expect(i.ackMs).toBeUndefined();
        });
        expect(found).toMatchObject([{ rule: 'interaction', status: 404, message: expect.stringMatching(/after \d+ ms/) }]);
        expect(raw.get('slow')).toMatchObject({ status: 404, code: 10062 });
      } finally {
        discord.ackDeadlineMs = 3000;
      }
    });

    it('unknown routes, bad path params and missing bot auth', async () => {
      const found = await violationsDuring(async () => {
        await expect(client.rest.get('/definitely/not/discord')).rejects.toMatchObject({ status: 404 });
        await expect(client.rest.get(Routes.channel('not-a-snowflake'))).rejects.toMatchObject({ status: 400 });
        await expect(client.rest.get(Routes.user('@me'), { auth: false })).rejects.toMatchObject({ status: 401 });
      });
      expect(found.map((v) => v.rule)).toEqual(['route', 'schema', 'auth']);
    });
  });

  it('did not crash the bot', () => {
    expect(errors).toEqual([]);
    expect(discord.violations.filter((v) => v.rule === 'internal' || v.rule === 'gateway')).toEqual([]);
  });
});

describe('close()', () => {
  it('shuts the HTTP and gateway servers down', async () => {
    const sockets = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
    const baseline = sockets();
    const discord = await startFakeDiscord();
    const { client } = await connectClient(discord, async () => {});
    const port = Number(new URL(discord.apiBase).port);

    await client.destroy();
    await discord.close();

    await expect(new Promise((resolve, reject) => connect(port, '127.0.0.1').once('connect', resolve).once('error', reject))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await vi.waitFor(() => expect(sockets()).toBeLessThanOrEqual(baseline), { timeout: 2000 });
    expect(() => discord.interact(discord.slashCommand({ name: 'x' }))).toThrow(/no client/);
    await expect(discord.waitForReady({ timeoutMs: 10 })).rejects.toThrow(/closed/);
  });
});
