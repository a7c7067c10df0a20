// A form from a flow's request schema (openapi.json): one control per field, read back into a body.

import { h } from './dom.js';

// FlowLLM's request fields every flow takes; all but `query` are folded away unless required.
const FOLDED_BASE_FIELDS = new Set(['messages', 'workspace_id', 'metadata']);

/** The first non-null type of a JSON Schema (`["string", "null"]` → `string`). */
function typeOf(schema) {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type;
}

/** How a field is edited: enum, boolean, integer, number, list (one item per line), json or string. */
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
  list: (schema) => `list of ${typeOf(schema.items)}, one per line`,
  json: (schema) => `${typeOf(schema) ?? 'any'}, as JSON`,
  enum: (schema) => `one of ${schema.enum.map((value) => JSON.stringify(value)).join(', ')}`,
};

/** The control of one field and how to read it (`{ value }`, or `{ error }`) and write it. */
function control(name, schema, kind, required) {
  const id = `field-${name}`;
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
      else if (kind === 'list') box.value = Array.isArray(value) ? value.join('\n') : String(value);
      else box.value = String(value);
    },
  };
}

function readText(text, kind, schema) {
  if (text.trim() === '') return { value: undefined };
  if (kind === 'string') return { value: text };
  if (kind === 'list') {
    const items = text.split('\n').filter((line) => line.trim() !== '');
    return { value: typeOf(schema.items) === 'string' ? items : items.map((item) => Number(item)) };
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: 'not valid JSON' };
  }
}

/** One labelled field: label, control, description, and a place for its error. */
function fieldRow(name, schema, required) {
  const kind = kindOf(schema);
  const input = control(name, schema, kind, required);
  const id = input.element.id;
  const hint = KIND_HINTS[kind]?.(schema) ?? typeOf(schema);
  const error = h('p', { className: 'field-error', id: `${id}-error`, hidden: true });
  const description = h('small', { id: `${id}-description` }, schema.description ?? '');
  input.element.setAttribute('aria-describedby', `${id}-description ${id}-error`);
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
  return element.hidden ? message : `${element.textContent}; ${message}`;
}

/**
 * The form of a request schema: `element`, `read()` → `{ body, invalid }` (fields that could not be
 * read show their error), `write(body)`, `showIssues(detail)` → the 422 issues no field took.
 */
export function schemaForm(schema) {
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
        const path = rest.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('');
        field.addError(path ? `${path.replace(/^\./, '')}: ${issue.msg}` : issue.msg);
        if (folded.contains(field.row)) folded.open = true;
      }
      return left;
    },
  };
}
