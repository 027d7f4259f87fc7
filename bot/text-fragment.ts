/**
 * A link that opens an article at the quoted sentence: a URL text fragment (`#:~:text=`), which
 * browsers scroll to and highlight. The directive's own syntax characters (`-`, `,`, `&`) are
 * percent-encoded like everything else that is not a plain URL character; long quotes use the
 * `start,end` form so the link stays short.
 */

/** Discord's limit for a link button's URL. */
export const MAX_LINK_URL = 512;
/** Words at each end of a long quote in the `start,end` form. */
const EDGE_WORDS = 4;
/** Quotes up to this many characters are matched whole. */
const WHOLE_QUOTE_CHARS = 120;

const encode = (text: string) => encodeURIComponent(text).replace(/[-!'()*~.]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/** The first line of the quote, with runs of white space as one space: a text fragment matches rendered text. */
const firstLine = (quote: string) => (quote.split('\n').find((l) => l.trim()) ?? '').replace(/\s+/g, ' ').trim();

export function textFragment(quote: string): string | undefined {
  const text = firstLine(quote);
  if (!text) return undefined;
  if (text.length <= WHOLE_QUOTE_CHARS) return `:~:text=${encode(text)}`;
  const words = text.split(' ');
  if (words.length <= EDGE_WORDS * 2) return `:~:text=${encode(text)}`;
  return `:~:text=${encode(words.slice(0, EDGE_WORDS).join(' '))},${encode(words.slice(-EDGE_WORDS).join(' '))}`;
}

/** The article's address opened at the quote, or the plain address when the fragment would not fit. */
export function quoteLink(url: string, quote: string): string | undefined {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    return undefined;
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') return undefined;
  base.hash = '';
  const plain = base.toString();
  const fragment = textFragment(quote);
  const linked = fragment ? `${plain}#${fragment}` : plain;
  if (linked.length <= MAX_LINK_URL) return linked;
  return plain.length <= MAX_LINK_URL ? plain : undefined;
}
