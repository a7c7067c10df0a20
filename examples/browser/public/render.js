// Shared by both pages: where the API is, and how one turn of the conversation is drawn.
// Text goes in with textContent / text nodes only, never as HTML.
import { FlowClient, FlowClientError } from '@flowllm/client';

const params = new URLSearchParams(location.search);

/** `?api=http://localhost:8002/api` points the page at another flowllm server (CORS is open by default). */
export const apiBase = params.get('api') ?? new URL('./api', location.href).href;
/** `?flow=name` picks another stream flow. */
export const flowName = params.get('flow') ?? 'demo_stream_http_flow';
export const client = new FlowClient({ baseUrl: apiBase });

for (const element of document.querySelectorAll('[data-endpoint]')) {
  element.textContent = new URL(`${apiBase.replace(/\/+$/, '')}/${flowName}`, location.href).pathname;
}

function element(tag, className, parent) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  parent?.append(node);
  return node;
}

/** A readable message for anything the client throws. */
export function describeError(error) {
  if (FlowClientError.isInstance(error)) {
    const message = error.message.replace(/^@flowllm\/client: /, '');
    return error.code === 'http' ? message : `${error.code.replace('_', ' ')}: ${message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Adds a turn to the log and returns its controls. `add(chunk)` takes a chunk as the server sends it
 * (`chunk_type`, `chunk`), which is also what `streamFlow` yields.
 */
export function startTurn(log, question) {
  const started = performance.now();
  const turn = element('article', 'turn', log);
  turn.dataset.state = 'streaming';
  element('p', 'question', turn).textContent = question;
  const reply = element('div', 'reply', turn);
  const think = element('details', 'think', reply);
  think.hidden = true;
  think.open = true;
  const summary = element('summary', '', think);
  summary.textContent = 'Thinking…';
  const thinkText = element('div', 'think-text', think);
  const answer = element('div', 'answer', reply);
  const tools = element('ul', 'tools', reply);
  tools.hidden = true;
  const failure = element('p', 'error', reply);
  failure.setAttribute('role', 'alert');
  failure.hidden = true;
  const meta = element('footer', 'meta', reply);
  let chunks = 0;
  let flowId = '';
  let thoughtFor;
  meta.textContent = 'waiting for the first chunk…';
  log.scrollTop = log.scrollHeight;

  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const showMeta = (state) => {
    const id = flowId ? ` · flow ${flowId.slice(0, 8)}` : '';
    meta.textContent = `${state} · ${chunks} chunks${id}`;
  };
  const stopThinking = () => {
    if (think.hidden || thoughtFor !== undefined) return;
    thoughtFor = seconds();
    summary.textContent = `Thought for ${thoughtFor} s`;
    think.open = false;
  };

  return {
    element: turn,
    get failed() {
      return !failure.hidden;
    },
    add(chunk) {
      chunks++;
      if (chunk.flow_id) flowId = chunk.flow_id;
      const content = chunk.chunk;
      switch (chunk.chunk_type) {
        case 'think':
          think.hidden = false;
          thinkText.append(String(content));
          break;
        case 'answer':
          stopThinking();
          answer.append(typeof content === 'string' ? content : JSON.stringify(content));
          break;
        case 'tool': {
          stopThinking();
          tools.hidden = false;
          const item = element('li', 'tool', tools);
          element('span', 'tool-label', item).textContent = 'tool call';
          element('code', 'tool-name', item).textContent = content?.function?.name ?? '?';
          element('code', 'tool-args', item).textContent =
            content?.function?.arguments ?? JSON.stringify(content);
          break;
        }
        case 'error':
          this.fail(String(content));
          break;
      }
      showMeta(`streaming ${seconds()} s`);
      log.scrollTop = log.scrollHeight;
    },
    fail(message) {
      stopThinking();
      failure.hidden = false;
      failure.textContent = message;
    },
    /** 'done', 'stopped' or 'error'. */
    finish(state) {
      stopThinking();
      turn.dataset.state = state;
      showMeta(`${state} in ${seconds()} s`);
    },
  };
}

/**
 * Wires the form: `run(query, turn)` streams one answer; `stop()` ends it early. Returns `runTurn(question,
 * body)`, which shows a new turn and runs `body(turn)` with the form busy (the chat page resumes with it).
 */
export function bindForm({ run, stop }) {
  const form = document.getElementById('ask');
  const question = document.getElementById('question');
  const send = document.getElementById('send');
  const stopButton = document.getElementById('stop');
  const log = document.getElementById('log');
  const runTurn = async (query, body) => {
    send.disabled = true;
    stopButton.disabled = false;
    try {
      await body(startTurn(log, query));
    } finally {
      send.disabled = false;
      stopButton.disabled = true;
      question.select();
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = question.value.trim();
    if (!query || send.disabled) return;
    runTurn(query, (turn) => run(query, turn));
  });
  stopButton.addEventListener('click', () => stop());
  document.body.dataset.ready = 'true';
  return runTurn;
}
