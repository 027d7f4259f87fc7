/**
 * A loopback stand-in for Discord (REST + gateway) for end-to-end tests of a discord.js 14 bot.
 *
 *   const discord = await startFakeDiscord();
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiBase } });
 *   await client.login(discord.botToken);
 *   await discord.waitForReady();
 *   const i = discord.interact(discord.slashCommand({ name: 'ask', options: { question: 'why?' } }));
 *   expect((await i.final()).content).toContain('…');
 *   expect(discord.violations).toEqual([]);
 *   await client.destroy(); await discord.close();
 *
 * Every request is checked against Discord's published OpenAPI spec (vendored in
 * test/fixtures/discord-api-spec/) plus a few limits the spec does not encode. Offending requests get
 * the error Discord would send AND land in `violations`, so a test can fail on things a bot might
 * otherwise get away with (the bot may swallow the error).
 *
 * The parts: `discord/spec.ts` (OpenAPI checks), `discord/limits.ts` (limits beyond the schema),
 * `discord/interactions.ts` (interaction handles, snowflakes), `discord/fixtures.ts` (guild, members,
 * interaction payloads), `discord/server.ts` (HTTP, gateway, routes, the attachment CDN).
 */
export { snowflake } from './discord/interactions.ts';
export { startFakeDiscord, FakeDiscord } from './discord/server.ts';
export { SPEC_PATH } from './discord/spec.ts';
export type * from './discord/types.ts';
