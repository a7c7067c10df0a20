// `@flowllm/core/ops`: for op authors — the op base classes, registries, prompt helpers, composite and
// built-in ops, the flow context and the flow-expression language. Listed by name: the surface stays
// visible and deliberate.
export { FlowContext, type FlowContextInit, type ReportedError } from '../engine/context.js';
export type { ExternalMcpConfig, FlowResources, ResourceKind } from '../engine/resources.js';
export type { FlowExpr, FlowProgram, FlowStatement, Literal, SourcePosition } from '../expression/ast.js';
export {
  FLOW_EXPRESSION_ERROR_CODE,
  FlowExpressionError,
  type FlowExpressionErrorDetails,
} from '../expression/errors.js';
export { evaluateFlowProgram, type FlowBuilder } from '../expression/evaluate.js';
export { opNamesIn } from '../expression/op-names.js';
export { MAX_SOURCE_LENGTH, parseFlowExpression } from '../expression/parser.js';
export { MAX_NESTING_DEPTH } from '../expression/token-stream.js';
export { abortableSleep } from '../models/abortable-sleep.js';
export { BaseOp, type OpClass, type OpSetup } from '../op/base-op.js';
export { BaseToolOp, type ToolDescriptionInput } from '../op/base-tool-op.js';
export { ParallelOp, SequentialOp } from '../op/composite-ops.js';
export { isOpClassName, opShortName, opSnakeName } from '../op/naming.js';
export { OpConfigError, OpFailedError } from '../op/op-errors.js';
export type { CommonOpOptions } from '../op/op-options.js';
export { OpRegistry } from '../op/op-registry.js';
export { formatPrompt } from '../op/prompt-format.js';
export { PromptTemplates, promptFileBeside } from '../op/prompt-templates.js';
export { isToolProvider, type ToolProvider } from '../op/tool-provider.js';
export {
  fieldJsonSchema,
  objectJsonSchema,
  type ToolAttr,
  type ToolDescription,
  toOpenAiTool,
} from '../op/tool-schema.js';
export { ReactAgentOp } from '../ops/agent/react-agent-op.js';
export { ReactSearchOp } from '../ops/agent/react-search-op.js';
export type { ToolResultChunk } from '../ops/agent/run-tool-calls.js';
export { defaultOpRegistry, registerOp } from '../ops/builtin.js';
export { ChatOp } from '../ops/chat-op.js';
export { CodeAnalyseOp } from '../ops/code-analyse-op.js';
export { EXECUTE_CODE_UNAVAILABLE, ExecuteCodeOp } from '../ops/execute-code-op.js';
export { EditOp } from '../ops/file-tools/edit-op.js';
export { ExitPlanModeOp } from '../ops/file-tools/exit-plan-mode-op.js';
export { FileToolOp } from '../ops/file-tools/file-tool-op.js';
export { GlobOp } from '../ops/file-tools/glob-op.js';
export { GrepOp } from '../ops/file-tools/grep-op.js';
export { LSOp } from '../ops/file-tools/ls-op.js';
export { ReadFileOp } from '../ops/file-tools/read-file-op.js';
export { ReadManyFilesOp } from '../ops/file-tools/read-many-files-op.js';
export { RipGrepOp } from '../ops/file-tools/rip-grep-op.js';
export { SHELL_ENV_NAMES } from '../ops/file-tools/run-shell.js';
export {
  confinePath,
  isInsideRoot,
  requireCapability,
  resolveSandboxRoot,
  SANDBOX_REFUSAL_CODE,
  sandboxRefusal,
} from '../ops/file-tools/sandbox-root.js';
export { ShellOp } from '../ops/file-tools/shell-op.js';
export { SmartEditOp } from '../ops/file-tools/smart-edit-op.js';
export { TaskOp } from '../ops/file-tools/task-op.js';
export { WriteFileOp } from '../ops/file-tools/write-file-op.js';
export { WriteTodosOp } from '../ops/file-tools/write-todos-op.js';
export { GenSystemPromptOp } from '../ops/gen-system-prompt-op.js';
export { DashscopeSearchOp, type DashscopeSearchResult } from '../ops/search/dashscope-search-op.js';
export { MockSearchOp } from '../ops/search/mock-search-op.js';
export { TavilySearchOp } from '../ops/search/tavily-search-op.js';
export { WebSearchApiOp } from '../ops/search/web-search-api-op.js';
export { LoadSkillMetadataOp } from '../ops/skills/load-skill-metadata-op.js';
export { LoadSkillOp } from '../ops/skills/load-skill-op.js';
export { ReadReferenceFileOp } from '../ops/skills/read-reference-file-op.js';
export { RunShellCommandOp } from '../ops/skills/run-shell-command-op.js';
export { SkillAgentOp } from '../ops/skills/skill-agent-op.js';
export { SkillCatalog, type SkillMetadata } from '../ops/skills/skill-catalog.js';
export { StreamChatOp } from '../ops/stream-chat-op.js';
export { ThinkToolOp } from '../ops/think-tool-op.js';
export { TokenCountOp } from '../ops/token-count-op.js';
export { ToolFlowOp } from '../ops/tool-flow-op.js';
