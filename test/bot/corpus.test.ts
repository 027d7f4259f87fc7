/** `/add file:` and `/remove article:` through the stand-in, which serves the attachments as Discord's CDN would. */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Locale, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type Harness } from '../support/bot-harness.ts';
import { snowflake, type InteractionHandle, type MessageBody } from '../support/fake-discord.ts';
import { expectEveryMessageSafe, markdownArticle, recordingLog } from './helpers.ts';

const EPHEMERAL = 64;
const MANAGE_GUILD = PermissionFlagsBits.ManageGuild;
const ARTICLE = markdownArticle({ title: 'Fähre nach Hiddensee fährt wieder', outlet: 'Inselbote', date: '2025-04-01' }, [
  'Die Fähre nach Hiddensee fährt seit Dienstag wieder nach Fahrplan. Das Eis im Bodden ist geschmolzen, teilte die Reederei mit.',
]);
const QUESTION = 'Fährt die Fähre nach Hiddensee wieder?';

const recorded = recordingLog();
let h: Harness;
beforeAll(async () => {
  h = await startBot({ RATE_LIMIT_PER_MINUTE: '1000' }, { log: recorded.log });
});
afterAll(() => h?.close());

const add = (
  options: { filename: string; content: string | Buffer; size?: number; replace?: boolean },
  who: { permissions?: bigint; locale?: Locale } = { permissions: MANAGE_GUILD },
) => {
  const file = h.discord.attachment({ filename: options.filename, content: options.content, ...(options.size ? { size: options.size } : {}) });
  const i = h.discord.interact(h.discord.slashCommand({ name: 'add', options: { file, ...(options.replace ? { replace: true } : {}) }, user: { id: snowflake() }, ...who }));
  return { i, file };
};
const done = (b: MessageBody) => typeof b.content === 'string' && b.content.length > 0;
const corpusFiles = async () => (await readdir(h.config.corpusDir)).sort();
const downloads = (url: string) => h.discord.requests.filter((r) => r.method === 'GET' && url.endsWith(r.path)).length;

async function expectRefusal(i: InteractionHandle, message: RegExp) {
  const callback = await i.response();
  if (callback.type === 4) {
    expect(callback.data.flags).toBe(EPHEMERAL);
    expect(callback.data.content).toMatch(message);
  } else {
    expect(callback).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect((await i.final({ match: done })).content).toMatch(message);
  }
}

