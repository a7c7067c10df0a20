import { addHardeningInputs, HARDENING_CONFIG } from './bad-inputs-hardening.js';
import { chunked, get, method, nested, post, utf8Bad } from './bad-request-bytes.js';

/** The flows the bad requests are aimed at. */
export const BAD_INPUT_CONFIG = {
  http: HARDENING_CONFIG.http,
  flow: {
    ...HARDENING_CONFIG.flow,
    chat: {
      flow_content: 'SeqStreamOp(count=3)',
      stream: true,
      input_schema: {
        query: { type: 'string', required: true },
        top_k: { type: 'integer', required: false },
        mode: { type: 'string', enum: ['fast', 'slow'], required: false },
      },
    },
    sync: {
      flow_content: 'SeqStreamOp(count=1)',
      input_schema: { query: { type: 'string', required: true } },
    },
  },
};

export const BODY_LIMIT = 1_048_576;

/** Who answers: flowllm itself, or Node's HTTP parser before any application code runs. */
export type Answerer = 'flowllm' | 'node';

export interface BadInput {
  category: string;
  name: string;
  /** The documented status. */
  status: number;
  by: Answerer;
  bytes: Buffer;
  /** The most the answer's body may weigh, where that is part of what is documented. */
  maxBodyBytes?: number;
}

/**
 * Over 100 malformed and hostile requests, each with its documented answer (docs/http.md and RELIABILITY.md list
 * them). Statuses from Node's parser are Node's (fastify answers them with its own JSON body).
 */
