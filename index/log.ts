import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/**
 * Logs go to stderr so that `ask --json` keeps stdout for data. Pretty in development, JSON lines
 * otherwise (what log shippers want). The Discord token is redacted wherever it might appear.
 */
export function createLogger(config: Pick<Config, 'env' | 'logLevel'>): Logger {
  const options = {
    level: config.logLevel,
    redact: { paths: ['token', '*.token', 'config.discord.token', 'headers.authorization'], censor: '[redacted]' },
  };
  if (config.env === 'development') {
    return pino(
      options,
      pino.transport({ target: 'pino-pretty', options: { destination: 2, colorize: process.stderr.isTTY, ignore: 'pid,hostname' } }),
    );
  }
  return pino(options, pino.destination(2));
}
