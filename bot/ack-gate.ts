/**
 * Acknowledgements first. Discord drops an interaction not acknowledged within 3 seconds, and answering
 * is CPU work on the same event loop: an answer waits while an interaction received in the last three
 * seconds has not been acknowledged yet. One the bot never acknowledges stops counting after Discord's
 * deadline, so the gate cannot stay shut.
 */
import { setTimeout as sleep } from 'node:timers/promises';

const DISCORD_ACK_MS = 3000;
/** How often a waiting answer looks again; short, as acknowledgements take milliseconds. */
const POLL_MS = 2;

/** What discord.js sets once an interaction has been acknowledged. */
export interface Acknowledgeable {
  readonly deferred?: boolean;
  readonly replied?: boolean;
  /** Autocomplete interactions. */
  readonly responded?: boolean;
}

export class AckGate {
  private readonly pending = new Map<Acknowledgeable, number>();

  constructor(private readonly now: () => number = Date.now) {}

  received(interaction: Acknowledgeable): void {
    this.pending.set(interaction, this.now());
  }

  private waiting(): number {
    const now = this.now();
    for (const [i, at] of this.pending) {
      if (i.deferred || i.replied || i.responded || now - at >= DISCORD_ACK_MS) this.pending.delete(i);
    }
    return this.pending.size;
  }

  /** Resolves once no recent interaction waits for its acknowledgement. */
  async clear(): Promise<void> {
    while (this.waiting() > 0) await sleep(POLL_MS);
  }
}
