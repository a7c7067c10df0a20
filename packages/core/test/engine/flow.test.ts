import { describe, expect, it } from 'vitest';
import { FlowllmError } from '../../src/errors.js';
import { collect, testApp } from '../helpers/app.js';
import { events } from '../helpers/test-ops.js';

const flows = (entries: Record<string, string | Record<string, unknown>>) => ({
  flow: Object.fromEntries(
    Object.entries(entries).map(([name, value]) => [
      name,
      typeof value === 'string' ? { flow_content: value } : value,
    ]),
  ),
});

describe('engine: execution', () => {
  it('runs >> in order on one shared context', async () => {
    const app = testApp(flows({ f: 'LogOp(label="a") >> LogOp(label="b", delay_ms=5) >> LogOp(label="c")' }));
    await app.run('f');
    expect(events).toEqual(['start:a', 'end:a', 'start:b', 'end:b', 'start:c', 'end:c']);
  });

  it('runs | concurrently on the same context', async () => {
    const app = testApp(flows({ f: 'LogOp(label="a", delay_ms=20) | LogOp(label="b", delay_ms=5)' }));
    const stream = app.stream('f');
    await collect(stream);
    expect(events).toEqual(['start:a', 'start:b', 'end:b', 'end:a']);
    expect(stream.response.success).toBe(true);
  });

  it('gives each request a fresh flow_id and a fresh op tree', async () => {
    const app = testApp(flows({ f: { flow_content: 'CountOp(count=1)', stream: true } }));
    const first = await collect(app.stream('f'));
    const second = await collect(app.stream('f'));
    expect(first[0]?.flow_id).toMatch(/^[0-9a-f]{32}$/);
    expect(first[0]?.flow_id).not.toBe(second[0]?.flow_id);
    const flow = app.flow('f');
    expect(flow.buildOpTree()).not.toBe(flow.buildOpTree());
  });

  it('puts request fields and FlowLLM base fields in the context', async () => {
    const app = testApp(flows({ f: 'UpperOp()' }));
    const response = await app.run('f', { query: 'hello', extra: 1 });
    expect(response).toEqual({ answer: 'HELLO', success: true, metadata: {} });
  });

  it('attaches sub-ops with << and runs them from the container', async () => {
    const app = testApp(flows({ f: 'ContainerOp() << {"one": LogOp(label="x"), "two": LogOp(label="y")}' }));
    await app.run('f');
    expect(events).toEqual(['sub:one', 'start:x', 'end:x', 'sub:two', 'start:y', 'end:y']);
  });

  it('<< on a group built with >> or | fails at start-up with the position of the operator', () => {
    expect(() => testApp(flows({ f: '(LogOp() >> LogOp()) << LogOp()' }))).toThrow(
      /flow\.f\.flow_content: line 1, column 22: << needs a single op on its left, not a group built with >>/,
    );
    expect(() => testApp(flows({ f: '(LogOp() | LogOp()) << [LogOp()]' }))).toThrow(
      /not a group built with \|/,
    );
  });

  it('an unknown flow name lists the served flows', () => {
    const app = testApp(flows({ a: 'UpperOp()', b: 'UpperOp()' }));
    expect(() => app.flow('c')).toThrow("unknown flow 'c'; served flows: a, b");
  });
});

