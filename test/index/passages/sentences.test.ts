import { describe, expect, it } from 'vitest';
import { sentenceRanges } from '../../../index/passages/sentences.ts';

const split = (text: string) => sentenceRanges(text).map(([s, e]) => text.slice(s, e));

describe('sentenceRanges', () => {
  it('does not break after German abbreviations, ordinals, dates or initials', () => {
    expect(split('Das ist z. B. ein Test am 26.01.2022 um 19:50 Uhr. Am 13. April kam Dr. Müller an. Marco M. Mantovani fotografierte.')).toEqual([
      'Das ist z. B. ein Test am 26.01.2022 um 19:50 Uhr.',
      'Am 13. April kam Dr. Müller an.',
      'Marco M. Mantovani fotografierte.',
    ]);
  });

  it('ends a sentence after the words "so", "do" and "no", and reads "So."/"Do." after a word as a weekday', () => {
    expect(split('Es war so. Dann kam der Regen.')).toEqual(['Es war so.', 'Dann kam der Regen.']);
    expect(split('"I do." Then he left. She said no. They argued.')).toEqual(['"I do."', 'Then he left.', 'She said no.', 'They argued.']);
    expect(split('So. Jetzt reicht es.')).toEqual(['So.', 'Jetzt reicht es.']);
    expect(split('Das Spiel ist am So. Abend, das Training am Do. Morgen. Danach ist Pause.')).toEqual([
      'Das Spiel ist am So. Abend, das Training am Do. Morgen.',
      'Danach ist Pause.',
    ]);
    expect(split('Das Treffen ist No. 10 Downing Street. Dort wartet er.')).toEqual(['Das Treffen ist No. 10 Downing Street.', 'Dort wartet er.']);
  });

  it('keeps hyphenated words such as US-Präsident and breaks after quotes', () => {
    expect(split('US-Präsident Trump sprach. ‘Wir werden bald wissen.’ Dann reiste er ab.')).toEqual([
      'US-Präsident Trump sprach.',
      '‘Wir werden bald wissen.’',
      'Dann reiste er ab.',
    ]);
  });

  it('returns offsets whose slices are the text itself', () => {
    const text = '  Erster Satz.  Zweiter Satz!\nDritter? ';
    for (const [s, e] of sentenceRanges(text)) expect(text.slice(s, e)).toBe(text.slice(s, e).trim());
    expect(split(text)).toEqual(['Erster Satz.', 'Zweiter Satz!', 'Dritter?']);
  });
});
