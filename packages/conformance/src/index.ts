// The conformance suite every flowllm target runs: node:http, the fetch handler, express, koa,
// fastify, h3. Real servers on port 0, real sockets.
export * from './client.js';
export { type Running, type SuiteContext, useTarget } from './harness.js';
export { bodyParserCases, compressionCases, letters, lettersConfig } from './middleware.js';
export { conformanceOps, ProbeStreamOp, probe, SecretFailOp, SleepOp } from './ops.js';
export { type ConformanceGroup, runConformanceSuite, type SuiteOptions } from './suite.js';
export {
  buildService,
  closeServer,
  defineTarget,
  fetchTarget,
  type HostServer,
  listening,
  nodeHttpTarget,
  nodeServer,
  type TargetHost,
} from './targets.js';
export {
  type AppConfig,
  type ConformanceTarget,
  HOST,
  type StartedTarget,
  type StartOptions,
} from './types.js';
export {
  belowPrefix,
  flows,
  HANG_MS,
  type LogLine,
  recordingLogger,
  settles,
  sleep,
  waitFor,
} from './util.js';
