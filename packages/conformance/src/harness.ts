import type { FlowApp, FlowService } from '@flowllm/core';
import type { MockLlm } from '@flowllm/core/models';
import { afterEach, beforeEach } from 'vitest';
import { destroyClients } from './client.js';
import { conformanceOps, probe } from './ops.js';
import type { AppConfig, ConformanceTarget, StartOptions } from './types.js';
import { type LogLine, recordingLogger } from './util.js';

export interface Running {
  /** Where our routes are: the server's origin plus the prefix. */
  url: string;
  /** The server's origin (the host's routes are there). */
  origin: string;
  app: FlowApp;
  service: FlowService;
  /** Lines the service logged. */
  logs: LogLine[];
  /** Errors that reached the host's error handling. */
  hostErrors: unknown[];
  /** The mock model configured under `name`. */
  llm(name?: string): MockLlm;
  close(): Promise<void>;
}

export interface SuiteContext {
  target: ConformanceTarget;
  prefix: string;
  /** `[name]` or `[name /api]`, for console lines. */
  tag: string;
  start(config: AppConfig, options?: Pick<StartOptions, 'cors' | 'mcp'>): Promise<Running>;
}

/**
 * A context for the cases of one `describe`: `start` serves a config on the target, and every server
 * and client socket started in a test is closed after it. Call inside a `describe`.
 */
export function useTarget(target: ConformanceTarget, prefix: string): SuiteContext {
  const running: Running[] = [];
  beforeEach(() => probe.reset());
  afterEach(async () => {
    destroyClients();
    await Promise.all(running.splice(0).map((server) => server.close()));
  });
  return {
    target,
    prefix,
    tag: prefix ? `[${target.name} ${prefix}]` : `[${target.name}]`,
    async start(config, options = {}) {
      const logger = recordingLogger();
      const started = await target.start({ config, ops: conformanceOps, prefix, logger, ...options });
      const server: Running = {
        url: started.url + prefix,
        origin: started.url,
        app: started.app,
        service: started.service,
        logs: logger.lines,
        hostErrors: started.hostErrors,
        llm: (name = 'default') => started.app.resources.llm(name) as MockLlm,
        close: started.close,
      };
      running.push(server);
      return server;
    },
  };
}
