// The shared example test (examples/shared/src/testing.ts) on express: app.listen on port 0.
import { describeExampleApp, nodeServer } from '@flowllm-examples/shared/testing';
import { buildApp } from '../src/app.js';

describeExampleApp({
  name: 'express',
  dir: new URL('..', import.meta.url),
  start: (options) => nodeServer(buildApp(options).listen(0, '127.0.0.1')),
});
