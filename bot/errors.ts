/**
 * What people see when something does not work: a private message in their language. Refusals carry a
 * catalogue key in `details.key` (else their code picks the text); everything else gets the apology.
 */
import { MessageFlags, type RepliableInteraction } from 'discord.js';
import { QuotedeskError, type ErrorCode } from '../index/errors.ts';
import { canTranslate, translate, type Lang, type MessageKey, type Params } from './i18n/i18n.ts';
import { fitMessage } from './discord-limits.ts';

type ErrorKey = MessageKey extends infer K ? (K extends `error.${infer E}` ? E : never) : never;

/** A user error whose text comes from the catalogue (`error.<key>`), English in the log. */
export function refuse(code: ErrorCode, key: ErrorKey, params: Params = {}): QuotedeskError {
  const english = translate('en', `error.${key}` as MessageKey, params);
  return new QuotedeskError(code, english, { isUserError: true, details: { ...params, key } });
}

/** The text for the person: their language for our own refusals, the apology for everything else. */
export function userText(err: unknown, lang: Lang): string {
  if (!(err instanceof QuotedeskError) || !err.isUserError) return translate(lang, 'error.apology');
  const key = `error.${typeof err.details.key === 'string' ? err.details.key : err.code}` as MessageKey;
  // A text whose values the error does not carry would show "{length}": the error's own words are better.
  return canTranslate(lang, key, err.details) ? translate(lang, key, err.details) : err.userMessage;
}

/**
 * An ephemeral reply. A private deferred reply is edited; a public one (PUBLIC_ANSWERS) is removed and
 * the text sent as a private follow-up instead, so a refusal never lands in the channel.
 */
export async function replyPrivately(interaction: RepliableInteraction, content: string): Promise<void> {
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ ...fitMessage({ content }), flags: MessageFlags.Ephemeral });
  } else if (interaction.deferred && interaction.ephemeral) {
    await interaction.editReply(fitMessage({ content, embeds: [], components: [] }));
  } else {
    if (interaction.deferred) await interaction.deleteReply().catch(() => undefined);
    await interaction.followUp({ ...fitMessage({ content }), flags: MessageFlags.Ephemeral });
  }
}
