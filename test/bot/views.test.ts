import { Locale, REST, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandDefinitions } from '../../bot/commands/index.ts';
import { startBot, type Harness } from '../support/bot-harness.ts';
import type { MessageBody } from '../support/fake-discord.ts';
import { bodyOf, expectEveryMessageSafe, expectVerbatimWholeWords, markdownArticle, recordingLog } from './helpers.ts';

/** Seven articles on top of the five seeds: twelve in all, so /sources needs two pages. */
const FILES: Record<string, string> = {
  'rheinpost-bruecke-2024.md': markdownArticle(
    { title: 'Rheinbrücke Leverkusen: Sanierung verzögert sich', outlet: 'Rheinpost', date: '2024-01-10', url: 'https://rheinpost.example/rheinbruecke-2024' },
    ['Die Sanierung der Rheinbrücke Leverkusen verzögert sich um ein weiteres Jahr. Die Autobahn GmbH nannte Lieferengpässe beim Stahl als Grund.'],
  ),
  'rheinpost-bruecke-2023.md': markdownArticle({ title: 'Neue Rheinbrücke Leverkusen: Erster Teil fertig', outlet: 'Rheinpost', date: '2023-05-01' }, [
    'Der erste Teil der neuen Rheinbrücke Leverkusen ist fertig. Die Sanierung des alten Bauwerks lohnte sich nicht mehr, sagte die Autobahn GmbH.',
  ]),
  'stadtanzeiger-bruecke.md': markdownArticle({ title: 'Rheinbrücke Leverkusen für Lastwagen gesperrt', outlet: 'Stadtanzeiger', date: '2022-11-30' }, [
    'Wegen Rissen im Stahl bleibt die Rheinbrücke Leverkusen für Lastwagen gesperrt. Eine Sanierung sei nicht mehr möglich, erklärten Gutachter.',
  ]),
  // Plain text without a date or outlet: it stands alone in /compare and comes last in /timeline.
  'bruecke-undatiert.txt':
    'Pendler ärgern sich über die Rheinbrücke Leverkusen\n\nSeit der Sperrung der Rheinbrücke Leverkusen für schwere Lastwagen stauen sich Pendler jeden Morgen. Die Sanierung der Brücke dauere zu lange, klagen sie.\n',
  'alpenkurier-ski.md': markdownArticle({ title: 'Skisaison am Brauneck beginnt früh', outlet: 'Alpenkurier', date: '2024-02-02' }, [
    'Am Brauneck laufen die Skilifte schon seit Anfang Dezember. Die Pistenraupen fahren jede Nacht, der Kunstschnee reicht bis ins Tal.',
  ]),
  'ostseeblick-hafen.md': markdownArticle({ title: 'Fährhafen Sassnitz meldet mehr Fahrgäste', outlet: 'Ostseeblick', date: '2023-08-08' }, [
    'Der Fährhafen Sassnitz zählte im Sommer mehr Fahrgäste als im Vorjahr. Besonders die Linie nach Bornholm war gefragt.',
  ]),
  'bergbote-almen.md': markdownArticle({ title: 'Almabtrieb im Tal', outlet: 'Bergbote' }, [
    'Beim Almabtrieb im Tal zogen geschmückte Kühe durch das Dorf. Hunderte Gäste sahen zu.',
  ]),
};
const BODIES = new Map(Object.entries(FILES).map(([file, text]) => [file, file.endsWith('.md') ? bodyOf(text) : text]));
const ALL_TEXT = [...BODIES.values()].join('\n\n');

const recorded = recordingLog();
let h: Harness;
beforeAll(async () => {
  h = await startBot({ RATE_LIMIT_PER_MINUTE: '1000' }, { log: recorded.log, files: FILES });
});
afterAll(() => h?.close());

const slash = (name: string, options?: Record<string, string>) => h.discord.interact(h.discord.slashCommand({ name, ...(options ? { options } : {}) }));
type Buttons = Array<{ components: Array<{ custom_id: string; label: string; disabled?: boolean }> }>;
const buttons = (b: MessageBody | { components?: unknown }) => ((b.components ?? []) as Buttons).flatMap((row) => row.components);
const lines = (b: MessageBody) => b.embeds![0]!.description!.split('\n');

