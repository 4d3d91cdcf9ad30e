// Fastify's logger (pino) as the config asks for it: off ('silent'), JSON lines, or readable lines
// formatted by pino-pretty.
//
// Pretty lines are formatted in the main thread by pino-pretty's `prettyFactory` and written to
// stdout: no worker thread and none of the stream pipeline `pino-pretty()` builds (split, parse,
// transform, SonicBoom), which cost more per line than the formatting. Measured in docs/decisions.md,
// "Readable logs (issue 17)".
import type { FastifyServerOptions } from 'fastify';
import { prettyFactory } from 'pino-pretty';
import type { Config } from '../config.ts';

/**
 * What pino-pretty is told: the time of day, the level, the line; nothing of pino's own bookkeeping.
 * Colours when stdout is a terminal (pino-pretty's default); none in a pipe or a file.
 */
export const PRETTY_OPTIONS = {
  translateTime: 'SYS:HH:MM:ss.l',
  ignore: 'pid,hostname,reqId',
} as const;

/** A pino destination that writes each line as pino-pretty formats it. */
export function prettyDestination(out: Pick<NodeJS.WritableStream, 'write'> = process.stdout): { write(line: string): void } {
  const format = prettyFactory(PRETTY_OPTIONS);
  return {
    write(line) {
      out.write(format(line));
    },
  };
}

export function loggerOptions(config: Pick<Config, 'logLevel' | 'logFormat'>): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  if (config.logFormat === 'json') return { level: config.logLevel };
  return { level: config.logLevel, stream: prettyDestination() };
}

/**
 * Fastify's own pair of lines per request ("incoming request", "request completed") only at debug
 * and below: at info the request log's one line per API request says it (platform/logging/request-line.ts).
 */
export function fastifyRequestLogging(config: Pick<Config, 'logLevel'>): boolean {
  return config.logLevel === 'debug' || config.logLevel === 'trace';
}
