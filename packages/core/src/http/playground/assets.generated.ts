// Generated from ./browser/ by test/http/playground-assets.test.ts: do not edit, run
// `pnpm --filter @flowllm/core run playground:update` instead.

/** The playground script: the modules of ./browser/ joined into one, without comments. */
export const PLAYGROUND_JS = `function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key.includes('-') || key === 'for' || key === 'role') element.setAttribute(key, String(value));
    else element[key] = value;
  }
  element.append(...children.filter((child) => child !== undefined && child !== null && child !== false));
  return element;
}
function button(label, onClick, props = {}) {
  const element = h('button', { type: 'button', ...props }, label);
  element.addEventListener('click', onClick);
  return element;
}
function toggleGroup(label, options, onPick) {
  const buttons = new Map();
  const pick = (value) => {
    for (const [key, item] of buttons) item.setAttribute('aria-pressed', String(key === value));
  };
  const row = h('div', { className: 'group', role: 'group', 'aria-label': label });
  for (const [value, text] of options) {
    const item = button(text, () => {
      pick(value);
      onPick(value);
    });
    item.dataset.value = value;
    buttons.set(value, item);
    row.append(item);
  }
  pick(options[0]?.[0]);
  return { row, pick, buttons };
}
function formatMs(ms) {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  return ms >= 1000 ? \`\${(ms / 1000).toFixed(2)} s\` : \`\${Math.round(ms)} ms\`;
}
function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function sseParser(onEvent) {
  let buffer = '';
  let data = [];
  let id;
  let event;
  const line = (text) => {
    if (text === '') {
      if (data.length > 0) onEvent({ data: data.join('\\n'), id, event });
      data = [];
      event = undefined;
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
    else if (field === 'event') event = value;
  };
  return (text) => {
    buffer += text;
    for (let end = buffer.search(/\\r\\n|\\r|\\n/); end !== -1; end = buffer.search(/\\r\\n|\\r|\\n/)) {
      if (buffer[end] === '\\r' && end === buffer.length - 1) break;
      line(buffer.slice(0, end));
      buffer = buffer.slice(end + (buffer.startsWith('\\r\\n', end) ? 2 : 1));
    }
  };
}

const FOLDED_BASE_FIELDS = new Set(['messages', 'workspace_id', 'metadata']);
function typeOf(schema) {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type;
}
function kindOf(schema) {
  const type = typeOf(schema);
  if (Array.isArray(schema.enum)) return 'enum';
  if (type === 'boolean' || type === 'integer' || type === 'number' || type === 'string') return type;
  const item = schema.items && typeOf(schema.items);
  if (type === 'array' && !schema.items?.enum && ['string', 'integer', 'number'].includes(item))
    return 'list';
  return 'json';
}

const KIND_HINTS = {
  list: (schema) => \`list of \${typeOf(schema.items)}, one per line\`,
  json: (schema) => \`\${typeOf(schema) ?? 'any'}, as JSON\`,
  enum: (schema) => \`one of \${schema.enum.map((value) => JSON.stringify(value)).join(', ')}\`,
};
function control(name, schema, kind, required) {
  const id = \`field-\${name}\`;
  if (kind === 'enum' || (kind === 'boolean' && !required && schema.default === undefined)) {
    const values = kind === 'enum' ? schema.enum : [true, false];
    const select = h('select', { id }, h('option', { value: '' }, '(not set)'));
    values.forEach((value, index) => {
      select.append(h('option', { value: String(index) }, String(value)));
    });
    return {
      element: select,
      read: () => ({ value: select.value === '' ? undefined : values[Number(select.value)] }),
      write: (value) => {
        const index = values.indexOf(value);
        select.value = index === -1 ? '' : String(index);
      },
    };
  }
  if (kind === 'boolean') {
    const box = h('input', { id, type: 'checkbox' });
    return {
      element: box,
      read: () => ({ value: box.checked }),
      write: (value) => {
        box.checked = value === true;
      },
    };
  }
  if (kind === 'integer' || kind === 'number') {
    const input = h('input', { id, type: 'number', step: kind === 'integer' ? '1' : 'any' });
    return {
      element: input,
      read: () => ({ value: input.value === '' ? undefined : Number(input.value) }),
      write: (value) => {
        input.value = value === undefined ? '' : String(value);
      },
    };
  }
  const multiline = kind !== 'string' || name === 'query';
  const box = multiline
    ? h('textarea', { id, className: kind === 'json' ? 'mono' : '', rows: 3, spellcheck: kind !== 'json' })
    : h('input', { id, type: 'text' });
  if (name === 'messages') box.placeholder = '[{"role": "user", "content": "Hi"}]';
  return {
    element: box,
    read: () => readText(box.value, kind, schema),
    write: (value) => {
      if (value === undefined) box.value = '';
      else if (kind === 'json') box.value = JSON.stringify(value, null, 2);
      else if (kind === 'list') box.value = Array.isArray(value) ? value.join('\\n') : String(value);
      else box.value = String(value);
    },
  };
}

function readText(text, kind, schema) {
  if (text.trim() === '') return { value: undefined };
  if (kind === 'string') return { value: text };
  if (kind === 'list') {
    const items = text.split('\\n').filter((line) => line.trim() !== '');
    return { value: typeOf(schema.items) === 'string' ? items : items.map((item) => Number(item)) };
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: 'not valid JSON' };
  }
}
function fieldRow(name, schema, required) {
  const kind = kindOf(schema);
  const input = control(name, schema, kind, required);
  const id = input.element.id;
  const hint = KIND_HINTS[kind]?.(schema) ?? typeOf(schema);
  const error = h('p', { className: 'field-error', id: \`\${id}-error\`, hidden: true });
  const description = h('small', { id: \`\${id}-description\` }, schema.description ?? '');
  input.element.setAttribute('aria-describedby', \`\${id}-description \${id}-error\`);
  if (required) input.element.setAttribute('aria-required', 'true');
  const row = h(
    'div',
    { className: 'field', 'data-field': name },
    h(
      'label',
      { for: id },
      name,
      required ? ' (required)' : '',
      ' ',
      h('span', { className: 'badge' }, hint),
    ),
    input.element,
    description,
    error,
  );
  if (schema.default !== undefined) input.write(schema.default);
  const setError = (message) => {
    error.textContent = message ?? '';
    error.hidden = !message;
    if (message) input.element.setAttribute('aria-invalid', 'true');
    else input.element.removeAttribute('aria-invalid');
  };
  return { name, row, input, setError, addError: (message) => setError(joinErrors(error, message)) };
}

function joinErrors(element, message) {
  return element.hidden ? message : \`\${element.textContent}; \${message}\`;
}
function schemaForm(schema) {
  const required = new Set(schema.required ?? []);
  const fields = new Map();
  const main = h('div');
  const folded = h('details', { className: 'base-fields' }, h('summary', {}, 'FlowLLM request fields'));
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const field = fieldRow(name, property, required.has(name));
    fields.set(name, field);
    (FOLDED_BASE_FIELDS.has(name) && !required.has(name) ? folded : main).append(field.row);
  }
  const element = h('div', { className: 'fields' }, main, folded.children.length > 1 ? folded : undefined);
  const clear = () => {
    for (const field of fields.values()) field.setError(undefined);
  };
  return {
    element,
    clear,
    read() {
      clear();
      const body = {};
      let invalid = false;
      for (const field of fields.values()) {
        const { value, error } = field.input.read();
        if (error) {
          field.setError(error);
          invalid = true;
        } else if (value !== undefined) body[field.name] = value;
      }
      return { body, invalid };
    },
    write(body) {
      for (const field of fields.values()) field.input.write(body[field.name]);
    },
    showIssues(detail) {
      clear();
      const left = [];
      for (const issue of detail) {
        const [where, name, ...rest] = issue.loc ?? [];
        const field = where === 'body' ? fields.get(name) : undefined;
        if (!field) {
          left.push(issue);
          continue;
        }
        const path = rest.map((part) => (typeof part === 'number' ? \`[\${part}]\` : \`.\${part}\`)).join('');
        field.addError(path ? \`\${path.replace(/^\\./, '')}: \${issue.msg}\` : issue.msg);
        if (folded.contains(field.row)) folded.open = true;
      }
      return left;
    },
  };
}

const OPENAI_SDK = 'openai';
function shellQuote(text) {
  return \`'\${text.replaceAll("'", "'\\\\''")}'\`;
}
function quote(text) {
  return \`'\${JSON.stringify(text).slice(1, -1).replaceAll('\\\\"', '"').replaceAll("'", "\\\\'")}'\`;
}
function jsLiteral(value, indent = '') {
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? quote(value) : String(value);
  const inner = \`\${indent}  \`;
  const items = Array.isArray(value)
    ? value.map((item) => jsLiteral(item, inner))
    : Object.entries(value).map(
        ([key, item]) => \`\${/^[A-Za-z_$][\\w$]*$/.test(key) ? key : quote(key)}: \${jsLiteral(item, inner)}\`,
      );
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{ ', ' }'];
  if (items.length === 0) return open.trim() + close.trim();
  const line = \`\${open}\${items.join(', ')}\${close}\`;
  if (line.length <= 72 && !line.includes('\\n')) return line;
  return \`\${open.trim()}\\n\${items.map((item) => \`\${inner}\${item},\`).join('\\n')}\\n\${indent}\${close.trim()}\`;
}
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
function extraFields(body) {
  const { query: _query, messages: _messages, ...extra } = body;
  return extra;
}

function curl({ flow, url, bodyText }) {
  return [
    \`curl \${flow.stream ? '-N ' : ''}\${shellQuote(url)} \\\\\`,
    "  -H 'content-type: application/json' \\\\",
    \`  --data-raw \${shellQuote(bodyText)}\`,
  ].join('\\n');
}

function fetchSnippet({ flow, url, bodyText }) {
  let body;
  try {
    body = \`JSON.stringify(\${jsLiteral(JSON.parse(bodyText), '  ')})\`;
  } catch {
    body = quote(bodyText); // sent as typed, not JSON: the server's 400 is what the run showed
  }
  const lines = [
    \`const response = await fetch(\${quote(url)}, {\`,
    "  method: 'POST',",
    "  headers: { 'content-type': 'application/json' },",
    \`  body: \${body},\`,
    '});',
  ];
  if (!flow.stream) return [...lines, 'console.log(await response.json()); // { answer, success, metadata }'];
  return [
    ...lines,
    '// Server-Sent Events: a \`data:{chunk}\` line per chunk, then \`data:[DONE]\`.',
    'const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();',
    'for (let read = await reader.read(); !read.done; read = await reader.read()) console.log(read.value);',
  ];
}

function client({ flow, base, bodyText }) {
  const head = [
    "import { FlowClient } from '@flowllm/client';",
    '',
    \`const client = new FlowClient({ baseUrl: \${quote(base)} });\`,
  ];
  const name = quote(flow.name);
  if (!flow.stream)
    return [
      ...head,
      \`const { answer } = await client.runFlow(\${name}, \${jsValue(bodyText)});\`,
      'console.log(answer);',
    ];
  return [
    ...head,
    \`for await (const chunk of client.streamFlow(\${name}, \${jsValue(bodyText)})) {\`,
    "  if (chunk.type === 'answer') process.stdout.write(String(chunk.content));",
    '}',
  ];
}

function useChat({ flow, bodyText }) {
  const body = parsed(bodyText);
  const extra = extraFields(body);
  const api = new URL(\`\${encodeURIComponent(flow.name)}/ui\`, flow.baseUrl).pathname;
  const options = { api, ...(Object.keys(extra).length > 0 ? { body: extra } : {}) };
  const text = quote(String(body.query ?? 'Hi'));
  return [
    "import { useChat } from '@ai-sdk/react';",
    "import { DefaultChatTransport } from 'ai';",
    '',
    \`const transport = new DefaultChatTransport(\${jsLiteral(options)});\`,
    '',
    'export function Chat() {',
    '  const { messages, sendMessage, status, stop } = useChat({ transport });',
    '  return (',
    '    <div>',
    '      {messages.map((message) => (',
    "        <p key={message.id}>{message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('')}</p>",
    '      ))}',
    \`      <button type="button" onClick={() => sendMessage({ text: \${text} })}>Ask</button>\`,
    '      {status === \\'streaming\\' && <button type="button" onClick={() => stop()}>Stop</button>}',
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
    \`import OpenAI from '\${OPENAI_SDK}';\`,
    '',
    '// Any key unless openai_facade.api_keys is set; the fields beside model and messages reach the flow.',
    \`const client = new OpenAI({ baseURL: \${quote(baseURL)}, apiKey: 'any' });\`,
  ];
  const create = \`await client.chat.completions.create(\${jsLiteral(params)})\`;
  if (!flow.stream)
    return [...lines, \`const completion = \${create};\`, 'console.log(completion.choices[0].message.content);'];
  return [
    ...lines,
    \`const stream = \${create};\`,
    "for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? '');",
  ];
}
function snippetKinds(flow) {
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
function snippet(kind, flow, bodyText) {
  const url = new URL(encodeURIComponent(flow.name), flow.baseUrl).href;
  const base = flow.baseUrl.replace(/\\/$/, '');
  const code = BUILDERS[kind]({ flow, url, base, bodyText });
  return Array.isArray(code) ? code.join('\\n') : code;
}



function depthOf(spans, index, seen = 0) {
  const parent = spans[index]?.parent;
  return typeof parent === 'number' && parent !== index && seen < spans.length
    ? 1 + depthOf(spans, parent, seen + 1)
    : 0;
}
function timelineView(timeline) {
  const spans = Array.isArray(timeline?.spans) ? timeline.spans : [];
  const start = Math.min(...spans.map((span) => span.start_ms), Number.POSITIVE_INFINITY);
  const end = Math.max(
    ...spans.map((span) => span.start_ms + (span.duration_ms ?? 0)),
    Number.NEGATIVE_INFINITY,
  );
  const total = Math.max(end - start, 1);
  const element = h('div', { className: 'timeline', role: 'list', 'aria-label': 'Per-op timeline' });
  spans.forEach((span, index) => {
    const from = span.start_ms - start;
    const length = span.duration_ms ?? end - span.start_ms;
    const bar = h('span', { className: \`bar \${span.kind} \${span.status}\` });
    bar.style.left = \`\${(from / total) * 100}%\`;
    bar.style.width = \`\${(Math.max(length, 0) / total) * 100}%\`;
    const took = span.duration_ms === null ? span.status : formatMs(span.duration_ms);
    const label = h('span', { className: 'mono' }, \`\${'  '.repeat(depthOf(spans, index))}\${span.name}\`);
    label.style.whiteSpace = 'pre';
    element.append(
      h(
        'div',
        { className: 'row', role: 'listitem', title: \`\${span.kind} \${span.name}: \${took}\` },
        label,
        h('span', { className: 'track' }, bar),
        h('span', { className: 'took' }, took),
      ),
    );
  });
  return element;
}



function usageText(usage) {
  const parts = [];
  if (usage.prompt_tokens !== undefined) parts.push(\`\${usage.prompt_tokens} prompt\`);
  if (usage.completion_tokens !== undefined) parts.push(\`\${usage.completion_tokens} completion\`);
  const total = usage.total_tokens !== undefined ? \` = \${usage.total_tokens} tokens\` : '';
  return \`Usage: \${parts.join(' + ') || JSON.stringify(usage)}\${total}\`;
}
function argumentsText(call) {
  return pretty(String(call.function?.arguments ?? ''));
}
class RunView {
  constructor(container, { stream }) {
    this.stream = stream;
    this.status = h('p', { className: 'status', role: 'status' });
    this.timingRow = h('div', { className: 'timing', 'aria-label': 'Timing' });
    this.view = h('div', { className: 'view' });
    this.rawText = document.createTextNode('');
    this.raw = h('pre', { className: 'raw', hidden: true, 'aria-label': 'Raw response' }, this.rawText);
    const rawLabel = stream ? 'Raw SSE' : 'Raw response';
    const views = toggleGroup(
      'Result view',
      [
        ['rendered', 'Rendered'],
        ['raw', rawLabel],
      ],
      (value) => {
        this.view.hidden = value !== 'rendered';
        this.raw.hidden = value !== 'raw';
      },
    );
    this.timelineBox = h('div', { className: 'timeline-box' });
    this.element = h(
      'section',
      { className: 'result', 'aria-label': 'Result', 'data-state': 'running' },
      this.status,
      this.timingRow,
      views.row,
      this.view,
      this.raw,
      this.timelineBox,
    );
    container.replaceChildren(this.element);
    this.last = undefined;
    this.step = 0;
    this.cards = new Map();
  }
  setState(state, message) {
    this.element.dataset.state = state;
    this.view.setAttribute('aria-busy', String(state === 'running' || state === 'streaming'));
    this.status.textContent = message;
  }

  timing({ headers, firstToken, rate, total }) {
    const item = (label, value) => h('span', {}, \`\${label} \`, h('b', {}, value));
    const items = [item('headers', formatMs(headers))];
    if (this.stream)
      items.push(
        item('first token', formatMs(firstToken)),
        item('tokens/s', rate === undefined ? '–' : rate.toFixed(1)),
      );
    this.timingRow.replaceChildren(...items, item('total', formatMs(total)));
  }

  appendRaw(text) {
    this.rawText.appendData(text);
  }
  text(kind, text) {
    if (this.last?.kind !== kind) {
      this.foldThink();
      const target = h('div', { className: kind === 'think' ? 'text' : 'answer' });
      const element =
        kind === 'think'
          ? h('details', { className: 'think', open: true }, h('summary', {}, 'Thinking…'), target)
          : target;
      this.view.append(element);
      this.last = { kind, element, target };
    }
    this.last.target.append(text);
  }
  foldThink() {
    if (this.last?.kind !== 'think') return;
    this.last.element.open = false;
    this.last.element.querySelector('summary').textContent = 'Thought';
  }

  block(kind, element) {
    this.foldThink();
    this.view.append(element);
    this.last = { kind, element };
  }
  chunk(chunk) {
    const content = chunk.chunk;
    switch (chunk.chunk_type) {
      case 'think':
      case 'answer':
        return this.text(chunk.chunk_type, typeof content === 'string' ? content : JSON.stringify(content));
      case 'tool':
        return this.tool(content);
      case 'usage':
        return this.block('usage', h('p', { className: 'usage' }, usageText(content ?? {})));
      case 'error':
        return this.error(String(typeof content === 'string' ? content : JSON.stringify(content)));
      default:
        return this.block('other', h('pre', {}, \`\${chunk.chunk_type}: \${JSON.stringify(content)}\`));
    }
  }
  tool(content) {
    if (content?.type === 'tool_result') {
      const card = this.cards.get(content.tool_call_id);
      if (card) {
        card.status.textContent = 'done';
        card.status.classList.add('ok');
        card.result.replaceChildren(h('h4', {}, 'Result'), h('pre', {}, String(content.content)));
        card.result.hidden = false;
        return;
      }
      return this.block('result', this.card(\`Result of \${content.name}\`, String(content.content)).element);
    }
    if (!content?.function) return this.block('other', this.card('Tool', JSON.stringify(content)).element);
    if (this.last?.kind !== 'call') this.step++;
    const card = this.card(\`Step \${this.step} · \${content.function.name}\`, argumentsText(content));
    card.element.dataset.callId = content.id;
    this.cards.set(content.id, card);
    this.block('call', card.element);
  }

  card(title, body) {
    const status = h('span', { className: 'status' }, 'running…');
    const result = h('div', { className: 'tool-result', hidden: true });
    const element = h(
      'article',
      { className: 'tool-card' },
      h('h3', {}, \`\${title} \`, status),
      h('pre', { className: 'args' }, body),
      result,
    );
    return { element, status, result };
  }

  error(message) {
    this.block('error', h('p', { className: 'error', role: 'alert' }, message));
  }
  syncAnswer(response) {
    const answer = response?.answer;
    this.block(
      'answer',
      typeof answer === 'string'
        ? h('div', { className: 'answer' }, answer)
        : h('pre', { className: 'answer' }, JSON.stringify(answer, null, 2)),
    );
    if (response?.success === false) this.error('The flow reported success: false.');
    const metadata = response?.metadata ?? {};
    if (Object.keys(metadata).length > 0)
      this.block(
        'metadata',
        h('details', {}, h('summary', {}, 'metadata'), h('pre', {}, JSON.stringify(metadata, null, 2))),
      );
  }

  showTimeline(element) {
    this.timelineBox.replaceChildren(h('h3', {}, 'Timeline'), element);
  }

  timelineHint(text) {
    this.timelineBox.replaceChildren(h('p', { className: 'hint' }, text));
  }
}



const RUN_ID_HEADER = 'x-flowllm-run-id';
const TEXT_CHUNKS = new Set(['think', 'answer']);
class Run {
  constructor({ flow, bodyText, view, onChange, onIssues }) {
    Object.assign(this, { flow, bodyText, view, onChange, onIssues });
    this.state = 'idle';
    this.tokens = 0;
  }

  get active() {
    return this.state === 'running' || this.state === 'streaming';
  }
  get resumable() {
    return this.flow.stream && this.runId !== undefined;
  }

  url(path) {
    return new URL(path, this.flow.baseUrl);
  }

  async start() {
    this.startedAt = performance.now();
    this.set('running', 'Waiting for the response…');
    this.controller = new AbortController();
    let response;
    try {
      response = await fetch(this.url(encodeURIComponent(this.flow.name)), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: this.bodyText,
        signal: this.controller.signal,
      });
    } catch (error) {
      return this.end(this.stopping ? 'stopped' : 'error', \`The request failed: \${error.message}\`);
    }
    this.headersAt = performance.now();
    this.runId = response.headers.get(RUN_ID_HEADER) ?? undefined;
    this.updateTiming();
    if (!response.ok) return this.failed(response);
    if (!this.flow.stream) return this.syncAnswer(response);
    return this.read(response, 'Streaming…');
  }

  async failed(response) {
    const text = await response.text().catch(() => '');
    this.view.appendRaw(\`HTTP \${response.status}\\n\${text}\`);
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = { detail: text };
    }
    this.flowId = body?.flow_id;
    if (response.status === 422 && Array.isArray(body?.detail)) {
      const left = this.onIssues(body.detail);
      for (const issue of left) this.view.error(\`\${(issue.loc ?? []).join('.')}: \${issue.msg}\`);
      return this.end('error', \`422: the request does not match the flow's input schema.\`);
    }
    const detail = typeof body?.detail === 'string' ? body.detail : JSON.stringify(body?.detail ?? body);
    this.view.error(\`\${response.status}: \${detail}\`);
    return this.end('error', \`The server answered \${response.status}.\`);
  }

  async syncAnswer(response) {
    const text = await response.text();
    this.view.appendRaw(text);
    try {
      const answer = JSON.parse(text);
      this.flowId = answer?.metadata?.flow_id;
      this.view.syncAnswer(answer);
    } catch {
      this.view.error(\`Not JSON: \${text}\`);
    }
    return this.end('done', 'Done.');
  }
  async read(response, message) {
    this.set('streaming', message);
    const push = sseParser((event) => this.event(event));
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        this.view.appendRaw(read.value);
        push(read.value);
      }
    } catch {
    }
    if (this.done)
      return this.stopping
        ? this.end('stopped', 'Stopped: the server stopped the run.')
        : this.end(this.sawError ? 'error' : 'done', this.sawError ? 'Ended with an error.' : 'Done.');
    if (this.detaching)
      return this.end('detached', 'Disconnected: the run goes on on the server; Reconnect picks it up.');
    if (this.stopping) return this.end('stopped', 'Stopped: the request was aborted, so was the flow.');
    const more = this.resumable ? ' Reconnect resumes the run.' : '';
    return this.end('dropped', \`The connection closed before the end of the stream.\${more}\`);
  }

  event({ data, id }) {
    if (id !== undefined) this.lastEventId = id;
    if (data === '[DONE]') {
      this.done = true;
      return;
    }
    let chunk;
    try {
      chunk = JSON.parse(data);
    } catch {
      this.view.error(\`An event that is not JSON: \${data}\`);
      return;
    }
    this.flowId ??= chunk.flow_id;
    const now = performance.now();
    if (TEXT_CHUNKS.has(chunk.chunk_type)) {
      this.firstTokenAt ??= now;
      this.lastTokenAt = now;
      this.tokens++;
    }
    if (chunk.chunk_type === 'usage') this.usage = chunk.chunk;
    if (chunk.chunk_type === 'error') this.sawError = true;
    this.view.chunk(chunk);
    this.updateTiming();
  }
  async stop() {
    this.stopping = true;
    this.onChange(this);
    if (this.resumable) {
      const path = \`\${encodeURIComponent(this.flow.name)}/runs/\${encodeURIComponent(this.runId)}/stop\`;
      const answer = await fetch(this.url(path), { method: 'POST' }).catch(() => undefined);
      if (answer?.status === 202) return;
    }
    this.controller.abort();
  }
  detach() {
    this.detaching = true;
    this.controller.abort();
  }
  async reconnect() {
    this.detaching = false;
    this.stopping = false;
    this.controller = new AbortController();
    this.set('running', 'Reconnecting…');
    const headers = this.lastEventId === undefined ? {} : { 'last-event-id': this.lastEventId };
    const path = \`\${encodeURIComponent(this.flow.name)}/runs/\${encodeURIComponent(this.runId)}\`;
    let response;
    try {
      response = await fetch(this.url(path), { headers, signal: this.controller.signal });
    } catch (error) {
      return this.end('dropped', \`Reconnecting failed: \${error.message}\`);
    }
    if (response.status === 204)
      return this.end('done', 'Nothing to resume: the run was read to its end, expired or is unknown.');
    if (!response.ok) return this.failed(response);
    return this.read(response, \`Resumed after event \${this.lastEventId ?? 'none'}…\`);
  }

  set(state, message) {
    this.state = state;
    this.view.setState(state, message);
    this.onChange(this);
  }

  end(state, message) {
    this.endedAt = performance.now();
    this.updateTiming();
    this.set(state, message);
    if (state !== 'detached' && state !== 'dropped') this.loadTimeline();
  }

  updateTiming() {
    const since = (at) => (at === undefined ? undefined : at - this.startedAt);
    const window = (this.lastTokenAt ?? 0) - (this.firstTokenAt ?? 0);
    const tokens = this.usage?.completion_tokens ?? this.tokens;
    this.view.timing({
      headers: since(this.headersAt),
      firstToken: since(this.firstTokenAt),
      rate: window > 0 ? tokens / (window / 1000) : undefined,
      total: since(this.endedAt ?? performance.now()),
    });
  }
  async loadTimeline() {
    if (!this.flowId) return;
    const url = this.url(\`docs/timeline/\${encodeURIComponent(this.flowId)}\`);
    let response;
    let timeline;
    for (let wait = 50; ; wait *= 2) {
      response = await fetch(url).catch(() => undefined);
      timeline = response?.status === 200 ? await response.json().catch(() => undefined) : undefined;
      const running = timeline?.spans?.some?.((span) => span.duration_ms === null);
      if (!running || wait > 1600) break;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    if (response?.status === 200) {
      if (timeline) this.view.showTimeline(timelineView(timeline));
    } else if (response?.status === 404) {
      this.view.timelineHint('Per-op timing: turn on telemetry.timeline in the server config.');
    }
  }
}

const baseUrl = new URL('.', location.href).href;
const COMPLETIONS = '/chat/completions';
function flowsOf(doc) {
  const paths = doc.paths ?? {};
  const facade = Object.keys(paths).find(
    (path) => path.endsWith(COMPLETIONS) && paths[path].post?.['x-flowllm-route'] === 'openai',
  );
  const flows = [];
  for (const [path, item] of Object.entries(paths)) {
    const post = item.post;
    if (!post || 'x-flowllm-route' in post) continue;
    flows.push({
      name: path.slice(1),
      baseUrl,
      description: post.description ?? '',
      stream: Boolean(post.responses?.['200']?.content?.['text/event-stream']),
      schema: post.requestBody?.content?.['application/json']?.schema ?? { properties: {} },
      ui: paths[\`\${path}/ui\`]?.post?.['x-flowllm-route'] === 'ui',
      openaiPath: facade?.slice(0, -COMPLETIONS.length),
    });
  }
  return flows;
}
function bodyEditor(flow) {
  const form = schemaForm(flow.schema);
  const json = h('textarea', { id: \`json-\${flow.name}\`, className: 'json mono', spellcheck: false });
  const jsonError = h('p', { className: 'field-error', hidden: true, id: \`json-\${flow.name}-error\` });
  json.setAttribute('aria-describedby', jsonError.id);
  const jsonRow = h(
    'div',
    { className: 'field', hidden: true },
    h('label', { for: json.id }, 'Request body (JSON)'),
    json,
    jsonError,
  );
  let mode = 'form';
  const modes = toggleGroup(
    'Request body',
    [
      ['form', 'Form'],
      ['json', 'JSON'],
    ],
    (wanted) => {
      if (wanted === mode) return;
      if (wanted === 'json') {
        const { body, invalid } = form.read();
        if (invalid) return modes.pick('form');
        json.value = JSON.stringify(body, null, 2);
      } else {
        let body;
        try {
          body = JSON.parse(json.value || '{}');
        } catch {
          body = undefined;
        }
        const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
        if (!isObject) {
          jsonError.textContent =
            body === undefined
              ? 'Not valid JSON: fix it to go back to the form.'
              : 'The body is not a JSON object: make it one to go back to the form.';
          jsonError.hidden = false;
          return modes.pick('json');
        }
        form.write(body);
      }
      jsonError.hidden = true;
      mode = wanted;
      form.element.hidden = mode !== 'form';
      jsonRow.hidden = mode !== 'json';
    },
  );
  return {
    modes: modes.row,
    element: h('div', {}, form.element, jsonRow),
    showIssues(detail) {
      const left = form.showIssues(detail);
      return mode === 'json' ? detail : left;
    },
    text() {
      if (mode === 'json') return json.value;
      const { body, invalid } = form.read();
      return invalid ? undefined : JSON.stringify(body);
    },
  };
}
function copyPanel(flow, bodyText) {
  const code = h('code');
  const pre = h('pre', { tabIndex: 0, 'aria-label': 'Snippet' }, code);
  const status = h('span', { role: 'status', className: 'muted' });
  let kind = 'curl';
  const refresh = () => {
    code.textContent = snippet(kind, flow, bodyText() ?? '{}');
  };
  const kinds = toggleGroup('Snippet', snippetKinds(flow), (value) => {
    kind = value;
    refresh();
  });
  const copy = button('Copy', async () => {
    refresh();
    try {
      await navigator.clipboard.writeText(code.textContent);
      status.textContent = 'Copied.';
    } catch {
      getSelection().selectAllChildren(code);
      status.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  });
  const element = h('details', { className: 'copy' }, h('summary', {}, 'Copy as'), kinds.row, pre);
  element.append(h('div', { className: 'actions' }, copy, status));
  element.addEventListener('toggle', refresh);
  return { element, refresh };
}
function flowPanel(flow) {
  const editor = bodyEditor(flow);
  const result = h('div', { className: 'result-box' });
  let run;
  let lastBody;
  const runButton = h('button', { type: 'submit', className: 'primary' }, 'Run');
  let focusRunWhenDone = false;
  const stop = button(
    'Stop',
    () => {
      focusRunWhenDone = document.activeElement === stop;
      run?.stop();
    },
    { disabled: true },
  );
  const detach = button('Disconnect', () => run?.detach(), { hidden: true });
  const reconnect = button('Reconnect', () => run?.reconnect(), { hidden: true });
  const copy = copyPanel(flow, () => lastBody ?? editor.text());
  const update = (current) => {
    runButton.disabled = current.active;
    stop.disabled = !current.active || Boolean(current.stopping);
    detach.hidden = !(current.active && current.resumable);
    reconnect.hidden =
      current.active || !current.resumable || !['detached', 'dropped'].includes(current.state);
    if (focusRunWhenDone && !current.active) {
      focusRunWhenDone = false;
      runButton.focus();
    }
  };
  const form = h(
    'form',
    { noValidate: true, 'aria-label': \`Run \${flow.name}\` },
    editor.modes,
    editor.element,
    h('div', { className: 'actions' }, runButton, stop, detach, reconnect),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (run?.active) return;
    const bodyText = editor.text();
    if (bodyText === undefined) return;
    lastBody = bodyText;
    copy.refresh();
    const view = new RunView(result, { stream: flow.stream });
    run = new Run({ flow, bodyText, view, onChange: update, onIssues: editor.showIssues });
    run.start().catch((error) => view.error(\`The playground failed: \${error.message}\`));
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  return h(
    'section',
    { className: 'flow', 'aria-labelledby': \`title-\${flow.name}\`, 'data-flow': flow.name },
    h(
      'h2',
      { id: \`title-\${flow.name}\` },
      h('code', {}, \`POST /\${flow.name}\`),
      ' ',
      h('span', { className: 'badge' }, flow.stream ? 'stream' : 'sync'),
    ),
    flow.description ? h('p', {}, flow.description) : undefined,
    form,
    result,
    copy.element,
  );
}
function render(root, flows) {
  const panels = new Map();
  const links = new Map();
  const list = h('ul');
  for (const flow of flows) {
    const link = h('a', { href: \`#\${encodeURIComponent(flow.name)}\` }, flow.name);
    link.append(h('span', { className: 'badge' }, flow.stream ? 'stream' : 'sync'));
    links.set(flow.name, link);
    list.append(h('li', {}, link));
  }
  const main = h('main', { id: 'flow' });
  const show = () => {
    const flow = flows.find((item) => \`#\${encodeURIComponent(item.name)}\` === location.hash) ?? flows[0];
    if (!flow) return main.replaceChildren(h('p', {}, 'This server has no flows.'));
    if (!panels.has(flow.name)) panels.set(flow.name, flowPanel(flow));
    main.replaceChildren(panels.get(flow.name));
    for (const [name, link] of links) {
      if (name === flow.name) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
  };
  addEventListener('hashchange', show);
  root.replaceChildren(h('div', { className: 'layout' }, h('nav', { 'aria-label': 'Flows' }, list), main));
  show();
}

async function start() {
  const root = document.getElementById('app');
  try {
    const response = await fetch(new URL('openapi.json', baseUrl));
    if (!response.ok) throw new Error(\`openapi.json answered \${response.status}\`);
    render(root, flowsOf(await response.json()));
  } catch (error) {
    root.replaceChildren(
      h('p', { className: 'error', role: 'alert' }, \`Could not load the flows: \${error.message}\`),
    );
  }
  document.body.dataset.ready = 'true';
}

start();
`;

