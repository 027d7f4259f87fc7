import { describe, expect, it } from 'vitest';
import { analyzeToken } from '../../../index/search/analyze.ts';
import { LexicalIndex } from '../../../index/search/lexical.ts';
import { planQuery } from '../../../index/search/plan.ts';
import { holdersFrom, roleHolders, withRoleHolders } from '../../../index/search/roles.ts';

const term = (word: string) => analyzeToken(word)[0]!;

describe('role holders', () => {
  it('reads the surname of an apposition after the role word', () => {
    const names = roleHolders(new Set([term('Kremlsprecher')]), ['Kremlsprecher Dmitri Peskow sagte, man warte ab.', 'Auch Kremlsprecher Peskow äußerte sich.']);
    expect([...names]).toEqual([['Peskow', 2]]);
  });

  it('takes no word across a sentence or clause break, and no German noun, as a name', () => {
    const terms = new Set([term('Sprecher')]);
    expect(roleHolders(terms, ['Das sagte der Sprecher. Kürzlich kam mehr.', 'Es sprach ein Sprecher, Moskau schwieg.', 'Der Sprecher Bericht fehlt.']).size).toBe(0);
  });

  it('lets a question that asks by role find the passage that only names the person', () => {
    const texts = ['Kremlsprecher Dmitri Peskow warnte vor Eile.', 'Peskow erwartet ein langes Gespräch.'];
    const index = LexicalIndex.create(texts.map((text, i) => ({ label: i + 1, text })));
    const plan = withRoleHolders(
      planQuery('Was erwartet der Kremlsprecher?', index),
      holdersFrom({ textsWith: (terms, limit) => index.searchGroups([terms.map((t) => ({ term: t, weight: 1 }))], limit).map((h) => texts[h.label - 1]!) }),
    );
    const role = plan.words.find((w) => w.word === 'Kremlsprecher')!;
    expect(role.alternatives.map((a) => a.term)).toContain(term('Peskow'));
    expect(role.alternatives.find((a) => a.term === term('Peskow'))!.weight).toBeLessThan(1);
  });
});
