// Shared set-up for the Redis-only tests: logs started against one redis-server, and a raw client.
import { randomUUID } from 'node:crypto';
import type { ResumeConfig } from '@flowllm/core/adapter';
import { createClient } from 'redis';
import { recordingLogger } from '../../conformance/src/util.js';
import { createRedisEventLog, type RedisEventLog, type RedisEventLogOptions } from '../src/index.js';

/** A config for tests: short lease, so lost runs are found in well under a second. */
export function testConfig(overrides: Partial<ResumeConfig> = {}): ResumeConfig {
  return {
    backend: 'redis',
    redis_url: '',
    key_prefix: 'flowllm',
    ttl_seconds: 60,
    max_events_per_run: 1000,
    detach_seconds: 60,
    retry_ms: 1000,
    lease_seconds: 0.5,
    ...overrides,
  };
}

/** Started logs, closed by {@link closeAll}. */
const open: RedisEventLog[] = [];

/** A started log (one "instance") with a recording logger. */
export async function startLog(
  url: string,
  config: Partial<ResumeConfig> = {},
  options: RedisEventLogOptions = {},
  instanceId = `i-${randomUUID().slice(0, 8)}`,
) {
  const log = createRedisEventLog({ url, maxReconnectDelayMs: 100, ...options });
  const logger = recordingLogger();
  await log.start({ instanceId, logger, config: testConfig(config) });
  open.push(log);
  return { log, logger, instanceId };
}

export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((log) => log.close()));
}

/** A plain node-redis client for looking at (and tampering with) what the log stored. */
export async function rawClient(url: string) {
  const client = createClient({ url, RESP: 2 });
  client.on('error', () => {});
  await client.connect();
  return client;
}

export const newFlowId = () => randomUUID().replaceAll('-', '');
