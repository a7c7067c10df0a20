import { describe, expect, it } from 'vitest';
import { FlowllmError } from '../../src/errors.js';
import { BaseOp } from '../../src/op/base-op.js';
import { OpRegistry } from '../../src/op/op-registry.js';
import { defaultOpRegistry } from '../../src/ops/builtin.js';
import { GALLERY_OPS } from '../../src/ops/gallery.js';

class SearchOp extends BaseOp {
  static override options = { top_k: 5, mode: 'fast' };
  execute(): void {}
}

describe('op kwargs', () => {
  it('common options first, then declared options, the rest in params', () => {
    const op = new SearchOp({ llm: 'big', max_retries: 3, top_k: 9, temperature: 0.2, extra: [1] });
    expect(op.common).toMatchObject({
      llm: 'big',
      max_retries: 3,
      raise_exception: true,
      vector_store: 'default',
    });
    expect(op.option('top_k')).toBe(9);
    expect(op.option('mode')).toBe('fast');
    expect(op.params).toEqual({ temperature: 0.2, extra: [1] });
    expect(op.name).toBe('search_op');
    expect(op.shortName).toBe('search');
    expect(new SearchOp({ name: 'finder' }).name).toBe('finder');
  });

  it.each([
    [{ max_retries: 'x' }, "SearchOp: option 'max_retries' expects integer, found string"],
    [{ max_retries: 0 }, "SearchOp: option 'max_retries' must be at least 1"],
    [{ raise_exception: 1 }, "SearchOp: option 'raise_exception' expects boolean, found number"],
    [{ llm: null }, "SearchOp: option 'llm' expects string, found None"],
    [{ enable_cache: 'yes' }, "SearchOp: option 'enable_cache' expects boolean, found string"],
    [{ cache_expire_hours: '1' }, "SearchOp: option 'cache_expire_hours' expects number, found string"],
    [{ cache_expire_hours: -1 }, "SearchOp: option 'cache_expire_hours' must be 0 (no expiry) or more"],
    [{ top_k: '3' }, "SearchOp: option 'top_k' expects number, found string"],
  ])('refuses %o', (kwargs, message) => {
    expect(() => new SearchOp(kwargs)).toThrow(message);
  });

  it('FlowLLM op options the port ignores never land in params; a class that declares one gets it', () => {
    const kwargs = { enable_multithread: true, async_mode: false, save_answer: true, seed: 7 };
    expect(new SearchOp(kwargs).params).toEqual({ seed: 7 });
    class AnsweringOp extends BaseOp {
      static override options = { save_answer: false };
      execute(): void {}
    }
    const op = new AnsweringOp(kwargs);
    expect(op.option('save_answer')).toBe(true);
    expect(op.params).toEqual({ seed: 7 });
  });

  it('the cache options are common options with FlowLLM defaults, never params', () => {
    expect(new SearchOp().common).toMatchObject({
      enable_cache: false,
      cache_path: 'cache/{op_name}',
      cache_expire_hours: 0.1,
    });
    const op = new SearchOp({ enable_cache: true, cache_path: 'c', cache_expire_hours: 2, seed: 7 });
    expect(op.common).toMatchObject({ enable_cache: true, cache_path: 'c', cache_expire_hours: 2 });
    expect(op.params).toEqual({ seed: 7 });
  });

  it('asking for an undeclared option is an error', () => {
    expect(() => new SearchOp().option('nope')).toThrow("SearchOp declares no option 'nope'");
  });
});

describe('OpRegistry', () => {
  it('registers by class name and creates instances', () => {
    const registry = new OpRegistry([SearchOp]);
    expect(registry.names()).toEqual(['SearchOp']);
    expect(registry.create('SearchOp', { top_k: 1 })).toBeInstanceOf(SearchOp);
  });

  it('refuses a class whose name does not end in Op', () => {
    class Searcher extends BaseOp {
      execute(): void {}
    }
    expect(() => new OpRegistry().register(Searcher)).toThrow(
      "cannot register op class 'Searcher': an op class name must end in 'Op' (e.g. 'SearcherOp')",
    );
  });

  it('refuses something that is not an op, and a second class under a taken name', () => {
    const registry = new OpRegistry([SearchOp]);
    expect(() => registry.register(class NotOp {} as never)).toThrow('does not extend BaseOp');
    class Other extends BaseOp {
      execute(): void {}
    }
    expect(() => registry.register(Other, 'SearchOp')).toThrow("already registered as 'SearchOp'");
    expect(() => registry.register(SearchOp)).not.toThrow();
  });

  it('an unknown name lists the registered ops', () => {
    let error: unknown;
    try {
      new OpRegistry([SearchOp]).create('FindOp');
    } catch (caught) {
      error = caught;
    }
    expect(FlowllmError.isInstance(error) && error.code).toBe('FLOWLLM_UNKNOWN_OP');
    expect((error as Error).message).toBe("unknown op 'FindOp'; registered ops: SearchOp");
  });

  it("an MCP op (@flowllm/mcp's) that is not registered: the error says which package has it", () => {
    const error = (() => {
      try {
        defaultOpRegistry.get('McpToolsOp');
      } catch (caught) {
        return caught as FlowllmError;
      }
    })();
    expect(error?.code).toBe('FLOWLLM_UNKNOWN_OP');
    expect(error?.message).toMatch(
      /^unknown op 'McpToolsOp' \(an op of @flowllm\/mcp: the flowllm command adds its ops when @flowllm\/mcp is installed and the config lists external_mcp servers; in code, pass its `mcpOps` to createFlowApp\)/,
    );
  });

  it('the default registry holds the gallery ops', () => {
    expect(defaultOpRegistry.names()).toEqual(GALLERY_OPS.map((op) => op.name).sort());
    expect(defaultOpRegistry.names()).toEqual(
      expect.arrayContaining(['ChatOp', 'GenSystemPromptOp', 'StreamChatOp', 'ReactAgentOp', 'MockSearchOp']),
    );
  });
});
