// The JSON Schema shipped as `@flowllm/core/config.schema.json`: current with the schema it is computed
// from, and checking YAML the way an editor (yaml-language-server, through a JSON Schema validator) would.
import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { builtinBackends } from '../../src/engine/flow-app.js';

const SCHEMA_FILE = new URL('../../config.schema.json', import.meta.url);
const generated = `${JSON.stringify(configJsonSchema(builtinBackends.configBackends()), null, 2)}\n`;
if (process.env.FLOWLLM_UPDATE_SCHEMA === '1') writeFileSync(SCHEMA_FILE, generated);
const shipped = readFileSync(SCHEMA_FILE, 'utf8');

const validate = new Ajv({ strict: true, allErrors: true }).compile(JSON.parse(shipped));
const repoFile = (path: string) =>
  parse(readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8'));
/** The problems the schema finds, as `path: message`. */
function problems(config: unknown): string[] {
  if (validate(config)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath}: ${error.message}`);
}

describe('config.schema.json', () => {
  it('is the schema computed from the config schema and the built-in backends (FLOWLLM_UPDATE_SCHEMA=1 rewrites it)', () => {
    expect(shipped).toBe(generated);
  });

  it('accepts the demo configs and the built-in defaults', () => {
    for (const file of [
      'examples/standalone/my_stream_config.yaml',
      'examples/stream-demo/my_stream_config.yaml',
      'packages/core/configs/builtin-defaults.yaml',
      'packages/core/configs/default.yaml',
    ]) {
      expect(problems(repoFile(file)), file).toEqual([]);
    }
  });

  it('flags a misspelt key, a wrong type, an enum miss and a bad flow name', () => {
    // The mistake the runtime reports for this fixture (test/config/load.test.ts), and only that one.
    expect(problems(repoFile('packages/core/test/config/fixtures/base.yaml'))).toEqual([
      '/language: must be string',
    ]);
    expect(problems({ flw: {} })).toContainEqual(
      expect.stringContaining('must NOT have additional properties'),
    );
    expect(problems({ http: { prot: 8002 } })).toContainEqual('/http: must NOT have additional properties');
    expect(problems({ flow: { chat: { flow_content: 'ChatOp()', stream: 'yes' } } })).toContainEqual(
      '/flow/chat/stream: must be boolean',
    );
    expect(problems({ mcp: { transport: 'websocket' } })).toContainEqual(
      '/mcp/transport: must be equal to one of the allowed values',
    );
    expect(problems({ flow: { 'my flow': { flow_content: 'ChatOp()' } } })).toContainEqual(
      expect.stringContaining('must match pattern'),
    );
    expect(problems({ flow: { chat: { stream: true } } })).toContainEqual(
      "/flow/chat: must have required property 'flow_content'",
    );
  });

  it('checks input fields at any depth', () => {
    const field = (items: unknown) => ({
      flow: { chat: { flow_content: 'ChatOp()', input_schema: { tags: { type: 'array', items } } } },
    });
    expect(problems(field({ type: 'string' }))).toEqual([]);
    expect(problems(field({ type: 'array', items: { tpye: 'string' } }))).toContainEqual(
      '/flow/chat/input_schema/tags/items/items: must NOT have additional properties',
    );
  });

  it("checks a built-in backend's entry against that backend's keys", () => {
    const llm = (entry: unknown) => ({ llm: { default: entry } });
    expect(problems(llm({ backend: 'mock', answer: 'hi', token_delay_ms: 5 }))).toEqual([]);
    expect(problems(llm({ backend: 'mock', answr: 'hi' }))).toContainEqual(
      '/llm/default: must NOT have additional properties',
    );
    expect(problems(llm({ backend: 'anthropic', token_delay_ms: 5 }))).toContainEqual(
      '/llm/default: must NOT have additional properties',
    );
    expect(problems(llm({ backend: 'openai_compatible', timeout: 0 }))).toContainEqual(
      '/llm/default/timeout: must be > 0',
    );
    expect(problems(llm({ model_name: 'qwen' }))).toContainEqual(
      "/llm/default: must have required property 'backend'",
    );
  });

  it("leaves an app's own backends' keys alone", () => {
    expect(problems({ vector_store: { notes: { backend: 'my_store', table: 'notes' } } })).toEqual([]);
  });
});
