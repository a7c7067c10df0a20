// The shared EventLog contract against a real redis-server.
import { runEventLogContract } from '@flowllm/conformance/event-log-contract';
import { type RunningRedis, startRedis } from '@flowllm/conformance/redis';
import { afterAll, beforeAll } from 'vitest';
import { createRedisEventLog } from '../src/index.js';

let redis: RunningRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

runEventLogContract('redis', () => createRedisEventLog({ url: redis.url }), {
  config: { backend: 'redis' },
  shared: true,
});
