import { describe, expect, it } from 'vitest';
import { LEXICAL_FORMAT_VERSION, LexicalIndex, type LexicalDoc } from '../../../index/search/lexical.ts';
import { prng } from '../../../index/prng.ts';

const docs: LexicalDoc[] = [
  { label: 10, text: 'Selenskyj fordert Sicherheitsgarantien für die Ukraine nach einem Waffenstillstand.' },
  { label: 11, heading: 'Nato-Gipfel', text: 'Die Nato-Außenminister trafen sich in Brüssel.' },
  { label: 12, text: 'Der Kreml lehnt einen Nato-Beitritt der Ukraine ab, sagte Peskow der Nachrichtenagentur.' },
  { label: 13, text: 'Das Wetter in Brüssel war regnerisch.' },
];

const labels = (index: LexicalIndex, q: string, limit = 10) => index.search(q, limit).map((h) => h.label);

/**
 * Passages of random words, a few in most passages and most in few (as in news), some repeated and some in
 * headings, so that passages come close to the most a term can add — where a wrong pruning bound shows.
 */
function generated(n: number, seed: number): LexicalDoc[] {
  const random = prng(seed);
  const vocabulary = Array.from({ length: 3000 }, (_, i) => `Wort${String.fromCharCode(97 + (i % 26))}${i}ung`);
  const pick = () => vocabulary[Math.floor(random() ** 4 * vocabulary.length)]!;
  const words = () =>
    Array.from({ length: 1 + Math.floor(random() * 8) }, () =>
      Array(1 + Math.floor(random() ** 3 * 14))
        .fill(pick())
        .join(' '),
    );
  return Array.from({ length: n }, (_, i) => ({
    label: i,
    heading: random() < 0.5 ? words().join(' ') : undefined,
    text: words().join(' '),
  }));
}

