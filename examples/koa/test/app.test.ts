// The shared example test (examples/shared/src/testing.ts) on koa: app.callback() on a node:http
// server on port 0.
import { createServer } from 'node:http';
import { describeExampleApp, nodeServer } from '@flowllm-examples/shared/testing';
import { buildApp } from '../src/app.js';

describeExampleApp({
  name: 'koa',
  dir: new URL('..', import.meta.url),
  start: (options) => nodeServer(createServer(buildApp(options).callback()).listen(0, '127.0.0.1')),
});
