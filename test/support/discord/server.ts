/**
 * The stand-in itself: an HTTP server for Discord's REST routes and a WebSocket gateway, on loopback.
 * One class on purpose: the gateway, the routes and the message store share the session's state.
 * Requests are checked in `spec.ts` (OpenAPI) and `limits.ts` (what the schema does not encode) before a
 * route handler sees them; interactions are tracked in `interactions.ts`, the guild's payloads built in `fixtures.ts`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApplicationCommandOptionType,
  type ApplicationFlags,
  ApplicationCommandType,
  ComponentType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  type APIApplicationCommand,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIAttachment,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIMessage,
  type APIMessageApplicationCommandInteraction,
  type APIMessageComponentButtonInteraction,
  type APIRole,
  type APIUser,
  type GatewayReadyDispatchData,
} from 'discord.js';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { Changes, FakeInteraction, findComponent, snowflake, type Ctx, type Handler, type Reply } from './interactions.ts';
import { channel, guildCreate, interactionBase, role, type World } from './fixtures.ts';
import { ALLOWED_CALLBACKS, isEmptyMessage, limitIssues } from './limits.ts';
import { discordErrors, HTTP_METHODS, specValidator, type HttpMethod, type Json } from './spec.ts';
import type {
  AutocompleteOptions,
  ButtonOptions,
  FakeDiscordOptions,
  InteractionHandle,
  InteractionOptions,
  MessageBody,
  MessageCommandOptions,
  OptionValues,
  RecordedRequest,
  SlashCommandOptions,
  UploadedFile,
  Violation,
  ViolationRule,
  WaitOptions,
} from './types.ts';

const API_PREFIX = '/api/v10';

const attachmentsOf = (values: OptionValues) => Object.values(values).filter((v): v is APIAttachment => typeof v === 'object');

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const discord = new FakeDiscord(options);
  await discord.listen();
  return discord;
}

export class FakeDiscord {
  readonly applicationId: string;
  readonly guildId: string;
  readonly channelId = snowflake();
  readonly botToken: string;
  readonly botUser: APIUser;
  /** Default invoking user of the payload builders. */
  readonly user: APIUser;
  readonly ownerId = snowflake();
  readonly botRoleId = snowflake();
  readonly heartbeatIntervalMs: number;
  /** Writable so a test can provoke a late acknowledgement cheaply. */
  ackDeadlineMs: number;

  readonly requests: RecordedRequest[] = [];
  readonly violations: Violation[] = [];
  /** Commands registered through PUT/POST …/commands (guild commands carry `guild_id`). */
  commands: APIApplicationCommand[] = [];
  readonly messages = new Map<string, APIMessage>();
  heartbeats = 0;
  identifies = 0;

  readonly #spec = specValidator();
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #changes = new Changes();
  readonly #interactions = new Map<string, FakeInteraction>(); // by token
  /** Roles given to interacting members (named `role-<id>`), beyond @everyone and the bot's role. */
  readonly #memberRoles = new Set<string>();
  readonly #handlers: Record<string, Handler>;
  /** Files served under /attachments/ (see `attachment()`). */
  readonly #downloads = new Map<string, { bytes: Buffer; contentType: string }>();
  #session: { ws: WebSocket; id: string; seq: number } | undefined;
  #ready = false;

  constructor(options: FakeDiscordOptions = {}) {
    this.applicationId = options.applicationId ?? snowflake();
    this.guildId = options.guildId ?? snowflake();
    this.botToken = options.botToken ?? `${Buffer.from(this.applicationId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(20).toString('base64url')}`;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.ackDeadlineMs = options.ackDeadlineMs ?? 3_000;
    this.botUser = { id: this.applicationId, username: 'fake-bot', discriminator: '0000', global_name: null, avatar: null, bot: true };
    this.user = { id: snowflake(), username: 'tester', discriminator: '0', global_name: 'Tester', avatar: null };
    this.#server = createServer((req, res) => void this.#onHttp(req, res));
    this.#wss = new WebSocketServer({ server: this.#server, path: '/gateway' });
    this.#wss.on('connection', (ws, req) => this.#onSocket(ws, req));
    this.#handlers = this.#buildHandlers();
  }

  /** @internal use startFakeDiscord() */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', () => resolve());
    });
  }

  get origin(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }
  /** Pass as `rest: { api }` to the discord.js Client. */
  get apiBase(): string {
    return `${this.origin}/api`;
  }
  get gatewayUrl(): string {
    return `${this.origin.replace('http', 'ws')}/gateway`;
  }

  /** Resolves once a client IDENTIFYed and was sent READY and GUILD_CREATE. */
  waitForReady({ timeoutMs = 10_000 }: WaitOptions = {}): Promise<void> {
    return this.#changes
      .until(
        () => (this.#ready ? true : undefined),
        timeoutMs,
        () => 'a client to IDENTIFY',
      )
      .then(() => undefined);
  }

  /** Dispatches INTERACTION_CREATE (with a fresh id and token) to the connected client. */
  interact(payload: APIInteraction): InteractionHandle {
    if (!this.#ready || this.#session?.ws.readyState !== WebSocket.OPEN) throw new Error('fake-discord: no client is connected; await waitForReady() first');
    const id = snowflake();
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('hex')}`).toString('base64url');
    const interaction = new FakeInteraction({ ...payload, id, token }, this, this.#changes);
    if (payload.message && !this.messages.has(payload.message.id)) this.messages.set(payload.message.id, payload.message);
    // A member can only hold roles the guild has: create unknown ones first, as Discord would have announced them.
    for (const roleId of payload.member?.roles ?? []) {
      if (roleId === this.guildId || roleId === this.botRoleId || this.#memberRoles.has(roleId)) continue;
      this.#memberRoles.add(roleId);
      this.#dispatch(GatewayDispatchEvents.GuildRoleCreate, { guild_id: this.guildId, role: this.#role(roleId, `role-${roleId}`, 0n) });
    }
    this.#interactions.set(token, interaction);
    this.#dispatch(GatewayDispatchEvents.InteractionCreate, interaction.payload);
    return interaction;
  }

  slashCommand({ name, options, ...common }: SlashCommandOptions): APIChatInputApplicationCommandInteraction {
    return {
      ...this.#interactionBase(common),
      type: InteractionType.ApplicationCommand,
      data: {
        ...this.#commandData(name, ApplicationCommandType.ChatInput),
        ...(options ? { options: Array.isArray(options) ? options : this.#options(name, options) } : {}),
        ...(options && !Array.isArray(options) && attachmentsOf(options).length
          ? { resolved: { attachments: Object.fromEntries(attachmentsOf(options).map((a) => [a.id, a])) } }
          : {}),
      },
    };
  }

  /**
   * A file a user attached to a slash command option, served at its `url` as Discord's CDN would. Pass the
   * result as the option's value. `size` may claim another size than the content has (Discord reports it).
   */
  attachment({
    filename,
    content,
    contentType = 'text/plain; charset=utf-8',
    size,
  }: {
    filename: string;
    content: string | Buffer;
    contentType?: string;
    size?: number;
  }): APIAttachment {
    const id = snowflake();
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    const urlPath = `/attachments/${this.channelId}/${id}/${encodeURIComponent(filename)}`;
    this.#downloads.set(urlPath, { bytes, contentType });
    const url = `${this.origin}${urlPath}`;
    return { id, filename, size: size ?? bytes.length, content_type: contentType, url, proxy_url: url };
  }

  autocomplete({ name, options = {}, focused, ...common }: AutocompleteOptions): APIApplicationCommandAutocompleteInteraction {
    const values = { [focused]: '', ...options };
    return {
      ...this.#interactionBase(common),
      type: InteractionType.ApplicationCommandAutocomplete,
      data: {
        ...this.#commandData(name, ApplicationCommandType.ChatInput),
        options: this.#options(name, values).map((o) => (o.name === focused ? { ...o, focused: true } : o)),
      },
    };
  }

  /** A right-click on a channel message → Apps → the message command `name`. */
  messageCommand({ name, content, author, ...common }: MessageCommandOptions): APIMessageApplicationCommandInteraction {
    const writer: APIUser = { id: snowflake(), username: 'member', discriminator: '0', global_name: 'Member', avatar: null, ...author };
    const target = this.#newMessage({ content }, [], { author: writer });
    return {
      ...this.#interactionBase(common),
      type: InteractionType.ApplicationCommand,
      data: {
        ...this.#commandData(name, ApplicationCommandType.Message),
        target_id: target.id,
        resolved: { messages: { [target.id]: target } },
      },
    };
  }

  button({ customId, message, ...common }: ButtonOptions): APIMessageComponentButtonInteraction {
    let target: APIMessage;
    if (typeof message === 'string') {
      // An unknown id gets an invented bot message carrying the button.
      const row = { type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: 1, label: customId, custom_id: customId }] };
      target = this.messages.get(message) ?? this.#newMessage({ components: [row] }, [], { id: message });
    } else if ('payload' in message) {
      if (!message.message) throw new Error(`fake-discord: interaction ${message.id} has no message to click on`);
      target = message.message;
    } else {
      target = message;
    }
    // Users can only click what is there.
    const component = findComponent(target.components, customId);
    if (!component) throw new Error(`fake-discord: message ${target.id} has no component with custom_id "${customId}"`);
    if (component.disabled) throw new Error(`fake-discord: button "${customId}" on message ${target.id} is disabled`);
    return {
      ...this.#interactionBase(common),
      type: InteractionType.MessageComponent,
      message: target,
      data: { custom_id: customId, component_type: ComponentType.Button },
    };
  }

  /** Destroy the discord.js client first, or it keeps trying to reconnect to a closed port. */
  async close(): Promise<void> {
    this.#changes.close();
    for (const ws of this.#wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // --- gateway ---------------------------------------------------------------------------------

  #onSocket(ws: WebSocket, req: IncomingMessage): void {
    const query = new URL(req.url ?? '/', this.origin).searchParams;
    if (query.get('v') !== '10' || query.get('encoding') !== 'json') {
      this.#gatewayViolation(`connected with ${req.url}; expected ?v=10&encoding=json`);
      ws.close(4012, 'Invalid API version');
      return;
    }
    ws.on('message', (raw) => this.#onGatewayMessage(ws, raw));
    ws.on('error', () => {}); // a terminated client is not a failure of the test
    this.#send(ws, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.heartbeatIntervalMs } });
  }

  #onGatewayMessage(ws: WebSocket, raw: RawData): void {
    let msg: Json;
    try {
      msg = JSON.parse(raw.toString());
    } catch {
      this.#gatewayViolation('sent a payload that is not JSON');
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    switch (msg.op) {
      case GatewayOpcodes.Heartbeat:
        this.heartbeats++;
        this.#send(ws, { op: GatewayOpcodes.HeartbeatAck });
        break;
      case GatewayOpcodes.Identify:
        this.#identify(ws, msg.d);
        break;
      case GatewayOpcodes.Resume:
        if (this.#session && msg.d?.token === this.botToken && msg.d?.session_id === this.#session.id) {
          this.#session.ws = ws;
          this.#dispatch(GatewayDispatchEvents.Resumed, {});
        } else {
          this.#send(ws, { op: GatewayOpcodes.InvalidSession, d: false });
        }
        break;
      default: // presence updates, member requests…: nothing to do
    }
  }

  #identify(ws: WebSocket, d: Json): void {
    if (d?.token !== this.botToken) {
      this.#gatewayViolation('IDENTIFY with a token that is not the bot token');
      ws.close(4004, 'Authentication failed.');
      return;
    }
    if (typeof d.intents !== 'number') {
      this.#gatewayViolation('IDENTIFY without intents');
      ws.close(4013, 'Invalid intent(s).');
      return;
    }
    this.identifies++;
    this.#session = { ws, id: randomBytes(16).toString('hex'), seq: 0 };
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.botUser,
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: this.#session.id,
      resume_gateway_url: this.gatewayUrl,
      shard: [0, 1],
      application: { id: this.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    this.#dispatch(GatewayDispatchEvents.Ready, ready);
    // Like Discord, guilds only stream in with the GUILDS intent.
    if ((d.intents & GatewayIntentBits.Guilds) !== 0) this.#dispatch(GatewayDispatchEvents.GuildCreate, this.#guildCreate());
    this.#ready = true;
    this.#changes.notify();
  }

  #dispatch(t: GatewayDispatchEvents, d: unknown): void {
    const session = this.#session;
    if (!session) throw new Error('fake-discord: no gateway session');
    this.#send(session.ws, { op: GatewayOpcodes.Dispatch, t, s: ++session.seq, d });
  }

  #send(ws: WebSocket, payload: object): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
  }

  #gatewayViolation(message: string): void {
    this.violations.push({ rule: 'gateway', method: 'WS', path: '/gateway', route: null, status: 0, message, at: Date.now() });
  }

  // --- fixtures --------------------------------------------------------------------------------

  /** The ids and users fixtures are built from. */
  get #world(): World {
    return {
      applicationId: this.applicationId,
      guildId: this.guildId,
      channelId: this.channelId,
      ownerId: this.ownerId,
      botRoleId: this.botRoleId,
      botUser: this.botUser,
      user: this.user,
      memberRoles: this.#memberRoles,
    };
  }

  #role(id: string, name: string, permissions: bigint): APIRole {
    return role(id, name, permissions);
  }

  #guildCreate(): Json {
    return guildCreate(this.#world);
  }

  #interactionBase(options: InteractionOptions) {
    return interactionBase(this.#world, options);
  }

  get #channel() {
    return channel(this.channelId);
  }

  #command(name: string): APIApplicationCommand | undefined {
    return this.commands.find((c) => c.name === name && (!c.guild_id || c.guild_id === this.guildId));
  }

  /** The `data` fields every command interaction shares: the registered command's id (and guild), its name and type. */
  #commandData<T extends ApplicationCommandType>(name: string, type: T): { id: string; name: string; type: T; guild_id?: string } {
    const command = this.#command(name);
    return { id: command?.id ?? snowflake(), name, type, ...(command?.guild_id ? { guild_id: command.guild_id } : {}) };
  }

  #options(commandName: string, values: OptionValues): APIApplicationCommandInteractionDataBasicOption[] {
    const declared = this.#command(commandName)?.options ?? [];
    return Object.entries(values).map(([name, value]) => {
      if (typeof value === 'object') return { name, type: ApplicationCommandOptionType.Attachment, value: value.id };
      const type =
        declared.find((o) => o.name === name)?.type ??
        (typeof value === 'boolean'
          ? ApplicationCommandOptionType.Boolean
          : typeof value === 'number'
            ? Number.isInteger(value)
              ? ApplicationCommandOptionType.Integer
              : ApplicationCommandOptionType.Number
            : ApplicationCommandOptionType.String);
      return { name, type, value } as APIApplicationCommandInteractionDataBasicOption;
    });
  }

  // --- messages --------------------------------------------------------------------------------

  #newMessage(body: Json, files: UploadedFile[], extra: Partial<APIMessage> = {}): APIMessage {
    const message: APIMessage = {
      id: snowflake(),
      channel_id: this.channelId,
      type: MessageType.Default,
      author: this.botUser,
      content: body.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: Boolean(body.tts),
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: this.#attachments(body, files),
      embeds: (body.embeds ?? []).map((e: Json) => ({ type: 'rich', ...e })),
      components: body.components ?? [],
      pinned: false,
      flags: body.flags ?? 0,
      ...extra,
    };
    this.messages.set(message.id, message);
    return message;
  }

  #editMessage(id: string, body: Json, files: UploadedFile[]): APIMessage {
    const old = this.messages.get(id)!;
    const message: APIMessage = {
      ...old,
      ...('content' in body ? { content: body.content ?? '' } : {}),
      ...('embeds' in body ? { embeds: (body.embeds ?? []).map((e: Json) => ({ type: 'rich', ...e })) } : {}),
      ...('components' in body ? { components: body.components ?? [] } : {}),
      ...('attachments' in body || files.length ? { attachments: this.#attachments(body, files) } : {}),
      flags: (old.flags ?? 0) & ~MessageFlags.Loading,
      edited_timestamp: new Date().toISOString(),
    };
    this.messages.set(id, message);
    return message;
  }

  #attachments(body: Json, files: UploadedFile[]): APIAttachment[] {
    const listed: Json[] = body.attachments ?? [];
    // `attachments[].id` is either the index of a new upload or the id of an attachment to keep.
    const existing = new Map([...this.messages.values()].flatMap((m) => m.attachments.map((a) => [a.id, a] as const)));
    const kept = listed.flatMap((a) => existing.get(String(a.id)) ?? []);
    const uploaded = files.map((f, n): APIAttachment => {
      const id = snowflake();
      const url = `${this.origin}/attachments/${this.channelId}/${id}/${encodeURIComponent(f.filename)}`;
      const description = listed.find((a) => String(a.id) === String(n))?.description;
      return { id, filename: f.filename, size: f.size, content_type: f.contentType, url, proxy_url: url, ...(description ? { description } : {}) };
    });
    return [...kept, ...uploaded];
  }

  // --- HTTP ------------------------------------------------------------------------------------

  async #onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      route: null,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      at: Date.now(),
      status: 0,
      response: undefined,
    };
    this.requests.push(record);
    if (url.pathname.startsWith('/attachments/') && record.method === 'GET') {
      // The CDN: files attached to interactions, as they were uploaded; no token needed, as on Discord.
      const file = this.#downloads.get(url.pathname);
      record.route = '(attachment)';
      record.status = file ? 200 : 404;
      if (file) res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length }).end(file.bytes);
      else res.writeHead(404).end();
      this.#changes.notify();
      return;
    }
    let reply: Reply;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      reply = await this.#handle(req, url, Buffer.concat(chunks), record);
    } catch (error) {
      reply = this.#reject(record, 'internal', 500, { code: 0, message: '500: Internal Server Error' }, `fake-discord crashed: ${(error as Error).stack ?? String(error)}`);
    }
    record.status = reply.status;
    record.response = reply.body;
    // An empty 204 must not claim to be JSON, or discord.js tries to parse it.
    if (reply.status === 204) res.writeHead(204).end();
    else res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body ?? null));
    this.#changes.notify();
  }

  async #handle(req: IncomingMessage, url: URL, raw: Buffer, record: RecordedRequest): Promise<Reply> {
    const method = record.method.toLowerCase() as HttpMethod;
    const match = url.pathname.startsWith(`${API_PREFIX}/`) ? this.#spec.match(url.pathname.slice(API_PREFIX.length)) : undefined;
    if (!match) return this.#reject(record, 'route', 404, { code: 0, message: '404: Not Found' }, `${record.method} ${url.pathname} is not a Discord API v10 route`);
    const { route, params } = match;
    record.route = route.template;
    const operation = HTTP_METHODS.includes(method) ? route.item[method] : undefined;
    if (!operation) return this.#reject(record, 'route', 405, { code: 0, message: '405: Method Not Allowed' }, `${record.method} is not allowed on ${route.template}`);

    // Webhook and interaction routes list an empty security requirement; everything else needs the bot token.
    const anonymous = operation.security?.some((s) => Object.keys(s).length === 0) ?? false;
    if (!anonymous && req.headers.authorization !== `Bot ${this.botToken}`) {
      return this.#reject(
        record,
        'auth',
        401,
        { code: 0, message: '401: Unauthorized' },
        `${route.template} needs "Authorization: Bot <token>", got ${JSON.stringify(req.headers.authorization ?? null)}`,
      );
    }

    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    const mediaType = contentType === 'multipart/form-data' ? contentType : 'application/json';
    let body: Json;
    const files: UploadedFile[] = [];
    if (raw.length > 0) {
      if (contentType !== mediaType) {
        return this.#reject(record, 'schema', 400, { code: 50035, message: 'Invalid Form Body' }, `unsupported content type ${JSON.stringify(contentType)}`);
      }
      try {
        if (mediaType === 'multipart/form-data') {
          const form = await new Response(raw, { headers: { 'content-type': req.headers['content-type']! } }).formData();
          for (const [field, value] of form) {
            if (typeof value === 'string') {
              if (field === 'payload_json') body = JSON.parse(value);
            } else files.push({ field, filename: value.name, size: value.size, contentType: value.type || 'application/octet-stream' });
          }
        } else {
          body = JSON.parse(raw.toString('utf8'));
        }
      } catch {
        return this.#reject(record, 'schema', 400, { code: 50109, message: 'The request body contains invalid JSON.' }, 'body is not valid JSON');
      }
    }
    record.body = body;
    record.files = files;

    const schemaIssues = [...this.#spec.checkParams(route, method, params, record.query), ...this.#spec.checkBody(route, method, mediaType, body)];
    // The schema already covers most limits; only add what it missed so each problem is reported once.
    const reported = new Set(schemaIssues.map((i) => i.path.join('.')));
    const issues = [...schemaIssues, ...limitIssues(route.template, body).filter((i) => !reported.has(i.path.join('.')))];
    if (issues.length) {
      const summary = issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      return this.#reject(record, 'schema', 400, { code: 50035, message: 'Invalid Form Body', errors: discordErrors(issues) }, summary);
    }

    const handler = this.#handlers[`${method.toUpperCase()} ${route.template}`];
    if (!handler)
      return this.#reject(
        record,
        'unsupported',
        404,
        { code: 0, message: `fake-discord has no handler for ${record.method} ${route.template}` },
        `fake-discord does not implement ${record.method} ${route.template}`,
      );
    return handler({ record, params, query: url.searchParams, body, files });
  }

  #reject(record: RecordedRequest, rule: ViolationRule, status: number, body: { code: number; message: string; errors?: unknown }, message: string): Reply {
    this.violations.push({ rule, method: record.method, path: record.path, route: record.route, status, message, ...(body.errors ? { errors: body.errors } : {}), at: Date.now() });
    return { status, body };
  }

  // --- routes ----------------------------------------------------------------------------------

  #buildHandlers(): Record<string, Handler> {
    const ok = (body?: unknown): Reply => (body === undefined ? { status: 204 } : { status: 200, body });
    const application = () => ({
      id: this.applicationId,
      name: this.botUser.username,
      icon: null,
      description: '',
      summary: '',
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: '0'.repeat(64),
      flags: 0,
      team: null,
      bot: this.botUser,
      owner: { ...this.user, id: this.ownerId },
      rpc_origins: [],
      type: null,
    });
    const gateway = () => ({ url: this.gatewayUrl });

    // Commands: the same logic serves global and guild scope.
    const scoped = (c: Ctx) => c.params.guild_id;
    const foreign = (c: Ctx): Reply | undefined =>
      c.params.application_id !== this.applicationId || (c.params.guild_id !== undefined && c.params.guild_id !== this.guildId)
        ? this.#reject(
            c.record,
            'access',
            403,
            { code: 50001, message: 'Missing Access' },
            `commands of application ${c.params.application_id} / guild ${c.params.guild_id ?? '-'} are not this bot's`,
          )
        : undefined;
    const toCommand = (c: Ctx, raw: Json): APIApplicationCommand => {
      const existing = this.commands.find((x) => x.name === raw.name && x.guild_id === scoped(c));
      return {
        id: existing?.id ?? snowflake(),
        application_id: this.applicationId,
        version: snowflake(),
        type: ApplicationCommandType.ChatInput,
        description: '',
        options: [],
        default_member_permissions: null,
        nsfw: false,
        ...(scoped(c) ? { guild_id: scoped(c) } : {}),
        ...raw,
      } as APIApplicationCommand;
    };
    const listCommands: Handler = (c) => foreign(c) ?? ok(this.commands.filter((x) => x.guild_id === scoped(c)));
    const putCommands: Handler = (c) => {
      const rejected = foreign(c);
      if (rejected) return rejected;
      const next = ((c.body ?? []) as Json[]).map((raw) => toCommand(c, raw));
      this.commands = [...this.commands.filter((x) => x.guild_id !== scoped(c)), ...next];
      return ok(next);
    };
    const postCommand: Handler = (c) => {
      const rejected = foreign(c);
      if (rejected) return rejected;
      const command = toCommand(c, c.body);
      this.commands = [...this.commands.filter((x) => x.id !== command.id), command];
      return { status: 201, body: command };
    };

    // Interaction webhooks: `webhook_id` is the application id, `webhook_token` the interaction token.
    const interactionOf = (c: Ctx): FakeInteraction | Reply => {
      const i = this.#interactions.get(c.params.webhook_token!);
      if (!i || c.params.webhook_id !== this.applicationId)
        return this.#reject(c.record, 'interaction', 404, { code: 10015, message: 'Unknown Webhook' }, 'webhook id/token do not belong to a dispatched interaction');
      if (!i.callback)
        return this.#reject(
          c.record,
          'interaction',
          404,
          { code: 10015, message: 'Unknown Webhook' },
          `${c.record.method} ${c.record.route} for interaction ${i.id} before its callback`,
        );
      return i;
    };
    const messageOf = (c: Ctx, i: FakeInteraction): string | Reply => {
      const id = c.params.message_id ?? '@original';
      const resolved = id === '@original' ? i.originalId : id === i.originalId || i.followUpIds.includes(id) ? id : undefined;
      if (!resolved || !this.messages.has(resolved))
        return this.#reject(c.record, 'interaction', 404, { code: 10008, message: 'Unknown Message' }, `interaction ${i.id} has no message ${id}`);
      return resolved;
    };
    const withMessage =
      (fn: (c: Ctx, i: FakeInteraction, messageId: string) => Reply): Handler =>
      (c) => {
        const i = interactionOf(c);
        if (!(i instanceof FakeInteraction)) return i;
        const id = messageOf(c, i);
        return typeof id === 'string' ? fn(c, i, id) : id;
      };
    const getMessage = withMessage((_c, _i, id) => ok(this.messages.get(id)));
    const editMessage = withMessage((c, i, id) => {
      const message = this.#editMessage(id, c.body ?? {}, c.files);
      if (id === i.originalId) {
        i.edits.push(c.body);
        i.finals.push(c.body);
      }
      return ok(message);
    });
    const deleteMessage = withMessage((_c, _i, id) => {
      this.messages.delete(id);
      return ok();
    });

    const channelMessage = (c: Ctx): string | Reply => {
      if (c.params.channel_id !== this.channelId) return this.#reject(c.record, 'access', 404, { code: 10003, message: 'Unknown Channel' }, `no channel ${c.params.channel_id}`);
      const id = c.params.message_id!;
      return this.messages.get(id)?.channel_id === this.channelId ? id : this.#reject(c.record, 'access', 404, { code: 10008, message: 'Unknown Message' }, `no message ${id}`);
    };

    return {
      'GET /gateway': () => ok(gateway()),
      'GET /gateway/bot': () => ok({ ...gateway(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } }),
      'GET /users/@me': () => ok(this.botUser),
      'GET /applications/@me': () => ok(application()),
      'GET /oauth2/applications/@me': () => ok(application()),
      'GET /applications/{application_id}/commands': listCommands,
      'PUT /applications/{application_id}/commands': putCommands,
      'POST /applications/{application_id}/commands': postCommand,
      'GET /applications/{application_id}/guilds/{guild_id}/commands': listCommands,
      'PUT /applications/{application_id}/guilds/{guild_id}/commands': putCommands,
      'POST /applications/{application_id}/guilds/{guild_id}/commands': postCommand,

      'GET /guilds/{guild_id}': (c) =>
        c.params.guild_id === this.guildId
          ? ok(this.#guildCreate())
          : this.#reject(c.record, 'access', 404, { code: 10004, message: 'Unknown Guild' }, `no guild ${c.params.guild_id}`),
      'GET /guilds/{guild_id}/members/{user_id}': (c) => {
        const member = (this.#guildCreate().members as Json[]).find((m) => m.user.id === c.params.user_id);
        return member && c.params.guild_id === this.guildId
          ? ok(member)
          : this.#reject(c.record, 'access', 404, { code: 10007, message: 'Unknown Member' }, `no member ${c.params.user_id}`);
      },
      'GET /channels/{channel_id}': (c) =>
        c.params.channel_id === this.channelId
          ? ok({ ...this.#channel, guild_id: this.guildId })
          : this.#reject(c.record, 'access', 404, { code: 10003, message: 'Unknown Channel' }, `no channel ${c.params.channel_id}`),
      'POST /channels/{channel_id}/typing': (c) =>
        c.params.channel_id === this.channelId ? ok() : this.#reject(c.record, 'access', 404, { code: 10003, message: 'Unknown Channel' }, `no channel ${c.params.channel_id}`),
      'POST /channels/{channel_id}/messages': (c) => {
        if (c.params.channel_id !== this.channelId) return this.#reject(c.record, 'access', 404, { code: 10003, message: 'Unknown Channel' }, `no channel ${c.params.channel_id}`);
        if (isEmptyMessage(c.body, c.files)) return this.#reject(c.record, 'schema', 400, { code: 50006, message: 'Cannot send an empty message' }, 'empty message');
        return ok(this.#newMessage(c.body, c.files));
      },
      'GET /channels/{channel_id}/messages/{message_id}': (c) => {
        const id = channelMessage(c);
        return typeof id === 'string' ? ok(this.messages.get(id)) : id;
      },
      'PATCH /channels/{channel_id}/messages/{message_id}': (c) => {
        const id = channelMessage(c);
        return typeof id === 'string' ? ok(this.#editMessage(id, c.body ?? {}, c.files)) : id;
      },
      'DELETE /channels/{channel_id}/messages/{message_id}': (c) => {
        const id = channelMessage(c);
        if (typeof id !== 'string') return id;
        this.messages.delete(id);
        return ok();
      },

      'POST /interactions/{interaction_id}/{interaction_token}/callback': (c) => this.#callback(c),
      'GET /webhooks/{webhook_id}/{webhook_token}/messages/@original': getMessage,
      'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original': editMessage,
      'DELETE /webhooks/{webhook_id}/{webhook_token}/messages/@original': deleteMessage,
      'GET /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}': getMessage,
      'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}': editMessage,
      'DELETE /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}': deleteMessage,
      'POST /webhooks/{webhook_id}/{webhook_token}': (c) => {
        const i = interactionOf(c);
        if (!(i instanceof FakeInteraction)) return i;
        if (isEmptyMessage(c.body, c.files)) return this.#reject(c.record, 'schema', 400, { code: 50006, message: 'Cannot send an empty message' }, 'empty follow-up');
        const message = this.#newMessage(c.body, c.files, this.#interactionMessageFields(i));
        i.followUps.push(c.body);
        i.followUpIds.push(message.id);
        return c.query.get('wait') === 'true' ? ok(message) : ok();
      },
    };
  }

  #callback(c: Ctx): Reply {
    const i = this.#interactions.get(c.params.interaction_token!);
    if (!i || i.id !== c.params.interaction_id)
      return this.#reject(c.record, 'interaction', 404, { code: 10062, message: 'Unknown interaction' }, 'callback for an interaction that was never dispatched');
    const ackMs = Date.now() - i.dispatchedAt;
    if (i.callback)
      return this.#reject(c.record, 'interaction', 400, { code: 40060, message: 'Interaction has already been acknowledged.' }, `interaction ${i.id} acknowledged twice`);
    if (ackMs > this.ackDeadlineMs)
      return this.#reject(
        c.record,
        'interaction',
        404,
        { code: 10062, message: 'Unknown interaction' },
        `interaction ${i.id} acknowledged after ${ackMs} ms (limit ${this.ackDeadlineMs} ms)`,
      );
    const type = c.body.type as InteractionResponseType;
    if (!ALLOWED_CALLBACKS[i.payload.type]?.includes(type)) {
      return this.#reject(
        c.record,
        'interaction',
        400,
        { code: 50035, message: 'Invalid Form Body', errors: { type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: 'Invalid interaction response type' }] } } },
        `callback type ${type} is not valid for interaction type ${i.payload.type}`,
      );
    }
    const data: MessageBody = c.body.data ?? {};
    if (type === InteractionResponseType.ChannelMessageWithSource && isEmptyMessage(data, c.files)) {
      return this.#reject(c.record, 'schema', 400, { code: 50006, message: 'Cannot send an empty message' }, `empty reply to interaction ${i.id}`);
    }

    i.callback = c.body;
    i.ackMs = ackMs;
    const componentMessage = i.payload.type === InteractionType.MessageComponent || i.payload.type === InteractionType.ModalSubmit ? i.payload.message?.id : undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource:
        i.originalId = this.#newMessage(data, c.files, this.#interactionMessageFields(i)).id;
        break;
      case InteractionResponseType.DeferredChannelMessageWithSource:
        i.originalId = this.#newMessage({}, [], { ...this.#interactionMessageFields(i), flags: (data.flags ?? 0) | MessageFlags.Loading }).id;
        break;
      case InteractionResponseType.DeferredMessageUpdate:
        i.originalId = componentMessage;
        break;
      case InteractionResponseType.UpdateMessage:
        i.originalId = componentMessage;
        if (componentMessage && this.messages.has(componentMessage)) this.#editMessage(componentMessage, data, c.files);
        break;
    }
    if (([4, 7, 8, 9] as InteractionResponseType[]).includes(type)) i.finals.push(data);

    if (c.query.get('with_response') !== 'true') return { status: 204 };
    const message = i.originalId === undefined ? undefined : this.messages.get(i.originalId);
    return {
      status: 200,
      body: {
        interaction: {
          id: i.id,
          type: i.payload.type,
          response_message_id: message?.id,
          response_message_loading: type === 5,
          response_message_ephemeral: ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
        },
        resource: { type, ...(message && type !== 6 ? { message } : {}) },
      },
    };
  }

  #interactionMessageFields(i: FakeInteraction): Partial<APIMessage> {
    const user = i.payload.member?.user ?? i.payload.user!;
    return {
      type: i.payload.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
      webhook_id: this.applicationId,
      application_id: this.applicationId,
      interaction_metadata: {
        id: i.id,
        type: i.payload.type,
        user,
        authorizing_integration_owners: i.payload.authorizing_integration_owners,
        ...(i.payload.type === InteractionType.ApplicationCommand ? { name: i.payload.data.name } : {}),
      } as APIMessage['interaction_metadata'],
    };
  }
}
