import { gzipSync } from 'node:zlib';
import { chunked, get, HEAD, method, post } from './bad-request-bytes.js';
import { requestBytes } from './raw-http.js';

/** The origin the bad-input server's CORS list allows; every other origin is refused. */
export const ALLOWED_ORIGIN = 'https://app.example';

/** Flows and settings the hardening cases need, merged into the bad-input config. */
export const HARDENING_CONFIG = {
  http: { cors: { allow_origins: [ALLOWED_ORIGIN], allow_credentials: true } },
  flow: {
    tags: {
      flow_content: 'SeqStreamOp(count=1)',
      input_schema: {
        tags: { type: 'array', items: { type: 'string' }, required: true },
        mode: { type: 'string', enum: ['fast', 'slow'], required: false },
      },
    },
    // Fields named like Object.prototype members must be read as the request's own fields.
    fields: {
      flow_content: 'SeqStreamOp(count=1)',
      input_schema: {
        toString: { type: 'string', required: true },
        valueOf: { type: 'integer', required: false },
      },
    },
  },
};

/** The most a validation answer may weigh, whatever the request. */
export const MAX_422_BYTES = 64 * 1024;

type Add = (category: string, name: string, status: number, bytes: Buffer, maxBodyBytes?: number) => void;

/** The inputs issue 13 (hardening) found holes with, each with its documented answer. */
export function addHardeningInputs(add: Add, bodyLimit: number): void {
  const nearLimit = bodyLimit - 1024;
  const repeatTo = (piece: string, bytes: number) => piece.repeat(Math.floor(bytes / piece.length));
  const arrayOf = (piece: string, bytes: number) => `[${repeatTo(`${piece},`, bytes)}${piece}]`;

  // Validation answers stay small, however many elements are wrong.
  const bounded = (name: string, body: string) =>
    add('bounded answers', name, 422, post('/tags', body), MAX_422_BYTES);
  bounded('1 MB list of numbers where strings belong', `{"tags":${arrayOf('1', nearLimit)}}`);
  bounded('1 MB list of objects where strings belong', `{"tags":${arrayOf('{}', nearLimit)}}`);
  bounded('1 MB list of lists where strings belong', `{"tags":${arrayOf('[1]', nearLimit)}}`);
  bounded('1 MB list of nulls where strings belong', `{"tags":${arrayOf('null', nearLimit)}}`);
  bounded('a 1 MB string where a list belongs', `{"tags":"${'t'.repeat(nearLimit)}"}`);
  bounded('a 1 MB value outside the enum', `{"tags":[],"mode":"${'m'.repeat(nearLimit)}"}`);
  bounded(
    '10,000 unknown fields and a bad list',
    `{${Array.from({ length: 10_000 }, (_, i) => `"f${i}":1`).join(',')},"tags":[1,2,3]}`,
  );

  // Object.prototype member names are neither routes nor fields.
  for (const name of [
    'toString',
    'constructor',
    'valueOf',
    'hasOwnProperty',
    'isPrototypeOf',
    '__defineGetter__',
    'propertyIsEnumerable',
  ])
    add('prototype names', `GET /${name}`, 404, get(`/${name}`));
  add('prototype names', 'GET /__proto__', 404, get('/__proto__'));
  add('prototype names', 'GET /%5F%5Fproto%5F%5F (encoded)', 404, get('/%5F%5Fproto%5F%5F'));
  add('prototype names', 'GET /to%53tring (encoded)', 404, get('/to%53tring'));
  add('prototype names', 'POST /toString', 404, post('/toString', '{"query":"hi"}'));
  add('prototype names', 'OPTIONS /constructor', 404, method('OPTIONS', '/constructor'));
  add('prototype names', 'required field toString missing', 422, post('/fields', '{}'));
  add('prototype names', 'field toString is a number', 422, post('/fields', '{"toString":5}'));
  add('prototype names', 'field valueOf is a string', 422, post('/fields', '{"toString":"a","valueOf":"b"}'));

  // Keys the engine and the built-in ops own cannot come from a request.
  for (const key of ['system_prompt', 'flow_id', 'stream', 'response', 'stream_queue'])
    add('reserved fields', `body field ${key}`, 422, post('/chat', `{"query":"hi","${key}":"x"}`));
  add('reserved fields', 'query-string field system_prompt', 422, get('/chat?query=hi&system_prompt=x'));
  add('reserved fields', 'query-string field flow_id', 422, get('/chat?query=hi&flow_id=x'));

  // Restricted CORS: a disallowed origin never starts a flow.
  const from = (origin: string) => ['Content-Type: application/json', `Origin: ${origin}`];
  const disallowed: [name: string, origin: string][] = [
    ['another origin', 'https://evil.example'],
    ['Origin: null', 'null'],
    ['the origin over http', 'http://app.example'],
    ['the origin on another port', 'https://app.example:8443'],
    ['a suffixed origin', 'https://app.example.evil.example'],
    ['the origin in capitals', 'https://APP.example'],
    // The request's Host is 127.0.0.1: only a plain http(s) origin of that host counts as the same.
    ['a ws: origin of the host', 'ws://127.0.0.1'],
    ['an origin of the host with a user', 'http://a@127.0.0.1'],
    ['an origin of the host with a path', 'http://127.0.0.1/x'],
  ];
  for (const [name, origin] of disallowed)
    add('CORS', `POST from ${name}`, 403, post('/chat', '{"query":"hi"}', from(origin)));
  add(
    'CORS',
    'sync POST from another origin',
    403,
    post('/sync', '{"query":"hi"}', from('https://evil.example')),
  );
  add(
    'CORS',
    'EventSource GET from another origin',
    403,
    get('/chat?query=hi', ['Origin: https://evil.example']),
  );
  add(
    'CORS',
    'HEAD of the EventSource GET from another origin',
    403,
    head('/chat?query=hi', 'https://evil.example'),
  );
  add(
    'CORS',
    'text/plain POST from another origin (refused before the 415)',
    403,
    post('/chat', '{"query":"hi"}', ['Content-Type: text/plain', 'Origin: https://evil.example']),
  );
  add('CORS', 'preflight from another origin', 400, preflight('https://evil.example'));
  add('CORS', 'preflight from Origin: null', 400, preflight('null'));

  // Bodies are read as sent: a compressed one would be misread and slip past the limit.
  const coded = (coding: string) => ['Content-Type: application/json', `Content-Encoding: ${coding}`];
  add('body limits', 'a gzip body', 415, post('/chat', gzipSync('{"query":"hi"}'), coded('gzip')));
  add('body limits', 'plain JSON labelled br', 415, post('/chat', '{"query":"hi"}', coded('br')));

  // Body limits hold however the body is framed.
  const over = `{"query":"${'x'.repeat(bodyLimit)}"}`;
  const json = ['Content-Type: application/json', 'Transfer-Encoding: chunked'];
  add('body limits', 'chunked in 1 KB pieces', 413, post('/chat', chunked(over, 1024), json));
  add('body limits', 'chunked in one piece', 413, post('/chat', chunked(over, over.length), json));
  add(
    'body limits',
    'whitespace padding over the limit (chunked)',
    413,
    post('/chat', chunked(`{"query":"hi"${' '.repeat(bodyLimit)}}`), json),
  );
}

const head = (target: string, origin: string) =>
  requestBytes([`HEAD ${target} HTTP/1.1`, ...HEAD, `Origin: ${origin}`]);

const preflight = (origin: string) =>
  requestBytes([
    'OPTIONS /chat HTTP/1.1',
    ...HEAD,
    `Origin: ${origin}`,
    'Access-Control-Request-Method: POST',
  ]);
