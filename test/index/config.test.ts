import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../index/config.ts';
import { isQuotedeskError } from '../../index/errors.ts';
import { ROOT } from '../support/setup.ts';

describe('loadConfig', () => {
  it('fills in the documented defaults and resolves folders against the working directory', () => {
    const c = loadConfig({}, '/srv/qd');
    expect(c.corpusDir).toBe('/srv/qd/corpus');
    expect(c.dataDir).toBe('/srv/qd/data');
    expect(c.embedding).toMatchObject({
      model: 'Xenova/multilingual-e5-small',
      quantized: true,
      allowRemote: true,
      queryPrefix: 'query: ',
      passagePrefix: 'passage: ',
      enabled: true,
    });
    expect(c.discord).toMatchObject({ token: undefined, rateLimitPerMinute: 6, watchCorpus: false });
  });

  it('reports every invalid variable at once', () => {
    const err = (() => {
      try {
        loadConfig({ EMBEDDING_QUANTIZED: 'maybe', RATE_LIMIT_PER_MINUTE: '-3', LOG_LEVEL: 'loud', DISCORD_CLIENT_ID: 'abc' });
      } catch (e) {
        return e;
      }
    })();
    expect(isQuotedeskError(err, 'CONFIG_INVALID')).toBe(true);
    const message = (err as Error).message;
    for (const name of ['EMBEDDING_QUANTIZED', 'RATE_LIMIT_PER_MINUTE', 'LOG_LEVEL', 'DISCORD_CLIENT_ID']) expect(message).toContain(name);
  });

  it('hands out a frozen object', () => {
    const c = loadConfig({});
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.embedding)).toBe(true);
  });

  it('documents every variable it reads in .env.example', () => {
    const example = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const source = readFileSync(path.join(ROOT, 'index', 'config.ts'), 'utf8');
    const names = [...source.matchAll(/^\s{2}([A-Z][A-Z_]+):/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(15);
    for (const name of names) expect(example, name).toMatch(new RegExp(`^${name}=`, 'm'));
  });

  it('is the only module that reads process.env', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const offenders: string[] = [];
    for (const folder of ['index', 'bot', 'scripts']) {
      for (const file of await readdir(path.join(ROOT, folder), { recursive: true })) {
        if (!file.endsWith('.ts') || `${folder}/${file}` === 'index/config.ts') continue;
        if ((await readFile(path.join(ROOT, folder, file), 'utf8')).includes('process.env')) offenders.push(`${folder}/${file}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
