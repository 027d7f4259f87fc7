import { describe, expect, it } from 'vitest';
import catalogue from '../../bot/i18n/messages.json' with { type: 'json' };
import { formatDay, langOf, localizations, translate } from '../../bot/i18n/i18n.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the message catalogue', () => {
  it('has every text in English and German, with the same placeholders', () => {
    const en = catalogue.en as Record<string, string>;
    const de = catalogue.de as Record<string, string>;
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) expect(placeholders(de[key]!), key).toEqual(placeholders(en[key]!));
  });

  it("follows the reader's Discord language, English for everything but German", () => {
    expect(['de', 'de-AT', 'en-US', 'en-GB', 'fr', undefined].map(langOf)).toEqual(['de', 'de', 'en', 'en', 'en', 'en']);
    expect(translate('de', 'button.next')).toBe('Weiter');
    expect(translate('en', 'answer.more', { count: 1 })).toBe('1 more passage');
    expect(translate('de', 'answer.more', { count: 3 })).toBe('3 weitere Passagen');
  });

  it('gives registration data for de, en-US and en-GB, with names Discord accepts', () => {
    for (const key of Object.keys(catalogue.en).filter((k) => /^cmd\.[\w.]+\.name$/.test(k) && k !== 'cmd.find.name')) {
      const names = localizations(key as 'cmd.ask.name');
      expect(Object.keys(names).sort()).toEqual(['de', 'en-GB', 'en-US']);
      for (const name of Object.values(names)) expect(name, key).toMatch(/^[-_\p{Ll}\p{N}]{1,32}$/u);
    }
  });

  it('writes days as the reader does', () => {
    expect(formatDay('en', '2025-08-17T10:00')).toBe('2025-08-17');
    expect(formatDay('de', '2025-08-17')).toBe('17.08.2025');
  });
});
