// A line for the terminal: what it says to a person, and the same facts as fields for a machine.
// 'pretty' writes the message alone (pino-pretty adds the time and level); 'json' writes both.
import type { LogFormat } from '../config.ts';

export interface LogLine {
  level: 'info' | 'warn';
  /** One readable line. */
  message: string;
  /** The same facts for `--log-format json`. */
  fields: Record<string, unknown>;
}

export interface LineLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Writes lines to a pino logger in the configured format. */
export function lineWriter(log: LineLogger, format: LogFormat): (line: LogLine) => void {
  if (format === 'json') return (line) => log[line.level](line.fields, line.message);
  const none = {};
  return (line) => log[line.level](none, line.message);
}
