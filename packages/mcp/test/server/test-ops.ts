// Ops for the in-process server tests: answers of each shape, failures safe and unsafe to show, a
// stream of every chunk type, and an op that waits for its abort.
import { BaseOp, createFlowApp, type FlowApp, FlowllmError } from '@flowllm/core';

/** A value that must never reach an MCP client. */
export const SECRET = 'db-password-hunter2';

/** Abort reasons seen by {@link WaitForAbortOp}, in order. */
export const aborts: string[] = [];

export class ObjectAnswerOp extends BaseOp {
  async execute(): Promise<void> {
    this.context.response.answer = { city: this.context.get<string>('query'), temp_c: 14 };
  }
}

export class ListAnswerOp extends BaseOp {
  async execute(): Promise<void> {
    this.context.response.answer = [1, 2];
  }
}

export class SecretFailOp extends BaseOp {
  async execute(): Promise<void> {
    throw new Error(`cannot connect with ${SECRET}`);
  }
}

export class ExposedFailOp extends BaseOp {
  async execute(): Promise<void> {
    throw new FlowllmError<'TEST_QUOTA'>('TEST_QUOTA', 'the quota is used up', { expose: true });
  }
}

export class EveryChunkOp extends BaseOp {
  async execute(): Promise<void> {
    await this.context.addStreamChunkAndType('let me think', 'think');
    await this.context.addStreamChunkAndType('Hel', 'answer');
    await this.context.addStreamChunkAndType(
      { index: 0, id: 'c1', function: { arguments: '{}', name: 'search' }, type: 'function' },
      'tool',
    );
    await this.context.addStreamChunkAndType('lo', 'answer');
  }
}

export class WaitForAbortOp extends BaseOp {
  async execute(): Promise<void> {
    await this.context.addStreamChunkAndType('started', 'answer');
    await new Promise<void>((_, reject) => {
      this.signal.addEventListener('abort', () => {
        aborts.push(String((this.signal.reason as Error | undefined)?.message));
        reject(this.signal.reason);
      });
    });
  }
}

/** An app whose flows use the ops above (and `echo`, the offline mock model). */
export function testApp(overrides: string[] = []): FlowApp {
  const flow = (content: string, stream = false) => ({
    flow_content: content,
    stream,
    description: `runs ${content}`,
    input_schema: { query: { type: 'string' as const, required: false } },
  });
  return createFlowApp({
    config: {
      llm: { default: { backend: 'mock' } },
      flow: {
        object_answer: flow('ObjectAnswerOp()'),
        list_answer: flow('ListAnswerOp()'),
        secret_fail: flow('SecretFailOp()'),
        exposed_fail: flow('ExposedFailOp()'),
        every_chunk: flow('EveryChunkOp()', true),
        wait_for_abort: flow('WaitForAbortOp()', true),
        wait_for_abort_sync: flow('WaitForAbortOp()'),
      },
    },
    overrides,
    ops: [ObjectAnswerOp, ListAnswerOp, SecretFailOp, ExposedFailOp, EveryChunkOp, WaitForAbortOp],
    env: {},
  });
}
