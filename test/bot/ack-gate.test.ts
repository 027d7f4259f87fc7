import { describe, expect, it } from 'vitest';
import { AckGate } from '../../bot/ack-gate.ts';

describe('the acknowledgement gate', () => {
  it('lets answers through once every received interaction is acknowledged', async () => {
    const gate = new AckGate();
    const a = { deferred: false };
    const b = { replied: false };
    gate.received(a);
    gate.received(b);
    let open = false;
    const waiting = gate.clear().then(() => (open = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(open).toBe(false);
    a.deferred = true;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(open).toBe(false);
    b.replied = true;
    await waiting;
    expect(open).toBe(true);
  });

  it("stops waiting for an interaction after Discord's three seconds", async () => {
    let now = 0;
    const gate = new AckGate(() => now);
    gate.received({ deferred: false });
    const waiting = gate.clear();
    now = 3000;
    await expect(waiting).resolves.toBeUndefined();
  });
});
