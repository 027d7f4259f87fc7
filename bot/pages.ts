/**
 * Answers kept for the "more results" button: who asked, what they got, how far they have paged.
 * Entries expire; on expiry the button is removed from the message so nobody clicks a dead one.
 */
import { randomUUID } from 'node:crypto';
import type { Answer } from '../index/answer/answer.ts';

export interface PagedAnswer {
  readonly ownerId: string;
  readonly answer: Answer;
  readonly pageSize: number;
  offset: number;
}

export class Pages {
  private readonly entries = new Map<string, { entry: PagedAnswer; timer: NodeJS.Timeout }>();

  constructor(private readonly ttlMs: number) {}

  /** Stores an answer; `onExpire` runs once when it times out (e.g. to remove the button). */
  add(entry: PagedAnswer, onExpire: () => Promise<unknown>): string {
    const id = randomUUID().slice(0, 18);
    const timer = setTimeout(() => {
      this.entries.delete(id);
      void onExpire().catch(() => undefined);
    }, this.ttlMs);
    timer.unref();
    this.entries.set(id, { entry, timer });
    return id;
  }

  get(id: string): PagedAnswer | undefined {
    return this.entries.get(id)?.entry;
  }

  /** Forgets everything without running expiry actions (shutdown). */
  clear(): void {
    for (const { timer } of this.entries.values()) clearTimeout(timer);
    this.entries.clear();
  }
}
