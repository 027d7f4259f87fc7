import { describe, expect, it } from 'vitest';
import { isQuotedeskError } from '../../index/errors.ts';
import { day, filters, messageQuestion, question } from '../../bot/input.ts';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (isQuotedeskError(err)) return err;
    throw err;
  }
  throw new Error('not refused');
};

describe('dates', () => {
  it('accepts 2025-08-17, 17.08.2025 and 17.8.2025 alike', () => {
    expect(day('2025-08-17', 'since')).toBe('2025-08-17');
    expect(day(' 17.08.2025 ', 'since')).toBe('2025-08-17');
    expect(day('7.8.2025', 'since')).toBe('2025-08-07');
    expect(day('', 'since')).toBeUndefined();
  });

  it('refuses days that do not exist, with the option and the value for the message', () => {
    for (const bad of ['30.02.2025', '2025-13-01', '17/08/2025', 'gestern', '2025-02-29']) {
      const err = refusal(() => day(bad, 'seit'));
      expect(err.code).toBe('BAD_OPTION');
      expect(err.details).toMatchObject({ key: 'BAD_DATE', option: 'seit' });
    }
    expect(day('2024-02-29', 'since')).toBe('2024-02-29');
  });

  it('refuses since after until', () => {
    expect(refusal(() => filters({ since: '02.01.2025', until: '2024-12-31' }, { since: 'since', until: 'until' })).details).toMatchObject({
      key: 'DATE_ORDER',
      since: '2025-01-02',
      until: '2024-12-31',
    });
  });
});

describe('questions', () => {
  it('counts the cleaned question against the limit', () => {
    expect(question('  a \u200b b  ', 5)).toBe('a b');
    expect(refusal(() => question('x'.repeat(6), 5)).details).toMatchObject({ length: 6, max: 5 });
  });
});

describe('a chat message as a question', () => {
  it('drops mentions, links, code blocks, custom emoji and markdown; masked links keep their text', () => {
    const message = [
      '<@123456789012345678> hast du das gesehen? @everyone',
      '**Peskow** sagt, die [Sicherheitsgarantien](https://evil.example/x) seien ||vom Tisch||: https://news.example/a?b=1',
      '```js\nalert(1)\n```',
      '> Zitat aus <#123456789012345678> <:kreml:123456789012345678> `Nato`',
    ].join('\n');
    expect(messageQuestion(message, 500)).toBe('hast du das gesehen? Peskow sagt, die Sicherheitsgarantien seien vom Tisch: Zitat aus Nato');
  });

  it('is cut at a word to the question limit', () => {
    const cut = messageQuestion('Sicherheitsgarantien '.repeat(40), 50);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cut.endsWith('Sicherheitsgarantien')).toBe(true);
  });

  it('is empty when only mentions and links were there', () => {
    expect(refusal(() => messageQuestion('<@123456789012345678> https://x.example', 500)).code).toBe('QUESTION_EMPTY');
  });
});
