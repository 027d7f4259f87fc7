/** Interaction handles tests await on, snowflakes, and the change notifications that wake them without polling. */
import { setTimeout as sleep } from 'node:timers/promises';
import { PermissionFlagsBits, type APIInteraction, type APIMessage } from 'discord.js';
import type { Json } from './spec.ts';
import type { CallbackBody, FinalOptions, InteractionHandle, MessageBody, RecordedRequest, UploadedFile, Violation, WaitOptions } from './types.ts';

const DISCORD_EPOCH = 1_420_070_400_000n;

let sequence = 0;
/** Real-looking snowflakes, so discord.js derives sensible `createdTimestamp`s. */
export function snowflake(at = Date.now()): string {
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | BigInt(sequence++ & 0xfff)).toString();
}

export const memberPermissions =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands;
export const botPermissions = memberPermissions | PermissionFlagsBits.UseExternalEmojis | PermissionFlagsBits.ManageMessages;

export function findComponent(node: Json, customId: string): Json {
  if (!node || typeof node !== 'object') return undefined;
  if (node.custom_id === customId) return node;
  for (const child of Object.values(node)) {
    const hit = findComponent(child, customId);
    if (hit) return hit;
  }
  return undefined;
}

export interface Reply {
  status: number;
  body?: unknown;
}
export interface Ctx {
  record: RecordedRequest;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Json;
  files: UploadedFile[];
}
export type Handler = (ctx: Ctx) => Reply;

/** Lets callers await state changes without polling. */
export class Changes {
  readonly #waiters = new Set<{ check: () => void; fail: (e: Error) => void }>();
  #closed = false;

  notify(): void {
    for (const w of [...this.#waiters]) w.check();
  }

  until<T>(probe: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#closed) return reject(new Error('fake-discord: closed'));
      const waiter = {
        check: () => {
          const value = probe();
          if (value !== undefined) {
            done();
            resolve(value);
          }
        },
        fail: (e: Error) => {
          done();
          reject(e);
        },
      };
      const timer = setTimeout(() => waiter.fail(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${what()}`)), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      this.#waiters.add(waiter);
      waiter.check();
    });
  }

  close(): void {
    this.#closed = true;
    for (const w of [...this.#waiters]) w.fail(new Error('fake-discord: closed'));
  }
}

/** What an interaction handle reads from the stand-in. */
export interface InteractionHost {
  readonly messages: Map<string, APIMessage>;
  readonly violations: Violation[];
}

export class FakeInteraction implements InteractionHandle {
  ackMs: number | undefined;
  callback: CallbackBody | undefined;
  /** The message `@original` refers to. */
  originalId: string | undefined;
  readonly edits: MessageBody[] = [];
  readonly followUps: MessageBody[] = [];
  readonly followUpIds: string[] = [];
  /** Candidates for final(): callback data of message-ish responses, then each edit. */
  readonly finals: MessageBody[] = [];
  readonly dispatchedAt = Date.now();

  constructor(
    readonly payload: APIInteraction,
    private readonly discord: InteractionHost,
    private readonly changes: Changes,
  ) {}

  get id(): string {
    return this.payload.id;
  }
  get token(): string {
    return this.payload.token;
  }
  get message(): APIMessage | undefined {
    return this.originalId === undefined ? undefined : this.discord.messages.get(this.originalId);
  }

  response({ timeoutMs = 5_000 }: WaitOptions = {}): Promise<CallbackBody> {
    return this.changes.until(
      () => this.callback,
      timeoutMs,
      () => `the callback to interaction ${this.id}${this.#context()}`,
    );
  }

  async final({ timeoutMs = 10_000, settleMs = 100, match }: FinalOptions = {}): Promise<MessageBody> {
    const deadline = Date.now() + timeoutMs;
    const what = () => `a final message for interaction ${this.id}${this.#context()}`;
    if (match) return this.changes.until(() => this.finals.find(match), timeoutMs, what);
    await this.changes.until(() => this.finals.at(-1), timeoutMs, what);
    for (let seen = 0; seen !== this.finals.length && Date.now() < deadline;) {
      seen = this.finals.length;
      await sleep(settleMs);
    }
    return this.finals.at(-1)!;
  }

  #context(): string {
    const mine = this.discord.violations.filter((v) => v.path.includes(this.token) || v.path.includes(this.id));
    const state = `callback: ${this.callback ? `type ${this.callback.type}` : 'none'}, edits: ${this.edits.length}`;
    return ` (${state}${mine.length ? `; violations: ${mine.map((v) => v.message).join(' | ')}` : ''})`;
  }
}