describe('/sources', () => {
  it('lists the indexed articles with outlet, date and title, newest first, ten a page', async () => {
    const i = slash('sources');
    const callback = await i.response();
    expect(callback.type).toBe(4);
    expect(callback.data!.flags).toBe(64);
    const page = callback.data!;
    expect(page.embeds![0]!.title).toBe('Indexed articles (12)');
    expect(page.embeds![0]!.footer!.text).toBe('Page 1 of 2');
    expect(lines(page)).toHaveLength(10);
    expect(lines(page).slice(0, 3)).toEqual([
      '• **Outlet unknown** · 2025-08-17 · "Folgendes Zugeständnis konnten wir erreichen" Russland akzeptiert offenbar Ukraine-Sicherheitsgarantien',
      '• **Alpenkurier** · 2024-02-02 · Skisaison am Brauneck beginnt früh',
      '• **Rheinpost** · 2024-01-10 · [Rheinbrücke Leverkusen: Sanierung verzögert sich](https://rheinpost.example/rheinbruecke-2024)',
    ]);
    expect(lines(page)).toContain('• **Outlet unknown** · 2022-01-26 · Ukraine-Krise Die Tür der NATO bleibt offen');
    expect(lines(page).at(-1)).toMatch(/^• \*\*Outlet unknown\*\* · date unknown · /);
    expect(buttons(page).map((b) => [b.label, !!b.disabled])).toEqual([
      ['Previous', true],
      ['Next', false],
    ]);
    expect(h.discord.violations).toEqual([]);
  });

  it('pages forward with Next and back with Previous', async () => {
    const i = slash('sources');
    const first = (await i.response()).data!;
    const next = buttons(first).find((b) => b.label === 'Next')!;
    const click = h.discord.interact(h.discord.button({ customId: next.custom_id, message: i }));
    const second = (await click.response()).data!;
    expect((await click.response()).type).toBe(7);
    expect(second.embeds![0]!.footer!.text).toBe('Page 2 of 2');
    expect(lines(second)).toHaveLength(2);
    expect(lines(second)).toEqual([
      '• **Bergbote** · date unknown · Almabtrieb im Tal',
      '• **Outlet unknown** · date unknown · Pendler ärgern sich über die Rheinbrücke Leverkusen',
    ]);
    expect(new Set([...lines(first), ...lines(second)]).size).toBe(12);
    expect(buttons(second).map((b) => [b.label, !!b.disabled])).toEqual([
      ['Previous', false],
      ['Next', true],
    ]);
    expect(i.message!.embeds[0]!.footer!.text).toBe('Page 2 of 2');

    const previous = buttons(second).find((b) => b.label === 'Previous')!;
    const back = h.discord.interact(h.discord.button({ customId: previous.custom_id, message: i }));
    expect((await back.response()).data!.embeds![0]!.footer!.text).toBe('Page 1 of 2');
    expect(h.discord.violations).toEqual([]);
  });
});

describe('/help', () => {
  it('shows, privately, how many articles are indexed, their time span and the outlets', async () => {
    const i = slash('help');
    expect(await i.response()).toEqual({ type: 5, data: { flags: 64 } });
    const text = (await i.final({ match: (b) => (b.embeds?.length ?? 0) > 0 })).embeds![0]!.description!;
    expect(text).toMatch(/\*\*Coverage:\*\* 12 articles \(\d+ passages\) from 2022-01-26 to 2025-08-17\./);
    expect(text).toContain('Outlets: Alpenkurier, Bergbote, Ostseeblick, Rheinpost, Stadtanzeiger (+6 without a named outlet).');
    expect(text).toContain('Search: keywords and meaning');
    expect(text).toMatch(/Index built <t:\d+:f>\./);
    expect(h.discord.violations).toEqual([]);
  });

  it('mentions the registered commands so they can be clicked, and speaks German to a German reader', async () => {
    await new REST({ api: h.discord.apiBase })
      .setToken(h.discord.botToken)
      .put(Routes.applicationGuildCommands(h.discord.applicationId, h.discord.guildId), { body: commandDefinitions(h.config) });
    const ask = h.discord.commands.find((c) => c.name === 'ask')!;
    const en = await slash('help').final({ match: (b) => (b.embeds?.length ?? 0) > 0 });
    expect(en.embeds![0]!.description).toContain(`</ask:${ask.id}> — the passages that answer a question`);
    const de = await h.discord.interact(h.discord.slashCommand({ name: 'help', locale: Locale.German })).final({ match: (b) => (b.embeds?.length ?? 0) > 0 });
    const text = de.embeds![0]!.description!;
    expect(text).toContain(`</ask:${ask.id}> — die Passagen, die eine Frage beantworten`);
    expect(text).toMatch(/\*\*Bestand:\*\* 12 Artikel \(\d+ Passagen\) vom 26\.01\.2022 bis 17\.08\.2025\./);
    expect(text).toContain('Berichterstattung finden');
    expect(h.discord.violations).toEqual([]);
  });
});

