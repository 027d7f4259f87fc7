import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopwords as germanStopwords } from '@orama/stopwords/german';
import { describe, expect, it } from 'vitest';
import { COMPOUND_WORDS_FILE, MARKS } from '../../../index/search/compounds.ts';
import { GLOSSARY_FILE } from '../../../index/search/translate.ts';
import { LEXICON_DIR, readLexiconRecords, readLexiconTable } from '../../../index/search/lexicon-file.ts';

const entries = readLexiconRecords(GLOSSARY_FILE, 2);
const headerLines = readFileSync(join(LEXICON_DIR, GLOSSARY_FILE), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('#'));
const keys = entries.map(([key]) => key!);
const GERMAN_STOPWORDS = new Set(germanStopwords.map((w) => w.toLowerCase()));
/** A German word, a hyphenated compound, or a name of several such words ("Vereinigte Staaten"). */
const GERMAN_TERM = /^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*(?: [\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*)*$/u;

describe('the English → German glossary data file', () => {
  it('says where it comes from and what its rules are', () => {
    const header = headerLines.join('\n');
    expect(header).toMatch(/Source: written by hand for this project/);
    expect(header).toMatch(/Rules/);
  });

  it('holds the whole glossary, sorted by key, each key once', () => {
    expect(entries.length).toBeGreaterThan(2400);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('has single lowercase English words as keys', () => {
    expect(keys.filter((k) => !/^[a-z][a-z0-9]*$/.test(k))).toEqual([]);
  });

  it('leaves out keys that are German words with another meaning', () => {
    expect(keys.filter((k) => GERMAN_STOPWORDS.has(k))).toEqual([]);
    // The header's own examples, which are not all in the stop word list.
    expect(keys.filter((k) => ['war', 'die', 'hat', 'fall', 'last', 'still'].includes(k))).toEqual([]);
  });

  it('has German nouns as keys only where reviewed (listed in the header) or translated with the same word', () => {
    const reviewed = new Set(headerLines.filter((l) => l.startsWith('#   reviewed: ')).flatMap((l) => l.slice('#   reviewed: '.length).split(' ')));
    const germanNouns = new Set(
      readLexiconRecords(COMPOUND_WORDS_FILE)
        .filter(([, mark]) => mark !== MARKS.whole)
        .map(([w]) => w!),
    );
    const unreviewed = entries.filter(([key, ...german]) => germanNouns.has(key!) && !reviewed.has(key!) && !german.some((g) => g.toLowerCase() === key));
    expect(unreviewed).toEqual([]);
    // The list stays honest: every reviewed key is in the glossary and really is a German noun.
    expect([...reviewed].filter((k) => !keys.includes(k) || !germanNouns.has(k))).toEqual([]);
    expect(reviewed.size).toBeGreaterThan(100);
  });

  it('gives each key German words, hyphenated compounds or names, none twice', () => {
    const bad = entries.filter(([, ...german]) => german.some((g) => !GERMAN_TERM.test(g)) || new Set(german).size !== german.length);
    expect(bad).toEqual([]);
  });
});

describe('reading a lexicon file', () => {
  it('skips comments and blank lines and names the file and line of a malformed record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quotedesk-lexicon-'));
    writeFileSync(join(dir, 'good.tsv'), '# comment\n\na\tb\tc\n');
    expect(readLexiconRecords('good.tsv', 2, dir)).toEqual([['a', 'b', 'c']]);
    writeFileSync(join(dir, 'bad.tsv'), '# comment\na\tb\nlonely\n');
    expect(() => readLexiconRecords('bad.tsv', 2, dir)).toThrow(/bad\.tsv:3: .*"lonely"/);
    writeFileSync(join(dir, 'empty-field.tsv'), 'a\t\tb\n');
    expect(() => readLexiconRecords('empty-field.tsv', 2, dir)).toThrow(/empty-field\.tsv:1/);
  });

  it('reads a key–values table, refusing keys without values, empty fields and a key twice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quotedesk-lexicon-'));
    writeFileSync(join(dir, 'good.tsv'), '# comment\nceasefire\tWaffenruhe\tFeuerpause\n\nkremlin\tKreml\n');
    expect([...readLexiconTable('good.tsv', dir)]).toEqual([
      ['ceasefire', 'Waffenruhe\tFeuerpause'],
      ['kremlin', 'Kreml'],
    ]);
    for (const [name, text] of [
      ['lonely', 'a\tb\nlonely\n'],
      ['empty', 'a\t\tb\n'],
      ['trailing', 'a\tb\t\n'],
      ['twice', 'a\tb\na\tc\n'],
    ]) {
      writeFileSync(join(dir, `${name}.tsv`), text!);
      expect(() => readLexiconTable(`${name}.tsv`, dir), name).toThrow(new RegExp(`${name}\\.tsv:\\d`));
    }
  });
});
