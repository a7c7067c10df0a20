import type { FlowExpr, FlowProgram, SourcePosition } from './ast.js';

/**
 * Every op call in the program, in source order, so a caller can check op names against a
 * registry before building anything. Uses an explicit stack: long `>>` chains nest deeply.
 *
 * @example
 * opNamesIn(parseFlowExpression('op = A()\nop >> B(x=1)'));
 * // [{ name: 'A', pos: { line: 1, column: 6 } }, { name: 'B', pos: { line: 2, column: 7 } }]
 */
export function opNamesIn(program: FlowProgram): { name: string; pos: SourcePosition }[] {
  const roots = program.statements.map((s) => (s.kind === 'expr' ? s.expr : s.value));
  roots.push(program.result);
  const pending: FlowExpr[] = roots.reverse();
  const calls: { name: string; pos: SourcePosition }[] = [];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.kind === 'call') calls.push({ name: node.name, pos: node.pos });
    else if (node.kind === 'binary') pending.push(node.right, node.left);
    else if (node.kind === 'dict') pending.push(...node.entries.map((e) => e.value).reverse());
    else if (node.kind === 'list') pending.push(...[...node.items].reverse());
  }
  return calls;
}
