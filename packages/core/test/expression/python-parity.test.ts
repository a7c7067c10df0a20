import { describe, expect, it } from 'vitest';
import { createFlowApp } from '../../src/create-flow-app.js';
import { OpTreeBuilder } from '../../src/engine/op-builder.js';
import { evaluateFlowProgram } from '../../src/expression/evaluate.js';
import { parseFlowExpression } from '../../src/expression/parser.js';
import { BaseOp } from '../../src/op/base-op.js';
import { ParallelOp, SequentialOp } from '../../src/op/composite-ops.js';
import { OpRegistry } from '../../src/op/op-registry.js';

class AOp extends BaseOp {
  execute(): void {}
}
class BOp extends AOp {}
class COp extends AOp {}
class SearchOp extends AOp {}
class ContainerOp extends AOp {}

/** The op tree a flow expression builds, as class names. */
function shape(flowContent: string): unknown {
  const app = createFlowApp({ env: {}, config: {} });
  const builder = new OpTreeBuilder(new OpRegistry([AOp, BOp, COp, SearchOp, ContainerOp]), app.resources);
  const describe = (op: BaseOp): unknown => {
    if (op instanceof SequentialOp) return { '>>': op.children.map(describe) };
    if (op instanceof ParallelOp) return { '|': op.children.map(describe) };
    const subOps = Object.entries(op.ops);
    return subOps.length === 0
      ? op.constructor.name
      : { [op.constructor.name]: Object.fromEntries(subOps.map(([key, sub]) => [key, describe(sub)])) };
  };
  return describe(evaluateFlowProgram(parseFlowExpression(flowContent), builder));
}

describe("flow expressions keep Python FlowLLM's semantics", () => {
  it('a bare `s >> C()` statement extends the sequence `s` in place, as Python does', () => {
    expect(shape('s = AOp() >> BOp()\ns >> COp()\ns')).toEqual({ '>>': ['AOp', 'BOp', 'COp'] });
  });

  it('`|` on a parallel group extends it in place too; a plain op on the left starts a new group', () => {
    expect(shape('p = AOp() | BOp()\np | COp()\np')).toEqual({ '|': ['AOp', 'BOp', 'COp'] });
    expect(shape('a = AOp()\na >> BOp()\na')).toBe('AOp');
  });

  it('an extended sequence is the same object everywhere it is used', () => {
    expect(shape('s = AOp() >> BOp()\nt = s | COp()\ns >> SearchOp()\nt')).toEqual({
      '|': [{ '>>': ['AOp', 'BOp', 'SearchOp'] }, 'COp'],
    });
  });

  it('sub-ops from a list are keyed by FlowLLM names: camel_to_snake of the class, `_op` kept', () => {
    expect(shape('ContainerOp() << [SearchOp(), BOp()]')).toEqual({
      ContainerOp: { search_op: 'SearchOp', b_op: 'BOp' },
    });
  });
});

describe('a user op may replace a built-in op name', () => {
  it('the user class wins and the app warns once', async () => {
    class StreamChatOp extends BaseOp {
      async execute(): Promise<void> {
        await this.context.addStreamChunkAndType('mine', 'answer');
      }
    }
    const app = createFlowApp({
      env: {},
      ops: [StreamChatOp],
      config: { flow: { chat: { flow_content: 'StreamChatOp()', stream: true } } },
    });
    expect(app.warnings.map((warning) => warning.message)).toEqual([
      "op class 'StreamChatOp' replaces the built-in op of that name",
    ]);
    const chunks: unknown[] = [];
    for await (const chunk of app.stream('chat', {})) chunks.push(chunk.chunk);
    expect(chunks).toEqual(['mine', '']);
  });
});
