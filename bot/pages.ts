/**
 * Answers kept for their buttons (Previous / Next, Post to channel, feedback): who asked, in which
 * language, what they got, which page the original message shows. Entries expire; on expiry those
 * buttons are removed from the message so nobody clicks a dead one.
 */
import { randomUUID } from 'node:crypto';
import type { Answer } from '../index/answer/answer.ts';
import type { Lang } from './i18n/i18n.ts';

export interface PagedAnswer {
  readonly ownerId: string;
  readonly answer: Answer;
  readonly lang: Lang;
  /** Results per page once the reader pages (the compact first view shows one). */
  readonly pageSize: number;
  readonly isPrivate: boolean;
  /** `ask` or `find`: the command that asked, for the feedback file. */
  readonly command: string;
  /** The outlet or dates narrowed the search (changes what "nothing found" says). */
  readonly filtered: boolean;
  /** What the original message shows now. */
  view: { offset: number; size: number };
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
