import { writeFile } from 'node:fs/promises';
import { getPriority } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REINDEX_PRIORITY } from '../../bot/desk.ts';
import { startBot, type Harness } from '../support/bot-harness.ts';
import { snowflake, type InteractionHandle, type MessageBody } from '../support/fake-discord.ts';
import { bodyOf, expectEveryMessageSafe, expectVerbatimWholeWords, markdownArticle, recordingLog } from './helpers.ts';

const EPHEMERAL = 64;
const MANAGE_GUILD = 1n << 5n;
const REINDEX_ROLE = '112233445566778899';

const SEILBAHN = markdownArticle({ title: 'Wendelsteinbahn fährt wieder', outlet: 'Bergbote', date: '2025-06-01', url: 'https://bergbote.example/wendelsteinbahn' }, [
  'Die Zahnradbahn auf den Wendelstein nimmt nach der Sanierung der Gleise am zweiten Juni den Betrieb wieder auf. Fahrgäste müssen ihre Tickets künftig vorab online buchen.',
  'Die Sanierung der Wendelsteinbahn kostete nach Angaben der Betreiber rund vier Millionen Euro.',
]);
const QUESTION = 'Wann fährt die Wendelsteinbahn nach der Sanierung wieder?';

const recorded = recordingLog();
let h: Harness;
beforeAll(async () => {
  h = await startBot({ RATE_LIMIT_PER_MINUTE: '1000', REINDEX_ROLE }, { log: recorded.log });
});
afterAll(() => h?.close());

const reindex = (who: { roles?: string[]; permissions?: bigint } = {}) => h.discord.interact(h.discord.slashCommand({ name: 'reindex', user: { id: snowflake() }, ...who }));
const ask = (question: string) => h.discord.interact(h.discord.slashCommand({ name: 'ask', options: { question } }));
const done = (b: MessageBody) => typeof b.content === 'string' && b.content.length > 0;

async function expectPrivateRefusal(i: InteractionHandle, message: RegExp) {
  const callback = await i.response();
  expect(callback.type).toBe(4);
  expect(callback.data?.flags).toBe(EPHEMERAL);
  expect(callback.data?.content).toMatch(message);
  expect(i.edits).toEqual([]);
}

