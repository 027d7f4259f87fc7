/**
 * A question, analysed once: its content words, each with the index terms that may stand for it (its own
 * forms, German translations of an English word, synonyms, the known parts of a compound the corpus does not
 * contain) and how much it says about the topic. Keyword search, the relevance evidence, the quote marking
 * and the words shown to the user all read this one plan, so they cannot disagree about what was asked.
 */
import { readFileSync } from 'node:fs';
import { analyzeToken, foldWord, SPELLING_KEY, stemWord, tokenize, wordTerms } from './analyze.ts';
import { answerType, type AnswerType } from './answer-type.ts';
import { isWeak, WEAK_SHARE } from './evidence.ts';
import { germanSynonyms, nounSynonyms } from './synonyms.ts';
import { isGermanNoun, splitCompound } from './compounds.ts';
import { dictionaryGermanFor, glossaryGermanFor, looksEnglish } from './translate.ts';

/** What the plan needs to know about the indexed passages. */
export interface Vocabulary {
  /** Whether any passage contains the term. */
  has(term: string): boolean;
  /** Whether any passage contains a term starting with this (a compound built on it). */
  hasPrefix(prefix: string): boolean;
  /** Inverse document frequency; an unknown term gets the highest value. */
  idf(term: string): number;
}

/** Compounds are found from a word's start only for words this long ("Ostsee" → "Ostseeküste"). */
export const MIN_PREFIX = 6;

/** Where an alternative comes from; `lookalike` is an English word's own stem where the coverage has it only in German words spelt alike. */
export type Source = 'own' | 'lookalike' | 'translation' | 'dictionary' | 'synonym' | 'part';

export interface Alternative {
  readonly term: string;
  /** Multiplies the term's score in keyword search: a translation or a part is weaker evidence than the word itself. */
  readonly weight: number;
  readonly source: Source;
}

export interface PlanWord {
  /** The word as the user wrote it. */
  readonly word: string;
  /** Lower case, umlauts folded, unstemmed: stemming can shorten a word past use as a prefix ("Sicherheit" → "sich"). */
  readonly folded: string;
  readonly alternatives: readonly Alternative[];
  /** Whether any passage holds one of its alternatives. */
  readonly known: boolean;
  /** How well the coverage knows it: 1 through the word or a glossary translation, less through weaker stand-ins (evidence.ts). */
  readonly knownShare: number;
  /** Rarity in the corpus (idf of its most common known form): rare words say more about what is asked. */
  readonly weight: number;
  /** Whether the word names what the question is about (a noun, a name, a number) rather than how it is phrased; see `isTopical`. */
  readonly topical: boolean;
}

export interface QueryPlan {
  readonly question: string;
  readonly english: boolean;
  /** What kind of answer the question wants, when its words say so. */
  readonly expects?: AnswerType;
  readonly words: readonly PlanWord[];
}

/**
 * How well each kind of alternative stands for the word in keyword search: a glossary translation (news
 * vocabulary, checked by hand) nearly as well as the word itself; a general dictionary's translation, a
 * thesaurus synonym or a compound's part less so.
 */
export const WEIGHTS: Readonly<Record<Exclude<Source, 'own'>, number>> = Object.freeze({ lookalike: 1, translation: 0.9, dictionary: 0.6, synonym: 0.6, part: 0.6 });
/** Synonyms taken per word, most specific first: large synsets drift from the meaning. */
export const MAX_SYNONYMS = 6;
/** Which lexical levers the plan uses; all on by default (switched off one by one to measure each). */
export interface Levers {
  readonly dictionary: boolean;
  readonly synonyms: boolean;
  readonly parts: boolean;
  /** Names of those the coverage gives a role the question asks by (roles.ts; applied in retrieve.ts). */
  readonly roles: boolean;
}
export const ALL_LEVERS: Levers = Object.freeze({ dictionary: true, synonyms: true, parts: true, roles: true });
/** Parts shorter than this match too much ("Eil|antrag" has "antrag", but "Pass|wort" should not find "Wort"). */
export const MIN_PART = 5;

/**
 * Whether a word names what is asked about: a number, or a capitalised word that does not start a sentence
 * (a German noun, a name in either language). In English, nouns are lower case: there a word with a German
 * translation the corpus uses counts as topical too. The rest is phrasing ("eigentlich", "tagging along").
 */
