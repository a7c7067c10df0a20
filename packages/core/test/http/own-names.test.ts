// Names from a request or a config are looked up by own name only: `/toString` is not a route, a flow
// or field named `toString` works, and no lookup reads Object.prototype.
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowllmConfigInput } from '../../src/config/config-input.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import { FlowApp } from '../../src/engine/flow-app.js';
import { handleFetchRequest } from '../../src/http/fetch-handler.js';
import { inputFromQuery } from '../../src/http/input-validation.js';
import { FlowService } from '../../src/http/service.js';
import { BaseOp } from '../../src/op/base-op.js';
import { PromptTemplates } from '../../src/op/prompt-templates.js';
import { closer } from '../models/helpers/backends.js';
import { startFlowServer } from '../models/helpers/flow-server.js';

const PROTOTYPE_NAMES = [
  'toString',
  'constructor',
  'valueOf',
  '__proto__',
  'hasOwnProperty',
  'isPrototypeOf',
];

/** Answers what the request's `toString` field is in the context: its type and value. */
class ToStringFieldOp extends BaseOp {
  async execute(): Promise<void> {
    const value = this.context.get('toString');
    this.context.response.answer = `${typeof value}:${String(value)}`;
  }
}

const servers = closer();
afterEach(() => servers.closeAll());

function appWith(flows: FlowllmConfigInput['flow']): FlowApp {
  return createFlowApp({
    env: {},
    ops: [ToStringFieldOp],
    config: { llm: { default: { backend: 'mock', answer: 'ok {input}' } }, flow: flows },
  });
}

async function serve(app: FlowApp): Promise<string> {
  return servers.add(await startFlowServer({ app })).url;
}

async function call(url: string, method: string, body?: unknown) {
  const response = await fetch(url, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, text: await response.text() };
}

describe('paths named like Object.prototype members', () => {
  it('are not routes: 404 {"detail":"Not Found"} on a real socket, GET and POST, plain or escaped', async () => {
    const url = await serve(appWith({ chat: { flow_content: 'ChatOp()' } }));
    for (const name of [...PROTOTYPE_NAMES, '%5F%5Fproto%5F%5F', 'to%53tring']) {
      for (const method of ['GET', 'POST']) {
        const reply = await call(`${url}/${name}`, method, method === 'POST' ? { query: 'q' } : undefined);
        expect(reply, `${method} /${name}`).toEqual({ status: 404, text: '{"detail":"Not Found"}' });
      }
    }
    expect((await call(`${url}/health`, 'GET')).status).toBe(200);
  });

  it('fall through to the host in middleware mode (the fetch handler returns undefined)', async () => {
    const service = new FlowService(appWith({ chat: { flow_content: 'ChatOp()' } }));
    for (const name of PROTOTYPE_NAMES) {
      expect(
        await handleFetchRequest(service, new Request(`http://localhost/${name}`)),
        name,
      ).toBeUndefined();
      expect(service.handles(`/${name}`), name).toBe(false);
    }
  });
});

describe('flows and fields named like Object.prototype members', () => {
  it('flows named toString, valueOf and hasOwnProperty are served', async () => {
    const url = await serve(
      appWith({
        toString: { flow_content: 'ChatOp()' },
        valueOf: { flow_content: 'ChatOp()' },
        hasOwnProperty: { flow_content: 'ChatOp()' },
      }),
    );
    for (const name of ['toString', 'valueOf', 'hasOwnProperty']) {
      const reply = await call(`${url}/${name}`, 'POST', { query: name });
      expect(reply.status, name).toBe(200);
      expect(JSON.parse(reply.text).answer).toBe(`ok ${name}`);
    }
  });

  it('a flow named constructor is served (the config refuses the key, an app built in code may use it)', async () => {
    const built = appWith({ chat: { flow_content: 'ChatOp()' } });
    const app = new FlowApp({
      config: built.config,
      warnings: built.warnings,
      resources: built.resources,
      builder: built['builder'],
      flows: new Map([['constructor', built.flow('chat')]]),
    });
    const url = await serve(app);
    const reply = await call(`${url}/constructor`, 'POST', { query: 'hi' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text).answer).toBe('ok hi');
  });

  it('a required field named toString that is missing → 422 missing', async () => {
    const url = await serve(
      appWith({
        strict: {
          flow_content: 'ToStringFieldOp()',
          input_schema: { toString: { type: 'string' as const } },
        },
      }),
    );
    const reply = await call(`${url}/strict`, 'POST', { query: 'q' });
    expect(reply.status).toBe(422);
    expect(JSON.parse(reply.text)).toEqual({
      detail: [{ type: 'missing', loc: ['body', 'toString'], msg: 'Field required', input: { query: 'q' } }],
    });
    const sent = await call(`${url}/strict`, 'POST', { toString: 'given' });
    expect(JSON.parse(sent.text).answer).toBe('string:given');
  });

  it('an optional field named toString that is absent is absent, not the inherited function', async () => {
    const url = await serve(
      appWith({
        loose: {
          flow_content: 'ToStringFieldOp()',
          input_schema: { toString: { type: 'string' as const, required: false } },
        },
        defaulted: {
          flow_content: 'ToStringFieldOp()',
          input_schema: { toString: { type: 'string' as const, required: false, default: 'fallback' } },
        },
      }),
    );
    expect(JSON.parse((await call(`${url}/loose`, 'POST', {})).text).answer).toBe('undefined:undefined');
    expect(JSON.parse((await call(`${url}/defaulted`, 'POST', {})).text).answer).toBe('string:fallback');
  });

  it('a query parameter named toString is a plain string, converted only by an own schema field', () => {
    const input = inputFromQuery({}, new URLSearchParams('toString=3&valueOf=true'));
    expect(input).toEqual(Object.assign(Object.create(null), { toString: '3', valueOf: 'true' }));
  });

  it('a prompt named toString is looked up by own name', () => {
    const prompts = new PromptTemplates({ greet: 'hi' });
    expect(() => prompts.get('toString')).toThrow("no prompt named 'toString' (known prompts: greet)");
    expect(() => prompts.get('greet', 'constructor')).not.toThrow();
    expect(prompts.get('greet', 'constructor')).toBe('hi');
  });
});
