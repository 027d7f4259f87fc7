/**
 * A question as typed, made comparable with the corpus before anything analyses it: Unicode NFKC (full-width
 * letters, ligatures and compatibility forms become plain ones), invisible format characters removed
 * (zero-width space and joiners, soft hyphen, direction marks: "Pes\u200Bkow" is "Peskow"), control
 * characters removed, or turned into a space where they separate (tab, line breaks). The CLI and the bot
 * both call it, so a question finds the same passages wherever it is asked.
 */
const FORMAT = /\p{Cf}/gu;
const CONTROL = /\p{Cc}/gu;

export function normalizeQuestion(question: string): string {
  return question
    .normalize('NFKC')
    .replace(FORMAT, '')
    .replace(CONTROL, (c) => (/\s/.test(c) ? ' ' : ''));
}
