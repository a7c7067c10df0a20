// The /docs playground: lists the flows of openapi.json, and for each a form (or raw JSON) that runs
// it, its result, and the request as code. Every URL is relative to the mount point (`{mount}/docs`).

import { button, h, toggleGroup } from './dom.js';
import { RunView } from './run-view.js';
import { Run } from './runner.js';
import { schemaForm } from './schema-form.js';
import { snippet, snippetKinds } from './snippets.js';

/** Where the flows are mounted, with a trailing slash: the page is `{mount}/docs`. */
const baseUrl = new URL('.', location.href).href;
const COMPLETIONS = '/chat/completions';

/** The flows of an OpenAPI document, with the routes each one has beside its POST. */
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
      ui: paths[`${path}/ui`]?.post?.['x-flowllm-route'] === 'ui',
      openaiPath: facade?.slice(0, -COMPLETIONS.length),
    });
  }
  return flows;
}

/** The request body editors: the form and the raw JSON, one shown at a time. */
function bodyEditor(flow) {
  const form = schemaForm(flow.schema);
  const json = h('textarea', { id: `json-${flow.name}`, className: 'json mono', spellcheck: false });
  const jsonError = h('p', { className: 'field-error', hidden: true, id: `json-${flow.name}-error` });
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
    /** Shows a 422's issues next to their fields; returns those to list apart (all, in JSON mode). */
    showIssues(detail) {
      const left = form.showIssues(detail);
      return mode === 'json' ? detail : left;
    },
    /** The body text to send, or undefined when a form field cannot be read. */
    text() {
      if (mode === 'json') return json.value;
      const { body, invalid } = form.read();
      return invalid ? undefined : JSON.stringify(body);
    },
  };
}

/** "Copy as": the last body run (or the form's), as each kind of snippet this flow offers. */
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

/** One flow's panel: heading, body editors, buttons, the result, and "Copy as". */
function flowPanel(flow) {
  const editor = bodyEditor(flow);
  const result = h('div', { className: 'result-box' });
  let run;
  let lastBody;
  const runButton = h('button', { type: 'submit', className: 'primary' }, 'Run');
  // Stop is disabled once pressed: the keyboard's focus goes back to Run when the run has ended.
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
    { noValidate: true, 'aria-label': `Run ${flow.name}` },
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
    run.start().catch((error) => view.error(`The playground failed: ${error.message}`));
  });
  // Ctrl+Enter (⌘+Enter) runs from a text area, where Enter is a new line.
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  return h(
    'section',
    { className: 'flow', 'aria-labelledby': `title-${flow.name}`, 'data-flow': flow.name },
    h(
      'h2',
      { id: `title-${flow.name}` },
      h('code', {}, `POST /${flow.name}`),
      ' ',
      h('span', { className: 'badge' }, flow.stream ? 'stream' : 'sync'),
    ),
    flow.description ? h('p', {}, flow.description) : undefined,
    form,
    result,
    copy.element,
  );
}

/** The list of flows, and the panel of the one named in the URL's #fragment. */
function render(root, flows) {
  const panels = new Map();
  const links = new Map();
  const list = h('ul');
  for (const flow of flows) {
    const link = h('a', { href: `#${encodeURIComponent(flow.name)}` }, flow.name);
    link.append(h('span', { className: 'badge' }, flow.stream ? 'stream' : 'sync'));
    links.set(flow.name, link);
    list.append(h('li', {}, link));
  }
  const main = h('main', { id: 'flow' });
  const show = () => {
    const flow = flows.find((item) => `#${encodeURIComponent(item.name)}` === location.hash) ?? flows[0];
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
    if (!response.ok) throw new Error(`openapi.json answered ${response.status}`);
    render(root, flowsOf(await response.json()));
  } catch (error) {
    root.replaceChildren(
      h('p', { className: 'error', role: 'alert' }, `Could not load the flows: ${error.message}`),
    );
  }
  document.body.dataset.ready = 'true';
}

start();
