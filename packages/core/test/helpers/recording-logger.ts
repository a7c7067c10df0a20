import type { ServiceLogger } from '../../src/http/service-types.js';

/** A logger that keeps every line as `<level> <message>`, for tests to read. */
export function recordingLogger(): { logger: ServiceLogger; logs: string[] } {
  const logs: string[] = [];
  const logger: ServiceLogger = {
    error: (message) => logs.push(`error ${message}`),
    warn: (message) => logs.push(`warn ${message}`),
    info: (message) => logs.push(`info ${message}`),
  };
  return { logger, logs };
}