describe('/compare', () => {
  it('shows the best passage of each outlet with relevant coverage and names the outlets without', async () => {
    const i = slash('compare', { topic: 'Sanierung der Rheinbrücke Leverkusen' });
    expect((await i.response()).type).toBe(5);
    const reply = await i.final({ match: (b) => b.content !== undefined });
    expect(reply.content).toBe('**Compare:** Sanierung der Rheinbrücke Leverkusen\nNothing relevant from: Alpenkurier, Bergbote, Ostseeblick.');
    expect(reply.embeds!.map((e) => e.author?.name).sort()).toEqual(['Outlet unknown', 'Rheinpost', 'Stadtanzeiger']);
    expect(reply.embeds!.find((e) => e.author?.name === 'Stadtanzeiger')!.title).toBe('Rheinbrücke Leverkusen für Lastwagen gesperrt');
    expect(reply.embeds!.find((e) => e.author?.name === 'Outlet unknown')!.title).toBe('Pendler ärgern sich über die Rheinbrücke Leverkusen');
    for (const e of reply.embeds!) expectVerbatimWholeWords(e.description!, ALL_TEXT);
    const rheinpost = reply.embeds!.find((e) => e.author?.name === 'Rheinpost')!;
    expect(rheinpost.author).toEqual({ name: 'Rheinpost' });
    expect(rheinpost.timestamp).toMatch(/^(2024-01-10|2023-05-01)T12:00:00\.000Z$/);
    expect(rheinpost.footer!.text).toMatch(/^¶ 1\nMatches /);
    expect(h.discord.violations).toEqual([]);
  });

  it('says so when nothing is relevant', async () => {
    const reply = await slash('compare', { topic: 'Wetter in Hamburg morgen' }).final({ match: (b) => b.content !== undefined });
    expect(reply.content).toMatch(/^\*\*Compare:\*\* Wetter in Hamburg morgen\nNo relevant coverage found/);
    expect(reply.content).toContain('Nothing relevant from: Alpenkurier, Bergbote, Ostseeblick, Rheinpost, Stadtanzeiger.');
    expect(reply.embeds).toEqual([]);
  });
});

describe('/timeline', () => {
  it('shows German dates to a German reader', async () => {
    const reply = await h.discord
      .interact(h.discord.slashCommand({ name: 'timeline', options: { topic: 'Rheinbrücke Leverkusen Sanierung' }, locale: Locale.German }))
      .final({ match: (b) => b.content !== undefined });
    expect(reply.content).toMatch(/^\*\*Zeitleiste:\*\* /);
    expect(reply.embeds!.map((e) => e.title)).toEqual([
      '30.11.2022 · Rheinbrücke Leverkusen für Lastwagen gesperrt',
      '01.05.2023 · Neue Rheinbrücke Leverkusen: Erster Teil fertig',
      '10.01.2024 · Rheinbrücke Leverkusen: Sanierung verzögert sich',
      'ohne Datum · Pendler ärgern sich über die Rheinbrücke Leverkusen',
    ]);
  });

  it('lists relevant passages oldest first, undated ones last', async () => {
    const i = slash('timeline', { topic: 'Rheinbrücke Leverkusen Sanierung' });
    expect((await i.response()).type).toBe(5);
    const reply = await i.final({ match: (b) => b.content !== undefined });
    expect(reply.content).toMatch(/^\*\*Timeline:\*\* Rheinbrücke Leverkusen Sanierung/);
    expect(reply.embeds!.map((e) => e.title)).toEqual([
      '2022-11-30 · Rheinbrücke Leverkusen für Lastwagen gesperrt',
      '2023-05-01 · Neue Rheinbrücke Leverkusen: Erster Teil fertig',
      '2024-01-10 · Rheinbrücke Leverkusen: Sanierung verzögert sich',
      'undated · Pendler ärgern sich über die Rheinbrücke Leverkusen',
    ]);
    expect(reply.embeds![2]!.url).toBe('https://rheinpost.example/rheinbruecke-2024');
    // The outlet is the author; the date is in the title, so no timestamp repeats it.
    expect(reply.embeds!.map((e) => e.author?.name)).toEqual(['Stadtanzeiger', 'Rheinpost', 'Rheinpost', 'Outlet unknown']);
    for (const e of reply.embeds!) expectVerbatimWholeWords(e.description!, ALL_TEXT);
    expect(h.discord.violations).toEqual([]);
  });
});

describe('everything this file made the bot send', () => {
  it('switches mentions off, fits Discord limits, and nothing was logged as an error', () => {
    expect(expectEveryMessageSafe(h.discord)).toBeGreaterThanOrEqual(7);
    expect(recorded.errors()).toEqual([]);
    expect(h.discord.violations).toEqual([]);
  });
});
