// What one run shows: its chunks as they come (think, answer, tool cards, usage, errors), its timing,
// the raw response one click away, and the per-op timeline when the server has one.

import { formatMs, h, pretty, toggleGroup } from './dom.js';

function usageText(usage) {
  const parts = [];
  if (usage.prompt_tokens !== undefined) parts.push(`${usage.prompt_tokens} prompt`);
  if (usage.completion_tokens !== undefined) parts.push(`${usage.completion_tokens} completion`);
  const total = usage.total_tokens !== undefined ? ` = ${usage.total_tokens} tokens` : '';
  return `Usage: ${parts.join(' + ') || JSON.stringify(usage)}${total}`;
}

/** A tool call's arguments (JSON text) indented for reading. */
function argumentsText(call) {
  return pretty(String(call.function?.arguments ?? ''));
}

/** The result area of a run, inside `container` (emptied). */
export class RunView {
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

  /** The run's state (`running`, `streaming`, `done`, `error`, `stopped`, `detached`, `dropped`) and a line. */
  setState(state, message) {
    this.element.dataset.state = state;
    this.view.setAttribute('aria-busy', String(state === 'running' || state === 'streaming'));
    this.status.textContent = message;
  }

  timing({ headers, firstToken, rate, total }) {
    const item = (label, value) => h('span', {}, `${label} `, h('b', {}, value));
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

  /** Text to the current think or answer block, or a new one when the kind changes. */
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

  /** A think block folds once something else starts; its text stays one click away. */
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

  /** One chunk of FlowLLM's stream. */
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
        return this.block('other', h('pre', {}, `${chunk.chunk_type}: ${JSON.stringify(content)}`));
    }
  }

  /** A tool call starts a card (calls in a row share an agent step); its result fills the card. */
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
      return this.block('result', this.card(`Result of ${content.name}`, String(content.content)).element);
    }
    if (!content?.function) return this.block('other', this.card('Tool', JSON.stringify(content)).element);
    if (this.last?.kind !== 'call') this.step++;
    const card = this.card(`Step ${this.step} · ${content.function.name}`, argumentsText(content));
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
      h('h3', {}, `${title} `, status),
      h('pre', { className: 'args' }, body),
      result,
    );
    return { element, status, result };
  }

  error(message) {
    this.block('error', h('p', { className: 'error', role: 'alert' }, message));
  }

  /** A sync flow's answer `{ answer, success, metadata }`. */
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
