/** An article as the rest of quotedesk sees it. Unknown metadata stays undefined — never guessed. */
export interface Article {
  /** File name without extension, e.g. `000_040ffcb4de1e558d`. */
  readonly id: string;
  /** Path relative to the corpus folder. */
  readonly file: string;
  /** The article text exactly as stored (for Markdown: the body after the front matter). Quotes are slices of it. */
  readonly text: string;
  /** sha256 of the file bytes: what incremental reindexing compares. */
  readonly hash: string;
  readonly title?: string;
  readonly outlet?: string;
  /** ISO date `YYYY-MM-DD` (or `YYYY-MM-DDTHH:mm` when the article gives a time). */
  readonly date?: string;
  readonly url?: string;
  readonly language?: string;
  /** Character range of the header line the metadata came from in plain-text files; not body text. */
  readonly headerEnd?: number;
}
