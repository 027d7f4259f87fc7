/**
 * Regenerates the lexical data files in index/lexicon/ from Debian packages (README, "Lexical data"):
 *
 *   apt-get install -y trans-de-en openthesaurus-de-text hunspell-de-de hunspell-tools
 *   npm run derive-lexicon
 *
 * Reads only the installed package files; writes compact, sorted, diffable text files with a header
 * naming the source package, its version and its licence. The rules that decide what is kept are the
 * constants below; each file's header repeats them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stopwords as englishStopwords } from '@orama/stopwords/english';
import { stopwords as germanStopwords } from '@orama/stopwords/german';
import { COMPOUND_WORDS_FILE, MARKS, MIN_PART, modifier, splitWith, type CompoundLexicon } from '../index/search/compounds.ts';
import { DICTIONARY_FILE } from '../index/search/translate.ts';
import { SYNONYMS_FILE } from '../index/search/synonyms.ts';
import { LEXICON_DIR } from '../index/search/lexicon-file.ts';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: LEXICON_DIR },
    ding: { type: 'string', default: '/usr/share/trans/de-en' },
    thesaurus: { type: 'string', default: '/usr/share/openthesaurus-de/openthesaurus.txt' },
    hunspell: { type: 'string', default: '/usr/share/hunspell/de_DE' },
  },
});

/** At most this many German words per English word from the dictionary: the best-attested ones. */
const MAX_TRANSLATIONS = 4;
/** A German word the dictionary uses on fewer lines than this (examples included) is too rare to add. */
const MIN_GERMAN_LINES = 2;
/** Synsets with more single words than this are too loose to be synonyms (OpenThesaurus's big ones mix senses). */
const MAX_SYNSET = 12;
/** A noun ending at least this many dictionary nouns can be marked as a mere ending (see deriveCompoundWords). */
const NOHEAD_MIN = 20;
/** …and is marked when fewer than this share of those nouns have a German word before it. */
const NOHEAD_SHARE = 0.2;
/** Thesaurus terms with one of these marks are left out: colloquial, vulgar, dated, jargon, joking, regional. */
const THESAURUS_DROPPED = new RegExp(
  `(?<!\\p{L})(${'ugs|derb|vulg|abwertend|scherzhaft|veraltet|veraltend|jargon|gehoben|geh|fachspr|regional|norddeutsch|süddeutsch|österr|schweiz|bayr|schwäbisch|berlinerisch|rheinisch|sächsisch|Jugendsprache|Soldatensprache|Gaunersprache|Kindersprache|lat|engl|franz|ital|span|griechisch|fig|ironisch|salopp|poetisch|selten|historisch|Amtsdeutsch|DDR|NS|Schimpfwort'})(?!\\p{L})`,
  'iu',
);
/**
 * Dictionary pairs with one of these labels are left out: register and region marks, and the taxonomy
 * and lab sciences, whose senses news never means. Other subject fields stay ("Auge [anat.]", "Truppe [mil.]").
 */
const DING_DROPPED =
  /\[(ugs|coll|slang|vulg|pej|obs|veraltet|rare|selten|humor|poet|dialect|Ös|Schw|Bayr|Norddt|Süddt|Mittelostdt|Westdt|Ostdt|BW|Sächs|Schwäb|Lux|Südtirol|Austr|NZ|Sc|Ir|Can|SAfr|Ind|eAm|ornith|bot|zool|entom|ichth|myc|chem|biochem|mineral|min|geol|textil|print|chess|hort|zoot)\b[^\]]*\]/;

const version = (pkg: string) => execFileSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' });
const lines = (file: string) => readFileSync(file, 'utf8').split('\n');
const header = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => `# ${l}`.trimEnd())
    .join('\n') + '\n';
const GERMAN_STOPWORDS = new Set(germanStopwords.map((w) => w.toLowerCase()));
const ENGLISH_STOPWORDS = new Set(englishStopwords.map((w) => w.toLowerCase()));