function isTopical(word: string, initial: boolean, english: boolean, caseless: boolean, known: boolean): boolean {
  if (/\d/.test(word) || (english && known)) return true;
  // Typed all in lower case, a German question's nouns are found by the dictionary instead of their capital.
  if (caseless && !english) return isGermanNoun(word);
  // A known capitalised word at the start is usually a name ("Selenskyj würde …"); an unknown one, a verb.
  return /^\p{Lu}/u.test(word) && (!initial || known);
}

/** The first word of each sentence of a question, whose capital says nothing. */
function sentenceInitials(question: string): Set<string> {
  return new Set(
    question
      .split(/[.?!:;]\s+/)
      .map((s) => tokenize(s)[0])
      .filter((w): w is string => !!w)
      .flatMap((w) => w.split('-')),
  );
}

/**
 * The known parts of a compound the corpus does not hold as a whole: its longest known head ("Eilantrag" →
 * "antrag") and, failing that, its longest known first part ("Garantiegeber" → "garantie"). Found in the
 * corpus's own vocabulary, so it works for any corpus without a word list; linking elements (s, es, n, en)
 * are tried on the first part.
 */
export function knownParts(lower: string, vocab: Vocabulary): string[] {
  const folded = lower;
  if (!/^\p{L}+$/u.test(folded) || folded.length < MIN_PART + 3) return [];
  for (let cut = 2; cut <= folded.length - MIN_PART; cut++) {
    // The first part, less a linking "s", must be more than a verb prefix: "ver|s|prechen" is no compound.
    // A two-letter one ("Öl|tanker") only before a long head: a short head after it is mostly a word's end.
    const first = folded.slice(0, cut).replace(/s$/, '');
    if (first.length < (folded.length - cut >= MIN_LONG_HEAD ? 2 : 3) || PREFIXES.has(first)) continue;
    const head = stemWord(folded.slice(cut));
    if (head.length >= 3 && vocab.has(head)) return [head];
  }
  for (let cut = folded.length - 3; cut >= MIN_PART; cut--) {
    const first = folded.slice(0, cut);
    for (const f of new Set([first, first.replace(/(?:es|en|s|n)$/, '')])) {
      if (f.length < MIN_PART) continue;
      const stem = stemWord(f);
      if (vocab.has(stem)) return [stem];
    }
  }
  return [];
}

const PREFIX_DATA = JSON.parse(readFileSync(new URL('./data/german-prefixes.json', import.meta.url), 'utf8')) as { inseparable: string[]; separable: string[] };
const PREFIXES = new Set([...PREFIX_DATA.inseparable, ...PREFIX_DATA.separable]);
/** A head this long may follow a two-letter first part. */
const MIN_LONG_HEAD = 6;

/** Modal particles and intensifiers: how a question is asked, not what about (data/question-particles.json). */
const PARTICLES = new Set(
  Object.entries(JSON.parse(readFileSync(new URL('./data/question-particles.json', import.meta.url), 'utf8')) as Record<string, string | string[]>)
    .filter(([key]) => key !== 'about')
    .flatMap(([, words]) => (words as string[]).map(foldWord)),
);

