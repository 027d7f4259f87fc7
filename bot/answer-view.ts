/**
 * One page of an answer as a Discord message: the question, the quote cards, and the buttons under
 * them (Context and "Open at quote" per card; Previous / Next or "Show n more"; Post to channel on a
 * private answer; 👍 / 👎). Pure apart from `showAnswer`, which sends the first page.
 */
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, MessageFlags, type APIEmbed, type RepliableInteraction } from 'discord.js';
import type { Answer, Result } from '../index/answer/answer.ts';
import type { Context } from './context.ts';
import { articleKey } from './desk.ts';
import { fitMessage } from './discord-limits.ts';
import type { Translate } from './i18n/i18n.ts';
import type { PagedAnswer } from './pages.ts';
import { esc, resultEmbed } from './render.ts';
import { quoteLink } from './text-fragment.ts';

export const PAGE = 'page';
export const POST = 'post';
export const FEEDBACK = 'fb';
export const CONTEXT = 'ctx';
/** Discord allows five buttons per row. */
const ROW = 5;

/** What an answer lists: its results, else its closest passages marked as such. */
export function listed(answer: Answer): { list: readonly Result[]; tentative: boolean } {
  const { closest } = answer;
  return answer.results.length === 0 && closest.length > 0 ? { list: closest, tentative: true } : { list: answer.results, tentative: false };
}

/** Share of the question's key words, in its own text, below which a passage does not compete with one holding them all. */
const RUNNER_UP_COVERAGE = 0.75;

/**
 * One passage clearly wins when it holds every key word of the question and no other passage holds
 * most of them: then the first view shows it alone, with a button for the rest.
 */
export function clearWinner(answer: Answer): boolean {
  const [best, ...rest] = answer.results;
  const share = (r: Result) => r.matchedKeyWords.length / answer.keyWords.length;
  return !!best && answer.keyWords.length > 0 && share(best) >= 1 && rest.length > 0 && rest.every((r) => share(r) < RUNNER_UP_COVERAGE);
}

export interface PageView {
  offset: number;
  size: number;
}

export interface PageOptions {
  /** The answer's cache id; without it (expired) only the per-card buttons remain. */
  id?: string;
  /** Shown to the channel: credit the asker, no "Post to channel". */
  postedBy?: string;
}

const chunk = <T>(items: readonly T[]): T[][] => Array.from({ length: Math.ceil(items.length / ROW) }, (_, i) => items.slice(i * ROW, (i + 1) * ROW));
const rows = (buttons: ButtonBuilder[]) => chunk(buttons).map((r) => new ActionRowBuilder<ButtonBuilder>().addComponents(r).toJSON());

/** Context and "Open at quote" buttons for the cards shown: they need no cached state. */
export function cardButtons(t: Translate, page: readonly Result[]) {
  const numbered = page.length > 1;
  const context = page.map((r) =>
    new ButtonBuilder()
      .setCustomId(`${CONTEXT}:${articleKey(r.articleId)}:${r.quoteStart}:${r.quoteEnd}`)
      .setLabel(numbered ? t('button.contextN', { n: r.rank }) : t('button.context'))
      .setStyle(ButtonStyle.Secondary),
  );
  const links = page.flatMap((r) => {
    const url = r.url ? quoteLink(r.url, r.quote) : undefined;
    return url
      ? [
          new ButtonBuilder()
            .setURL(url)
            .setLabel(numbered ? t('button.openN', { n: r.rank }) : t('button.open'))
            .setStyle(ButtonStyle.Link),
        ]
      : [];
  });
  return [...rows(context), ...rows(links)];
}

