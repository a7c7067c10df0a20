import { argumentsText, fragments, localId, pieces, promptTokens } from './event-writer.js';
import type { UpstreamReply } from './types.js';

const DEFAULT_ANSWER = 'Hello from the local upstream.';

/** The fields of a Messages API request the upstream looks at. */
export type MessagesBody = {
  model?: unknown;
  max_tokens?: unknown;
  messages?: unknown;
  system?: unknown;
  stream?: unknown;
};

/** One SSE frame: `event: <name>` and its JSON data. */
export function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function usageOf(reply: UpstreamReply, body: MessagesBody, outputPieces: number) {
  const usage = reply.usage === false ? undefined : reply.usage;
  return {
    input: usage?.prompt_tokens ?? promptTokens([body.system, body.messages]),
    output: usage?.completion_tokens ?? outputPieces,
  };
}

function contentOf(reply: UpstreamReply) {
  const defaulted = reply.think === undefined && reply.answer === undefined && !reply.toolCalls?.length;
  const think = pieces(reply.think);
  const answer = pieces(defaulted ? DEFAULT_ANSWER : reply.answer);
  const tools = (reply.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `toolu_local_${index}`,
    name: call.name,
    json: argumentsText(call.arguments),
  }));
  return { think, answer, tools };
}

/** The events of one streamed message, in the order the API sends them. */
export function eventFrames(reply: UpstreamReply, body: MessagesBody): string[] {
  const { think, answer, tools } = contentOf(reply);
  const usage = usageOf(reply, body, think.length + answer.length);
  const frames = [
    frame('message_start', {
      type: 'message_start',
      message: {
        id: `msg_${localId()}`,
        type: 'message',
        role: 'assistant',
        model: String(body.model),
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.input,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 1,
        },
      },
    }),
  ];
  let index = 0;
  const block = (start: unknown, deltas: unknown[]) => {
    frames.push(frame('content_block_start', { type: 'content_block_start', index, content_block: start }));
    // The API sends one ping early in the stream, after the first block opened.
    if (index === 0) frames.push(frame('ping', { type: 'ping' }));
    for (const delta of deltas) {
      frames.push(frame('content_block_delta', { type: 'content_block_delta', index, delta }));
    }
    frames.push(frame('content_block_stop', { type: 'content_block_stop', index }));
    index++;
  };
  if (think.length > 0) {
    block({ type: 'thinking', thinking: '', signature: '' }, [
      ...think.map((thinking) => ({ type: 'thinking_delta', thinking })),
      { type: 'signature_delta', signature: 'bG9jYWwtdXBzdHJlYW0tc2lnbmF0dXJl' },
    ]);
  }
  if (answer.length > 0) {
    block(
      { type: 'text', text: '' },
      answer.map((text) => ({ type: 'text_delta', text })),
    );
  }
  for (const tool of tools) {
    block({ type: 'tool_use', id: tool.id, name: tool.name, input: {} }, [
      { type: 'input_json_delta', partial_json: '' },
      ...fragments(tool.json).map((partial_json) => ({ type: 'input_json_delta', partial_json })),
    ]);
  }
  if (index === 0) frames.push(frame('ping', { type: 'ping' }));
  frames.push(
    frame('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: tools.length > 0 ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: usage.output },
    }),
    frame('message_stop', { type: 'message_stop' }),
  );
  return frames;
}

/** A non-streamed `message`. */
export function message(reply: UpstreamReply, body: MessagesBody) {
  const { think, answer, tools } = contentOf(reply);
  const usage = usageOf(reply, body, think.length + answer.length);
  const content: unknown[] = [];
  if (think.length > 0)
    content.push({
      type: 'thinking',
      thinking: think.join(''),
      signature: 'bG9jYWwtdXBzdHJlYW0tc2lnbmF0dXJl',
    });
  if (answer.length > 0) content.push({ type: 'text', text: answer.join('') });
  for (const tool of tools) {
    let input: unknown = {};
    try {
      input = JSON.parse(tool.json);
    } catch {}
    content.push({ type: 'tool_use', id: tool.id, name: tool.name, input });
  }
  return {
    id: `msg_${localId()}`,
    type: 'message',
    role: 'assistant',
    model: String(body.model),
    content,
    stop_reason: tools.length > 0 ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: usage.input, output_tokens: usage.output },
  };
}
