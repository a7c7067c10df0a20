// createFlowService's `mcp` option (core), checked when the service is made: the path must not take a
// flow's or the service's own route, and a service made without MCP cannot get it later unnoticed.
import { ConfigError, createFlowApp, createFlowService } from '@flowllm/core';
import { describe, expect, it } from 'vitest';

const config = (flows: string[]) => ({
  flow: Object.fromEntries(flows.map((name) => [name, { flow_content: 'ChatOp()' }])),
  llm: { default: { backend: 'mock' as const, answer: 'Hello {input}' } },
});
const app = (flows: string[] = ['chat']) => createFlowApp({ env: {}, config: config(flows) });

describe('createFlowService(…, { mcp })', () => {
  it('mounts at /mcp with `true`, at a given path otherwise; off by default', () => {
    expect(createFlowService(app(), { mcp: true }).mcp?.path).toBe('/mcp');
    expect(createFlowService(app(), { mcp: { path: 'tools/' } }).mcp?.path).toBe('/tools');
    const plain = createFlowService(app());
    expect(plain.mcp).toBeUndefined();
    expect(plain.handles('/mcp')).toBe(false);
    expect(createFlowService(app(), { mcp: true }).handles('/mcp')).toBe(true);
  });

  it('refuses a path a flow or a service route already has, naming it', () => {
    const flowClash = () => createFlowService(app(['chat', 'mcp']), { mcp: true });
    expect(flowClash).toThrow(ConfigError);
    expect(flowClash).toThrow("mcp.path: the MCP endpoint's path '/mcp' is taken by the flow 'mcp'");
    expect(() => createFlowService(app(), { mcp: { path: '/health' } })).toThrow(
      "mcp.path: the MCP endpoint's path '/health' is taken by the service's own route",
    );
  });

  it('refuses unknown keys and wrong types when the service is made, naming each', () => {
    const make = (mcp: unknown) => () => createFlowService(app(), { mcp: mcp as never });
    expect(make({ allowedOrigins: ['http://x'] })).toThrow(
      'mcp.allowedOrigins: unknown key; expected path, stateless, allowed_origins, allowed_hosts',
    );
    expect(make({ allowed_origins: 'http://x' })).toThrow('mcp.allowed_origins: must be a list of strings');
    expect(make({ stateless: 'yes', allowed_hosts: [1] })).toThrow(
      /mcp\.stateless: must be a boolean[\s\S]*mcp\.allowed_hosts: must be a list of strings/,
    );
  });

  it('refuses a path of more than one segment, or none', () => {
    expect(() => createFlowService(app(), { mcp: { path: '/a/b' } })).toThrow(
      /mcp\.path: expected one path segment/,
    );
    expect(() => createFlowService(app(), { mcp: { path: '/' } })).toThrow(/mcp\.path/);
  });

  it('refuses `mcp` with a FlowService made without it, and keeps one made with it', () => {
    const without = createFlowService(app());
    expect(() => createFlowService(without, { mcp: true })).toThrow(/where this FlowService is made/);
    const withMcp = createFlowService(app(), { mcp: true });
    expect(createFlowService(withMcp, { mcp: true })).toBe(withMcp);
  });

  it('a service without MCP leaves /mcp to the host (node middleware calls next)', async () => {
    const service = createFlowService(app());
    let passedOn = false;
    const response = await service.handleFetch(new Request('http://127.0.0.1/mcp', { method: 'POST' }));
    expect(response).toBeUndefined();
    service.node({ url: '/mcp', method: 'POST', headers: {} } as never, {} as never, () => {
      passedOn = true;
    });
    expect(passedOn).toBe(true);
  });
});
