// The seed's streaming demo flow (GenSystemPromptOp() >> StreamChatOp()) on the offline `mock` model,
// scripted to think, answer and call a tool, so the page has every kind of chunk to show.

export interface DemoConfigOptions {
  /** Delay between the mock model's tokens: 40 ms makes streaming visible, tests may use less. */
  tokenDelayMs?: number;
  /**
   * Resumable runs (`resume: {backend: memory}`): the chat page survives a reload and its Stop stops the
   * run on the server; the EventSource page reconnects by itself. False gives the plain wire.
   * @default true
   */
  resume?: boolean;
}

export const DEMO_FLOW = 'demo_stream_http_flow';

export function demoConfig({
  tokenDelayMs = 40,
  resume = true,
}: DemoConfigOptions = {}): Record<string, unknown> {
  return {
    app_name: 'flowllm browser demo',
    resume: { backend: resume ? 'memory' : 'none' },
    flow: {
      [DEMO_FLOW]: {
        flow_content: 'GenSystemPromptOp() >> StreamChatOp()',
        stream: true,
        description: 'AI 对话助手(流式返回)',
        input_schema: { query: { type: 'string', description: '用户问题', required: true } },
      },
    },
    llm: {
      default: {
        backend: 'mock',
        model_name: 'qwen3-30b-a3b-instruct-2507',
        token_delay_ms: tokenDelayMs,
        script: [
          // GenSystemPromptOp asks for a ```prompt block: answer with one (no streaming to the page).
          {
            match: '```prompt',
            answer:
              '```think\nThe user wants a clear, friendly explanation.\n```\n' +
              '```prompt\nYou are a friendly expert who explains things simply.\n```\n',
          },
          // Ask something with "fail" in it to see a failure after streaming began.
          {
            match: 'fail',
            answer: 'Let me start answering this and then run out of quota.',
            error: 'the model quota is exhausted (scripted failure)',
            error_after: 6,
          },
          {
            think: 'The user asks: {input} I should explain simply, then look up a source.',
            answer:
              'Artificial intelligence (AI) is the field of building computer systems that do tasks which ' +
              'normally need human intelligence: understanding language, recognising images, making ' +
              'decisions and learning from data. You asked: "{input}" — this answer was streamed token by ' +
              "token by flowllm's offline mock model.",
            tool_calls: [{ name: 'web_search', arguments: { query: 'artificial intelligence', top_k: 3 } }],
          },
        ],
      },
    },
  };
}
