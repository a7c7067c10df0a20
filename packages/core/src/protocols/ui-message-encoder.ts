import type { FlowStreamChunk } from '../chunk.js';
import {
  chunkText,
  DATA_DONE,
  jsonEvent,
  parsedArguments,
  ToolCallIds,
  toolChunkKind,
  UsageTotal,
} from './chunk-parts.js';
import type { StreamEncoder } from './stream-encoder.js';

/**
 * Options of {@link createUiMessageEncoder}.
 *
 * @example
 * const options: UiMessageEncoderOptions = { messageId: 'msg_1', flowId: '3f2a' };
 */
export interface UiMessageEncoderOptions {
  /**
   * The assistant message's id, sent in `start` (`useChat` sends one when regenerating).
   * @default `msg_` + the flow id of the first chunk
   */
  messageId?: string;
  /**
   * The run's `flow_id`, sent as `messageMetadata.flow_id` (a page can stop the run with it).
   * @default the first chunk's `flow_id`
   */
  flowId?: string;
}

/**
 * The AI SDK's UI message stream (v1, what `useChat` reads), from a flow's chunks: `start`,
 * `start-step`, think as `reasoning-*`, answer as `text-*`, an agent's tool calls and results as
 * `tool-input-available` / `tool-output-available` with `dynamic: true` (the page declared no such
 * tools), `finish-step`, `finish` with the usage in `messageMetadata`, then `data: [DONE]`. A failure is an
 * `error` part followed by `finish`.
 *
 * @example
 * const encoder = createUiMessageEncoder();
 * encoder.frame(createChunk('3f2a', 'answer', 'Hi'));
 * // 'data: {"type":"start",…}\n\ndata: {"type":"start-step"}\n\ndata: {"type":"text-start","id":"text-1"}\n\n…'
 */
export function createUiMessageEncoder(options: UiMessageEncoderOptions = {}): StreamEncoder {
  return new UiMessageEncoder(options);
}

type PartKind = 'text' | 'reasoning';

class UiMessageEncoder implements StreamEncoder {
  private started = false;
  private stepOpen = false;
  // The text or reasoning part being streamed, whose `*-end` is still owed.
  private openKind: PartKind | undefined;
  private openId = '';
  private deltaHead = '';
  private parts = 0;
  // Set after a tool result: the model's next words belong to a new step.
  private toolsRan = false;
  private failed = false;
  private flowId: string | undefined;
  private readonly usage = new UsageTotal();
  private readonly toolIds = new ToolCallIds();

  constructor(private readonly options: UiMessageEncoderOptions) {
    this.flowId = options.flowId;
  }

  frame(chunk: FlowStreamChunk): string {
    let out = this.started ? '' : this.start(chunk.flow_id);
    switch (chunk.chunk_type) {
      case 'think':
        return out + this.delta('reasoning', chunkText(chunk.chunk));
      case 'answer':
        return out + this.delta('text', chunkText(chunk.chunk));
      case 'tool':
        return out + this.tool(chunk);
      case 'usage':
        this.usage.add(chunk.chunk);
        return out;
      case 'error':
        // An op's report (`raise_exception: false`): the flow goes on, so it must not end the message.
        if (!chunk.done)
          return (
            out +
            jsonEvent({
              type: 'data-op-error',
              data: { message: chunkText(chunk.chunk), op: chunk.metadata.op },
              transient: true,
            })
          );
        this.failed = true;
        out += this.closePart();
        return out + jsonEvent({ type: 'error', errorText: chunkText(chunk.chunk) });
      case 'done':
        this.usage.addFinal(chunk);
        return out + this.finish();
    }
  }

  private start(firstFlowId: string): string {
    this.started = true;
    this.flowId ??= firstFlowId;
    const messageId = this.options.messageId ?? `msg_${this.flowId}`;

    return (
      jsonEvent({ type: 'start', messageId, messageMetadata: { flow_id: this.flowId } }) + this.startStep()
    );
  }

  private startStep(): string {
    this.stepOpen = true;
    this.toolsRan = false;
    return jsonEvent({ type: 'start-step' });
  }

  /** A new step begins when the model speaks again after its tools answered. */
  private nextStepIfToolsRan(): string {
    if (!this.toolsRan) return '';
    return `${this.closePart()}${jsonEvent({ type: 'finish-step' })}${this.startStep()}`;
  }

  private delta(kind: PartKind, text: string): string {
    if (text === '') return '';
    if (kind === 'text') this.toolIds.settle();
    let out = this.nextStepIfToolsRan();
    if (this.openKind !== kind) {
      out += this.closePart();
      this.openKind = kind;
      this.openId = `${kind}-${++this.parts}`;
      this.deltaHead = `data: {"type":"${kind}-delta","id":"${this.openId}","delta":`;
      out += jsonEvent({ type: `${kind}-start`, id: this.openId });
    }
    // Nearly every event is a delta: its head is built once per part, only the text is serialised.
    return `${out}${this.deltaHead}${JSON.stringify(text)}}\n\n`;
  }

  private closePart(): string {
    if (this.openKind === undefined) return '';
    const end = jsonEvent({ type: `${this.openKind}-end`, id: this.openId });
    this.openKind = undefined;
    return end;
  }

  private tool(chunk: FlowStreamChunk): string {
    const sorted = toolChunkKind(chunk.chunk);
    if (sorted.kind === 'other') return jsonEvent({ type: 'data-tool', data: sorted.value });
    let out = sorted.kind === 'call' ? this.nextStepIfToolsRan() : '';
    out += this.closePart();
    if (sorted.kind === 'call') {
      const { call } = sorted;
      return (
        out +
        jsonEvent({
          type: 'tool-input-available',
          toolCallId: this.toolIds.call(call),
          toolName: call.function.name,
          input: parsedArguments(call.function.arguments ?? ''),
          dynamic: true,
        })
      );
    }
    this.toolsRan = true;
    const { result } = sorted;
    return (
      out +
      jsonEvent({
        type: 'tool-output-available',
        toolCallId: this.toolIds.result(result.tool_call_id),
        output: result.content,
        dynamic: true,
      })
    );
  }

  private finish(): string {
    let out = this.closePart();
    // After an error the step is left as it stands: the failure ends the message.
    if (this.stepOpen && !this.failed) out += jsonEvent({ type: 'finish-step' });
    this.stepOpen = false;
    const metadata: Record<string, unknown> = { flow_id: this.flowId };
    if (this.usage.seen)
      metadata.usage = {
        inputTokens: this.usage.prompt,
        outputTokens: this.usage.completion,
        totalTokens: this.usage.total,
      };
    const finishReason = this.failed ? 'error' : this.toolIds.unanswered ? 'tool-calls' : 'stop';
    return `${out}${jsonEvent({ type: 'finish', finishReason, messageMetadata: metadata })}${DATA_DONE}`;
  }
}
