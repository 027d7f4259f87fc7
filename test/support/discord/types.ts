/** The stand-in's public types: options, recorded requests, violations, interaction handles. */
import type {
  APIApplicationCommandInteractionDataOption,
  APIAttachment,
  APIApplicationCommandOptionChoice,
  APIInteraction,
  APIInteractionResponse,
  APIMessage,
  APIUser,
  Locale,
  RESTPatchAPIWebhookWithTokenMessageJSONBody,
} from 'discord.js';

export interface FakeDiscordOptions {
  applicationId?: string;
  guildId?: string;
  botToken?: string;
  /**
   * Defaults to Discord's 41.25 s. Much shorter intervals make discord.js declare the connection a zombie
   * (and reconnect) whenever the bot blocks the event loop for longer than one interval.
   */
  heartbeatIntervalMs?: number;
  /** Discord drops interactions not acknowledged within 3 s. */
  ackDeadlineMs?: number;
}

export interface UploadedFile {
  field: string;
  filename: string;
  size: number;
  contentType: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Matching OpenAPI path template, e.g. `/interactions/{interaction_id}/{interaction_token}/callback`. */
  route: string | null;
  query: Record<string, string>;
  /** Parsed JSON body (for multipart: the parsed `payload_json`). */
  body: unknown;
  files: UploadedFile[];
  at: number;
  status: number;
  response: unknown;
}

export type ViolationRule =
  | 'route' // not a Discord API v10 route, or wrong method
  | 'auth' // missing/wrong `Authorization: Bot <token>`
  | 'schema' // body/params rejected by the OpenAPI schema or Discord's message limits
  | 'interaction' // interaction protocol: ack twice/late, edit before ack, wrong callback type…
  | 'access' // another application's or guild's resources
  | 'unsupported' // valid Discord route the stand-in does not implement (extend it!)
  | 'gateway'
  | 'internal'; // bug in the stand-in itself

export interface Violation {
  rule: ViolationRule;
  method: string;
  path: string;
  route: string | null;
  status: number;
  message: string;
  /** Discord-style nested `errors` object for `schema` violations. */
  errors?: unknown;
  at: number;
}

/** Message-shaped request body (callback `data`, webhook edit…); `choices` for autocomplete. */
export type MessageBody = RESTPatchAPIWebhookWithTokenMessageJSONBody & {
  choices?: APIApplicationCommandOptionChoice[];
  flags?: number;
  [key: string]: unknown;
};
export type CallbackBody = APIInteractionResponse & { data?: MessageBody };

export interface WaitOptions {
  timeoutMs?: number;
}
export interface FinalOptions extends WaitOptions {
  /** Resolve once nothing newer arrived for this long (the bot may edit several times). */
  settleMs?: number;
  /** Instead of settling, wait for the first body that matches. */
  match?: (body: MessageBody) => boolean;
}

/** An option's value; an attachment (from `attachment()`) becomes an attachment option with its resolved data. */
export type OptionValues = Record<string, string | number | boolean | APIAttachment>;

export interface InteractionOptions {
  user?: Partial<APIUser>;
  roles?: string[];
  /** The invoking member's permissions in the channel. */
  permissions?: bigint | string;
  locale?: Locale;
  /** In the user's direct messages with the bot instead of the guild channel (no guild, no member). */
  dm?: boolean;
}
export interface SlashCommandOptions extends InteractionOptions {
  name: string;
  /** Either `{ option: value }` (types come from the registered command, else from JS types) or raw API options. */
  options?: OptionValues | APIApplicationCommandInteractionDataOption[];
}
export interface AutocompleteOptions extends InteractionOptions {
  name: string;
  options?: OptionValues;
  /** Name of the option the user is typing in. */
  focused: string;
}
export interface ButtonOptions extends InteractionOptions {
  customId: string;
  /** The message carrying the button: its id, the message itself, or the interaction that produced it. */
  message: string | APIMessage | InteractionHandle;
}

export interface MessageCommandOptions extends InteractionOptions {
  /** The message command's registered (default) name, e.g. "Find coverage". */
  name: string;
  /** What the right-clicked message says, and who wrote it (default: another member). */
  content: string;
  author?: Partial<APIUser>;
}

export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  readonly payload: APIInteraction;
  readonly dispatchedAt: number;
  /** ms between dispatch and the (accepted) callback. */
  readonly ackMs: number | undefined;
  readonly callback: CallbackBody | undefined;
  /** Accepted `PATCH …/messages/@original` bodies, in order. */
  readonly edits: MessageBody[];
  /** Accepted follow-up (`POST /webhooks/{app}/{token}`) bodies. */
  readonly followUps: MessageBody[];
  /** Current state of the message this interaction responded with or to, if any. */
  readonly message: APIMessage | undefined;
  /** The callback body, e.g. `{ type: 5, data: { flags: 64 } }`. */
  response(options?: WaitOptions): Promise<CallbackBody>;
  /** The latest message-shaped body: callback data for type 4/7/8/9 responses, else the last edit. */
  final(options?: FinalOptions): Promise<MessageBody>;
}
