/**
 * Syntax tree of a flow expression: FlowLLM's Python-like `flow_content`, e.g.
 * `op = ContainerOp()` / `op.ops.search = SearchOp()` / `op >> (AnswerOp() | LogOp())`.
 */

/**
 * A 1-based place in the source; `column` counts UTF-16 code units.
 *
 * @example
 * const pos: SourcePosition = { line: 2, column: 14 };
 */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * A keyword argument value: a Python literal turned into plain JS.
 *
 * @example
 * const value: Literal = { model: 'qwen', temperature: 0.2, tags: ['a', null] };
 */
export type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

/**
 * An expression that yields an op (or, on the right of `<<`, a dict or list of ops).
 * A binary node's `pos` is its operator, so builder errors point at the operator.
 *
 * @example
 * const expr: FlowExpr = { kind: 'call', name: 'ChatOp', kwargs: [], pos: { line: 1, column: 1 } };
 */
export type FlowExpr =
  | { kind: 'call'; name: string; kwargs: { name: string; value: Literal }[]; pos: SourcePosition }
  | { kind: 'name'; name: string; pos: SourcePosition }
  | { kind: 'binary'; op: '>>' | '|' | '<<'; left: FlowExpr; right: FlowExpr; pos: SourcePosition }
  | { kind: 'dict'; entries: { key: string; value: FlowExpr }[]; pos: SourcePosition }
  | { kind: 'list'; items: FlowExpr[]; pos: SourcePosition };

/**
 * One line that is not the last: `x = expr`, `x.ops.key = expr` or a bare expression.
 *
 * @example
 * const stmt: FlowStatement = {
 *   kind: 'attachOne', target: 'op', key: 'search',
 *   value: { kind: 'call', name: 'SearchOp', kwargs: [], pos: { line: 2, column: 17 } },
 *   pos: { line: 2, column: 1 },
 * };
 */
export type FlowStatement =
  | { kind: 'assign'; target: string; value: FlowExpr; pos: SourcePosition }
  | { kind: 'attachOne'; target: string; key: string; value: FlowExpr; pos: SourcePosition }
  | { kind: 'expr'; expr: FlowExpr; pos: SourcePosition };

/**
 * A parsed program: statements run in order, then `result` yields the flow's op.
 *
 * @example
 * const program: FlowProgram = parseFlowExpression('ChatOp()');
 * program.result.kind; // 'call'
 */
export interface FlowProgram {
  statements: FlowStatement[];
  result: FlowExpr;
  source: string;
}
