/** What the stand-in's guild is made of: its channel, roles, members, the GUILD_CREATE payload and the common part of every interaction. */
import {
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  Locale,
  type APIInteractionGuildMember,
  type APIRole,
  type APIUser,
  type GuildFeature,
  type GuildMemberFlags,
  type RoleFlags,
} from 'discord.js';
import { botPermissions, memberPermissions } from './interactions.ts';
import type { Json } from './spec.ts';
import type { InteractionOptions } from './types.ts';

export interface World {
  readonly applicationId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly ownerId: string;
  readonly botRoleId: string;
  readonly botUser: APIUser;
  /** Default invoking user. */
  readonly user: APIUser;
  /** Roles given to interacting members (named `role-<id>`). */
  readonly memberRoles: ReadonlySet<string>;
}

export function member(user: APIUser, roles: string[], permissions: bigint | string = memberPermissions): APIInteractionGuildMember {
  const joined_at = new Date(Date.now() - 86_400_000).toISOString();
  return {
    user,
    roles,
    permissions: String(permissions),
    joined_at,
    nick: null,
    avatar: null,
    flags: 0 as GuildMemberFlags,
    deaf: false,
    mute: false,
    premium_since: null,
    pending: false,
    communication_disabled_until: null,
  };
}

export function channel(id: string) {
  return {
    id,
    type: ChannelType.GuildText as const,
    name: 'general',
    position: 0,
    permission_overwrites: [],
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    parent_id: null,
  };
}

export function role(id: string, name: string, permissions: bigint, extra: Partial<APIRole> = {}): APIRole {
  return {
    id,
    name,
    permissions: String(permissions),
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...extra,
  };
}

export function guildCreate(w: World): Json {
  return {
    id: w.guildId,
    name: 'Fake Guild',
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: w.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    roles: [
      // The @everyone role shares the guild's id.
      role(w.guildId, '@everyone', memberPermissions),
      role(w.botRoleId, w.botUser.username, botPermissions, { position: 1, managed: true, tags: { bot_id: w.botUser.id } }),
      ...[...w.memberRoles].map((id) => role(id, `role-${id}`, 0n)),
    ],
    emojis: [],
    stickers: [],
    features: [],
    application_id: null,
    system_channel_id: w.channelId,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    preferred_locale: Locale.EnglishUS,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    max_members: 500_000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    joined_at: new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    presences: [],
    threads: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    members: [member(w.botUser, [w.botRoleId], botPermissions), member(w.user, [])].map(({ permissions: _, ...m }) => m),
    channels: [channel(w.channelId)],
  };
}

export function interactionBase(w: World, { user, roles = [], permissions, locale = Locale.EnglishUS, dm = false }: InteractionOptions) {
  if (dm) {
    const who = { ...w.user, ...user };
    return {
      id: '0',
      token: '',
      application_id: w.applicationId,
      version: 1 as const,
      // The DM channel's id is the guild channel's: messages are kept in one place by the stand-in.
      channel_id: w.channelId,
      channel: { id: w.channelId, type: ChannelType.DM as const, last_message_id: null, recipients: [who], flags: 0 },
      user: who,
      app_permissions: String(botPermissions),
      locale,
      entitlements: [],
      // A guild-installed app used in its bot DM: the guild install's owner id is "0".
      authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: '0' },
      context: InteractionContextType.BotDM,
      attachment_size_limit: 10 * 1024 * 1024,
    };
  }
  return {
    id: '0', // replaced by interact()
    token: '',
    application_id: w.applicationId,
    version: 1 as const,
    guild_id: w.guildId,
    guild: { id: w.guildId, locale: Locale.EnglishUS, features: [] as GuildFeature[] },
    channel_id: w.channelId,
    channel: { ...channel(w.channelId), guild_id: w.guildId },
    member: member({ ...w.user, ...user }, roles, permissions),
    app_permissions: String(botPermissions),
    locale,
    guild_locale: Locale.EnglishUS,
    entitlements: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: w.guildId },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10 * 1024 * 1024,
  };
}
