/**
 * Metadata from plain-text articles, which arrive as scraped text: the first line is usually the
 * headline, sometimes preceded by a section label ("Europa") and sometimes carrying the publication
 * stamp ("Stand: 26.01.2022 19:50 Uhr", "date 2025-08-17"). Only what is written there is used.
 */

const MONTHS: Record<string, number> = {
  januar: 1, jänner: 1, january: 1, februar: 2, february: 2, märz: 3, march: 3, april: 4, mai: 5, may: 5,
  juni: 6, june: 6, juli: 7, july: 7, august: 8, september: 9, oktober: 10, october: 10, november: 11, dezember: 12, december: 12,
};

const pad = (n: number) => String(n).padStart(2, '0');

function isoDate(y: number, m: number, d: number, time?: string): string | undefined {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCDate() !== d) return undefined;
  return `${y}-${pad(m)}-${pad(d)}${time ? `T${time}` : ''}`;
}

interface Stamp {
  date: string;
  /** The matched text, so it can be cut out of a headline. */
  match: string;
}

const STAMPS: Array<{ re: RegExp; toDate: (m: RegExpMatchArray) => string | undefined }> = [
  // "Stand: 26.01.2022 19:50 Uhr", "Veröffentlicht am 26.01.2022", "aktualisiert 26.01.2022, 19:50"
  {
    re: /(?:Stand|Veröffentlicht(?: am)?|Aktualisiert(?: am)?|Erschienen(?: am)?|vom)\s*:?\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s*(?:um\s*)?(\d{1,2}):(\d{2})(?:\s*Uhr)?)?/i,
    toDate: (m) => isoDate(+m[3]!, +m[2]!, +m[1]!, m[4] ? `${pad(+m[4])}:${m[5]}` : undefined),
  },
  // "date 2025-08-17", "Datum: 2025-08-17", "published 2025-08-17T10:00"
  {
    re: /(?:date|datum|published|updated)\s*:?\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/i,
    toDate: (m) => isoDate(+m[1]!, +m[2]!, +m[3]!, m[4] ? `${m[4]}:${m[5]}` : undefined),
  },
  // "Stand: 17. August 2025"
  {
    re: /(?:Stand|Veröffentlicht(?: am)?|Aktualisiert(?: am)?)\s*:?\s*(\d{1,2})\.\s*([A-Za-zÄÖÜäöü]+)\s+(\d{4})/i,
    toDate: (m) => {
      const month = MONTHS[m[2]!.toLowerCase()];
      return month ? isoDate(+m[3]!, month, +m[1]!) : undefined;
    },
  },
];

/** A publication stamp written in `line`, if any. */
export function findDateStamp(line: string): Stamp | undefined {
  for (const { re, toDate } of STAMPS) {
    const m = line.match(re);
    const date = m && toDate(m);
    if (m && date) return { date, match: m[0] };
  }
  return undefined;
}

/** Longest plausible headline; longer first lines are a lead paragraph, not a title. */
const MAX_TITLE_CHARS = 200;

export interface PlainTextHeader {
  title?: string;
  date?: string;
  /** Offset just after the lines used as header (section label, headline); body passages start after it. */
  headerEnd: number;
}

/**
 * Reads the header of a scraped plain-text article. A lone one-word first line followed by a headline is
 * a section label ("Europa") and is skipped. A first line too long to be a headline is body text: then
 * there is no title and no header.
 */
export function readPlainTextHeader(text: string): PlainTextHeader {
  const lines = [...text.matchAll(/[^\n]*(?:\n|$)/g)].map((m) => ({ text: m[0].trim(), start: m.index, end: m.index + m[0].length }));
  const nonEmpty = lines.filter((l) => l.text !== '');
  let [first, second] = nonEmpty;
  if (!first) return { headerEnd: 0 };
  if (second && /^\p{L}[\p{L}-]{0,24}$/u.test(first.text) && !/[.!?]$/.test(second.text) && second.text.length <= MAX_TITLE_CHARS) {
    first = second;
  }
  const stamp = findDateStamp(first.text);
  let title = first.text;
  if (stamp) title = title.replace(stamp.match, ' ').replace(/\s+/g, ' ').trim();
  if (title.length > MAX_TITLE_CHARS || (/[.!?]["“”’]?$/.test(title) && title.length > 120)) {
    // A lead paragraph, not a headline: it stays body text, and its opening words stand in as the title.
    return { title: shorten(title), date: stamp?.date, headerEnd: 0 };
  }
  return { title: title || undefined, date: stamp?.date, headerEnd: first.end };
}

function shorten(text: string, max = 100): string {
  const sentence = text.match(/^.+?[.!?](?=\s|$)/)?.[0] ?? text;
  if (sentence.length <= max) return sentence;
  const cut = sentence.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), 1)).replace(/[\s,;:–-]+$/, '')}…`;
}

const DE = /\b(der|die|das|und|nicht|ist|mit|von|den|dem|sich|auf|für|eine?|dass|wird|wurde)\b/gi;
const EN = /\b(the|and|not|is|with|of|to|that|for|was|were|has|have|this|which|are)\b/gi;

/** `de` or `en` by function-word counts; undefined when the text is too short to tell. */
export function guessLanguage(text: string): string | undefined {
  const de = text.match(DE)?.length ?? 0;
  const en = text.match(EN)?.length ?? 0;
  if (de + en < 5) return undefined;
  return de >= en ? 'de' : 'en';
}
