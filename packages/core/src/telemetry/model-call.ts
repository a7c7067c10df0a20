import type { Attributes } from '@opentelemetry/api';
import type { AssistantMessage, Llm, LlmCallOptions, LlmChunk, Message, Usage } from '../models/types.js';
import { endCauseOf, errorType } from './end-cause.js';
import { GENAI, modelSpanKind, providerName } from './semconv.js';
import { boundedName } from './steps.js';
import type { TelemetrySpan } from './telemetry-span.js';

/**
 * One model call: its `chat {model}` span (CLIENT, or INTERNAL for an in-process model), the
 * `gen_ai.client.*` metrics, and the chunks that still arrived after the client left
 * (`flowllm.tokens.after_client_gone`).
 */
class ModelCall {
  private readonly step: TelemetrySpan;
  private readonly metricAttributes: Attributes;
  private readonly startedAt = performance.now();
  private firstChunkAt: number | undefined;
  private usage: Usage | undefined;
  private answer = '';
  private afterClientGone = 0;
  /** What the backend said about why the model stopped (`LlmCallOptions.onFinish`). */
  readonly finishReasons: string[] = [];

  constructor(
    private readonly parent: TelemetrySpan,
    llm: Llm,
    messages: Message[],
    params: Record<string, unknown>,
    streamed: boolean,
  ) {
    const provider = providerName(llm.backend);
    this.metricAttributes = {
      [GENAI.operationName]: 'chat',
      [GENAI.providerName]: provider,
      [GENAI.requestModel]: llm.modelName,
    };
    const traced = parent.run.tracer !== undefined;
    this.step = parent.child(
      boundedName(`chat ${llm.modelName}`),
      'model',
      modelSpanKind(llm.backend),
      traced ? requestAttributes(this.metricAttributes, params, streamed) : undefined,
    );
    if (traced && parent.run.recordContent)
      this.step.span?.setAttribute(GENAI.inputMessages, JSON.stringify(messages.map(messageParts)));
  }

  see(chunk: LlmChunk): void {
    this.firstChunkAt ??= performance.now();
    const type = chunk.chunk_type;
    if (type === 'usage') this.usage = chunk.chunk as unknown as Usage;
    else if (type === 'answer' || type === 'think') {
      if (type === 'answer' && this.parent.run.recordContent) this.answer += String(chunk.chunk);
      if (this.parent.run.clientGone) this.afterClientGone++;
    }
  }

  /** Records a whole answer (`chat` of a backend that does not stream through `stream`). */
  seeMessage(message: AssistantMessage): void {
    this.usage = message.usage;
    if (this.parent.run.recordContent) this.answer = message.content;
  }

  end(error?: unknown): void {
    const { span } = this.step;
    const seconds = (performance.now() - this.startedAt) / 1000;
    const firstChunk =
      this.firstChunkAt === undefined ? undefined : (this.firstChunkAt - this.startedAt) / 1000;
    if (span) {
      if (firstChunk !== undefined) span.setAttribute(GENAI.responseTimeToFirstChunk, firstChunk);
      if (this.finishReasons.length > 0)
        span.setAttribute(GENAI.responseFinishReasons, [...this.finishReasons]);
      if (this.usage) {
        span.setAttribute(GENAI.usageInputTokens, this.usage.prompt_tokens);
        span.setAttribute(GENAI.usageOutputTokens, this.usage.completion_tokens);
      }
      if (this.parent.run.recordContent && endCauseOf(error) === 'completed') {
        const output = [{ role: 'assistant', parts: [{ type: 'text', content: this.answer }] }];
        span.setAttribute(GENAI.outputMessages, JSON.stringify(output));
      }
    }
    this.step.end(error);
    const instruments = this.parent.run.instruments;
    if (!instruments) return;
    const attributes = failed(error)
      ? { ...this.metricAttributes, [GENAI.errorType]: errorType(error) }
      : this.metricAttributes;
    instruments.operationDuration.record(seconds, attributes);
    if (firstChunk !== undefined) instruments.timeToFirstChunk.record(firstChunk, this.metricAttributes);
    if (this.usage) {
      const { prompt_tokens, completion_tokens } = this.usage;
      instruments.tokenUsage.record(prompt_tokens, { ...this.metricAttributes, [GENAI.tokenType]: 'input' });
      instruments.tokenUsage.record(completion_tokens, {
        ...this.metricAttributes,
        [GENAI.tokenType]: 'output',
      });
    }
    if (this.afterClientGone > 0)
      instruments.tokensAfterClientGone.add(this.afterClientGone, {
        [GENAI.workflowName]: this.parent.run.info.flowName,
      });
  }
}

