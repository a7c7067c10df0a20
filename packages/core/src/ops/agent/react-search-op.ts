import type { BaseToolOp } from '../../op/base-tool-op.js';
import { DashscopeSearchOp } from '../search/dashscope-search-op.js';
import { ReactAgentOp } from './react-agent-op.js';

/**
 * FlowLLM's `ReactSearchOp`: a {@link ReactAgentOp} that always has a search tool. Tools attached with
 * `<<` are used as they are; with none, it searches with a default `DashscopeSearchOp`
 * (`dashscope_search`, which needs `DASHSCOPE_API_KEY`).
 *
 * @example
 * // flow_content: ReactSearchOp(max_steps=3)                       → tools: dashscope_search
 * // flow_content: ReactSearchOp() << TavilySearchOp(max_results=3) → tools: tavily_search
 */
export class ReactSearchOp extends ReactAgentOp {
  protected override async toolOps(): Promise<Map<string, BaseToolOp>> {
    const tools = await super.toolOps();
    if (tools.size === 0) {
      const search = new DashscopeSearchOp({ language: this.language }).bind(this.context);
      tools.set(search.tool.name, search);
    }
    return tools;
  }
}