/**
 * Every German word form the spelling dictionary accepts on its own, by expanding its affixes with
 * hunspell's `unmunch`, and its noun headwords (lemmas). Forbidden entries (flag d), the lower-case
 * copies it keeps only for the inside of compounds (flag o) and the pseudo-roots that are no word on
 * their own ("Grenz", "Press": flag h) are dropped first; so are forms unmunch prints with leftover flags.
 */
function germanForms(): { all: Set<string>; nouns: Set<string>; lemmas: Set<string> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'quotedesk-derive-'));
  try {
    const dic = lines(`${args.hunspell}.dic`).filter((l) => !/^\s/.test(l) && !/\/\S*[doh]/.test(l));
    const lemmas = new Set(
      dic
        .slice(1)
        .map((l) => l.split('/')[0]!)
        .filter((w) => /^\p{Lu}\p{Ll}+$/u.test(w))
        .map((w) => w.toLowerCase()),
    );
    writeFileSync(path.join(dir, 'de.dic'), `${dic.length}\n${dic.slice(1).join('\n')}\n`);
    const out = execFileSync('unmunch', [path.join(dir, 'de.dic'), `${args.hunspell}.aff`], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const all = new Set<string>();
    const nouns = new Set<string>();
    for (const form of out.split('\n')) {
      if (!/^\p{L}+$/u.test(form)) continue;
      all.add(form.toLowerCase());
      if (/^\p{Lu}\p{Ll}/u.test(form)) nouns.add(form.toLowerCase());
    }
    return { all, nouns, lemmas };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The compound splitter's word list: German noun forms of at least MIN_PART letters, headwords marked.
 * Two data-driven marks keep it precise. A noun is marked `nohead` when it is mostly a mere ending: of
 * the at least NOHEAD_MIN nouns ending in it (after at least MIN_PART letters), under NOHEAD_SHARE have a
 * German word of any kind before it ("ionen": Positionen, Religionen; not "forderung": Herausforderung). A
 * non-noun form the splitter would still split ("folgende", "vereinbart") is listed as `whole`.
 */
function deriveCompoundWords(all: Set<string>, nouns: Set<string>, lemmas: Set<string>): { text: string; count: number } {
  const forms = new Set([...nouns].filter((w) => w.length >= MIN_PART && !GERMAN_STOPWORDS.has(w)));
  const plain: CompoundLexicon = { forms, lemmas, noHeads: new Set(), whole: new Set() };
  const anyWord: CompoundLexicon = { ...plain, forms: new Set([...all, ...GERMAN_STOPWORDS].filter((w) => w.length >= MIN_PART)) };
  const endings = new Map<string, { nouns: number; compounds: number }>();
  for (const noun of forms) {
    for (let k = MIN_PART; k <= noun.length - MIN_PART; k++) {
      const head = noun.slice(k);
      if (!forms.has(head)) continue;
      const stat = endings.get(head) ?? { nouns: 0, compounds: 0 };
      stat.nouns++;
      if (modifier(noun.slice(0, k), anyWord)) stat.compounds++;
      endings.set(head, stat);
    }
  }
  const noHeads = new Set([...endings].filter(([, s]) => s.nouns >= NOHEAD_MIN && s.compounds < s.nouns * NOHEAD_SHARE).map(([h]) => h));
  const marked: CompoundLexicon = { ...plain, noHeads };
  const whole = [...all].filter((w) => !nouns.has(w) && splitWith(w, marked).length > 0);
  const rows = [
    ...[...forms].map((w) => [w, ...(lemmas.has(w) ? [MARKS.lemma] : []), ...(noHeads.has(w) ? [MARKS.nohead] : [])].join('\t')),
    ...whole.map((w) => `${w}\t${MARKS.whole}`),
  ].sort();
  const text =
    header(`German noun forms for dictionary-based decompounding (quotedesk, index/search/compounds.ts).
Derived by scripts/derive-lexicon.ts from the Debian package hunspell-de-de ${version('hunspell-de-de')}
(igerman98 by Björn Jacke, de_DE.dic/.aff expanded with hunspell's unmunch).
Licence: GPL-2 or GPL-3 (igerman98), like its source; see LICENSES.md beside this file.
Kept: every capitalised form (noun) of at least ${MIN_PART} letters, lower-cased; no stop words.
One word per line, sorted, then its marks: "${MARKS.lemma}" for a headword of the dictionary (Truppe, not
Truppen); "${MARKS.nohead}" for a noun that is mostly an ending of other nouns (of at least ${NOHEAD_MIN}
nouns ending in it after ${MIN_PART}+ letters, under ${NOHEAD_SHARE * 100} % have a German word before it: Positionen), never a
compound's last part; "${MARKS.whole}" for a word the dictionary knows that is no noun but would split ("folgende").`) +
    rows.join('\n') +
    '\n';
  return { text, count: rows.length };
}

/** One OpenThesaurus term as a single word, or null when it is a phrase or marked as not neutral. */
function thesaurusWord(term: string): string | null {
  const marks = [...term.matchAll(/\(([^)]*)\)/g)].map((m) => m[1]!).join(' ');
  if (THESAURUS_DROPPED.test(marks)) return null;
  const word = term.replace(/\([^)]*\)/g, ' ').trim();
  return /^\p{L}+(?:-\p{L}+)*$/u.test(word) && word.length >= 2 ? word : null;
}