export function renderPage(t: Translate, entry: PagedAnswer, view: PageView, options: PageOptions = {}) {
  const { answer } = entry;
  const { list, tentative } = listed(answer);
  const page = list.slice(view.offset, view.offset + view.size);
  const lines = [
    ...(options.postedBy ? [`-# ${t('answer.askedBy', { user: `<@${options.postedBy}>` })}`] : []),
    t('answer.question', { question: esc(answer.question) }) +
      (list.length > view.size && view.size > 1 ? ` (${t('answer.range', { from: view.offset + 1, to: view.offset + page.length, total: list.length })})` : ''),
    ...(page.length === 0 ? [t(entry.filtered ? 'answer.noneFiltered' : 'answer.none')] : []),
    ...(tentative && page.length > 0 ? [t('answer.closest')] : []),
    ...(!answer.semantic ? [`-# ${t('answer.keywordOnly')}`] : []),
  ];
  const embeds: APIEmbed[] = page.map((r) =>
    resultEmbed(t, r, { keyWords: answer.keyWords.length, count: page.length, ...(tentative ? { label: t('answer.closestLabel') } : {}) }),
  );

  const controls: ButtonBuilder[] = [];
  const id = options.id;
  if (id) {
    const compact = view.offset === 0 && view.size < entry.pageSize && list.length > view.size;
    if (compact) {
      controls.push(
        new ButtonBuilder()
          .setCustomId(`${PAGE}:${id}:0:${entry.pageSize}`)
          .setLabel(t('button.showMore', { count: list.length - view.size }))
          .setStyle(ButtonStyle.Primary),
      );
    } else if (list.length > view.size) {
      const previous = Math.max(0, view.offset - view.size);
      const next = view.offset + view.size;
      controls.push(
        new ButtonBuilder()
          .setCustomId(`${PAGE}:${id}:${previous}:${view.size}:p`)
          .setLabel(t('button.previous'))
          .setStyle(ButtonStyle.Secondary)
          .setDisabled(view.offset === 0),
        new ButtonBuilder()
          .setCustomId(`${PAGE}:${id}:${next}:${view.size}:n`)
          .setLabel(t('button.next'))
          .setStyle(ButtonStyle.Secondary)
          .setDisabled(next >= list.length),
      );
    }
    if (entry.isPrivate && !options.postedBy && page.length > 0) {
      controls.push(new ButtonBuilder().setCustomId(`${POST}:${id}:${view.offset}:${view.size}`).setLabel(t('button.post')).setStyle(ButtonStyle.Primary));
    }
    if (page.length > 0) {
      controls.push(
        new ButtonBuilder().setCustomId(`${FEEDBACK}:${id}:helpful:${view.offset}:${view.size}`).setLabel(t('button.helpful')).setEmoji('👍').setStyle(ButtonStyle.Secondary),
        new ButtonBuilder().setCustomId(`${FEEDBACK}:${id}:wrong:${view.offset}:${view.size}`).setLabel(t('button.wrong')).setEmoji('👎').setStyle(ButtonStyle.Secondary),
      );
    }
  }
  return fitMessage({ content: lines.join('\n'), embeds, components: [...cardButtons(t, page), ...rows(controls)] });
}

/** Results per page and the first view (compact when one passage clearly wins and no count was asked for). */
export function firstView(answer: Answer, asked: number | null, defaultSize: number): { pageSize: number; view: PageView } {
  const pageSize = asked ?? defaultSize;
  const compact = asked === null && clearWinner(answer);
  return { pageSize, view: { offset: 0, size: compact ? 1 : pageSize } };
}

/** Sends the first page of an answer as the reply to a deferred interaction and keeps it for its buttons. */
export async function showAnswer(
  interaction: RepliableInteraction,
  ctx: Context,
  answer: Answer,
  options: { asked: number | null; isPrivate: boolean; command: string; filtered: boolean },
): Promise<void> {
  // Rendering is CPU work too: let waiting acknowledgements of other interactions go first.
  await new Promise((resolve) => setImmediate(resolve));
  const { pageSize, view } = firstView(answer, options.asked, ctx.config.retrieval.maxResults);
  const entry: PagedAnswer = {
    ownerId: interaction.user.id,
    answer,
    lang: ctx.lang,
    pageSize,
    isPrivate: options.isPrivate,
    command: options.command,
    filtered: options.filtered,
    view,
  };
  const hasButtons = listed(answer).list.length > 0;
  // On expiry only the per-card buttons stay: they need nothing cached.
  const id = hasButtons
    ? ctx.pages.add(entry, () => interaction.editReply({ components: cardButtons(ctx.t, listed(answer).list.slice(entry.view.offset, entry.view.offset + entry.view.size)) }))
    : undefined;
  await interaction.editReply(renderPage(ctx.t, entry, view, id ? { id } : {}));
}

export const isEphemeral = (flags: { has(bit: number): boolean } | null | undefined) => !!flags?.has(MessageFlags.Ephemeral);