describe('keyword index', () => {
  it('finds inflected words, compounds by their first part and names in another spelling', () => {
    const index = LexicalIndex.create(docs);
    expect(labels(index, 'Sicherheitsgarantie')).toEqual([10]);
    expect(labels(index, 'Nachricht')).toEqual([12]);
    expect(labels(index, 'Selenskij')).toEqual([10]);
    expect(labels(index, 'Peskov Kreml')).toEqual([12]);
    expect(labels(index, 'Hauptstadt')).toEqual([]);
  });

  it('ranks the passage holding more of the question first, and weighs headings', () => {
    const index = LexicalIndex.create(docs);
    expect(labels(index, 'Ukraine Nato Beitritt')[0]).toBe(12);
    expect(labels(index, 'Brüssel Gipfel')[0]).toBe(11);
  });

  it("scores a word in a passage's heading by its heading alone, whether or not other texts hold it", () => {
    const a = { label: 1, heading: 'Gipfel', text: 'Alpha' };
    const alone = LexicalIndex.create([a, { label: 2, text: 'Beta' }]).search('Gipfel', 5);
    const shared = LexicalIndex.create([a, { label: 2, text: 'Gipfel' }]).search('Gipfel', 5);
    expect(shared.find((h) => h.label === 1)!.score).toBeCloseTo(alone[0]!.score, 12);
  });

  it('returns the k best passages in the order a full ranking gives', () => {
    const corpus = generated(3000, 1);
    const index = LexicalIndex.create(corpus);
    const words = [...new Set(corpus.flatMap((d) => d.text.split(' ')))];
    const random = prng(2);
    for (let i = 0; i < 200; i++) {
      const question = Array.from({ length: 1 + (i % 5) }, () => words[Math.floor(random() ** 2 * words.length)]).join(' ');
      const all = index.search(question, corpus.length);
      const k = 1 + (i % 3);
      expect(index.search(question, k)).toEqual(all.slice(0, k));
    }
  });

  it('in a large archive takes passages from the rarer words of a question, and scores them with every word', () => {
    const filler = (i: number) => `Meldung${i % 997}x Bericht${i % 89}y`;
    const docs: LexicalDoc[] = Array.from({ length: 6000 }, (_, i) => ({ label: i, text: `Alltag ${filler(i)}` }));
    docs[10] = { label: 10, text: `Seltenwort ${filler(10)}` };
    docs[20] = { label: 20, text: `Seltenwort Alltag ${filler(20)}` };
    const index = LexicalIndex.create(docs);
    // "Alltag" is in nearly every passage: it ranks the two passages with the rare word, it brings in no others.
    expect(labels(index, 'Alltag Seltenwort')).toEqual([20, 10]);
    // A question of common words alone still gets passages.
    expect(labels(index, 'Alltag', 5)).toHaveLength(5);
    // So does one whose rare word's passages a filter rejects.
    expect(index.search('Alltag Seltenwort', 3, (label) => label !== 10 && label !== 20)).toHaveLength(3);
  });

  it('in a large archive finds a passage whose rare word is only in its heading', () => {
    const docs: LexicalDoc[] = Array.from({ length: 6000 }, (_, i) => ({ label: i, text: `Zielwort Meldung${i % 997}x` }));
    docs[7] = { label: 7, heading: 'Zielwort', text: 'Meldung7x' };
    const index = LexicalIndex.create(docs);
    expect(index.search('Zielwort', 6000).map((h) => h.label)).toContain(7);
  });

  it('refuses a label it already holds', () => {
    const index = LexicalIndex.create(docs);
    expect(() => index.update({ add: [{ label: 10, text: 'neu' }] })).toThrow(/already holds passage label 10/);
    expect(index.update({ remove: [10], add: [{ label: 10, text: 'neu' }] }).size).toBe(4);
  });

  it('applies a filter before counting to the limit', () => {
    const index = LexicalIndex.create(generated(500, 3));
    const even = index.search('Worta0ung Wortb1ung', 8, (label) => label % 2 === 0);
    expect(even).toHaveLength(8);
    expect(even.every((h) => h.label % 2 === 0)).toBe(true);
    expect(even).toEqual(
      index
        .search('Worta0ung Wortb1ung', 500)
        .filter((h) => h.label % 2 === 0)
        .slice(0, 8),
    );
  });

  it('after removing and adding passages answers exactly like an index built from scratch', () => {
    const corpus = generated(400, 4);
    const removed = new Set(corpus.filter((d) => d.label % 7 === 0).map((d) => d.label));
    const added = generated(60, 5).map((d) => ({ ...d, label: 1000 + d.label }));
    const updated = LexicalIndex.create(corpus).update({ remove: removed, add: added });
    const fresh = LexicalIndex.create([...corpus.filter((d) => !removed.has(d.label)), ...added]);
    expect(updated.size).toBe(400 - removed.size + 60);
    for (const q of ['Worta0ung', 'Wortc2ung Wortd3ung Worte4ung', 'Wortb27ung Wortz25ung']) {
      expect(updated.search(q, 20)).toEqual(fresh.search(q, 20));
      expect(updated.idf(q.split(' ')[0]!.toLowerCase())).toBe(fresh.idf(q.split(' ')[0]!.toLowerCase()));
    }
    expect(updated.search('Worta0ung', 1000).some((h) => removed.has(h.label))).toBe(false);
  });

  it('searched as several segments with removed passages, scores exactly like one index of the live passages', () => {
    const corpus = generated(6000, 7);
    const removed = new Set(corpus.filter((d) => d.label % 5 === 0 && d.label < 4000).map((d) => d.label));
    const segments = [corpus.slice(0, 3000), corpus.slice(3000, 5500), corpus.slice(5500)].map((docs) => LexicalIndex.create(docs));
    const combined = LexicalIndex.combine(segments.map((index) => ({ index, removed })));
    const one = LexicalIndex.create(corpus.filter((d) => !removed.has(d.label)));
    expect(combined.size).toBe(one.size);
    for (const q of ['Worta0ung', 'Wortc2ung Wortd3ung Worte4ung', 'Wortb27ung Wortz25ung Worta26ung', 'Wortb1ung']) {
      expect(combined.search(q, 30)).toEqual(one.search(q, 30));
      const even = (label: number) => label % 2 === 0;
      expect(combined.search(q, 10, even)).toEqual(one.search(q, 10, even));
      expect(combined.idf(q.split(' ')[0]!.toLowerCase())).toBeCloseTo(one.idf(q.split(' ')[0]!.toLowerCase()), 12);
    }
    // A prefix reaches compounds in every segment, and a term left only in removed passages is gone.
    expect(combined.search('Wortc28', 20)).toEqual(one.search('Wortc28', 20));
    const onlyRemoved = LexicalIndex.combine([{ index: LexicalIndex.create([{ label: 1, text: 'Einzelwort' }]), removed: new Set([1]) }]);
    expect(onlyRemoved.has('einzelwort')).toBe(false);
    expect(onlyRemoved.search('Einzelwort', 5)).toEqual([]);
  });

  it('joins segments into one without their removed passages, as one index built from them', () => {
    const corpus = generated(800, 8);
    const removed = new Set([3, 17, 400, 401, 799]);
    const joined = LexicalIndex.concat([
      { index: LexicalIndex.create(corpus.slice(0, 400)), removed },
      { index: LexicalIndex.create(corpus.slice(400)), removed },
    ]);
    const one = LexicalIndex.create(corpus.filter((d) => !removed.has(d.label)));
    expect(joined.encode()).toEqual(one.encode());
  });

  it('leaves the index it was updated from unchanged', () => {
    const index = LexicalIndex.create(docs);
    index.update({ remove: [12] });
    expect(labels(index, 'Peskow')).toEqual([12]);
  });

  it('reads back what it wrote, and refuses another format version', () => {
    const index = LexicalIndex.create(generated(300, 6));
    const copy = LexicalIndex.decode(index.encode());
    expect(copy.search('Worta0ung Wortf5ung', 10)).toEqual(index.search('Worta0ung Wortf5ung', 10));
    expect(copy.has('wortf5ung')).toBe(true);
    expect(LexicalIndex.decode(LexicalIndex.create().encode()).size).toBe(0);

    const bytes = Buffer.from(index.encode());
    const json = bytes.toString('latin1');
    const at = json.indexOf(`"formatVersion":${LEXICAL_FORMAT_VERSION}`);
    expect(at).toBeGreaterThanOrEqual(0);
    bytes.write('"formatVersion":9', at, 'latin1');
    expect(() => LexicalIndex.decode(bytes)).toThrow(new RegExp(`keyword index format 9 is not ${LEXICAL_FORMAT_VERSION}`));
  });

  it('knows which terms occur and how rare they are', () => {
    const index = LexicalIndex.create(docs);
    expect(index.has('brussel')).toBe(true);
    expect(index.has('moskau')).toBe(false);
    expect(index.idf('moskau')).toBeGreaterThan(index.idf('brussel'));
    expect(index.idf('brussel')).toBeGreaterThan(index.idf('ukrain') - 1e-9);
  });
});