describe('/reindex', () => {
  it('is refused, privately, for a member without Manage Server and without the role', async () => {
    await expectPrivateRefusal(reindex(), /^Only members with the Manage Server permission or the .+ role can do this\.$/);
    await expectPrivateRefusal(reindex({ roles: [snowflake()] }), /^Only members with the Manage Server permission/);
    expect(h.bot.desk.reindexStartedAt).toBeUndefined();
    expect(h.discord.violations).toEqual([]);
  });

  it('runs for a member with Manage Server, privately, and says when nothing changed', async () => {
    const i = reindex({ permissions: MANAGE_GUILD });
    expect(await i.response()).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const summary = (await i.final({ match: done })).content!;
    expect(summary).toMatch(/^\*\*Nothing changed\*\* — the index is up to date\./);
    expect(summary).toContain('Articles: 0 added, 0 changed, 0 removed, 5 unchanged.');
    expect(h.discord.violations).toEqual([]);
  });

  it('runs in a process at the lowest CPU priority, so that answering keeps the cores it needs', async () => {
    const i = reindex({ permissions: MANAGE_GUILD });
    const pid = await vi.waitFor(() => h.bot.desk.reindexProcessId ?? Promise.reject(new Error('no reindex process yet')), { timeout: 10_000, interval: 5 });
    expect(pid).not.toBe(process.pid);
    expect(getPriority(pid)).toBe(REINDEX_PRIORITY);
    expect((await i.final({ match: done })).content).toMatch(/^\*\*Nothing changed\*\*/);
  });

  it('runs for an Administrator (who has every permission)', async () => {
    const i = reindex({ permissions: 1n << 3n });
    expect(await i.response()).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect((await i.final({ match: done })).content).toMatch(/^\*\*Nothing changed\*\*/);
    expect(h.discord.violations).toEqual([]);
  });

  it('runs for a member with the REINDEX_ROLE role; meanwhile questions are answered from the old index and a second reindex is refused', async () => {
    const before = await ask(QUESTION).final({ match: done });
    expect(before.content).toContain('No relevant coverage');
    await writeFile(path.join(h.config.corpusDir, 'bergbote-wendelsteinbahn.md'), SEILBAHN);

    const running = reindex({ roles: [REINDEX_ROLE] });
    expect(await running.response()).toEqual({ type: 5, data: { flags: EPHEMERAL } });

    const during = ask(QUESTION);
    expect((await during.response()).type).toBe(5);
    expect(during.ackMs).toBeLessThan(3000);
    expect((await during.final({ match: done })).content).toContain('No relevant coverage');
    await expectPrivateRefusal(reindex({ permissions: MANAGE_GUILD }), /^A reindex is already running \(started <t:\d+:R>\)\. Please wait for it to finish\.$/);
    // All of that happened while the reindex was still running.
    expect(running.edits).toEqual([]);

    const summary = (await running.final({ match: done, timeoutMs: 30_000 })).content!;
    expect(summary).toMatch(/^\*\*Index updated\.\*\*/);
    expect(summary).toContain('Articles: 1 added, 0 changed, 0 removed, 5 unchanged.');
    expect(h.bot.desk.reindexStartedAt).toBeUndefined();

    const after = await ask(QUESTION).final({ match: done });
    const embed = after.embeds![0]!;
    expect(embed.title).toBe('1. Wendelsteinbahn fährt wieder');
    expect(embed.author).toEqual({ name: 'Bergbote' });
    expect(embed.timestamp).toBe('2025-06-01T12:00:00.000Z');
    expect(embed.footer!.text).toMatch(/^¶ [12]\n/);
    expectVerbatimWholeWords(embed.description!, bodyOf(SEILBAHN));
    expect(h.discord.violations).toEqual([]);
  });

  it('is refused in a DM with the bot, where there is no server to manage; /ask answers there', async () => {
    await expectPrivateRefusal(h.discord.interact(h.discord.slashCommand({ name: 'reindex', dm: true })), /^This works only in a server\.$/);
    const asked = h.discord.interact(h.discord.slashCommand({ name: 'ask', options: { question: 'Was sagte Peskow zu Sicherheitsgarantien?' }, dm: true }));
    expect(await asked.response()).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect((await asked.final({ match: (b) => (b.embeds?.length ?? 0) > 0 })).embeds!.length).toBeGreaterThan(0);
    expect(h.discord.violations).toEqual([]);
  });

  it('never pings, stays within limits, and logs no errors', () => {
    expect(expectEveryMessageSafe(h.discord)).toBeGreaterThan(5);
    expect(recorded.errors()).toEqual([]);
  });
});

describe('/reindex with REINDEX_ROLE given by name', () => {
  const ROLE_ID = '998877665544332211';
  let named: Harness;
  // The stand-in names a member's unknown role `role-<id>` when it announces it to the guild.
  beforeAll(async () => {
    named = await startBot({ REINDEX_ROLE: `role-${ROLE_ID}` });
  });
  afterAll(() => named?.close());

  it('runs for a member holding the role of that name and is refused for others', async () => {
    const by = (roles: string[]) => named.discord.interact(named.discord.slashCommand({ name: 'reindex', user: { id: snowflake() }, roles }));
    const refused = await by([snowflake()]).response();
    expect(refused.data?.content).toMatch(/^Only members with the Manage Server permission or the role-998877665544332211 role/);
    const allowed = by([ROLE_ID]);
    expect(await allowed.response()).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect((await allowed.final({ match: done })).content).toMatch(/^\*\*Nothing changed\*\*/);
    expect(named.discord.violations).toEqual([]);
  });
});
