// A project that installed @flowllm/core alone, without the optional js-tiktoken: a flow counting
// tokens with OpenAI's tokenizer (`TokenCountOp(token_count={"backend": "openai"})`) fails at start.
import { createFlowApp } from '@flowllm/core';

try {
  createFlowApp({
    config: {
      llm: { default: { backend: 'mock' } },
      flow: { count: { flow_content: 'TokenCountOp(token_count={"backend": "openai"})' } },
    },
    env: {},
  });
  console.log('started');
} catch (error) {
  console.error(`${error.code}: ${error.message}`);
  process.exitCode = 1;
}