/** The plan's words in question order; stop words and repeated words are left out. */
export function planQuery(question: string, vocab: Vocabulary, levers: Levers = ALL_LEVERS): QueryPlan {
  const english = looksEnglish(question);
  const initials = sentenceInitials(question);
  const caseless = !/\p{Lu}/u.test(question.slice(1));
  const seen = new Set<string>();
  const words: PlanWord[] = [];
  // The parts of a hyphenated compound count separately ("Ukraine-Beauftragte"): otherwise its common
  // part ("Ukraine") alone would make every passage look like a full match.
  const tokens = tokenize(question).flatMap((t) => (/^[\p{L}-]+$/u.test(t) ? t.split('-').filter(Boolean) : [t]));
  const compounds = english ? pairCompounds(tokens, vocab) : new Map<number, string[]>();
  for (const [position, word] of tokens.entries()) {
    const own = analyzeToken(word);
    if (own.length === 0 || seen.has(own[0]!)) continue;
    if (PARTICLES.has(foldWord(word))) continue;
    seen.add(own[0]!);
    const alternatives = new Map<string, Alternative>();
    const add = (term: string, weight: number, source: Source) => {
      if (!alternatives.has(term)) alternatives.set(term, { term, weight, source });
    };
    // The analyser's first term is the word's stem; the rest are its spelling key and guessed compound heads
    // ("Sicherheits|zusagen" → "zusag"). Guessed heads are left out: "ver|s|prechen" would match every
    // "Pressesprecher". An unknown word's known parts come from the corpus instead (knownParts).
    const [primary, ...extra] = own as [string, ...string[]];
    const folded = foldWord(word);
    const primaryKnown =
      own.some((t) => t.startsWith(SPELLING_KEY) && vocab.has(t)) || vocab.has(primary) || (folded.length >= MIN_PREFIX && (vocab.hasPrefix(primary) || vocab.hasPrefix(folded)));
    // An English word whose written form the German coverage never has matches only German words spelt like
    // its stem ("best" in "beste", "starter" in "Start", "list" in "Liste"): weak evidence, and no topic.
    // Names are left alone: the coverage writes them as the question does, or the glossary translates them.
    const spelling = own.find((t) => t.startsWith(SPELLING_KEY));
    const lookalike = english && !!spelling && !vocab.has(spelling) && (!/^\p{Lu}/u.test(word) || initials.has(word));
    add(primary, lookalike ? WEIGHTS.lookalike : 1, lookalike ? 'lookalike' : 'own');
    for (const t of extra) if (t.startsWith(SPELLING_KEY) || /^\d/.test(t)) add(t, 1, 'own');
    const translations = glossaryGermanFor(word)
      .map(translationTerms)
      .filter((t) => t.length > 0);
    for (const t of translations.flat()) add(t, WEIGHTS.translation, 'translation');
    for (const t of compounds.get(position) ?? []) add(t, WEIGHTS.translation, 'translation');
    const dictionary =
      levers.dictionary && english
        ? dictionaryGermanFor(word)
            .map(translationTerms)
            .filter((t) => t.length > 0)
        : [];
    for (const t of dictionary.flat()) add(t, WEIGHTS.dictionary, 'dictionary');
    if (!english && /^\p{Ll}/u.test(word)) {
      // An inflected verb also as its infinitive, which the stemmer cuts differently: "befürchteten" →
      // "befurchtet", "befürchten" → "befurcht". Measured: the other way round (finite forms for an
      // infinitive in the question) cost more right answers than it found.
      for (const infinitive of infinitives(word.toLowerCase())) {
        const term = analyzeToken(infinitive)[0];
        if (term && term.length >= MIN_VERB_STEM && vocab.has(term)) add(term, 1, 'own');
      }
    }
    if (levers.synonyms && !english) {
      for (const synonym of synonymsOf(word).slice(0, MAX_SYNONYMS)) {
        const terms = analyzeToken(synonym);
        if (terms[0]) add(terms[0], WEIGHTS.synonym, 'synonym');
      }
    }
    // A name in the genitive ("Dmitrijews", "Trumps", "Trump's"), which the stemmer leaves alone: also the
    // name itself, even where the corpus has the genitive too (a passage saying "Trump" answers about "Trumps Plan").
    const bare = word.replace(/(?<=\p{L}{3})['’]?s$/u, '');
    if (bare !== word && (!primaryKnown || /^\p{Lu}/u.test(word))) for (const t of analyzeToken(bare)) if (vocab.has(t)) add(t, 1, 'own');
    if (!primaryKnown) {
      if (levers.parts && translations.length === 0) {
        // The dictionary's split ("Abkommens|entwurf") where the word list has the parts, and the corpus's
        // own vocabulary for what a general word list lacks (names, new compounds); measured, both beat either.
        const split = splitCompound(word)
          .map((p) => analyzeToken(p)[0])
          .filter((t): t is string => !!t && vocab.has(t));
        for (const t of [...split, ...knownParts(word.toLowerCase(), vocab)]) add(t, WEIGHTS.part, 'part');
      }
    }
    const list = [...alternatives.values()];
    // A concept is as common as its most common known wording ("NATO" = "nato", not the rare "Bündnis").
    const known = list.filter((a) => vocab.has(a.term) || (a === list[0] && primaryKnown));
    const weight = known.length ? Math.min(...known.map((a) => vocab.idf(a.term))) : vocab.idf(own[0]!);
    // A general dictionary translates phrasing too ("good" → "gut"): it makes a word known, not a topic.
    const topicalKnown = known.some((a) => a.source !== 'dictionary' && a.source !== 'lookalike');
    const knownShare = known.length === 0 ? 0 : known.some((a) => !isWeak(a.source)) ? 1 : WEAK_SHARE;
    words.push({ word, folded, alternatives: list, known: known.length > 0, knownShare, weight, topical: isTopical(word, initials.has(word), english, caseless, topicalKnown) });
  }
  const expects = answerType(question);
  return { question, english, words, ...(expects ? { expects } : {}) };
}

/**
 * The thesaurus lists verbs by their infinitive and compounds rarely: an inflected verb ("überreicht",
 * "forderte", "gefordert") is looked up by the infinitives it can come from, a compound the thesaurus lacks
 * by its head ("Antwortbrief" → "Brief" → "Schreiben"), whose synonyms then stand for the whole.
 */
export function synonymsOf(word: string): readonly string[] {
  const own = germanSynonyms(word);
  if (own.length) return own;
  if (/^\p{Ll}/u.test(word)) {
    for (const lemma of infinitives(word.toLowerCase())) {
      const found = germanSynonyms(lemma);
      if (found.length) return found;
    }
  }
  const parts = splitCompound(word);
  // The head of a noun compound is a noun: "Schutz|zusagen" takes the synonyms of "Zusage", not of the verb "zusagen".
  const head = parts.length >= 2 ? parts.at(-1)! : '';
  return head ? nounSynonyms(head.charAt(0).toUpperCase() + head.slice(1)) : [];
}

/** Infinitives an inflected German verb form may come from, likeliest first (checked against the thesaurus by the caller). */
export function infinitives(form: string): string[] {
  const found = new Set<string>();
  for (const f of form.length > 5 && form.startsWith('ge') ? [form, form.slice(2)] : [form]) {
    for (const ending of VERB_ENDINGS) {
      const stem = f.endsWith(ending) ? f.slice(0, -ending.length) : '';
      if (stem.length < 3) continue;
      // "forder|t" → "fordern", "arbeit|et" → "arbeiten"
      for (const infinitive of /e[lr]$/.test(stem) ? [`${stem}n`, `${stem}en`] : [`${stem}en`, `${stem}n`]) if (infinitive !== form) found.add(infinitive);
    }
  }
  return [...found];
}

/** An infinitive's stem shorter than this is too ambiguous to stand for the verb ("tun" → "tun"). */
const MIN_VERB_STEM = 4;

/** Endings of inflected German verb forms, longest first. */
const VERB_ENDINGS = ['test', 'tet', 'ten', 'te', 'est', 'et', 'st', 't', 'e'];

/** Linking elements between the parts of a German compound ("Sicherheit|s|garantie", "Lage|zentrum"). */
const LINKS = ['', 's', 'n', 'en', 'es', 'e'];

/**
 * German compounds for pairs of English words side by side ("fire units" → "Feuereinheiten", "air shield"
 * → "Luftschild"): where English writes two words, German writes one, which neither word's translation
 * finds on its own. A pair counts only where the corpus holds the compound, as its analysed term or
 * spelling key; it then stands for both words. Keyed by the words' positions in `tokens`.
 */
export function pairCompounds(tokens: readonly string[], vocab: Vocabulary): Map<number, string[]> {
  const found = new Map<number, string[]>();
  const german = (w: string) => [...new Set([...glossaryGermanFor(w), ...dictionaryGermanFor(w)].filter((g) => /^\p{L}+$/u.test(g)))];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [firsts, heads] = [german(tokens[i]!), german(tokens[i + 1]!)];
    if (firsts.length === 0 || heads.length === 0) continue;
    for (const first of firsts) {
      for (const head of heads) {
        for (const link of LINKS) {
          // The whole compound only: the analyser's guessed heads ("…|schild") are parts, not this compound.
          const terms = analyzeToken(`${first}${link}${head.toLowerCase()}`).filter((t, k) => k === 0 || t.startsWith(SPELLING_KEY));
          // The stemmer can cut a joined pair back to its first word ("Alaska|ende" → "alaska", as if "-end" were an ending).
          const alone = new Set([...analyzeToken(first), ...analyzeToken(head)]);
          const held = terms.filter((t) => vocab.has(t) && !alone.has(t));
          for (const at of held.length ? [i, i + 1] : []) found.set(at, [...(found.get(at) ?? []), ...held]);
        }
      }
    }
  }
  return found;
}

/**
 * The terms a translation stands for the English word by: its words as wholes, without the compound heads
 * the index adds ("Luftwaffe" for "air" is not "Waffe"), so that the matches shown as evidence are true.
 */
const translationTerms = (german: string) => tokenize(german).flatMap(wordTerms);

/** The plan as keyword-search groups: one group per word, its alternatives scored as one question term. */
export function searchGroups(plan: QueryPlan): Array<Array<{ term: string; weight: number }>> {
  return plan.words.map((w) => w.alternatives.map(({ term, weight }) => ({ term, weight })));
}
