// Validation as FlowLLM's FastAPI + pydantic v2 does it, over a real socket: lax scalar conversion,
// `{type, loc, msg, input}` items, FlowLLM's Message for `messages`, exclude_none, and the base fields in
// /openapi.json. Expected types, messages and conversions were produced with pydantic 2.13 on FlowLLM's
// request model (FlowRequest + create_pydantic_model).
import { afterEach, describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../../src/http/http-error.js';
import { BaseOp } from '../../src/op/base-op.js';
import { closer } from '../models/helpers/backends.js';
import { post, sseChunks, startFlowServer, textOf } from '../models/helpers/flow-server.js';

const PROBED = ['query', 'messages', 'n', 'x', 'b', 's', 'ids', 'r', 'extra', 'keep'];

/** Answers (or streams, as JSON) the request fields the flow's context holds, with their JSON types. */
class ProbeOp extends BaseOp {
  async execute(): Promise<void> {
    const seen = Object.fromEntries(
      PROBED.filter((key) => this.context.has(key)).map((key) => [key, this.context.get(key)]),
    );
    if (this.context.stream) await this.context.addStreamChunkAndType(JSON.stringify(seen), 'answer');
    else this.context.response.answer = seen;
  }
}

const SCALARS = {
  n: { type: 'integer', required: false },
  x: { type: 'number', required: false },
  b: { type: 'boolean', required: false },
  s: { type: 'string', required: false },
  ids: { type: 'array', required: false, items: { type: 'integer' } },
};

const FLOWS = {
  probe: { flow_content: 'ProbeOp()', input_schema: SCALARS },
  probe_stream: { flow_content: 'ProbeOp()', stream: true, input_schema: SCALARS },
  strict: { flow_content: 'ProbeOp()', input_schema: { r: { type: 'string', required: true } } },
  own_messages: {
    flow_content: 'ProbeOp()',
    input_schema: { messages: { type: 'array', description: 'mine', required: true } },
  },
  chat: { flow_content: 'ChatOp()' },
  chat_stream: { flow_content: 'StreamChatOp()', stream: true },
  gen_chat: { flow_content: 'GenSystemPromptOp() >> ChatOp()' },
};

const servers = closer();
afterEach(() => servers.closeAll());

async function serve(): Promise<string> {
  const config = { llm: { default: { backend: 'mock' } }, flow: FLOWS };
  return servers.add(await startFlowServer({ config, env: {}, ops: [ProbeOp] })).url;
}

function issuesOf(body: string): ValidationIssue[] {
  return (JSON.parse(body) as { detail: ValidationIssue[] }).detail;
}

describe('pydantic lax mode: scalars are converted, and the flow gets the converted value', () => {
  it('a body: "5", 5.0, " +5 ", "1_000", "5.00" and true are integers; numeric strings numbers; yes/off/1 booleans', async () => {
    const url = await serve();
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ n: '5' }, { n: 5 }],
      [{ n: 5.0 }, { n: 5 }],
      [{ n: ' +5 ' }, { n: 5 }],
      [{ n: '1_000' }, { n: 1000 }],
      [{ n: '-5.00' }, { n: -5 }],
      [{ n: true }, { n: 1 }],
      [{ x: ' 2.5 ' }, { x: 2.5 }],
      [{ x: '1e3' }, { x: 1000 }],
      [{ x: '.5' }, { x: 0.5 }],
      [{ x: false }, { x: 0 }],
      [{ b: 'True' }, { b: true }],
      [{ b: 'YES' }, { b: true }],
      [{ b: 'off' }, { b: false }],
      [{ b: 'n' }, { b: false }],
      [{ b: '1' }, { b: true }],
      [{ b: 0 }, { b: false }],
      [{ ids: ['1', 2, '3.0'] }, { ids: [1, 2, 3] }],
      [{ s: 'text' }, { s: 'text' }],
    ];
    for (const [body, seen] of cases) {
      const reply = await post(`${url}/probe`, body);
      expect(reply.status, JSON.stringify(body)).toBe(200);
      expect(JSON.parse(reply.body).answer, JSON.stringify(body)).toMatchObject(seen);
    }
  });

  it('a query string (the EventSource GET) is converted by the same rules', async () => {
    const url = await serve();
    const reply = await fetch(`${url}/probe_stream?n=%205&x=2.5&b=on&ids=1&ids=2&s=7`);
    expect(reply.status).toBe(200);
    const { chunks } = sseChunks(await reply.text());
    expect(JSON.parse(textOf(chunks, 'answer'))).toMatchObject({
      n: 5,
      x: 2.5,
      b: true,
      ids: [1, 2],
      s: '7',
    });
  });

  it("what pydantic refuses gets pydantic's type and message, and the offending value as input", async () => {
    const url = await serve();
    const INT_PARSING = 'Input should be a valid integer, unable to parse string as an integer';
    const cases: [string, unknown, string, string][] = [
      ['n', '5.5', 'int_parsing', INT_PARSING],
      ['n', '1e3', 'int_parsing', INT_PARSING],
      ['n', '', 'int_parsing', INT_PARSING],
      ['n', '1__0', 'int_parsing', INT_PARSING],
      ['n', 5.5, 'int_from_float', 'Input should be a valid integer, got a number with a fractional part'],
      ['n', 1e20, 'int_parsing_size', 'Unable to parse input string as an integer, exceeded maximum size'],
      ['n', [], 'int_type', 'Input should be a valid integer'],
      ['x', 'abc', 'float_parsing', 'Input should be a valid number, unable to parse string as a number'],
      ['x', 'inf', 'finite_number', 'Input should be a finite number'],
      ['x', {}, 'float_type', 'Input should be a valid number'],
      ['b', 'maybe', 'bool_parsing', 'Input should be a valid boolean, unable to interpret input'],
      ['b', ' true ', 'bool_parsing', 'Input should be a valid boolean, unable to interpret input'],
      ['b', 2, 'bool_parsing', 'Input should be a valid boolean, unable to interpret input'],
      ['b', 1.5, 'bool_type', 'Input should be a valid boolean'],
      ['s', 5, 'string_type', 'Input should be a valid string'],
      ['s', true, 'string_type', 'Input should be a valid string'],
    ];
    for (const [field, value, type, msg] of cases) {
      const reply = await post(`${url}/probe`, { [field]: value });
      expect(reply.status, `${field}=${JSON.stringify(value)}`).toBe(422);
      expect(issuesOf(reply.body), `${field}=${JSON.stringify(value)}`).toEqual([
        { type, loc: ['body', field], msg, input: value },
      ]);
    }
  });

  it('each item is written type, loc, msg, input — the order FastAPI writes', async () => {
    const url = await serve();
    const reply = await post(`${url}/strict`, { s: 1 });
    expect(reply.body).toBe(
      '{"detail":[{"type":"missing","loc":["body","r"],"msg":"Field required","input":{"s":1}}]}',
    );
  });
});

