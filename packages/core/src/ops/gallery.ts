import type { OpClass } from '../op/base-op.js';
import { ReactAgentOp } from './agent/react-agent-op.js';
import { ReactSearchOp } from './agent/react-search-op.js';
import { ChatOp } from './chat-op.js';
import { CodeAnalyseOp } from './code-analyse-op.js';
import { ExecuteCodeOp } from './execute-code-op.js';
import { FILE_TOOL_OPS } from './file-tools/file-tool-ops.js';
import { GenSystemPromptOp } from './gen-system-prompt-op.js';
import { DashscopeSearchOp } from './search/dashscope-search-op.js';
import { MockSearchOp } from './search/mock-search-op.js';
import { TavilySearchOp } from './search/tavily-search-op.js';
import { SKILL_OPS } from './skills/skill-ops.js';
import { StreamChatOp } from './stream-chat-op.js';
import { ThinkToolOp } from './think-tool-op.js';
import { TokenCountOp } from './token-count-op.js';
import { ToolFlowOp } from './tool-flow-op.js';

/**
 * The ops flow expressions can name out of the box: FlowLLM's gallery and extension ops. The list
 * in docs/migrating-from-flowllm.md says which FlowLLM op each one is.
 *
 * @example
 * GALLERY_OPS.map((op) => op.name); // ['GenSystemPromptOp', 'ChatOp', …]
 */
export const GALLERY_OPS: readonly OpClass[] = [
  GenSystemPromptOp,
  ChatOp,
  StreamChatOp,
  ThinkToolOp,
  MockSearchOp,
  ReactAgentOp,
  ReactSearchOp,
  DashscopeSearchOp,
  TavilySearchOp,
  ExecuteCodeOp,
  CodeAnalyseOp,
  TokenCountOp,
  ToolFlowOp,
  ...FILE_TOOL_OPS,
  ...SKILL_OPS,
];
