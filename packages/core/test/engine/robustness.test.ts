import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/config/cli-args.js';
import { ConfigError } from '../../src/config/config-error.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import { ChunkChannel } from '../../src/engine/chunk-channel.js';
import { FlowAbortedError } from '../../src/engine/flow-errors.js';
import { errorMessage } from '../../src/errors.js';
import { BaseOp } from '../../src/op/base-op.js';
import { collect, testApp } from '../helpers/app.js';
import { events } from '../helpers/test-ops.js';

class BadChunkOp extends BaseOp {
  static override options = { kind: 'done' };
  async execute(): Promise<void> {
    const kind = this.option<string>('kind');
    const chunk =
      kind === 'empty' ? { chunk_type: 'answer', chunk: undefined } : { chunk_type: kind, chunk: 'x' };
    await this.context.addStreamChunk(chunk as never);
  }
}

describe('engine robustness', () => {
  it('refuses a high-water mark below 1 instead of hanging', () => {
    expect(() => new ChunkChannel(0)).toThrow('highWaterMark must be a whole number of at least 1, found 0');
    expect(() => new ChunkChannel(Number.NaN)).toThrow('at least 1');
  });

  it('an error formatter that throws still ends the stream with an error and done', async () => {
    const app = testApp({ flow: { f: { flow_content: 'FlakyOp(fail_times=9)' } } });
    const chunks = await collect(
      app.stream(
        'f',
        {},
        {
          formatError: () => {
            throw new Error('formatter bug');
          },
        },
      ),
    );
    expect(chunks.map((c) => [c.chunk_type, c.chunk])).toEqual([
      ['error', 'the flow failed'],
      ['done', ''],
    ]);
  });

  it('abort() without a reason fails the flow with FlowAbortedError, not a DOMException', async () => {
    const app = testApp({ flow: { f: { flow_content: 'WaitForAbortOp()' } } });
    const controller = new AbortController();
    const running = app.run('f', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(running).rejects.toBeInstanceOf(FlowAbortedError);
  });

  it('a timeout releases an op blocked on a full stream even if nobody reads', async () => {
    const app = testApp({ flow: { f: { flow_content: 'CountOp(count=50)', timeout: 0.05 } } });
    const stream = app.stream('f', {}, { highWaterMark: 2 });
    await stream.settled;
    expect(events.filter((e) => e.startsWith('produce:')).length).toBeLessThan(50);
    const chunks = await collect(stream);
    expect(chunks.at(-2)).toMatchObject({ chunk_type: 'error', chunk: "flow 'f' timed out after 0.05s" });
  });

  it.each([
    ['done', "ops may not send a 'done' chunk"],
    ['text', "unknown chunk_type 'text'; expected think, answer, tool, usage or error"],
    ['empty', 'a chunk must carry a string, an object or an array'],
  ])('ops cannot put an invalid chunk on the wire (%s)', async (kind, message) => {
    const app = createFlowApp({
      env: {},
      ops: [BadChunkOp],
      config: { flow: { f: { flow_content: `BadChunkOp(kind="${kind}")`, stream: true } } },
    });
    const chunks = await collect(app.stream('f'));
    expect(chunks[0]).toMatchObject({ chunk_type: 'error', done: true });
    expect(String(chunks[0]?.chunk)).toContain(message);
  });

  it('never prints a thrown object, and names an error without a message', () => {
    expect(errorMessage({ headers: { authorization: 'Bearer sk-1' } })).toBe('unknown error');
    expect(errorMessage(new TypeError(''))).toBe('TypeError');
  });

  it('a bad mock script pattern fails at start-up with its key path', () => {
    let error: unknown;
    try {
      createFlowApp({ env: {}, config: { llm: { default: { backend: 'mock', script: [{ match: '(' }] } } } });
    } catch (caught) {
      error = caught;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain(
      'llm.default: script[0].match is not a valid regular expression',
    );
  });

  it('an argument without = that looks like a secret is not echoed', () => {
    const messageOf = (args: string[]) => {
      try {
        parseCliArgs(args);
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    };
    const message = messageOf(['llm.default.api_key', 'sk-secret-123456']);
    expect(message).toContain('key=value');
    expect(message).not.toContain('sk-secret');
    expect(messageOf(['llm.default.backend=sk-live-abc123'])).toBe('no error');
  });
});
