// `@flowllm/redis`: the resume store on Redis, so runs are resumed and stopped through any instance.
import { RedisEventLog, type RedisEventLogOptions } from './redis-event-log.js';

export { lostChunk } from './frames.js';
export { RedisEventLog, type RedisEventLogOptions } from './redis-event-log.js';

/**
 * The Redis EventLog for `resume.backend: redis`. Core calls this when the config asks for Redis; call it
 * yourself to pass options or to hand the log to `createFlowService(app, { eventLog })`. Needs Redis 6.2
 * or later, not Redis Cluster. The URL's password never appears in errors or logs.
 *
 * @example
 * import { createRedisEventLog } from '@flowllm/redis';
 *
 * const eventLog = createRedisEventLog({ url: process.env.REDIS_URL });
 * await eventLog.start({ instanceId: 'web-1', logger: consoleLogger, config: resumeConfig });
 */
export function createRedisEventLog(options: RedisEventLogOptions = {}): RedisEventLog {
  return new RedisEventLog(options);
}
