// ExecuteCodeOp is registered (FlowLLM configs may name it) but a flow that uses it is refused at
// load: there is no sandbox to run model-written code in.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { createFlowApp } from '../../src/create-flow-app.js';
import { defaultOpRegistry } from '../../src/ops/builtin.js';
import { ExecuteCodeOp } from '../../src/ops/execute-code-op.js';

const flows = (flowContent: string) => ({
  env: {},
  config: { flow: { calc: { flow_content: flowContent }, chat: { flow_content: 'ChatOp()' } } },
});

describe('ExecuteCodeOp', () => {
  it('is a registered op name', () => {
    expect(defaultOpRegistry.get('ExecuteCodeOp')).toBe(ExecuteCodeOp);
  });

  it.each(['ExecuteCodeOp()', 'ReactAgentOp() << ExecuteCodeOp()'])(
    'a flow using it fails to load, saying why: %s',
    (flowContent) => {
      let failure: unknown;
      try {
        createFlowApp(flows(flowContent));
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(ConfigError);
      const message = (failure as Error).message;
      expect(message).toContain('flow.calc');
      expect(message).toContain(
        'ExecuteCodeOp is not available: flowllm for Node has no sandbox to run model-written code in',
      );
    },
  );

  it('a config whose flows do not use it loads', async () => {
    const app = createFlowApp(flows('ChatOp()'));
    const response = await app.run('calc', { query: 'hi' });
    expect(typeof response.answer).toBe('string');
  });
});
