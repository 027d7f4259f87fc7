/**
 * Reading the lexical data files shipped in index/lexicon/ (see the README, "Lexical data"). They are
 * tab-separated text so that a diff shows what changed and the licence header travels with the data.
 * Lines starting with "#" are comments; every other line is one record of tab-separated fields.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the data files live, next to the code (works under tsx, vitest and node alike). */
export const LEXICON_DIR = fileURLToPath(new URL('../lexicon/', import.meta.url));

/** The records of a shipped data file, each a list of at least `minFields` non-empty fields. */
export function readLexiconRecords(name: string, minFields = 1, dir = LEXICON_DIR): string[][] {
  const path = join(dir, name);
  const records: string[][] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line === '' || line.startsWith('#')) return;
      const fields = line.split('\t');
      if (fields.length < minFields || fields.some((f) => f === '')) {
        throw new Error(`quotedesk lexicon: ${path}:${i + 1}: expected ${minFields}+ non-empty tab-separated fields, got ${JSON.stringify(line)}`);
      }
      records.push(fields);
    });
  return records;
}

/**
 * A shipped file of key–values records as a map from the first field to the rest of its line (the
 * other fields, still tab-separated), so that loading splits nothing but lines; split a value when it
 * is looked up. Validated like readLexiconRecords with two fields or more; a key twice is an error.
 */
export function readLexiconTable(name: string, dir = LEXICON_DIR): Map<string, string> {
  const path = join(dir, name);
  const table = new Map<string, string>();
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '' || line.startsWith('#')) continue;
    const tab = line.indexOf('\t');
    if (tab <= 0 || line.endsWith('\t') || line.includes('\t\t') || table.has(line.slice(0, tab))) {
      throw new Error(`quotedesk lexicon: ${path}:${i + 1}: expected a new key and non-empty tab-separated values, got ${JSON.stringify(line)}`);
    }
    table.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return table;
}

/** Runs `load` on first use only, so importing a module that has lexical data costs nothing. */
export function lazy<T>(load: () => T): () => T {
  let value: T | undefined;
  let loaded = false;
  return () => {
    if (!loaded) {
      value = load();
      loaded = true;
    }
    return value as T;
  };
}
