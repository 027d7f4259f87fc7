/**
 * The only place that reads the environment. `.env` (if present) fills in what the real environment
 * does not set; every variable is validated at once so a broken setup reports all its problems together.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { QuotedeskError } from './errors.ts';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');
const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const snowflake = z
  .string()
  .regex(/^\d{17,20}$/, 'must be a Discord id (17–20 digits)')
  .optional()
  .or(z.literal('').transform(() => undefined));

/** Most passages one answer shows (the `results` option, MAX_RESULTS, the CLI's --results). */
export const RESULT_LIMIT = 10;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  CORPUS_DIR: z.string().min(1).default('corpus'),
  DATA_DIR: z.string().min(1).default('data'),

  EMBEDDING_MODEL: z.string().min(1).default('Xenova/multilingual-e5-small'),
  EMBEDDING_QUANTIZED: bool.default(true),
  QUERY_PREFIX: z.string().default('query: '),
  PASSAGE_PREFIX: z.string().default('passage: '),
  MODELS_DIR: z.string().min(1).default('models'),
  MODEL_CACHE_DIR: z.string().min(1).default('.cache/transformers'),
  ALLOW_REMOTE_MODELS: bool.default(true),
  /** Off: answer from the lexical index alone and never load a model (e.g. on a machine without one). */
  SEMANTIC_SEARCH: bool.default(true),
  EMBED_BATCH_SIZE: positiveInt(256).default(16),

  MAX_RESULTS: positiveInt(RESULT_LIMIT).default(5),
  MAX_PER_ARTICLE: positiveInt(10).default(3),
  MAX_QUESTION_CHARS: positiveInt(4000).default(500),

  DISCORD_TOKEN: optionalString,
  DISCORD_CLIENT_ID: snowflake,
  DISCORD_GUILD_ID: snowflake,
  REINDEX_ROLE: optionalString,
  RATE_LIMIT_PER_MINUTE: positiveInt(1000).default(6),
  WATCH_CORPUS: bool.default(false),
  /** Answers visible to the whole channel instead of only to the asker. */
  PUBLIC_ANSWERS: bool.default(false),
  /** Feedback lines name the Discord user who clicked (off: nothing personal is stored). */
  FEEDBACK_STORE_USERS: bool.default(false),
});

type Raw = z.infer<typeof schema>;

export interface Config {
  readonly env: Raw['NODE_ENV'];
  readonly logLevel: Raw['LOG_LEVEL'];
  readonly corpusDir: string;
  readonly dataDir: string;
  readonly embedding: {
    readonly model: string;
    readonly quantized: boolean;
    readonly queryPrefix: string;
    readonly passagePrefix: string;
    readonly modelsDir: string;
    readonly cacheDir: string;
    readonly allowRemote: boolean;
    readonly enabled: boolean;
    readonly batchSize: number;
  };
  readonly retrieval: {
    readonly maxResults: number;
    readonly maxPerArticle: number;
    readonly maxQuestionChars: number;
  };
  readonly discord: {
    readonly token: string | undefined;
    readonly clientId: string | undefined;
    readonly guildId: string | undefined;
    readonly reindexRole: string | undefined;
    readonly rateLimitPerMinute: number;
    readonly watchCorpus: boolean;
    readonly publicAnswers: boolean;
    readonly feedbackStoreUsers: boolean;
  };
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object') deepFreeze(child);
  }
  return Object.freeze(value);
}

/**
 * @param env variables to read; defaults to `.env` in `cwd` overlaid by the process environment.
 * @param cwd base for relative paths.
 * @param defaults values for variables that neither `.env` nor the environment set (e.g. the benchmark's model).
 */
export function loadConfig(env?: Record<string, string | undefined>, cwd = process.cwd(), defaults: Record<string, string> = {}): Config {
  const vars = env ?? { ...defaults, ...readDotenv(path.join(cwd, '.env')), ...process.env };
  const parsed = schema.safeParse(vars);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new QuotedeskError('CONFIG_INVALID', `quotedesk: invalid configuration (see .env.example):\n${problems.join('\n')}`);
  }
  const v = parsed.data;
  const abs = (p: string) => path.resolve(cwd, p);
  return deepFreeze({
    env: v.NODE_ENV,
    logLevel: v.LOG_LEVEL,
    corpusDir: abs(v.CORPUS_DIR),
    dataDir: abs(v.DATA_DIR),
    embedding: {
      model: v.EMBEDDING_MODEL,
      quantized: v.EMBEDDING_QUANTIZED,
      queryPrefix: v.QUERY_PREFIX,
      passagePrefix: v.PASSAGE_PREFIX,
      modelsDir: abs(v.MODELS_DIR),
      cacheDir: abs(v.MODEL_CACHE_DIR),
      allowRemote: v.ALLOW_REMOTE_MODELS,
      enabled: v.SEMANTIC_SEARCH,
      batchSize: v.EMBED_BATCH_SIZE,
    },
    retrieval: {
      maxResults: v.MAX_RESULTS,
      maxPerArticle: v.MAX_PER_ARTICLE,
      maxQuestionChars: v.MAX_QUESTION_CHARS,
    },
    discord: {
      token: v.DISCORD_TOKEN,
      clientId: v.DISCORD_CLIENT_ID,
      guildId: v.DISCORD_GUILD_ID,
      reindexRole: v.REINDEX_ROLE,
      rateLimitPerMinute: v.RATE_LIMIT_PER_MINUTE,
      watchCorpus: v.WATCH_CORPUS,
      publicAnswers: v.PUBLIC_ANSWERS,
      feedbackStoreUsers: v.FEEDBACK_STORE_USERS,
    },
  });
}

function readDotenv(file: string): Record<string, string> {
  return existsSync(file) ? dotenv.parse(readFileSync(file)) : {};
}
