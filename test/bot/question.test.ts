import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type Harness } from '../support/bot-harness.ts';
import type { MessageBody } from '../support/fake-discord.ts';

let h: Harness;
beforeAll(async () => {
  h = await startBot({ RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(() => h?.close());

const done = (b: MessageBody) => (typeof b.content === 'string' && b.content.length > 0) || (b.embeds?.length ?? 0) > 0;
const ask = async (question: string) => {
  const { content, embeds } = await h.discord.interact(h.discord.slashCommand({ name: 'ask', options: { question } })).final({ match: done });
  return { content, embeds };
};

describe('/ask with invisible characters in the question', () => {
  it('answers as if the zero-width and control characters inside words were not there', async () => {
    const plain = await ask('Was sagte Peskow über die Ukraine?');
    expect(JSON.stringify(plain)).toContain('Peskow');
    expect(await ask('Was sagte Pes\u200Bkow über die Ukraine?')).toEqual(plain);
    expect(await ask('Was sagte Pes\u00ADkow\u0007 über die Ｕｋｒａｉｎｅ?')).toEqual(plain);
    expect(h.discord.violations).toEqual([]);
  });
});
