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

/** What gets embedded and indexed: the heading gives a paragraph its topic. */
export function searchableText(passage: Pick<Passage, 'text' | 'heading'>): string {
  return passage.heading ? `${passage.heading}\n${passage.text}` : passage.text;
}