export function badInputs(): BadInput[] {
  const huge = 'x'.repeat(BODY_LIMIT + 1);
  const cases: BadInput[] = [];
  const add = (category: string, name: string, status: number, bytes: Buffer, by: Answerer = 'flowllm') =>
    cases.push({ category, name, status, by, bytes });

  // Invalid JSON → 400.
  add('invalid JSON', 'truncated object', 400, post('/chat', '{"query": "hi"'));
  add('invalid JSON', 'single quotes', 400, post('/chat', "{'query': 'hi'}"));
  add('invalid JSON', 'trailing comma', 400, post('/chat', '{"query": "hi",}'));
  add('invalid JSON', 'NaN literal', 400, post('/chat', '{"query": "hi", "top_k": NaN}'));
  add('invalid JSON', 'not JSON at all', 400, post('/chat', 'query=hi'));
  add('invalid JSON', 'two JSON texts', 400, post('/chat', '{"query":"a"}{"query":"b"}'));
  add('invalid JSON', 'raw control character in a string', 400, post('/chat', '{"query":"a\u0001b"}'));
  add('invalid JSON', 'byte order mark before the JSON', 400, post('/chat', '\uFEFF{"query":"hi"}'));
  // Nesting → 400.
  add(
    'deep nesting',
    '65 levels of objects',
    400,
    post('/chat', `{"query":"hi","m":${nested(65, '{"a":', '}')}}`),
  );
  add('deep nesting', '500,000 levels of arrays (1 MB)', 400, post('/chat', nested(500_000, '[', ']')));
  add(
    'deep nesting',
    '65 levels inside messages',
    400,
    post('/chat', `{"query":"hi","messages":[${nested(64, '[', ']')}]}`),
  );
  // Huge strings → 413.
  add('huge strings', 'a query one byte over the 1 MiB limit', 413, post('/chat', `{"query":"${huge}"}`));
  add(
    'huge strings',
    'the same, chunked (no Content-Length)',
    413,
    post('/chat', chunked(`{"query":"${huge}"}`), [
      'Content-Type: application/json',
      'Transfer-Encoding: chunked',
    ]),
  );
  add('huge strings', 'a 2 MiB key', 413, post('/chat', `{"${'k'.repeat(2 * BODY_LIMIT)}":1,"query":"x"}`));
  // Prototype keys → 400.
  add(
    'prototype keys',
    '__proto__ at the top',
    400,
    post('/chat', '{"__proto__":{"admin":true},"query":"hi"}'),
  );
  add(
    'prototype keys',
    'constructor.prototype',
    400,
    post('/chat', '{"constructor":{"prototype":{"x":1}},"query":"hi"}'),
  );
  add(
    'prototype keys',
    'prototype inside metadata',
    400,
    post('/chat', '{"query":"hi","metadata":{"prototype":1}}'),
  );
  add(
    'prototype keys',
    '__proto__ inside a message',
    400,
    post('/chat', '{"query":"hi","messages":[{"__proto__":{}}]}'),
  );
  add(
    'prototype keys',
    'constructor four levels down',
    400,
    post('/chat', '{"query":"hi","a":{"b":{"c":{"constructor":1}}}}'),
  );
  // Wrong types → 422 (FastAPI's detail list).
  add('wrong types', 'the body is an array', 422, post('/chat', '[{"query":"hi"}]'));
  add('wrong types', 'the body is a string', 422, post('/chat', '"hi"'));
  add('wrong types', 'the body is null', 422, post('/chat', 'null'));
  add('wrong types', 'the body is 1e999 (Infinity)', 422, post('/chat', '1e999'));
  add('wrong types', 'query is a number', 422, post('/chat', '{"query":123}'));
  add('wrong types', 'required query missing', 422, post('/chat', '{}'));
  add('wrong types', 'messages is a string', 422, post('/chat', '{"query":"hi","messages":"x"}'));
  add('wrong types', 'metadata is a list', 422, post('/chat', '{"query":"hi","metadata":[]}'));
  add('wrong types', 'workspace_id is an object', 422, post('/chat', '{"query":"hi","workspace_id":{}}'));
  add('wrong types', 'integer field is 1.5', 422, post('/chat', '{"query":"hi","top_k":1.5}'));
  // pydantic's lax mode takes "3" as an integer; "3.5" it cannot read as one.
  add('wrong types', 'integer field is "3.5"', 422, post('/chat', '{"query":"hi","top_k":"3.5"}'));
  add(
    'wrong types',
    'a message with an unknown role',
    422,
    post('/chat', '{"messages":[{"role":"bot","content":"hi"}],"query":"hi"}'),
  );
  add('wrong types', 'value outside the enum', 422, post('/chat', '{"query":"hi","mode":"turbo"}'));
  // Invalid UTF-8 → 400.
  add('invalid UTF-8', '0xFF 0xFE', 400, post('/chat', utf8Bad([0xff, 0xfe])));
  add('invalid UTF-8', 'overlong "/" (0xC0 0xAF)', 400, post('/chat', utf8Bad([0xc0, 0xaf])));
  add('invalid UTF-8', 'UTF-8-encoded lone surrogate', 400, post('/chat', utf8Bad([0xed, 0xa0, 0x80])));
  add('invalid UTF-8', 'truncated 3-byte sequence', 400, post('/chat', utf8Bad([0xe2, 0x82])));
  add('invalid UTF-8', 'Latin-1 é declared as UTF-8', 400, post('/chat', utf8Bad([0xe9])));
  // Oversized bodies and absurd lengths.
  add(
    'oversized',
    'Content-Length 2 MiB, no body sent',
    413,
    post('/chat', '', ['Content-Type: application/json', `Content-Length: ${2 * BODY_LIMIT}`]),
  );
  add(
    'oversized',
    'Content-Length 10^20',
    400,
    post('/chat', '{}', ['Content-Type: application/json', 'Content-Length: 100000000000000000000']),
    'node',
  );
  add(
    'oversized',
    'negative Content-Length',
    400,
    post('/chat', '{}', ['Content-Type: application/json', 'Content-Length: -1']),
    'node',
  );
  // Odd methods.
  add('odd methods', 'PUT', 405, method('PUT'));
  add('odd methods', 'DELETE', 405, method('DELETE'));
  add('odd methods', 'PATCH', 405, method('PATCH'));
  add('odd methods', 'TRACE', 405, method('TRACE'));
  add('odd methods', 'GET on a sync flow', 405, method('GET', '/sync?query=hi'));
  add('odd methods', 'POST on /health', 405, method('POST', '/health'));
  add('odd methods', 'unknown method FOO', 400, method('FOO'), 'node');
  add('odd methods', 'lower-case post', 400, method('post'), 'node');
  // Query-string abuse on the GET (EventSource) variant.
  add('query string', 'query given twice', 422, get('/chat?query=a&query=b'));
  add('query string', 'query missing', 422, get('/chat?top_k=3'));
  add('query string', 'integer field is "abc"', 422, get('/chat?query=hi&top_k=abc'));
  add('query string', 'metadata is a list', 422, get('/chat?query=hi&metadata=%5B1%5D'));
  add('query string', '__proto__ key', 400, get('/chat?query=hi&__proto__=x'));
  add('query string', '__proto__ key twice (a list)', 400, get('/chat?query=hi&__proto__=a&__proto__=b'));
  add('query string', 'constructor key', 400, get('/chat?query=hi&constructor=x'));
  add(
    'query string',
    '__proto__ inside JSON metadata',
    400,
    get(`/chat?query=hi&metadata=${encodeURIComponent('{"__proto__":{"x":1}}')}`),
  );
  add('query string', '1,500 repeated query parameters', 422, get(`/chat?${'query=a&'.repeat(1500)}`));
  add('query string', 'a 20 KB query string', 431, get(`/chat?query=${'q'.repeat(20_000)}`), 'node');
  // Header tricks.
  add(
    'headers',
    'Content-Type text/plain',
    415,
    post('/chat', '{"query":"hi"}', ['Content-Type: text/plain']),
  );
  add(
    'headers',
    'Content-Type application/jsonx',
    415,
    post('/chat', '{"query":"hi"}', ['Content-Type: application/jsonx']),
  );
  add('headers', 'no Content-Type with a body', 415, post('/chat', '{"query":"hi"}', []));
  add(
    'headers',
    'charset=latin1',
    415,
    post('/chat', '{"query":"hi"}', ['Content-Type: application/json; charset=latin1']),
  );
  add(
    'headers',
    'charset=utf-16',
    415,
    post('/chat', '{"query":"hi"}', ['Content-Type: application/json; charset="UTF-16"']),
  );
  add(
    'headers',
    'duplicate Content-Length (different)',
    400,
    post('/chat', '{"query":"hi"}', [
      'Content-Type: application/json',
      'Content-Length: 14',
      'Content-Length: 15',
    ]),
    'node',
  );
  add(
    'headers',
    'Content-Length and Transfer-Encoding',
    400,
    post('/chat', '{"query":"hi"}', [
      'Content-Type: application/json',
      'Content-Length: 14',
      'Transfer-Encoding: chunked',
    ]),
    'node',
  );
  add(
    'headers',
    'Transfer-Encoding not ending in chunked',
    400,
    post('/chat', '{"query":"hi"}', ['Content-Type: application/json', 'Transfer-Encoding: gzip']),
    'node',
  );
  add(
    'headers',
    'malformed chunk size',
    400,
    post('/chat', 'zz\r\n{}\r\n0\r\n\r\n', ['Content-Type: application/json', 'Transfer-Encoding: chunked']),
    'node',
  );
  add(
    'headers',
    'Content-Length "+14"',
    400,
    post('/chat', '{"query":"hi"}', ['Content-Type: application/json', 'Content-Length: +14']),
    'node',
  );
  add(
    'headers',
    'NUL byte in a header value',
    400,
    post('/chat', '{"query":"hi"}', ['Content-Type: application/json', 'X-Evil: a\u0000b']),
    'node',
  );
  add(
    'headers',
    'obsolete line folding',
    400,
    post('/chat', '{"query":"hi"}', ['Content-Type: application/json', 'X-Folded: a', ' b']),
    'node',
  );
  add(
    'headers',
    '20 KB of headers',
    431,
    post('/chat', '{"query":"hi"}', ['Content-Type: application/json', `X-Big: ${'h'.repeat(20_000)}`]),
    'node',
  );
  // What issue 13 (hardening) added: bounded answers, prototype names, reserved fields, CORS, body limits.
  addHardeningInputs(
    (category, name, status, bytes, maxBodyBytes) =>
      cases.push({ category, name, status, by: 'flowllm', bytes, maxBodyBytes }),
    BODY_LIMIT,
  );
  return cases;
}
