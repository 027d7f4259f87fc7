/** A retrievable unit: one or more consecutive body paragraphs of one article, sliced verbatim. */
export interface Passage {
  readonly articleId: string;
  /** 1-based number of the (first) body paragraph in the article, as a reader would count them. */
  readonly paragraph: number;
  /** [start, end) into the article text; `text === article.text.slice(start, end)`. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** The short heading the paragraph stands under, verbatim, when there is one. */
  readonly heading?: string;
}

/**
 * What a passage is found by besides its own words: its article's title and the heading it stands under
 * ("contextual" passages). A paragraph that answers a question often never names the topic its title names.
 */
export function passageContext(title: string | undefined, heading: string | undefined): string | undefined {
  const parts = [title, heading].filter((p): p is string => !!p && p.trim() !== '');
  return parts.length ? parts.join('\n') : undefined;
}

/** What gets embedded: the passage with its context, so its vector carries the article's topic too. */
export function searchableText(passage: Pick<Passage, 'text' | 'heading'>, title?: string): string {
  const context = passageContext(title, passage.heading);
  return context ? `${context}\n${passage.text}` : passage.text;
}
