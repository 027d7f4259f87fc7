import { describe, expect, it } from 'vitest';
import { analyzeToken } from '../../../index/search/analyze.ts';
import { matchedForms } from '../../../index/search/evidence.ts';
import { LexicalIndex } from '../../../index/search/lexical.ts';
import { infinitives, knownParts, pairCompounds, planQuery, searchGroups, synonymsOf } from '../../../index/search/plan.ts';
import { relevanceWeights } from '../../../index/search/relevance.ts';

const corpus = LexicalIndex.create([
  { label: 1, text: 'Die Ukraine hat einen Antrag auf Beitritt gestellt.' },
  { label: 2, text: 'Kremlsprecher Dmitri Peskow sprach von Garantien und einer Waffenruhe.' },
  { label: 3, text: 'Der Pressesprecher las vor. Dmitrijew reiste an die Ostseeküste.' },
  { label: 4, text: 'Trumps Plan liegt vor; Trump selbst schweigt genau dazu.' },
  { label: 5, text: 'Kiew und der Westen befürchten einen Angriff.' },
]);

const word = (question: string, w: string) => planQuery(question, corpus).words.find((x) => x.word === w)!;

describe('planQuery', () => {
  it('stands an unknown compound in for its known head or first part', () => {
    expect(knownParts('eilantrag', corpus)).toEqual(analyzeToken('Antrag').slice(0, 1));
    expect(knownParts('garantiegeber', corpus)).toEqual(analyzeToken('Garantien').slice(0, 1));
    const eil = word('Wann kam der Eilantrag?', 'Eilantrag');
    expect(eil.known).toBe(true);
    expect(eil.alternatives.find((a) => a.source === 'part')?.weight).toBeLessThan(1);
    expect(knownParts('passwort', corpus)).toEqual([]);
    // A two-letter first part before a long head, but never a verb prefix.
    const tankers = LexicalIndex.create([{ label: 1, text: 'Die Tanker und die Stimmung an Bord.' }]);
    expect(knownParts('öltanker', tankers)).toEqual(analyzeToken('Tanker').slice(0, 1));
    expect(knownParts('abstimmung', tankers)).toEqual([]);
  });

  it('knows a name in the genitive and a word that starts a known compound', () => {
    expect(word('Was sagte Dmitrijews Delegation?', 'Dmitrijews').known).toBe(true);
    expect(word('Was geschah an der Ostsee?', 'Ostsee').known).toBe(true);
    expect(word('Was geschah in Vilnius?', 'Vilnius').known).toBe(false);
  });

  it('also searches a name in the genitive as the name itself where the corpus has both', () => {
    const trumps = word('Was steht in Trumps Plan?', 'Trumps');
    expect(trumps.alternatives.map((a) => a.term)).toEqual(expect.arrayContaining(['trumps', 'trump']));
  });

  it('also searches an inflected German verb as its infinitive, which the stemmer cuts differently', () => {
    const feared = word('Was befürchteten die Partner?', 'befürchteten');
    expect(feared.alternatives.map((a) => a.term)).toContain(analyzeToken('befürchten')[0]);
    expect(corpus.searchGroups(searchGroups(planQuery('Was befürchteten die Partner?', corpus)), 1)[0]?.label).toBe(5);
  });

  it("takes a translation as a whole word, never its compound's head: 'air' (Luftwaffe) does not match 'Waffen'", () => {
    const plan = planQuery('Who controls the air?', corpus);
    expect(plan.words.find((w) => w.word === 'air')!.alternatives.map((a) => a.term)).not.toContain(analyzeToken('Waffen')[0]);
    expect(matchedForms(plan.words, 'Die Waffen schweigen.')).toEqual([]);
    expect(matchedForms(plan.words, 'Die Luftwaffe fliegt.')).toEqual(['Luftwaffe']);
  });

  it('takes an English word the coverage only has in German words spelt alike as weak evidence and no topic', () => {
    const german = LexicalIndex.create([{ label: 1, text: 'Der beste Start gelang Trump.' }]);
    const plan = planQuery('Best recipe for a sourdough starter from Trump?', german);
    const best = plan.words.find((w) => w.word === 'Best')!;
    expect(best.alternatives[0]!.source).toBe('lookalike');
    expect(best.topical).toBe(false);
    expect(plan.words.find((w) => w.word === 'starter')!.topical).toBe(false);
    // A name is written as the question writes it.
    expect(plan.words.find((w) => w.word === 'Trump')!.alternatives[0]!.source).toBe('own');
    expect(relevanceWeights(planQuery('Best recipe for a sourdough starter?', german)).familiarity).toBe(0);
  });

  it('leaves modal particles and intensifiers out of the plan, though the corpus has them', () => {
    const words = (q: string) => planQuery(q, corpus).words.map((w) => w.word);
    expect(words('Was sagte Trump eigentlich genau?')).toEqual(['Trump']);
    expect(words('What exactly did Trump really say?')).toEqual(['Trump']);
  });

  it('translates English words and counts a word with its translations once in keyword search', () => {
    const plan = planQuery('What about the ceasefire?', corpus);
    const ceasefire = plan.words.find((w) => w.word === 'ceasefire')!;
    expect(ceasefire.alternatives.some((a) => a.source === 'translation' && a.term === analyzeToken('Waffenruhe')[0])).toBe(true);
    expect(ceasefire.known).toBe(true);
    expect(searchGroups(plan)).toHaveLength(plan.words.length);
    expect(corpus.searchGroups(searchGroups(plan), 3)[0]!.label).toBe(2);
  });

  it('tells topic words from phrasing: names, nouns and numbers are topical, lower-case German words and a verb that opens the question are not', () => {
    const plan = planQuery('Steht im Friedensplan vielleicht bald 2022?', corpus);
    const topical = Object.fromEntries(plan.words.map((w) => [w.word, w.topical]));
    expect(topical).toMatchObject({ Steht: false, Friedensplan: true, bald: false, 2022: true });
    expect(planQuery('How many drones?', corpus).expects).toBe('quantity');
    expect(planQuery('Wer sprach?', corpus).expects).toBeUndefined();
  });

  it('finds the German compound for two English words side by side, only where the corpus holds it', () => {
    const units = LexicalIndex.create([{ label: 1, text: 'Bislang verlassen pro Jahr nur sechs Feuereinheiten das Werk.' }]);
    const plan = planQuery('How many fire units a year does the factory build?', units);
    const compound = analyzeToken('Feuereinheiten')[0]!;
    for (const w of ['fire', 'units']) expect(plan.words.find((x) => x.word === w)!.alternatives.some((a) => a.term === compound)).toBe(true);
    expect(units.searchGroups(searchGroups(plan), 1)[0]?.label).toBe(1);
    expect(pairCompounds(['fire', 'units'], corpus).size).toBe(0);
    // Not across words that are not side by side.
    expect(pairCompounds(['fire', 'the', 'units'], units).size).toBe(0);
    // Nor where the stemmer cuts the pair back to one of its words ("Alaska|ende" → "alaska").
    const alaska = LexicalIndex.create([{ label: 1, text: 'Das Treffen in Alaska endete ohne Ergebnis.' }]);
    expect(pairCompounds(['Alaska', 'end'], alaska).size).toBe(0);
  });

  it('looks up inflected verbs by their infinitive and unknown compounds by their head in the thesaurus', () => {
    expect(infinitives('überreicht')).toContain('überreichen');
    expect(infinitives('arbeitet')).toContain('arbeiten');
    expect(infinitives('kommentiert')).toContain('kommentieren');
    expect(infinitives('gefordert')).toContain('fordern');
    expect(synonymsOf('überreicht')).toContain('übergeben');
    expect(synonymsOf('Antwortbrief')).toContain('Schreiben');
    // The head of a noun compound is a noun: the synonyms of "Zusage", not of the verb "zusagen" (gefallen).
    expect(synonymsOf('Schutzzusagen')).toContain('Versprechen');
    expect(synonymsOf('Schutzzusagen')).not.toContain('gefallen');
    expect(synonymsOf('Feuerpause')).toContain('Waffenruhe');
    expect(synonymsOf('Xqzvbrief')).toEqual([]);
  });

  it('shows as evidence only the forms that stand in the passage, never an unrelated compound', () => {
    const plan = planQuery('What did they say about the ceasefire and the Kremlin?', corpus);
    // A translation matches as it stands ("Kreml"), not inside compounds: only the word itself is extended.
    expect(matchedForms(plan.words, 'Der Kreml sprach von einer Waffenruhe, der Kremlsprecher schwieg.')).toEqual(['Kreml', 'Waffenruhe']);
    const promise = planQuery('Was versprechen sie?', corpus);
    expect(matchedForms(promise.words, 'Der Pressesprecher las vor.')).toEqual([]);
  });
});