describe('/add', () => {
  it('is refused, privately, to a member without Manage Server, before anything is downloaded', async () => {
    const before = await corpusFiles();
    const { i, file } = add({ filename: 'inselbote.md', content: ARTICLE }, { permissions: PermissionFlagsBits.SendMessages });
    await expectRefusal(i, /^Only members with the Manage Server permission can do this\.$/);
    expect(downloads(file.url)).toBe(0);
    expect(await corpusFiles()).toEqual(before);
  });

  it('refuses an oversized file by the size Discord reports, without downloading it', async () => {
    const { i, file } = add({ filename: 'gross.md', content: ARTICLE, size: 50 * 1024 * 1024 });
    await expectRefusal(i, /^The file is too large \(50\.0 MB\); the limit is 10\.0 MB\.$/);
    expect(downloads(file.url)).toBe(0);
  });

  it('refuses a file of the wrong type, by name and by content', async () => {
    await expectRefusal(
      add({ filename: 'bericht.pdf', content: '%PDF-1.7' }).i,
      /^The file was refused: "bericht\.pdf" is not an article file; accepted: \.md, \.txt, \.html, \.htm, \.jsonl, \.xml, \.rss, \.atom\.$/,
    );
    await expectRefusal(
      add({ filename: 'bild.txt', content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]) }).i,
      /^The file was refused: bild\.txt was refused: it is a PNG image, not an article\.$/,
    );
    expect((await corpusFiles()).some((f) => f.startsWith('bericht') || f.startsWith('bild'))).toBe(false);
  });

  it('saves a file with a hostile name under a clean name inside the corpus folder, reindexes, and answers from it', async () => {
    const { i, file } = add({ filename: '../../inselbote.md', content: ARTICLE });
    expect(await i.response()).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const reply = (await i.final({ match: done, timeoutMs: 60_000 })).content!;
    expect(reply).toMatch(
      /^\*\*Added inselbote\.md\*\* \(1 article: Fähre nach Hiddensee fährt wieder\)\.\n\*\*Index updated\.\*\*\nArticles: 1 added, 0 changed, 0 removed, 5 unchanged\./,
    );
    expect(downloads(file.url)).toBe(1);
    expect(existsSync(path.join(h.config.corpusDir, 'inselbote.md'))).toBe(true);
    expect(existsSync(path.resolve(h.config.corpusDir, '..', '..', 'inselbote.md'))).toBe(false);
    expect(await readFile(path.join(h.config.corpusDir, 'inselbote.md'), 'utf8')).toBe(ARTICLE);
    const answer = await h.discord.interact(h.discord.slashCommand({ name: 'ask', options: { question: QUESTION } })).final({ match: (b) => (b.embeds?.length ?? 0) > 0 });
    expect(answer.embeds![0]!.author).toEqual({ name: 'Inselbote' });
  });

  it('keeps letters of every script, drops the rest, and bounds a very long name', async () => {
    const unicode = add({ filename: 'Bericht: Köln (2024)\u0000.MD', content: ARTICLE.replaceAll('Hiddensee', 'Köln') });
    expect((await unicode.i.final({ match: done, timeoutMs: 60_000 })).content).toMatch(/^\*\*Added Bericht-Köln-2024\.md\*\*/);
    const long = add({ filename: `${'Überlänge-'.repeat(30)}.txt`, content: 'Langer Name\n\nEin Artikel über Dateinamen, die sehr lang sind.\n' });
    const reply = (await long.i.final({ match: done, timeoutMs: 60_000 })).content!;
    const saved = /^\*\*Added (\S+)\*\*/.exec(reply)![1]!;
    expect(saved.length).toBeLessThanOrEqual(84);
    expect(saved).toMatch(/^Überlänge(-Überlänge)*\.txt$/);
    expect(existsSync(path.join(h.config.corpusDir, saved))).toBe(true);
  });

  it('never overwrites a file unasked, and replaces it with replace: true', async () => {
    const changed = ARTICLE.replace('seit Dienstag', 'seit Mittwoch');
    await expectRefusal(add({ filename: 'inselbote.md', content: changed }).i, /^inselbote\.md is already in the coverage\. Add it again with replace: True to overwrite it\.$/);
    expect(await readFile(path.join(h.config.corpusDir, 'inselbote.md'), 'utf8')).toBe(ARTICLE);
    const again = add({ filename: 'inselbote.md', content: changed, replace: true });
    expect((await again.i.final({ match: done, timeoutMs: 60_000 })).content).toMatch(
      /^\*\*Replaced inselbote\.md\*\* \(Fähre nach Hiddensee fährt wieder\)\.\n\*\*Index updated\.\*\*\nArticles: 0 added, 1 changed/,
    );
    expect(await readFile(path.join(h.config.corpusDir, 'inselbote.md'), 'utf8')).toBe(changed);
  });

  it('speaks German to a German admin', async () => {
    await expectRefusal(add({ filename: 'bericht.pdf', content: 'x' }, { permissions: MANAGE_GUILD, locale: Locale.German }).i, /^Die Datei wurde abgelehnt: /);
  });
});

describe('/remove', () => {
  it('suggests articles by title or id', async () => {
    const typing = h.discord.interact(h.discord.autocomplete({ name: 'remove', focused: 'article', options: { article: 'hiddensee' }, permissions: MANAGE_GUILD }));
    expect((await typing.response()).data?.choices).toEqual([{ name: 'Fähre nach Hiddensee fährt wieder (inselbote)', value: 'inselbote' }]);
  });

  it('is refused to other members and for an article that is not there', async () => {
    await expectRefusal(h.discord.interact(h.discord.slashCommand({ name: 'remove', options: { article: 'inselbote' } })), /^Only members with the Manage Server permission/);
    await expectRefusal(
      h.discord.interact(h.discord.slashCommand({ name: 'remove', options: { article: '../../etc/passwd' }, permissions: MANAGE_GUILD })),
      /^There is no article \.\.\/\.\.\/etc\/passwd in the index\./,
    );
    expect(existsSync(path.join(h.config.corpusDir, 'inselbote.md'))).toBe(true);
  });

  it("removes the article's file and reindexes", async () => {
    const i = h.discord.interact(h.discord.slashCommand({ name: 'remove', options: { article: 'inselbote' }, permissions: MANAGE_GUILD }));
    expect(await i.response()).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const reply = (await i.final({ match: done, timeoutMs: 60_000 })).content!;
    expect(reply).toMatch(/^\*\*Removed inselbote\.md\*\* \(Fähre nach Hiddensee fährt wieder\)\.\n\*\*Index updated\.\*\*\nArticles: 0 added, 0 changed, 1 removed/);
    expect(existsSync(path.join(h.config.corpusDir, 'inselbote.md'))).toBe(false);
  });

  it('made the bot send only safe messages and log no errors', () => {
    expect(expectEveryMessageSafe(h.discord)).toBeGreaterThan(10);
    expect(recorded.errors()).toEqual([]);
    expect(h.discord.violations).toEqual([]);
  });
});
