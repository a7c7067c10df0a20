// The seed's demo flows (FlowLLM's streaming quick-start plus a sync twin) on the offline `mock`
// model, as a config object: no YAML file and no API key needed. The express, koa, fastify and h3
// examples all serve this one config.

export interface DemoConfigOptions {
  /** Delay between the mock model's tokens; the quick-start feel is 30 ms, tests use less. */
  tokenDelayMs?: number;
}

const QUERY_SCHEMA = {
  query: { type: 'string', description: '用户问题', required: true },
};

export function demoConfig({ tokenDelayMs = 30 }: DemoConfigOptions = {}): Record<string, unknown> {
  return {
    flow: {
      // POST /api/demo_stream_http_flow: SSE chunks, FlowLLM's framing.
      demo_stream_http_flow: {
        flow_content: 'GenSystemPromptOp() >> StreamChatOp()',
        stream: true,
        description: 'AI 对话助手(流式返回)',
        input_schema: QUERY_SCHEMA,
      },
      // POST /api/demo_http_flow: one JSON answer `{ answer, success, metadata }`.
      demo_http_flow: {
        flow_content: 'GenSystemPromptOp() >> ChatOp()',
        description: 'AI 对话助手',
        input_schema: QUERY_SCHEMA,
      },
    },
    llm: {
      default: {
        backend: 'mock',
        model_name: 'qwen3-30b-a3b-instruct-2507',
        params: { temperature: 0.6 },
        token_delay_ms: tokenDelayMs,
        script: [
          // GenSystemPromptOp asks for a ```prompt block: answer with one.
          {
            match: '```prompt',
            answer:
              '```think\nThe user wants a clear, friendly explanation.\n```\n' +
              '```prompt\nYou are a friendly expert who explains things simply.\n```\n',
          },
          {
            think: 'The user asks: {input} Let me explain simply.',
            answer:
              'Artificial intelligence (AI) is the field of building computer systems that do tasks which ' +
              'normally need human intelligence: understanding language, recognising images, making ' +
              'decisions and learning from data. You asked: "{input}" — this answer was streamed token by ' +
              "token by flowllm's offline mock model.",
          },
        ],
      },
    },
  };
}
