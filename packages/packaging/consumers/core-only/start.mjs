// A project that installed @flowllm/core alone, without the optional @anthropic-ai/sdk: builds an app
// whose one model uses the backend named on the command line, as `node start.mjs anthropic`.
import { createFlowApp } from '@flowllm/core';

const backend = process.argv[2];
try {
  createFlowApp({
    config: { llm: { default: { backend, model_name: 'm1', api_key: 'sk-local' } } },
    env: {},
  });
  console.log(`started with ${backend}`);
} catch (error) {
  console.error(`${error.code}: ${error.message}`);
  process.exitCode = 1;
}
