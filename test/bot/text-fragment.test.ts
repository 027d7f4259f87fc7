import { describe, expect, it } from 'vitest';
import { MAX_LINK_URL, quoteLink, textFragment } from '../../bot/text-fragment.ts';

describe('a link that opens the article at the quote', () => {
  it('percent-encodes umlauts, quotation marks, dashes, commas and ampersands in the text fragment', () => {
    const link = quoteLink('https://zeitung.example/artikel', '„Wir – die Länder – bleiben dabei“, sagte Müller & Co.')!;
    expect(link).toBe(
      'https://zeitung.example/artikel#:~:text=%E2%80%9EWir%20%E2%80%93%20die%20L%C3%A4nder%20%E2%80%93%20bleiben%20dabei%E2%80%9C%2C%20sagte%20M%C3%BCller%20%26%20Co%2E',
    );
    // The directive's syntax characters never appear raw in the quoted text.
    const text = link.split('#:~:text=')[1]!;
    expect(text).not.toMatch(/[-,&\s"]/);
    expect(decodeURIComponent(text)).toBe('„Wir – die Länder – bleiben dabei“, sagte Müller & Co.');
  });

  it('encodes a hyphen inside a word, which would otherwise start a suffix', () => {
    expect(textFragment('Die Nato-Mitgliedschaft')).toBe(':~:text=Die%20Nato%2DMitgliedschaft');
  });

  it('uses the start,end form for a long quote, and only its first line', () => {
    const long = `${'Die Bundesregierung hat am Dienstag in Berlin beschlossen, '.repeat(4)}dass alles bleibt.\nZweite Zeile.`;
    const fragment = textFragment(long)!;
    expect(fragment).toBe(':~:text=Die%20Bundesregierung%20hat%20am,beschlossen%2C%20dass%20alles%20bleibt%2E');
  });

  it('replaces an existing fragment and keeps the query', () => {
    expect(quoteLink('https://a.example/x?id=1#top', 'Satz.')).toBe('https://a.example/x?id=1#:~:text=Satz%2E');
  });

  it("refuses what is not a web address and stays within Discord's URL limit", () => {
    expect(quoteLink('javascript:alert(1)', 'x')).toBeUndefined();
    expect(quoteLink('not a url', 'x')).toBeUndefined();
    const long = `https://a.example/${'p'.repeat(490)}`;
    expect(quoteLink(long, 'Ein längerer Satz mit Umlauten, äöü, der die Grenze sprengt.')).toBe(long);
    expect(quoteLink(long, 'x')!.length).toBeLessThanOrEqual(MAX_LINK_URL);
  });
});
