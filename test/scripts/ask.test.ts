import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../support/run-script.ts';
import { copyCorpus, makeTinyModel, tempDir, TINY_MODEL } from '../support/setup.ts';

let dir: string;
let cleanup: () => Promise<void>;
let vars: Record<string, string>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  vars = {
    CORPUS_DIR: await copyCorpus(dir),
    DATA_DIR: path.join(dir, 'data'),
    MODELS_DIR: await makeTinyModel(dir),
    EMBEDDING_MODEL: TINY_MODEL,
    EMBEDDING_QUANTIZED: 'false',
    ALLOW_REMOTE_MODELS: 'false',
  };
});
afterAll(() => cleanup());

interface JsonAnswer {
  question: string;
  note?: string;
  results: Array<Record<string, unknown> & { passage: string; quote: string; start: number; end: number; articleId: string }>;
}

describe('npm run ask', () => {
  it('builds the index on first use and answers with verbatim quotes and citations as JSON', async () => {
    const r = await runScript('scripts/ask.ts', ['--json', '-n', '3', 'Wo fand das Krisentreffen zwischen Blinken und Lawrow statt?'], vars);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/building it/);
    const answer = JSON.parse(r.stdout) as JsonAnswer;
    expect(answer.question).toBe('Wo fand das Krisentreffen zwischen Blinken und Lawrow statt?');
    expect(answer.results.length).toBeGreaterThan(0);
    const top = answer.results[0]!;
    expect(top.articleId).toBe('001_05284ddf7004647a');
    for (const key of ['rank', 'score', 'articleId', 'title', 'outlet', 'date', 'url', 'paragraph', 'passage', 'quote', 'start', 'end']) expect(top).toHaveProperty(key);
    expect(top).toMatchObject({ rank: 1, title: 'Ukraine-Krise Die Tür der NATO bleibt offen', outlet: null, url: null, date: '2022-01-26T19:50' });
    expect(top.quote).toContain('Krisentreffen in Genf');
    for (const result of answer.results) {
      const article = await readFile(path.join(vars.CORPUS_DIR!, `${result.articleId}.txt`), 'utf8');
      expect(article.slice(result.start, result.end)).toBe(result.passage);
      expect(result.passage).toContain(result.quote);
    }
  });

  it('finds the passage in another article for an English question with keyword search only', async () => {
    const r = await runScript('scripts/ask.ts', ['--json', 'Who is Kirill Dmitriev?'], { ...vars, SEMANTIC_SEARCH: 'false' });
    expect(r.code, r.stderr).toBe(0);
    const answer = JSON.parse(r.stdout) as JsonAnswer;
    expect(answer.results[0]?.articleId).toBe('003_6f8db47b0f1d15ed');
  });

  it('abstains with an empty result list and a note when the corpus has no answer', async () => {
    const r = await runScript('scripts/ask.ts', ['--json', 'Wie wird das Wetter morgen in Hamburg?'], vars);
    const answer = JSON.parse(r.stdout) as JsonAnswer;
    expect(answer.results).toEqual([]);
    expect(answer.note).toMatch(/No relevant coverage found/);
  });

  it('answers a batch file with one JSON line per question and fails on a bad line', async () => {
    const file = path.join(dir, 'questions.txt');
    await writeFile(file, `Wer ist der Ukraine-Beauftragte des Kreml?\nWhat did Trump want instead of a ceasefire?\n${'x'.repeat(600)}\n`);
    const r = await runScript('scripts/ask.ts', ['--batch', file], vars);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JsonAnswer & { error?: { code: string } });
    expect(lines).toHaveLength(3);
    expect(lines[0]!.results[0]?.passage).toContain('Ukraine-Beauftragte des Kreml, Dmitri Kosak');
    expect(lines[2]!.error?.code).toBe('QUESTION_TOO_LONG');
    expect(r.code).toBe(1);
  });

  it('refuses a --batch file that is missing, a folder, or not UTF-8, in one line naming the line', async () => {
    const latin1 = path.join(dir, 'latin1.txt');
    await writeFile(latin1, Buffer.concat([Buffer.from('Wer ist Peskow?\n'), Buffer.from('Was sagte Lawrow in Gen\xe8ve?\n', 'latin1')]));
    for (const [file, message] of [
      [path.join(dir, 'fehlt.txt'), `--batch ${path.join(dir, 'fehlt.txt')}: there is no such file.`],
      [dir, `--batch ${dir}: it is a folder, not a file of questions.`],
      [latin1, `--batch ${latin1}, line 2: not valid UTF-8 text; save the file as UTF-8.`],
    ] as const) {
      const r = await runScript('scripts/ask.ts', ['--batch', file], vars);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`quotedesk: ${message}\n`);
      expect(r.stdout).toBe('');
    }
  });

  it('answers a question with zero-width and control characters inside its words as if they were not there', async () => {
    const file = path.join(dir, 'invisible.txt');
    await writeFile(file, 'Was sagte Pes\u200Bkow über die Ukraine?\nWas sagte Pes\u00ADkow\u0007 über die Ｕｋｒａｉｎｅ?\nWas sagte Peskow über die Ukraine?\n');
    const r = await runScript('scripts/ask.ts', ['--batch', file], vars);
    expect(r.code, r.stderr).toBe(0);
    const [zeroWidth, control, plain] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JsonAnswer);
    expect(plain!.results.length).toBeGreaterThan(0);
    expect(zeroWidth).toEqual(plain);
    expect(control).toEqual(plain);
  });

  it('refuses an empty question and bad options with a clear message and a non-zero exit', async () => {
    const empty = await runScript('scripts/ask.ts', ['   '], vars);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/question.*empty/i);
    const bad = await runScript('scripts/ask.ts', ['--since', 'gestern', 'NATO'], vars);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/since must be a date/);
  });

  it('ends in a clear model error, not a stack trace, when the configured model cannot be had offline', async () => {
    const r = await runScript('scripts/index.ts', [], {
      ...vars,
      DATA_DIR: path.join(dir, 'other-data'),
      EMBEDDING_MODEL: 'Xenova/multilingual-e5-small',
      EMBEDDING_QUANTIZED: 'true',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Semantic search: off/);
    expect(r.stdout).toMatch(/embedding model "Xenova\/multilingual-e5-small".*not available/);
    expect(r.stdout).toMatch(/Looked in: .*Xenova\/multilingual-e5-small/);
    expect(r.stdout).toMatch(/ALLOW_REMOTE_MODELS/);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });
});
