import type { ChunkContent } from '../chunk.js';
import { FlowllmError } from '../errors.js';
import { BaseOp } from './base-op.js';
import type { ToolDescription } from './tool-schema.js';

/**
 * What a tool op's `describeTool` returns: the name and output schema may be left to the defaults.
 *
 * @example
 * const description: ToolDescriptionInput = { description: 'Counts words.', input_schema: { text: {} } };
 */
export type ToolDescriptionInput = Omit<ToolDescription, 'name'> & { name?: string };

/**
 * The base of ops that are also tools (FlowLLM's `BaseAsyncToolOp`). A subclass describes itself in
 * `describeTool()` and writes its result with `setOutput`; the base reads the inputs named in the
 * `input_schema` from the context before `execute` (into `this.input`) and writes the outputs back
 * after it — to `<short_name>_result` unless the class names its outputs — and, with `save_answer`
 * (default true), into `response.answer`. An agent offers it to its model by `tool`.
 *
 * Options: `save_answer`, `tool_index` (≠ 0 adds a `.N` suffix to every context key, so copies of
 * one tool in a flow keep apart), `input_schema_mapping` / `output_schema_mapping` (`{field: context
 * key}`).
 *
 * @example
 * class WordCountOp extends BaseToolOp {
 *   describeTool() {
 *     return { description: 'Counts words.', input_schema: { text: { type: 'string' } } };
 *   }
 *   execute() {
 *     this.setOutput(String(String(this.input.text).split(/\s+/).length));
 *   }
 * }
 * // flow_content: WordCountOp()   → context key `word_count_result`, and response.answer
 */
export abstract class BaseToolOp extends BaseOp {
  static override options: Record<string, unknown> = {
    save_answer: true,
    tool_index: 0,
    input_schema_mapping: null,
    output_schema_mapping: null,
  };

  /** The inputs read from the context for this run (FlowLLM's `input_dict`). */
  input: Record<string, unknown> = {};
  /** The outputs `setOutput` wrote in this run (FlowLLM's `output_dict`). */
  output: Record<string, unknown> = {};
  private described: ToolDescription | undefined;

  /** The tool's description and input schema; `name` defaults to the op's short name. */
  abstract describeTool(): ToolDescriptionInput;

  /** The complete description: name, description, input schema, output schema (defaults filled). */
  get tool(): ToolDescription {
    if (!this.described) {
      const own = this.describeTool();
      const name = own.name || this.shortName;
      const outputSchema =
        own.output_schema && Object.keys(own.output_schema).length > 0
          ? own.output_schema
          : {
              [`${this.shortName}_result`]: {
                type: 'string' as const,
                description: `the result of ${this.shortName}`,
              },
            };
      this.described = { ...own, name, output_schema: outputSchema };
    }
    return this.described;
  }

  /** The names of the outputs, in schema order. */
  get outputKeys(): string[] {
    return Object.keys(this.tool.output_schema ?? {});
  }

  /** Sets one output; with a single output the key may be left out. */
  setOutput(value: unknown, key?: string): void {
    const keys = this.outputKeys;
    const target = key ?? (keys.length === 1 ? keys[0] : undefined);
    if (target === undefined || !keys.includes(target)) {
      throw new FlowllmError(
        'FLOWLLM_OP',
        `${this.constructor.name}.setOutput: name one of its outputs (${keys.join(', ')})`,
      );
    }
    this.output[target] = value;
  }

  /**
   * The result as a model reads it: the single output (text as is, anything else as JSON), or every
   * output as one JSON object.
   */
  resultText(): string {
    const keys = this.outputKeys;
    const value = keys.length === 1 ? this.output[keys[0] as string] : this.output;
    if (value === undefined) return '';
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  override async before(): Promise<void> {
    this.input = {};
    this.output = {};
    const mapping = this.option<Record<string, string> | null>('input_schema_mapping') ?? {};
    for (const [name, field] of Object.entries(this.tool.input_schema)) {
      const key = this.contextKey(Object.hasOwn(mapping, name) ? String(mapping[name]) : name);
      if (this.context.has(key) && this.context.get(key) !== undefined)
        this.input[name] = this.context.get(key);
      else if (field.default !== undefined) this.input[name] = field.default;
      else if (field.required !== false) {
        throw new FlowllmError('FLOWLLM_INPUT', `${this.name}: input '${name}' is required`, {
          expose: true,
          status: 422,
        });
      }
    }
  }

  override async after(): Promise<void> {
    const mapping = this.option<Record<string, string> | null>('output_schema_mapping') ?? {};
    for (const [name, value] of Object.entries(this.output)) {
      this.context.set(this.contextKey(Object.hasOwn(mapping, name) ? String(mapping[name]) : name), value);
    }
    if (!this.option<boolean>('save_answer')) return;
    const keys = this.outputKeys;
    this.context.response.answer =
      keys.length === 1
        ? ((this.output[keys[0] as string] ?? '') as ChunkContent)
        : JSON.stringify(this.output);
  }

  private contextKey(key: string): string {
    const index = this.option<number>('tool_index');
    return index === 0 ? key : `${key}.${index}`;
  }
}
