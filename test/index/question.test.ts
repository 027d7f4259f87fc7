import { describe, expect, it } from 'vitest';
import { normalizeQuestion } from '../../index/question.ts';

describe('normalizeQuestion', () => {
  it('joins words split by zero-width, soft-hyphen and direction characters', () => {
    expect(normalizeQuestion('Was sagte Pes\u200Bkow?')).toBe('Was sagte Peskow?');
    expect(normalizeQuestion('Selen\u00ADskyj und der \u200EKreml\u200F, \uFEFFNATO\u200D')).toBe('Selenskyj und der Kreml, NATO');
  });

  it('removes control characters inside words, and turns separating ones into spaces', () => {
    expect(normalizeQuestion('Pes\u0007kow\tund\nLawrow\r\nin Genf')).toBe('Peskow und Lawrow  in Genf');
  });

  it('folds compatibility forms (NFKC): full-width letters, ligatures, composed umlauts', () => {
    expect(normalizeQuestion('Ｎａｔｏ-Gipfel, Ef\uFB01zienz, Gespra\u0308che')).toBe('Nato-Gipfel, Effizienz, Gespräche');
  });
});
