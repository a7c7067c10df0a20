import type { FlowExpr, FlowProgram, Literal, SourcePosition } from './ast.js';

/**
 * Every op call in the program, in source order, with its keyword arguments, so a caller can check
 * op names against a registry (or see which models a flow names) before building anything. Uses an
 * explicit stack: long `>>` chains nest deeply.
 *
 * @example
 * opNamesIn(parseFlowExpression('op = A()\nop >> B(x=1)'));
 * // [{ name: 'A', pos: { line: 1, column: 6 }, kwargs: [] },
 * //  { name: 'B', pos: { line: 2, column: 7 }, kwargs: [{ name: 'x', value: 1 }] }]
 */
export function opNamesIn(
  program: FlowProgram,
): { name: string; pos: SourcePosition; kwargs: { name: string; value: Literal }[] }[] {
  const roots = program.statements.map((s) => (s.kind === 'expr' ? s.expr : s.value));
  roots.push(program.result);
  const pending: FlowExpr[] = roots.reverse();
  const calls: ReturnType<typeof opNamesIn> = [];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.kind === 'call') calls.push({ name: node.name, pos: node.pos, kwargs: node.kwargs });
    else if (node.kind === 'binary') pending.push(node.right, node.left);
    else if (node.kind === 'dict') pending.push(...node.entries.map((e) => e.value).reverse());
    else if (node.kind === 'list') pending.push(...[...node.items].reverse());
  }
  return calls;
}
