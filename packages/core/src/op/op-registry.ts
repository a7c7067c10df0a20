import { suggestKey } from '../config/suggest.js';
import { FlowllmError } from '../errors.js';
import { BaseOp, type OpClass } from './base-op.js';
import { isOpClassName } from './naming.js';

// Ops of @flowllm/mcp, which core does not depend on: an unknown-op error says where they are.
const MCP_OPS = new Set(['McpToolsOp', 'BaseMcpOp', 'TongyiMcpSearchOp', 'BochaMcpSearchOp']);

/**
 * Op classes by the name flow expressions use (the class name, FlowLLM's rule: it must end in `Op`).
 *
 * @example
 * const registry = new OpRegistry();
 * registry.register(EchoOp);
 * registry.create('EchoOp', { prefix: '> ' });
 */
export class OpRegistry {
  private readonly classes = new Map<string, OpClass>();
  /** Names whose class came with the package: a user class may take one over, with a warning. */
  private readonly builtIn = new Set<string>();
  private readonly replaced: string[] = [];

  /** `builtIn`: these are the package's own ops, which a user's class of the same name replaces. */
  constructor(classes: OpClass[] = [], { builtIn = false }: { builtIn?: boolean } = {}) {
    for (const cls of classes) this.register(cls);
    if (builtIn) for (const cls of classes) this.builtIn.add(cls.name);
  }

  /** One line per built-in op a user class replaced, e.g. FlowLLM's quick start defining its own `StreamChatOp`. */
  get replacements(): readonly string[] {
    return this.replaced;
  }

  /** Registers a class under its name (or `name`, for minified builds); refuses names not ending in `Op`. */
  register(cls: OpClass, name: string = cls.name): this {
    if (typeof cls !== 'function' || !(cls.prototype instanceof BaseOp)) {
      throw new FlowllmError(
        'FLOWLLM_OP_REGISTRY',
        `cannot register ${String(name)}: it does not extend BaseOp`,
      );
    }
    if (!isOpClassName(name)) {
      throw new FlowllmError(
        'FLOWLLM_OP_REGISTRY',
        `cannot register op class '${name}': an op class name must end in 'Op' (e.g. '${name || 'My'}Op')`,
      );
    }
    const existing = this.classes.get(name);
    if (existing && existing !== cls && this.builtIn.delete(name)) {
      this.replaced.push(`op class '${name}' replaces the built-in op of that name`);
    } else if (existing && existing !== cls) {
      throw new FlowllmError('FLOWLLM_OP_REGISTRY', `another op class is already registered as '${name}'`);
    }
    this.classes.set(name, cls);
    return this;
  }

  has(name: string): boolean {
    return this.classes.has(name);
  }

  names(): string[] {
    return [...this.classes.keys()].sort();
  }

  get(name: string): OpClass {
    const cls = this.classes.get(name);
    if (!cls) {
      const elsewhere = MCP_OPS.has(name)
        ? ` (an op of @flowllm/mcp: the flowllm command adds its ops when @flowllm/mcp is installed and the config lists external_mcp servers; in code, pass its \`mcpOps\` to createFlowApp)`
        : hint(suggestKey(name, this.names()));
      throw new FlowllmError(
        'FLOWLLM_UNKNOWN_OP',
        `unknown op '${name}'${elsewhere}; registered ops: ${this.names().join(', ') || 'none'}`,
      );
    }
    return cls;
  }

  create(name: string, kwargs: Record<string, unknown> = {}): BaseOp {
    return new (this.get(name))(kwargs);
  }

  /** A registry with this one's classes plus `classes`. */
  extend(classes: OpClass[]): OpRegistry {
    const next = new OpRegistry();
    for (const [name, cls] of this.classes) next.register(cls, name);
    for (const name of this.builtIn) next.builtIn.add(name);
    next.replaced.push(...this.replaced);
    for (const cls of classes) next.register(cls);
    return next;
  }
}

const hint = (suggestion: string | undefined) => (suggestion ? ` (did you mean '${suggestion}'?)` : '');
