// `@flowllm/core/ops`: for op authors — the op base classes, registries, prompt helpers, composite and
// built-in ops, the flow context and the flow-expression language. Listed by name: the surface stays
// visible and deliberate.
export { FlowContext, type FlowContextInit, type ReportedError } from '../engine/context.js';
export type { FlowResources, ResourceKind } from '../engine/resources.js';
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
export { BaseOp, type OpClass } from '../op/base-op.js';
export { ParallelOp, SequentialOp } from '../op/composite-ops.js';
export { isOpClassName, opSnakeName } from '../op/naming.js';
export { OpConfigError, OpFailedError } from '../op/op-errors.js';
export type { CommonOpOptions } from '../op/op-options.js';
export { OpRegistry } from '../op/op-registry.js';
export { formatPrompt } from '../op/prompt-format.js';
export { PromptTemplates, promptFileBeside } from '../op/prompt-templates.js';
export { defaultOpRegistry, registerOp } from '../ops/builtin.js';
export { ChatOp } from '../ops/chat-op.js';
export { GenSystemPromptOp } from '../ops/gen-system-prompt-op.js';
export { StreamChatOp } from '../ops/stream-chat-op.js';
