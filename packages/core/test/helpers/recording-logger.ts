import type { ServiceLogger } from '../../src/http/service-types.js';

/** One logged event, details included. */
export interface LogEntry {
  level: 'error' | 'warn' | 'info';
  message: string;
  details: Record<string, unknown> | undefined;
}

/**
 * A logger that keeps every line as `<level> <message>`, for tests to read, and every entry with its
 * details (`entries`).
 */
export function recordingLogger(): { logger: ServiceLogger; logs: string[]; entries: LogEntry[] } {
  const logs: string[] = [];
  const entries: LogEntry[] = [];
  const record = (level: LogEntry['level']) => (message: string, details?: Record<string, unknown>) => {
    logs.push(`${level} ${message}`);
    entries.push({ level, message, details });
  };
  const logger: ServiceLogger = { error: record('error'), warn: record('warn'), info: record('info') };
  return { logger, logs, entries };
}