describe('a body that is not an object', () => {
  it('gets FastAPI\'s items at ["body"]: model_attributes_type, or missing for null', async () => {
    const url = await serve();
    const list = await post(`${url}/probe`, [1]);
    expect(issuesOf(list.body)).toEqual([
      {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: [1],
      },
    ]);
    const nothing = await post(`${url}/probe`, null);
    expect(issuesOf(nothing.body)).toEqual([
      { type: 'missing', loc: ['body'], msg: 'Field required', input: null },
    ]);
  });
});

describe("messages are FlowLLM's Message", () => {
  it('a non-object item, an unknown role, a wrong content: 422 naming the item, on every kind of flow', async () => {
    const url = await serve();
    const cases: [unknown[], ValidationIssue[]][] = [
      [
        [1],
        [
          {
            type: 'model_type',
            loc: ['body', 'messages', 0],
            msg: 'Input should be a valid dictionary or instance of Message',
            input: 1,
          },
        ],
      ],
      [
        [
          { role: 'user', content: 'a' },
          { role: 'bot', content: 'hi' },
        ],
        [
          {
            type: 'enum',
            loc: ['body', 'messages', 1, 'role'],
            msg: "Input should be 'system', 'user', 'assistant' or 'tool'",
            input: 'bot',
          },
        ],
      ],
      [
        [{ role: 'user', content: 5 }],
        [
          {
            type: 'string_type',
            loc: ['body', 'messages', 0, 'content', 'str'],
            msg: 'Input should be a valid string',
            input: 5,
          },
          {
            type: 'list_type',
            loc: ['body', 'messages', 0, 'content', 'list[ContentBlock]'],
            msg: 'Input should be a valid list',
            input: 5,
          },
        ],
      ],
      [
        [{ role: 'user', content: 'x', tool_call_id: 5 }],
        [
          {
            type: 'string_type',
            loc: ['body', 'messages', 0, 'tool_call_id'],
            msg: 'Input should be a valid string',
            input: 5,
          },
        ],
      ],
    ];
    for (const path of ['chat', 'chat_stream', 'gen_chat']) {
      for (const [messages, expected] of cases) {
        const reply = await post(`${url}/${path}`, { messages });
        expect(reply.status, `${path} ${JSON.stringify(messages)}`).toBe(422);
        expect(issuesOf(reply.body), `${path} ${JSON.stringify(messages)}`).toEqual(expected);
      }
    }
  });

  it('a message without role is a user message, as in FlowLLM; a null name is dropped', async () => {
    const url = await serve();
    const reply = await post(`${url}/chat`, { messages: [{ content: 'hello there', name: null }] });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).answer).toContain('hello there');
  });

  it("a flow that defines its own `messages` field gets its own definition, not FlowLLM's Message", async () => {
    const url = await serve();
    const reply = await post(`${url}/own_messages`, { messages: [1, 'two'] });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).answer.messages).toEqual([1, 'two']);
    const missing = await post(`${url}/own_messages`, {});
    expect(issuesOf(missing.body)).toEqual([
      { type: 'missing', loc: ['body', 'messages'], msg: 'Field required', input: {} },
    ]);
  });
});

