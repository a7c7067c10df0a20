// docs/config.md against the code: every key of the config schema (as shipped in config.schema.json,
// which core's tests keep equal to the schema validation uses) and of every built-in backend, with its
// default, and every environment variable the built package reads.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { publicPackage, ROOT } from '../src/workspace.js';

interface JsonSchema {
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
}
interface Spec {
  default?: unknown;
}
interface Backend {
  kind: string;
  name: string;
  keys: Record<string, Spec>;
}

const doc = readFileSync(join(ROOT, 'docs', 'config.md'), 'utf8');
const lines = doc.split('\n');
const core = publicPackage('@flowllm/core');
const schema: JsonSchema = JSON.parse(readFileSync(join(core.dir, 'config.schema.json'), 'utf8'));
let backends: Backend[];

beforeAll(async () => {
  // The built package, as published (turbo builds it before this test).
  const built = await import(pathToFileURL(join(core.dir, 'dist', 'models.js')).href);
  backends = built.BUILTIN_BACKENDS;
});

/** Every key path of the schema with its node: `http.cors.max_age`, `flow.<name>.input_schema.<field>.type`. */
function keyPaths(node: JsonSchema, prefix: string, out: [string, Spec][] = []): [string, Spec][] {
  // `items` of an input field refers back to the input field's own keys: documented once, as a leaf.
  const ref = node.$ref?.replace('#/definitions/', '');
  if (ref && !prefix.endsWith('.items')) return keyPaths(schema.definitions?.[ref] ?? {}, prefix, out);
  if (node.properties) {
    // A model entry's backend keys (under `allOf`) are the built-in backends' keys, checked below.
    for (const [name, field] of Object.entries(node.properties)) {
      keyPaths(field, prefix ? `${prefix}.${name}` : name, out);
    }
  } else if (typeof node.additionalProperties === 'object') {
    const placeholder = /(input|output)_schema$/.test(prefix) ? '<field>' : '<name>';
    keyPaths(node.additionalProperties, `${prefix}.${placeholder}`, out);
  } else {
    out.push([prefix, node]);
  }
  return out;
}

/** How a default is written in the doc's tables. */
function shown(value: unknown): string {
  if (value === '') return '`""`';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

const rowsWith = (key: string) => lines.filter((line) => line.startsWith('|') && line.includes(`\`${key}\``));

describe('docs/config.md', () => {
  it('documents every config key with its default', () => {
    const missing: string[] = [];
    for (const [path, spec] of keyPaths(schema, '')) {
      const rows = rowsWith(path);
      if (rows.length === 0) missing.push(`${path}: not in the Keys table`);
      else if (spec.default !== undefined && !rows.some((row) => row.includes(shown(spec.default)))) {
        missing.push(`${path}: default ${shown(spec.default)} not shown`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('documents every key of every built-in backend, with its default', () => {
    expect(backends.length).toBeGreaterThan(0);
    const missing: string[] = [];
    for (const backend of backends) {
      for (const [key, spec] of Object.entries(backend.keys)) {
        const rows = rowsWith(key);
        if (rows.length === 0) missing.push(`${backend.kind} ${backend.name}: ${key} not documented`);
        else if (spec.default !== undefined && !rows.some((row) => row.includes(shown(spec.default)))) {
          missing.push(`${backend.kind} ${backend.name}: ${key}: default ${shown(spec.default)} not shown`);
        }
      }
      expect(doc, `backend ${backend.name}`).toContain(`\`${backend.name}\``);
    }
    expect(missing).toEqual([]);
  });

  it('documents every environment variable the built package reads', () => {
    const distDir = join(core.dir, 'dist');
    const code = readdirSync(distDir)
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(join(distDir, file), 'utf8'));
    const variables = new Set<string>();
    // Reads in the code (`env.X`, `env["X"]`) and `${X}` in the built-in config.
    for (const text of code) {
      for (const match of text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|\[["']([A-Z][A-Z0-9_]+)["']\])/g)) {
        variables.add(match[1] ?? match[2] ?? '');
      }
    }
    const defaults = readFileSync(join(core.dir, 'configs', 'builtin-defaults.yaml'), 'utf8');
    for (const match of defaults.matchAll(/\$\{([A-Z][A-Z0-9_]+)/g)) variables.add(match[1] ?? '');
    expect([...variables]).toEqual(
      expect.arrayContaining(['FLOW_LLM_API_KEY', 'ANTHROPIC_API_KEY', 'FLOW_APP_NAME']),
    );
    const missing = [...variables].filter((name) => rowsWith(name).length === 0);
    expect(missing, 'add them to the Environment table').toEqual([]);
  });
});
