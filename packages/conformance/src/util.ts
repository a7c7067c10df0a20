import type { FlowllmConfigInput, ServiceLogger } from '@flowllm/core';

type FlowInput = NonNullable<FlowllmConfigInput['flow']>[string];

export interface LogLine {
  level: 'error' | 'warn' | 'info';
  message: string;
  details?: Record<string, unknown>;
}

/** A logger that keeps every line, so tests can assert what was (and was not) logged. */
export function recordingLogger(): ServiceLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    error: (message, details) => lines.push({ level: 'error', message, details }),
    warn: (message, details) => lines.push({ level: 'warn', message, details }),
    info: (message, details) => lines.push({ level: 'info', message, details }),
  };
}

// In a module of their own, without imports, so core's tests can use them too.
export { HANG_MS, settles, sleep, waitFor } from './wait.js';

/** A flow config map from `name: flow_content` or full flow entries. */
export function flows(entries: Record<string, string | FlowInput>): Record<string, FlowInput> {
  return Object.fromEntries(
    Object.entries(entries).map(([name, value]) => [
      name,
      typeof value === 'string' ? { flow_content: value } : value,
    ]),
  );
}

/** The path below `prefix` ('' or '/api'), or undefined when `path` is outside it. */
export function belowPrefix(path: string, prefix: string): string | undefined {
  if (!prefix) return path;
  if (path !== prefix && !path.startsWith(`${prefix}/`)) return undefined;
  return path.slice(prefix.length) || '/';
}
