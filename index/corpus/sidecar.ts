/**
 * Metadata for articles whose files cannot carry it (plain text), given beside them without editing them:
 * `corpus/sources.yml` maps file names (paths relative to the corpus folder) to fields, and a
 * `<name>.meta.yml` next to `<name>.txt` gives the fields of that one file. The sidecar wins over what the
 * file itself says: it is written on purpose. Documented in README "Adding articles".
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isoDateTime, languageCode } from './html.ts';
import type { CitationFields } from './article.ts';
import { authorNames } from './names.ts';
import type { SkippedFile } from './read.ts';

export const SOURCES_FILE = 'sources.yml';
export const META_SUFFIX = '.meta.yml';

export type SidecarMeta = CitationFields;

const FIELDS = ['title', 'outlet', 'author', 'authors', 'date', 'url', 'language'] as const;

/** Validates one entry; problems are returned as text, the good fields are kept. */
export function sidecarFields(entry: unknown): { meta: SidecarMeta; problems: string[] } {
  const problems: string[] = [];
  const meta: SidecarMeta = {};
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return { meta, problems: ['expected fields (title, outlet, author, date, url, language)'] };
  for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      problems.push(`unknown field "${key}" (known: ${FIELDS.join(', ')})`);
      continue;
    }
    if (value === null || value === undefined || value === '') continue;
    const asText = value instanceof Date ? value.toISOString().slice(0, 10) : typeof value === 'string' || typeof value === 'number' ? String(value).trim() : undefined;
    if (key === 'author' || key === 'authors') {
      const names = authorNames(value);
      if (names) meta.author = names;
      else problems.push(`${key} must be a name or a list of names`);
    } else if (key === 'date') {
      const date = isoDateTime(asText);
      if (date) meta.date = date;
      else problems.push(`date must be YYYY-MM-DD (optionally with a time), got ${JSON.stringify(value)}`);
    } else if (key === 'url') {
      if (asText && /^https?:\/\/\S+$/.test(asText)) meta.url = asText;
      else problems.push(`url must start with http:// or https://, got ${JSON.stringify(value)}`);
    } else if (key === 'language') {
      const code = languageCode(asText);
      if (code) meta.language = code;
      else problems.push(`language must be a code like de or en, got ${JSON.stringify(value)}`);
    } else if (asText) {
      meta[key as 'title' | 'outlet'] = asText;
    } else {
      problems.push(`${key} must be text`);
    }
  }
  return { meta, problems };
}

const yamlProblem = (err: unknown) => `not valid YAML: ${(err as Error).message.split('\n')[0]}`;

/**
 * Sidecar metadata for `files` (the article files found in `dir`). Problems (bad YAML, unknown fields,
 * entries naming no file) are reported like skipped files, and never stop the rest from being read.
 */
export async function readSidecars(dir: string, files: readonly string[], allFiles: ReadonlySet<string>): Promise<{ byFile: Map<string, SidecarMeta>; problems: SkippedFile[] }> {
  const byFile = new Map<string, SidecarMeta>();
  const problems: SkippedFile[] = [];
  const known = new Set(files);
  const sources = await readFile(path.join(dir, SOURCES_FILE), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (sources !== undefined) {
    let doc: unknown;
    try {
      doc = parseYaml(sources);
    } catch (err) {
      problems.push({ file: SOURCES_FILE, reason: yamlProblem(err) });
    }
    if (doc !== undefined && doc !== null && (typeof doc !== 'object' || Array.isArray(doc))) {
      problems.push({ file: SOURCES_FILE, reason: 'expected file names, each with its fields (see README "Adding articles")' });
    } else if (doc) {
      for (const [name, entry] of Object.entries(doc as Record<string, unknown>)) {
        const file = name.split(path.sep).join('/');
        if (!known.has(file)) {
          problems.push({ file: SOURCES_FILE, reason: `"${name}": no such article file in the corpus` });
          continue;
        }
        const { meta, problems: bad } = sidecarFields(entry);
        for (const p of bad) problems.push({ file: SOURCES_FILE, reason: `"${name}": ${p}` });
        byFile.set(file, meta);
      }
    }
  }
  for (const file of files) {
    const sidecar = `${file.slice(0, file.length - path.extname(file).length)}${META_SUFFIX}`;
    if (!allFiles.has(sidecar)) continue;
    let doc: unknown;
    try {
      doc = parseYaml(await readFile(path.join(dir, sidecar), 'utf8'));
    } catch (err) {
      problems.push({ file: sidecar, reason: yamlProblem(err) });
      continue;
    }
    const { meta, problems: bad } = sidecarFields(doc);
    for (const p of bad) problems.push({ file: sidecar, reason: p });
    byFile.set(file, { ...byFile.get(file), ...meta });
  }
  return { byFile, problems };
}