describe('engine: streams', () => {
  it('ends every stream with the done chunk, in FlowLLM field order', async () => {
    const app = testApp(flows({ f: 'CountOp(count=2)' }));
    const chunks = await collect(app.stream('f'));
    expect(chunks.map((c) => [c.chunk_type, c.chunk, c.done])).toEqual([
      ['answer', 'token-0', false],
      ['answer', 'token-1', false],
      ['done', '', true],
    ]);
    expect(Object.keys(chunks[0]!)).toEqual(['flow_id', 'chunk_type', 'chunk', 'done', 'metadata']);
    expect(JSON.stringify(chunks[0])).toBe(
      `{"flow_id":"${chunks[0]!.flow_id}","chunk_type":"answer","chunk":"token-0","done":false,"metadata":{}}`,
    );
  });

  it('a failing op ends the stream with an error chunk then done', async () => {
    const app = testApp(flows({ f: 'CountOp(count=1) >> FlakyOp(fail_times=5)' }));
    const chunks = await collect(app.stream('f'));
    expect(chunks.map((c) => c.chunk_type)).toEqual(['answer', 'error', 'done']);
    expect(chunks[1]).toMatchObject({ chunk: 'FlakyOp failed: boom 1', done: true });
  });

  it('formatError decides what clients see of a failure', async () => {
    const app = testApp(flows({ f: 'FlakyOp(fail_times=5)' }));
    const chunks = await collect(app.stream('f', {}, { formatError: () => 'masked' }));
    expect(chunks[0]).toMatchObject({ chunk_type: 'error', chunk: 'masked' });
  });

  it('a slow consumer holds the producer at the high-water mark (backpressure)', async () => {
    const app = testApp(flows({ f: 'CountOp(count=100)' }));
    const stream = app.stream('f', {}, { highWaterMark: 4 });
    const first = await stream.next();
    expect(first.value?.chunk).toBe('token-0');
    await new Promise((resolve) => setTimeout(resolve, 30));
    const produced = events.filter((e) => e.startsWith('produce:')).length;
    expect(produced).toBeLessThanOrEqual(6);
    const rest = await collect(stream);
    expect(rest).toHaveLength(100);
  });
});

describe('engine: abort and timeout', () => {
  it('the caller aborting stops running ops and never starts the next ones', async () => {
    const app = testApp(flows({ f: 'WaitForAbortOp() >> LogOp(label="never")' }));
    const controller = new AbortController();
    const running = app.run('f', {}, { signal: controller.signal });
    while (!events.includes('waiting')) await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort(new Error('client left'));
    await expect(running).rejects.toThrow('client left');
    expect(events).toEqual(['waiting', 'aborted:client left']);
  });

  it("abortError turns any reason of the caller's signal into the error the flow fails with", async () => {
    const app = testApp(flows({ f: 'WaitForAbortOp()' }));
    const controller = new AbortController();
    const stream = app.stream(
      'f',
      {},
      { signal: controller.signal, abortError: (r) => new Error(`gone: ${r}`) },
    );
    while (!events.includes('waiting')) await new Promise((resolve) => setTimeout(resolve, 1));
    controller.abort('a runtime string');
    const rest = await collect(stream);
    expect(stream.failure).toBeInstanceOf(Error);
    expect((stream.failure as Error).message).toBe('gone: a runtime string');
    expect(rest.map((c) => c.chunk_type)).toEqual(['error', 'done']);
    expect(events).toEqual(['waiting', 'aborted:gone: a runtime string']);
  });

  it('a consumer that stops reading aborts the flow', async () => {
    const app = testApp(flows({ f: 'CountOp(count=1) >> WaitForAbortOp() >> LogOp(label="never")' }));
    const stream = app.stream('f');
    for await (const chunk of stream) {
      expect(chunk.chunk).toBe('token-0');
      while (!events.includes('waiting')) await new Promise((resolve) => setTimeout(resolve, 1));
      break;
    }
    await stream.settled;
    expect(stream.signal.aborted).toBe(true);
    expect(events).toContain('aborted:the stream consumer stopped reading');
    expect(events).not.toContain('start:never');
  });

  it('a per-flow timeout aborts the ops and streams a timeout error', async () => {
    const app = testApp(flows({ f: { flow_content: 'WaitForAbortOp()', timeout: 0.05 } }));
    const chunks = await collect(app.stream('f'));
    expect(chunks.map((c) => c.chunk_type)).toEqual(['error', 'done']);
    expect(chunks[0]?.chunk).toBe("flow 'f' timed out after 0.05s");
    await expect(app.run('f')).rejects.toSatisfy(
      (error: unknown) => FlowllmError.isInstance(error) && error.code === 'FLOWLLM_TIMEOUT',
    );
  });

  it('a parallel failure aborts the siblings and fails the flow once all settled', async () => {
    const app = testApp(flows({ f: 'WaitForAbortOp() | FlakyOp(fail_times=9)' }));
    await expect(app.run('f')).rejects.toThrow('FlakyOp failed: boom 1');
    expect(events).toContain('aborted:FlakyOp failed: boom 1');
  });
});