/**
 * The same model, each call recorded below `parent`: a `chat {model}` span with the GenAI attributes
 * (`params` are the entry's, under the call's own), the client metrics, and content only with
 * `telemetry.record_content`.
 *
 * @example
 * const llm = observeLlm(withOnOpen(resources.llm('default'), open), opSpan, entry.params);
 */
export function observeLlm(llm: Llm, parent: TelemetrySpan, params: Record<string, unknown> = {}): Llm {
  return {
    backend: llm.backend,
    modelName: llm.modelName,
    // The call's span starts when the op starts reading, as the upstream request does.
    stream: (messages, options) => {
      let call: ModelCall | undefined;
      const start = () => {
        call = new ModelCall(parent, llm, messages, { ...params, ...options?.params }, true);
        return call;
      };
      return observeStream(
        start,
        llm.stream(
          messages,
          withFinish(options, (reason) => call?.finishReasons.push(reason)),
        ),
      );
    },
    chat: async (messages, options) => {
      // The op asked for a whole answer: no stream and no first chunk it could see (a backend may
      // still stream from its provider underneath).
      const call = new ModelCall(parent, llm, messages, { ...params, ...options?.params }, false);
      try {
        const message = await llm.chat(
          messages,
          withFinish(options, (reason) => call.finishReasons.push(reason)),
        );
        call.seeMessage(message);
        call.end();
        return message;
      } catch (error) {
        call.end(error);
        throw error;
      }
    },
  };
}

async function* observeStream(
  startCall: () => ModelCall,
  chunks: AsyncIterable<LlmChunk>,
): AsyncGenerator<LlmChunk> {
  const call = startCall();
  let failure: unknown;
  try {
    for await (const chunk of chunks) {
      call.see(chunk);
      yield chunk;
    }
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // Also when the op stops reading early (a break): the call ended there, without an error.
    call.end(failure);
  }
}

/** The call's options with `onFinish` also telling `record`. */
function withFinish(options: LlmCallOptions | undefined, record: (reason: string) => void): LlmCallOptions {
  return {
    ...options,
    onFinish: (reason) => {
      record(reason);
      options?.onFinish?.(reason);
    },
  };
}

function failed(error: unknown): boolean {
  const cause = endCauseOf(error);
  return cause === 'error' || cause === 'timeout';
}

function requestAttributes(base: Attributes, params: Record<string, unknown>, stream: boolean): Attributes {
  const attributes: Attributes = { ...base, [GENAI.requestStream]: stream };
  const number = (key: string, value: unknown) => {
    if (typeof value === 'number') attributes[key] = value;
  };
  number(GENAI.requestTemperature, params.temperature);
  number(GENAI.requestMaxTokens, params.max_tokens ?? params.max_completion_tokens);
  number(GENAI.requestTopP, params.top_p);
  return attributes;
}

/** A message in the conventions' shape: a role and its parts. */
function messageParts(message: Message): Record<string, unknown> {
  const parts: Record<string, unknown>[] = [];
  if (message.content) parts.push({ type: 'text', content: message.content });
  for (const call of message.tool_calls ?? [])
    parts.push({
      type: 'tool_call',
      id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
    });
  if (message.tool_call_id)
    return {
      role: message.role,
      parts: [{ type: 'tool_call_response', id: message.tool_call_id, response: message.content }],
    };
  return { role: message.role, parts };
}
