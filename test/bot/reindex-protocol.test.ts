import { describe, expect, it } from 'vitest';
import { errorReply, fromReply } from '../../bot/reindex-protocol.ts';
import { userText } from '../../bot/errors.ts';
import { isQuotedeskError, QuotedeskError } from '../../index/errors.ts';

describe('the message from the reindex process', () => {
  it('carries a project error across whole: code, log message, user message', () => {
    const sent = new QuotedeskError('INDEX_BUSY', 'quotedesk: a reindex is already running (process 4242)', { isUserError: true, userMessage: 'A reindex is already running.' });
    const back = fromReply(structuredClone(errorReply(sent)));
    expect(isQuotedeskError(back, 'INDEX_BUSY')).toBe(true);
    expect((back as QuotedeskError).message).toBe('quotedesk: a reindex is already running (process 4242)');
    // What a Discord user reads comes from the catalogue by code: no process id.
    expect(userText(back, 'en')).toBe('A reindex is already running. Please wait for it to finish.');
    expect(userText(back, 'de')).toMatch(/^Eine Neuindexierung läuft bereits/);
  });

  it('never turns a system error into a project error, however it is coded', () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/srv/data/lock'"), { code: 'ENOENT', isUserError: true });
    const back = fromReply(structuredClone(errorReply(enoent)));
    expect(isQuotedeskError(back)).toBe(false);
    expect((back as Error).message).toContain('ENOENT');
    expect(userText(back, 'en')).toMatch(/^Sorry — something went wrong/);
  });
});

describe('QuotedeskError', () => {
  it('starts every log message with "quotedesk: " once, and keeps it out of the user message', () => {
    const a = new QuotedeskError('BAD_OPTION', 'bad value', { isUserError: true });
    const b = new QuotedeskError('BAD_OPTION', 'quotedesk: bad value', { isUserError: true });
    expect([a.message, b.message]).toEqual(['quotedesk: bad value', 'quotedesk: bad value']);
    expect([a.userMessage, b.userMessage]).toEqual(['bad value', 'bad value']);
    expect(new QuotedeskError('INDEX_MISSING', 'no index in /srv/data').userMessage).not.toContain('/srv');
  });
});

describe('the text a Discord user reads', () => {
  it('comes from the catalogue by code, and from the error itself when the catalogue text needs values it lacks', async () => {
    const { userError } = await import('../../index/errors.ts');
    expect(userText(userError('INDEX_MISSING', 'quotedesk: no index in /srv/data'), 'de')).toBe('Der Index wird gerade erstellt. Bitte versuchen Sie es gleich noch einmal.');
    expect(userText(userError('QUESTION_TOO_LONG', 'Your question is 900 characters long; please keep it under 500.'), 'en')).toBe(
      'Your question is 900 characters long; please keep it under 500.',
    );
    expect(userText(userError('QUESTION_TOO_LONG', 'x', { length: 900, max: 500 }), 'de')).toBe('Ihre Frage ist 900 Zeichen lang; bitte bleiben Sie unter 500.');
  });
});