/** The playground style. */
export const PLAYGROUND_CSS = `:root {
  color-scheme: light dark;
  --bg: #fff;
  --fg: #1d1f23;
  --muted: #5f6670;
  --line: #d7dbe0;
  --panel: #f5f7f9;
  --accent: #1f5fbf;
  --accent-fg: #fff;
  --think: #6b4fa3;
  --error: #b3261e;
  --error-bg: #fdecea;
  --ok: #1e7a3c;
  --focus: #f0a500;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #16181c;
    --fg: #e6e8eb;
    --muted: #a0a7b1;
    --line: #343941;
    --panel: #1f2227;
    --accent: #6ea8ff;
    --accent-fg: #0b1526;
    --think: #c0a8f0;
    --error: #ff8a80;
    --error-bg: #3a1d1b;
    --ok: #7fd69a;
  }
}
* {
  box-sizing: border-box;
}
body {
  margin: 0;
  background: var(--bg);
  color: var(--fg);
  font:
    15px / 1.5 system-ui,
    sans-serif;
}
header {
  display: flex;
  flex-wrap: wrap;
  gap: 0.25rem 1rem;
  align-items: baseline;
  padding: 0.75rem 1rem;
  border-bottom: 1px solid var(--line);
}
h1 {
  margin: 0;
  font-size: 1.25rem;
}
h2 {
  margin: 0 0 0.25rem;
  font-size: 1.15rem;
}
a {
  color: var(--accent);
}
code,
pre,
textarea,
.mono {
  font:
    13px / 1.45 ui-monospace,
    SFMono-Regular,
    Menlo,
    monospace;
}
h2 code {
  font-size: 1.05rem;
}
pre {
  margin: 0;
  padding: 0.5rem;
  overflow: auto;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  background: var(--panel);
  border-radius: 4px;
}
.layout {
  display: grid;
  grid-template-columns: minmax(13rem, 18rem) minmax(0, 1fr);
}
nav {
  border-right: 1px solid var(--line);
  padding: 0.5rem;
}
nav ul {
  list-style: none;
  margin: 0;
  padding: 0;
}
nav a {
  display: flex;
  justify-content: space-between;
  align-items: center;
  gap: 0.5rem;
  padding: 0.35rem 0.5rem;
  border-radius: 4px;
  color: var(--fg);
  text-decoration: none;
  overflow-wrap: anywhere;
}
nav a[aria-current="page"] {
  background: var(--panel);
  font-weight: 600;
}
main {
  padding: 1rem;
  min-width: 0;
}
@media (max-width: 720px) {
  .layout {
    grid-template-columns: 1fr;
  }
  nav {
    border-right: 0;
    border-bottom: 1px solid var(--line);
  }
}
.badge {
  flex-shrink: 0;
  font-size: 0.75rem;
  padding: 0 0.4rem;
  border: 1px solid var(--line);
  border-radius: 999px;
  color: var(--muted);
  white-space: nowrap;
}
.muted,
.hint {
  color: var(--muted);
}
.hint {
  font-size: 0.85rem;
  margin: 0.25rem 0;
}
button {
  font: inherit;
  padding: 0.35rem 0.8rem;
  border: 1px solid var(--line);
  border-radius: 4px;
  background: var(--panel);
  color: var(--fg);
  cursor: pointer;
}
button.primary {
  background: var(--accent);
  border-color: var(--accent);
  color: var(--accent-fg);
}
button:disabled {
  opacity: 0.5;
  cursor: default;
}
button[aria-pressed="true"] {
  background: var(--fg);
  color: var(--bg);
}
:focus-visible {
  outline: 3px solid var(--focus);
  outline-offset: 2px;
}
.group,
.actions {
  display: flex;
  flex-wrap: wrap;
  gap: 0.4rem;
  margin: 0.5rem 0;
}
.group button {
  padding: 0.15rem 0.6rem;
}
.field {
  margin: 0.6rem 0;
}
.field label {
  display: block;
  font-weight: 600;
}
.field small {
  display: block;
  color: var(--muted);
}
input,
select,
textarea {
  width: 100%;
  max-width: 40rem;
  padding: 0.35rem;
  font: inherit;
  color: var(--fg);
  background: var(--bg);
  border: 1px solid var(--line);
  border-radius: 4px;
}
input[type="checkbox"] {
  width: auto;
}
textarea {
  min-height: 4.5rem;
}
textarea.json {
  min-height: 10rem;
}
[aria-invalid="true"] {
  border-color: var(--error);
}
.field-error,
.error {
  color: var(--error);
}
.field-error {
  margin: 0.2rem 0 0;
}
.error {
  background: var(--error-bg);
  padding: 0.5rem;
  border-radius: 4px;
  white-space: pre-wrap;
}
details > summary {
  cursor: pointer;
  margin: 0.4rem 0;
}
.result {
  margin-top: 1rem;
  border-top: 1px solid var(--line);
  padding-top: 0.5rem;
}
.timing {
  display: flex;
  flex-wrap: wrap;
  gap: 0.25rem 1rem;
  font-size: 0.9rem;
}
.timing b {
  font-variant-numeric: tabular-nums;
}
.view > * {
  margin: 0.5rem 0;
}
.answer {
  white-space: pre-wrap;
  overflow-wrap: anywhere;
}
.think {
  border-left: 3px solid var(--think);
  padding-left: 0.6rem;
}
.think > summary {
  color: var(--think);
}
.think .text {
  white-space: pre-wrap;
  color: var(--muted);
}
.tool-card {
  border: 1px solid var(--line);
  border-radius: 6px;
  padding: 0.5rem;
}
.tool-card h3 {
  margin: 0 0 0.3rem;
  font-size: 0.95rem;
}
.tool-card .status {
  font-weight: normal;
  color: var(--muted);
}
.tool-card .status.ok {
  color: var(--ok);
}
.usage {
  font-size: 0.85rem;
  color: var(--muted);
}
.timeline {
  display: grid;
  gap: 2px;
}
.timeline .row {
  display: grid;
  grid-template-columns: minmax(6rem, 14rem) 1fr 4.5rem;
  gap: 0.5rem;
  align-items: center;
  font-size: 0.8rem;
}
.timeline .took {
  text-align: right;
  font-variant-numeric: tabular-nums;
}
.timeline .track {
  position: relative;
  height: 0.9rem;
  background: var(--panel);
}
.timeline .bar {
  position: absolute;
  top: 0;
  bottom: 0;
  min-width: 2px;
  background: var(--accent);
  border-radius: 2px;
}
.timeline .bar.model {
  background: var(--think);
}
.timeline .bar.tool {
  background: var(--ok);
}
.timeline .bar.error,
.timeline .bar.cancelled {
  background: var(--error);
}
.timeline .bar.running {
  opacity: 0.5;
}
.copy pre {
  max-height: 22rem;
}
`;

/** A hash of both, in their URLs, so a browser may keep them for good. */
export const PLAYGROUND_VERSION = '5d9b78ad7eb6';
