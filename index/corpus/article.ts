/** An article as the rest of quotedesk sees it. Unknown metadata stays undefined — never guessed. */
export interface Article {
  /** File name without extension, e.g. `000_040ffcb4de1e558d`; for an item of a feed or JSONL file, the file's name and the item's key. */
  readonly id: string;
  /** Path relative to the corpus folder. */
  readonly file: string;
  /**
   * The article text as stored; quotes are slices of it. Plain text: the file as it is. Markdown, HTML and
   * feeds: the reading text — each block's text without markup, blocks separated by a blank line (see
   * docs in README "Adding articles").
   */
  readonly text: string;
  /** sha256 of what the article was read from (file bytes, or the item, plus sidecar metadata): what incremental reindexing compares. */
  readonly hash: string;
  readonly title?: string;
  readonly outlet?: string;
  /** Who wrote it, as the source names them; several authors joined with ", ". */
  readonly author?: string;
  /** ISO date `YYYY-MM-DD` (or `YYYY-MM-DDTHH:mm` when the article gives a time). */
  readonly date?: string;
  readonly url?: string;
  readonly language?: string;
  /**
   * sha256 of the text's letters and digits, which finds the same article in two renderings (duplicates.ts);
   * stored with the article, so that an unchanged article is not read again to compute it. Absent until computed.
   */
  readonly textKey?: string;
  /** Character range of the header line the metadata came from in plain-text files; not body text. */
  readonly headerEnd?: number;
  /**
   * The block structure of a structured source (Markdown, HTML, feed content), with offsets into `text`.
   * Only the reader and the splitter use it; it is not stored in the index.
   */
  readonly blocks?: readonly TextBlock[];
}

export interface TextBlock {
  /** [start, end) into the article text. */
  readonly start: number;
  readonly end: number;
  readonly kind: 'heading' | 'paragraph';
  /** [start, end) of the markup the block was read from, in the source file: the map back to the source. */
  readonly source?: readonly [number, number];
}

/** The citation fields a source may carry about an article (a page's metadata, a sidecar file), each optional. */
export type CitationFields = { -readonly [K in 'title' | 'outlet' | 'author' | 'date' | 'url' | 'language']?: string };

