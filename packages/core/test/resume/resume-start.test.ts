// A store that cannot start: serve() fails, an embedder's service logs it once and answers 503.
import { describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import { serve } from '../../src/http/serve.js';
import { FlowService } from '../../src/http/service.js';
import type { EventLog } from '../../src/resume/event-log.js';
import { createMemoryEventLog } from '../../src/resume/memory-event-log.js';

function failingLog(): EventLog {
  const log = createMemoryEventLog();
  log.start = async () => {
    // What a Redis store says (redacted): the password never reaches a message.
    throw new Error('cannot connect to redis://[redacted]@127.0.0.1:1');
  };
  return log;
}

const app = () =>
  createFlowApp({
    env: {},
    config: {
      resume: { backend: 'memory' },
      llm: { default: { backend: 'mock', answer: 'hi' } },
      flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
    },
  });

describe('a resume store that cannot start', () => {
  it('fails serve() before it listens', async () => {
    await expect(serve(app(), { port: 0, eventLog: failingLog(), logger: quiet() })).rejects.toThrow(
      /cannot connect to redis:\/\/\[redacted\]@/,
    );
  });

  it('makes an embedded service log it once and answer 503 on stream flows and run routes', async () => {
    const logs: string[] = [];
    const service = new FlowService(app(), { eventLog: failingLog(), logger: quiet(logs) });
    await expect(service.ready()).rejects.toThrow(/cannot connect/);
    const post = await service.fetch(
      new Request('http://x/chat', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"a"}',
      }),
    );
    expect(post.status).toBe(503);
    expect(post.headers.get('retry-after')).toBe('5');
    expect((await service.fetch(new Request('http://x/chat/runs/abc'))).status).toBe(503);
    expect(logs.filter((line) => line.includes('could not start'))).toHaveLength(1);
    service.shutdown();
  });

  it('backend redis: an install hint without @flowllm/redis, a connection error with it; never the password', async () => {
    const redisApp = createFlowApp({
      env: {},
      config: {
        resume: { backend: 'redis', redis_url: 'redis://:hunter2-secret@127.0.0.1:1' },
        flow: { chat: { flow_content: 'StreamChatOp()', stream: true } },
        llm: { default: { backend: 'mock', answer: 'hi' } },
      },
    });
    const logs: string[] = [];
    const service = new FlowService(redisApp, { logger: quiet(logs) });
    const failure = await service.ready().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    service.shutdown();
    expect(failure).toBeInstanceOf(Error);
    const installed = !String(failure?.message).includes('npm install @flowllm/redis');
    if (!installed)
      expect(failure?.message).toBe('resume.backend redis needs @flowllm/redis: npm install @flowllm/redis');
    expect(String(failure?.message)).not.toContain('hunter2-secret');
    expect(logs.join('\n')).not.toContain('hunter2-secret');
  });
});

function quiet(into: string[] = []) {
  return {
    error: (message: string) => into.push(message),
    warn: (message: string) => into.push(message),
    info: (message: string) => into.push(message),
  };
}