describe('a bad base field is a 422 naming it, never a 500 from inside a flow', () => {
  it('query, messages, workspace_id, metadata of the wrong type, on flows with no input_schema', async () => {
    const url = await serve();
    const bodies: [Record<string, unknown>, string, string][] = [
      [{ query: 5 }, 'query', 'string_type'],
      [{ messages: 'hi' }, 'messages', 'list_type'],
      [{ messages: [null] }, 'messages', 'model_type'],
      [{ messages: [{ role: 'user', content: null }] }, 'messages', 'string_type'],
      [{ query: 'q', workspace_id: {} }, 'workspace_id', 'string_type'],
      [{ query: 'q', metadata: [] }, 'metadata', 'dict_type'],
    ];
    for (const path of ['chat', 'chat_stream', 'gen_chat']) {
      for (const [body, field, type] of bodies) {
        const reply = await post(`${url}/${path}`, body);
        expect(reply.status, `${path} ${JSON.stringify(body)}`).toBe(422);
        const [issue] = issuesOf(reply.body);
        expect(issue?.type, `${path} ${JSON.stringify(body)}`).toBe(type);
        expect(issue?.loc.slice(0, 2), `${path} ${JSON.stringify(body)}`).toEqual(['body', field]);
      }
    }
  });
});

describe("pydantic's exclude_none", () => {
  it('a null optional field or extra key never reaches the flow; nulls inside values stay', async () => {
    const url = await serve();
    const reply = await post(`${url}/probe`, { n: null, query: null, extra: null, keep: { a: null } });
    expect(reply.status).toBe(200);
    const seen = JSON.parse(reply.body).answer;
    expect(seen).not.toHaveProperty('n');
    expect(seen).not.toHaveProperty('extra');
    // The engine may give an absent query FlowLLM's default (""); a null it never sees.
    expect(seen.query ?? '').toBe('');
    expect(seen.keep).toEqual({ a: null });
  });

  it('a null for a required field is a type error, as in pydantic', async () => {
    const url = await serve();
    const reply = await post(`${url}/strict`, { r: null });
    expect(issuesOf(reply.body)).toEqual([
      { type: 'string_type', loc: ['body', 'r'], msg: 'Input should be a valid string', input: null },
    ]);
  });
});

