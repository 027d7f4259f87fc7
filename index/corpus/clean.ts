/**
 * Splits an article into text blocks and tells body text from what a scraped news page carries around
 * it: breadcrumbs, section labels, photo captions and credits, "Kommentare", "Auch interessant",
 * "Mehr zum Thema – …" teasers and publisher appeals. None of that may come back as an answer.
 */
import type { Article } from './article.ts';

export type BlockKind = 'body' | 'heading' | 'boilerplate' | 'header';

export interface Block {
  /** Offsets into the article text, trimmed of surrounding white space. */
  readonly start: number;
  readonly end: number;
  readonly kind: BlockKind;
  /** Why a block is boilerplate (for tests and `--explain`-style debugging). */
  readonly reason?: string;
}

/**
 * Plain text from scrapers has one paragraph per line (seed 003 has no blank lines at all); hard-wrapped
 * text uses blank lines. Wrapped text is recognised by most lines being of similar length and not ending
 * like a sentence. The Markdown reader applies the same rule to its paragraphs' lines.
 */
export function lineBreaksAreParagraphs(lines: readonly string[]): boolean {
  const wrapped = lines.filter((l) => l.length >= 50 && l.length <= 90 && !/[.!?:"“”’]\s*$/.test(l)).length;
  return !(lines.length >= 6 && wrapped / lines.length > 0.5);
}

function paragraphPattern(article: Article): RegExp {
  const byLine = /[^\n]+/g;
  const byBlankLine = /[^\n]+(?:\n[^\n]*\S[^\n]*)*/g;
  const lines = article.text.split('\n').filter((l) => l.trim() !== '');
  return lineBreaksAreParagraphs(lines) ? byLine : byBlankLine;
}

interface RawBlock {
  start: number;
  end: number;
  /** From the source's structure (Markdown, HTML); plain text has none and is judged by its looks. */
  structural?: 'heading' | 'paragraph';
}

function rawBlocks(article: Article): RawBlock[] {
  if (article.blocks) return article.blocks.map((b) => ({ start: b.start, end: b.end, structural: b.kind }));
  const blocks: RawBlock[] = [];
  for (const m of article.text.matchAll(paragraphPattern(article))) {
    const lead = m[0].length - m[0].trimStart().length;
    const start = m.index + lead;
    const end = m.index + m[0].trimEnd().length;
    if (end > start) blocks.push({ start, end });
  }
  return blocks;
}

/** Page furniture that appears as a line of its own. */
const NAVIGATION =
  /^(?:Startseite|Home|Kommentare|Kommentar schreiben|\d+ Kommentare|Auch interessant|Lesen Sie auch|Lesen Sie mehr|Mehr lesen|Weiterlesen|Weitere Artikel|Mehr zum Thema|Das könnte Sie auch interessieren|Empfehlungen|Teilen|Drucken|Artikel teilen|Zur Startseite|Newsletter|Anzeige|Werbung|Audio|Video|Bildergalerie|Fotostrecke|Zum Artikel|Themen|Schlagworte|Quelle|Fotos?|Bilder?|Alle Rechte vorbehalten|Related|Read more|Advertisement|Share|Comments)\s*:?$/i;

/** Sections after which a page only carries teasers, comments and appeals. */
const TRAILER_START = /^(?:Mehr zum Thema|Auch interessant|Lesen Sie auch|Das könnte Sie auch interessieren|Weitere Artikel|Kommentare|Related|Read more)\b/i;

/** A breadcrumb item: "1. Startseite", "2. Politik". */
const BREADCRUMB = /^\d{1,2}\.\s+[\p{L}&\- ]{1,30}$/u;

/** A caption or credit names its source at its end: "… Quelle: Sputnik © Alexander Kasakow", "(Archivbild) © … /dpa". */
const CREDIT = /(?:©|\(c\)\s|\bFoto:|\bBild:|\bQuelle:\s*[^.]{1,60}$|\bBildquelle\b|\bpicture alliance\b|\bimago\b|\bgetty images\b)/i;

/** Phrases in which a publisher addresses its readers instead of reporting. */
const APPEAL = [
  /\bunsere[rn]?\s+(?:Artikel|Website|Webseite|Seite|Accounts?|Beiträge|Arbeit|Journalismus|Redaktion|Leser)/i,
  /\b(?:teilt|teilen Sie|unterstützt|unterstützen Sie|abonniert|abonnieren Sie|folgt uns|folgen Sie uns|spendet|spenden Sie)\b/i,
  /\b(?:Euch|Ihr aktiv|bitten wir Euch|bitten wir Sie)\b/,
  /\b(?:Newsletter|Abo|Abonnement|Spende|Paypal|Telegram-Kanal)\b/i,
  /\b(?:Sperrung von|zum Schweigen zu bringen|Mainstream)\b/i,
];

/**
 * Headings are short and do not end like a sentence; a closing quote may end one ('Lawrow warnt vor
 * "notwendigen Maßnahmen"'), and a short single question often is one ("Versucht er …?").
 */
const isHeadingText = (text: string) => {
  if (text.length > 120 || text.split(/\s+/).length > 16 || !/\p{L}/u.test(text)) return false;
  const bare = text.replace(/["“”„’‘»«]+$/u, '');
  if (!/[.!?,;:…]$/.test(bare)) return true;
  return bare.endsWith('?') && text.length <= 100 && !/[.!?]\s/.test(bare.slice(0, -1));
};

export function classifyBlock(text: string): string | undefined {
  if (NAVIGATION.test(text)) return 'navigation';
  if (BREADCRUMB.test(text)) return 'breadcrumb';
  if (/^Mehr zum Thema\s*[–—:-]/i.test(text)) return 'related-articles teaser';
  const credit = text.match(CREDIT);
  if (credit && text.length - credit.index! <= 160) return 'photo caption or credit';
  if (APPEAL.filter((re) => re.test(text)).length >= 2) return 'publisher appeal';
  return undefined;
}

export function splitBlocks(article: Article): Block[] {
  const raw = rawBlocks(article);
  const texts = raw.map((b) => article.text.slice(b.start, b.end));
  const headerEnd = article.headerEnd ?? 0;
  const half = article.text.length / 2;
  let trailer = false;
  return raw.map((b, i): Block => {
    const text = texts[i]!;
    const { start, end } = b;
    if (b.end <= headerEnd) return { start, end, kind: 'header' };
    if (!trailer && b.start > half && TRAILER_START.test(text)) trailer = true;
    if (trailer) return { start, end, kind: 'boilerplate', reason: 'after the end of the article (teasers, comments)' };
    const reason = classifyBlock(text);
    if (reason) return { start, end, kind: 'boilerplate', reason };
    if (b.structural) return { start, end, kind: b.structural === 'heading' ? 'heading' : 'body' };
    const next = texts.slice(i + 1).find((t) => classifyBlock(t) === undefined);
    if (/^#{1,6}\s/.test(text) || (isHeadingText(text) && next !== undefined && !isHeadingText(next))) {
      return { start, end, kind: 'heading' };
    }
    return { start, end, kind: 'body' };
  });
}
