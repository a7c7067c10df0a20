// "Copy as": the request just run, as code for curl, fetch, @flowllm/client, useChat and the openai SDK.

// Named apart so that core's built code holds no `from 'openai'` (a packaging test checks that core
// never imports the SDK up front; this is only text in a snippet).
const OPENAI_SDK = 'openai';

/** A shell word in single quotes. */
function shellQuote(text) {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** A string as a single-quoted JS literal. */
function quote(text) {
  return `'${JSON.stringify(text).slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'")}'`;
}

/** A JSON value as JS source: plain keys, single quotes, on one line when it is short. */
function jsLiteral(value, indent = '') {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? quote(value) : String(value);
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((item) => jsLiteral(item, inner))
    : Object.entries(value).map(
        ([key, item]) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key)}: ${jsLiteral(item, inner)}`,
      );
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{ ', ' }'];
  if (items.length === 0) return open.trim() + close.trim();
  const line = `${open}${items.join(', ')}${close}`;
  if (line.length <= 72 && !line.includes('\n')) return line;
  return `${open.trim()}\n${items.map((item) => `${inner}${item},`).join('\n')}\n${indent}${close.trim()}`;
}

/** The body as JS source, or as a string literal when it is not JSON. */
function jsValue(bodyText, indent = '') {
  try {
    return jsLiteral(JSON.parse(bodyText), indent);
  } catch {
    return quote(bodyText);
  }
}

function parsed(bodyText) {
  try {
    const body = JSON.parse(bodyText);
    return body && typeof body === 'object' && !Array.isArray(body) ? body : {};
  } catch {
    return {};
  }
}

/** The fields of a body besides FlowLLM's `query` and `messages` (they go elsewhere in chat APIs). */
function extraFields(body) {
  const { query: _query, messages: _messages, ...extra } = body;
  return extra;
}

function curl({ flow, url, bodyText }) {
  return [
    `curl ${flow.stream ? '-N ' : ''}${shellQuote(url)} \\`,
    "  -H 'content-type: application/json' \\",
    `  --data-raw ${shellQuote(bodyText)}`,
  ].join('\n');
}

function fetchSnippet({ flow, url, bodyText }) {
  let body;
  try {
    body = `JSON.stringify(${jsLiteral(JSON.parse(bodyText), '  ')})`;
  } catch {
    body = quote(bodyText); // sent as typed, not JSON: the server's 400 is what the run showed
  }
  const lines = [
    `const response = await fetch(${quote(url)}, {`,
    "  method: 'POST',",
    "  headers: { 'content-type': 'application/json' },",
    `  body: ${body},`,
    '});',
  ];
  if (!flow.stream) return [...lines, 'console.log(await response.json()); // { answer, success, metadata }'];
  return [
    ...lines,
    '// Server-Sent Events: a `data:{chunk}` line per chunk, then `data:[DONE]`.',
    'const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();',
    'for (let read = await reader.read(); !read.done; read = await reader.read()) console.log(read.value);',
  ];
}

function client({ flow, base, bodyText }) {
  const head = [
    "import { FlowClient } from '@flowllm/client';",
    '',
    `const client = new FlowClient({ baseUrl: ${quote(base)} });`,
  ];
  const name = quote(flow.name);
  if (!flow.stream)
    return [
      ...head,
      `const { answer } = await client.runFlow(${name}, ${jsValue(bodyText)});`,
      'console.log(answer);',
    ];
  return [
    ...head,
    `for await (const chunk of client.streamFlow(${name}, ${jsValue(bodyText)})) {`,
    "  if (chunk.type === 'answer') process.stdout.write(String(chunk.content));",
    '}',
  ];
}

function useChat({ flow, bodyText }) {
  const body = parsed(bodyText);
  const extra = extraFields(body);
  const api = new URL(`${encodeURIComponent(flow.name)}/ui`, flow.baseUrl).pathname;
  const options = { api, ...(Object.keys(extra).length > 0 ? { body: extra } : {}) };
  const text = quote(String(body.query ?? 'Hi'));
  return [
    "import { useChat } from '@ai-sdk/react';",
    "import { DefaultChatTransport } from 'ai';",
    '',
    `const transport = new DefaultChatTransport(${jsLiteral(options)});`,
    '',
    'export function Chat() {',
    '  const { messages, sendMessage, status, stop } = useChat({ transport });',
    '  return (',
    '    <div>',
    '      {messages.map((message) => (',
    "        <p key={message.id}>{message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('')}</p>",
    '      ))}',
    `      <button type="button" onClick={() => sendMessage({ text: ${text} })}>Ask</button>`,
    '      {status === \'streaming\' && <button type="button" onClick={() => stop()}>Stop</button>}',
    '    </div>',
    '  );',
    '}',
  ];
}

function openai({ flow, bodyText }) {
  const body = parsed(bodyText);
  const messages = Array.isArray(body.messages)
    ? body.messages
    : [{ role: 'user', content: String(body.query ?? '') }];
  const params = { model: flow.name, messages, ...extraFields(body), stream: flow.stream };
  const baseURL = new URL(flow.openaiPath.slice(1), flow.baseUrl).href;
  const lines = [
    `import OpenAI from '${OPENAI_SDK}';`,
    '',
    '// Any key unless openai_facade.api_keys is set; the fields beside model and messages reach the flow.',
    `const client = new OpenAI({ baseURL: ${quote(baseURL)}, apiKey: 'any' });`,
  ];
  const create = `await client.chat.completions.create(${jsLiteral(params)})`;
  if (!flow.stream)
    return [...lines, `const completion = ${create};`, 'console.log(completion.choices[0].message.content);'];
  return [
    ...lines,
    `const stream = ${create};`,
    "for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? '');",
  ];
}

/** The snippet kinds a flow offers: useChat needs its `/ui` route, openai the facade. */
export function snippetKinds(flow) {
  const kinds = [
    ['curl', 'curl'],
    ['fetch', 'fetch'],
    ['client', '@flowllm/client'],
  ];
  if (flow.ui) kinds.push(['useChat', 'AI SDK useChat']);
  if (flow.openaiPath) kinds.push(['openai', 'openai SDK']);
  return kinds;
}

const BUILDERS = { curl, fetch: fetchSnippet, client, useChat, openai };

/** The code of one snippet kind for `bodyText` sent to `flow` (its `baseUrl` is the mount, with `/`). */
export function snippet(kind, flow, bodyText) {
  const url = new URL(encodeURIComponent(flow.name), flow.baseUrl).href;
  const base = flow.baseUrl.replace(/\/$/, '');
  const code = BUILDERS[kind]({ flow, url, base, bodyText });
  return Array.isArray(code) ? code.join('\n') : code;
}
