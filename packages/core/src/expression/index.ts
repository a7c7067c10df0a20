export type { FlowExpr, FlowProgram, FlowStatement, Literal, SourcePosition } from './ast.js';
export {
  FLOW_EXPRESSION_ERROR_CODE,
  FlowExpressionError,
  type FlowExpressionErrorDetails,
} from './errors.js';
export { evaluateFlowProgram, type FlowBuilder } from './evaluate.js';
export { opNamesIn } from './op-names.js';
export { MAX_SOURCE_LENGTH, parseFlowExpression } from './parser.js';
export { MAX_NESTING_DEPTH } from './token-stream.js';
