// Fastify's logger (pino) as the config asks for it: off ('silent'), JSON lines, or readable lines
// through pino-pretty.
//
// pino-pretty runs as a stream in the main thread, writing synchronously: a line is formatted after
// its request's response is on its way, and only at level info (one line per request). Measured
// against a worker-thread transport in docs/decisions.md ("Readable logs (issue 17)").
import type { FastifyServerOptions } from 'fastify';
import pretty from 'pino-pretty';
import type { Config } from '../config.ts';

/** What pino-pretty is told: the time of day, the level, the line; nothing of pino's own bookkeeping. */
export const PRETTY_OPTIONS = {
  translateTime: 'SYS:HH:MM:ss.l',
  ignore: 'pid,hostname,reqId',
  // Colours when stdout is a terminal (pino-pretty's default); never in a pipe or a file.
  sync: true,
} as const;

export function loggerOptions(config: Pick<Config, 'logLevel' | 'logFormat'>): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  if (config.logFormat === 'json') return { level: config.logLevel };
  return { level: config.logLevel, stream: pretty(PRETTY_OPTIONS) };
}

/**
 * Fastify's own pair of lines per request ("incoming request", "request completed") only at debug
 * and below: at info the request log's one line per API request says it (platform/logging/request-line.ts).
 */
export function fastifyRequestLogging(config: Pick<Config, 'logLevel'>): boolean {
  return config.logLevel === 'debug' || config.logLevel === 'trace';
}

/** Whether info lines are written at this level (one line per request and webhook attempt). */
export function logsInfo(config: Pick<Config, 'logLevel'>): boolean {
  return config.logLevel === 'info' || fastifyRequestLogging(config);
}