function deriveSynonyms(): { text: string; count: number } {
  const synsets = new Set<string>();
  for (const line of lines(args.thesaurus)) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const words = [
      ...new Set(
        line
          .split(';')
          .map(thesaurusWord)
          .filter((w): w is string => w !== null),
      ),
    ];
    if (words.length < 2 || words.length > MAX_SYNSET) continue;
    synsets.add(words.join('\t'));
  }
  const sorted = [...synsets].sort((a, b) => a.localeCompare(b, 'de'));
  const text =
    header(`German synonym sets for question expansion (quotedesk, index/search/synonyms.ts).
Derived by scripts/derive-lexicon.ts from the Debian package openthesaurus-de-text ${version('openthesaurus-de-text')}
(OpenThesaurus, www.openthesaurus.de, by Daniel Naber and contributors).
Licence: LGPL-2.1 or later, like its source; see LICENSES.md beside this file.
Kept: single words (hyphenated ones too) of each synset; terms marked colloquial, vulgar, pejorative, dated,
elevated, technical, regional, foreign or figurative are left out; then synsets of 2 to ${MAX_SYNSET} words.
One synset per line, its words separated by tabs.`) +
    sorted.join('\n') +
    '\n';
  return { text, count: sorted.length };
}

/** A Ding side's alternatives ("Feuerpause {f}; Waffenruhe {f} (zwischen jdm.)") as single words, or null for phrases. */
function dingWords(side: string, english: boolean): Array<string | null> {
  return side.split(';').map((alt) => {
    if (DING_DROPPED.test(alt)) return null;
    let s = alt.replace(/\{[^}]*\}|\([^)]*\)|\[[^\]]*\]|<[^>]*>/g, ' ');
    s = english ? s.replace(/^\s*to\s+/, ' ').replace(/\b(sth|sb|so)\.|\bsomething\b|\bsomebody\b/g, ' ') : s.replace(/\b(etw|jdm|jdn|jds|jd)\.|\bsich\b/g, ' ');
    s = s.trim();
    return /^\p{L}+(?:-\p{L}+)*$/u.test(s) ? s : null;
  });
}

/**
 * English single word → the German single words the Ding dictionary gives for it, best first: by the
 * number of dictionary lines giving the pair, then by how common the German word is (the number of lines
 * whose German side uses it, examples included), then by dictionary order. German words used on fewer
 * than MIN_GERMAN_LINES lines are dropped as rare. Of a verb entry only the infinitive is used: its
 * inflected forms collide with English nouns ("troops" → "strömt") and give German participles news does
 * not use ("setting" → "setzend"); translate.ts reduces English inflections to the infinitive itself.
 * English stop words ("the" → "dem") are no keys. English keys that are German words too
 * (a form the German spelling dictionary knows, or a stop word) are left out, even when they share a
 * sense ("still", "minister" → Pfarrer): a German question would pick up translations of an English
 * word it never contained — the glossary's own rule.
 */
