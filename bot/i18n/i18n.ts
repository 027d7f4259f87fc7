/**
 * The bot's own words in English and German, from `messages.json`. A reply follows the reader's Discord
 * language (`interaction.locale`): German for any `de*` locale, English otherwise. Quotes never pass here.
 */
import type { LocalizationMap } from 'discord.js';
import catalogue from './messages.json' with { type: 'json' };

export const LANGUAGES = ['en', 'de'] as const;
export type Lang = (typeof LANGUAGES)[number];
type Entries = (typeof catalogue)['en'];
/** A message key; plural keys are named without their `_one` / `_other` ending. */
export type MessageKey = { [K in keyof Entries]: K extends `${infer Base}_${'one' | 'other'}` ? Base : K }[keyof Entries];
export type Params = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: Params) => string;

const texts: Record<Lang, Record<string, string>> = { en: catalogue.en, de: catalogue.de };

/** Discord locale (`de`, `en-US`, `en-GB`, `fr`…) → the language the bot answers in. */
export function langOf(locale: string | null | undefined): Lang {
  return locale?.toLowerCase().startsWith('de') ? 'de' : 'en';
}

const plurals: Record<Lang, Intl.PluralRules> = { en: new Intl.PluralRules('en'), de: new Intl.PluralRules('de') };

function template(lang: Lang, key: string, params: Params): string | undefined {
  const table = texts[lang];
  const plural = typeof params.count === 'number' ? `${key}_${plurals[lang].select(params.count)}` : undefined;
  return (plural && (table[plural] ?? table[`${key}_other`])) ?? table[key] ?? texts.en[key];
}

/** Whether the catalogue has `key` and `params` fill all of its placeholders. */
export function canTranslate(lang: Lang, key: string, params: Params = {}): boolean {
  const text = template(lang, key, params);
  return text !== undefined && [...text.matchAll(/\{(\w+)\}/g)].every((m) => m[1]! in params);
}

export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  const text = template(lang, key, params);
  if (text === undefined) throw new Error(`quotedesk: no message "${key}" in the catalogue`);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export const translator =
  (lang: Lang): Translate =>
  (key, params) =>
    translate(lang, key, params);

/** Values for a text, the same in every language or chosen per language (e.g. a translated "yes"). */
export type LocalParams = Params | ((lang: Lang) => Params);
const paramsFor = (lang: Lang, params: LocalParams | undefined) => (typeof params === 'function' ? params(lang) : params);

/** `name_localizations` / `description_localizations` for a command or option: German and both Englishes. */
export function localizations(key: MessageKey, params?: LocalParams): LocalizationMap {
  const en = translate('en', key, paramsFor('en', params));
  return { de: translate('de', key, paramsFor('de', params)), 'en-US': en, 'en-GB': en };
}

/** A text in English for the default registration data, with its values for English. */
export const english = (key: MessageKey, params?: LocalParams) => translate('en', key, paramsFor('en', params));

/** A day as the reader writes it: 2025-08-17 in English, 17.08.2025 in German. */
export function formatDay(lang: Lang, isoDate: string): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-');
  return lang === 'de' ? `${d}.${m}.${y}` : `${y}-${m}-${d}`;
}

/** Discord renders `<t:…>` in each reader's own language and time zone. */
export const discordTime = (ms: number, style: 'R' | 'f' | 'd' = 'R') => `<t:${Math.floor(ms / 1000)}:${style}>`;
