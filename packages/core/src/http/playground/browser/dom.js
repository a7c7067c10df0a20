// Building the page: elements from plain data, text always as text (never parsed as HTML).

/**
 * An element: `props` keys set properties (`className`, `hidden`, `type`…) or, with a dash or
 * `aria`/`data` prefix, attributes; children are nodes or strings (as text).
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (key.includes('-') || key === 'for' || key === 'role') element.setAttribute(key, String(value));
    else element[key] = value;
  }
  element.append(...children.filter((child) => child !== undefined && child !== null && child !== false));
  return element;
}

/** A button that runs `onClick`; type=button so it never submits a form by accident. */
export function button(label, onClick, props = {}) {
  const element = h('button', { type: 'button', ...props }, label);
  element.addEventListener('click', onClick);
  return element;
}

/**
 * A row of toggle buttons (`aria-pressed`), one pressed at a time; `onPick(value)` runs on a click.
 * Returns the row and `pick(value)` to change the pressed one from code.
 */
export function toggleGroup(label, options, onPick) {
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

/** `1234.5` ms as `1.23 s`, `87` as `87 ms`. */
export function formatMs(ms) {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** JSON text indented, or the text itself when it is not JSON. */
export function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
