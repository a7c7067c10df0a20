import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { answerOn, callTool, stdioEcho } from './client-helpers.js';
import { projectDir, runCliOnce, settles } from './server/helpers.js';

// The built `flowllm` command loads @flowllm/mcp's ops when the config has `external_mcp` servers.
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('flowllm with external_mcp', () => {
  it('backend=cmd runs an agent flow that calls a stdio MCP server named in the config', async () => {
    const cwd = projectDir({
      llm: {
        default: {
          backend: 'mock',
          script: [answerOn('^echo: hi$', 'The server said hi.'), callTool('say', 'echo', { text: 'hi' })],
        },
      },
      external_mcp: { echo: stdioEcho },
      flow: {
        agent: { flow_content: 'ReactAgentOp(tool_call_interval=0) << McpToolsOp(server="echo")' },
      },
    });
    dirs.push(cwd);
    // A stdio server the app did not close would keep the command from exiting.
    const { code, stdout, stderr } = await settles(
      runCliOnce(cwd, ['config=mcp_test', 'backend=cmd', 'cmd.flow=agent', 'cmd.params.query=say hi']),
      'flowllm to run the flow and exit',
      30_000,
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('The server said hi.');
  });
});
