import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
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
    // In-process (not a transport thread): CLI runs are short and must not lose their last lines on exit.
    return pino(options, pretty({ destination: 2, sync: true, colorize: process.stderr.isTTY, ignore: 'pid,hostname' }));
  }
  return pino(options, pino.destination(2));
}