function deriveDictionary(germanWords: Set<string>): { text: string; count: number } {
  const entries = lines(args.ding)
    .filter((l) => !l.startsWith('#') && l.includes(' :: '))
    .map((l) => l.split(' :: ') as [string, string]);
  const germanLines = new Map<string, number>();
  for (const [de] of entries) {
    for (const w of new Set(de.match(/\p{L}+(?:-\p{L}+)*/gu) ?? [])) germanLines.set(w, (germanLines.get(w) ?? 0) + 1);
  }
  const pairs = new Map<string, Map<string, { lines: number; order: number }>>();
  let order = 0;
  for (const [de, en] of entries) {
    const deParts = de.split(' | ');
    const enParts = en.split(' | ');
    if (deParts.length !== enParts.length) continue;
    const verbEntry = /^\s*to\s/.test(enParts[0]!);
    const seen = new Set<string>();
    deParts.forEach((dePart, i) => {
      const germans = dingWords(dePart, false).filter((g): g is string => g !== null && (germanLines.get(g) ?? 0) >= MIN_GERMAN_LINES);
      for (const e of dingWords(enParts[i]!, true)) {
        if (e === null || !/^[A-Za-z]+$/.test(e) || (verbEntry && i > 0)) continue;
        const key = e.toLowerCase();
        if (key.length < 3 || ENGLISH_STOPWORDS.has(key)) continue;
        for (const g of germans) {
          if (g.toLowerCase() === key || seen.has(`${key}\t${g}`)) continue;
          seen.add(`${key}\t${g}`);
          const forKey = pairs.get(key) ?? new Map<string, { lines: number; order: number }>();
          pairs.set(key, forKey);
          const stat = forKey.get(g) ?? { lines: 0, order: order++ };
          stat.lines++;
          forKey.set(g, stat);
        }
      }
    });
  }
  const rows = [...pairs.entries()]
    .filter(([key]) => !germanWords.has(key) && !GERMAN_STOPWORDS.has(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, forKey]) => {
      const best = [...forKey.entries()]
        .sort(([ga, a], [gb, b]) => b.lines - a.lines || germanLines.get(gb)! - germanLines.get(ga)! || a.order - b.order)
        .slice(0, MAX_TRANSLATIONS)
        .map(([g]) => g);
      return [key, ...best].join('\t');
    });
  const text =
    header(`English → German single-word translations (quotedesk, index/search/translate.ts, after the glossary).
Derived by scripts/derive-lexicon.ts from the Debian package trans-de-en ${version('trans-de-en')}
(Ding German-English dictionary, Frank Richter, TU Chemnitz, https://dict.tu-chemnitz.de/).
Licence: GPL-2 or later, like its source; see LICENSES.md beside this file.
Kept: pairs of aligned sub-entries where both sides are one word (German hyphenated compounds too; "to",
"sth.", "etw.", "sich" and grammar marks removed); not labelled colloquial, vulgar, dated, rare, regional or
from the taxonomy and lab sciences; of a verb entry only the infinitive. German words used on fewer
than ${MIN_GERMAN_LINES} dictionary lines are dropped as rare. English keys have at least 3 letters, are no
English stop words and no German words (no form the German spelling dictionary knows, no stop word). Per key the
${MAX_TRANSLATIONS} best German words: most dictionary lines giving the pair, then the more common German word.
One entry per line: the English word, then its German words, separated by tabs; sorted by key.`) +
    rows.join('\n') +
    '\n';
  return { text, count: rows.length };
}

function write(name: string, text: string, count: number, what: string) {
  const file = path.join(args.out, name);
  writeFileSync(file, text);
  console.log(`${name}: ${count} ${what}, ${(statSync(file).size / 1024).toFixed(0)} KiB`);
}

const { all, nouns, lemmas } = germanForms();
const compoundWords = deriveCompoundWords(all, nouns, lemmas);
write(COMPOUND_WORDS_FILE, compoundWords.text, compoundWords.count, 'words');
const synonyms = deriveSynonyms();
write(SYNONYMS_FILE, synonyms.text, synonyms.count, 'synsets');
const dictionary = deriveDictionary(all);
write(DICTIONARY_FILE, dictionary.text, dictionary.count, 'English words');
