/** Citation text from what is known about an article; unknown parts are left out, never guessed. */

export interface CitationSource {
  readonly id: string;
  readonly title?: string;
  readonly outlet?: string;
  readonly author?: string;
  readonly date?: string;
  readonly url?: string;
}

/** `2022-01-26T19:50` → `2022-01-26 19:50`; unambiguous in German and English alike. */
export function formatDate(date: string): string {
  return date.replace('T', ' ');
}

/** "tagesschau · Anna Beispiel · Die Tür der NATO bleibt offen · 2022-01-26 19:50 · ¶ 5"; the link is separate. */
export function formatCitation(source: CitationSource, paragraph: number): string {
  const parts = [source.outlet, source.author, source.title ?? source.id, source.date && formatDate(source.date), `¶ ${paragraph}`];
  return parts.filter((p): p is string => !!p).join(' · ');
}
