import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, formatIssue } from '../../src/config/config-error.js';
import { defineConfig } from '../../src/config/config-input.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import { ENGINE_KEYS } from '../../src/engine/context.js';
import { removeTempDirs, tempDir, thrown } from '../config/fixtures/test-backends.js';
import { testOps } from '../helpers/test-ops.js';

afterAll(removeTempDirs);

const YAML = `flow:
  chat:
    flow_content: ChatOp()
    input_schema:
      query:
        type: string
      system_prompt:
        type: string
`;

describe('config: an input_schema field the engine owns', () => {
  it('fails start-up at the line of the field, naming why', () => {
    const cwd = tempDir({ 'app.yaml': YAML });
    const error = thrown(() => createFlowApp({ config: 'app', cwd, env: {}, ops: testOps }));
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues.map(formatIssue)).toEqual([
      expect.stringMatching(
        /app\.yaml:7:\d+: flow\.chat\.input_schema\.system_prompt: 'system_prompt' is set by the engine/,
      ),
    ]);
  });

  it('is refused for every engine key, and other names load', () => {
    for (const key of ENGINE_KEYS) {
      const config = defineConfig({
        flow: { f: { flow_content: 'ChatOp()', input_schema: { [key]: { type: 'string' } } } },
      });
      const error = thrown(() => createFlowApp({ config, env: {}, ops: testOps }));
      expect(ConfigError.isInstance(error), key).toBe(true);
    }
    const fine = defineConfig({
      flow: { f: { flow_content: 'ChatOp()', input_schema: { prompt: { type: 'string' } } } },
    });
    expect(createFlowApp({ config: fine, env: {}, ops: testOps }).flows.has('f')).toBe(true);
  });
});
