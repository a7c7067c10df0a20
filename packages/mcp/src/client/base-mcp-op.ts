import { FlowllmError } from '@flowllm/core';
import {
  BaseToolOp,
  OpConfigError,
  type OpSetup,
  type ToolAttr,
  type ToolDescriptionInput,
  type ToolProvider,
} from '@flowllm/core/ops';
import { unconfiguredServer } from './configured-server.js';
import { toolFields } from './json-schema-fields.js';
import { mcpPool } from './pool.js';
import { resultText } from './result-text.js';
import { checkTimeoutOption, mcpTimeoutMs } from './timeout.js';

/** A remote tool's description and fields, before the op's overrides. */
interface RemoteSchema {
  description: string;
  input_schema: Record<string, ToolAttr>;
}

/**
 * FlowLLM's `BaseMcpOp`: one tool of an `external_mcp` server as a tool op. Its description and
 * input fields are the server's (listed once per connection), with FlowLLM's overrides:
 * `input_schema_required` / `input_schema_optional` (field names made required / optional) and
 * `input_schema_deleted` (fields not offered nor sent). The text the tool returns is the op's output
 * (and, with `save_answer`, the answer); a result the server marks `isError` is an error whose text an
 * agent hands to its model.
 *
 * Options: `mcp_name` (the server), `tool_name`, `timeout` (seconds for connecting and the call;
 * default: the server's `timeout`, else 30), and the three overrides. `description` and
 * `input_schema` skip the listing (McpToolsOp passes them).
 *
 * Alone in a flow it reads its inputs from the request; attached to an agent (`<<`) it is offered as
 * the server's tool.
 *
 * @example
 * // flow_content: ReactAgentOp() << BaseMcpOp(mcp_name="tongyi_search", tool_name="bailian_web_search")
 */
export class BaseMcpOp extends BaseToolOp implements ToolProvider {
  static override options: Record<string, unknown> = {
    mcp_name: '',
    tool_name: '',
    description: null,
    input_schema: null,
    input_schema_required: null,
    input_schema_optional: null,
    input_schema_deleted: null,
    timeout: null,
  };

  private readonly kwargsGiven: Record<string, unknown>;
  private listed: RemoteSchema | undefined;

  constructor(kwargs: Record<string, unknown> = {}) {
    super(kwargs);
    this.kwargsGiven = kwargs;
    const className = this.constructor.name;
    for (const [key, what] of [
      ['mcp_name', 'an external_mcp server'],
      ['tool_name', 'a tool of that server'],
    ]) {
      const value = this.option(key as string);
      if (typeof value !== 'string' || value === '') {
        throw new OpConfigError(`${className}: option '${key}' must name ${what}`);
      }
    }
    checkTimeoutOption(className, this.option('timeout'));
  }

  override checkSetup(setup: OpSetup): string | undefined {
    return unconfiguredServer(this.constructor.name, this.server, setup);
  }

  get server(): string {
    return this.option<string>('mcp_name');
  }

  get toolName(): string {
    return this.option<string>('tool_name');
  }

  describeTool(): ToolDescriptionInput {
    const schema = this.givenSchema() ?? this.listed;
    if (!schema) {
      throw new FlowllmError(
        'FLOWLLM_OP',
        `${this.constructor.name}: the schema of MCP tool '${this.toolName}' is not listed yet (the op lists it when it runs or an agent asks for it)`,
      );
    }
    return { name: this.toolName, description: schema.description, input_schema: this.overridden(schema) };
  }

  /** The op with its schema listed, ready for an agent (which runs each call on `copy()`). */
  async provideTools(signal: AbortSignal): Promise<BaseToolOp[]> {
    const schema = this.givenSchema() ?? (await this.listSchema(signal));
    const ctor = this.constructor as new (kwargs: Record<string, unknown>) => BaseMcpOp;
    return [new ctor({ ...this.kwargsGiven, ...schema })];
  }

  override async before(): Promise<void> {
    if (!this.givenSchema() && !this.listed) this.listed = await this.listSchema(this.signal);
    await super.before();
  }

  async execute(): Promise<void> {
    const result = await mcpPool(this.context.resources).callTool(this.server, this.toolName, this.input, {
      signal: this.signal,
      timeoutMs: mcpTimeoutMs(this, this.server),
    });
    const text = resultText(result);
    if (result.isError) {
      throw new FlowllmError('FLOWLLM_TOOL', text || `the MCP tool '${this.toolName}' reported an error`, {
        expose: true,
      });
    }
    this.setOutput(text);
  }

  private givenSchema(): RemoteSchema | undefined {
    const fields = this.option<Record<string, ToolAttr> | null>('input_schema');
    if (fields === null) return undefined;
    return { description: this.option<string | null>('description') ?? '', input_schema: fields };
  }

  private async listSchema(signal: AbortSignal): Promise<RemoteSchema> {
    const tools = await mcpPool(this.context.resources).listTools(this.server, {
      signal,
      timeoutMs: mcpTimeoutMs(this, this.server),
    });
    const tool = tools.find((candidate) => candidate.name === this.toolName);
    if (!tool) {
      const names = tools.map((candidate) => candidate.name).join(', ') || 'none';
      throw new FlowllmError(
        'FLOWLLM_TOOL',
        `MCP server '${this.server}' has no tool '${this.toolName}'; its tools: ${names}`,
        { expose: true },
      );
    }
    return { description: tool.description ?? '', input_schema: toolFields(tool.inputSchema) };
  }

  // FlowLLM's overrides; a name the server does not list is skipped (its schema may have moved on).
  private overridden(schema: RemoteSchema): Record<string, ToolAttr> {
    const fields = { ...schema.input_schema };
    for (const name of this.names('input_schema_deleted')) delete fields[name];
    for (const [key, required] of [
      ['input_schema_required', true],
      ['input_schema_optional', false],
    ] as const) {
      for (const name of this.names(key)) {
        const field = fields[name];
        if (field) fields[name] = { ...field, required };
      }
    }
    return fields;
  }

  private names(key: string): string[] {
    const value = this.option<unknown>(key);
    return Array.isArray(value) ? value.map(String) : [];
  }
}
