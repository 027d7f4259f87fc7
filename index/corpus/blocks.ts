/**
 * The reading text of a structured source: the text of each block without its markup, blocks separated by
 * a blank line. Quotes are slices of this text, so they are verbatim with respect to the stored article and
 * never carry markup; each block remembers where in the source it came from.
 */
import type { TextBlock } from './article.ts';

const BLOCK_SEPARATOR = '\n\n';

/** Spaces and tabs collapsed, every line trimmed, blank lines dropped: markup's white space is layout, not text. */
export function tidyText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

export class TextBuilder {
  #text = '';
  readonly #blocks: TextBlock[] = [];

  /** Adds a block (tidied); empty text adds nothing. */
  add(kind: TextBlock['kind'], text: string, source?: readonly [number, number]): void {
    const tidy = tidyText(text);
    if (tidy === '') return;
    if (this.#text !== '') this.#text += BLOCK_SEPARATOR;
    const start = this.#text.length;
    this.#text += tidy;
    this.#blocks.push({ start, end: this.#text.length, kind, ...(source ? { source } : {}) });
  }

  get size(): number {
    return this.#blocks.length;
  }

  build(): { text: string; blocks: TextBlock[] } {
    return { text: this.#text, blocks: [...this.#blocks] };
  }
}
