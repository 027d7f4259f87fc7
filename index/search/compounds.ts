/**
 * Dictionary-based decompounding of German words: "Sicherheitszusagen" → sicherheit + zusagen, so that a
 * question about "Zusagen" or "Sicherheit" can reach a passage that only has the compound (and the other
 * way round). Every part must be a noun form of the German spelling dictionary (index/lexicon/
 * compound-words-de.tsv, from hunspell-de-de, GPL; see the README, "Lexical data") of at least MIN_PART
 * letters; a word that cannot be covered that way is not split at all. Short parts are not allowed
 * because they match by accident inside ordinary words ("Bot|schaft", "Ver|ein").
 */
import { lazy, readLexiconRecords } from './lexicon-file.ts';

export const COMPOUND_WORDS_FILE = 'compound-words-de.tsv';

/** The shortest part a split may have; also the shortest word the derived word list keeps. */
export const MIN_PART = 4;

/**
 * Marks in the word list after a word. `lemma`: a headword of the dictionary ("truppe"; "truppen" is
 * only a form of it). `nohead`: a noun that is mostly an ending of other words, never the last part
 * ("ionen" in Aktionen, "toren" in Motoren). `whole`: not a noun and not a compound, though it looks
 * like one ("folgende" is not Folge + ende); such words are in the list only to be left alone.
 */
export const MARKS = { lemma: 'lemma', nohead: 'nohead', whole: 'whole' } as const;

/** What the splitter knows: noun forms (lower case), their headwords, blocked heads and whole words. */
export interface CompoundLexicon {
  readonly forms: ReadonlySet<string>;
  readonly lemmas: ReadonlySet<string>;
  readonly noHeads: ReadonlySet<string>;
  readonly whole: ReadonlySet<string>;
}

const shipped = lazy((): CompoundLexicon => {
  const forms = new Set<string>();
  const lemmas = new Set<string>();
  const noHeads = new Set<string>();
  const whole = new Set<string>();
  for (const [word, ...marks] of readLexiconRecords(COMPOUND_WORDS_FILE)) {
    if (marks.includes(MARKS.whole)) {
      whole.add(word!);
      continue;
    }
    forms.add(word!);
    if (marks.includes(MARKS.lemma)) lemmas.add(word!);
    if (marks.includes(MARKS.nohead)) noHeads.add(word!);
  }
  return { forms, lemmas, noHeads, whole };
});

/**
 * Linking elements ("Fugen") a part may carry before the next one: Friedens|plan, Bundes|tag,
 * Waffen|ruhe, Kinder|garten, Sicherheits|rat. A part written without its final -e (Grenz|schutz,
 * Schul|buch) is known by its dictionary form with the -e.
 */
const LINKS = ['ens', 'es', 'en', 'er', 's', 'n', 'e'];

/**
 * The dictionary form of a part that is followed by another part, or null when it is not one. Readings:
 * the segment as written or without a linking element, else with an elided -e restored (Grenz → Grenze,
 * Hilfs → Hilfe). A headword beats a mere inflected form, a reading without elision beats one with it
 * (West|balkan is not Weste), and then the longer one wins: "truppen" is Trupp + en, "bundes" is
 * Bund + es (no headword "Bunde"). Elision is not tried when `elision` is false.
 */
export function modifier(segment: string, { forms, lemmas }: CompoundLexicon, elision = true): string | null {
  const plain = [segment];
  for (const link of LINKS) if (segment.endsWith(link)) plain.push(segment.slice(0, -link.length));
  const elided = elision ? [`${segment}e`, ...(segment.endsWith('s') ? [`${segment.slice(0, -1)}e`] : [])] : [];
  const best = (readings: string[], headword: boolean) => {
    let found: string | null = null;
    for (const r of readings) {
      if (r.length < MIN_PART || !forms.has(r) || lemmas.has(r) !== headword) continue;
      if (!found || r.length > found.length) found = r;
    }
    return found;
  };
  return best(plain, true) ?? best(elided, true) ?? best(plain, false) ?? best(elided, false);
}

const NONE: readonly string[] = Object.freeze([]);
const MAX_WORD = 60;

/**
 * splitCompound with the lexicon given (the pure core; the derive script uses it on the dictionary
 * before the word list exists). `word` must already be lower case.
 */
export function splitWith(w: string, lexicon: CompoundLexicon): readonly string[] {
  if (w.length < 2 * MIN_PART || w.length > MAX_WORD || !/^\p{L}+$/u.test(w) || lexicon.whole.has(w)) return NONE;
  const { forms, noHeads } = lexicon;
  // A word the dictionary knows as a whole is split only into parts it has as written (plus a linking
  // element): Waffenstillstand is Waffe|n|stillstand, but Russland is not Russe|land.
  const elision = !forms.has(w);
  // best[i]: the split of w.slice(i) into modifiers and a final head with the fewest parts, or undefined.
  const best: Array<string[] | undefined> = new Array<string[] | undefined>(w.length + 1);
  for (let i = w.length - MIN_PART; i >= 0; i--) {
    const tail = w.slice(i);
    // The whole word is never its own split: a known word can still be a compound (Waffenstillstand).
    let found: string[] | undefined = i > 0 && forms.has(tail) && !noHeads.has(tail) ? [tail] : undefined;
    for (let j = i + MIN_PART; j <= w.length - MIN_PART; j++) {
      const rest = best[j];
      // Ties keep the earlier find, which has the shorter first part.
      if (!rest || (found && found.length <= rest.length + 1)) continue;
      const part = modifier(w.slice(i, j), lexicon, elision);
      if (part) found = [part, ...rest];
    }
    best[i] = found;
  }
  const parts = best[0];
  return parts ? Object.freeze(parts) : NONE;
}

/** Splitting costs tens of microseconds; words repeat, so results are kept (bounded: cleared when full). */
const cache = new Map<string, readonly string[]>();
const CACHE_SIZE = 50_000;

/**
 * The parts of a German compound, lower-cased: the leading parts in their dictionary form, linking
 * elements removed, and the last part as written (it carries the inflection):
 * splitCompound('Abkommensentwurf') → ['abkommen', 'entwurf'],
 * splitCompound('Sicherheitszusagen') → ['sicherheit', 'zusagen'].
 * Of several ways to split, the one with the fewest parts wins, then the one with the shortest first
 * part. Empty when the word is not a compound of known words, is too short to be one, or is not a
 * single run of letters (hyphenated words are already split by the tokenizer). Give the word as
 * written, umlauts and ß intact: the word list is not folded ("gesprache" is not "Gespräche").
 */
export function splitCompound(word: string): readonly string[] {
  const w = word.toLowerCase();
  if (w.length < 2 * MIN_PART || w.length > MAX_WORD) return NONE;
  let parts = cache.get(w);
  if (!parts) {
    if (cache.size >= CACHE_SIZE) cache.clear();
    parts = splitWith(w, shipped());
    cache.set(w, parts);
  }
  return parts;
}

/**
 * Whether a word is a German noun (or a name) by the spelling dictionary, or a compound of them — what its
 * capital would say if it had one. For questions typed all in lower case ("wer hat den brief überreicht").
 */
export function isGermanNoun(word: string): boolean {
  const w = word.toLowerCase();
  return shipped().forms.has(w) || splitCompound(w).length > 0;
}
