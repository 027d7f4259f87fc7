/**
 * Sentence boundaries for German and English news text. Intl.Segmenter does the work; on its own it
 * breaks after abbreviations ("z. B.", "Dr.") and ordinals ("13. April"), so those breaks are undone.
 */

const segmenter = new Intl.Segmenter('de', { granularity: 'sentence' });

/** Words that end with a period without ending the sentence (lower-cased, without the period). */
const ABBREVIATIONS = new Set(
  (
    'z b d h u a o ä v g s vgl bzw usw etc ca dr prof nr abs art bsp evtl ggf inkl jh jhd mio mrd ' +
    'st str tel hr fr frau hrsg sog zit zt zb dh ua uä dt engl franz russ ukr amerik mr mrs ms jr sr ' +
    'gen lt oberstlt col sen rep gov vs jan feb mär apr jun jul aug sep sept okt nov dez mi ' +
    'min max bzgl einschl allg entspr u.a z.b d.h v.a'
  ).split(' '),
);

/**
 * Weekday abbreviations that are also words ("es war so.", "I do."): abbreviations only as written, capitalised,
 * and after another word ("am So. Abend"), so that a sentence ending in the word, or the word alone, still ends.
 */
const CAPITALISED_ABBREVIATIONS = new Set(['So', 'Do']);

function breaksFalsely(before: string, after: string): boolean {
  if (/^[\p{Ll}\d,;:)\]]/u.test(after)) return true; // a sentence does not start in lower case or with a digit
  const match = before.match(/([\p{L}.]+)\.\s*$/u);
  const lastWord = match?.[1];
  if (lastWord && (ABBREVIATIONS.has(lastWord.toLowerCase()) || /^\p{Lu}$/u.test(lastWord))) return true; // "Dr.", initials "M."
  if (lastWord && CAPITALISED_ABBREVIATIONS.has(lastWord) && /[\p{L}\d]/u.test(before.slice(0, match.index))) return true;
  if (/(?:^|\s)\d{1,2}\.\s*$/.test(before)) return true; // ordinals and day numbers: "13. April", "2. Weltkrieg"
  return false;
}

/** [start, end) ranges of the sentences of `text` (offsets into `text`, trailing spaces trimmed). */
export function sentenceRanges(text: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const { index, segment } of segmenter.segment(text)) {
    const end = index + segment.trimEnd().length;
    const last = ranges.at(-1);
    if (last && breaksFalsely(text.slice(last[0], last[1] + 1), segment)) {
      last[1] = end;
    } else if (end > index) {
      const lead = segment.length - segment.trimStart().length;
      ranges.push([index + lead, end]);
    }
  }
  return ranges.filter(([s, e]) => e > s);
}