describe('echoed inputs stay short', () => {
  it('a long value is cut to 256 characters; a missing field echoes only the start of a 900 KB body', async () => {
    const url = await serve();
    const long = await post(`${url}/probe`, { n: '9'.repeat(100_000) });
    const [issue] = issuesOf(long.body);
    expect(issue).toMatchObject({ type: 'int_parsing_size', loc: ['body', 'n'] });
    expect(issue?.input).toBe(`${'9'.repeat(255)}…`);

    const huge = await post(`${url}/strict`, { big: 'x'.repeat(900_000), list: [1, 2] });
    expect(huge.status).toBe(422);
    expect(huge.body.length).toBeLessThan(1024);
    const [missing] = issuesOf(huge.body);
    expect(missing?.type).toBe('missing');
    expect(missing?.input).toBe(`{"big":"${'x'.repeat(247)}…`);
  });

  it('a list with many bad items: 20 echoed issues and the summary, all under 64 KB', async () => {
    const url = await serve();
    const reply = await post(`${url}/probe`, { ids: Array(100).fill('n'.repeat(5000)) });
    expect(reply.status).toBe(422);
    expect(Buffer.byteLength(reply.body)).toBeLessThan(64 * 1024);
    const issues = issuesOf(reply.body);
    expect(issues).toHaveLength(21);
    expect(issues[0]).toEqual({
      type: 'int_parsing',
      loc: ['body', 'ids', 0],
      msg: 'Input should be a valid integer, unable to parse string as an integer',
      input: `${'n'.repeat(255)}…`,
    });
    expect(issues[20]).not.toHaveProperty('input');
  });
});

describe("/openapi.json documents FlowLLM's base fields on every flow", () => {
  // biome-ignore lint/suspicious/noExplicitAny: walking a JSON document
  type Json = Record<string, any>;

  it('stream or not, with or without an input_schema; the flow’s own definition wins', async () => {
    const url = await serve();
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as Json;
    const bodySchema = (path: string): Json =>
      document.paths[path].post.requestBody.content['application/json'].schema;
    for (const path of ['/chat', '/chat_stream', '/probe', '/strict']) {
      const schema = bodySchema(path);
      expect(Object.keys(schema.properties), path).toEqual(
        expect.arrayContaining(['query', 'messages', 'workspace_id', 'metadata']),
      );
      expect(schema.properties.query.type).toBe('string');
      expect(schema.properties.messages.items).toEqual({ $ref: '#/components/schemas/Message' });
      expect(schema.properties.workspace_id.type).toBe('string');
      expect(schema.properties.metadata.type).toBe('object');
    }
    expect(bodySchema('/strict').required).toEqual(['r']);
    const own = bodySchema('/own_messages');
    expect(own.properties.messages).toEqual({ type: 'array', description: 'mine' });
    expect(own.required).toEqual(['messages']);
    expect(document.components.schemas.Message.properties.role.enum).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
    ]);
    const item = document.components.schemas.HTTPValidationError.properties.detail.items;
    expect(Object.keys(item.properties)).toEqual(['type', 'loc', 'msg', 'input']);
    const getParameters = document.paths['/probe_stream'].get.parameters as Json[];
    expect(getParameters.map((parameter) => parameter.name)).toEqual([
      'query',
      'messages',
      'workspace_id',
      'metadata',
      'n',
      'x',
      'b',
      's',
      'ids',
    ]);
  });
});
