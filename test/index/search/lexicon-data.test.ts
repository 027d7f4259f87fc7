import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOUND_WORDS_FILE } from '../../../index/search/compounds.ts';
import { LEXICON_DIR, readLexiconRecords } from '../../../index/search/lexicon-file.ts';
import { SYNONYMS_FILE } from '../../../index/search/synonyms.ts';
import { DICTIONARY_FILE, GLOSSARY_FILE } from '../../../index/search/translate.ts';

const DERIVED = [
  { file: DICTIONARY_FILE, pkg: 'trans-de-en', licence: /GPL-2 or later/ },
  { file: SYNONYMS_FILE, pkg: 'openthesaurus-de-text', licence: /LGPL-2\.1 or later/ },
  { file: COMPOUND_WORDS_FILE, pkg: 'hunspell-de-de', licence: /GPL-2 or GPL-3/ },
];
const header = (file: string) =>
  readFileSync(join(LEXICON_DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('#'))
    .join('\n');

describe('the shipped lexical data', () => {
  it('names, for every derived file, its Debian package with version, its licence and the script that made it', () => {
    for (const { file, pkg, licence } of DERIVED) {
      const text = header(file);
      expect(text, file).toMatch(new RegExp(`Debian package ${pkg} \\S*\\d`));
      expect(text, file).toMatch(licence);
      expect(text, file).toMatch(/scripts\/derive-lexicon\.ts/);
    }
  });

  it('has a licence note beside the data naming every data file', () => {
    const note = readFileSync(join(LEXICON_DIR, 'LICENSES.md'), 'utf8');
    const dataFiles = readdirSync(LEXICON_DIR).filter((f) => f.endsWith('.tsv'));
    expect(dataFiles.sort()).toEqual([COMPOUND_WORDS_FILE, DICTIONARY_FILE, GLOSSARY_FILE, SYNONYMS_FILE].sort());
    for (const file of dataFiles) expect(note, file).toContain(`\`${file}\``);
    for (const text of ['GPL-2.txt', 'LGPL-2.1.txt']) expect(readFileSync(join(LEXICON_DIR, 'licenses', text), 'utf8')).toMatch(/GNU (LESSER )?GENERAL PUBLIC LICENSE/);
  });

  it('keeps every file small enough to ship', () => {
    for (const file of readdirSync(LEXICON_DIR).filter((f) => f.endsWith('.tsv'))) {
      expect(statSync(join(LEXICON_DIR, file)).size, file).toBeLessThan(3 * 1024 * 1024);
    }
  });

  it('holds one-word entries only: dictionary keys lowercase, at most four German words each', () => {
    const word = /^\p{L}+(?:-\p{L}+)*$/u;
    const rows = readLexiconRecords(DICTIONARY_FILE, 2);
    expect(rows.length).toBeGreaterThan(20_000);
    expect(rows.filter(([key, ...german]) => !/^[a-z]{3,}$/.test(key!) || german.length > 4 || !german.every((g) => word.test(g)))).toEqual([]);
    const synsets = readLexiconRecords(SYNONYMS_FILE, 2);
    expect(synsets.length).toBeGreaterThan(10_000);
    expect(synsets.filter((synset) => synset.length > 12 || !synset.every((w) => word.test(w)))).toEqual([]);
  });
});
